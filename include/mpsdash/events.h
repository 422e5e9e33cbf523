/* The events feed: tails a JSON-lines file of webhook deliveries (one delivery per line, as a
 * receiver logs them), keeps the parsed events and counts onboardings in the rolling week. */
#ifndef MPSDASH_EVENTS_H
#define MPSDASH_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/inbox.h"
#include "mpsdash/model.h"

#define EVENTS_ONBOARDING_LIMIT 200 /* new customers per rolling week (MPS guide) */
#define EVENTS_ONBOARDING_WINDOW_S (7LL * 24 * 3600)
#define EVENTS_ONBOARDING_WARN_PERCENT 80
#define EVENTS_MAX_LINE (1024 * 1024)       /* a longer line is counted bad and skipped */
#define EVENTS_KEEP_DEFAULT 10000           /* events kept in memory, newest last */
#define EVENTS_FUTURE_SLACK_S (24LL * 3600) /* a later time is nonsense, not clock drift */

typedef struct events_feed events_feed;

/* Starts watching path. Never fails for a file that does not exist yet: it is opened when it
 * appears. Nothing is read until events_poll. */
events_feed *events_open(const char *path);
void events_close(events_feed *f);
/* At most max events are kept (oldest dropped first); 0 restores the default. */
void events_set_keep(events_feed *f, size_t max);

/* Reads the complete lines added since the last call; a trailing partial line waits for its
 * newline. A file that shrank below what was read is re-read from the start; a file replaced
 * under the same path (new inode: rotation) is drained, then the new one is read from the start.
 * `now` (unix seconds) dates events whose delivery has no time. Returns the number of events
 * added, or -1 when the file exists but cannot be read (events_error says why). */
int events_poll(events_feed *f, long long now);

/* A long poll asks stop(arg) between chunks of the file and returns early when it says so; the
 * next poll goes on from there (a rotated file is finished before the new one is opened). NULL:
 * never stop. (The dashboard reads the backlog on a thread of its own and must be able to quit
 * in the middle of it, and reads a burst of new lines a few chunks a tick.) */
void events_set_interrupt(events_feed *f, bool (*stop)(void *arg), void *arg);
/* Whether the last poll was stopped before the end of the file. */
bool events_interrupted(const events_feed *f);

const char *events_path(const events_feed *f);
/* Whether the file was open after the last poll. */
bool events_present(const events_feed *f);
/* The last problem (cannot open/read), or NULL when the last poll had none. Not a server
 * string: path and strerror only. */
const char *events_error(const events_feed *f);

size_t events_count(const events_feed *f);
const mps_event *events_get(const events_feed *f, size_t index); /* 0 = oldest kept */
size_t events_total(const events_feed *f);     /* events parsed since open, dropped included */
size_t events_lines(const events_feed *f);     /* non-empty lines read */
size_t events_bad_lines(const events_feed *f); /* lines that were not a webhook delivery */
/* Events skipped for a nonsense time: not unix seconds (1e400, "soon"), negative, or more than
 * EVENTS_FUTURE_SLACK_S ahead of the clock. */
size_t events_bad_times(const events_feed *f);

/* An account_update event that onboarded a customer: PARTNER_ADDED or PARTNER_APP_INSTALLED. */
bool events_is_onboarding(const mps_event *e);

/* The rolling-week onboarding counter against the limit. */
typedef struct events_onboarding {
    size_t count;          /* onboardings dated after now - 7 days (redeliveries counted once) */
    size_t limit;          /* EVENTS_ONBOARDING_LIMIT */
    int percent;           /* count * 100 / limit */
    bool warn;             /* percent >= EVENTS_ONBOARDING_WARN_PERCENT */
    bool reached;          /* count >= limit */
    long long next_expiry; /* when the oldest counted onboarding leaves the window; 0: none */
} events_onboarding;

events_onboarding events_onboarding_status(const events_feed *f, long long now);

/* The counter of the events file at path, read once from the start (the inbox shows it for
 * every profile's app); known is false when path is NULL or the file is absent or unreadable,
 * or when stop (as for events_set_interrupt; may be NULL) ended the read. */
inbox_onboarding events_file_onboarding(const char *path, long long now, bool (*stop)(void *arg),
                                        void *arg);

#endif
