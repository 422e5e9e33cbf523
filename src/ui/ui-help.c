/* The help overlay, generated from the request table and the live (possibly remapped) keymap. */
#include "ui-draw.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"

#define KEYS_W 16

typedef struct help {
    int scroll;
} help;

static void build(ui *u, int width, ui_lines *l)
{
    attr_t body = ui_theme_attr(&u->theme, THEME_DIALOG);
    attr_t title = ui_theme_attr(&u->theme, THEME_DETAIL_TITLE);
    attr_t dim = ui_theme_attr(&u->theme, THEME_DIM);
    /* Bindings the config asked for and did not get come first: they explain missing keys. */
    if (u->key_problems.count) {
        ui_lines_push(l, "Refused key bindings", ui_theme_attr(&u->theme, THEME_WARNING));
        for (size_t i = 0; i < u->key_problems.count; i++)
            ui_lines_wrap(l, u->key_problems.items[i], width, 2,
                          ui_theme_attr(&u->theme, THEME_WARNING));
        ui_lines_push(l, "", body);
    }
    for (int g = 0; g < UI_GROUP_COUNT; g++) {
        if (g > 0)
            ui_lines_push(l, "", body);
        ui_lines_push(l, ui_request_group_title((ui_request_group)g), title);
        for (int r = 1; r < REQ_COUNT; r++) {
            const ui_request_info *ri = ui_request_get((ui_request)r);
            if ((int)ri->group != g)
                continue;
            char keys[64], line[512];
            ui_keymap_describe(&u->keys, (ui_request)r, 3, keys, sizeof keys);
            bool off = (ri->action >= 0 || r == REQ_CREATE) && u->readonly;
            snprintf(line, sizeof line, "  %-*s %s%s", KEYS_W, keys[0] ? keys : "(unbound)",
                     ri->help, off ? " (read-only)" : "");
            ui_lines_wrap(l, line, width, KEYS_W + 3, off ? dim : body);
        }
    }
    ui_lines_push(l, "", body);
    ui_lines_wrap(l,
                  "Commands: :filter STATE  :sort KEY [desc]  :role owner|partner|all  "
                  ":profile NAME  :refresh  :list (back to the solutions)  :help  :q",
                  width, 2, dim);
    char views[256], line[300];
    ui_view_commands(views, sizeof views);
    snprintf(line, sizeof line, "Views by name: :%s", views);
    for (char *c = strstr(line, ", "); c; c = strstr(c, ", ")) /* ":a, b" -> ":a  :b" */
        memcpy(c, " :", 2);
    ui_lines_wrap(l, line, width, 2, dim);
    ui_lines_wrap(l, "Keys can be remapped in the config file's keys section (mpsdash.conf(5)).",
                  width, 0, dim);
}

static void help_draw(ui *u, ui_view *v)
{
    help *h = v->data;
    WINDOW *w = v->win;
    if (!w)
        return;
    int hh = getmaxy(w), wd = getmaxx(w);
    attr_t border = ui_theme_attr(&u->theme, THEME_BORDER);
    attr_t body = ui_theme_attr(&u->theme, THEME_DIALOG);
    ui_lines l = {0};
    build(u, wd - 4, &l);
    ui_frame(w, "Help  (Esc closes, j/k scroll)", border, border | A_BOLD);
    int inner = hh - 2;
    int max_scroll = (int)l.n > inner ? (int)l.n - inner : 0;
    if (h->scroll > max_scroll)
        h->scroll = max_scroll;
    if (h->scroll < 0)
        h->scroll = 0;
    for (int y = 0; y < inner; y++) {
        size_t i = (size_t)y + (size_t)h->scroll; /* both >= 0 here */
        ui_put(w, 1 + y, 1, " ", 1, body);
        ui_put(w, 1 + y, 2, i < l.n ? l.items[i].text : "", wd - 4,
               i < l.n ? l.items[i].attr : body);
        ui_put(w, 1 + y, wd - 2, " ", 1, body);
    }
    ui_lines_clear(&l);
}

static void help_resize(ui *u, ui_view *v)
{
    if (v->win)
        delwin(v->win);
    int wd = u->cols - 4 < 84 ? u->cols - 4 : 84;
    ui_lines l = {0};
    build(u, wd - 4, &l);
    int h = (int)l.n + 2;
    ui_lines_clear(&l);
    v->win = ui_view_center_window(u, h, wd);
    v->dirty = true;
}

static void help_destroy(ui *u, ui_view *v)
{
    (void)u;
    free(v->data);
}

static int help_key(ui *u, ui_view *v, int key, ui_request req)
{
    (void)key;
    help *h = v->data;
    v->dirty = true;
    if (req == REQ_REDRAW)
        return UI_UNHANDLED;
    if (req == REQ_MOVE_DOWN)
        h->scroll++;
    else if (req == REQ_MOVE_UP)
        h->scroll--;
    else if (req == REQ_PAGE_DOWN)
        h->scroll += 10;
    else if (req == REQ_PAGE_UP)
        h->scroll -= 10;
    else if (req == REQ_FIRST)
        h->scroll = 0;
    else if (req == REQ_LAST)
        h->scroll = 1 << 20;
    else if (req == REQ_BACK || req == REQ_HELP || req == REQ_QUIT || req == REQ_ENTER)
        ui_view_pop(u);
    return UI_HANDLED;
}

const ui_view_ops ui_help_ops = {
    .name = "help",
    .covers_body = false,
    .draw = help_draw,
    .key = help_key,
    .resize = help_resize,
    .destroy = help_destroy,
};

void ui_help_open(ui *u)
{
    if (ui_view_open(u, &ui_help_ops))
        return;
    help *h = mps_xcalloc(1, sizeof *h);
    ui_view_push(u, &ui_help_ops, h);
}
