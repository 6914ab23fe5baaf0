/* Parse a serialized SentencePiece ModelProto (specs/sentencepiece.md, "ModelProto fields")
 * into an SpmModel, with the checks the library makes when it loads a model: exactly one
 * UNKNOWN piece, no empty or duplicate pieces, a well-formed precompiled charsmap. */
#include "spm_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pb.h"

static const char kDefaultUnkSurface[] = " \xE2\x81\x87 ";

/* What the first pass over the message collects before anything is allocated. */
typedef struct {
    int n_pieces;
    size_t piece_bytes;
    int model_type, byte_fallback, ws_suffix;
    const uint8_t *unk_surface;
    size_t unk_surface_len;
    int has_unk_surface;
    PbField norm_fields[2], denorm_fields[2];
} Spec;

/* Checks that a known field arrived with the wire type the .proto gives it. */
static int want_wire(const PbField *f, int wire, const char *msg, char *err, size_t errlen) {
    if (f->wire == wire) return 0;
    err_set(err, errlen, -1, "spm: %s field %u has wire type %d, expected %d", msg,
            (unsigned)f->field, f->wire, wire);
    return -1;
}

static int parse_trainer_spec(const PbField *msg, Spec *s, char *err, size_t errlen) {
    PbReader r;
    PbField f;
    const char *why;
    int rc;
    pb_init(&r, msg->data, msg->len);
    while ((rc = pb_next(&r, &f, &why)) > 0) {
        switch (f.field) {
        case 3: /* model_type: an unknown enum value stays unset, as proto2 does */
            if (want_wire(&f, PB_VARINT, "trainer_spec", err, errlen) < 0) return -1;
            if (f.u >= 1 && f.u <= 4) s->model_type = (int)f.u;
            break;
        case 24: /* treat_whitespace_as_suffix */
            if (want_wire(&f, PB_VARINT, "trainer_spec", err, errlen) < 0) return -1;
            s->ws_suffix = f.u != 0;
            break;
        case 35: /* byte_fallback */
            if (want_wire(&f, PB_VARINT, "trainer_spec", err, errlen) < 0) return -1;
            s->byte_fallback = f.u != 0;
            break;
        case 44: /* unk_surface */
            if (want_wire(&f, PB_LEN, "trainer_spec", err, errlen) < 0) return -1;
            s->unk_surface = f.data;
            s->unk_surface_len = f.len;
            s->has_unk_surface = 1;
            break;
        default: /* vocab_size, ids of special pieces, training options: not needed */ break;
        }
    }
    if (rc < 0) {
        err_set(err, errlen, -1, "spm: trainer_spec: %s", why);
        return -1;
    }
    return 0;
}

/* Counts pieces and their bytes and checks every nested message's framing. */
static int scan(const uint8_t *data, size_t size, Spec *s, char *err, size_t errlen) {
    PbReader r;
    PbField f;
    const char *why;
    int rc;
    pb_init(&r, data, size);
    while ((rc = pb_next(&r, &f, &why)) > 0) {
        if (f.field == 1) {
            if (want_wire(&f, PB_LEN, "model", err, errlen) < 0) return -1;
            if (s->n_pieces == INT32_MAX - 1) {
                err_set(err, errlen, -1, "spm: too many pieces");
                return -1;
            }
            s->n_pieces++;
            s->piece_bytes += f.len + 1; /* a piece is never longer than its message */
        } else if (f.field == 2) {
            if (want_wire(&f, PB_LEN, "model", err, errlen) < 0 ||
                parse_trainer_spec(&f, s, err, errlen) < 0)
                return -1;
        } else if (f.field == 3 || f.field == 5) {
            if (want_wire(&f, PB_LEN, "model", err, errlen) < 0) return -1;
            /* A message field given more than once merges, later fields winning; we keep
             * the first and the last occurrence and parse_norm reads them in order. */
            PbField *slot = f.field == 3 ? s->norm_fields : s->denorm_fields;
            if (slot[0].data == NULL) slot[0] = f;
            else slot[1] = f;
        }
    }
    if (rc < 0) {
        err_set(err, errlen, -1, "spm: model: %s", why);
        return -1;
    }
    return 0;
}

static int parse_piece(const PbField *msg, SpmModel *m, int id, size_t *strs_used, char *err,
                       size_t errlen) {
    PbReader r;
    PbField f;
    const char *why;
    int rc;
    const uint8_t *str = NULL;
    size_t len = 0;
    float score = 0;
    int type = SPM_NORMAL;
    pb_init(&r, msg->data, msg->len);
    while ((rc = pb_next(&r, &f, &why)) > 0) {
        if (f.field == 1) {
            if (want_wire(&f, PB_LEN, "piece", err, errlen) < 0) return -1;
            str = f.data;
            len = f.len;
        } else if (f.field == 2) {
            if (want_wire(&f, PB_FIXED32, "piece", err, errlen) < 0) return -1;
            score = pb_float(&f);
        } else if (f.field == 3) {
            if (want_wire(&f, PB_VARINT, "piece", err, errlen) < 0) return -1;
            if (f.u >= 1 && f.u <= 6) type = (int)f.u;
        }
    }
    if (rc < 0) {
        err_set(err, errlen, -1, "spm: piece %d: %s", id, why);
        return -1;
    }
    if (len == 0) {
        err_set(err, errlen, -1, "spm: piece %d is empty", id);
        return -1;
    }
    if (memchr(str, 0, len)) {
        err_set(err, errlen, -1, "spm: piece %d holds a NUL byte", id);
        return -1;
    }
    memcpy(m->strs + *strs_used, str, len);
    m->strs[*strs_used + len] = 0;
    m->off[id] = (uint32_t)*strs_used;
    m->len[id] = (uint32_t)len;
    m->score[id] = score;
    m->type[id] = (uint8_t)type;
    *strs_used += len + 1;
    return 0;
}

static int parse_norm(const PbField fields[2], SpmNormSpec *ns, const char *name, char *err,
                      size_t errlen) {
    const uint8_t *charsmap = NULL;
    size_t charsmap_len = 0;
    ns->add_dummy_prefix = ns->remove_extra_whitespaces = ns->escape_whitespaces = 1;
    for (int k = 0; k < 2; k++) {
        if (!fields[k].data && !fields[k].len) continue;
        PbReader r;
        PbField f;
        const char *why;
        int rc;
        pb_init(&r, fields[k].data, fields[k].len);
        while ((rc = pb_next(&r, &f, &why)) > 0) {
            if (f.field == 2) {
                if (want_wire(&f, PB_LEN, name, err, errlen) < 0) return -1;
                charsmap = f.data;
                charsmap_len = f.len;
            } else if (f.field >= 3 && f.field <= 5) {
                if (want_wire(&f, PB_VARINT, name, err, errlen) < 0) return -1;
                int v = f.u != 0;
                if (f.field == 3) ns->add_dummy_prefix = v;
                else if (f.field == 4) ns->remove_extra_whitespaces = v;
                else ns->escape_whitespaces = v;
            }
        }
        if (rc < 0) {
            err_set(err, errlen, -1, "spm: %s: %s", name, why);
            return -1;
        }
    }
    const char *why = NULL;
    if (charsmap_len && spm_norm_init(ns, charsmap, charsmap_len, &why) < 0) {
        err_set(err, errlen, -1, "spm: %s: %s", name, why);
        return -1;
    }
    return 0;
}

static int fill_pieces(const uint8_t *data, size_t size, SpmModel *m, char *err, size_t errlen) {
    PbReader r;
    PbField f;
    const char *why;
    size_t used = 0;
    int id = 0;
    pb_init(&r, data, size);
    /* scan() already walked this message, so pb_next cannot fail here. */
    while (pb_next(&r, &f, &why) > 0) {
        if (f.field != 1) continue;
        if (parse_piece(&f, m, id, &used, err, errlen) < 0) return -1;
        id++;
    }
    return 0;
}

/* ModelInterface::InitializePieces: one UNKNOWN piece, no duplicate within its map. */
static int check_pieces(SpmModel *m, char *err, size_t errlen) {
    m->unk_id = -1;
    m->min_score = 3.402823466e+38f; /* FLT_MAX, FLT_MIN: as unigram_model.cc starts them */
    m->max_score = 1.175494351e-38f;
    for (int i = 0; i < m->n; i++) {
        if (m->type[i] == SPM_UNKNOWN) {
            if (m->unk_id >= 0) {
                err_set(err, errlen, -1, "spm: unk is already defined (pieces %d and %d)",
                        m->unk_id, i);
                return -1;
            }
            m->unk_id = i;
        }
        if (m->type[i] == SPM_USER_DEFINED) m->has_user_defined = 1;
        if (m->type[i] == SPM_NORMAL) {
            if (m->score[i] < m->min_score) m->min_score = m->score[i];
            if (m->score[i] > m->max_score) m->max_score = m->score[i];
        }
    }
    if (m->unk_id < 0) {
        err_set(err, errlen, -1, "spm: unk is not defined");
        return -1;
    }
    for (int i = 0; i < m->n; i++) {
        const SpmTrie *t = &m->trie;
        int32_t node = 0;
        for (uint32_t k = 0; k < m->len[i]; k++)
            node = spm_trie_child(t, node, (uint8_t)m->strs[m->off[i] + k]);
        int is_normal =
            m->type[i] == SPM_NORMAL || m->type[i] == SPM_USER_DEFINED || m->type[i] == SPM_UNUSED;
        int32_t owner = is_normal ? t->normal_id[node] : t->reserved_id[node];
        if (owner != i) {
            err_set(err, errlen, -1, "spm: piece %d \"%s\" is already defined (id %d)", i,
                    m->strs + m->off[i], owner);
            return -1;
        }
    }
    return 0;
}

SpmModel *spm_model_parse(const void *data, size_t size, char *err, size_t errlen) {
    Spec s;
    memset(&s, 0, sizeof s);
    s.model_type = SPM_MODEL_UNIGRAM;
    if (!data && size) {
        err_set(err, errlen, -1, "spm: no data");
        return NULL;
    }
    if (scan(data, size, &s, err, errlen) < 0) return NULL;
    if (s.n_pieces == 0) {
        err_set(err, errlen, -1, "spm: the model has no pieces");
        return NULL;
    }
    if (s.model_type != SPM_MODEL_UNIGRAM && s.model_type != SPM_MODEL_BPE) {
        err_set(err, errlen, -1, "spm: model type %d (word/char) is not supported", s.model_type);
        return NULL;
    }
    if (s.piece_bytes > UINT32_MAX) {
        err_set(err, errlen, -1, "spm: pieces too large");
        return NULL;
    }
    SpmModel *m = calloc(1, sizeof *m);
    if (!m) {
        err_set(err, errlen, -1, "spm: out of memory");
        return NULL;
    }
    size_t n = (size_t)s.n_pieces;
    m->n = s.n_pieces;
    m->model_type = s.model_type;
    m->byte_fallback = s.byte_fallback;
    m->ws_suffix = s.ws_suffix;
    m->strs = malloc(s.piece_bytes);
    m->off = malloc(n * sizeof *m->off);
    m->len = malloc(n * sizeof *m->len);
    m->score = malloc(n * sizeof *m->score);
    m->type = malloc(n);
    const char *surface = s.has_unk_surface ? (const char *)s.unk_surface : kDefaultUnkSurface;
    size_t surface_len = s.has_unk_surface ? s.unk_surface_len : strlen(kDefaultUnkSurface);
    m->unk_surface = malloc(surface_len + 1);
    if (!m->strs || !m->off || !m->len || !m->score || !m->type || !m->unk_surface) {
        err_set(err, errlen, -1, "spm: out of memory");
        goto fail;
    }
    memcpy(m->unk_surface, surface, surface_len);
    m->unk_surface[surface_len] = 0;
    if (fill_pieces(data, size, m, err, errlen) < 0) goto fail;
    if (parse_norm(s.norm_fields, &m->norm, "normalizer_spec", err, errlen) < 0) goto fail;
    if (parse_norm(s.denorm_fields, &m->denorm, "denormalizer_spec", err, errlen) < 0) goto fail;
    /* The library builds a denormalizer only from a non-empty charsmap. */
    m->has_denorm = m->denorm.n_units > 0;
    if (spm_trie_build(&m->trie, m->n, m->strs, m->off, m->len, m->type) < 0) {
        err_set(err, errlen, -1, "spm: out of memory");
        goto fail;
    }
    if (check_pieces(m, err, errlen) < 0) goto fail;
    if (m->model_type == SPM_MODEL_UNIGRAM) {
        /* unigram_model.cc builds its trie from these and refuses an empty one. */
        int k = 0;
        while (k < m->n && m->type[k] != SPM_NORMAL && m->type[k] != SPM_USER_DEFINED &&
               m->type[k] != SPM_UNUSED)
            k++;
        if (k == m->n) {
            err_set(err, errlen, -1,
                    "spm: no pieces are loaded (no normal piece in a unigram model)");
            goto fail;
        }
    }
    for (int b = 0; b < 256; b++) {
        char name[8];
        snprintf(name, sizeof name, "<0x%02X>", b);
        m->byte_id[b] = spm_piece_id(m, name, 6);
    }
    return m;
fail:
    spm_model_free(m);
    return NULL;
}

int spm_piece_id(const SpmModel *m, const char *s, size_t n) {
    int32_t node = n ? spm_trie_walk(&m->trie, s, n) : -1;
    if (node > 0) {
        if (m->trie.reserved_id[node] >= 0) return m->trie.reserved_id[node];
        if (m->trie.normal_id[node] >= 0) return m->trie.normal_id[node];
    }
    return m->unk_id;
}

void spm_model_free(SpmModel *m) {
    if (!m) return;
    free(m->strs);
    free(m->off);
    free(m->len);
    free(m->score);
    free(m->type);
    free(m->unk_surface);
    spm_norm_free(&m->norm);
    spm_norm_free(&m->denorm);
    spm_trie_free(&m->trie);
    free(m);
}
