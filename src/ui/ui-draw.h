/* Drawing: the theme's attributes, text fitted to columns, frames, glyphs and wrapped lines
 * (ui-theme.c, ui-draw.c). Every string drawn is already sanitised. */
#ifndef MPSDASH_UI_DRAW_H
#define MPSDASH_UI_DRAW_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/state.h"
#include "mpsdash/theme.h"

typedef struct ui ui;

/* ------------------------------------------------------------------------------ theme */

typedef struct ui_theme {
    theme data; /* as loaded (colours stripped for NO_COLOR / mono) */
    bool color; /* colour pairs in use */
    attr_t attr[THEME_ROLE_COUNT];
} ui_theme;

/* Before curses: loads the theme by name (NULL = "default"); no_color strips colours.
 * Returns 0, or -1 with err. */
int ui_theme_load(ui_theme *t, const char *name, bool no_color, char *err, size_t err_size);
/* After initscr: colour pairs (or attributes only) for every role. */
void ui_theme_init(ui_theme *t);
attr_t ui_theme_attr(const ui_theme *t, theme_role role);
theme_role ui_theme_state_role(mps_state st);

/* ------------------------------------------------------------------------------ text */

/* Writes s at (y, x) fitted (truncated with "…" or padded) to exactly cols columns. */
void ui_put(WINDOW *w, int y, int x, const char *s, int cols, attr_t attr);
/* A border in `border` with " title " on its top edge in title_attr, clipped to the width:
 * the frame every dialog and overlay draws first. */
void ui_frame(WINDOW *w, const char *title, attr_t border, attr_t title_attr);
/* Writes s at the cursor, at most max_cols columns, no padding; returns the columns used. */
int ui_add(WINDOW *w, const char *s, int max_cols, attr_t attr);
/* After each doupdate: draws in full the joined emoji sequences longer than a curses cell holds
 * where curses still shows them (the screen is curses' own: only its cursor and attributes are
 * moved, through mvcur and vid_attr, so curses keeps track). */
void ui_draw_after_update(void);
/* Frees what ui_draw_after_update keeps (when curses ends). */
void ui_draw_forget(void);
const char *ui_glyph_check(const ui *u);   /* ✓ or x */
const char *ui_glyph_dot(const ui *u);     /* · or - */
const char *ui_glyph_sep(const ui *u);     /* │ or | */
const char *ui_glyph_refresh(const ui *u); /* ⟳ or @ */
const char *ui_spinner_frame(const ui *u);

/* Lines of text with an attribute each, for overlays (dialogs, help, text boxes). */
typedef struct ui_line {
    char *text;
    attr_t attr;
} ui_line;
typedef struct ui_lines {
    ui_line *items;
    size_t n, cap;
} ui_lines;
void ui_lines_push(ui_lines *l, const char *text, attr_t attr);
/* Word-wraps text (each '\n' starts a paragraph) to width; continuation lines get indent. */
void ui_lines_wrap(ui_lines *l, const char *text, int width, int indent, attr_t attr);
void ui_lines_clear(ui_lines *l);

#endif
