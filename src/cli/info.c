/* anuvad info: the model card, read from the GGUF file (sizes, languages, vocabulary,
 * parameter count, tensors). Uses the engine's model binder, so it also validates the file. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "engine/model.h"

static void print_card(const Model *m, const char *path, long long file_size) {
    const Config *c = &m->c;
    printf("model        %s (%.2f MiB)\n", path, file_size / 1048576.0);
    if (m->name.len) printf("name         %.*s\n", (int)m->name.len, m->name.s);
    if (m->description.len)
        printf("description  %.*s\n", (int)m->description.len, m->description.s);
    printf("languages    %.*s -> %.*s\n", (int)m->src_lang.len, m->src_lang.s,
           (int)m->tgt_lang.len, m->tgt_lang.s);
    printf("architecture encoder-decoder transformer, %s-norm, %s, %s positions%s\n",
           c->pre_norm ? "pre" : "post", model_activation_name(c->activation),
           c->learned_positions ? "learned" : "sinusoidal",
           c->scale_embedding ? ", scaled embeddings" : "");
    printf("layers       encoder %d, decoder %d\n", c->enc_layers, c->dec_layers);
    printf("sizes        d_model %d, heads %d (d_head %d), ffn %d, positions %d\n", c->d_model,
           c->heads, c->d_model / c->heads, c->ffn_dim, c->max_positions);
    printf("vocabulary   %d pieces (pad %d %s, eos %d %s, unk %d %s, decoder start %d)\n",
           c->vocab_size, c->pad, m->vocab.piece[c->pad], c->eos, m->vocab.piece[c->eos], c->unk,
           m->vocab.piece[c->unk], c->decoder_start);
    printf("output       %s embeddings%s\n", c->tie_output ? "tied to the" : "separate from the",
           m->w.logits_bias ? ", plus final_logits_bias" : "");
    printf("tokenizers   source %zu bytes, target %zu bytes (SentencePiece)\n", m->src_spm_size,
           m->tgt_spm_size);
    printf("parameters   %llu (%.2f M)\n", (unsigned long long)m->n_params, m->n_params / 1e6);
    const Gguf *g = &m->gguf;
    size_t by_type[3] = {0, 0, 0};
    for (uint64_t i = 0; i < g->n_tensors; i++)
        by_type[g->tensors[i].type == GGML_F32 ? 0 : g->tensors[i].type == GGML_F16 ? 1 : 2]++;
    printf("tensors      %llu (F32 %zu, F16 %zu, Q8_0 %zu)\n", (unsigned long long)g->n_tensors,
           by_type[0], by_type[1], by_type[2]);
    for (uint64_t i = 0; i < g->n_tensors; i++) {
        const GgufTensor *t = &g->tensors[i];
        char shape[96] = "";
        size_t n = 0;
        for (uint32_t d = t->n_dims; d-- > 0;)   /* PyTorch order */
            n += (size_t)snprintf(shape + n, sizeof shape - n, "%s%llu", n ? ", " : "",
                                  (unsigned long long)t->dims[d]);
        printf("  %-52s [%s] %s\n", t->name, shape, gguf_type_name(t->type));
    }
}

int cli_info(int argc, char **argv) {
    CliOptions o;
    char err[1024], buf[4096];
    int rc = cli_parse(argc, argv, &o, err, sizeof err);
    if (rc) {
        cli_error("%s", err);
        return rc;
    }
    if (o.help) {
        puts("usage: anuvad info [-m MODEL]   model card: sizes, languages, vocabulary, tensors");
        free(o.texts);
        return CLI_OK;
    }
    if (o.n_texts) {
        cli_error("info: unexpected argument %s", o.texts[0]);
        free(o.texts);
        return CLI_USAGE;
    }
    free(o.texts);
    const char *path = cli_model_path(&o, buf, sizeof buf, err, sizeof err);
    if (!path) {
        cli_error("%s", err);
        return CLI_BAD;
    }
    Model m;
    if (model_load(&m, path, err, sizeof err)) {
        cli_error("%s", err);
        return CLI_BAD;
    }
    struct stat st;
    print_card(&m, path, stat(path, &st) == 0 ? (long long)st.st_size : 0);
    model_free(&m);
    return fflush(stdout) == 0 ? CLI_OK : CLI_BAD;
}
