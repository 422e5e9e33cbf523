/* The events view (E): the deliveries the events feed (ui-feed.c) holds, newest first, as they
 * arrive. */
#include "ui-draw.h"
#include "ui-feed.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-table.h"
#include "ui-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

#define WIDE_COLS UI_FEED_WIDE_COLS

typedef struct events_view {
    ui_table table;    /* row 0 is the newest event */
    size_t seen_total; /* events_total at the last draw: arrivals shift the selection down */
    bool wide;         /* the last draw's width had room for long times */
} events_view;

enum { COL_TIME, COL_FIELD, COL_EVENT, COL_SUBJECT, COL_STATUS, COL_COUNT };

/* Lines around the table: the title, summary and column lines above it, the hints below. */
#define TABLE_CHROME 4

static size_t event_count(const ui *u)
{
    return u->feed && u->feed->f ? events_count(u->feed->f) : 0;
}

/* Row r (0 = newest). */
static const mps_event *row_event(const ui *u, long r)
{
    size_t n = event_count(u);
    if (r < 0 || (size_t)r >= n)
        return NULL;
    return events_get(u->feed->f, n - 1 - (size_t)r);
}

static void time_text(long long t, bool wide, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !localtime_r(&tt, &tm)) {
        snprintf(buf, size, "-");
        return;
    }
    strftime(buf, size, wide ? "%Y-%m-%d %H:%M:%S" : "%m-%d %H:%M:%S", &tm);
}

static void subject_text(const ui *u, const mps_event *e, char *buf, size_t size)
{
    const mps_solution *s = e->solution_id && u->st ? store_find(u->st, e->solution_id) : NULL;
    char sol[400] = "";
    if (s && s->name)
        snprintf(sol, sizeof sol, "%s (%s)", s->name, e->solution_id);
    else if (e->solution_id)
        snprintf(sol, sizeof sol, "%s", e->solution_id);
    if (e->waba_id)
        snprintf(buf, size, "WABA %s%s%s", e->waba_id, sol[0] ? " via " : "", sol);
    else
        snprintf(buf, size, "%s", sol[0] ? sol : "-");
}

static void status_text(const mps_event *e, char *buf, size_t size)
{
    if (e->status)
        snprintf(buf, size, "%s", e->status);
    else if (events_is_onboarding(e) && e->owner_business_id)
        snprintf(buf, size, "customer %s", e->owner_business_id);
    else
        snprintf(buf, size, "-");
}

/* Column widths for the table (0: the column is left out); the subject takes the rest. */
static void column_widths(int cols, int w[COL_COUNT])
{
    bool wide = cols >= WIDE_COLS;
    w[COL_TIME] = wide ? 19 : 14;
    /* Narrow: the event's name says which field it came in, so the field column goes. */
    w[COL_FIELD] = cols >= 100 ? 17 : 0;
    w[COL_EVENT] = wide ? 21 : 16;
    w[COL_STATUS] = wide ? 26 : cols >= 100 ? 20 : 12;
    int used = 0, shown = 0;
    for (int i = 0; i < COL_COUNT; i++)
        if (i != COL_SUBJECT && w[i]) {
            used += w[i];
            shown++;
        }
    w[COL_SUBJECT] = cols - used - 2 * shown;
    if (w[COL_SUBJECT] < 4)
        w[COL_SUBJECT] = 4;
}

static void summary_text(const ui *u, char *buf, size_t size)
{
    const events_feed *f = u->feed->f;
    size_t n = 0;
    n += (size_t)snprintf(buf + n, size - n, "%zu event%s from %zu line%s", events_total(f),
                          events_total(f) == 1 ? "" : "s", events_lines(f),
                          events_lines(f) == 1 ? "" : "s");
    if (events_bad_lines(f) && n < size)
        n += (size_t)snprintf(buf + n, size - n, " %s %zu bad line%s skipped", ui_glyph_dot(u),
                              events_bad_lines(f), events_bad_lines(f) == 1 ? "" : "s");
    if (events_bad_times(f) && n < size)
        n += (size_t)snprintf(buf + n, size - n, " %s %zu with a nonsense time skipped",
                              ui_glyph_dot(u), events_bad_times(f));
    if (!events_present(f) && n < size)
        n += (size_t)snprintf(buf + n, size - n, " %s waiting for the file to appear",
                              ui_glyph_dot(u));
    if (u->feed->live && n < size)
        snprintf(buf + n, size - n, " %s %zu new since the start", ui_glyph_dot(u), u->feed->live);
}

static long table_count(ui *u, void *ctx)
{
    (void)ctx;
    return (long)event_count(u);
}

static void table_row(ui *u, void *ctx, long idx, bool selected, ui_table_cells *c, char *scratch,
                      size_t size)
{
    (void)selected;
    const events_view *ev = ctx;
    const mps_event *e = row_event(u, idx);
    /* The scratch holds the time, the subject and the status, one after the other. */
    char *tbuf = scratch, *subject = scratch + 32, *status = scratch + 32 + 512;
    if (size < 32 + 512 + 128)
        return;
    time_text(e->time, ev->wide, tbuf, 32);
    subject_text(u, e, subject, 512);
    status_text(e, status, 128);
    c->cell[COL_TIME] = tbuf;
    c->cell[COL_FIELD] = e->field ? e->field : "-";
    c->cell[COL_EVENT] = e->event ? e->event : "-";
    c->cell[COL_SUBJECT] = subject;
    c->cell[COL_STATUS] = status;
    c->mark = events_is_onboarding(e) ? "+" : NULL;
}

static const ui_table_ops events_table = {.count = table_count, .row = table_row};

static void events_draw(ui *u, ui_view *v)
{
    events_view *ev = v->data;
    WINDOW *w = v->win;
    if (!w || (!v->dirty && !(u->dirty & UI_DIRTY_BODY)))
        return;
    int cols = getmaxx(w);
    attr_t dim = ui_theme_attr(&u->theme, THEME_DIM);
    werase(w);

    if (!u->feed) {
        ui_body_title(u, w, "Events", NULL, 0);
        char text[600];
        snprintf(text, sizeof text,
                 "Profile %s has no events_file. Point events_file at the JSON-lines log of "
                 "your webhook receiver (mpsdash.conf(5)) to follow partner_solutions and "
                 "account_update deliveries here.",
                 u->profile.name ? u->profile.name : "?");
        ui_body_text(w, text, 0, dim);
        ui_table_hints(u, w, "Esc back");
        wnoutrefresh(w);
        return;
    }

    if (!u->feed->f) {
        char title[700], text[800];
        snprintf(title, sizeof title, "Events %s %s", ui_glyph_dot(u), u->profile.events_file);
        ui_body_title(u, w, title, NULL, 0);
        snprintf(text, sizeof text,
                 "Reading events%s The deliveries logged before the start are counted first; "
                 "new ones are followed from then on.",
                 u->utf8 ? "\u2026" : "...");
        ui_body_text(w, text, 0, dim);
        ui_table_hints(u, w, "Esc/h/q back");
        wnoutrefresh(w);
        return;
    }

    /* Arrivals push older rows down: keep the same event selected unless following the top. */
    size_t total = events_total(u->feed->f);
    if (total > ev->seen_total && ev->table.sel > 0) {
        ev->table.sel += (long)(total - ev->seen_total);
        ev->table.top += (long)(total - ev->seen_total);
    }
    ev->seen_total = total;

    char title[700], badge[80];
    bool warn = false;
    snprintf(title, sizeof title, "Events %s %s", ui_glyph_dot(u), events_path(u->feed->f));
    ui_feed_badge(u, WIDE_COLS, badge, sizeof badge, &warn);
    ui_body_title(u, w, title, badge,
                  ui_theme_attr(&u->theme, warn ? THEME_WARNING : THEME_DETAIL_TITLE) | A_BOLD);

    char summary[400];
    summary_text(u, summary, sizeof summary);
    const char *problem = events_error(u->feed->f);
    if (!problem && u->feed->note[0])
        problem = u->feed->note;
    ui_put(w, 1, 0, " ", 1, dim);
    int sw = text_width(summary);
    ui_put(w, 1, 1, summary, sw < cols - 1 ? sw : cols - 1, dim);
    if (problem && sw + 4 < cols)
        ui_put(w, 1, sw + 3, problem, cols - sw - 3, ui_theme_attr(&u->theme, THEME_ERROR));

    int widths[COL_COUNT];
    column_widths(cols - 2, widths);
    static const char *const heads[COL_COUNT] = {"TIME", "FIELD", "EVENT", "SOLUTION / WABA",
                                                 "STATUS"};
    ui_table_columns(&ev->table, heads, widths, COL_COUNT);
    ev->wide = cols >= WIDE_COLS;
    ev->table.empty = "no events yet: new deliveries appear here as they are logged";
    ui_table_draw(u, &ev->table, w, 2, 0, ui_body_rows(v, TABLE_CHROME));
    ui_table_hints(u, w,
                   "j/k move  Enter details  b business token (onboarding events)  "
                   "Esc/h/q back");
    wnoutrefresh(w);
}

static void event_details(ui *u, const mps_event *e)
{
    char when[64], partners[1024] = "", solution[512];
    time_text(e->time, true, when, sizeof when);
    size_t n = 0;
    for (size_t i = 0; i < e->partner_business_ids.count && n < sizeof partners; i++)
        n += (size_t)snprintf(partners + n, sizeof partners - n, "%s%s", i ? ", " : "",
                              e->partner_business_ids.items[i]);
    const mps_solution *s = e->solution_id && u->st ? store_find(u->st, e->solution_id) : NULL;
    snprintf(solution, sizeof solution, "%s%s%s%s", e->solution_id ? e->solution_id : "",
             s && s->name ? " (" : "", s && s->name ? s->name : "", s && s->name ? ")" : "");
    const ui_field fields[] = {
        {"time", when},
        {"business", e->business_id},
        {"field", e->field},
        {"event", e->event},
        {"solution", solution},
        {"solution status", e->status},
        {"WABA", e->waba_id},
        {"customer business", e->owner_business_id},
        {"partner businesses", partners},
    };
    ui_textbox_open_fields(u, "Event", fields, COUNT_OF(fields),
                           events_is_onboarding(e) && e->solution_id && e->owner_business_id
                               ? "b fetches this customer's business token (shown masked)."
                               : NULL);
}

static int events_key(ui *u, ui_view *v, int key, ui_request req)
{
    events_view *ev = v->data;
    if (ui_list_key(u, v, &ev->table, req))
        return UI_HANDLED;
    const mps_event *e = row_event(u, ev->table.sel);
    if (req == REQ_ENTER) {
        if (e)
            event_details(u, e);
        return UI_HANDLED;
    }
    if (req == REQ_BUSINESS_TOKEN) {
        if (!e || !events_is_onboarding(e) || !e->solution_id || !e->owner_business_id) {
            ui_message(u, UI_MSG_INFO,
                       "b works on onboarding events (PARTNER_ADDED): they name the customer's "
                       "business and the solution");
            return UI_HANDLED;
        }
        ui_token_open(u, e->solution_id, e->owner_business_id);
        return UI_HANDLED;
    }
    if (req == REQ_EVENTS)
        return UI_HANDLED;
    return UI_UNHANDLED;
}

static void events_destroy(ui *u, ui_view *v)
{
    (void)u;
    free(v->data);
}

const ui_view_ops ui_events_ops = {
    .name = "events",
    .covers_body = true,
    .draw = events_draw,
    .key = events_key,
    .resize = ui_body_resize,
    .destroy = events_destroy,
};

static void events_view_open(ui *u)
{
    events_view *ev = mps_xcalloc(1, sizeof *ev);
    ui_table_init(&ev->table, &events_table, ev);
    ev->seen_total = u->feed && u->feed->f ? events_total(u->feed->f) : 0;
    ui_body_replace(u, &ui_events_ops, ev);
}

const ui_view_kind ui_view_events = {
    .command = "events",
    .req = REQ_EVENTS,
    .open = events_view_open,
};
