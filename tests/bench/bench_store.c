/* Measures the store with 10,000 solutions: one filter, search and sort keystroke each, and memory.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpsdash/store.h"

enum { SOLUTIONS = 10000, RUNS = 21 };

#define OUR_APP "21202248997039"

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (!d)
        abort();
    return memcpy(d, s, n);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* Resident set size from /proc, in kB (0 when unavailable). */
static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    long kb = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

static const char *const statuses[] = {"ACTIVE",      "ACTIVE", "INITIATED", "REJECTED",
                                       "DEACTIVATED", "DRAFT",  "PENDING",   "SOMETHING_NEW"};
static const char *const name_parts[] = {
    "Social OVD with Lucky Shrub",
    "Brew \xF0\x9F\x8D\xBA partners",
    "\xE4\xB8\xAD\xE6\x96\x87\xE8\xA7\xA3\xE5\x86\xB3\xE6\x96\xB9\xE6\xA1\x88", /* 中文解决方案 */
    "\xE6\x97\xA5\xE6\x9C\xAC\xE3\x81\xAE\xE3\x83\x91\xE3\x83\xBC\xE3\x83\x88\xE3\x83\x8A\xE3\x83"
    "\xBC",
    "Caf\xC3\xA9 connect",
    "Zeta messaging"};
static const char *const perms[] = {"MANAGE",       "DEVELOP",   "MANAGE_TEMPLATES",
                                    "MANAGE_PHONE", "VIEW_COST", "MESSAGING"};

/* A solution shaped like a real answer: owner app, one partner, a few permissions each side. */
static mps_solution *synthetic(unsigned i)
{
    char buf[128];
    mps_solution *s = solution_new();
    snprintf(buf, sizeof buf, "%llu", 795033096000000ull + i * 7919u % SOLUTIONS);
    s->id = dup_str(buf);
    snprintf(buf, sizeof buf, "%s %u", name_parts[i % 6], (i * 37u) % 5000u);
    s->name = dup_str(buf);
    s->status = strpool_intern(statuses[i % 8]);
    s->pending_request = strpool_intern(i % 29 == 0 ? "PENDING_DEACTIVATION" : "NONE");
    bool owner = i % 3 != 0;
    snprintf(buf, sizeof buf, "%u", 1000u + i % 50u);
    s->owner_app.id = dup_str(owner ? OUR_APP : buf);
    snprintf(buf, sizeof buf, "Tech Provider %u", i % 50u);
    s->owner_app.name = dup_str(owner ? "Lucky Shrub" : buf);
    for (unsigned k = 0; k < 3; k++)
        strlist_push(&s->owner_permissions, perms[(i + k) % 6]);
    s->has_owner_permissions = true;

    mps_partner p = {0};
    char pid[32], pname[64];
    snprintf(pid, sizeof pid, "%u", 2000u + i % 70u);
    snprintf(pname, sizeof pname, "Partner app %u", i % 70u);
    p.app.id = owner ? pid : OUR_APP;
    p.app.name = owner ? pname : "Lucky Shrub";
    p.status = "ACCEPTED";
    p.has_permissions = true;
    for (unsigned k = 0; k < 2; k++)
        strlist_push(&p.permissions, perms[(i + 2 * k) % 6]);
    solution_set_partners(s, &p, 1);
    strlist_clear(&p.permissions);
    s->has_partners = true;
    return s;
}

int main(void)
{
    setlocale(LC_ALL, "");
    long rss_before = rss_kb();
    double t0 = now_ms();
    store *st = store_new(OUR_APP);
    for (unsigned i = 0; i < SOLUTIONS; i++)
        store_upsert_take(st, synthetic(i));
    size_t visible = store_visible_count(st); /* first view build */
    double load_ms = now_ms() - t0;
    if (store_total(st) != SOLUTIONS || visible != SOLUTIONS) {
        fprintf(stderr, "bench_store: expected %d solutions, have %zu (%zu visible)\n", SOLUTIONS,
                store_total(st), visible);
        return 1;
    }

    double filter[RUNS], search[RUNS], sort[RUNS];
    for (int r = 0; r < RUNS; r++) {
        /* A filter keystroke: new state tab, then what a redraw reads. */
        t0 = now_ms();
        store_set_state_filter(st, false, (mps_state)(r % STATE_COUNT));
        size_t counts[STATE_COUNT], all;
        store_counts(st, counts, &all);
        visible = store_visible_count(st);
        filter[r] = now_ms() - t0;

        store_set_state_filter(st, true, STATE_PENDING);
        (void)store_visible_count(st);

        /* A search keystroke that matches nothing scans every row: the worst case. */
        t0 = now_ms();
        long hit = store_search(st, r % 2 ? "no such solution" : "zzq", 0, +1, true);
        search[r] = now_ms() - t0;
        if (hit != -1) {
            fprintf(stderr, "bench_store: unexpected search hit at %ld\n", hit);
            return 1;
        }

        t0 = now_ms();
        store_set_sort(st, (store_sort)(r % SORT_COUNT), r % 2);
        visible = store_visible_count(st);
        sort[r] = now_ms() - t0;
    }
    long rss = rss_kb();
    printf("store_filter_ms=%.3f store_search_ms=%.3f store_sort_ms=%.3f rss_kb=%ld "
           "store_load_ms=%.1f store_rss_delta_kb=%ld solutions=%d visible_last=%zu\n",
           median(filter, RUNS), median(search, RUNS), median(sort, RUNS), rss, load_ms,
           rss - rss_before, SOLUTIONS, visible);
    store_free(st);
    return 0;
}
