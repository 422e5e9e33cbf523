/* Whether the terminal can show the dashboard at all, asked of terminfo before curses starts
 * (kept apart: <term.h> defines macros such as `lines` and `columns`). */
#include "ui-term.h"

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h> /* what <term.h> builds on */
#include <stdio.h>
#include <stdlib.h>
#include <term.h>
#include <unistd.h>

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
