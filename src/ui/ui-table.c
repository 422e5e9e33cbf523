/* The one list widget: selection, scrolling, search, column layout and hints for every list. */
#include "ui-table.h"
#include "ui-draw.h"
#include "ui-internal.h"
#include "ui-keys.h"

#include <stdio.h>
#include <string.h>

#include "mpsdash/text.h"

#define COLUMN_GAP 2
#define SCRATCH_SIZE 2048

void ui_table_init(ui_table *t, const ui_table_ops *ops, void *ctx)
{
    t->ops = ops;
    t->ctx = ctx;
    t->mark_cols = 2;
}

void ui_table_columns(ui_table *t, const char *const *heads, const int *widths, size_t n)
{
    if (n > UI_TABLE_MAX_COLS)
        n = UI_TABLE_MAX_COLS;
    for (size_t i = 0; i < n; i++) {
        t->heads[i] = heads[i];
        t->widths[i] = widths[i];
    }
    t->ncols = n;
}

long ui_table_count(ui *u, const ui_table *t)
{
    return t->ops && t->ops->count ? t->ops->count(u, t->ctx) : 0;
}

/* ---- moving ------------------------------------------------------------------------------ */

void ui_table_clamp(ui_table *t, long count, int rows)
{
    if (rows < 1)
        rows = 1;
    if (t->sel >= count)
        t->sel = count - 1;
    if (t->sel < 0)
        t->sel = 0;
    if (t->sel < t->top)
        t->top = t->sel;
    if (t->sel >= t->top + rows)
        t->top = t->sel - rows + 1;
    if (t->top > count - rows)
        t->top = count - rows;
    if (t->top < 0)
        t->top = 0;
}

bool ui_table_move(ui_table *t, ui_request req, long count, int rows)
{
    long page = rows > 1 ? rows : 1;
    switch (req) {
    case REQ_MOVE_DOWN:
        t->sel++;
        break;
    case REQ_MOVE_UP:
        t->sel--;
        break;
    case REQ_PAGE_DOWN:
        t->sel += page;
        t->top += page;
        break;
    case REQ_PAGE_UP:
        t->sel -= page;
        t->top -= page;
        break;
    case REQ_FIRST:
        t->sel = 0;
        break;
    case REQ_LAST:
        t->sel = count - 1;
        break;
    default:
        return false;
    }
    if (t->top > count - page)
        t->top = count - page;
    if (t->top < 0)
        t->top = 0;
    ui_table_clamp(t, count, rows);
    return true;
}

static void moved(ui *u, ui_table *t)
{
    if (t->ops && t->ops->moved)
        t->ops->moved(u, t->ctx);
}

void ui_table_select(ui *u, ui_table *t, long idx)
{
    t->sel = idx;
    ui_table_clamp(t, ui_table_count(u, t), t->rows);
    moved(u, t);
}

bool ui_table_key(ui *u, ui_table *t, ui_request req)
{
    if (t->searchable && (req == REQ_SEARCH_NEXT || req == REQ_SEARCH_PREV)) {
        ui_table_search_next(u, t, req == REQ_SEARCH_NEXT ? 1 : -1);
        return true;
    }
    if (!ui_table_move(t, req, ui_table_count(u, t), t->rows))
        return false;
    moved(u, t);
    return true;
}

/* ---- search ------------------------------------------------------------------------------ */

/* Without a search op: a row matches when one of its cells holds the query, any case. */
static bool row_matches(ui *u, ui_table *t, long idx, const char *query)
{
    ui_table_cells c = {0};
    char scratch[SCRATCH_SIZE];
    t->ops->row(u, t->ctx, idx, false, &c, scratch, sizeof scratch);
    for (size_t i = 0; i < t->ncols; i++)
        if (c.cell[i] && strcasestr(c.cell[i], query))
            return true;
    return false;
}

static long find(ui *u, ui_table *t, const char *query, long from, int dir, bool inclusive)
{
    if (t->ops->search)
        return t->ops->search(u, t->ctx, query, from, dir, inclusive);
    long count = ui_table_count(u, t);
    if (count == 0)
        return -1;
    long start = from < 0 ? 0 : from;
    for (long i = inclusive ? 0 : 1; i <= count; i++) {
        long idx = ((start + dir * i) % count + count) % count;
        if (row_matches(u, t, idx, query))
            return idx;
    }
    return -1;
}

bool ui_table_search_step(ui *u, ui_table *t, const char *query, long origin)
{
    if (!query[0]) {
        ui_table_select(u, t, origin);
        return true;
    }
    long idx = find(u, t, query, origin < 0 ? 0 : origin, 1, true);
    if (idx >= 0)
        ui_table_select(u, t, idx);
    return idx >= 0;
}

void ui_table_search_next(ui *u, ui_table *t, int dir)
{
    if (!t->search[0]) {
        ui_message(u, UI_MSG_INFO, "no search yet: / starts one");
        return;
    }
    long idx = find(u, t, t->search, t->sel, dir, false);
    if (idx < 0) {
        ui_message(u, UI_MSG_WARNING, "no match for \"%s\"", t->search);
        return;
    }
    if ((dir > 0 && idx <= t->sel) || (dir < 0 && idx >= t->sel))
        ui_message(u, UI_MSG_INFO, "search wrapped around");
    ui_table_select(u, t, idx);
}

/* ---- drawing ----------------------------------------------------------------------------- */

/* One line of cells from column x: each fitted to its width, two blanks between them, the last
 * taking the rest of the line; columns of width 0 are left out. */
static void cells_line(ui_table *t, WINDOW *w, int y, int x, const char *const *cells,
                       const attr_t *cell_attr, attr_t attr)
{
    int cols = getmaxx(w);
    size_t last = 0;
    for (size_t i = 0; i < t->ncols; i++)
        if (t->widths[i] > 0 || i + 1 == t->ncols)
            last = i;
    for (size_t i = 0; i < t->ncols && x < cols; i++) {
        if (t->widths[i] <= 0 && i != last)
            continue;
        int wd = i == last ? cols - x : t->widths[i];
        if (wd > cols - x)
            wd = cols - x;
        attr_t a = cell_attr && cell_attr[i] ? cell_attr[i] : attr;
        ui_put(w, y, x, cells[i] ? cells[i] : "", wd, a);
        x += wd;
        if (i != last && x < cols) {
            int gap = cols - x < COLUMN_GAP ? cols - x : COLUMN_GAP;
            ui_put(w, y, x, "", gap, attr);
            x += gap;
        }
    }
    if (x < cols)
        ui_put(w, y, x, "", cols - x, attr);
}

void ui_table_draw(ui *u, ui_table *t, WINDOW *w, int y, int x, int rows)
{
    if (!w)
        return;
    int cols = getmaxx(w);
    attr_t base = ui_theme_attr(&u->theme, t->in_dialog ? THEME_DIALOG : THEME_LIST);
    attr_t sel_attr = ui_theme_attr(&u->theme, THEME_SELECTED) | (t->in_dialog ? A_BOLD : 0);
    attr_t head = base | A_BOLD;
    t->rows = rows > 0 ? rows : 0;
    long count = ui_table_count(u, t);
    ui_table_clamp(t, count, t->rows);
    ui_put(w, y, x, "", t->mark_cols, head);
    cells_line(t, w, y, x + t->mark_cols, t->heads, NULL, head);
    for (int r = 0; r < t->rows; r++) {
        long idx = t->top + r;
        int ry = y + 1 + r;
        if (idx >= count) {
            if (r == 0 && count == 0 && t->empty) {
                if (t->fill)
                    ui_put(w, ry, x, "", t->mark_cols, base);
                ui_put(w, ry, x + t->mark_cols, t->empty, cols - x - t->mark_cols,
                       ui_theme_attr(&u->theme, THEME_DIM));
            } else if (t->fill) {
                ui_put(w, ry, x, "", cols - x, base);
            }
            continue;
        }
        bool sel = idx == t->sel;
        attr_t a = sel ? sel_attr : base;
        ui_table_cells c = {0};
        char scratch[SCRATCH_SIZE];
        t->ops->row(u, t->ctx, idx, sel, &c, scratch, sizeof scratch);
        ui_put(w, ry, x, sel ? ">" : " ", 1, a);
        ui_put(w, ry, x + 1, c.mark ? c.mark : "", t->mark_cols - 1, a);
        cells_line(t, w, ry, x + t->mark_cols, c.cell, c.cell_attr, a);
    }
}

long ui_table_hit(ui *u, const ui_table *t, int r)
{
    if (r < 0 || r >= t->rows)
        return -1;
    long idx = t->top + r;
    return idx < ui_table_count(u, t) ? idx : -1;
}

void ui_table_hints(ui *u, WINDOW *w, const char *hints)
{
    int h = getmaxy(w), cols = getmaxx(w);
    attr_t dim = ui_theme_attr(&u->theme, THEME_DIM);
    ui_put(w, h - 1, 0, " ", 1, dim);
    ui_put(w, h - 1, 1, hints, cols - 1, dim);
}

const char *ui_table_id_cell(const ui *u, const char *id, int cols, char *buf, size_t size)
{
    if (!id || text_width(id) <= cols)
        return id ? id : "";
    const char *ellipsis = u->utf8 ? "\u2026" : "~";
    size_t len = strlen(id), start = len;
    /* Back whole characters while they fit beside the ellipsis. */
    while (start > 0) {
        size_t prev = text_prev_char(id, start);
        if (text_width(id + prev) > cols - 1)
            break;
        start = prev;
    }
    snprintf(buf, size, "%s%s", ellipsis, id + start);
    return buf;
}
