/* The solution list: columns, the selection (kept by id across reloads) and scrolling. */
#include "ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/text.h"

typedef struct columns {
    int marker, name, state, role, other;
    bool long_state;
} columns;

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static columns compute_columns(int width)
{
    columns c;
    c.marker = 2;
    c.long_state = width >= 100;
    c.state = c.long_state ? 20 : 14;
    c.role = 7;
    c.other = clamp(width / 4, 12, 30);
    c.name = width - c.marker - c.state - c.role - c.other - 3 * 2;
    if (c.name < 12) {
        c.other -= 12 - c.name;
        if (c.other < 6)
            c.other = 6;
        c.name = width - c.marker - c.state - c.role - c.other - 3 * 2;
    }
    if (c.name < 1)
        c.name = 1;
    return c;
}

const mps_solution *ui_selected(const ui *u)
{
    if (!u->st || u->sel_index < 0 || (size_t)u->sel_index >= store_visible_count(u->st))
        return NULL;
    return store_visible(u->st, (size_t)u->sel_index);
}

static void keep_visible(ui *u)
{
    long rows = ui_list_rows(u);
    long count = (long)store_visible_count(u->st);
    if (rows <= 0)
        rows = 1;
    if (u->sel_index < u->top)
        u->top = u->sel_index;
    if (u->sel_index >= u->top + rows)
        u->top = u->sel_index - rows + 1;
    if (u->top > count - rows)
        u->top = count - rows;
    if (u->top < 0)
        u->top = 0;
}

static void set_selected(ui *u, long index)
{
    long count = (long)store_visible_count(u->st);
    if (count == 0) {
        index = -1;
    } else {
        if (index < 0)
            index = 0;
        if (index >= count)
            index = count - 1;
    }
    const mps_solution *s = index >= 0 ? store_visible(u->st, (size_t)index) : NULL;
    bool changed =
        (s == NULL) != (u->sel_id == NULL) || (s && u->sel_id && strcmp(s->id, u->sel_id) != 0);
    if (changed) {
        free(u->sel_id);
        u->sel_id = s && s->id ? strdup(s->id) : NULL;
        u->detail_scroll = 0;
        ui_dirty(u, UI_DIRTY_DETAIL);
    }
    if (changed || index != u->sel_index)
        ui_dirty(u, UI_DIRTY_LIST | UI_DIRTY_STATUS);
    u->sel_index = index;
    long old_top = u->top;
    keep_visible(u);
    if (old_top != u->top)
        ui_dirty(u, UI_DIRTY_LIST);
    if (changed)
        ui_data_want_detail(u);
}

void ui_select_index(ui *u, long index)
{
    set_selected(u, index);
}

void ui_select_id(ui *u, const char *id)
{
    long idx = id ? store_visible_index(u->st, id) : -1;
    if (idx >= 0)
        set_selected(u, idx);
}

void ui_selection_sync(ui *u)
{
    long idx = u->sel_id ? store_visible_index(u->st, u->sel_id) : -1;
    /* Gone or filtered out: stay at the same height in the list. */
    set_selected(u, idx >= 0 ? idx : u->sel_index);
}

long ui_list_hit(ui *u, int y)
{
    if (!u->w_list)
        return -1;
    int top_y = getbegy(u->w_list) + 1;
    long row = y - top_y;
    if (row < 0 || row >= ui_list_rows(u))
        return -1;
    long idx = u->top + row;
    return idx < (long)store_visible_count(u->st) ? idx : -1;
}

static void draw_header(ui *u, const columns *c)
{
    WINDOW *w = u->w_list;
    attr_t a = ui_theme_attr(&u->theme, THEME_LIST) | A_BOLD;
    store_sort key = store_sort_key(u->st);
    const char *arrow =
        store_sort_descending(u->st) ? (u->utf8 ? " \u2193" : " v") : (u->utf8 ? " \u2191" : " ^");
    struct {
        const char *title;
        store_sort sort;
        int width;
    } cols[] = {
        {"NAME", SORT_NAME, c->name},
        {"STATE", SORT_STATE, c->state},
        {"ROLE", SORT_ROLE, c->role},
        {"OTHER APP", SORT_OTHER_APP, c->other},
    };
    int x = 0;
    ui_put(w, 0, x, "", c->marker, a);
    x += c->marker;
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        char title[64];
        snprintf(title, sizeof title, "%s%s", cols[i].title, cols[i].sort == key ? arrow : "");
        ui_put(w, 0, x, title, cols[i].width, a);
        x += cols[i].width;
        if (i + 1 < sizeof cols / sizeof cols[0]) {
            ui_put(w, 0, x, "", 2, a);
            x += 2;
        }
    }
    if (x < getmaxx(w))
        ui_put(w, 0, x, "", getmaxx(w) - x, a);
}

static void draw_row(ui *u, int y, const mps_solution *s, const columns *c, bool selected)
{
    WINDOW *w = u->w_list;
    mps_state st = solution_state(s);
    mps_role role = solution_role(s, u->profile.app_id);
    attr_t base = ui_theme_attr(&u->theme, selected ? THEME_SELECTED : THEME_LIST);
    attr_t state_attr = selected ? base : ui_theme_attr(&u->theme, ui_theme_state_role(st));
    char marker[8];
    const char *touched = ui_feed_mark(u, s->id); /* an event named it (view-events.c) */
    snprintf(marker, sizeof marker, "%s%s", selected ? ">" : " ",
             ui_action_in_flight(u, s->id) ? "*"
             : touched                     ? touched
                                           : " ");
    const char *state_text = st == STATE_OTHER ? solution_state_text(s)
                             : c->long_state   ? state_label(st)
                                               : state_short_label(st);
    const mps_app *other = solution_other_app(s, u->profile.app_id);
    int x = 0;
    ui_put(w, y, x, marker, c->marker, base);
    x += c->marker;
    ui_put(w, y, x, s->name ? s->name : s->id, c->name, base);
    x += c->name;
    ui_put(w, y, x, "", 2, base);
    x += 2;
    ui_put(w, y, x, state_text, c->state, state_attr);
    x += c->state;
    ui_put(w, y, x, "", 2, base);
    x += 2;
    ui_put(w, y, x, role_label(role), c->role, base);
    x += c->role;
    ui_put(w, y, x, "", 2, base);
    x += 2;
    ui_put(w, y, x,
           other && other->name ? other->name
           : other && other->id ? other->id
                                : "",
           c->other, base);
    x += c->other;
    if (x < getmaxx(w))
        ui_put(w, y, x, "", getmaxx(w) - x, base);
}

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
    int width = getmaxx(w);
    columns c = compute_columns(width);
    keep_visible(u);
    draw_header(u, &c);
    int rows = ui_list_rows(u);
    long count = (long)store_visible_count(u->st);
    attr_t base = ui_theme_attr(&u->theme, THEME_LIST);
    for (int r = 0; r < rows; r++) {
        long idx = u->top + r;
        if (idx < count) {
            draw_row(u, r + 1, store_visible(u->st, (size_t)idx), &c, idx == u->sel_index);
        } else if (r == 0 && count == 0) {
            char text[256];
            empty_text(u, text, sizeof text);
            ui_put(w, 1, 0, "", 2, base);
            ui_put(w, 1, 2, text, width - 2, ui_theme_attr(&u->theme, THEME_DIM));
        } else {
            ui_put(w, r + 1, 0, "", width, base);
        }
    }
}
