/* BPE segmentation as the library's bpe_model.cc: start from characters (user-defined pieces
 * whole and frozen), repeatedly merge the adjacent pair whose concatenation is a piece with
 * the highest score, leftmost first on ties, then split UNUSED results back into the pair
 * that formed them. A binary heap holds candidate pairs; stale ones are skipped on pop. */
#include <stdlib.h>
#include <string.h>

#include "spm_segment.h"

typedef struct {
    uint32_t off, len;
    int32_t prev, next;
    int32_t node; /* trie node of this symbol's bytes, -1 if no piece starts with them */
    int freeze;
} Sym;

typedef struct {
    int32_t left, right;
    float score;
    uint32_t size;
} Pair;

typedef struct {
    Pair *v;
    size_t n, cap;
} Heap;

/* h1 ranks below h2 if its score is lower, or equal and it starts further right. */
static int below(const Pair *a, const Pair *b) {
    return a->score < b->score || (a->score == b->score && a->left > b->left);
}

static int heap_push(Heap *h, Pair p) {
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 64;
        if (cap > SIZE_MAX / sizeof *h->v) return -1;
        Pair *v = realloc(h->v, cap * sizeof *v);
        if (!v) return -1;
        h->v = v;
        h->cap = cap;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!below(&h->v[parent], &p)) break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = p;
    return 0;
}

static Pair heap_pop(Heap *h) {
    Pair top = h->v[0];
    Pair last = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n && below(&h->v[c], &h->v[c + 1])) c++;
        if (!below(&last, &h->v[c])) break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n) h->v[i] = last;
    return top;
}

/* The most recent split proposed for an UNUSED piece (bpe_model.cc rev_merge). */
typedef struct {
    int32_t id;
    uint32_t left_len;
} Split;

typedef struct {
    const SpmModel *m;
    const uint8_t *s;
    Sym *sym;
    Heap heap;
    Split *splits;
    size_t n_splits, cap_splits;
} Bpe;

static int32_t extend(const SpmTrie *t, int32_t node, const uint8_t *p, size_t n) {
    for (size_t k = 0; k < n && node >= 0; k++) node = spm_trie_child(t, node, p[k]);
    return node;
}

static int remember_split(Bpe *b, int32_t id, uint32_t left_len) {
    for (size_t i = 0; i < b->n_splits; i++)
        if (b->splits[i].id == id) {
            b->splits[i].left_len = left_len;
            return 0;
        }
    if (b->n_splits == b->cap_splits) {
        size_t cap = b->cap_splits ? 2 * b->cap_splits : 16;
        Split *v = realloc(b->splits, cap * sizeof *v);
        if (!v) return -1;
        b->splits = v;
        b->cap_splits = cap;
    }
    b->splits[b->n_splits].id = id;
    b->splits[b->n_splits].left_len = left_len;
    b->n_splits++;
    return 0;
}

static int maybe_add_pair(Bpe *b, int32_t left, int32_t right) {
    if (left < 0 || right < 0) return 0;
    const Sym *l = &b->sym[left], *r = &b->sym[right];
    if (l->freeze || r->freeze || l->node < 0) return 0;
    int32_t node = extend(&b->m->trie, l->node, b->s + r->off, r->len);
    if (node < 0) return 0;
    int32_t id = b->m->trie.normal_id[node];
    if (id < 0) return 0;
    Pair p = {left, right, b->m->score[id], l->len + r->len};
    if (heap_push(&b->heap, p) < 0) return -1;
    if (b->m->type[id] == SPM_UNUSED) return remember_split(b, id, l->len);
    return 0;
}

/* bpe_model.cc resegment: an UNUSED piece is replaced by the pieces it was merged from. */
static int resegment(Bpe *b, uint32_t off, uint32_t len, SpmSegs *out, int depth) {
    const SpmModel *m = b->m;
    int id = spm_piece_id(m, (const char *)b->s + off, len);
    if (m->type[id] == SPM_UNUSED && depth < 64) {
        for (size_t i = 0; i < b->n_splits; i++)
            if (b->splits[i].id == id) {
                uint32_t l = b->splits[i].left_len;
                if (resegment(b, off, l, out, depth + 1) < 0) return -1;
                return resegment(b, off + l, len - l, out, depth + 1);
            }
    }
    return spm_segs_push(out, off, len, id);
}

int spm_bpe_encode(const SpmModel *m, const char *s_, size_t n, SpmSegs *out, const char **why) {
    if (n == 0) return 0;
    if (n > INT32_MAX / 2 || n > SIZE_MAX / sizeof(Sym)) {
        *why = "input too long";
        return -1;
    }
    Bpe b;
    memset(&b, 0, sizeof b);
    b.m = m;
    b.s = (const uint8_t *)s_;
    b.sym = malloc(n * sizeof *b.sym);
    int rc = -1;
    *why = "out of memory";
    if (!b.sym) return -1;
    /* Split into characters; a user-defined piece is one frozen symbol. */
    int32_t count = 0;
    for (size_t i = 0; i < n;) {
        Sym *y = &b.sym[count];
        size_t k =
            m->has_user_defined ? spm_trie_match_user_defined(&m->trie, m->type, s_ + i, n - i) : 0;
        y->freeze = k > 0;
        if (!k) {
            k = spm_one_char_len(b.s[i]);
            if (k > n - i) k = n - i;
        }
        y->off = (uint32_t)i;
        y->len = (uint32_t)k;
        y->prev = count - 1;
        y->next = i + k < n ? count + 1 : -1;
        y->node = extend(&m->trie, 0, b.s + i, k);
        count++;
        i += k;
    }
    for (int32_t i = 1; i < count; i++)
        if (maybe_add_pair(&b, i - 1, i) < 0) goto done;
    while (b.heap.n) {
        Pair top = heap_pop(&b.heap);
        Sym *l = &b.sym[top.left], *r = &b.sym[top.right];
        if (l->len == 0 || r->len == 0 || l->len + r->len != top.size)
            continue; /* one side was merged away since this pair was queued */
        l->node = extend(&m->trie, l->node, b.s + r->off, r->len);
        l->len += r->len;
        l->next = r->next;
        if (r->next >= 0) b.sym[r->next].prev = top.left;
        r->len = 0;
        if (maybe_add_pair(&b, l->prev, top.left) < 0 || maybe_add_pair(&b, top.left, l->next) < 0)
            goto done;
    }
    for (int32_t i = 0; i >= 0; i = b.sym[i].next)
        if (resegment(&b, b.sym[i].off, b.sym[i].len, out, 0) < 0) goto done;
    rc = 0;
done:
    free(b.sym);
    free(b.heap.v);
    free(b.splits);
    return rc;
}
