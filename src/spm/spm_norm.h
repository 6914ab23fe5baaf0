/* The normalizer (spm_norm.c): NormalizerSpec's precompiled charsmap and the whitespace rules. */
#ifndef ANUVAD_SPM_NORM_H
#define ANUVAD_SPM_NORM_H

#include <stddef.h>
#include <stdint.h>

#include "spm.h"
#include "spm_util.h"

/* NormalizerSpec with its precompiled charsmap decoded (darts-clone units + replacement
 * strings). n_units == 0 means identity: no replacement. */
typedef struct {
    uint32_t *units;
    size_t n_units;
    char *strs; /* replacement strings, the last byte is NUL (checked at load) */
    size_t strs_len;
    int add_dummy_prefix, remove_extra_whitespaces, escape_whitespaces;
    uint8_t first[256]; /* 1 if some charsmap key starts with this byte (skip the walk if 0) */
} SpmNormSpec;

int spm_norm_init(SpmNormSpec *ns, const uint8_t *charsmap, size_t len, const char **why);
void spm_norm_free(SpmNormSpec *ns);
/* Normalizer::Normalize. `m` supplies user-defined pieces (copied through unnormalized) when
 * use_matcher is set, and treat_whitespace_as_suffix. Returns 0, or -1 with *why set. */
int spm_normalize(const SpmModel *m, const SpmNormSpec *ns, int use_matcher, int ws_suffix,
                  const char *in, size_t len, SpmBuf *out, const char **why);

#endif
