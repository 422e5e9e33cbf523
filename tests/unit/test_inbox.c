/* Unit tests for the inbox model: only pending requests become rows, a failing profile keeps
 * its error and loses its rows, rows sort by profile then state then name, and the actions a
 * row offers follow the panel's table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "mpsdash/inbox.h"

static mps_solution *sol(const char *id, const char *name, const char *status, const char *pending,
                         const char *owner, const char *partner)
{
    mps_solution *s = solution_new();
    s->id = mps_xstrdup(id);
    s->name = mps_xstrdup(name);
    s->status = strpool_intern(status);
    s->pending_request = strpool_intern(pending);
    s->owner_app.id = mps_xstrdup(owner);
    s->owner_app.name = mps_xstrdup(strcmp(owner, "1") == 0 ? "App One" : "App Two");
    mps_partner p = {0};
    p.app.id = (char *)partner;
    p.app.name = (char *)(strcmp(partner, "1") == 0 ? "App One" : "App Two");
    solution_set_partners(s, &p, 1);
    return s;
}

static void only_pending_requests_become_rows(void **state)
{
    inbox *ib = inbox_new();
    size_t a = inbox_add_source(ib, "one", "1");
    size_t b = inbox_add_source(ib, "two", "2");
    mps_solution *page[] = {
        sol("10", "Zeta", "INITIATED", "PENDING_ACTIVATION", "2", "1"),
        sol("11", "Alpha", "ACTIVE", "NONE", "2", "1"),
        sol("12", "Beta", "ACTIVE", "PENDING_DEACTIVATION", "2", "1"),
        sol("13", "Gamma", "DRAFT", "NONE", "1", "2"),
    };
    inbox_take(ib, a, page, 4);
    mps_solution *page2[] = {sol("10", "Zeta", "INITIATED", "PENDING_ACTIVATION", "2", "1")};
    inbox_take(ib, b, page2, 1);
    inbox_loaded(ib, a);
    assert_false(inbox_complete(ib));
    inbox_loaded(ib, b);
    assert_true(inbox_complete(ib));
    inbox_sort(ib);
    assert_int_equal(ib->nrows, 3);
    assert_int_equal(ib->sources[a].solutions, 4);
    assert_int_equal(ib->sources[a].pending, 2);
    assert_string_equal(inbox_source_app(&ib->sources[a]), "App One"); /* learned */
    assert_string_equal(ib->rows[0].solution->id, "10");               /* Pending first */
    assert_string_equal(ib->rows[1].solution->id, "12");
    assert_int_equal(ib->rows[2].source, b);
    char acts[128];
    inbox_row_actions_text(&ib->rows[0], acts, sizeof acts);
    assert_string_equal(acts, "accept, reject"); /* app 1 is the invited partner */
    inbox_row_actions_text(&ib->rows[1], acts, sizeof acts);
    assert_string_equal(acts, "accept-deactivation, reject-deactivation");
    inbox_row_actions_text(&ib->rows[2], acts, sizeof acts);
    assert_string_equal(acts, "(waits for the partner)"); /* app 2 owns it */
    inbox_free(ib);
}

static void a_failing_profile_keeps_its_error_and_loses_its_rows(void **state)
{
    inbox *ib = inbox_new();
    size_t a = inbox_add_source(ib, "one", "1");
    size_t b = inbox_add_source(ib, "two", "2");
    mps_solution *page[] = {sol("10", "Zeta", "INITIATED", "PENDING_ACTIVATION", "2", "1")};
    inbox_take(ib, a, page, 1);
    mps_solution *page2[] = {sol("20", "Eta", "INITIATED", "PENDING_ACTIVATION", "1", "2")};
    inbox_take(ib, b, page2, 1);
    inbox_fail(ib, a, "token", "the access token has expired");
    assert_int_equal(ib->nrows, 1);
    assert_int_equal(ib->rows[0].source, b);
    assert_int_equal(ib->sources[a].status, INBOX_FAILED);
    assert_string_equal(ib->sources[a].error_kind, "token");
    assert_int_equal(inbox_failed_count(ib), 1);
    /* A late page of a failed profile adds nothing. */
    mps_solution *late[] = {sol("30", "Late", "INITIATED", "PENDING_ACTIVATION", "2", "1")};
    inbox_take(ib, a, late, 1);
    assert_int_equal(ib->nrows, 1);
    inbox_loaded(ib, a); /* stays failed */
    assert_int_equal(ib->sources[a].status, INBOX_FAILED);
    inbox_free(ib);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(only_pending_requests_become_rows),
        cmocka_unit_test(a_failing_profile_keeps_its_error_and_loses_its_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
