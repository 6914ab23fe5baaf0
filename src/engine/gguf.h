/* GGUF v3 reader (docs/format.md): maps a file, validates every count, length, type, shape
 * and offset before anything is used, then hands out typed views. Never prints. */
#ifndef ANUVAD_GGUF_H
#define ANUVAD_GGUF_H

#include <stddef.h>
#include <stdint.h>

enum {
    GGUF_UINT8 = 0,
    GGUF_INT8 = 1,
    GGUF_UINT16 = 2,
    GGUF_INT16 = 3,
    GGUF_UINT32 = 4,
    GGUF_INT32 = 5,
    GGUF_FLOAT32 = 6,
    GGUF_BOOL = 7,
    GGUF_STRING = 8,
    GGUF_ARRAY = 9,
    GGUF_UINT64 = 10,
    GGUF_INT64 = 11,
    GGUF_FLOAT64 = 12
};
enum { GGML_F32 = 0, GGML_F16 = 1, GGML_Q8_0 = 8 };

#define GGUF_MAX_DIMS 4

typedef struct {
    const char *key;    /* NUL-terminated copy */
    uint32_t type;      /* GGUF_* */
    uint32_t arr_type;  /* element type when type == GGUF_ARRAY */
    uint64_t arr_n;     /* element count when type == GGUF_ARRAY */
    const uint8_t *val; /* value bytes in the map (after the type / array header) */
    uint64_t val_size;  /* bytes of the value (strings: without the u64 length) */
} GgufKV;

typedef struct {
    const char *name; /* NUL-terminated copy */
    uint32_t n_dims;
    uint64_t dims[GGUF_MAX_DIMS]; /* GGML order: dims[0] is the innermost axis */
    uint32_t type;                /* GGML_* */
    uint64_t offset;              /* from the start of the data section */
    uint64_t n_elements;
    uint64_t n_bytes;
    const void *data; /* inside the map */
} GgufTensor;

typedef struct {
    const uint8_t *base; /* the mapped (or caller's) bytes */
    size_t size;
    int mapped; /* 1: base is our mmap, unmapped by gguf_close */
    uint32_t version;
    uint32_t alignment;
    uint64_t n_kv, n_tensors;
    GgufKV *kv;
    GgufTensor *tensors;
    size_t infos_start; /* the tensor infos follow the key/value section here */
    size_t data_start;
    char *names; /* storage for the NUL-terminated keys and names */
} Gguf;

/* A string value: bytes in the map, not NUL-terminated. */
typedef struct {
    const char *s;
    size_t len;
} GgufStr;

/* Map and validate `path`. On failure returns an ANUVAD_ERR_* code, *g is left closed. */
int gguf_open(Gguf *g, const char *path, char *err, size_t errlen);
/* Validate bytes already in memory (tests, fuzzing). `data` must outlive *g. */
int gguf_open_memory(Gguf *g, const void *data, size_t size, char *err, size_t errlen);
void gguf_close(Gguf *g);
/* Tells the kernel the mapped bytes [p, p + n) will not be read again (a tensor used only
 * through a copy): the whole pages inside leave the resident set. Nothing when not mapped. */
void gguf_release(const Gguf *g, const void *p, size_t n);

const GgufKV *gguf_find_kv(const Gguf *g, const char *key);
const GgufTensor *gguf_find_tensor(const Gguf *g, const char *name);
/* Index of a tensor in g->tensors, or -1. */
long gguf_tensor_index(const Gguf *g, const char *name);

/* Typed getters: ANUVAD_OK, or an error naming the key (missing or wrong type). */
int gguf_get_u32(const Gguf *g, const char *key, uint32_t *out, char *err, size_t errlen);
int gguf_get_f32(const Gguf *g, const char *key, float *out, char *err, size_t errlen);
int gguf_get_bool(const Gguf *g, const char *key, int *out, char *err, size_t errlen);
int gguf_get_str(const Gguf *g, const char *key, GgufStr *out, char *err, size_t errlen);
/* An array of u8 (e.g. a SentencePiece model). */
int gguf_get_bytes(const Gguf *g, const char *key, const uint8_t **data, size_t *n, char *err,
                   size_t errlen);
/* An array of strings: *out is a malloc'd array of *n views into the map. */
int gguf_get_str_array(const Gguf *g, const char *key, GgufStr **out, size_t *n, char *err,
                       size_t errlen);

const char *gguf_type_name(uint32_t ggml_type);
const char *gguf_value_type_name(uint32_t gguf_type);

#endif
