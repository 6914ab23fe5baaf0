/* The two segmenters, one interface. */
#ifndef ANUVAD_SPM_SEGMENT_H
#define ANUVAD_SPM_SEGMENT_H

#include <stddef.h>

#include "spm_model.h"
#include "spm_util.h"

/* Segment a normalized string: spm_unigram.c (Viterbi over piece scores) and spm_bpe.c
 * (merges by score). 0 ok, -1 with *why. */
int spm_unigram_encode(const SpmModel *m, const char *s, size_t n, SpmSegs *out, const char **why);
int spm_bpe_encode(const SpmModel *m, const char *s, size_t n, SpmSegs *out, const char **why);

#endif
