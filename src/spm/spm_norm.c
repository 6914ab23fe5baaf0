/* Normalization as the library's Normalizer (specs/sentencepiece.md, "Normalization"):
 * longest-match replacement with the precompiled charsmap (a darts-clone double array),
 * user-defined pieces copied through, invalid UTF-8 -> U+FFFD per byte, then whitespace
 * handling (drop leading/trailing/repeated spaces, escape to U+2581, dummy prefix/suffix). */
#include "spm_norm.h"

#include <stdlib.h>
#include <string.h>

#include "spm_model.h"

static const char kSpace[] = "\xe2\x96\x81"; /* U+2581 */
static const char kReplacement[] = "\xef\xbf\xbd";

int spm_norm_init(SpmNormSpec *ns, const uint8_t *blob, size_t len, const char **why) {
    /* <uint32 trie size><double array><NUL-terminated strings>, as
     * Normalizer::DecodePrecompiledCharsMap reads it. */
    if (len <= 4) {
        *why = "precompiled charsmap is too short";
        return -1;
    }
    uint32_t trie_size = (uint32_t)blob[0] | (uint32_t)blob[1] << 8 | (uint32_t)blob[2] << 16 |
                         (uint32_t)blob[3] << 24;
    if (trie_size > len - 4) {
        *why = "charsmap trie size exceeds the blob";
        return -1;
    }
    if (trie_size < 4 || trie_size % 4) {
        *why = "charsmap trie size is not a positive multiple of 4";
        return -1;
    }
    size_t strs_len = len - 4 - trie_size;
    if (strs_len == 0 || blob[len - 1] != 0) {
        *why = "charsmap strings are not NUL-terminated";
        return -1;
    }
    ns->n_units = trie_size / 4;
    ns->units = malloc(trie_size);
    ns->strs = malloc(strs_len);
    if (!ns->units || !ns->strs) {
        *why = "out of memory";
        return -1;
    }
    for (size_t i = 0; i < ns->n_units; i++) {
        const uint8_t *u = blob + 4 + 4 * i;
        ns->units[i] =
            (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
    }
    memcpy(ns->strs, blob + 4 + trie_size, strs_len);
    ns->strs_len = strs_len;
    /* The root's children must lie inside the array (deeper nodes are checked per step). */
    uint32_t root = ns->units[0];
    size_t off = (root >> 10) << ((root & (1u << 9)) >> 6);
    if ((off | 0xff) >= ns->n_units) {
        *why = "charsmap trie root points past the array";
        return -1;
    }
    for (int c = 0; c < 256; c++)
        ns->first[c] = (ns->units[off ^ (size_t)c] & 0x800000ffu) == (uint32_t)c;
    return 0;
}

void spm_norm_free(SpmNormSpec *ns) {
    free(ns->units);
    free(ns->strs);
    ns->units = NULL;
    ns->strs = NULL;
    ns->n_units = 0;
}

static uint32_t unit_offset(uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); }

/* Longest charsmap key that is a prefix of s: returns its length (0 = none) and the
 * replacement's offset in *value; -1 if the trie leads outside its array. darts-clone
 * commonPrefixSearch, with every index checked. */
static int charsmap_match(const SpmNormSpec *ns, const uint8_t *s, size_t n, size_t *len,
                          uint32_t *value) {
    const uint32_t *a = ns->units;
    size_t size = ns->n_units;
    size_t pos = unit_offset(a[0]);
    *len = 0;
    for (size_t i = 0; i < n; i++) {
        pos ^= s[i];
        if (pos >= size) return -1;
        uint32_t u = a[pos];
        if ((u & 0x800000ffu) != s[i]) return 0;
        pos ^= unit_offset(u);
        if (pos >= size) return -1;
        if ((u >> 8) & 1) {
            *len = i + 1;
            *value = a[pos] & 0x7fffffffu;
        }
    }
    return 0;
}

/* Normalizer::NormalizePrefix: the replacement for the longest rule at s and the number of
 * input bytes it consumes. */
static int normalize_prefix(const SpmModel *m, const SpmNormSpec *ns, int use_matcher,
                            const uint8_t *s, size_t n, const char **rep, size_t *rep_len,
                            size_t *consumed, const char **why) {
    if (use_matcher && m->has_user_defined) {
        size_t k = spm_trie_match_user_defined(&m->trie, m->type, (const char *)s, n);
        if (k) {
            *rep = (const char *)s;
            *rep_len = *consumed = k;
            return 0;
        }
    }
    if (ns->n_units && ns->first[s[0]]) {
        size_t k;
        uint32_t v;
        if (charsmap_match(ns, s, n, &k, &v) < 0) {
            *why = "charsmap trie index out of range";
            return -1;
        }
        if (k) {
            if (v >= ns->strs_len) {
                *why = "charsmap replacement offset out of range";
                return -1;
            }
            *rep = ns->strs + v;
            *rep_len = strlen(*rep); /* the blob ends with NUL (spm_norm_init) */
            *consumed = k;
            return 0;
        }
    }
    size_t k = spm_utf8_valid_len(s, n);
    if (k == 0) {
        *rep = kReplacement;
        *rep_len = 3;
        *consumed = 1;
    } else {
        *rep = (const char *)s;
        *rep_len = *consumed = k;
    }
    return 0;
}

static int add_ws(const SpmNormSpec *ns, SpmBuf *out) {
    return ns->escape_whitespaces ? spm_buf_put(out, kSpace, 3) : spm_buf_put(out, " ", 1);
}

int spm_normalize(const SpmModel *m, const SpmNormSpec *ns, int use_matcher, int ws_suffix,
                  const char *in_, size_t len, SpmBuf *out, const char **why) {
    const uint8_t *in = (const uint8_t *)in_;
    const char *rep;
    size_t rep_len, used;
    out->n = 0;
    if (len == 0) return 0;
    if (len > SIZE_MAX / 4) {
        *why = "input too long";
        return -1;
    }
    /* Leading whitespace: drop every rule whose whole replacement is one space. */
    if (ns->remove_extra_whitespaces) {
        while (len) {
            if (normalize_prefix(m, ns, use_matcher, in, len, &rep, &rep_len, &used, why) < 0)
                return -1;
            if (rep_len != 1 || rep[0] != ' ') break;
            in += used;
            len -= used;
        }
    }
    if (len == 0) return 0;
    if (spm_buf_reserve(out, len * 3 + 8) < 0) goto oom;
    if (!ws_suffix && ns->add_dummy_prefix && add_ws(ns, out) < 0) goto oom;
    int prev_space = ns->remove_extra_whitespaces;
    while (len) {
        if (normalize_prefix(m, ns, use_matcher, in, len, &rep, &rep_len, &used, why) < 0)
            return -1;
        /* After a space, the replacement's own leading spaces are extra. */
        while (prev_space && rep_len && rep[0] == ' ') {
            rep++;
            rep_len--;
        }
        if (rep_len) {
            if (!ns->escape_whitespaces || !memchr(rep, ' ', rep_len)) {
                if (spm_buf_put(out, rep, rep_len) < 0) goto oom;
            } else {
                for (size_t k = 0; k < rep_len; k++) {
                    int r =
                        rep[k] == ' ' ? spm_buf_put(out, kSpace, 3) : spm_buf_put(out, rep + k, 1);
                    if (r < 0) goto oom;
                }
            }
            prev_space = rep[rep_len - 1] == ' ';
        }
        in += used;
        len -= used;
        if (!ns->remove_extra_whitespaces) prev_space = 0;
    }
    if (ns->remove_extra_whitespaces) {
        if (ns->escape_whitespaces) {
            while (out->n >= 3 && memcmp(out->p + out->n - 3, kSpace, 3) == 0) out->n -= 3;
        } else {
            while (out->n >= 1 && out->p[out->n - 1] == ' ') out->n -= 1;
        }
    }
    if (ws_suffix && ns->add_dummy_prefix && add_ws(ns, out) < 0) goto oom;
    return 0;
oom:
    *why = "out of memory";
    return -1;
}
