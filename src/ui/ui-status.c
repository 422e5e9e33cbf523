/* The status area: spinner, the last message or error (wrapped above the status line when long),
 * key hints, and "3 of 42 · sorted by name". */
#include "ui-panel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/text.h"
#include "mpsdash/util.h"

#define MESSAGE_MAX_LINES 2
#define RIGHT_RESERVE 34 /* room kept for the position text when the message shares the line */

static const struct {
    ui_message_level level;
    double seconds; /* how long it stays; 0 = until replaced or dismissed */
    theme_role role;
} levels[] = {
    {UI_MSG_NONE, 0, THEME_STATUS},
    {UI_MSG_INFO, 5, THEME_STATUS},
    {UI_MSG_WARNING, 15, THEME_WARNING},
    {UI_MSG_ERROR, 0, THEME_ERROR},
};

static int message_lines(const ui *u, int cols)
{
    if (!u->message[0] || cols <= 0)
        return 0;
    int w = text_width(u->message) + 2;
    if (w <= cols - RIGHT_RESERVE)
        return 0; /* shares the status line */
    int lines = (w + cols - 1) / cols;
    return lines > MESSAGE_MAX_LINES ? MESSAGE_MAX_LINES : lines;
}

int ui_status_height(const ui *u)
{
    return 1 + message_lines(u, u->cols);
}

static void message_changed(ui *u)
{
    ui_dirty(u, UI_DIRTY_STATUS);
    if (u->screen_started && !u->too_small && ui_status_height(u) != u->status_h)
        ui_dirty(u, UI_DIRTY_LAYOUT);
}

void ui_message(ui *u, ui_message_level level, const char *fmt, ...)
{
    char raw[sizeof u->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    /* Messages quote server text, config text and paths: one more sanitising pass is cheap. */
    char *safe = text_sanitize(raw, strlen(raw), false);
    snprintf(u->message, sizeof u->message, "%s", safe ? safe : "");
    free(safe);
    u->message_level = level;
    u->message_until = 0;
    for (size_t i = 0; i < COUNT_OF(levels); i++)
        if (levels[i].level == level && levels[i].seconds > 0)
            u->message_until = ui_now() + levels[i].seconds;
    message_changed(u);
}

void ui_message_clear(ui *u)
{
    if (!u->message[0])
        return;
    u->message[0] = '\0';
    u->message_level = UI_MSG_NONE;
    u->message_until = 0;
    message_changed(u);
}

static theme_role level_role(ui_message_level level)
{
    for (size_t i = 0; i < COUNT_OF(levels); i++)
        if (levels[i].level == level)
            return levels[i].role;
    return THEME_STATUS;
}

/* "a accept  x reject  / search  f filter  ? help": offered actions first, then the usual. */
static void hints(ui *u, char *buf, size_t size)
{
    static const ui_request general[] = {REQ_SEARCH,  REQ_FILTER_NEXT, REQ_SORT_NEXT,
                                         REQ_COMMAND, REQ_HELP,        REQ_QUIT};
    static const char *general_names[] = {"search", "filter", "sort", "command", "help", "quit"};
    size_t n = 0;
    buf[0] = '\0';
    /* Over a view the list's keys do nothing (and q goes back): the view draws its own hints
     * and only the help is left to name here. An overlay has its own hints. */
    size_t first_general = 0, general_count = COUNT_OF(general);
    if (u->top_view != &u->base) {
        if (!u->top_view->ops->covers_body)
            return;
        first_general = 4; /* help */
        general_count = 5;
    }
    const mps_solution *s = u->top_view == &u->base ? ui_selected(u) : NULL;
    for (int r = 1; s && r < REQ_COUNT; r++) {
        const ui_request_info *ri = ui_request_get((ui_request)r);
        if (ri->action < 0 || !ui_action_available(u, s, (mps_action)ri->action, NULL))
            continue;
        char keys[32];
        ui_keymap_describe(&u->keys, (ui_request)r, 1, keys, sizeof keys);
        if (keys[0] && n < size)
            n += (size_t)snprintf(buf + n, size - n, "%s %s  ", keys, ri->name);
    }
    for (size_t i = first_general; i < general_count; i++) {
        char keys[32];
        ui_keymap_describe(&u->keys, general[i], 1, keys, sizeof keys);
        if (keys[0] && n < size)
            n += (size_t)snprintf(buf + n, size - n, "%s %s  ", keys, general_names[i]);
    }
}

static void position(ui *u, char *buf, size_t size)
{
    size_t count = store_visible_count(u->st);
    const char *dir = store_sort_descending(u->st) ? ", reversed" : "";
    int n;
    if (count == 0)
        n = snprintf(buf, size, "0 of 0 %s sorted by %s%s", ui_glyph_dot(u),
                     store_sort_name(store_sort_key(u->st)), dir);
    else
        n = snprintf(buf, size, "%ld of %zu %s sorted by %s%s", ui_panel_of(u)->list.sel + 1, count,
                     ui_glyph_dot(u), store_sort_name(store_sort_key(u->st)), dir);
    const char *search = ui_panel_of(u)->list.search;
    if (search[0] && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - n, " %s /%s", ui_glyph_dot(u), search);
}

void ui_status_draw(ui *u)
{
    WINDOW *w = u->w_status;
    if (!w)
        return;
    int h = getmaxy(w), cols = getmaxx(w);
    attr_t base = ui_theme_attr(&u->theme, THEME_STATUS);
    attr_t msg_attr = ui_theme_attr(&u->theme, level_role(u->message_level));

    /* Long messages get their own lines above the status line, word-wrapped. */
    int mlines = h - 1;
    const char *m = u->message;
    for (int y = 0; y < mlines; y++) {
        int cols_used;
        size_t n = text_prefix_fitting(m, cols - 1, &cols_used);
        if (y == mlines - 1 || !m[n]) {
            ui_put(w, y, 0, " ", 1, msg_attr);
            ui_put(w, y, 1, m, cols - 1, msg_attr);
            m = "";
            continue;
        }
        size_t cut = n;
        while (m[n] != ' ' && cut > 0 && m[cut - 1] != ' ')
            cut--;
        if (cut == 0)
            cut = n;
        char line[1024];
        if (cut >= sizeof line)
            cut = sizeof line - 1;
        memcpy(line, m, cut);
        line[cut] = '\0';
        ui_put(w, y, 0, " ", 1, msg_attr);
        ui_put(w, y, 1, line, cols - 1, msg_attr);
        m += cut;
        while (*m == ' ')
            m++;
    }

    int y = h - 1;
    char right[512] = "";
    /* A view over the whole body counts its own rows in its own hint line: the list's
     * position under it would name rows that are not on screen. */
    bool covered = u->top_view != &u->base && u->top_view->ops->covers_body;
    if (!covered)
        position(u, right, sizeof right);
    int rw = text_width(right) + 1;
    if (rw > cols / 2)
        rw = cols / 2;
    int x = 0;
    ui_put(w, y, x, ui_busy(u) ? ui_spinner_frame(u) : " ", 1, base);
    x += 1;
    ui_put(w, y, x, " ", 1, base);
    x += 1;
    int left_w = cols - x - rw - 1;
    if (mlines == 0 && u->message[0]) {
        ui_put(w, y, x, u->message, left_w, msg_attr);
    } else {
        char hint[512];
        hints(u, hint, sizeof hint);
        ui_put(w, y, x, hint, left_w, base);
    }
    x += left_w > 0 ? left_w : 0;
    ui_put(w, y, x, " ", 1, base);
    ui_put(w, y, x + 1, right, cols - x - 1, base);
}
