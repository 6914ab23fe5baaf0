/* A byte trie over all pieces, for Viterbi prefix walks, BPE pair lookups and PieceToId.
 * Edges live in one open-addressing hash table keyed by (node, byte), so a step costs one
 * multiply and usually one probe; the root's 256 children are a plain array. */
#include "spm_trie.h"

#include <stdlib.h>
#include <string.h>

#include "spm_util.h"

static int insert_edge(SpmTrie *t, int32_t node, uint8_t c, int32_t child) {
    if (node == 0) {
        t->root[c] = child;
        return 0;
    }
    uint64_t key = ((uint64_t)(uint32_t)node << 8) | c;
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & t->mask;
    while (t->keys[h] != UINT64_MAX) h = (h + 1) & t->mask;
    t->keys[h] = key;
    t->vals[h] = (uint32_t)child;
    return 0;
}

int spm_trie_build(SpmTrie *t, int n, const char *strs, const uint32_t *off, const uint32_t *len,
                   const uint8_t *type) {
    memset(t, 0, sizeof *t);
    for (int c = 0; c < 256; c++) t->root[c] = -1;
    size_t total = 1;
    for (int i = 0; i < n; i++) total += len[i];
    /* Table at least twice the number of edges (< total) keeps probes short. */
    size_t cap = 1024;
    while (cap < 2 * total) {
        if (cap > SIZE_MAX / 4 / sizeof(uint64_t)) return -1;
        cap *= 2;
    }
    t->keys = malloc(cap * sizeof *t->keys);
    t->vals = malloc(cap * sizeof *t->vals);
    t->normal_id = malloc(total * sizeof *t->normal_id);
    t->reserved_id = malloc(total * sizeof *t->reserved_id);
    if (!t->keys || !t->vals || !t->normal_id || !t->reserved_id) return -1;
    memset(t->keys, 0xff, cap * sizeof *t->keys);
    t->mask = cap - 1;
    t->normal_id[0] = t->reserved_id[0] = -1;
    t->n_nodes = 1;
    for (int i = 0; i < n; i++) {
        const uint8_t *s = (const uint8_t *)strs + off[i];
        int32_t node = 0;
        for (uint32_t k = 0; k < len[i]; k++) {
            int32_t next = spm_trie_child(t, node, s[k]);
            if (next < 0) {
                next = (int32_t)t->n_nodes++;
                t->normal_id[next] = t->reserved_id[next] = -1;
                insert_edge(t, node, s[k], next);
            }
            node = next;
        }
        /* First definition wins; check_pieces() reports the duplicate. */
        int normal = type[i] == SPM_NORMAL || type[i] == SPM_USER_DEFINED || type[i] == SPM_UNUSED;
        int32_t *slot = normal ? &t->normal_id[node] : &t->reserved_id[node];
        if (*slot < 0) *slot = i;
    }
    return 0;
}

void spm_trie_free(SpmTrie *t) {
    free(t->keys);
    free(t->vals);
    free(t->normal_id);
    free(t->reserved_id);
    memset(t, 0, sizeof *t);
}

int32_t spm_trie_walk(const SpmTrie *t, const char *s, size_t n) {
    int32_t node = 0;
    for (size_t k = 0; k < n && node >= 0; k++) node = spm_trie_child(t, node, (uint8_t)s[k]);
    return node;
}

size_t spm_trie_match_user_defined(const SpmTrie *t, const uint8_t *type, const char *s, size_t n) {
    size_t best = 0;
    int32_t node = 0;
    for (size_t k = 0; k < n; k++) {
        node = spm_trie_child(t, node, (uint8_t)s[k]);
        if (node < 0) break;
        int32_t id = t->normal_id[node];
        if (id >= 0 && type[id] == SPM_USER_DEFINED) best = k + 1;
    }
    return best;
}
