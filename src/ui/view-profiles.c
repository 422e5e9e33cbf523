/* The profile picker (P): the config's profiles, the current one marked; Enter switches to the
 * chosen one as :profile NAME does, without restarting. */
#include "ui-data.h"
#include "ui-draw.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-table.h"
#include "ui-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"

typedef struct picker {
    ui_table table;
} picker;

static size_t profile_count(const ui *u)
{
    return u->config ? u->config->profile_count : 0;
}

static bool is_current(const ui *u, const mps_profile *p)
{
    return u->profile.name && p->name && strcmp(u->profile.name, p->name) == 0;
}

static long table_count(ui *u, void *ctx)
{
    (void)ctx;
    return (long)profile_count(u);
}

static void table_row(ui *u, void *ctx, long idx, bool selected, ui_table_cells *c, char *scratch,
                      size_t size)
{
    (void)ctx, (void)selected, (void)scratch, (void)size;
    const mps_profile *p = &u->config->profiles[idx];
    c->cell[0] = p->name ? p->name : "?";
    c->cell[1] = p->app_id ? p->app_id : "-";
    c->cell[2] = p->graph_url ? p->graph_url : "(default)";
    c->mark = is_current(u, p) ? "*" : NULL;
}

static const ui_table_ops profile_table = {.count = table_count, .row = table_row};

static int list_rows(const ui_view *v)
{
    int h = v->win ? getmaxy(v->win) - 4 : 0; /* border, column line, hints */
    return h > 0 ? h : 1;
}

static void picker_draw(ui *u, ui_view *v)
{
    picker *pk = v->data;
    WINDOW *w = v->win;
    if (!w)
        return;
    int h = getmaxy(w), wd = getmaxx(w);
    attr_t border = ui_theme_attr(&u->theme, THEME_BORDER);
    werase(w);
    ui_frame(w, "Profiles", border, border | A_BOLD);
    static const char *const heads[] = {"PROFILE", "APP ID", "GRAPH URL"};
    static const int widths[] = {20, 17, 0};
    WINDOW *inner = derwin(w, h - 2, wd - 2, 1, 1);
    if (!inner)
        return;
    ui_table_columns(&pk->table, heads, widths, 3);
    ui_table_draw(u, &pk->table, inner, 0, 0, list_rows(v));
    /* one column in, as every dialog's hint line */
    ui_put(inner, h - 3, 1, "Enter switch  * current  Esc close", wd - 3,
           ui_theme_attr(&u->theme, THEME_DIM));
    delwin(inner);
}

static void picker_resize(ui *u, ui_view *v)
{
    if (v->win)
        delwin(v->win);
    int h = (int)profile_count(u) + 5;
    int w = u->cols - 4 < 90 ? u->cols - 4 : 90;
    v->win = ui_view_center_window(u, h, w);
    v->dirty = true;
}

static void picker_destroy(ui *u, ui_view *v)
{
    (void)u;
    free(v->data);
}

static int picker_key(ui *u, ui_view *v, int key, ui_request req)
{
    (void)key;
    picker *pk = v->data;
    ui_view_touch(u, v);
    if (req == REQ_REDRAW)
        return UI_UNHANDLED;
    if (ui_back_request(req) || req == REQ_PROFILES) {
        ui_view_pop(u);
        return UI_HANDLED;
    }
    if (ui_table_key(u, &pk->table, req))
        return UI_HANDLED;
    if (req == REQ_ENTER && (size_t)pk->table.sel < profile_count(u)) {
        const mps_profile *p = &u->config->profiles[pk->table.sel];
        char name[256];
        snprintf(name, sizeof name, "%s", p->name ? p->name : "");
        bool same = is_current(u, p);
        /* Closed before switching: the switch closes every view, this one included. */
        ui_view_pop(u);
        if (same)
            ui_message(u, UI_MSG_INFO, "already on profile %s", name);
        else
            ui_profile_switch(u, name);
    }
    return UI_HANDLED;
}

static const ui_view_ops profiles_ops = {
    .name = "profiles",
    .covers_body = false,
    .draw = picker_draw,
    .key = picker_key,
    .resize = picker_resize,
    .destroy = picker_destroy,
};

static void profiles_open(ui *u)
{
    if (u->demo) {
        ui_message(u, UI_MSG_INFO, "the demo has one profile; run mpsdash without --demo");
        return;
    }
    if (profile_count(u) == 0) {
        ui_message(u, UI_MSG_INFO, "no profiles in the config file (mpsdash.conf(5))");
        return;
    }
    picker *pk = mps_xcalloc(1, sizeof *pk);
    ui_table_init(&pk->table, &profile_table, pk);
    pk->table.mark_cols = 3; /* '>', then '*' on the current profile */
    pk->table.in_dialog = true;
    pk->table.fill = true;
    for (size_t i = 0; i < profile_count(u); i++)
        if (is_current(u, &u->config->profiles[i]))
            pk->table.sel = (long)i;
    ui_view_push(u, &profiles_ops, pk);
}

const ui_view_kind ui_view_profiles = {
    .command = "profiles",
    .req = REQ_PROFILES,
    .open = profiles_open,
};
