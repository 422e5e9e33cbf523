/* One inbox across apps: every configured profile's pending requests (activation and
 * deactivation) in one list, each row knowing its profile and app, and each profile (a "source")
 * its own state: loading, loaded, or failed with the error to show in its own row. Plain data,
 * no network: the command line and the dashboard fill it from their graph results. */
#ifndef MPSDASH_INBOX_H
#define MPSDASH_INBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/model.h"
#include "mpsdash/state.h"

typedef enum inbox_status { INBOX_LOADING, INBOX_LOADED, INBOX_FAILED } inbox_status;

/* The weekly onboarding counter of a profile's app, from its events file. */
typedef struct inbox_onboarding {
    bool known;   /* the profile has an events file that could be read */
    size_t count; /* onboardings in the rolling 7 days */
    size_t limit;
    int percent;
    bool warn; /* from 80% */
    bool reached;
} inbox_onboarding;

typedef struct inbox_source {
    char *profile;
    char *app_id;
    char *app_name; /* learned from the solutions (our app as owner or partner); NULL: not yet */
    inbox_status status;
    char *error;      /* display-safe one line, FAILED only */
    char *error_kind; /* "token", "network", "rate limit", "config", ... FAILED only */
    size_t solutions; /* read so far */
    size_t pending;   /* rows of this source */
    inbox_onboarding onboarding;
} inbox_source;

typedef struct inbox_row {
    size_t source;          /* index into sources */
    mps_solution *solution; /* owned */
    mps_state state;        /* STATE_PENDING or STATE_PENDING_DEACTIVATION */
    mps_role role;
} inbox_row;

typedef struct inbox {
    inbox_source *sources; /* in configuration order */
    size_t nsources;
    inbox_row *rows; /* inbox_sort orders them */
    size_t nrows;
} inbox;

inbox *inbox_new(void);
void inbox_free(inbox *ib);
/* Adds a profile (LOADING); returns its index. */
size_t inbox_add_source(inbox *ib, const char *profile, const char *app_id);
/* The profile failed: its rows (if any) are dropped and the error kept (copied). */
void inbox_fail(inbox *ib, size_t source, const char *kind, const char *error);
/* Takes every solution of the array (ownership moves; the array stays the caller's): pending
 * ones become rows, the others are freed. */
void inbox_take(inbox *ib, size_t source, mps_solution **items, size_t n);
void inbox_loaded(inbox *ib, size_t source);
/* Profiles in configuration order, then Pending before Pending deactivation, then name. */
void inbox_sort(inbox *ib);
/* Whether every source is LOADED or FAILED. */
bool inbox_complete(const inbox *ib);
size_t inbox_failed_count(const inbox *ib);

/* Pending (INITIATED/PENDING) or pending deactivation: what the inbox lists. */
bool inbox_is_pending(const mps_solution *s);
/* The actions the panel offers on a row (in action order); returns how many. */
size_t inbox_row_actions(const inbox_row *r, mps_action out[ACTION_COUNT]);
/* "accept, reject", or "(waits for the partner)" / "(waits for the owner)". */
void inbox_row_actions_text(const inbox_row *r, char *buf, size_t size);
/* The app name to show for a source: its name, else its id. */
const char *inbox_source_app(const inbox_source *s);

#endif
