/* GGUF v3 reader. Layout and keys: docs/format.md. The file is untrusted: every length and
 * count is checked against the bytes that remain before it is used for an allocation or a
 * pointer, and the first problem found is reported in one line. */
#include "gguf.h"

#include "anuvad.h"
#include "err.h"
#include "tensor.h" /* the Q8_0 block layout */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define GGUF_MAGIC 0x46554747u
#define GGUF_DEFAULT_ALIGNMENT 32u
#define GGUF_MAX_NAME 1024 /* keys and tensor names longer than this are refused */
#define HEADER_BYTES 24u
/* Smallest possible records: key (u64 len + 1 byte) + u32 type + 1-byte value; tensor info:
 * name (u64 + 1) + u32 n_dims + one u64 dim + u32 type + u64 offset. Counts larger than the
 * file could hold are refused before anything is allocated. */
#define MIN_KV_BYTES 14u
#define MIN_TENSOR_BYTES 33u

typedef struct {
    const uint8_t *p;
    size_t size, pos;
    char *err;
    size_t errlen;
} Reader;

/* Every problem this file reports is the model file's: ANUVAD_ERR_FORMAT. */
#define FAIL(err, errlen, ...) err_set(err, errlen, ANUVAD_ERR_FORMAT, __VA_ARGS__)

static size_t left(const Reader *r) { return r->size - r->pos; }

static int need(Reader *r, uint64_t n, const char *what) {
    if (n > left(r))
        return FAIL(r->err, r->errlen,
                    "truncated file: %s needs %llu bytes at offset %zu, "
                    "%zu left",
                    what, (unsigned long long)n, r->pos, left(r));
    return 0;
}

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static int read_u32(Reader *r, uint32_t *v, const char *what) {
    int rc = need(r, 4, what);
    if (rc) return rc;
    *v = le32(r->p + r->pos);
    r->pos += 4;
    return 0;
}

static int read_u64(Reader *r, uint64_t *v, const char *what) {
    int rc = need(r, 8, what);
    if (rc) return rc;
    *v = le64(r->p + r->pos);
    r->pos += 8;
    return 0;
}

/* A string: u64 length then bytes. Leaves *s pointing into the map. */
static int read_str(Reader *r, const uint8_t **s, uint64_t *len, const char *what) {
    int rc = read_u64(r, len, what);
    if (rc) return rc;
    if (*len > left(r))
        return FAIL(r->err, r->errlen,
                    "%s: string length %llu at offset %zu is past the end "
                    "of the file (%zu bytes left)",
                    what, (unsigned long long)*len, r->pos - 8, left(r));
    *s = r->p + r->pos;
    r->pos += (size_t)*len;
    return 0;
}

/* Keys and tensor names: non-empty, bounded, no NUL (we keep NUL-terminated copies). */
static int read_name(Reader *r, const uint8_t **s, uint64_t *len, const char *what,
                     uint64_t index) {
    char ctx[64];
    snprintf(ctx, sizeof ctx, "%s %llu", what, (unsigned long long)index);
    int rc = read_str(r, s, len, ctx);
    if (rc) return rc;
    if (*len == 0) return FAIL(r->err, r->errlen, "%s is empty", ctx);
    if (*len > GGUF_MAX_NAME)
        return FAIL(r->err, r->errlen, "%s is %llu bytes long (at most %d)", ctx,
                    (unsigned long long)*len, GGUF_MAX_NAME);
    if (memchr(*s, 0, (size_t)*len)) return FAIL(r->err, r->errlen, "%s contains a NUL byte", ctx);
    return 0;
}

static uint64_t scalar_size(uint32_t t) {
    switch (t) {
    case GGUF_UINT8:
    case GGUF_INT8:
    case GGUF_BOOL: return 1;
    case GGUF_UINT16:
    case GGUF_INT16: return 2;
    case GGUF_UINT32:
    case GGUF_INT32:
    case GGUF_FLOAT32: return 4;
    case GGUF_UINT64:
    case GGUF_INT64:
    case GGUF_FLOAT64: return 8;
    default: return 0;
    }
}

const char *gguf_value_type_name(uint32_t t) {
    static const char *names[] = {"u8",   "i8",     "u16",   "i16", "u32", "i32", "f32",
                                  "bool", "string", "array", "u64", "i64", "f64"};
    return t < sizeof names / sizeof names[0] ? names[t] : "unknown";
}

const char *gguf_type_name(uint32_t t) {
    switch (t) {
    case GGML_F32: return "F32";
    case GGML_F16: return "F16";
    case GGML_Q8_0: return "Q8_0";
    default: return "unknown";
    }
}

/* The value of key `kv->key` (for messages) starting at r->pos. */
static int read_value(Reader *r, GgufKV *kv, const char *key) {
    int rc = read_u32(r, &kv->type, key);
    if (rc) return rc;
    uint64_t sz = scalar_size(kv->type);
    if (sz) {
        if ((rc = need(r, sz, key))) return rc;
        kv->val = r->p + r->pos;
        kv->val_size = sz;
        if (kv->type == GGUF_BOOL && kv->val[0] > 1)
            return FAIL(r->err, r->errlen, "key %s: bool value %u is not 0 or 1", key, kv->val[0]);
        r->pos += sz;
        return 0;
    }
    if (kv->type == GGUF_STRING) return read_str(r, &kv->val, &kv->val_size, key);
    if (kv->type != GGUF_ARRAY)
        return FAIL(r->err, r->errlen, "key %s: unknown value type %u", key, kv->type);
    if ((rc = read_u32(r, &kv->arr_type, key)) || (rc = read_u64(r, &kv->arr_n, key))) return rc;
    kv->val = r->p + r->pos;
    size_t start = r->pos;
    if (kv->arr_type == GGUF_ARRAY)
        return FAIL(r->err, r->errlen, "key %s: nested arrays are not supported", key);
    if (kv->arr_type == GGUF_STRING) {
        if (kv->arr_n > left(r) / 8)
            return FAIL(r->err, r->errlen,
                        "key %s: array of %llu strings cannot fit in the "
                        "%zu bytes left",
                        key, (unsigned long long)kv->arr_n, left(r));
        for (uint64_t i = 0; i < kv->arr_n; i++) {
            const uint8_t *s;
            uint64_t len;
            if ((rc = read_str(r, &s, &len, key))) return rc;
        }
    } else {
        uint64_t es = scalar_size(kv->arr_type);
        if (!es)
            return FAIL(r->err, r->errlen, "key %s: unknown array element type %u", key,
                        kv->arr_type);
        if (kv->arr_n > left(r) / es)
            return FAIL(r->err, r->errlen,
                        "key %s: array of %llu %s elements is past the end "
                        "of the file (%zu bytes left)",
                        key, (unsigned long long)kv->arr_n, gguf_value_type_name(kv->arr_type),
                        left(r));
        r->pos += (size_t)(kv->arr_n * es);
    }
    kv->val_size = r->pos - start;
    return 0;
}

static int read_tensor_info(Reader *r, GgufTensor *t, const char *name) {
    int rc = read_u32(r, &t->n_dims, name);
    if (rc) return rc;
    if (t->n_dims < 1 || t->n_dims > GGUF_MAX_DIMS)
        return FAIL(r->err, r->errlen, "tensor %s: %u dimensions (want 1 to %d)", name, t->n_dims,
                    GGUF_MAX_DIMS);
    uint64_t n = 1;
    for (uint32_t i = 0; i < t->n_dims; i++) {
        if ((rc = read_u64(r, &t->dims[i], name))) return rc;
        if (t->dims[i] == 0)
            return FAIL(r->err, r->errlen, "tensor %s: dimension %u is 0", name, i);
        if (n > UINT64_MAX / t->dims[i])
            return FAIL(r->err, r->errlen, "tensor %s: element count overflows", name);
        n *= t->dims[i];
    }
    for (uint32_t i = t->n_dims; i < GGUF_MAX_DIMS; i++) t->dims[i] = 1;
    t->n_elements = n;
    if ((rc = read_u32(r, &t->type, name)) || (rc = read_u64(r, &t->offset, name))) return rc;
    switch (t->type) {
    case GGML_F32:
    case GGML_F16: {
        uint64_t es = t->type == GGML_F32 ? 4 : 2;
        if (n > UINT64_MAX / es)
            return FAIL(r->err, r->errlen, "tensor %s: byte size overflows", name);
        t->n_bytes = n * es;
        break;
    }
    case GGML_Q8_0:
        if (t->dims[0] % Q8_BLOCK)
            return FAIL(r->err, r->errlen, "tensor %s: Q8_0 row of %llu is not a multiple of 32",
                        name, (unsigned long long)t->dims[0]);
        if (n / Q8_BLOCK > UINT64_MAX / Q8_BLOCK_BYTES)
            return FAIL(r->err, r->errlen, "tensor %s: byte size overflows", name);
        t->n_bytes = n / Q8_BLOCK * Q8_BLOCK_BYTES;
        break;
    default: return FAIL(r->err, r->errlen, "tensor %s: unknown type %u", name, t->type);
    }
    return 0;
}

static int cmp_name(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first name that occurs twice, or NULL. */
static const char *find_duplicate(const char **names, size_t n) {
    qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 1; i < n; i++)
        if (strcmp(names[i - 1], names[i]) == 0) return names[i];
    return NULL;
}

static int check_duplicates(Gguf *g, char *err, size_t errlen) {
    size_t n = (size_t)(g->n_kv > g->n_tensors ? g->n_kv : g->n_tensors);
    const char **names = malloc((n ? n : 1) * sizeof *names);
    if (!names) return err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < g->n_kv; i++) names[i] = g->kv[i].key;
    const char *dup = find_duplicate(names, (size_t)g->n_kv);
    if (dup) rc = FAIL(err, errlen, "duplicate key %s", dup);
    for (size_t i = 0; !rc && i < g->n_tensors; i++) names[i] = g->tensors[i].name;
    if (!rc && (dup = find_duplicate(names, (size_t)g->n_tensors)))
        rc = FAIL(err, errlen, "duplicate tensor %s", dup);
    free(names);
    return rc;
}

static int read_alignment(Gguf *g, char *err, size_t errlen) {
    g->alignment = GGUF_DEFAULT_ALIGNMENT;
    const GgufKV *kv = gguf_find_kv(g, "general.alignment");
    if (!kv) return 0;
    if (kv->type != GGUF_UINT32)
        return FAIL(err, errlen, "general.alignment has type %s (want u32)",
                    gguf_value_type_name(kv->type));
    uint32_t a = le32(kv->val);
    if (a == 0 || (a & (a - 1)) || a > 65536)
        return FAIL(err, errlen, "general.alignment %u is not a power of two up to 65536", a);
    g->alignment = a;
    return 0;
}

static int by_offset(const void *a, const void *b) {
    const GgufTensor *x = *(const GgufTensor *const *)a, *y = *(const GgufTensor *const *)b;
    if (x->offset != y->offset) return x->offset < y->offset ? -1 : 1;
    return x < y ? -1 : x > y; /* table order: the same message on every libc */
}

/* Two tensors sharing bytes (k_proj pointing at q_proj's, or a type relabelled so a tensor
 * runs into its neighbour) would load and translate wrongly with no sign. Sorted by offset,
 * any overlapping pair implies an overlapping neighbour pair, so one pass finds it. */
static int check_overlaps(const Gguf *g, char *err, size_t errlen) {
    if (g->n_tensors < 2) return 0;
    const GgufTensor **t = malloc((size_t)g->n_tensors * sizeof *t);
    if (!t) return err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    for (uint64_t i = 0; i < g->n_tensors; i++) t[i] = &g->tensors[i];
    qsort(t, (size_t)g->n_tensors, sizeof *t, by_offset);
    int rc = 0;
    for (uint64_t i = 1; i < g->n_tensors && !rc; i++)
        if (t[i - 1]->offset + t[i - 1]->n_bytes > t[i]->offset) /* both in the file: no wrap */
            rc = FAIL(err, errlen,
                      "tensors %s (offset %llu, %llu bytes) and %s (offset %llu, "
                      "%llu bytes) overlap",
                      t[i - 1]->name, (unsigned long long)t[i - 1]->offset,
                      (unsigned long long)t[i - 1]->n_bytes, t[i]->name,
                      (unsigned long long)t[i]->offset, (unsigned long long)t[i]->n_bytes);
    free(t);
    return rc;
}

/* Data section: starts at the first aligned offset after the tensor infos; every tensor
 * aligned, inside the file, and sharing no byte with another. */
static int bind_tensor_data(Gguf *g, size_t info_end, char *err, size_t errlen) {
    size_t a = g->alignment;
    size_t pad = (a - info_end % a) % a;
    if (g->n_tensors == 0) {
        g->data_start = info_end + pad > g->size ? g->size : info_end + pad;
        return 0;
    }
    if (pad > g->size - info_end)
        return FAIL(err, errlen,
                    "truncated file: data section would start at %zu, past the end "
                    "(%zu bytes)",
                    info_end + pad, g->size);
    g->data_start = info_end + pad;
    uint64_t data_size = g->size - g->data_start;
    for (uint64_t i = 0; i < g->n_tensors; i++) {
        GgufTensor *t = &g->tensors[i];
        if (t->offset % a)
            return FAIL(err, errlen,
                        "tensor %s: offset %llu is not a multiple of the alignment "
                        "%zu",
                        t->name, (unsigned long long)t->offset, a);
        if (t->offset > data_size || t->n_bytes > data_size - t->offset)
            return FAIL(err, errlen,
                        "tensor %s: data (offset %llu, %llu bytes) is past the end "
                        "of the file (data section holds %llu bytes)",
                        t->name, (unsigned long long)t->offset, (unsigned long long)t->n_bytes,
                        (unsigned long long)data_size);
        t->data = g->base + g->data_start + t->offset;
    }
    return check_overlaps(g, err, errlen);
}

/* First pass records where each key/name is in the map; then they are copied, NUL-terminated,
 * into one buffer whose size is bounded by the file's. */
static int copy_names(Gguf *g, const uint8_t **src, const uint64_t *lens, char *err,
                      size_t errlen) {
    uint64_t total = 0, n = g->n_kv + g->n_tensors;
    for (uint64_t i = 0; i < n; i++) total += lens[i] + 1;
    g->names = malloc((size_t)total);
    if (!g->names) return err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    char *p = g->names;
    for (uint64_t i = 0; i < n; i++) {
        memcpy(p, src[i], (size_t)lens[i]);
        p[lens[i]] = 0;
        if (i < g->n_kv) g->kv[i].key = p;
        else g->tensors[i - g->n_kv].name = p;
        p += lens[i] + 1;
    }
    return 0;
}

static int parse_header(Reader *r, Gguf *g) {
    if (g->size < HEADER_BYTES)
        return FAIL(r->err, r->errlen, "truncated file: %zu bytes, a GGUF header needs %u", g->size,
                    HEADER_BYTES);
    uint32_t magic = le32(g->base);
    if (magic != GGUF_MAGIC)
        return FAIL(r->err, r->errlen, "not a GGUF file (magic 0x%08x, want 0x%08x \"GGUF\")",
                    magic, GGUF_MAGIC);
    g->version = le32(g->base + 4);
    if (g->version != 3)
        return FAIL(r->err, r->errlen, "unsupported GGUF version %u (want 3)", g->version);
    g->n_tensors = le64(g->base + 8);
    g->n_kv = le64(g->base + 16);
    r->pos = HEADER_BYTES;
    if (g->n_kv > left(r) / MIN_KV_BYTES)
        return FAIL(r->err, r->errlen, "key count %llu cannot fit in a file of %zu bytes",
                    (unsigned long long)g->n_kv, g->size);
    if (g->n_tensors > left(r) / MIN_TENSOR_BYTES)
        return FAIL(r->err, r->errlen, "tensor count %llu cannot fit in a file of %zu bytes",
                    (unsigned long long)g->n_tensors, g->size);
    return 0;
}

static int parse(Gguf *g, char *err, size_t errlen) {
    Reader r = {g->base, g->size, 0, err, errlen};
    int rc = parse_header(&r, g);
    if (rc) return rc;
    uint64_t n = g->n_kv + g->n_tensors;
    g->kv = calloc((size_t)(g->n_kv ? g->n_kv : 1), sizeof *g->kv);
    g->tensors = calloc((size_t)(g->n_tensors ? g->n_tensors : 1), sizeof *g->tensors);
    const uint8_t **src = malloc((size_t)(n ? n : 1) * sizeof *src);
    uint64_t *lens = malloc((size_t)(n ? n : 1) * sizeof *lens);
    if (!g->kv || !g->tensors || !src || !lens) {
        rc = err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (uint64_t i = 0; i < g->n_kv && !rc; i++) {
        char key[GGUF_MAX_NAME + 1];
        if ((rc = read_name(&r, &src[i], &lens[i], "key", i))) break;
        memcpy(key, src[i], (size_t)lens[i]);
        key[lens[i]] = 0;
        rc = read_value(&r, &g->kv[i], key);
    }
    g->infos_start = r.pos;
    for (uint64_t i = 0; i < g->n_tensors && !rc; i++) {
        char name[GGUF_MAX_NAME + 1];
        uint64_t j = g->n_kv + i;
        if ((rc = read_name(&r, &src[j], &lens[j], "tensor name", i))) break;
        memcpy(name, src[j], (size_t)lens[j]);
        name[lens[j]] = 0;
        rc = read_tensor_info(&r, &g->tensors[i], name);
    }
    if (!rc) rc = copy_names(g, src, lens, err, errlen);
    if (!rc) rc = check_duplicates(g, err, errlen);
    if (!rc) rc = read_alignment(g, err, errlen);
    if (!rc) rc = bind_tensor_data(g, r.pos, err, errlen);
out:
    free(src);
    free(lens);
    return rc;
}

int gguf_open_memory(Gguf *g, const void *data, size_t size, char *err, size_t errlen) {
    memset(g, 0, sizeof *g);
    g->base = data;
    g->size = size;
    int rc = parse(g, err, errlen);
    if (rc) gguf_close(g);
    return rc;
}

int gguf_open(Gguf *g, const char *path, char *err, size_t errlen) {
    memset(g, 0, sizeof *g);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        FAIL(err, errlen, "%s: %s", path, strerror(errno));
        return ANUVAD_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        FAIL(err, errlen, "%s: %s", path, strerror(e));
        return ANUVAD_ERR_IO;
    }
    if (!S_ISREG(st.st_mode) || st.st_size == 0) {
        int regular = S_ISREG(st.st_mode);
        close(fd);
        FAIL(err, errlen, "%s: %s", path,
             S_ISDIR(st.st_mode) ? "is a directory"
             : !regular          ? "not a regular file"
                                 : "empty file, not a GGUF model");
        return regular ? ANUVAD_ERR_FORMAT : ANUVAD_ERR_IO;
    }
    if ((uint64_t)st.st_size > SIZE_MAX) {
        close(fd);
        FAIL(err, errlen, "%s: file too large to map", path);
        return ANUVAD_ERR_IO;
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (map == MAP_FAILED) {
        FAIL(err, errlen, "%s: cannot map: %s", path, strerror(e));
        return ANUVAD_ERR_IO;
    }
    char msg[512];
    int rc = gguf_open_memory(g, map, (size_t)st.st_size, msg, sizeof msg);
    if (rc) {
        munmap(map, (size_t)st.st_size);
        FAIL(err, errlen, "%s: %s", path, msg);
        return rc;
    }
    g->mapped = 1;
    return 0;
}

void gguf_release(const Gguf *g, const void *p, size_t n) {
    long page = sysconf(_SC_PAGESIZE);
    if (!g->mapped || page <= 0) return;
    uintptr_t a = ((uintptr_t)p + (uintptr_t)page - 1) / (uintptr_t)page * (uintptr_t)page;
    uintptr_t e = ((uintptr_t)p + n) / (uintptr_t)page * (uintptr_t)page;
    /* A private read-only map that was never written: dropped pages read back from the file. */
    if (e > a) madvise((void *)a, e - a, MADV_DONTNEED);
}

void gguf_close(Gguf *g) {
    if (!g) return;
    if (g->mapped && g->base) munmap((void *)g->base, g->size);
    free(g->kv);
    free(g->tensors);
    free(g->names);
    memset(g, 0, sizeof *g);
}

const GgufKV *gguf_find_kv(const Gguf *g, const char *key) {
    for (uint64_t i = 0; i < g->n_kv; i++)
        if (g->kv[i].key && strcmp(g->kv[i].key, key) == 0) return &g->kv[i];
    return NULL;
}

long gguf_tensor_index(const Gguf *g, const char *name) {
    for (uint64_t i = 0; i < g->n_tensors; i++)
        if (strcmp(g->tensors[i].name, name) == 0) return (long)i;
    return -1;
}

const GgufTensor *gguf_find_tensor(const Gguf *g, const char *name) {
    long i = gguf_tensor_index(g, name);
    return i < 0 ? NULL : &g->tensors[i];
}

static int get_typed(const Gguf *g, const char *key, uint32_t type, const GgufKV **kv, char *err,
                     size_t errlen) {
    *kv = gguf_find_kv(g, key);
    if (!*kv) return FAIL(err, errlen, "missing key %s", key);
    if ((*kv)->type != type)
        return FAIL(err, errlen, "key %s has type %s (want %s)", key,
                    gguf_value_type_name((*kv)->type), gguf_value_type_name(type));
    return 0;
}

int gguf_get_u32(const Gguf *g, const char *key, uint32_t *out, char *err, size_t errlen) {
    const GgufKV *kv;
    int rc = get_typed(g, key, GGUF_UINT32, &kv, err, errlen);
    if (!rc) *out = le32(kv->val);
    return rc;
}

int gguf_get_f32(const Gguf *g, const char *key, float *out, char *err, size_t errlen) {
    const GgufKV *kv;
    int rc = get_typed(g, key, GGUF_FLOAT32, &kv, err, errlen);
    if (!rc) {
        uint32_t bits = le32(kv->val);
        memcpy(out, &bits, sizeof *out);
    }
    return rc;
}

int gguf_get_bool(const Gguf *g, const char *key, int *out, char *err, size_t errlen) {
    const GgufKV *kv;
    int rc = get_typed(g, key, GGUF_BOOL, &kv, err, errlen);
    if (!rc) *out = kv->val[0];
    return rc;
}

int gguf_get_str(const Gguf *g, const char *key, GgufStr *out, char *err, size_t errlen) {
    const GgufKV *kv;
    int rc = get_typed(g, key, GGUF_STRING, &kv, err, errlen);
    if (!rc) {
        out->s = (const char *)kv->val;
        out->len = (size_t)kv->val_size;
    }
    return rc;
}

static int get_array(const Gguf *g, const char *key, uint32_t elem, const GgufKV **kv, char *err,
                     size_t errlen) {
    int rc = get_typed(g, key, GGUF_ARRAY, kv, err, errlen);
    if (rc) return rc;
    if ((*kv)->arr_type != elem)
        return FAIL(err, errlen, "key %s is an array of %s (want %s)", key,
                    gguf_value_type_name((*kv)->arr_type), gguf_value_type_name(elem));
    return 0;
}

int gguf_get_bytes(const Gguf *g, const char *key, const uint8_t **data, size_t *n, char *err,
                   size_t errlen) {
    const GgufKV *kv;
    int rc = get_array(g, key, GGUF_UINT8, &kv, err, errlen);
    if (!rc) {
        *data = kv->val;
        *n = (size_t)kv->arr_n;
    }
    return rc;
}

int gguf_get_str_array(const Gguf *g, const char *key, GgufStr **out, size_t *n, char *err,
                       size_t errlen) {
    const GgufKV *kv;
    int rc = get_array(g, key, GGUF_STRING, &kv, err, errlen);
    if (rc) return rc;
    /* Lengths were validated when the file was opened; arr_n <= file size / 8. */
    GgufStr *v = malloc((size_t)(kv->arr_n ? kv->arr_n : 1) * sizeof *v);
    if (!v) return err_set(err, errlen, ANUVAD_ERR_NOMEM, "out of memory");
    const uint8_t *p = kv->val;
    for (uint64_t i = 0; i < kv->arr_n; i++) {
        uint64_t len = le64(p);
        v[i].s = (const char *)p + 8;
        v[i].len = (size_t)len;
        p += 8 + len;
    }
    *out = v;
    *n = (size_t)kv->arr_n;
    return 0;
}
