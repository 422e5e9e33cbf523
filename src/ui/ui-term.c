/* Whether the terminal can show the dashboard at all, asked of terminfo before curses starts
 * (kept apart: <term.h> defines macros such as `lines` and `columns`). */
#include "ui-term.h"

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <errno.h>
#include <ncursesw/curses.h> /* what <term.h> builds on */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <time.h>
#include <unistd.h>

#include "mpsdash/alloc.h"

/* A terminal that cannot move the cursor (TERM=dumb, an editor's shell buffer) would get a
 * blank or garbled screen from curses: say so in one line instead. Fills err and returns false. */
bool ui_terminal_can_draw(char *err, size_t size)
{
    const char *term = getenv("TERM");
    int status = 0;
    if (!term || !*term || setupterm(NULL, STDOUT_FILENO, &status) != OK) {
        snprintf(err, size, "cannot use terminal type '%s': set TERM to your terminal's type",
                 term && *term ? term : "(unset)");
        return false;
    }
    const char *cup = tigetstr("cup");
    bool addressable = cup && cup != (const char *)-1;
    del_curterm(cur_term);
    if (!addressable)
        snprintf(err, size,
                 "terminal type '%s' cannot move the cursor, so the dashboard cannot draw; "
                 "set TERM to your terminal's type (e.g. xterm-256color), or use the commands "
                 "(mpsdash list)",
                 term);
    return addressable;
}

static void typeahead_keep(ui_typeahead *t, const char *bytes, size_t n)
{
    if (!t)
        return;
    size_t room = sizeof t->bytes - t->len;
    if (n > room)
        n = room;
    memcpy(t->bytes + t->len, bytes, n);
    t->len += n;
}

/* Reads a cursor position report (ESC [ row ; col R) from in_fd within timeout_ms. Returns the
 * column (1-based) or -1; what came before it (keys typed meanwhile) goes to typed. */
static int read_position_report(int in_fd, int timeout_ms, ui_typeahead *typed)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char buf[64];
    size_t n = 0;
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long spent = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (spent >= timeout_ms)
            break;
        struct pollfd p = {.fd = in_fd, .events = POLLIN};
        int r = poll(&p, 1, (int)(timeout_ms - spent));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        ssize_t got = read(in_fd, buf + n, sizeof buf - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
        buf[n] = '\0';
        char *esc = strstr(buf, "\033[");
        for (; esc; esc = strstr(esc + 1, "\033[")) {
            int row, col, used = 0;
            if (sscanf(esc, "\033[%d;%dR%n", &row, &col, &used) == 2 && used > 0) {
                typeahead_keep(typed, buf, (size_t)(esc - buf));
                typeahead_keep(typed, esc + used, n - (size_t)(esc - buf) - (size_t)used);
                return col;
            }
        }
        /* Keep a possible start of the report; hand back what cannot be part of it. */
        esc = strrchr(buf, '\033');
        size_t keep_from = esc && n - (size_t)(esc - buf) < 16 ? (size_t)(esc - buf) : n;
        typeahead_keep(typed, buf, keep_from);
        memmove(buf, buf + keep_from, n - keep_from);
        n -= keep_from;
    }
    typeahead_keep(typed, buf, n);
    return -1;
}

int ui_terminal_measure(int in_fd, int out_fd, const char *text, int timeout_ms,
                        ui_typeahead *typed)
{
    /* Home, the text, then "where is the cursor?"; the line is cleared again after. */
    char *probe = mps_xasprintf("\033[H%s\033[6n", text);
    bool sent = ui_write_all(out_fd, probe);
    free(probe);
    int col = sent ? read_position_report(in_fd, timeout_ms, typed) : -1;
    ui_write_all(out_fd, "\033[H\033[2K");
    return col > 0 ? col - 1 : -1;
}
