/* The terminal outside curses: whether it can draw at all, and the escape sequences written
 * past curses after a frame (OSC 9 / OSC 777 notifications, OSC 52 copies). Needs no ui. */
#ifndef MPSDASH_UI_TERM_H
#define MPSDASH_UI_TERM_H

#include <stdbool.h>
#include <stddef.h>

/* Whether terminfo knows TERM and it can address the cursor (TERM=dumb cannot); otherwise
 * fills err with one line saying what to do. Called before curses starts. */
bool ui_terminal_can_draw(char *err, size_t size);

/* Keys typed while the terminal was being asked something, to be handed back to curses. */
typedef struct ui_typeahead {
    char bytes[256];
    size_t len;
} ui_typeahead;

/* The columns the terminal advances for text written at the top-left corner, from a cursor
 * position report (CSI 6n) read within timeout_ms; -1 when it does not answer. The terminal
 * must be in curses' keyboard mode (no echo, no line buffering). Keys typed meanwhile land in
 * typed (NULL: dropped); the top line is left blank (the caller repaints). */
int ui_terminal_measure(int in_fd, int out_fd, const char *text, int timeout_ms,
                        ui_typeahead *typed);

/* ------------------------------------------------------------------------------ notify */

/* The OSC 9 and/or OSC 777 sequences (not the bell) for how; wrapped for tmux's passthrough
 * when asked. Title and body are sanitised. New string ("" when how has neither). */
char *ui_notify_sequence(unsigned how, const char *title, const char *body, bool tmux_passthrough);
/* Writes all of s to fd (EINTR retried). */
bool ui_write_all(int fd, const char *s);

/* ------------------------------------------------------------------------------ OSC 52 */

/* The escape sequence that sets the terminal clipboard to text; inside tmux it is wrapped in a
 * DCS passthrough. New string. */
char *ui_osc52_sequence(const char *text, bool tmux_passthrough);
/* Writes the sequences to fd: the plain one (tmux set-clipboard on, every other terminal) and,
 * inside tmux, the passthrough one too (allow-passthrough on). Returns false on a write error. */
bool ui_osc52_copy(int fd, const char *text, bool in_tmux);
/* Standard base64 (with padding). New string. */
char *ui_base64(const unsigned char *data, size_t len);

#endif
