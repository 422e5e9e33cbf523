/* The data side (ui-data.c): the profile and its worker, the jobs the UI submits (tagged by what
 * they are for) and the routing of their results, the refresh schedule, and the id sets that
 * follow a reload. Runs on the loop's thread; the worker only ever sees copies. */
#ifndef MPSDASH_UI_DATA_H
#define MPSDASH_UI_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/config.h"
#include "mpsdash/graph.h"
#include "mpsdash/model.h"
#include "mpsdash/worker.h"
#include "ui-views.h" /* UI_VIEW_INFO: the views' tags */

typedef struct ui ui;

/* What a job was for: results are routed by this tag. The views' tags come from the registry
 * (ui-views.h). */
#define UI_VIEW_TAG(tag, name, ...) UI_TAG_##tag,
typedef enum ui_tag {
    UI_TAG_LIST = 1,
    UI_TAG_APP,
    UI_TAG_DETAIL,
    UI_TAG_ACTION,
    UI_TAG_FEED_GET,     /* ui-feed.c: GET of a solution an event touched */
    UI_TAG_FEED_BACKLOG, /* ui-feed.c: the task reading the events file's backlog */
    UI_TAG_VIEWS,        /* the registry's tags follow, one a view */
    UI_VIEW_INFO(UI_VIEW_TAG) UI_TAG_COUNT
} ui_tag;
#undef UI_VIEW_TAG

/* A set of ids (owned copies, hashed), for the removal of solutions a complete reload no longer
 * has. Adding and asking interleave: a sorted array would be sorted again for every question. */
typedef struct ui_idset {
    char **ids;
    size_t n, cap;
    strset index;
} ui_idset;

void ui_idset_add(ui_idset *s, const char *id);
bool ui_idset_has(const ui_idset *s, const char *id);
void ui_idset_clear(ui_idset *s);

/* ---- ui-data.c: the worker, the profile and results ---- */
/* Resolves a profile (NULL = the default one), starts its worker. Before or after curses. */
bool ui_data_connect(ui *u, const char *profile_name, const profile_overrides *ov, char *err,
                     size_t err_size);
void ui_data_disconnect(ui *u);
bool ui_data_start_demo(ui *u, char *err, size_t err_size);
void ui_data_stop_demo(ui *u);
void ui_refresh(ui *u);
void ui_data_poll(ui *u); /* drains the worker's results */
/* Fetches details for the selected solution when the list lacked them (fallback mode). */
void ui_data_want_detail(ui *u);
unsigned long ui_data_submit(ui *u, graph_op *op, ui_tag tag);
/* ui_data_submit as a worker identity (0: the dashboard's profile). */
unsigned long ui_data_submit_as(ui *u, unsigned long identity, graph_op *op, ui_tag tag);
/* A worker task (worker_submit_task) of this profile's generation; 0 without a worker (ctx is
 * then still the caller's). */
unsigned long ui_data_submit_task(ui *u, worker_task_fn run, void *ctx, void (*discard)(void *),
                                  ui_tag tag);
/* worker_task_stopping as an events_set_interrupt callback (arg: the worker_task). */
bool ui_task_stopping(void *task);
/* The graph options for a resolved profile (its token, app, URL; the dashboard's trace). The
 * strings stay rp's. */
void ui_data_graph_options(const ui *u, const resolved_profile *rp, graph_options *go);
/* Seconds one dashboard operation may take: --timeout, the timeout setting or the default. */
int ui_deadline_s(const ui *u);
bool ui_busy(const ui *u);
bool ui_profile_switch(ui *u, const char *name);
/* Auto-refresh interval after the API-usage slow-down; 0 = paused or off. */
double ui_refresh_interval_effective(const ui *u);
void ui_schedule_refresh(ui *u);

/* ---- ui-notify.c: new requests that await us ---- */
/* Whether a solution awaits this app's answer (a request or a deactivation request). */
bool ui_solution_awaits_us(const ui *u, const mps_solution *s);
/* Called before a refresh stores `now` over `before` (NULL when new): counts a request that
 * newly awaits us, says so in the status line and marks its state tab. Silent until the
 * profile's first load completed. */
void ui_notify_note(ui *u, const mps_solution *before, const mps_solution *now);
/* After doupdate: rings the bell and/or writes OSC 9 / OSC 777 for what was noted, as the
 * config's `notify` says. */
void ui_notify_flush(ui *u);

#endif
