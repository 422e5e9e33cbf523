/* The solution list: a table over the store's visible solutions, its columns, and the selection
 * (kept by id across reloads). */
#include "ui-actions.h"
#include "ui-data.h"
#include "ui-draw.h"
#include "ui-feed.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-panel.h"
#include "ui-table.h"
#include "ui-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"

enum { COL_NAME, COL_STATE, COL_ROLE, COL_OTHER, COL_ID, COL_COUNT };

/* Same-named solutions are told apart by id: in full where the name keeps ID_NAME_ROOM
 * columns beside it, else by its last digits, the ones a typed confirmation asks for. */
#define ID_FULL_W 17
#define ID_NAME_ROOM 30
#define NAME_MIN_W 12

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Column widths for the list's width (the marker takes two columns). */
static void compute_columns(int width, int w[COL_COUNT])
{
    /* margin: a blank column before the detail pane's rule, which the last column would touch */
    const int marker = 2, gaps = (COL_COUNT - 1) * 2, margin = 1;
    w[COL_STATE] = width >= 100 ? 20 : 14;
    w[COL_ROLE] = 7;
    w[COL_OTHER] = clamp(width / 4, 12, 30);
    w[COL_ID] = ID_FULL_W;
#define NAME_LEFT()                                                                                \
    (width - marker - w[COL_STATE] - w[COL_ROLE] - w[COL_OTHER] - w[COL_ID] - gaps - margin)
    if (NAME_LEFT() < ID_NAME_ROOM)
        w[COL_ID] = UI_TABLE_ID_SHORT_W;
    w[COL_NAME] = NAME_LEFT();
    if (w[COL_NAME] < NAME_MIN_W) {
        w[COL_OTHER] -= NAME_MIN_W - w[COL_NAME];
        if (w[COL_OTHER] < 6)
            w[COL_OTHER] = 6;
        w[COL_NAME] = NAME_LEFT();
    }
#undef NAME_LEFT
    if (w[COL_NAME] < 1)
        w[COL_NAME] = 1;
}

/* ---- the table's rows -------------------------------------------------------------------- */

static long list_count(ui *u, void *ctx)
{
    (void)ctx;
    return u->st ? (long)store_visible_count(u->st) : 0;
}

static void list_row(ui *u, void *ctx, long idx, bool selected, ui_table_cells *c, char *scratch,
                     size_t size)
{
    ui_panel *p = ctx;
    const mps_solution *s = store_visible(u->st, (size_t)idx);
    mps_state st = solution_state(s);
    bool long_state = p->list.widths[COL_STATE] >= 20;
    const mps_app *other = solution_other_app(s, u->profile.app_id);
    c->cell[COL_NAME] = s->name ? s->name : s->id;
    c->cell[COL_STATE] = st == STATE_OTHER ? solution_state_text(s)
                         : long_state      ? state_label(st)
                                           : state_short_label(st);
    if (!selected)
        c->cell_attr[COL_STATE] = ui_theme_attr(&u->theme, ui_theme_state_role(st));
    c->cell[COL_ROLE] = role_label(solution_role(s, u->profile.app_id));
    c->cell[COL_OTHER] = other && other->name ? other->name : other && other->id ? other->id : "";
    c->cell[COL_ID] = ui_table_id_cell(u, s->id, p->list.widths[COL_ID], scratch, size);
    if (!selected)
        c->cell_attr[COL_ID] = ui_theme_attr(&u->theme, THEME_DIM);
    /* An action in flight, else a live event that named it (ui-feed.c). */
    c->mark = ui_action_in_flight(u, s->id) ? "*" : ui_feed_mark(u, s->id);
}

static long list_search(ui *u, void *ctx, const char *query, long from, int dir, bool inclusive)
{
    (void)ctx;
    return store_search(u->st, query, from, dir, inclusive);
}

static void list_moved(ui *u, void *ctx);

static const ui_table_ops list_ops = {
    .count = list_count,
    .row = list_row,
    .search = list_search,
    .moved = list_moved,
};

/* ---- the panel's state ------------------------------------------------------------------- */

void ui_panel_init(ui *u)
{
    ui_panel *p = mps_xcalloc(1, sizeof *p);
    u->base.ops = &ui_panel_ops;
    u->base.data = p;
    u->top_view = &u->base;
    ui_table_init(&p->list, &list_ops, p);
    p->list.fill = true;
    p->list.searchable = true;
}

void ui_panel_free(ui *u)
{
    ui_panel *p = u->base.data;
    if (!p)
        return;
    free(p->sel_id);
    free(p->partner_return.app_id);
    free(p->partner_return.solution_id);
    free(p);
    u->base.data = NULL;
}

ui_panel *ui_panel_of(const ui *u)
{
    return u->base.data;
}

void ui_panel_reset(ui *u)
{
    ui_panel *p = ui_panel_of(u);
    free(p->sel_id);
    p->sel_id = NULL;
    p->list.sel = 0;
    p->list.top = 0;
    p->list.search[0] = '\0'; /* a search for one app's solution means nothing in another's */
    p->detail_scroll = 0;
    p->detail_focus = false;
    free(p->partner_return.app_id); /* another app's solutions: no way back */
    free(p->partner_return.solution_id);
    p->partner_return.app_id = p->partner_return.solution_id = NULL;
}

/* ---- the selection ----------------------------------------------------------------------- */

const mps_solution *ui_selected(const ui *u)
{
    const ui_panel *p = ui_panel_of(u);
    if (!u->st || !p || p->list.sel < 0 || (size_t)p->list.sel >= store_visible_count(u->st))
        return NULL;
    return store_visible(u->st, (size_t)p->list.sel);
}

/* After any move: a new solution selected resets the detail pane and may fetch its details. */
static void list_moved(ui *u, void *ctx)
{
    ui_panel *p = ctx;
    const mps_solution *s = ui_selected(u);
    bool changed =
        (s == NULL) != (p->sel_id == NULL) || (s && p->sel_id && strcmp(s->id, p->sel_id) != 0);
    ui_dirty(u, UI_DIRTY_LIST | UI_DIRTY_STATUS);
    if (!changed)
        return;
    free(p->sel_id);
    p->sel_id = s ? mps_xstrdup(s->id) : NULL;
    p->detail_scroll = 0;
    ui_dirty(u, UI_DIRTY_DETAIL);
    ui_data_want_detail(u);
}

/* The list's rows as the window has them now (a page, scrolling into view). */
static ui_table *list_table(ui *u)
{
    ui_panel *p = ui_panel_of(u);
    p->list.rows = ui_list_rows(u);
    return &p->list;
}

void ui_select_index(ui *u, long index)
{
    ui_table_select(u, list_table(u), index);
}

void ui_select_id(ui *u, const char *id)
{
    long idx = id ? store_visible_index(u->st, id) : -1;
    if (idx >= 0)
        ui_select_index(u, idx);
}

void ui_selection_sync(ui *u)
{
    ui_panel *p = ui_panel_of(u);
    long idx = p->sel_id ? store_visible_index(u->st, p->sel_id) : -1;
    /* Gone or filtered out: stay at the same height in the list. */
    ui_select_index(u, idx >= 0 ? idx : p->list.sel);
}

bool ui_list_request(ui *u, ui_request req)
{
    return ui_table_key(u, list_table(u), req);
}

long ui_list_hit(ui *u, int y)
{
    if (!u->w_list)
        return -1;
    return ui_table_hit(u, list_table(u), y - (getbegy(u->w_list) + 1));
}

/* ---- drawing ----------------------------------------------------------------------------- */

/* What the list says when it has no rows. */
static void empty_text(const ui *u, char *buf, size_t size)
{
    mps_state st;
    bool filtered = store_state_filter(u->st, &st);
    if (store_total(u->st) == 0 && u->list_loading)
        snprintf(buf, size, "loading solutions%s", u->utf8 ? "\u2026" : "...");
    else if (store_total(u->st) == 0 && !u->list_loaded)
        snprintf(buf, size, "could not load the solutions: the reason is below (R retries)");
    else if (store_total(u->st) == 0)
        snprintf(buf, size, "no solutions for app %s", u->profile.app_id ? u->profile.app_id : "");
    else if (store_narrow(u->st)[0])
        snprintf(buf, size, "no solutions match the narrowing \"%s\" (Esc shows all)",
                 store_narrow(u->st));
    else if (filtered)
        snprintf(buf, size, "no %s solutions (1 shows all)", state_label(st));
    else
        snprintf(buf, size, "no solutions match the role filter (:role all)");
}

void ui_list_draw(ui *u)
{
    WINDOW *w = u->w_list;
    if (!w)
        return;
    ui_panel *p = ui_panel_of(u);
    ui_table *t = &p->list;
    int widths[COL_COUNT];
    compute_columns(getmaxx(w), widths);
    /* The sort column's title carries the direction. */
    static const char *const titles[COL_COUNT] = {"NAME", "STATE", "ROLE", "OTHER APP", "ID"};
    static const store_sort sorts[COL_COUNT] = {SORT_NAME, SORT_STATE, SORT_ROLE, SORT_OTHER_APP,
                                                SORT_ID};
    const char *arrow =
        store_sort_descending(u->st) ? (u->utf8 ? " \u2193" : " v") : (u->utf8 ? " \u2191" : " ^");
    char heads[COL_COUNT][64];
    const char *head_ptrs[COL_COUNT];
    for (int i = 0; i < COL_COUNT; i++) {
        snprintf(heads[i], sizeof heads[i], "%s%s", titles[i],
                 sorts[i] == store_sort_key(u->st) ? arrow : "");
        head_ptrs[i] = heads[i];
    }
    ui_table_columns(t, head_ptrs, widths, COL_COUNT);
    char empty[256];
    empty_text(u, empty, sizeof empty);
    t->empty = empty;
    ui_table_draw(u, t, w, 0, 0, ui_list_rows(u));
    t->empty = NULL;
    for (int i = 0; i < COL_COUNT; i++)
        t->heads[i] = NULL; /* they pointed into this frame */
}
