/* A bounds-checked protobuf wire-format reader (specs/sentencepiece.md, "Protobuf wire format").
 * It walks one message's (key, value) pairs; a length-delimited value is handed back as a byte
 * range that lies inside the message, to be read with a nested PbReader. No allocation. */
#ifndef ANUVAD_PB_H
#define ANUVAD_PB_H

#include <stddef.h>
#include <stdint.h>

enum { PB_VARINT = 0, PB_FIXED64 = 1, PB_LEN = 2, PB_FIXED32 = 5 };

typedef struct {
    const uint8_t *p;   /* next byte to read */
    const uint8_t *end; /* one past the message's last byte */
} PbReader;

typedef struct {
    uint32_t field;      /* field number (>= 1) */
    int wire;            /* PB_VARINT, PB_FIXED64, PB_LEN or PB_FIXED32 */
    uint64_t u;          /* the value for VARINT/FIXED64/FIXED32 */
    const uint8_t *data; /* PB_LEN: the bytes, inside the message */
    size_t len;
} PbField;

void pb_init(PbReader *r, const void *data, size_t len);

/* Reads the next field: 1 on success, 0 at the clean end of the message, -1 on malformed
 * input with *why set to a static description. Groups (wire types 3/4) are rejected. */
int pb_next(PbReader *r, PbField *f, const char **why);

/* Reads one varint of at most 10 bytes from [*p, end): 0 ok, -1 truncated or too long. */
int pb_read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out, const char **why);

/* The value of a fixed32 field as a float (IEEE-754, little-endian on the wire). */
float pb_float(const PbField *f);

#endif
