/* The events feed service: tails the profile's events file on the loop's timer, marks and
 * re-fetches the solutions live events touch, and counts onboardings against the weekly limit
 * (the header badge). The events view (view-events.c) shows what it holds. */
#ifndef MPSDASH_UI_FEED_H
#define MPSDASH_UI_FEED_H

#include "mpsdash/events.h"
#include "mpsdash/model.h"
#include "mpsdash/worker.h"
#include "ui-data.h" /* ui_idset */

typedef struct ui ui;

#define UI_FEED_WIDE_COLS 120 /* from here on the badge and the events' times are long */

/* Owned by the ui (u->feed), on the loop's thread. */
struct ui_feed {
    events_feed *f; /* NULL while the worker reads the backlog (the file as it was at the start) */
    bool primed;    /* the backlog was read: events from now on are live */
    unsigned long backlog_job;
    double next_poll;
    ui_idset touched; /* solutions live events touched: marked in the list */
    ui_idset changed; /* partner_solutions events of the read under way: fetched at its end */
    size_t live;      /* live events seen */
    char note[600];   /* the last refresh that failed, shown in the view */
    char badge[80];   /* the header badge as last drawn */
};

/* Tails the profile's events_file, if it has one. Its backlog is read and counted by a worker
 * task: the dashboard draws (and loads its list) meanwhile, saying "reading events". */
void ui_feed_start(ui *u);
void ui_feed_stop(ui *u);
void ui_feed_tick(ui *u, double now);
double ui_feed_next(const ui *u, double now); /* seconds until the next poll; INFINITY: none */
/* The list's marker for a solution an event touched since the start ("•"), else NULL. */
const char *ui_feed_mark(ui *u, const char *solution_id);
/* "onboarded this week: N / 200" (shorter on narrow screens); false without an events file. */
bool ui_feed_badge(const ui *u, int cols, char *buf, size_t size, bool *warn);
void ui_feed_result(ui *u, worker_result *r);
void ui_feed_backlog_result(ui *u, worker_result *r); /* the backlog task's */
/* The customer business of the newest onboarding through solution_id, or NULL. */
const char *ui_feed_customer_of(const ui *u, const char *solution_id);
/* Adds (once each) the solution partner business ids that onboarding events named. */
void ui_feed_partner_businesses(const ui *u, strlist *out);

#endif
