/* The protobuf wire reader on hand-made byte strings: each wire type, limits of varints,
 * lengths against their parent, groups and unknown wire types rejected. */
#include <check.h>
#include <string.h>

#include "check_run.h"
#include "spm/pb.h"

static int read_all(const char *bytes, size_t n, PbField *last, const char **why) {
    PbReader r;
    PbField f;
    int rc, count = 0;
    pb_init(&r, bytes, n);
    while ((rc = pb_next(&r, &f, why)) > 0) {
        count++;
        if (last) *last = f;
    }
    return rc < 0 ? -1 : count;
}

START_TEST(test_each_wire_type) {
    /* field 1 varint 300; field 2 fixed64; field 3 "abc"; field 4 fixed32 1.5f */
    const char msg[] = "\x08\xac\x02"
                       "\x11\x01\x02\x03\x04\x05\x06\x07\x08"
                       "\x1a\x03"
                       "abc"
                       "\x25\x00\x00\xc0\x3f";
    PbReader r;
    PbField f;
    const char *why;
    pb_init(&r, msg, sizeof msg - 1);
    ck_assert_int_eq(pb_next(&r, &f, &why), 1);
    ck_assert_uint_eq(f.field, 1);
    ck_assert_int_eq(f.wire, PB_VARINT);
    ck_assert_uint_eq(f.u, 300);
    ck_assert_int_eq(pb_next(&r, &f, &why), 1);
    ck_assert_int_eq(f.wire, PB_FIXED64);
    ck_assert_uint_eq(f.u, 0x0807060504030201ull);
    ck_assert_int_eq(pb_next(&r, &f, &why), 1);
    ck_assert_int_eq(f.wire, PB_LEN);
    ck_assert_uint_eq(f.len, 3);
    ck_assert_int_eq(memcmp(f.data, "abc", 3), 0);
    ck_assert_int_eq(pb_next(&r, &f, &why), 1);
    ck_assert_int_eq(f.wire, PB_FIXED32);
    ck_assert(pb_float(&f) == 1.5f);
    ck_assert_int_eq(pb_next(&r, &f, &why), 0);
}
END_TEST

START_TEST(test_varint_limits) {
    const char *why;
    PbField f;
    /* 10-byte varint with the top bit set: UINT64_MAX */
    const char max[] = "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01";
    ck_assert_int_eq(read_all(max, sizeof max - 1, &f, &why), 1);
    ck_assert_uint_eq(f.u, UINT64_MAX);
    const char over[] = "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02";
    ck_assert_int_eq(read_all(over, sizeof over - 1, NULL, &why), -1);
    ck_assert_str_eq(why, "varint longer than 64 bits");
    const char eleven[] = "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x81\x01";
    ck_assert_int_eq(read_all(eleven, sizeof eleven - 1, NULL, &why), -1);
    const char trunc[] = "\x08\xff\xff";
    ck_assert_int_eq(read_all(trunc, sizeof trunc - 1, NULL, &why), -1);
    ck_assert_str_eq(why, "truncated varint");
    const char key_trunc[] = "\x88";
    ck_assert_int_eq(read_all(key_trunc, 1, NULL, &why), -1);
}
END_TEST

START_TEST(test_lengths) {
    const char *why;
    const char past[] = "\x0a\x05"
                        "abc";
    ck_assert_int_eq(read_all(past, sizeof past - 1, NULL, &why), -1);
    ck_assert_str_eq(why, "length past the end of its message");
    /* A huge length must not wrap the pointer arithmetic. */
    const char huge[] = "\x0a\xff\xff\xff\xff\xff\xff\xff\xff\x7f"
                        "x";
    ck_assert_int_eq(read_all(huge, sizeof huge - 1, NULL, &why), -1);
    /* The nested reader stays inside its parent: a length valid for the whole buffer but
     * not for the sub-message is refused. */
    const char nested[] = "\x0a\x02\x0a\x05"
                          "abcde";
    PbField f;
    ck_assert_int_eq(read_all(nested, sizeof nested - 1, &f, &why), -1);
    PbReader r;
    pb_init(&r, nested, sizeof nested - 1);
    ck_assert_int_eq(pb_next(&r, &f, &why), 1);
    ck_assert_uint_eq(f.len, 2);
    PbReader sub;
    pb_init(&sub, f.data, f.len);
    ck_assert_int_eq(pb_next(&sub, &f, &why), -1);
    const char empty[] = "\x0a\x00";
    ck_assert_int_eq(read_all(empty, 2, &f, &why), 1);
    ck_assert_uint_eq(f.len, 0);
    const char fixed[] = "\x0d\x01\x02";
    ck_assert_int_eq(read_all(fixed, sizeof fixed - 1, NULL, &why), -1);
    const char fixed64[] = "\x09\x01\x02\x03\x04\x05\x06\x07";
    ck_assert_int_eq(read_all(fixed64, sizeof fixed64 - 1, NULL, &why), -1);
}
END_TEST

START_TEST(test_bad_keys) {
    const char *why;
    ck_assert_int_eq(read_all("\x0b", 1, NULL, &why), -1); /* start group */
    ck_assert_str_eq(why, "group wire type (3/4) is not supported");
    ck_assert_int_eq(read_all("\x0c", 1, NULL, &why), -1); /* end group */
    ck_assert_int_eq(read_all("\x0e", 1, NULL, &why), -1); /* wire type 6 */
    ck_assert_str_eq(why, "unknown wire type");
    ck_assert_int_eq(read_all("\x0f", 1, NULL, &why), -1);     /* wire type 7 */
    ck_assert_int_eq(read_all("\x00\x00", 2, NULL, &why), -1); /* field 0 */
    ck_assert_str_eq(why, "bad field number");
    ck_assert_int_eq(read_all("", 0, NULL, &why), 0);
}
END_TEST

int main(void) {
    Suite *s = suite_create("pb");
    TCase *tc = tcase_create("wire");
    tcase_add_test(tc, test_each_wire_type);
    tcase_add_test(tc, test_varint_limits);
    tcase_add_test(tc, test_lengths);
    tcase_add_test(tc, test_bad_keys);
    suite_add_tcase(s, tc);
    return check_run(s);
}
