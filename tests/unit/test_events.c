/* Pins the events feed: tailing a JSON-lines file (partial lines, truncation, rotation, bad
 * lines) and the rolling-week onboarding counter against the limit of 200. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "mpsdash/events.h"

#define DAY (24LL * 3600)
#define T0 1718143652LL /* the seed's partner_solutions timestamp */

typedef struct fixture {
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    strcpy(fx->dir, "/tmp/mpsdash-events-XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    snprintf(fx->path, sizeof fx->path, "%s/events.jsonl", fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

static void append(const char *path, const char *text)
{
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void overwrite(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* One account_update delivery as in the seed (waba_info with the partner business ids). */
static char *onboarding_line(const char *event, long long time, const char *waba,
                             const char *solution)
{
    char *s = malloc(1024);
    char t[32] = "";
    if (time)
        snprintf(t, sizeof t, "\"time\":%lld,", time);
    snprintf(s, 1024,
             "{\"entry\":[{\"id\":\"506914307656634\",%s\"changes\":[{\"value\":{\"event\":\"%s\","
             "\"waba_info\":{\"waba_id\":\"%s\",\"owner_business_id\":\"6143763655652543\","
             "\"solution_id\":\"%s\",\"solution_partner_business_ids\":[\"506914307656634\","
             "\"116133292427920\"]}},\"field\":\"account_update\"}]}],"
             "\"object\":\"whatsapp_business_account\"}\n",
             t, event, waba, solution);
    return s;
}

static char *solution_line(const char *event, long long time, const char *solution,
                           const char *status)
{
    char *s = malloc(1024);
    snprintf(s, 1024,
             "{\"entry\":[{\"id\":\"506914307656634\",\"time\":%lld,\"changes\":[{\"value\":{"
             "\"event\":\"%s\",\"solution_id\":\"%s\",\"solution_status\":\"%s\"},"
             "\"field\":\"partner_solutions\"}]}],\"object\":\"whatsapp_business_account\"}\n",
             time, event, solution, status);
    return s;
}

static void append_onboarding(const char *path, long long time, int n, int first_waba)
{
    for (int i = 0; i < n; i++) {
        char waba[32];
        snprintf(waba, sizeof waba, "%d", first_waba + i);
        char *l = onboarding_line("PARTNER_ADDED", time, waba, "303610109049230");
        append(path, l);
        free(l);
    }
}

static void seed_account_update_fields_parsed(void **state)
{
    fixture *fx = *state;
    char *l = onboarding_line("PARTNER_ADDED", 1690592557, "102290129340398", "303610109049230");
    overwrite(fx->path, l);
    free(l);
    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0), 1);
    const mps_event *e = events_get(f, 0);
    assert_non_null(e);
    assert_int_equal(e->time, 1690592557);
    assert_string_equal(e->business_id, "506914307656634");
    assert_string_equal(e->field, "account_update");
    assert_string_equal(e->event, "PARTNER_ADDED");
    assert_string_equal(e->waba_id, "102290129340398");
    assert_string_equal(e->solution_id, "303610109049230");
    assert_string_equal(e->owner_business_id, "6143763655652543");
    assert_int_equal(e->partner_business_ids.count, 2);
    assert_string_equal(e->partner_business_ids.items[1], "116133292427920");
    assert_true(events_is_onboarding(e));
    events_close(f);
}

static void partial_line_waits_for_its_newline(void **state)
{
    fixture *fx = *state;
    char *a = solution_line("SOLUTION_CREATED", T0, "774485461512159", "INITIATED");
    char *b = solution_line("SOLUTION_UPDATED", T0 + 5, "774485461512159", "ACTIVE");
    size_t half = strlen(b) / 2;
    overwrite(fx->path, a);
    FILE *fp = fopen(fx->path, "a");
    fwrite(b, 1, half, fp);
    fclose(fp);

    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0), 1);
    assert_int_equal(events_count(f), 1);
    assert_int_equal(events_poll(f, T0), 0); /* nothing complete yet */
    append(fx->path, b + half);
    assert_int_equal(events_poll(f, T0), 1);
    assert_string_equal(events_get(f, 1)->status, "ACTIVE");
    assert_string_equal(events_get(f, 1)->event, "SOLUTION_UPDATED");
    assert_int_equal(events_bad_lines(f), 0);
    events_close(f);
    free(a);
    free(b);
}

static void bad_lines_counted_and_skipped(void **state)
{
    fixture *fx = *state;
    char *good = solution_line("SOLUTION_CREATED", T0, "1", "INITIATED");
    overwrite(fx->path, "this is not json\n");
    append(fx->path, "\n   \n");                      /* blank: not a delivery, not bad */
    append(fx->path, "{\"object\":\"page\"}\n");      /* JSON, but no entry list */
    append(fx->path, "{\"entry\":[{\"changes\":[\n"); /* truncated JSON */
    append(fx->path, good);
    append(fx->path, "[1,2,3]\n");
    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0), 1);
    assert_int_equal(events_count(f), 1);
    assert_int_equal(events_bad_lines(f), 4);
    assert_int_equal(events_lines(f), 5);
    events_close(f);
    free(good);
}

static void over_long_line_counted_bad_and_skipped(void **state)
{
    fixture *fx = *state;
    size_t n = EVENTS_MAX_LINE + 4096;
    char *huge = malloc(n + 2);
    memset(huge, 'x', n);
    huge[n] = '\n';
    huge[n + 1] = '\0';
    overwrite(fx->path, huge);
    char *good = solution_line("SOLUTION_CREATED", T0, "1", "INITIATED");
    append(fx->path, good);
    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0), 1);
    assert_int_equal(events_bad_lines(f), 1);
    assert_string_equal(events_get(f, 0)->solution_id, "1");
    events_close(f);
    free(huge);
    free(good);
}

static void truncated_file_is_reread_from_start(void **state)
{
    fixture *fx = *state;
    char *a = solution_line("SOLUTION_CREATED", T0, "111", "INITIATED");
    char *b = solution_line("SOLUTION_UPDATED", T0 + 1, "111", "ACTIVE");
    char *c = solution_line("SOLUTION_CREATED", T0 + 2, "222", "DRAFT");
    overwrite(fx->path, a);
    append(fx->path, b);
    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0), 2);
    struct stat before;
    stat(fx->path, &before);
    /* truncate in place (same inode) and write something shorter than what was read */
    overwrite(fx->path, c);
    struct stat after;
    stat(fx->path, &after);
    assert_int_equal(before.st_ino, after.st_ino);
    assert_true(after.st_size < before.st_size);
    assert_int_equal(events_poll(f, T0), 1);
    assert_int_equal(events_count(f), 3);
    assert_string_equal(events_get(f, 2)->solution_id, "222");
    events_close(f);
    free(a);
    free(b);
    free(c);
}

static void rotated_file_is_drained_then_followed(void **state)
{
    fixture *fx = *state;
    char *a = solution_line("SOLUTION_CREATED", T0, "111", "INITIATED");
    char *late = solution_line("SOLUTION_UPDATED", T0 + 1, "111", "ACTIVE");
    char *fresh = solution_line("SOLUTION_CREATED", T0 + 2, "333", "INITIATED");
    overwrite(fx->path, a);
    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0), 1);
    /* the receiver writes one more line, then rotates and starts a new file */
    append(fx->path, late);
    char old[160];
    snprintf(old, sizeof old, "%s.1", fx->path);
    assert_int_equal(rename(fx->path, old), 0);
    overwrite(fx->path, fresh);
    assert_int_equal(events_poll(f, T0), 2);
    assert_string_equal(events_get(f, 1)->status, "ACTIVE");
    assert_string_equal(events_get(f, 2)->solution_id, "333");
    /* and keeps following the new file */
    append(fx->path, a);
    assert_int_equal(events_poll(f, T0), 1);
    assert_int_equal(events_count(f), 4);
    events_close(f);
    free(a);
    free(late);
    free(fresh);
}

static void missing_file_is_waited_for(void **state)
{
    fixture *fx = *state;
    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0), 0);
    assert_false(events_present(f));
    assert_null(events_error(f));
    char *a = solution_line("SOLUTION_CREATED", T0, "1", "INITIATED");
    overwrite(fx->path, a);
    assert_int_equal(events_poll(f, T0), 1);
    assert_true(events_present(f));
    events_close(f);
    free(a);
}

static void unreadable_path_reports_error(void **state)
{
    fixture *fx = *state;
    events_feed *f = events_open(fx->dir); /* a directory is not an events file */
    assert_int_equal(events_poll(f, T0), -1);
    assert_non_null(events_error(f));
    assert_non_null(strstr(events_error(f), fx->dir));
    events_close(f);
}

static void keep_cap_drops_oldest_events(void **state)
{
    fixture *fx = *state;
    for (int i = 0; i < 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "%d", i);
        char *l = solution_line("SOLUTION_CREATED", T0 + i, id, "INITIATED");
        append(fx->path, l);
        free(l);
    }
    events_feed *f = events_open(fx->path);
    events_set_keep(f, 3);
    assert_int_equal(events_poll(f, T0), 5);
    assert_int_equal(events_count(f), 3);
    assert_int_equal(events_total(f), 5);
    assert_string_equal(events_get(f, 0)->solution_id, "2");
    assert_string_equal(events_get(f, 2)->solution_id, "4");
    assert_null(events_get(f, 3));
    events_close(f);
}

static void onboarding_window_is_rolling_seven_days(void **state)
{
    fixture *fx = *state;
    append_onboarding(fx->path, T0, 3, 1000);
    append_onboarding(fx->path, T0 + 2 * DAY, 2, 2000);
    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0 + 2 * DAY), 5);

    events_onboarding o = events_onboarding_status(f, T0 + 7 * DAY - 1);
    assert_int_equal(o.count, 5);
    assert_int_equal(o.limit, 200);
    assert_int_equal(o.next_expiry, T0 + 7 * DAY);
    /* the first three leave the window exactly 7 days after they happened */
    o = events_onboarding_status(f, T0 + 7 * DAY);
    assert_int_equal(o.count, 2);
    assert_int_equal(o.next_expiry, T0 + 9 * DAY);
    o = events_onboarding_status(f, T0 + 9 * DAY);
    assert_int_equal(o.count, 0);
    assert_int_equal(o.next_expiry, 0);
    /* a poll with the clock moved on forgets them for good */
    assert_int_equal(events_poll(f, T0 + 9 * DAY), 0);
    o = events_onboarding_status(f, T0 + 2 * DAY);
    assert_int_equal(o.count, 0);
    events_close(f);
}

static void onboarding_warns_from_eighty_percent(void **state)
{
    fixture *fx = *state;
    append_onboarding(fx->path, T0, 159, 1);
    events_feed *f = events_open(fx->path);
    events_poll(f, T0);
    events_onboarding o = events_onboarding_status(f, T0 + 10);
    assert_int_equal(o.count, 159);
    assert_int_equal(o.percent, 79);
    assert_false(o.warn);
    assert_false(o.reached);

    append_onboarding(fx->path, T0 + 1, 1, 500);
    events_poll(f, T0 + 10);
    o = events_onboarding_status(f, T0 + 10);
    assert_int_equal(o.count, 160);
    assert_int_equal(o.percent, 80);
    assert_true(o.warn);
    assert_false(o.reached);

    append_onboarding(fx->path, T0 + 2, 40, 600);
    events_poll(f, T0 + 10);
    o = events_onboarding_status(f, T0 + 10);
    assert_int_equal(o.count, 200);
    assert_true(o.warn);
    assert_true(o.reached);
    events_close(f);
}

static void onboarding_counts_app_installed_not_other_events(void **state)
{
    fixture *fx = *state;
    char *a = onboarding_line("PARTNER_APP_INSTALLED", T0, "1", "9");
    char *b = onboarding_line("PARTNER_REMOVED", T0, "2", "9");
    char *c = solution_line("SOLUTION_CREATED", T0, "9", "INITIATED");
    overwrite(fx->path, a);
    append(fx->path, b);
    append(fx->path, c);
    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0), 3);
    assert_int_equal(events_onboarding_status(f, T0).count, 1);
    assert_false(events_is_onboarding(events_get(f, 1)));
    assert_false(events_is_onboarding(events_get(f, 2)));
    events_close(f);
    free(a);
    free(b);
    free(c);
}

static void onboarding_redelivery_counted_once(void **state)
{
    fixture *fx = *state;
    char *a = onboarding_line("PARTNER_ADDED", T0, "102290129340398", "303610109049230");
    overwrite(fx->path, a);
    append(fx->path, a);
    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0), 2);
    assert_int_equal(events_onboarding_status(f, T0).count, 1);
    events_close(f);
    free(a);
}

static void event_without_time_is_dated_by_the_poll_clock(void **state)
{
    fixture *fx = *state;
    char *a = onboarding_line("PARTNER_ADDED", 0, "77", "88");
    overwrite(fx->path, a);
    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0 + 100), 1);
    assert_int_equal(events_get(f, 0)->time, T0 + 100);
    assert_int_equal(events_onboarding_status(f, T0 + 100 + 7 * DAY - 1).count, 1);
    assert_int_equal(events_onboarding_status(f, T0 + 100 + 7 * DAY).count, 0);
    events_close(f);
    free(a);
}

/* A time that is not unix seconds, negative or far ahead: the event is skipped and counted,
 * never an onboarding counted for ever (1e400 became INT64_MAX, and the window's arithmetic
 * overflowed). */
static void nonsense_times_skipped_and_counted(void **state)
{
    fixture *fx = *state;
    static const char *const times[] = {
        "1e400",         "-1e400",    "123456789012345678901234567890", "\"soon\"", "-5", "1.5",
        "1718143652.25", "4102444800" /* 2100 */};
    char *good = onboarding_line("PARTNER_ADDED", T0, "1", "2");
    overwrite(fx->path, good);
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        char waba[16];
        snprintf(waba, sizeof waba, "9%zu", i);
        char *line = onboarding_line("PARTNER_ADDED", 1, waba, "2");
        char *at = strstr(line, "\"time\":1,");
        assert_non_null(at);
        char fixed[1200];
        snprintf(fixed, sizeof fixed, "%.*s\"time\":%s,%s", (int)(at - line), line, times[i],
                 at + strlen("\"time\":1,"));
        append(fx->path, fixed);
        free(line);
    }
    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0), 1);
    assert_int_equal(events_count(f), 1);
    assert_int_equal(events_bad_times(f), sizeof times / sizeof times[0]);
    assert_int_equal(events_bad_lines(f), 0);
    events_onboarding o = events_onboarding_status(f, T0);
    assert_int_equal(o.count, 1);
    assert_int_equal(o.next_expiry, T0 + 7 * DAY);
    /* a day of clock drift is not nonsense */
    char *soon = onboarding_line("PARTNER_ADDED", T0 + DAY, "3", "4");
    append(fx->path, soon);
    assert_int_equal(events_poll(f, T0), 1);
    assert_int_equal(events_onboarding_status(f, T0).count, 2);
    events_close(f);
    free(soon);
    free(good);
}

static size_t max_held; /* the most events held between two chunks of a read */

/* Stops after the first chunk it is asked about beyond the first: the poll ends early. */
static bool stop_after_one(void *arg)
{
    int *asked = arg;
    return ++*asked > 1;
}

/* An interrupted poll (the dashboard quitting while it reads the backlog) leaves the feed
 * consistent: the next one goes on where it stopped, no line lost or read twice, even one cut
 * by the chunk boundary. */
static void interrupted_poll_goes_on_where_it_stopped(void **state)
{
    fixture *fx = *state;
    overwrite(fx->path, "");
    append_onboarding(fx->path, T0, 2000, 1000); /* ~600 KB: many chunks */
    events_feed *f = events_open(fx->path);
    int asked = 0;
    events_set_interrupt(f, stop_after_one, &asked);
    int first = events_poll(f, T0);
    assert_true(first > 0);
    assert_true(first < 2000);
    assert_int_equal(asked, 2);
    events_set_interrupt(f, NULL, NULL);
    assert_int_equal(events_poll(f, T0), 2000 - first);
    assert_int_equal(events_total(f), 2000);
    assert_int_equal(events_lines(f), 2000);
    assert_int_equal(events_bad_lines(f), 0);
    assert_int_equal(events_onboarding_status(f, T0).count, 2000);
    events_close(f);
}

/* Lets `left` chunks through, then stops: one poll's budget. */
static bool budget_spent(void *arg)
{
    int *left = arg;
    return (*left)-- <= 0;
}

/* Polls with a budget of two chunks until a poll reaches the end; returns the polls taken. */
static int poll_in_budgets(events_feed *f, int *added)
{
    int polls = 0;
    *added = 0;
    do {
        int left = 2;
        events_set_interrupt(f, budget_spent, &left);
        int n = events_poll(f, T0);
        assert_true(n >= 0);
        *added += n;
        polls++;
        assert_true(polls < 100);
    } while (events_interrupted(f));
    events_set_interrupt(f, NULL, NULL);
    return polls;
}

/* A file rotated while a budgeted read of it is under way is finished before the new one is
 * read: no line of the old file is lost. */
static void rotation_during_a_budgeted_read_loses_nothing(void **state)
{
    fixture *fx = *state;
    overwrite(fx->path, "");
    events_feed *f = events_open(fx->path);
    assert_int_equal(events_poll(f, T0), 0);
    assert_false(events_interrupted(f));
    append_onboarding(fx->path, T0, 2000, 1000); /* ~600 KB: many budgets */
    int left = 2;
    events_set_interrupt(f, budget_spent, &left);
    int first = events_poll(f, T0);
    assert_true(events_interrupted(f));
    assert_true(first > 0 && first < 2000);
    char old[200];
    snprintf(old, sizeof old, "%s.1", fx->path);
    assert_int_equal(rename(fx->path, old), 0);
    char *l = solution_line("SOLUTION_UPDATED", T0, "440100000000018", "AFTER_ROTATE");
    overwrite(fx->path, l);
    free(l);
    int rest = 0;
    assert_true(poll_in_budgets(f, &rest) > 1);
    assert_int_equal(first + rest, 2001);
    assert_int_equal(events_total(f), 2001);
    assert_int_equal(events_onboarding_status(f, T0).count, 2000);
    assert_string_equal(events_get(f, events_count(f) - 1)->status, "AFTER_ROTATE");
    events_close(f);
    unlink(old);
}

static bool note_count(void *arg)
{
    const events_feed *f = arg;
    if (events_count(f) > max_held)
        max_held = events_count(f);
    return false;
}

/* Reading a file much longer than what is kept holds at most about twice the cap at any time,
 * not the whole file until the poll ends. */
static void long_read_holds_about_the_cap(void **state)
{
    fixture *fx = *state;
    overwrite(fx->path, "");
    append_onboarding(fx->path, T0, 3000, 1000);
    events_feed *f = events_open(fx->path);
    events_set_keep(f, 10);
    max_held = 0;
    events_set_interrupt(f, note_count, f);
    assert_int_equal(events_poll(f, T0), 3000);
    assert_true(max_held > 0);
    assert_true(max_held < 2 * 10);
    assert_int_equal(events_count(f), 10);
    assert_int_equal(events_total(f), 3000);
    assert_int_equal(events_onboarding_status(f, T0).count, 3000);
    events_close(f);
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds to read n distinct onboardings (and each once more, redelivered). */
static double onboarding_read_cost(const char *path, size_t n)
{
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            char waba[32];
            snprintf(waba, sizeof waba, "1022901293%06zu", i);
            char *line = onboarding_line("PARTNER_ADDED", T0 - (long long)(i % 1000), waba,
                                         "303610109049230");
            fputs(line, out);
            free(line);
        }
    fclose(out);
    events_feed *f = events_open(path);
    events_set_keep(f, 10);
    double start = cpu_seconds();
    assert_int_equal(events_poll(f, T0), (int)(2 * n));
    double cost = cpu_seconds() - start;
    assert_int_equal(events_onboarding_status(f, T0).count, n);
    events_close(f);
    return cost;
}

/* Counting is linear: four times the onboardings cost about four times as much, not sixteen
 * (each one was compared with every one before it). */
static void onboarding_count_is_linear(void **state)
{
    fixture *fx = *state;
    double small = onboarding_read_cost(fx->path, 8000);
    double large = onboarding_read_cost(fx->path, 32000);
    printf("# 2 x 8,000 onboardings: %.3f s CPU; 2 x 32,000: %.3f s (x%.1f)\n", small, large,
           large / small);
    assert_true(large < 7 * small + 0.05);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(seed_account_update_fields_parsed, setup, teardown),
        cmocka_unit_test_setup_teardown(partial_line_waits_for_its_newline, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_lines_counted_and_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(over_long_line_counted_bad_and_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(truncated_file_is_reread_from_start, setup, teardown),
        cmocka_unit_test_setup_teardown(rotated_file_is_drained_then_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_file_is_waited_for, setup, teardown),
        cmocka_unit_test_setup_teardown(unreadable_path_reports_error, setup, teardown),
        cmocka_unit_test_setup_teardown(keep_cap_drops_oldest_events, setup, teardown),
        cmocka_unit_test_setup_teardown(onboarding_window_is_rolling_seven_days, setup, teardown),
        cmocka_unit_test_setup_teardown(onboarding_warns_from_eighty_percent, setup, teardown),
        cmocka_unit_test_setup_teardown(onboarding_counts_app_installed_not_other_events, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(onboarding_redelivery_counted_once, setup, teardown),
        cmocka_unit_test_setup_teardown(event_without_time_is_dated_by_the_poll_clock, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(nonsense_times_skipped_and_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(onboarding_count_is_linear, setup, teardown),
        cmocka_unit_test_setup_teardown(interrupted_poll_goes_on_where_it_stopped, setup, teardown),
        cmocka_unit_test_setup_teardown(long_read_holds_about_the_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(rotation_during_a_budgeted_read_loses_nothing, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
