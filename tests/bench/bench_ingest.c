/* The dashboard's ingest without network or screen: pages of 100 solutions, shaped as the
 * sandbox serves them, parsed (graph_parse_solution_page) and upserted into a store whose view is
 * read after every page, as the dashboard draws one frame per page. Prints CPU seconds and peak
 * RSS at 10,000 and 50,000 solutions (each in a child process of its own) and their ratio.
 * Figures only, nothing asserted.   Usage: bench_ingest [N...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mpsdash/alloc.h"
#include "mpsdash/graph.h"
#include "mpsdash/store.h"

#define OUR_APP "21202248997039"
#define PAGE 100

static const char *const states[][3] = {
    {"INITIATED", "PENDING_ACTIVATION", "NOTIFICATION_SENT"},
    {"ACTIVE", "NONE", "ACCEPTED"},
    {"ACTIVE", "PENDING_DEACTIVATION", "ACCEPTED"},
    {"REJECTED", "NONE", "REJECTED"},
    {"DEACTIVATED", "NONE", "DEACTIVATED"},
    {"DRAFT", "NONE", "DRAFT"},
};

static const char *const our_app =
    "{\"link\":\"https://www.facebook.com/games/?app_id=" OUR_APP "\",\"name\":\"Lucky Shrub\","
    "\"id\":\"" OUR_APP "\"}";
static const char *const other_app = "{\"link\":\"https://www.socialoverdrive.com/\",\"name\":"
                                     "\"Social Overdrive\",\"id\":\"637576208107267\"}";
static const char *const ten_perms =
    "[\"MANAGE\",\"DEVELOP\",\"MANAGE_TEMPLATES\",\"MANAGE_PHONE\",\"VIEW_COST\","
    "\"MANAGE_EXTENSIONS\",\"VIEW_PHONE_ASSETS\",\"MANAGE_PHONE_ASSETS\",\"VIEW_TEMPLATES\","
    "\"VIEW_INSIGHTS\"]";
static const char *const view_perms =
    "[\"VIEW_TEMPLATES\",\"VIEW_INSIGHTS\",\"VIEW_PHONE_ASSETS\",\"VIEW_COST\"]";

/* Page `first / PAGE` of the generated solutions, as JSON text (the caller frees it). */
static char *page_json(int first, int n)
{
    size_t cap = (size_t)PAGE * 1200 + 256, len = 0;
    char *b = mps_xmalloc(cap);
    len += (size_t)snprintf(b + len, cap - len, "{\"data\":[");
    for (int i = first; i < first + n; i++) {
        const char *const *st = states[i % 6];
        bool ours = i % 2 == 0;
        len += (size_t)snprintf(
            b + len, cap - len,
            "%s{\"id\":\"55%013d\",\"name\":\"Generated solution %05d\",\"status\":\"%s\","
            "\"status_for_pending_request\":\"%s\",\"owner_app\":%s,\"owner_permissions\":%s,"
            "\"partners\":{\"data\":[{\"id\":\"56%013d\",\"status\":\"%s\",\"partner_app\":%s,"
            "\"partner_permissions\":%s}],\"paging\":{\"cursors\":{\"before\":\"c2J4\","
            "\"after\":\"c2J4\"}}}}",
            i > first ? "," : "", i, i, st[0], st[1], ours ? our_app : other_app,
            i % 3 ? ten_perms : view_perms, i, st[2], ours ? other_app : our_app,
            i % 5 ? view_perms : ten_perms);
    }
    len += (size_t)snprintf(b + len, cap - len, "],\"paging\":{\"cursors\":{\"after\":\"x\"}}}");
    return b;
}

static void ingest(int total)
{
    store *st = store_new(OUR_APP);
    graph_parse_limits lim = {.secret = "sandbox-token-lucky-shrub", .no_json = true};
    size_t counts[STATE_COUNT], all;
    for (int first = 1; first <= total; first += PAGE) {
        int n = total - first + 1 < PAGE ? total - first + 1 : PAGE;
        char *body = page_json(first, n);
        mps_solution **items = NULL;
        size_t count = 0;
        graph_error err;
        if (!graph_parse_solution_page(body, strlen(body), &lim, &items, &count, NULL, &err)) {
            fprintf(stderr, "bench_ingest: the page did not parse: %s\n", err.message);
            exit(1);
        }
        free(body);
        for (size_t i = 0; i < count; i++) {
            free(items[i]->json); /* none: the dashboard asks for no JSON text */
            items[i]->json = NULL;
            store_upsert_take(st, items[i]);
        }
        free(items);
        /* One frame: the rows on screen, the selection and the tab counts. */
        store_counts(st, counts, &all);
        for (size_t r = 0; r < 40 && r < store_visible_count(st); r++)
            (void)store_visible(st, r);
        (void)store_visible_index(st, "550000000000001");
    }
    if (store_total(st) != (size_t)total) {
        fprintf(stderr, "bench_ingest: %zu in the store, not %d\n", store_total(st), total);
        exit(1);
    }
    store_free(st);
}

/* CPU seconds and peak RSS (KiB) of ingesting n solutions in a child process. */
static bool measure(int n, double *cpu, long *peak_kb)
{
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        ingest(n);
        _exit(0);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return false;
    *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
           ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
    *peak_kb = ru.ru_maxrss;
    return true;
}

int main(int argc, char **argv)
{
    int sizes[8] = {10000, 50000};
    int nsizes = 2;
    if (argc > 1) {
        nsizes = 0;
        for (int i = 1; i < argc && nsizes < 8; i++)
            sizes[nsizes++] = atoi(argv[i]);
    }
    double cpu[8];
    printf("%10s %10s %12s\n", "solutions", "CPU s", "peak RSS MB");
    for (int i = 0; i < nsizes; i++) {
        long kb;
        if (sizes[i] <= 0 || !measure(sizes[i], &cpu[i], &kb)) {
            fprintf(stderr, "bench_ingest: the run with %d solutions failed\n", sizes[i]);
            return 1;
        }
        printf("%10d %10.2f %12.1f\n", sizes[i], cpu[i], (double)kb / 1024);
    }
    if (nsizes > 1 && cpu[0] > 0)
        printf("CPU at %d / CPU at %d: %.1fx\n", sizes[nsizes - 1], sizes[0],
               cpu[nsizes - 1] / cpu[0]);
    return 0;
}
