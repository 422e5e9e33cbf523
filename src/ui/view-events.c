/* The events feed in the dashboard: tails the profile's events file on the loop's timer, marks
 * and re-fetches the solutions that live events touch, counts onboardings against the weekly
 * limit, and the events view (E) that lists the deliveries as they arrive. */
#include "ui-table.h"

#include <math.h> /* INFINITY */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpsdash/alloc.h"
#include "mpsdash/events.h"
#include "mpsdash/text.h"

#define FEED_POLL_S 0.5 /* new lines show within a second */
#define FEED_GET_MAX 20 /* GETs per poll; a larger burst reloads the whole list instead */
#define WIDE_COLS 120   /* from here on the header badge and the time column are long */

struct ui_feed {
    events_feed *f;
    bool primed; /* the backlog was read: events from now on are live */
    double next_poll;
    ui_idset touched; /* solutions live events touched: marked in the list */
    size_t live;      /* live events seen */
    char note[600];   /* the last refresh that failed, shown in the view */
    char badge[80];   /* the header badge as last drawn */
};

/* ---- the feed ---------------------------------------------------------------------------- */

static long long now_unix(void)
{
    return (long long)time(NULL);
}

void ui_feed_stop(ui *u)
{
    struct ui_feed *fd = u->feed;
    if (!fd)
        return;
    events_close(fd->f);
    ui_idset_clear(&fd->touched);
    free(fd);
    u->feed = NULL;
}

void ui_feed_start(ui *u)
{
    ui_feed_stop(u);
    if (!u->profile.events_file || !u->profile.events_file[0])
        return;
    struct ui_feed *fd = calloc(1, sizeof *fd);
    if (!fd)
        abort();
    fd->f = events_open(u->profile.events_file);
    /* The backlog is history: it counts onboardings but marks nothing and fetches nothing
     * (the list load that follows a start brings every solution fresh anyway). */
    events_poll(fd->f, now_unix());
    fd->primed = true;
    fd->next_poll = ui_now() + FEED_POLL_S;
    u->feed = fd;
}

double ui_feed_next(const ui *u, double now)
{
    if (!u->feed)
        return INFINITY;
    double wait = u->feed->next_poll - now;
    return wait > 0 ? wait : 0;
}

static bool is_partner_solutions(const mps_event *e)
{
    return e->field && strcmp(e->field, "partner_solutions") == 0;
}

/* Live events: mark what they touch and fetch the solutions whose state they changed. */
static void take_live(ui *u, size_t first, size_t count)
{
    struct ui_feed *fd = u->feed;
    strlist fetch = {0};
    bool marked = false;
    for (size_t i = first; i < count; i++) {
        const mps_event *e = events_get(fd->f, i);
        if (!e || !e->solution_id)
            continue;
        if (!ui_idset_has(&fd->touched, e->solution_id)) {
            ui_idset_add(&fd->touched, e->solution_id);
            marked = true;
        }
        if (is_partner_solutions(e) && !strlist_contains(&fetch, e->solution_id))
            strlist_push(&fetch, e->solution_id);
    }
    if (fetch.count > FEED_GET_MAX) {
        ui_refresh(u); /* one paged load is cheaper than a burst of single GETs */
    } else {
        for (size_t i = 0; i < fetch.count; i++)
            ui_data_submit(u, graph_op_get_solution(fetch.items[i]), UI_TAG_FEED_GET);
    }
    strlist_clear(&fetch);
    if (marked)
        ui_dirty(u, UI_DIRTY_LIST);
}

void ui_feed_tick(ui *u, double now)
{
    struct ui_feed *fd = u->feed;
    if (!fd || now < fd->next_poll)
        return;
    fd->next_poll = now + FEED_POLL_S;
    size_t before_total = events_total(fd->f);
    size_t before_lines = events_lines(fd->f), before_bad = events_bad_lines(fd->f);
    bool was_present = events_present(fd->f);
    int added = events_poll(fd->f, now_unix());
    size_t count = events_count(fd->f);
    size_t fresh = events_total(fd->f) - before_total;
    if (fresh > count)
        fresh = count; /* more arrived than are kept: the oldest of them are gone already */
    if (fresh > 0) {
        fd->live += fresh;
        take_live(u, count - fresh, count);
    }
    bool changed = fresh > 0 || events_lines(fd->f) != before_lines ||
                   events_bad_lines(fd->f) != before_bad || was_present != events_present(fd->f) ||
                   added < 0;
    ui_view *v = ui_view_find(u, &ui_events_ops);
    if (changed && v)
        ui_view_touch(u, v);
    /* The badge can change with no new line: onboardings leave the rolling window. */
    char badge[80];
    bool warn;
    if (ui_feed_badge(u, u->cols, badge, sizeof badge, &warn) && strcmp(badge, fd->badge) != 0) {
        snprintf(fd->badge, sizeof fd->badge, "%s", badge);
        ui_dirty(u, UI_DIRTY_HEADER);
    }
}

const char *ui_feed_mark(ui *u, const char *solution_id)
{
    if (!u->feed || !solution_id || !ui_idset_has(&u->feed->touched, solution_id))
        return NULL;
    return u->utf8 ? "\u2022" : "+";
}

static void onboarding_text(const ui *u, bool wide, char *buf, size_t size, bool *warn)
{
    events_onboarding o = events_onboarding_status(u->feed->f, now_unix());
    if (wide)
        snprintf(buf, size, "onboarded this week: %zu / %zu", o.count, o.limit);
    else
        snprintf(buf, size, "onb. %zu/%zu", o.count, o.limit);
    *warn = o.warn;
}

bool ui_feed_badge(const ui *u, int cols, char *buf, size_t size, bool *warn)
{
    if (!u->feed || size == 0)
        return false;
    onboarding_text(u, cols >= WIDE_COLS, buf, size, warn);
    return true;
}

const char *ui_feed_customer_of(const ui *u, const char *solution_id)
{
    if (!u->feed || !solution_id)
        return NULL;
    for (size_t i = events_count(u->feed->f); i-- > 0;) {
        const mps_event *e = events_get(u->feed->f, i);
        if (events_is_onboarding(e) && e->solution_id && e->owner_business_id &&
            strcmp(e->solution_id, solution_id) == 0)
            return e->owner_business_id;
    }
    return NULL;
}

void ui_feed_partner_businesses(const ui *u, strlist *out)
{
    if (!u->feed)
        return;
    for (size_t i = 0; i < events_count(u->feed->f); i++) {
        const mps_event *e = events_get(u->feed->f, i);
        for (size_t k = 0; e && k < e->partner_business_ids.count; k++)
            if (!strlist_contains(out, e->partner_business_ids.items[k]))
                strlist_push(out, e->partner_business_ids.items[k]);
    }
}

void ui_feed_result(ui *u, worker_result *r)
{
    if (!r->done)
        return;
    if (r->error.cls == GRAPH_OK) {
        for (size_t i = 0; i < r->data.solution_count; i++) {
            mps_solution *s = r->data.solutions[i];
            r->data.solutions[i] = NULL;
            if (s && s->id) {
                ui_notify_note(u, store_find(u->st, s->id), s);
                store_upsert_take(u->st, s);
            }
            else
                solution_free(s);
        }
        r->data.solution_count = 0;
        ui_selection_sync(u);
        ui_dirty(u, UI_DIRTY_BODY | UI_DIRTY_STATUS);
        return;
    }
    /* Another business's solution in a shared receiver log is not ours to see: no news. */
    if (r->error.cls == GRAPH_ERR_CANCELLED || (r->error.code == 100 && r->error.subcode == 33))
        return;
    if (u->feed) {
        char msg[500];
        graph_error_format(&r->error, msg, sizeof msg);
        snprintf(u->feed->note, sizeof u->feed->note, "refreshing a solution an event named: %s",
                 msg);
        ui_view *v = ui_view_find(u, &ui_events_ops);
        if (v)
            ui_view_touch(u, v);
    }
}

/* ---- the view ---------------------------------------------------------------------------- */

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
    return u->feed ? events_count(u->feed->f) : 0;
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
    onboarding_text(u, true, badge, sizeof badge, &warn);
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
    char when[64], text[4096], partners[1024] = "";
    time_text(e->time, true, when, sizeof when);
    size_t n = 0;
    for (size_t i = 0; i < e->partner_business_ids.count && n < sizeof partners; i++)
        n += (size_t)snprintf(partners + n, sizeof partners - n, "%s%s", i ? ", " : "",
                              e->partner_business_ids.items[i]);
    const mps_solution *s = e->solution_id && u->st ? store_find(u->st, e->solution_id) : NULL;
    snprintf(text, sizeof text,
             "time              %s\nbusiness          %s\nfield             %s\n"
             "event             %s\nsolution          %s%s%s%s\nsolution status   %s\n"
             "WABA              %s\ncustomer business %s\npartner businesses %s%s",
             when, e->business_id ? e->business_id : "-", e->field ? e->field : "-",
             e->event ? e->event : "-", e->solution_id ? e->solution_id : "-",
             s && s->name ? " (" : "", s && s->name ? s->name : "", s && s->name ? ")" : "",
             e->status ? e->status : "-", e->waba_id ? e->waba_id : "-",
             e->owner_business_id ? e->owner_business_id : "-", partners[0] ? partners : "-",
             events_is_onboarding(e) && e->solution_id && e->owner_business_id
                 ? "\n\nb fetches this customer's business token (shown masked)."
                 : "");
    ui_textbox_open(u, "Event", text, NULL);
}

static int events_key(ui *u, ui_view *v, int key, ui_request req)
{
    events_view *ev = v->data;
    if (ui_list_key(u, v, &ev->table, key, req))
        return UI_HANDLED;
    const mps_event *e = row_event(u, ev->table.sel);
    if (key == UI_KEY_ENTER) {
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

void ui_events_open(ui *u)
{
    events_view *ev = mps_xcalloc(1, sizeof *ev);
    ui_table_init(&ev->table, &events_table, ev);
    ev->seen_total = u->feed ? events_total(u->feed->f) : 0;
    ui_body_replace(u, &ui_events_ops, ev);
}
