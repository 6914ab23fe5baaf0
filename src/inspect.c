/* What a model is (anuvad.h: anuvad_info, anuvad_tensor, anuvad_piece): the model card that
 * `anuvad info` prints, read from the bound model. */
#include <string.h>

#include "translator.h"

void anuvad_info(const AnuvadModel *a, AnuvadInfo *info) {
    const Shared *sh = a->sh;
    const Model *m = &sh->m;
    const Config *c = &m->c;
    memset(info, 0, sizeof *info);
    info->path = sh->path;
    info->file_size = sh->file_size;
    info->name = sh->name;
    info->description = sh->description;
    info->source_language = sh->src_lang;
    info->target_language = sh->tgt_lang;
    info->activation = model_activation_name(c->activation);
    info->norm = c->pre_norm ? "pre" : "post";
    info->positions = c->learned_positions ? "learned" : "sinusoidal";
    info->scale_embedding = c->scale_embedding;
    info->tie_output = c->tie_output;
    info->logits_bias = m->w.logits_bias != NULL;
    info->d_model = c->d_model;
    info->heads = c->heads;
    info->ffn_dim = c->ffn_dim;
    info->encoder_layers = c->enc_layers;
    info->decoder_layers = c->dec_layers;
    info->max_positions = c->max_positions;
    info->vocab_size = c->vocab_size;
    info->pad = c->pad;
    info->eos = c->eos;
    info->unk = c->unk;
    info->decoder_start = c->decoder_start;
    info->source_tokenizer_bytes = m->src_spm_size;
    info->target_tokenizer_bytes = m->tgt_spm_size;
    info->parameters = (unsigned long long)m->n_params;
    info->known_words = m->known_words.n;
    info->has_min_mean_log_prob = m->has_threshold;
    info->min_mean_log_prob = m->min_mean_log_prob;
    info->target_vocab_size = c->tgt_vocab_size;
    info->separate_vocabularies = m->tgt_vocab.n > 0;
    info->source_eos = c->src_eos;
    info->source_unk = c->src_unk;
    info->shared_embeddings = c->shared_embeddings;
    info->marian_text = c->marian_text;
    info->forced_eos = c->forced_eos;
    info->n_tensors = (int)m->gguf.n_tensors;
    for (uint64_t i = 0; i < m->gguf.n_tensors; i++) {
        info->f32_tensors += m->gguf.tensors[i].type == GGML_F32;
        info->f16_tensors += m->gguf.tensors[i].type == GGML_F16;
    }
}

void anuvad_tensor(const AnuvadModel *a, int i, AnuvadTensor *t) {
    const GgufTensor *g = &a->sh->m.gguf.tensors[i];
    memset(t, 0, sizeof *t);
    t->name = g->name;
    t->n_dims = (int)g->n_dims;
    for (uint32_t d = 0; d < g->n_dims; d++) /* GGML order reversed = PyTorch order */
        t->dims[d] = (unsigned long long)g->dims[g->n_dims - 1 - d];
    t->type = gguf_type_name(g->type);
}

static const char *piece(const Vocab *v, int id) {
    return id >= 0 && id < v->n ? v->piece[id] : NULL;
}

const char *anuvad_piece(const AnuvadModel *a, int id) {
    return piece(model_tgt_vocab(&a->sh->m), id);
}

const char *anuvad_source_piece(const AnuvadModel *a, int id) { return piece(&a->sh->m.vocab, id); }
