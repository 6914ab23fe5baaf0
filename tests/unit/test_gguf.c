/* GGUF reader: a valid file reads back; each malformed variant (built here from the valid one)
 * gives its own one-line error and no crash. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anuvad.h"
#include "check_run.h"
#include "engine/gguf.h"
#include "gguf_builder.h"

static uint8_t *file;
static size_t file_len;
static GbLayout lay;
/* Byte offsets of fields patched by the tests. */
static size_t t0_info, arch_type, strs_count;

static void build(void) {
    GgufBuilder g;
    gb_init(&g);
    gb_kv_str(&g, "general.architecture", "anuvad");
    gb_kv_u32(&g, "general.alignment", 32);
    gb_kv_u32(&g, "a.u32", 7);
    gb_kv_f32(&g, "a.f32", 0.5f);
    gb_kv_bool(&g, "a.bool", 1);
    gb_kv_bytes(&g, "a.bytes", "xyz", 3);
    const char *strs[] = {"<pad>", "", "▁hello"};
    size_t before_strs = g.kv.len;
    gb_kv_strs(&g, "a.strs", strs, 3);
    float t0[6] = {1, 2, 3, 4, 5, 6};
    uint16_t t1[4] = {0x3c00, 0x4000, 0, 0xbc00};
    gb_tensor(&g, "t0", 2, (uint64_t[]){3, 2}, 0, t0);
    gb_tensor(&g, "t1", 1, (uint64_t[]){4}, 1, t1);
    file = gb_finish(&g, &file_len, &lay);
    gb_free(&g);
    t0_info = lay.info_start + 8 + 2;  /* n_dims of "t0" */
    arch_type = lay.kv_start + 8 + 20; /* type of general.architecture */
    strs_count = lay.kv_start + before_strs + 8 + 6 + 4 + 4;
}

static void teardown(void) { free(file); }

static void put32(uint8_t *b, size_t at, uint32_t v) { memcpy(b + at, &v, 4); }
static void put64(uint8_t *b, size_t at, uint64_t v) { memcpy(b + at, &v, 8); }

/* Open a copy of the valid file, patched by `patch`, cut to `len`; expect failure with `want`
 * in the message. */
static void expect_error(size_t len, void (*patch)(uint8_t *), const char *want) {
    uint8_t *b = malloc(file_len);
    memcpy(b, file, file_len);
    if (patch) patch(b);
    Gguf g;
    char err[256] = "";
    int rc = gguf_open_memory(&g, b, len, err, sizeof err);
    ck_assert_int_eq(rc, ANUVAD_ERR_FORMAT);
    ck_assert_msg(strstr(err, want), "want \"%s\" in \"%s\"", want, err);
    ck_assert_ptr_null(strchr(err, '\n'));
    free(b);
}

START_TEST(valid_file_reads_back) {
    Gguf g;
    char err[256];
    ck_assert_int_eq(gguf_open_memory(&g, file, file_len, err, sizeof err), 0);
    ck_assert_uint_eq(g.n_kv, 7);
    ck_assert_uint_eq(g.n_tensors, 2);
    uint32_t u;
    float f;
    int b;
    GgufStr s;
    ck_assert_int_eq(gguf_get_u32(&g, "a.u32", &u, err, sizeof err), 0);
    ck_assert_uint_eq(u, 7);
    ck_assert_int_eq(gguf_get_f32(&g, "a.f32", &f, err, sizeof err), 0);
    ck_assert(f == 0.5f);
    ck_assert_int_eq(gguf_get_bool(&g, "a.bool", &b, err, sizeof err), 0);
    ck_assert_int_eq(b, 1);
    ck_assert_int_eq(gguf_get_str(&g, "general.architecture", &s, err, sizeof err), 0);
    ck_assert(s.len == 6 && memcmp(s.s, "anuvad", 6) == 0);
    const uint8_t *bytes;
    size_t n;
    ck_assert_int_eq(gguf_get_bytes(&g, "a.bytes", &bytes, &n, err, sizeof err), 0);
    ck_assert(n == 3 && memcmp(bytes, "xyz", 3) == 0);
    GgufStr *v;
    ck_assert_int_eq(gguf_get_str_array(&g, "a.strs", &v, &n, err, sizeof err), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert(v[0].len == 5 && memcmp(v[0].s, "<pad>", 5) == 0);
    ck_assert_uint_eq(v[1].len, 0);
    ck_assert(v[2].len == strlen("▁hello") && memcmp(v[2].s, "▁hello", v[2].len) == 0);
    free(v);
    const GgufTensor *t = gguf_find_tensor(&g, "t0");
    ck_assert_ptr_nonnull(t);
    ck_assert(t->n_dims == 2 && t->dims[0] == 3 && t->dims[1] == 2 && t->type == GGML_F32);
    ck_assert(((const float *)t->data)[5] == 6.0f);
    ck_assert_uint_eq(((uintptr_t)t->data - (uintptr_t)file) % 32, 0);
    t = gguf_find_tensor(&g, "t1");
    ck_assert(t && t->type == GGML_F16 && t->n_bytes == 8 && t->offset == 32);
    ck_assert_ptr_null(gguf_find_tensor(&g, "t2"));
    gguf_close(&g);
}
END_TEST

START_TEST(getters_name_missing_and_mistyped_keys) {
    Gguf g;
    char err[256];
    uint32_t u;
    GgufStr s;
    const uint8_t *bytes;
    size_t n;
    ck_assert_int_eq(gguf_open_memory(&g, file, file_len, err, sizeof err), 0);
    ck_assert_int_eq(gguf_get_u32(&g, "nope", &u, err, sizeof err), ANUVAD_ERR_FORMAT);
    ck_assert_str_eq(err, "missing key nope");
    ck_assert_int_eq(gguf_get_str(&g, "a.u32", &s, err, sizeof err), ANUVAD_ERR_FORMAT);
    ck_assert_str_eq(err, "key a.u32 has type u32 (want string)");
    ck_assert_int_eq(gguf_get_bytes(&g, "a.strs", &bytes, &n, err, sizeof err), ANUVAD_ERR_FORMAT);
    ck_assert_str_eq(err, "key a.strs is an array of string (want u8)");
    gguf_close(&g);
}
END_TEST

START_TEST(every_truncation_fails_cleanly) {
    /* Every prefix of the file shorter than its last tensor's end is refused. */
    size_t last_end = lay.data_start + 32 + 8;
    for (size_t len = 0; len < last_end; len++) {
        Gguf g;
        char err[256] = "";
        int rc = gguf_open_memory(&g, file, len, err, sizeof err);
        ck_assert_msg(rc == ANUVAD_ERR_FORMAT, "length %zu accepted", len);
        ck_assert(err[0]);
    }
}
END_TEST

static void p_one_key(uint8_t *b) {
    put64(b, 8, 0);
    put64(b, 16, 1);
}

START_TEST(truncations_name_their_section) {
    expect_error(10, NULL, "truncated file: 10 bytes, a GGUF header needs 24");
    expect_error(lay.kv_start + 4, NULL, "key count 7 cannot fit in a file of 28 bytes");
    expect_error(lay.kv_start + 20, p_one_key, "key 0: string length 20 at offset 24 is past");
    expect_error(lay.info_start + 3, NULL, "truncated file: tensor name 0 needs 8 bytes");
    expect_error(lay.info_start + 20, NULL, "truncated file: t0 needs 8 bytes");
    expect_error(lay.data_start + 10, NULL, "tensor t0: data (offset 0, 24 bytes) is past the end");
}
END_TEST

static void p_magic(uint8_t *b) { memcpy(b, "GGML", 4); }
static void p_version(uint8_t *b) { put32(b, 4, 2); }
static void p_huge_tensors(uint8_t *b) { put64(b, 8, UINT64_MAX); }
static void p_huge_kv(uint8_t *b) { put64(b, 16, 1ull << 40); }
static void p_key_len(uint8_t *b) { put64(b, lay.kv_start, UINT64_MAX - 3); }
static void p_key_empty(uint8_t *b) { put64(b, lay.kv_start, 0); }
static void p_value_type(uint8_t *b) { put32(b, arch_type, 13); }
static void p_str_len(uint8_t *b) { put64(b, arch_type + 4, 1ull << 50); }
static void p_arr_count(uint8_t *b) { put64(b, strs_count, 1ull << 60); }
static void p_nested(uint8_t *b) { put32(b, strs_count - 4, 9); }
static void p_arr_type(uint8_t *b) { put32(b, strs_count - 4, 99); }
static void p_ndims0(uint8_t *b) { put32(b, t0_info, 0); }
static void p_ndims5(uint8_t *b) { put32(b, t0_info, 5); }
static void p_dim0(uint8_t *b) { put64(b, t0_info + 12, 0); }
static void p_dims_overflow(uint8_t *b) {
    put64(b, t0_info + 4, 1ull << 33);
    put64(b, t0_info + 12, 1ull << 33);
}
static void p_bytes_overflow(uint8_t *b) {
    put64(b, t0_info + 4, 1ull << 31);
    put64(b, t0_info + 12, 1ull << 32);
}
static void p_ttype(uint8_t *b) { put32(b, t0_info + 20, 7); }
static void p_offset_end(uint8_t *b) { put64(b, t0_info + 24, 1ull << 40); }
static void p_offset_wrap(uint8_t *b) { put64(b, t0_info + 24, UINT64_MAX - 31); }
static void p_misaligned(uint8_t *b) { put64(b, t0_info + 24, 4); }
static uint8_t *find(uint8_t *b, const char *s) {
    for (size_t i = 0; i + strlen(s) <= file_len; i++)
        if (memcmp(b + i, s, strlen(s)) == 0) return b + i;
    ck_abort_msg("%s not in the file", s);
    return NULL;
}
static void p_dup_key(uint8_t *b) { memcpy(find(b, "a.u32"), "a.f32", 5); }
static void p_dup_tensor(uint8_t *b) { b[lay.info_start + 8 + 1] = '1'; }
static void p_align(uint8_t *b) { put32(b, lay.kv_start + 8 + 20 + 4 + 8 + 6 + 8 + 17 + 4, 24); }
static void p_bool(uint8_t *b) {
    find(b, "a.bool")[6 + 4] = 2; /* the value byte after the key and its type */
}
static void p_nul_name(uint8_t *b) { b[lay.info_start + 8] = 0; }
static void p_q8_row(uint8_t *b) { put32(b, t0_info + 20, 8); }
/* t1's offset (after t0's 32-byte info and t1's 8 + 2 + 4 + 8 + 4) moved onto t0's bytes. */
static void p_overlap(uint8_t *b) { put64(b, t0_info + 32 + 26, 0); }

START_TEST(malformed_table) {
    static const struct {
        void (*patch)(uint8_t *);
        const char *want;
    } cases[] = {
        {p_magic, "not a GGUF file (magic 0x4c4d4747"},
        {p_version, "unsupported GGUF version 2 (want 3)"},
        {p_huge_tensors, "tensor count 18446744073709551615 cannot fit"},
        {p_huge_kv, "key count 1099511627776 cannot fit"},
        {p_key_len, "key 0: string length 18446744073709551612"},
        {p_key_empty, "key 0 is empty"},
        {p_value_type, "key general.architecture: unknown value type 13"},
        {p_str_len, "general.architecture: string length 1125899906842624"},
        {p_arr_count, "key a.strs: array of 1152921504606846976 strings cannot fit"},
        {p_nested, "key a.strs: nested arrays are not supported"},
        {p_arr_type, "key a.strs: unknown array element type 99"},
        {p_ndims0, "tensor t0: 0 dimensions (want 1 to 4)"},
        {p_ndims5, "tensor t0: 5 dimensions (want 1 to 4)"},
        {p_dim0, "tensor t0: dimension 1 is 0"},
        {p_dims_overflow, "tensor t0: element count overflows"},
        {p_bytes_overflow, "tensor t0: byte size overflows"},
        {p_ttype, "tensor t0: unknown type 7"},
        {p_offset_end, "tensor t0: data (offset 1099511627776, 24 bytes) is past the end"},
        {p_offset_wrap, "tensor t0: data (offset 18446744073709551584"},
        {p_misaligned, "tensor t0: offset 4 is not a multiple of the alignment 32"},
        {p_dup_key, "duplicate key a.f32"},
        {p_dup_tensor, "duplicate tensor t1"},
        {p_align, "general.alignment 24 is not a power of two"},
        {p_bool, "key a.bool: bool value 2 is not 0 or 1"},
        {p_nul_name, "tensor name 0 contains a NUL byte"},
        {p_q8_row, "tensor t0: Q8_0 row of 3 is not a multiple of 32"},
        {p_overlap, "tensors t0 (offset 0, 24 bytes) and t1 (offset 0, 8 bytes) overlap"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_error(file_len, cases[i].patch, cases[i].want);
}
END_TEST

START_TEST(open_reports_io_problems) {
    Gguf g;
    char err[256];
    ck_assert_int_eq(gguf_open(&g, "/nonexistent/x.gguf", err, sizeof err), ANUVAD_ERR_IO);
    ck_assert_str_eq(err, "/nonexistent/x.gguf: No such file or directory");
    ck_assert_int_eq(gguf_open(&g, "/", err, sizeof err), ANUVAD_ERR_IO);
    ck_assert_str_eq(err, "/: is a directory");
    char path[] = "/tmp/anuvad_test_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(gguf_open(&g, path, err, sizeof err), ANUVAD_ERR_FORMAT);
    ck_assert(strstr(err, "empty file"));
    ck_assert_int_eq(write(fd, file, 30), 30);
    ck_assert_int_eq(gguf_open(&g, path, err, sizeof err), ANUVAD_ERR_FORMAT);
    ck_assert(strstr(err, path) == err && strstr(err, "key count 7 cannot fit"));
    ck_assert_int_eq(ftruncate(fd, 0), 0);
    ck_assert_int_eq(pwrite(fd, file, file_len, 0), (ssize_t)file_len);
    ck_assert_int_eq(gguf_open(&g, path, err, sizeof err), 0);
    ck_assert(gguf_find_tensor(&g, "t1") != NULL);
    gguf_close(&g);
    close(fd);
    unlink(path);
}
END_TEST

int main(void) {
    Suite *s = suite_create("gguf");
    TCase *tc = tcase_create("reader");
    tcase_add_checked_fixture(tc, build, teardown);
    tcase_add_test(tc, valid_file_reads_back);
    tcase_add_test(tc, getters_name_missing_and_mistyped_keys);
    tcase_add_test(tc, every_truncation_fails_cleanly);
    tcase_add_test(tc, truncations_name_their_section);
    tcase_add_test(tc, malformed_table);
    tcase_add_test(tc, open_reports_io_problems);
    suite_add_tcase(s, tc);
    return check_run(s);
}
