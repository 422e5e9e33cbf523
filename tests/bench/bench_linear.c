/* Timings for permission-heavy solutions (issue: 50,000 a side took 49 s to show): the union,
 * the re-check diff and the detail output at 20,000, 50,000 and 200,000 permissions a side.
 * Prints one line per size; not a test (tests/unit/test_linear.c asserts the behaviour). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/cli/cli_internal.h"
#include "mpsdash/model.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static mps_solution *make(size_t n)
{
    mps_solution *s = solution_new();
    s->id = strdup("1");
    s->has_owner_permissions = s->has_partners = true;
    s->partners = calloc(1, sizeof *s->partners);
    s->partner_count = 1;
    s->partners[0].has_permissions = true;
    char name[32];
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "PERM_%07zu", i);
        strlist_push(&s->owner_permissions, name);
        snprintf(name, sizeof name, "PERM_%07zu", i + n / 2);
        strlist_push(&s->partners[0].permissions, name);
    }
    return s;
}

int main(void)
{
    static const size_t sizes[] = {20000, 50000, 200000};
    FILE *null = fopen("/dev/null", "w");
    if (!null)
        return 1;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        mps_solution *a = make(sizes[k]), *b = make(sizes[k]);
        char out[2048];
        double t0 = now_s();
        strlist all = {0};
        solution_permissions(a, NULL, 0, &all);
        double t1 = now_s();
        solution_diff(a, b, out, sizeof out);
        double t2 = now_s();
        cli_print_solution_detail(null, a, "1", NULL);
        double t3 = now_s();
        printf("%7zu a side: union %.3f s, diff %.3f s, detail output %.3f s\n", sizes[k], t1 - t0,
               t2 - t1, t3 - t2);
        strlist_clear(&all);
        solution_free(a);
        solution_free(b);
    }
    fclose(null);
    return 0;
}
