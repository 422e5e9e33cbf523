/* The status area: spinner, the last message or error (wrapped above the status line when long),
 * key hints, and "3 of 42 · sorted by name". */
#include "ui-actions.h"
#include "ui-data.h"
#include "ui-draw.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-panel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/text.h"
#include "mpsdash/util.h"

#define MESSAGE_MAX_LINES 2

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

static theme_role level_role(ui_message_level level)
{
    for (size_t i = 0; i < COUNT_OF(levels); i++)
        if (levels[i].level == level)
            return levels[i].role;
    return THEME_STATUS;
}

static void position(const ui *u, char *buf, size_t size)
{
    size_t count = store_visible_count(u->st);
    const char *dir = store_sort_descending(u->st) ? ", reversed" : "";
    /* The search's match count first: a narrow status line cuts the end, and the query is
     * on the tab bar's chip too. */
    const char *search = ui_panel_of(u)->list.search;
    int n = 0;
    if (search[0]) {
        char matches[64];
        ui_search_count(u, search, matches, sizeof matches);
        n = snprintf(buf, size, "%s %s ", matches, ui_glyph_dot(u));
        if (n < 0 || (size_t)n >= size)
            return;
    }
    int m = snprintf(buf + n, size - (size_t)n, "%ld of %zu %s sorted by %s%s",
                     count ? ui_panel_of(u)->list.sel + 1 : 0, count, ui_glyph_dot(u),
                     store_sort_name(store_sort_key(u->st)), dir);
    if (search[0] && m > 0 && (size_t)n + (size_t)m < size)
        snprintf(buf + n + m, size - (size_t)n - (size_t)m, " %s /%s", ui_glyph_dot(u), search);
}

#define PROGRESS_AFTER_S 0.5 /* an operation quicker than this gets no line of its own */

static void message_changed(ui *u);

void ui_status_progress(ui *u, const worker_result *r)
{
    graph_progress *to = NULL;
    if (u->list_loading && r->job == u->list_job && r->generation == u->list_gen)
        to = &u->list_progress;
    for (size_t i = 0; !to && i < u->action_count; i++)
        if (u->actions[i].job == r->job)
            to = &u->actions[i].progress;
    if (!to)
        return; /* a view's job: its own pane shows its loading */
    *to = r->progress;
    message_changed(u);
}

/* ", attempt 2 of 5 (rate limit)" while a GET is retried, else "". An action's POST is never
 * resent: only its re-check (before it) or its read-back (after it) can be on attempt 2. */
static void attempt_text(const graph_progress *p, bool action, char *buf, size_t size)
{
    buf[0] = '\0';
    if (p->attempt <= 1)
        return;
    const char *which = !action ? "" : p->posted ? "read-back " : "re-check ";
    snprintf(buf, size, ", %sattempt %d of %d (%s)", which, p->attempt, p->of,
             graph_error_class_name(p->why));
}

/* The operation in flight the status area tells about, for as long as it runs: the newest
 * action, else the list's load; what it does, for how long, and its deadline. */
static bool progress_text(const ui *u, char *buf, size_t size)
{
    double now = ui_now();
    int deadline = ui_deadline_s(u);
    if (u->action_count > 0) {
        const ui_pending_action *pa = &u->actions[u->action_count - 1];
        double elapsed = now - pa->started;
        if (elapsed < PROGRESS_AFTER_S)
            return false;
        char more[48] = "";
        if (u->action_count > 1)
            snprintf(more, sizeof more, " (%zu more in flight)", u->action_count - 1);
        char attempt[96];
        attempt_text(&pa->progress, true, attempt, sizeof attempt);
        snprintf(buf, size, "%s \"%s\"%s%s: sent %.0f s ago%s, deadline %d s%s",
                 action_get(pa->action)->verb, pa->name ? pa->name : pa->solution_id,
                 pa->profile ? " as " : "", pa->profile ? pa->profile : "", elapsed, attempt,
                 deadline, more);
        return true;
    }
    if (u->list_loading && u->list_load_started > 0) {
        double elapsed = now - u->list_load_started;
        if (elapsed < PROGRESS_AFTER_S)
            return false;
        char attempt[96];
        attempt_text(&u->list_progress, false, attempt, sizeof attempt);
        snprintf(buf, size, "loading the solutions: %.0f s%s, deadline %d s", elapsed, attempt,
                 deadline);
        return true;
    }
    return false;
}

/* The status line's room for a short notice: what the position text on its right leaves. */
static int share_room(const ui *u)
{
    char right[512] = "";
    if (!(u->top_view != &u->base && u->top_view->ops->covers_body))
        position(u, right, sizeof right);
    int rw = text_width(right) + 1;
    if (rw > u->cols / 2)
        rw = u->cols / 2;
    return u->cols - rw - 3;
}

/* What the lines above the status line show, most important first: an error or a warning
 * (never over the key hints), an operation in flight, else a message too long to share the
 * status line. NULL: nothing; a short notice then shares the status line for a few seconds. */
static const char *above_text(const ui *u, char *buf, size_t size, theme_role *role)
{
    *role = level_role(u->message_level);
    if (u->message[0] && u->message_level >= UI_MSG_WARNING)
        return u->message;
    if (progress_text(u, buf, size)) {
        *role = THEME_STATUS;
        return buf;
    }
    if (u->message[0] && text_width(u->message) + 2 > share_room(u))
        return u->message;
    return NULL;
}

static int message_lines(const ui *u, int cols)
{
    char buf[512];
    theme_role role;
    const char *m = above_text(u, buf, sizeof buf, &role);
    if (!m || cols <= 0)
        return 0;
    int w = text_width(m) + 2;
    int lines = (w + cols - 1) / cols;
    return lines > MESSAGE_MAX_LINES ? MESSAGE_MAX_LINES : lines < 1 ? 1 : lines;
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
    u->message_drawn = false;
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
    if (s && ui_panel_of(u)->detail_focus) {
        /* The detail pane has the moving keys: say so first, and the way in and out. */
        static const ui_request focus[] = {REQ_MOVE_DOWN, REQ_ENTER, REQ_BACK};
        static const char *focus_names[] = {"scroll", "partners", "list"};
        for (size_t i = 0; i < COUNT_OF(focus); i++) {
            char keys[32];
            ui_keymap_describe(&u->keys, focus[i], 1, keys, sizeof keys);
            if (keys[0] && n < size)
                n += (size_t)snprintf(buf + n, size - n, "%s %s  ", keys, focus_names[i]);
        }
    }
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

void ui_status_draw(ui *u)
{
    WINDOW *w = u->w_status;
    if (!w)
        return;
    int h = getmaxy(w), cols = getmaxx(w);
    attr_t base = ui_theme_attr(&u->theme, THEME_STATUS);
    char progress[512];
    theme_role above_role;
    const char *above = above_text(u, progress, sizeof progress, &above_role);
    attr_t msg_attr = ui_theme_attr(&u->theme, above_role);

    /* The lines above the status line, word-wrapped (above_text says what goes there). */
    int mlines = h - 1;
    const char *m = above ? above : "";
    if (above == u->message && mlines > 0)
        u->message_drawn = true;
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
    if (u->message[0] && !above && u->message_level < UI_MSG_WARNING) {
        /* a short notice shares the status line for a few seconds */
        ui_put(w, y, x, u->message, left_w, ui_theme_attr(&u->theme, level_role(u->message_level)));
        u->message_drawn = true;
    } else {
        char hint[512];
        hints(u, hint, sizeof hint);
        ui_put(w, y, x, hint, left_w, base);
    }
    x += left_w > 0 ? left_w : 0;
    ui_put(w, y, x, " ", 1, base);
    ui_put(w, y, x + 1, right, cols - x - 1, base);
}
