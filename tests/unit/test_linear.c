/* Cost that grows with the data, not its square: permission sets compared, merged, diffed and
 * printed at a size (400,000 a side) where a scan inside a loop would need ~10^11 string
 * comparisons, hours, far past this test's timeout; linear code takes about a second. The
 * timings live in tests/bench/bench_linear.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four above first. */
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli_internal.h"
#include "mpsdash/model.h"

#define N 400000

static void fill(strlist *l, size_t from, size_t count)
{
    char name[32];
    for (size_t i = 0; i < count; i++) {
        snprintf(name, sizeof name, "PERM_%07zu", from + i);
        strlist_push(l, name);
    }
}

/* Owner holds [0, N), the one partner [N/2, N/2 + N): half shared. */
static mps_solution *huge_solution(void)
{
    mps_solution *s = solution_new();
    s->id = strdup("900000000000001");
    s->name = strdup("Huge");
    s->status = strpool_intern("ACTIVE");
    s->owner_app.id = strdup("1");
    s->has_owner_permissions = true;
    fill(&s->owner_permissions, 0, N);
    s->partners = calloc(1, sizeof *s->partners);
    s->partner_count = 1;
    s->has_partners = true;
    s->partners[0].app.id = strdup("2");
    s->partners[0].has_permissions = true;
    fill(&s->partners[0].permissions, N / 2, N);
    return s;
}

static void strset_counts_distinct_members(void **state)
{
    (void)state;
    strset set = {0};
    assert_true(strset_add(&set, "a"));
    assert_false(strset_add(&set, "a"));
    assert_true(strset_add(&set, "b"));
    size_t order = 99;
    assert_true(strset_find(&set, "b", &order));
    assert_int_equal(order, 1);
    assert_false(strset_has(&set, "c"));
    assert_false(strset_add(&set, NULL));
    assert_int_equal(set.count, 2);
    strset_clear(&set);
    assert_false(strset_has(&set, "a"));
}

static void equal_sets_in_any_order_at_scale(void **state)
{
    (void)state;
    strlist a = {0}, b = {0};
    fill(&a, 0, N);
    for (size_t i = N; i-- > 0;) /* the same members backwards */
        strlist_push(&b, a.items[i]);
    assert_true(strlist_equal(&a, &b));
    free(b.items[0]);
    b.items[0] = strdup("SOMETHING_ELSE");
    assert_false(strlist_equal(&a, &b));
    strlist_clear(&a);
    strlist_clear(&b);
}

static void permission_union_at_scale(void **state)
{
    (void)state;
    mps_solution *s = huge_solution();
    strlist all = {0};
    static const char *const first[] = {"PERM_0399999", "NOT_HELD"};
    solution_permissions(s, first, 2, &all);
    assert_int_equal(all.count, N + N / 2);
    assert_string_equal(all.items[0], "PERM_0399999"); /* first[] leads when held */
    assert_string_equal(all.items[1], "PERM_0000000");
    assert_string_equal(all.items[all.count - 1], "PERM_0599999");
    strlist_clear(&all);
    solution_free(s);
}

static void diff_at_scale_names_what_changed(void **state)
{
    (void)state;
    mps_solution *shown = huge_solution();
    mps_solution *now = solution_dup(shown);
    char out[2048];
    assert_false(solution_diff(shown, now, out, sizeof out));
    free(now->partners[0].permissions.items[7]);
    now->partners[0].permissions.items[7] = strdup("MANAGE_BILLING");
    assert_true(solution_diff(shown, now, out, sizeof out));
    assert_non_null(strstr(out, "+MANAGE_BILLING"));
    assert_non_null(strstr(out, "-PERM_0200007"));
    solution_free(shown);
    solution_free(now);
}

static void detail_output_at_scale(void **state)
{
    (void)state;
    mps_solution *s = huge_solution();
    FILE *f = tmpfile();
    assert_non_null(f);
    cli_print_solution_detail(f, s, "1", NULL);
    rewind(f);
    size_t lines = 0, yes_both = 0;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        lines++;
        if (strstr(line, "PERM_0300000"))
            yes_both = strchr(line, 'x') || strstr(line, "\u2713") ? 1 : 0;
    }
    fclose(f);
    assert_true(lines > N + N / 2); /* one matrix row per permission */
    assert_int_equal(yes_both, 1);

    strlist joined = {0};
    fill(&joined, 0, N);
    char *text = cli_join(&joined);
    assert_int_equal(strlen(text), (size_t)N * 12 + (size_t)(N - 1) * 2);
    free(text);
    strlist_clear(&joined);
    solution_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strset_counts_distinct_members),
        cmocka_unit_test(equal_sets_in_any_order_at_scale),
        cmocka_unit_test(permission_union_at_scale),
        cmocka_unit_test(diff_at_scale_names_what_changed),
        cmocka_unit_test(detail_output_at_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
