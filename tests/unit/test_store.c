/* Unit tests for the store: id lookup, filters, sort order, counts, search and speed at 10,000
 * rows. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "mpsdash/store.h"

#define OUR_APP "500"

static char *dup_str(const char *s)
{
    return s ? strcpy(malloc(strlen(s) + 1), s) : NULL;
}

/* A solution we own (role owner) or are invited to (role partner), or neither. */
static mps_solution *make(const char *id, const char *name, const char *status, mps_role role,
                          const char *other_name)
{
    mps_solution *s = solution_new();
    s->id = dup_str(id);
    s->name = dup_str(name);
    s->status = strpool_intern(status);
    mps_partner p = {0};
    p.app.name = (char *)other_name;
    if (role == ROLE_OWNER) {
        s->owner_app.id = dup_str(OUR_APP);
        s->owner_app.name = dup_str("Our App");
        p.app.id = "900";
    } else {
        s->owner_app.id = dup_str("900");
        s->owner_app.name = dup_str(other_name);
        p.app.id = role == ROLE_PARTNER ? OUR_APP : "901";
        p.app.name = role == ROLE_PARTNER ? "Our App" : "Third App";
    }
    solution_set_partners(s, &p, 1);
    s->has_partners = true;
    return s;
}

static store *sample_store(void)
{
    store *st = store_new(OUR_APP);
    store_upsert_take(st, make("30", "Charlie", "ACTIVE", ROLE_OWNER, "Zeta"));
    store_upsert_take(st, make("10", "alpha", "INITIATED", ROLE_PARTNER, "Beta"));
    store_upsert_take(st, make("20", "Bravo", "REJECTED", ROLE_OWNER, "Alpha"));
    store_upsert_take(st, make("40", "Delta", "PENDING", ROLE_OWNER, "Gamma"));
    store_upsert_take(st, make("50", "Echo", "WEIRD_NEW", ROLE_PARTNER, "Delta"));
    store_upsert_take(st, make("9", "Bravo", "ACTIVE", ROLE_UNKNOWN, "Eps"));
    return st;
}

static void assert_order(const store *st, const char *const *ids, size_t n)
{
    assert_int_equal(store_visible_count(st), n);
    for (size_t i = 0; i < n; i++) {
        const mps_solution *s = store_visible(st, i);
        assert_non_null(s);
        if (strcmp(s->id, ids[i]) != 0)
            fail_msg("row %zu: got id %s, want %s", i, s->id, ids[i]);
        assert_int_equal(store_visible_index(st, ids[i]), (long)i);
    }
}
#define ORDER(st, ...)                                                                             \
    do {                                                                                           \
        static const char *const want_[] = {__VA_ARGS__};                                          \
        assert_order(st, want_, sizeof want_ / sizeof *want_);                                     \
    } while (0)

/* ---- ownership and lookup --------------------------------------------------------------- */

static void upsert_replaces_by_id(void **state)
{
    (void)state;
    store *st = sample_store();
    assert_int_equal(store_total(st), 6);
    store_upsert_take(st, make("30", "Charlie renamed", "DEACTIVATED", ROLE_OWNER, "Zeta"));
    assert_int_equal(store_total(st), 6);
    assert_string_equal(store_find(st, "30")->name, "Charlie renamed");
    assert_null(store_find(st, "31"));
    assert_null(store_find(st, NULL));
    store_free(st);
}

static void remove_keeps_other_lookups_working(void **state)
{
    (void)state;
    store *st = store_new(OUR_APP);
    char id[16];
    for (int i = 0; i < 500; i++) {
        snprintf(id, sizeof id, "%d", i);
        store_upsert_take(st, make(id, id, "ACTIVE", ROLE_OWNER, "X"));
    }
    for (int i = 0; i < 500; i += 3) {
        snprintf(id, sizeof id, "%d", i);
        assert_true(store_remove(st, id));
        assert_false(store_remove(st, id));
    }
    for (int i = 0; i < 500; i++) {
        snprintf(id, sizeof id, "%d", i);
        const mps_solution *s = store_find(st, id);
        if (i % 3 == 0) {
            assert_null(s);
        } else {
            assert_non_null(s);
            assert_string_equal(s->id, id);
        }
    }
    assert_int_equal(store_total(st), 500 - 167);
    assert_int_equal(store_visible_count(st), 500 - 167);
    store_clear(st);
    assert_int_equal(store_total(st), 0);
    assert_int_equal(store_visible_count(st), 0);
    assert_null(store_find(st, "1"));
    store_free(st);
}

/* A complete listing sweeps what an earlier one brought back and it did not; a solution only
 * read alone stays, and so does everything while no listing has finished. */
static void listing_sweep_removes_what_a_later_listing_left_out(void **state)
{
    (void)state;
    store *st = store_new(OUR_APP);
    char id[16];
    store_listing_begin(st);
    for (int i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "%d", i);
        store_upsert_take(st, make(id, id, "ACTIVE", ROLE_OWNER, "X"));
        store_listing_mark(st, id);
    }
    store_upsert_take(st, make("alone", "read alone", "ACTIVE", ROLE_OWNER, "X"));
    assert_int_equal(store_listing_sweep(st), 0);
    assert_int_equal(store_total(st), 301);

    /* The next listing brings back the odd ones only (and one new), re-read or not. */
    store_listing_begin(st);
    for (int i = 1; i < 300; i += 2) {
        snprintf(id, sizeof id, "%d", i);
        if (i % 4 == 1)
            store_upsert_take(st, make(id, id, "INITIATED", ROLE_OWNER, "X"));
        store_listing_mark(st, id);
    }
    store_upsert_take(st, make("new", "new", "ACTIVE", ROLE_OWNER, "X"));
    store_listing_mark(st, "new");
    store_listing_mark(st, "not in the store"); /* ignored */
    assert_int_equal(store_listing_sweep(st), 150);
    assert_int_equal(store_total(st), 152);
    assert_int_equal(store_visible_count(st), 152);
    for (int i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "%d", i);
        if (i % 2)
            assert_non_null(store_find(st, id));
        else
            assert_null(store_find(st, id));
    }
    assert_non_null(store_find(st, "alone"));
    assert_non_null(store_find(st, "new"));

    /* A listing superseded before it finished marks nothing the next one must keep. */
    store_listing_begin(st);
    store_listing_mark(st, "1");
    store_listing_begin(st);
    store_listing_mark(st, "3");
    store_listing_mark(st, "new");
    assert_int_equal(store_listing_sweep(st), 149);
    assert_non_null(store_find(st, "3"));
    assert_null(store_find(st, "1"));
    assert_non_null(store_find(st, "alone"));
    assert_int_equal(store_total(st), 3);
    store_free(st);
}

/* ---- sorting ---------------------------------------------------------------------------- */

static void default_sort_is_by_name_case_insensitive_then_id(void **state)
{
    (void)state;
    store *st = sample_store();
    assert_int_equal(store_sort_key(st), SORT_NAME);
    ORDER(st, "10", "9", "20", "30", "40", "50"); /* the two Bravos by numeric id: 9 < 20 */
    store_free(st);
}

static void descending_reverses_key_but_not_tie_break(void **state)
{
    (void)state;
    store *st = sample_store();
    store_set_sort(st, SORT_NAME, true);
    assert_true(store_sort_descending(st));
    ORDER(st, "50", "40", "30", "9", "20", "10");
    store_free(st);
}

static void sort_by_state_follows_tab_order(void **state)
{
    (void)state;
    store *st = sample_store();
    store_set_sort(st, SORT_STATE, false);
    /* Pending (alpha, Delta), Active (Bravo 9, Charlie), Inactive (Bravo 20), Other (Echo). */
    ORDER(st, "10", "40", "9", "30", "20", "50");
    store_free(st);
}

static void sort_by_role_other_app_and_id(void **state)
{
    (void)state;
    store *st = sample_store();
    store_set_sort(st, SORT_ROLE, false);
    ORDER(st, "20", "30", "40", "10", "50", "9");
    store_set_sort(st, SORT_OTHER_APP, false);
    /* Owners see the partner's app, partners the owner's, 9 (neither) its first partner's. */
    ORDER(st, "20", "10", "50", "40", "9", "30");
    store_set_sort(st, SORT_ID, false);
    ORDER(st, "9", "10", "20", "30", "40", "50");
    store_free(st);
}

static void sort_names_parse_back(void **state)
{
    (void)state;
    for (int k = 0; k < SORT_COUNT; k++) {
        store_sort back = SORT_COUNT;
        assert_true(store_sort_parse(store_sort_name((store_sort)k), &back));
        assert_int_equal(back, k);
    }
    store_sort k;
    assert_true(store_sort_parse("Other_App", &k));
    assert_int_equal(k, SORT_OTHER_APP);
    assert_false(store_sort_parse("size", &k));
    assert_false(store_sort_parse("nam", &k));
}

/* ---- filters and counts ----------------------------------------------------------------- */

static void state_filter_limits_visible_rows(void **state)
{
    (void)state;
    store *st = sample_store();
    mps_state f;
    assert_false(store_state_filter(st, &f));
    store_set_state_filter(st, false, STATE_ACTIVE);
    assert_true(store_state_filter(st, &f));
    assert_int_equal(f, STATE_ACTIVE);
    ORDER(st, "9", "30");
    assert_int_equal(store_visible_index(st, "10"), -1);
    store_set_state_filter(st, false, STATE_OTHER);
    ORDER(st, "50");
    store_set_state_filter(st, false, STATE_DRAFT);
    assert_int_equal(store_visible_count(st), 0);
    assert_null(store_visible(st, 0));
    store_set_state_filter(st, true, STATE_DRAFT);
    assert_int_equal(store_visible_count(st), 6);
    store_free(st);
}

static void role_filter_limits_rows_and_counts(void **state)
{
    (void)state;
    store *st = sample_store();
    size_t counts[STATE_COUNT], all;
    store_counts(st, counts, &all);
    assert_int_equal(all, 6);
    assert_int_equal(counts[STATE_PENDING], 2);
    assert_int_equal(counts[STATE_ACTIVE], 2);
    assert_int_equal(counts[STATE_INACTIVE], 1);
    assert_int_equal(counts[STATE_OTHER], 1);
    assert_int_equal(counts[STATE_DRAFT], 0);

    store_set_role_filter(st, ROLE_OWNER);
    assert_int_equal(store_role_filter(st), ROLE_OWNER);
    ORDER(st, "20", "30", "40");
    store_counts(st, counts, &all);
    assert_int_equal(all, 3);
    assert_int_equal(counts[STATE_PENDING], 1);
    assert_int_equal(counts[STATE_ACTIVE], 1);
    assert_int_equal(counts[STATE_INACTIVE], 1);
    assert_int_equal(counts[STATE_OTHER], 0);

    /* Counts ignore the state filter: the tab bar shows every tab's size. */
    store_set_state_filter(st, false, STATE_ACTIVE);
    store_counts(st, counts, &all);
    assert_int_equal(all, 3);
    ORDER(st, "30");
    store_free(st);
}

static void mutation_updates_view_and_counts(void **state)
{
    (void)state;
    store *st = sample_store();
    store_set_state_filter(st, false, STATE_PENDING);
    ORDER(st, "10", "40");
    /* The partner accepts: 10 moves from Pending to Active. */
    store_upsert_take(st, make("10", "alpha", "ACTIVE", ROLE_PARTNER, "Beta"));
    ORDER(st, "40");
    size_t counts[STATE_COUNT], all;
    store_counts(st, counts, &all);
    assert_int_equal(counts[STATE_PENDING], 1);
    assert_int_equal(counts[STATE_ACTIVE], 3);
    store_remove(st, "40");
    assert_int_equal(store_visible_count(st), 0);
    store_free(st);
}

/* ---- search ----------------------------------------------------------------------------- */

static void matches_name_id_and_app_names(void **state)
{
    (void)state;
    mps_solution *s = make("795033096057724", "Social OVD", "ACTIVE", ROLE_OWNER, "Lucky Shrub");
    assert_true(store_matches(s, "ovd"));
    assert_true(store_matches(s, "0330960"));
    assert_true(store_matches(s, "lucky"));
    assert_true(store_matches(s, "our app"));
    assert_true(store_matches(s, "900")); /* the partner's app id */
    assert_true(store_matches(s, ""));
    assert_false(store_matches(s, "brew"));
    assert_false(store_matches(NULL, "x"));
    solution_free(s);
}

static void search_folds_case_beyond_ascii(void **state)
{
    (void)state;
    mps_solution *s =
        make("795033096057724", "CAF\xC3\x89 \xCE\xA3\xCE\x9F\xCE\xA6\xCE\x99\xCE\x91", "ACTIVE",
             ROLE_OWNER,
             "\xC3\x9C"
             "ber App");
    assert_true(store_matches(s, "Caf\xC3\xA9"));                          /* Café finds CAFÉ */
    assert_true(store_matches(s, "caf\xC3\xA9 \xCF\x83\xCE\xBF\xCF\x86")); /* Greek */
    assert_true(store_matches(s, "\xC3\xBC"
                                 "ber"));   /* über finds Über */
    assert_false(store_matches(s, "cafe")); /* é is not e */
    /* The list's own search (and so the dashboard's /, its count and the narrowing) folds
     * the same way. */
    store *st = store_new(OUR_APP);
    store_upsert_take(st, s);
    store_upsert_take(st, make("2", "plain", "ACTIVE", ROLE_OWNER, "Other"));
    assert_int_equal(store_search(st, "Caf\xC3\xA9", -1, 1, true), 0);
    assert_int_equal(store_search(st, "\xCF\x83\xCE\xBF\xCF\x86", -1, 1, true), 0);
    assert_int_equal(store_search(st,
                                  "\xC3\xBC"
                                  "BER",
                                  -1, 1, true),
                     0);
    assert_int_equal(store_search(st, "cafe", -1, 1, true), -1);
    assert_int_equal(store_search(st, "PLAIN", -1, 1, true), 1);
    store_free(st);
}

static void search_wraps_in_both_directions(void **state)
{
    (void)state;
    store *st = sample_store(); /* rows: 10 alpha, 9 Bravo, 20 Bravo, 30, 40, 50 */
    assert_int_equal(store_search(st, "bravo", 0, +1, true), 1);
    assert_int_equal(store_search(st, "bravo", 1, +1, false), 2);
    assert_int_equal(store_search(st, "bravo", 2, +1, false), 1); /* wraps */
    assert_int_equal(store_search(st, "bravo", 1, -1, false), 2); /* wraps backwards */
    assert_int_equal(store_search(st, "bravo", 2, -1, false), 1);
    assert_int_equal(store_search(st, "bravo", 2, +1, true), 2);
    assert_int_equal(store_search(st, "echo", 5, +1, false), 5); /* only match: itself */
    assert_int_equal(store_search(st, "nothing", 0, +1, true), -1);
    assert_int_equal(store_search(st, "alpha", -1, +1, false), 0); /* from before the top */
    assert_int_equal(store_search(st, "echo", 99, -1, false), 5);  /* from past the end */
    store_set_state_filter(st, false, STATE_DRAFT);
    assert_int_equal(store_search(st, "alpha", 0, +1, true), -1);
    store_free(st);
}

static void search_covers_app_names_and_ids_but_not_across_fields(void **state)
{
    (void)state;
    store *st = sample_store(); /* rows: 10 alpha, 9 Bravo, 20 Bravo, 30, 40, 50 */
    assert_int_equal(store_search(st, "ZETA", 0, +1, true), 3);      /* 30's partner app */
    assert_int_equal(store_search(st, "third app", 0, +1, true), 1); /* 9's partner app */
    assert_int_equal(store_search(st, "901", 0, +1, true), 1);       /* and its id */
    assert_int_equal(store_search(st, "40", 0, +1, true), 4);        /* solution id */
    /* "Echo" then id "50": a query spanning both fields matches neither. */
    assert_int_equal(store_search(st, "echo50", 0, +1, true), -1);
    assert_int_equal(store_search(st,
                                  "o\x1f"
                                  "5",
                                  0, +1, true),
                     -1);
    store_free(st);
}

static void match_count_and_rank_follow_rows_and_changes(void **state)
{
    (void)state;
    store *st = sample_store(); /* rows: 10 alpha, 9 Bravo, 20 Bravo, 30, 40, 50 */
    size_t rank = 99;
    assert_int_equal(store_match_count(st, "BRAVO", 2, &rank), 2);
    assert_int_equal(rank, 2);
    assert_int_equal(store_match_count(st, "bravo", 1, &rank), 2);
    assert_int_equal(rank, 1);
    assert_int_equal(store_match_count(st, "bravo", 0, &rank), 2);
    assert_int_equal(rank, 0); /* alpha is no match */
    assert_int_equal(store_match_count(st, "", 0, &rank), 0);
    assert_int_equal(store_match_count(st,
                                       "o\x1f"
                                       "5",
                                       0, &rank),
                     0);
    /* A renamed solution, a filter and another order each change the answer. */
    store_upsert_take(st, make("40", "Bravo too", "PENDING", ROLE_OWNER, "Gamma"));
    assert_int_equal(store_match_count(st, "bravo", 3, &rank), 3); /* 10, 9, 20, 40, 30, 50 */
    assert_int_equal(rank, 3);
    store_set_role_filter(st, ROLE_OWNER);
    assert_int_equal(store_match_count(st, "bravo", 0, &rank), 2); /* 20, 40, 30 */
    assert_int_equal(rank, 1);
    store_set_sort(st, SORT_NAME, true); /* 30, 40, 20 */
    assert_int_equal(store_match_count(st, "bravo", 0, &rank), 2);
    assert_int_equal(rank, 0);
    assert_true(store_remove(st, "20"));
    assert_int_equal(store_match_count(st, "bravo", 1, NULL), 1);
    store_free(st);
}

static void narrowing_shows_and_counts_only_matches(void **state)
{
    (void)state;
    store *st = sample_store(); /* rows: 10 alpha, 9 Bravo, 20 Bravo, 30, 40, 50 */
    assert_string_equal(store_narrow(st), "");
    store_set_narrow(st, "BRAVO");
    assert_string_equal(store_narrow(st), "BRAVO");
    ORDER(st, "9", "20");
    size_t counts[STATE_COUNT], all;
    store_counts(st, counts, &all);
    assert_int_equal(all, 2); /* the tabs count what is left */
    assert_int_equal(counts[STATE_ACTIVE], 1);
    assert_int_equal(counts[STATE_INACTIVE], 1);
    assert_int_equal(counts[STATE_PENDING], 0);
    /* With the other filters, and on what a refresh brings. */
    store_set_role_filter(st, ROLE_OWNER);
    ORDER(st, "20");
    store_upsert_take(st, make("60", "Bravo Six", "PENDING", ROLE_OWNER, "Eta"));
    store_upsert_take(st, make("70", "Golf", "PENDING", ROLE_OWNER, "Eta"));
    ORDER(st, "20", "60");
    store_counts(st, counts, &all);
    assert_int_equal(all, 2);
    assert_int_equal(counts[STATE_PENDING], 1);
    /* App names and ids count, as for the search; a separator matches nothing. */
    store_set_role_filter(st, ROLE_UNKNOWN);
    store_set_narrow(st, "third app");
    ORDER(st, "9");
    store_set_narrow(st, "o\x1f"
                         "5");
    assert_int_equal(store_visible_count(st), 0);
    store_set_narrow(st, NULL);
    assert_string_equal(store_narrow(st), "");
    assert_int_equal(store_visible_count(st), 8);
    store_free(st);
}

/* ---- speed ------------------------------------------------------------------------------ */

/* The rows of a store built anew from st's solutions, with st's filters and order. */
static void assert_same_as_rebuilt(const store *st, char ids[][16], size_t nids)
{
    store *ref = store_new(OUR_APP);
    for (size_t i = 0; i < nids; i++) {
        const mps_solution *s = store_find(st, ids[i]);
        if (s)
            store_upsert_take(ref, solution_dup(s));
    }
    mps_state state;
    bool filtered = store_state_filter(st, &state);
    store_set_state_filter(ref, !filtered, filtered ? state : STATE_ACTIVE);
    store_set_role_filter(ref, store_role_filter(st));
    store_set_sort(ref, store_sort_key(st), store_sort_descending(st));
    assert_int_equal(store_visible_count(st), store_visible_count(ref));
    for (size_t v = 0; v < store_visible_count(ref); v++) {
        assert_string_equal(store_visible(st, v)->id, store_visible(ref, v)->id);
        assert_int_equal(store_visible_index(st, store_visible(ref, v)->id), (long)v);
    }
    size_t got[STATE_COUNT], want[STATE_COUNT], got_all, want_all;
    store_counts(st, got, &got_all);
    store_counts(ref, want, &want_all);
    assert_int_equal(got_all, want_all);
    assert_memory_equal(got, want, sizeof got);
    store_free(ref);
}

/* Pages of new and changed solutions, read between pages as the dashboard does, with filters,
 * orders and removals now and then: the rows merged page by page are the rows a whole rebuild
 * gives. */
static void pages_merged_into_the_rows_match_a_rebuild(void **state)
{
    (void)state;
    static const char *const statuses[] = {
        "ACTIVE", "INITIATED", "REJECTED", "DRAFT", "DEACTIVATED", "PENDING_DEACTIVATION", "NEW"};
    static char ids[600][16];
    size_t nids = 0;
    unsigned seed = 12345;
    store *st = store_new(OUR_APP);
    for (int page = 0; page < 40; page++) {
        for (int k = 0; k < 37; k++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 8;
            char name[32];
            snprintf(name, sizeof name, "Name %u", r % 97); /* ties on purpose */
            if (nids < 600 && (nids == 0 || r % 3 != 0)) {
                snprintf(ids[nids], sizeof ids[nids], "%u", 1000 + r % 100000);
                store_upsert_take(st, make(ids[nids], name, statuses[r % 7], (mps_role)(r % 3),
                                           r % 2 ? "Other" : "Another"));
                nids++;
            } else { /* a solution already there comes back changed */
                store_upsert_take(st, make(ids[r % nids], name, statuses[(r / 7) % 7],
                                           (mps_role)(r % 3), "Changed"));
            }
        }
        if (page % 9 == 4)
            store_set_state_filter(st, page % 2, STATE_PENDING);
        if (page % 11 == 6)
            store_set_sort(st, (store_sort)(page % SORT_COUNT), page % 4 == 2);
        if (page % 13 == 8)
            store_set_role_filter(st, (mps_role)(page % 3));
        if (page % 7 == 3)
            store_remove(st, ids[seed % nids]);
        assert_same_as_rebuilt(st, ids, nids);
    }
    store_free(st);
}

/* A refresh: solutions read again, most with the same name (their row stays where it is) but
 * a new state now and then (the tab counts and the state filter follow), a few renamed (the row
 * moves), with the view read after some single upserts and after whole pages: rows, row
 * indices and counts are always those of a rebuild. */
static void refreshed_solutions_keep_or_move_their_rows_as_a_rebuild_would(void **state)
{
    (void)state;
    static const char *const statuses[] = {
        "ACTIVE", "INITIATED", "REJECTED", "DRAFT", "DEACTIVATED", "PENDING_DEACTIVATION", "NEW"};
    enum { N = 300 };
    static char ids[N][16];
    static int names[N], roles[N];
    store *st = store_new(OUR_APP);
    for (size_t i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "%zu", 7000 + i * 7 % N);
        names[i] = (int)(i * 13 % 101); /* ties on purpose */
        roles[i] = (int)(i % 3);
    }
    unsigned seed = 99;
    for (int round = 0; round < 12; round++) {
        if (round == 4)
            store_set_state_filter(st, false, STATE_ACTIVE);
        if (round == 7)
            store_set_role_filter(st, ROLE_OWNER);
        if (round == 9)
            store_set_sort(st, SORT_STATE, true);
        for (size_t i = 0; i < N; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 8;
            if (round > 0 && r % 10 == 0)
                names[i] = (int)(r % 101); /* renamed: the row moves */
            char name[32];
            snprintf(name, sizeof name, "Name %03d", names[i]);
            const char *status = round == 0 ? "ACTIVE" : statuses[r % 7];
            store_upsert_take(st, make(ids[i], name, status, (mps_role)roles[i], "Other"));
            if (r % 17 == 0) /* a frame drawn between two answers */
                assert_same_as_rebuilt(st, ids, N);
        }
        assert_same_as_rebuilt(st, ids, N);
    }
    store_free(st);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void filter_and_search_over_ten_thousand_stay_under_a_frame(void **state)
{
    (void)state;
    static const char *const statuses[] = {
        "ACTIVE", "INITIATED", "REJECTED", "DRAFT", "DEACTIVATED", "PENDING_DEACTIVATION", "NEW"};
    static const char *const names[] = {"Social OVD with Lucky Shrub",
                                        "\xE4\xB8\xAD\xE6\x96\x87\xE8\xA7\xA3\xE5\x86\xB3",
                                        "Brew \xF0\x9F\x8D\xBA partners", "Zeta"};
    store *st = store_new(OUR_APP);
    char id[24], name[96];
    for (int i = 0; i < 10000; i++) {
        snprintf(id, sizeof id, "%d", 100000 + i * 7919 % 10000);
        snprintf(name, sizeof name, "%s %d", names[i % 4], (i * 31) % 1000);
        store_upsert_take(st, make(id, name, statuses[i % 7], (mps_role)(i % 3), "Other"));
    }
    assert_int_equal(store_total(st), 10000);
    assert_int_equal(store_visible_count(st), 10000);
    /* Sanitizer builds run several times slower; the bench measures the real figure. */
    double budget = 16.0 * 8;
    double t0 = now_ms();
    store_set_state_filter(st, false, STATE_ACTIVE);
    size_t n = store_visible_count(st);
    double filter_ms = now_ms() - t0;
    assert_true(n > 0);
    t0 = now_ms();
    long hit = store_search(st, "no such thing", 0, +1, true);
    double search_ms = now_ms() - t0;
    assert_int_equal(hit, -1);
    if (filter_ms > budget || search_ms > budget)
        fail_msg("filter %.2f ms, search %.2f ms over %.0f ms", filter_ms, search_ms, budget);
    store_free(st);
}

int main(void)
{
    setlocale(LC_ALL, "");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(upsert_replaces_by_id),
        cmocka_unit_test(remove_keeps_other_lookups_working),
        cmocka_unit_test(listing_sweep_removes_what_a_later_listing_left_out),
        cmocka_unit_test(default_sort_is_by_name_case_insensitive_then_id),
        cmocka_unit_test(descending_reverses_key_but_not_tie_break),
        cmocka_unit_test(sort_by_state_follows_tab_order),
        cmocka_unit_test(sort_by_role_other_app_and_id),
        cmocka_unit_test(sort_names_parse_back),
        cmocka_unit_test(state_filter_limits_visible_rows),
        cmocka_unit_test(role_filter_limits_rows_and_counts),
        cmocka_unit_test(mutation_updates_view_and_counts),
        cmocka_unit_test(matches_name_id_and_app_names),
        cmocka_unit_test(search_folds_case_beyond_ascii),
        cmocka_unit_test(search_wraps_in_both_directions),
        cmocka_unit_test(search_covers_app_names_and_ids_but_not_across_fields),
        cmocka_unit_test(match_count_and_rank_follow_rows_and_changes),
        cmocka_unit_test(narrowing_shows_and_counts_only_matches),
        cmocka_unit_test(filter_and_search_over_ten_thousand_stay_under_a_frame),
        cmocka_unit_test(pages_merged_into_the_rows_match_a_rebuild),
        cmocka_unit_test(refreshed_solutions_keep_or_move_their_rows_as_a_rebuild_would),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
