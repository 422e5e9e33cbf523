/* The app state for the solution list: owns solutions, keeps the visible (filtered, sorted) view
 * and the per-state counts up to date, and answers searches. Pure C, no I/O. */
#ifndef MPSDASH_STORE_H
#define MPSDASH_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/model.h"
#include "mpsdash/state.h"

typedef struct store store;

typedef enum store_sort {
    SORT_NAME,
    SORT_STATE,
    SORT_ROLE,
    SORT_OTHER_APP,
    SORT_ID,
    SORT_COUNT
} store_sort;

store *store_new(const char *our_app_id);
void store_free(store *st);
void store_clear(store *st);

/* Inserts or replaces (by id) a solution; the store takes ownership. */
void store_upsert_take(store *st, mps_solution *s);
bool store_remove(store *st, const char *id);
const mps_solution *store_find(const store *st, const char *id);

/* A complete listing tells what is gone from the server: store_listing_begin starts one (a
 * newer one supersedes it), store_listing_mark notes each solution it brought back, and once it
 * has finished store_listing_sweep removes every solution an earlier listing brought back and
 * this one did not. Solutions only ever read alone stay. Returns how many were removed. */
void store_listing_begin(store *st);
void store_listing_mark(store *st, const char *id);
size_t store_listing_sweep(store *st);
size_t store_total(const store *st);

/* Filters: state (all_states = true shows every state) and role (ROLE_UNKNOWN = any role). */
void store_set_state_filter(store *st, bool all_states, mps_state state);
void store_set_role_filter(store *st, mps_role role);
mps_role store_role_filter(const store *st); /* ROLE_UNKNOWN when any role is shown */
bool store_state_filter(const store *st, mps_state *state); /* false when showing all */
/* The narrowing filter: only solutions matching query (as store_search matches) are shown and
 * counted; NULL or "" shows all. store_narrow gives it back ("" when none). */
void store_set_narrow(store *st, const char *query);
const char *store_narrow(const store *st);
void store_set_sort(store *st, store_sort key, bool descending);
store_sort store_sort_key(const store *st);
bool store_sort_descending(const store *st);
const char *store_sort_name(store_sort key); /* "name", "state", ... */
bool store_sort_parse(const char *word, store_sort *out);

/* The visible rows, after filter and sort. Indices are stable until the next mutation. */
size_t store_visible_count(const store *st);
const mps_solution *store_visible(const store *st, size_t index);
/* Index of the solution in the visible rows, or -1. */
long store_visible_index(const store *st, const char *id);

/* Counts per state over all solutions matching the role filter (the tab bar). */
void store_counts(const store *st, size_t counts[STATE_COUNT], size_t *all);

/* Whether s matches a search query (case-insensitive, over name, id, owner and partner app
 * names and ids). */
bool store_matches(const mps_solution *s, const char *query);
/* The next visible row matching query, searching from `from` in direction dir (+1/-1),
 * wrapping around; from itself is checked first when include_from. -1 when nothing matches. */
long store_search(const store *st, const char *query, long from, int dir, bool include_from);
/* How many visible rows match query (as store_search matches), and in *rank (when not NULL)
 * the place of visible row `row` among them, 1-based, or 0 when it does not match. Cached
 * until the solutions, the filters, the order or the query change. */
size_t store_match_count(const store *st, const char *query, long row, size_t *rank);

#endif
