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
    write_all(LEAVE, sizeof LEAVE - 1); /* async-signal-safe: write(2) only */
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
    if (tcsetattr(STDIN_FILENO, TCSADRAIN, &t)) return -1; /* keys typed ahead are kept */
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

/* The key at the start of s[0..n), and in *used how many bytes it took: escape sequences for
 * the arrow keys become TERM_KEY_*, a lone Escape quits. */
static int decode_key(const unsigned char *s, size_t n, size_t *used) {
    *used = 1;
    if (n >= 3 && s[0] == 0x1b && (s[1] == '[' || s[1] == 'O')) {
        size_t k = 2; /* CSI parameters (e.g. ESC [ 1 ; 5 C) end at a letter or ~ */
        while (k < n && ((s[k] >= '0' && s[k] <= '9') || s[k] == ';')) k++;
        *used = k < n ? k + 1 : n;
        if (k >= n) return TERM_KEY_NONE;
        if (s[k] == 'C') return TERM_KEY_NEXT;
        if (s[k] == 'D') return TERM_KEY_BACK;
        if (s[k] == 'A') return TERM_KEY_UP;
        if (s[k] == 'B') return TERM_KEY_DOWN;
        return TERM_KEY_NONE;
    }
    if (s[0] == 0x1b) return n == 1 ? 'q' : TERM_KEY_NONE;
    if (s[0] == '\r' || s[0] == '\n' || s[0] == ' ') return TERM_KEY_NEXT;
    return s[0];
}

/* Keys typed faster than the screen redraws arrive in one read: they wait here, one per
 * call, so none is lost. */
static unsigned char pending[64];
static size_t n_pending;

int term_key(int timeout_ms) {
    if (!n_pending) {
        struct pollfd p = {STDIN_FILENO, POLLIN, 0};
        int r = poll(&p, 1, timeout_ms);
        if (r == 0) return TERM_KEY_NONE;
        if (r < 0) return errno == EINTR ? TERM_KEY_NONE : TERM_KEY_EOF;
        ssize_t n = read(STDIN_FILENO, pending, sizeof pending);
        if (n <= 0) return n < 0 && errno == EINTR ? TERM_KEY_NONE : TERM_KEY_EOF;
        n_pending = (size_t)n;
    }
    size_t used;
    int key = decode_key(pending, n_pending, &used);
    memmove(pending, pending + used, n_pending - used);
    n_pending -= used;
    return key;
}
