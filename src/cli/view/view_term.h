/* Raw terminal input and full-screen output for `anuvad step` (view_term.c). */
#ifndef ANUVAD_VIEW_TERM_H
#define ANUVAD_VIEW_TERM_H

#include <stddef.h>

enum {
    TERM_KEY_NONE = -1,
    TERM_KEY_EOF = -2,
    TERM_KEY_NEXT = -3,
    TERM_KEY_BACK = -4,
    TERM_KEY_UP = -5,
    TERM_KEY_DOWN = -6
};

/* Raw mode + alternate screen; restored by term_restore, at exit, and on SIGINT/TERM/HUP/QUIT.
 * -1 if stdin is not a terminal. */
int term_start(void);
void term_restore(void);
/* Clear the screen and draw it. */
void term_show(const char *screen, size_t n);
int term_columns(void);
int term_rows(void);
/* The next key: a character, or TERM_KEY_*; TERM_KEY_NONE after timeout_ms (-1: wait). */
int term_key(int timeout_ms);

#endif
