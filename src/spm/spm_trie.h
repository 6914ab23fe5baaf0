/* A byte trie over every piece of a model (spm_trie.c): Viterbi prefix walks, BPE pair
 * lookups, PieceToId. */
#ifndef ANUVAD_SPM_TRIE_H
#define ANUVAD_SPM_TRIE_H

#include <stddef.h>
#include <stdint.h>

/* A byte trie over every piece, with an edge hash table: (node << 8 | byte) -> child. */
typedef struct {
    uint64_t *keys; /* UINT64_MAX = empty slot */
    uint32_t *vals;
    size_t mask;          /* table size - 1 (a power of two) */
    int32_t root[256];    /* children of the root, -1 = none */
    int32_t *normal_id;   /* per node: id of a NORMAL/USER_DEFINED/UNUSED piece ending here */
    int32_t *reserved_id; /* per node: id of an UNKNOWN/CONTROL/BYTE piece ending here */
    size_t n_nodes;
} SpmTrie;

/* Over the n pieces strs + off[i] (len[i] bytes) of the given types: NORMAL, USER_DEFINED and
 * UNUSED pieces in normal_id, the others in reserved_id; the first definition of a piece wins.
 * 0 ok, -1 out of memory. */
int spm_trie_build(SpmTrie *t, int n, const char *strs, const uint32_t *off, const uint32_t *len,
                   const uint8_t *type);
void spm_trie_free(SpmTrie *t);
/* The node s[0..n) leads to, or -1. */
int32_t spm_trie_walk(const SpmTrie *t, const char *s, size_t n);
/* Longest USER_DEFINED piece (by `type`) that is a prefix of s[0..n): its length, 0 if none. */
size_t spm_trie_match_user_defined(const SpmTrie *t, const uint8_t *type, const char *s, size_t n);

static inline int32_t spm_trie_child(const SpmTrie *t, int32_t node, uint8_t c) {
    if (node == 0) return t->root[c];
    uint64_t key = ((uint64_t)(uint32_t)node << 8) | c;
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & t->mask;
    for (;;) {
        uint64_t k = t->keys[h];
        if (k == key) return (int32_t)t->vals[h];
        if (k == UINT64_MAX) return -1;
        h = (h + 1) & t->mask;
    }
}

#endif
