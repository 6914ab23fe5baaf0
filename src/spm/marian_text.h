/* Text in and out as transformers' MarianTokenizer handles it, for models converted from
 * Hugging Face or Marian (GGUF key anuvad.tokenizer.marian): the literal strings of the
 * special tokens split the source text and stand for those tokens, a chunk that opens with a
 * language code (">>fra<<") gives the code as one piece, and decoded text has any remaining
 * "▁" turned into spaces and is stripped. */
#ifndef ANUVAD_MARIAN_TEXT_H
#define ANUVAD_MARIAN_TEXT_H

#include <stddef.h>

#include "spm.h"

/* Like spm_encode (same SpmPieces layout, freed by spm_pieces_free); special tokens and
 * language codes are pieces of their own with id -1, to be looked up in the vocabulary. */
int marian_encode(const SpmModel *sp, const char *text, size_t len, SpmPieces *out, char *err,
                  size_t errlen);

/* In place: "▁" -> " ", then leading and trailing whitespace removed. */
void marian_clean(char *s);

#endif
