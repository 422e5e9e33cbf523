/* The one list widget, in the manner of htop's Panel and tmux's mode-tree: rows come from a
 * callback; the table owns the selection, scrolling, search, the column layout and the hint
 * line. The solution list and every view's list (partners, customers, WABA solutions, events,
 * profiles) are tables. */
#ifndef MPSDASH_UI_TABLE_H
#define MPSDASH_UI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/text.h" /* TEXT_CONFIRM_DIGITS */
#include "ui-keys.h"

typedef struct ui ui;

#define UI_TABLE_MAX_COLS 8
#define UI_TABLE_SEARCH_MAX 256

/* One row as the view hands it over; the strings may point into the scratch buffer. */
typedef struct ui_table_cells {
    const char *cell[UI_TABLE_MAX_COLS];
    attr_t cell_attr[UI_TABLE_MAX_COLS]; /* 0: the row's attribute */
    const char *mark; /* shown after the selection mark (an in-flight '*', a '+'); NULL: blank */
} ui_table_cells;

typedef struct ui_table_ops {
    long (*count)(ui *u, void *ctx);
    /* Fills row idx (0 <= idx < count). scratch (size bytes) is the row's to point into. */
    void (*row)(ui *u, void *ctx, long idx, bool selected, ui_table_cells *c, char *scratch,
                size_t size);
    /* The row matching query nearest from (from itself counts when inclusive), going dir
     * (+1/-1) and wrapping; -1 when none. NULL: the table matches the cells' text. */
    long (*search)(ui *u, void *ctx, const char *query, long from, int dir, bool inclusive);
    /* The selection or the scroll position moved (a key, a search). Optional. */
    void (*moved)(ui *u, void *ctx);
} ui_table_ops;

typedef struct ui_table {
    const ui_table_ops *ops;
    void *ctx;
    long sel, top;
    int rows; /* rows the last draw had room for: what a page is */
    /* The column layout: a width each; the last column takes the rest of the line, a column of
     * width 0 is left out. */
    const char *heads[UI_TABLE_MAX_COLS];
    int widths[UI_TABLE_MAX_COLS];
    size_t ncols;
    int mark_cols;     /* before the cells: the selection mark ('>') and the row's mark */
    bool in_dialog;    /* drawn in a dialog's colours rather than the list's */
    bool searchable;   /* n/N repeat the last search (the view offers / to start one) */
    bool fill;         /* paint rows past the end (a window that is not erased first) */
    const char *empty; /* said on the first row when there are none; NULL: nothing */
    char search[UI_TABLE_SEARCH_MAX]; /* the last search, "" when none */
} ui_table;

/* An id column too narrow for whole ids shows "…" and the last digits, the ones a typed
 * confirmation asks for: enough to tell same-named solutions apart. */
#define UI_TABLE_ID_SHORT_W (TEXT_CONFIRM_DIGITS + 1)
/* The id as it fits in cols columns: whole, else "…" and its last characters (in buf). */
const char *ui_table_id_cell(const ui *u, const char *id, int cols, char *buf, size_t size);

/* Sets ops and ctx, and a two-column mark. */
void ui_table_init(ui_table *t, const ui_table_ops *ops, void *ctx);
void ui_table_columns(ui_table *t, const char *const *heads, const int *widths, size_t n);

/* Keeps sel within [0, count) and between top and top + rows. */
void ui_table_clamp(ui_table *t, long count, int rows);
/* Applies a move request (j/k, PgUp/PgDn, g/G) over count rows of which rows fit; false when req
 * is not a move. A page scrolls with the selection, as in less and htop. */
bool ui_table_move(ui_table *t, ui_request req, long count, int rows);
/* Selects row idx (clamped) and scrolls it into view. */
void ui_table_select(ui *u, ui_table *t, long idx);
/* Moves on a move or search-next/prev request; false when req is none of them. */
bool ui_table_key(ui *u, ui_table *t, ui_request req);
long ui_table_count(ui *u, const ui_table *t);

/* Draws the column line at y and rows rows from y + 1 (clamping the selection to them);
 * records rows for paging. */
void ui_table_draw(ui *u, ui_table *t, WINDOW *w, int y, int x, int rows);
/* The row at screen row r of the last draw (0 = first row), -1 when none. */
long ui_table_hit(ui *u, const ui_table *t, int r);

/* Incremental search: selects the first match from origin (an empty query goes back to
 * origin); false when nothing matches. */
bool ui_table_search_step(ui *u, ui_table *t, const char *query, long origin);
/* n/N: the next match of the last search, with a message when it wrapped or found none. */
void ui_table_search_next(ui *u, ui_table *t, int dir);

/* The hint line at the window's bottom. */
void ui_table_hints(ui *u, WINDOW *w, const char *hints);

#endif
