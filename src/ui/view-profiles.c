/* The profile picker (P): the config's profiles, the current one marked; Enter switches to the
 * chosen one as :profile NAME does, without restarting. */
#include "ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/text.h"

typedef struct picker {
    ui_nav nav;
} picker;

static size_t profile_count(const ui *u)
{
    return u->config ? u->config->profile_count : 0;
}

static bool is_current(const ui *u, const mps_profile *p)
{
    return u->profile.name && p->name && strcmp(u->profile.name, p->name) == 0;
}

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
    attr_t body = ui_theme_attr(&u->theme, THEME_DIALOG);
    attr_t border = ui_theme_attr(&u->theme, THEME_BORDER);
    werase(w);
    ui_frame(w, "Profiles", border, border | A_BOLD);
    static const char *const heads[] = {"PROFILE", "APP ID", "GRAPH URL"};
    int widths[] = {20, 17, 0};
    ui_put(w, 1, 1, "   ", 3, body | A_BOLD);
    WINDOW *inner = derwin(w, h - 2, wd - 2, 1, 1);
    if (!inner)
        return;
    ui_table_line(inner, 0, 3, heads, widths, 3, body | A_BOLD);
    long count = (long)profile_count(u);
    int rows = list_rows(v);
    ui_nav_clamp(&pk->nav, count, rows);
    for (int r = 0; r < rows; r++) {
        long idx = pk->nav.top + r;
        if (idx >= count) {
            ui_put(inner, 1 + r, 0, "", wd - 2, body);
            continue;
        }
        const mps_profile *p = &u->config->profiles[idx];
        bool sel = idx == pk->nav.sel;
        attr_t a = sel ? ui_theme_attr(&u->theme, THEME_SELECTED) | A_BOLD : body;
        const char *cells[] = {p->name ? p->name : "?", p->app_id ? p->app_id : "-",
                               p->graph_url ? p->graph_url : "(default)"};
        ui_put(inner, 1 + r, 0, sel ? ">" : " ", 1, a);
        ui_put(inner, 1 + r, 1, is_current(u, p) ? "*" : " ", 2, a);
        ui_table_line(inner, 1 + r, 3, cells, widths, 3, a);
    }
    ui_put(inner, h - 3, 0, "Enter switch  * current  Esc close", wd - 2,
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
    picker *pk = v->data;
    ui_view_touch(u, v);
    if (req == REQ_REDRAW)
        return UI_UNHANDLED;
    if (ui_back_key(key, req) || req == REQ_PROFILES) {
        ui_view_pop(u);
        return UI_HANDLED;
    }
    if (ui_nav_key(&pk->nav, req, (long)profile_count(u), list_rows(v)))
        return UI_HANDLED;
    if (key == UI_KEY_ENTER && (size_t)pk->nav.sel < profile_count(u)) {
        const mps_profile *p = &u->config->profiles[pk->nav.sel];
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

const ui_view_ops ui_profiles_ops = {
    .name = "profiles",
    .covers_body = false,
    .draw = picker_draw,
    .key = picker_key,
    .resize = picker_resize,
    .destroy = picker_destroy,
};

void ui_profiles_open(ui *u)
{
    if (u->demo) {
        ui_message(u, UI_MSG_INFO, "the demo has one profile; run mpsdash without --demo");
        return;
    }
    if (profile_count(u) == 0) {
        ui_message(u, UI_MSG_INFO, "no profiles in the config file (mpsdash.conf(5))");
        return;
    }
    picker *pk = calloc(1, sizeof *pk);
    if (!pk)
        abort();
    for (size_t i = 0; i < profile_count(u); i++)
        if (is_current(u, &u->config->profiles[i]))
            pk->nav.sel = (long)i;
    ui_view_push(u, &ui_profiles_ops, pk);
}
