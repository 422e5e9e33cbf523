/* The events feed service (ui-feed.h): the events file tailed on the loop's timer. */
#include "ui-feed.h"
#include "ui-data.h"
#include "ui-internal.h"
#include "ui-panel.h"
#include "ui-views.h"

#include <math.h> /* INFINITY */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

#define FEED_POLL_S 0.5 /* new lines show within a second */
#define FEED_GET_MAX 20 /* GETs per poll; a larger burst reloads the whole list instead */
/* Chunks of new lines (64 KiB each, some 200 deliveries) read per tick: a burst of thousands
 * is read over a few ticks with keys and drawing between them, never in one long stop. */
#define FEED_TICK_CHUNKS 4

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
    ui_idset_clear(&fd->changed);
    free(fd);
    u->feed = NULL;
}

/* ---- the backlog: read by a worker task --------------------------------------------------- */

/* On the task's thread: the feed is the task's alone until its result hands it back. */
static void read_backlog(void *ctx, const worker_task *task)
{
    events_feed *f = ctx;
    events_set_interrupt(f, ui_task_stopping, (void *)task);
    events_poll(f, now_unix());
    events_set_interrupt(f, NULL, NULL);
}

static void discard_backlog(void *ctx)
{
    events_close(ctx);
}

static void feed_primed(ui *u, events_feed *f)
{
    struct ui_feed *fd = u->feed;
    fd->f = f;
    fd->primed = true;
    fd->next_poll = ui_now() + FEED_POLL_S;
    ui_view *v = ui_view_find(u, &ui_events_ops);
    if (v)
        ui_view_touch(u, v);
    ui_dirty(u, UI_DIRTY_HEADER);
}

void ui_feed_start(ui *u)
{
    ui_feed_stop(u);
    if (!u->profile.events_file || !u->profile.events_file[0])
        return;
    struct ui_feed *fd = mps_xcalloc(1, sizeof *fd);
    u->feed = fd;
    fd->next_poll = INFINITY; /* nothing to tail before the backlog is in */
    events_feed *f = events_open(u->profile.events_file);
    /* The backlog is history: it counts onboardings but marks nothing and fetches nothing
     * (the list load that follows a start brings every solution fresh anyway). Tens of
     * thousands of lines take a second to parse: off the loop, so the list draws at once. */
    fd->backlog_job = ui_data_submit_task(u, read_backlog, f, discard_backlog, UI_TAG_FEED_BACKLOG);
    if (!fd->backlog_job) {
        events_poll(f, now_unix());
        feed_primed(u, f);
    }
}

void ui_feed_backlog_result(ui *u, worker_result *r)
{
    struct ui_feed *fd = u->feed;
    /* A feed stopped (or started again) since: its backlog is freed with the result. */
    if (!fd || fd->f || r->job != fd->backlog_job || !r->task_ctx)
        return;
    /* Even a stopped read hands back a consistent feed: tailing goes on where it ended. */
    feed_primed(u, r->task_ctx);
    r->task_ctx = NULL;
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

/* Live events: mark what they touch and note the solutions whose state they changed. */
static void take_live(ui *u, size_t first, size_t count)
{
    struct ui_feed *fd = u->feed;
    bool marked = false;
    for (size_t i = first; i < count; i++) {
        const mps_event *e = events_get(fd->f, i);
        if (!e || !e->solution_id)
            continue;
        if (!ui_idset_has(&fd->touched, e->solution_id)) {
            ui_idset_add(&fd->touched, e->solution_id);
            marked = true;
        }
        if (is_partner_solutions(e))
            ui_idset_add(&fd->changed, e->solution_id);
    }
    if (marked)
        ui_dirty(u, UI_DIRTY_LIST);
}

/* Fetches what the read's events changed, once the read is whole (a burst spans ticks). */
static void fetch_changed(ui *u)
{
    struct ui_feed *fd = u->feed;
    if (fd->changed.n > FEED_GET_MAX) {
        ui_refresh(u); /* one paged load is cheaper than a burst of single GETs */
    } else {
        for (size_t i = 0; i < fd->changed.n; i++)
            ui_data_submit(u, graph_op_get_solution(fd->changed.ids[i]), UI_TAG_FEED_GET);
    }
    ui_idset_clear(&fd->changed);
}

static bool tick_budget_spent(void *arg)
{
    int *left = arg;
    return (*left)-- <= 0;
}

void ui_feed_tick(ui *u, double now)
{
    struct ui_feed *fd = u->feed;
    if (!fd || !fd->f || now < fd->next_poll)
        return;
    size_t before_total = events_total(fd->f);
    size_t before_lines = events_lines(fd->f), before_bad = events_bad_lines(fd->f);
    bool was_present = events_present(fd->f);
    int left = FEED_TICK_CHUNKS;
    events_set_interrupt(fd->f, tick_budget_spent, &left);
    int added = events_poll(fd->f, now_unix());
    events_set_interrupt(fd->f, NULL, NULL);
    /* More is waiting: the next tick comes as soon as the loop has looked at the keys. */
    fd->next_poll = events_interrupted(fd->f) ? now : now + FEED_POLL_S;
    size_t count = events_count(fd->f);
    size_t fresh = events_total(fd->f) - before_total;
    if (fresh > count)
        fresh = count; /* more arrived than are kept: the oldest of them are gone already */
    if (fresh > 0) {
        fd->live += fresh;
        take_live(u, count - fresh, count);
    }
    if (!events_interrupted(fd->f))
        fetch_changed(u);
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
    if (!u->feed || !u->feed->f || !solution_id || !ui_idset_has(&u->feed->touched, solution_id))
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
    if (!u->feed->f) {
        const char *dots = u->utf8 ? "\u2026" : "...";
        if (cols >= UI_FEED_WIDE_COLS)
            snprintf(buf, size, "onboarded this week: reading events%s", dots);
        else
            snprintf(buf, size, "onb. reading%s", dots);
        *warn = false;
        return true;
    }
    onboarding_text(u, cols >= UI_FEED_WIDE_COLS, buf, size, warn);
    return true;
}

const char *ui_feed_customer_of(const ui *u, const char *solution_id)
{
    if (!u->feed || !u->feed->f || !solution_id)
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
    if (!u->feed || !u->feed->f)
        return;
    strset seen = {0}; /* borrows the events' ids */
    for (size_t i = 0; i < out->count; i++)
        strset_add(&seen, out->items[i]);
    for (size_t i = 0; i < events_count(u->feed->f); i++) {
        const mps_event *e = events_get(u->feed->f, i);
        for (size_t k = 0; e && k < e->partner_business_ids.count; k++)
            if (strset_add(&seen, e->partner_business_ids.items[k]))
                strlist_push(out, e->partner_business_ids.items[k]);
    }
    strset_clear(&seen);
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
            } else {
                solution_free(s);
            }
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
        mps_errtext msg;
        graph_error_format(&r->error, msg, sizeof msg);
        text_format(u->feed->note, sizeof u->feed->note, "refreshing a solution an event named: %s",
                    msg);
        ui_view *v = ui_view_find(u, &ui_events_ops);
        if (v)
            ui_view_touch(u, v);
    }
}
