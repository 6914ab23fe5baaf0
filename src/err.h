/* Errors are values: a failing function writes one line into the caller's buffer and returns
 * a status. Every module of the library writes its messages through err_set. */
#ifndef ANUVAD_ERR_H
#define ANUVAD_ERR_H

#include <stddef.h>

/* printf-style message into err (nothing when err is NULL or errlen is 0); returns code, so
 * that `return err_set(err, errlen, ANUVAD_ERR_FORMAT, "...", ...)` reports and fails. */
int err_set(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
