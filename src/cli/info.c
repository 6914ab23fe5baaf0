/* anuvad info: the model card (sizes, languages, vocabulary, parameter count, tensors), from
 * anuvad_info; loading the model also validates the file. */
#include <stdlib.h>

#include "cli.h"

static void print_card(const AnuvadModel *m) {
    AnuvadInfo c;
    anuvad_info(m, &c);
    printf("model        %s (%.2f MiB)\n", c.path, c.file_size / 1048576.0);
    if (*c.name) printf("name         %s\n", c.name);
    if (*c.description) printf("description  %s\n", c.description);
    printf("languages    %s -> %s\n", c.source_language, c.target_language);
    printf("architecture encoder-decoder transformer, %s-norm, %s, %s positions%s\n", c.norm,
           c.activation, c.positions, c.scale_embedding ? ", scaled embeddings" : "");
    printf("layers       encoder %d, decoder %d\n", c.encoder_layers, c.decoder_layers);
    printf("sizes        d_model %d, heads %d (d_head %d), ffn %d, positions %d\n", c.d_model,
           c.heads, c.d_model / c.heads, c.ffn_dim, c.max_positions);
    if (!c.separate_vocabularies)
        printf("vocabulary   %d pieces, one for both sides (pad %d %s, eos %d %s, unk %d %s, "
               "decoder start %d)\n",
               c.vocab_size, c.pad, anuvad_piece(m, c.pad), c.eos, anuvad_piece(m, c.eos), c.unk,
               anuvad_piece(m, c.unk), c.decoder_start);
    else
        printf("vocabulary   separate: source %d pieces (eos %d %s, unk %d %s), target %d pieces "
               "(pad %d %s, eos %d %s, decoder start %d)\n",
               c.vocab_size, c.source_eos, anuvad_source_piece(m, c.source_eos), c.source_unk,
               anuvad_source_piece(m, c.source_unk), c.target_vocab_size, c.pad,
               anuvad_piece(m, c.pad), c.eos, anuvad_piece(m, c.eos), c.decoder_start);
    printf("embeddings   %s\n", c.shared_embeddings
                                    ? "shared.weight, one matrix for encoder and decoder"
                                    : "encoder.embed_tokens and decoder.embed_tokens, unshared");
    printf("output       %s%s\n",
           c.tie_output ? "tied to the decoder embeddings" : "lm_head.weight, untied",
           c.logits_bias ? ", plus final_logits_bias" : "");
    printf("tokenizers   source %zu bytes, target %zu bytes (SentencePiece)\n",
           c.source_tokenizer_bytes, c.target_tokenizer_bytes);
    printf("parameters   %llu (%.2f M)\n", c.parameters, c.parameters / 1e6);
    if (c.known_words)
        printf("known words  %d source words from training (unknown ones are warned about)\n",
               c.known_words);
    else printf("known words  none in the file: the unknown-word warning is skipped\n");
    if (c.has_min_mean_log_prob)
        printf("confidence   warn below a mean token log-probability of %.4f\n",
               c.min_mean_log_prob);
    else printf("confidence   no threshold in the file: the low-confidence warning is skipped\n");
    printf("tensors      %d (F32 %d, F16 %d)\n", c.n_tensors, c.f32_tensors, c.f16_tensors);
    for (int i = 0; i < c.n_tensors; i++) {
        AnuvadTensor t;
        anuvad_tensor(m, i, &t);
        char shape[96] = "";
        size_t n = 0;
        for (int d = 0; d < t.n_dims; d++)
            n += (size_t)snprintf(shape + n, sizeof shape - n, "%s%llu", d ? ", " : "", t.dims[d]);
        printf("  %-52s [%s] %s\n", t.name, shape, t.type);
    }
}

int cli_info(int argc, char **argv) {
    CliOptions o;
    char err[1024], buf[4096];
    int rc = cli_parse_args(argc, argv, &o);
    if (rc) return rc;
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
    int status;
    AnuvadModel *m = anuvad_load(path, 1, &status, err, sizeof err);
    if (!m) {
        cli_error("%s", err);
        return CLI_BAD;
    }
    print_card(m);
    anuvad_free(m);
    return fflush(stdout) == 0 ? CLI_OK : CLI_BAD;
}
