/* The terminal for `anuvad step`: raw keys (no echo, no line buffering; signals still work),
 * the alternate screen, the cursor hidden — and all of it put back on exit and on a fatal
 * signal, so a Ctrl-C never leaves the shell without echo. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "view_term.h"

/* CLI state, not library state: one terminal per process. */
static struct termios saved;
static volatile sig_atomic_t raw_on;

static void write_all(const char *s, size_t n) {
    while (n > 0) {
        ssize_t k = write(STDOUT_FILENO, s, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return;
        s += k;
        n -= (size_t)k;
    }
}

#define LEAVE "\x1b[0m\x1b[?25h\x1b[?1049l"

void term_restore(void) {
    if (!raw_on) return;
    raw_on = 0;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    write_all(LEAVE, sizeof LEAVE - 1);   /* async-signal-safe: write(2) only */
}

static void on_signal(int sig) {
    term_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

int term_start(void) {
    if (tcgetattr(STDIN_FILENO, &saved)) return -1;
    struct termios t = saved;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    t.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSADRAIN, &t)) return -1;   /* keys typed ahead are kept */
    raw_on = 1;
    atexit(term_restore);
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) signal(sigs[i], on_signal);
    static const char enter[] = "\x1b[?1049h\x1b[?25l";
    write_all(enter, sizeof enter - 1);
    return 0;
}

void term_show(const char *screen, size_t n) {
    static const char home[] = "\x1b[H\x1b[2J";
    write_all(home, sizeof home - 1);
    write_all(screen, n);
}

int term_columns(void) {
    struct winsize w;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col >= 20) return w.ws_col;
    return 80;
}

int term_rows(void) {
    struct winsize w;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_row >= 5) return w.ws_row;
    return 24;
}

/* Escape sequences for the arrow keys become their letters (→ next, ← back). */
static int decode_key(const unsigned char *s, ssize_t n) {
    if (n >= 3 && s[0] == 0x1b && (s[1] == '[' || s[1] == 'O')) {
        if (s[2] == 'C') return TERM_KEY_NEXT;
        if (s[2] == 'D') return TERM_KEY_BACK;
        if (s[2] == 'A') return TERM_KEY_UP;
        if (s[2] == 'B') return TERM_KEY_DOWN;
        return TERM_KEY_NONE;
    }
    if (n == 1 && s[0] == 0x1b) return 'q';
    if (s[0] == '\r' || s[0] == '\n' || s[0] == ' ') return TERM_KEY_NEXT;
    return s[0];
}

int term_key(int timeout_ms) {
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    int r = poll(&p, 1, timeout_ms);
    if (r == 0) return TERM_KEY_NONE;
    if (r < 0) return errno == EINTR ? TERM_KEY_NONE : TERM_KEY_EOF;
    unsigned char buf[16];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n <= 0) return n < 0 && errno == EINTR ? TERM_KEY_NONE : TERM_KEY_EOF;
    return decode_key(buf, n);
}
