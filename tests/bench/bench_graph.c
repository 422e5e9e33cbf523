/* Measures the Graph client against the sandbox over loopback HTTP: round trips, connections
 * and time to the full list, with partners expanded and on the batch fallback; and the parse
 * cost of one page of 100 solutions. */
#include <curl/curl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpsdash/graph.h"
#include "mpsdash/sandbox.h"

enum { RUNS = 5 };

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

/* Lists every solution RUNS times on a fresh client; prints the median time and the counts. */
static int bench_list(int extra, bool refuse, int latency_ms)
{
    sandbox_options so = {
        .extra_solutions = extra, .refuse_partner_fields = refuse, .latency_ms = latency_ms};
    char err[256];
    sandbox *sb = sandbox_start(&so, err, sizeof err);
    if (!sb) {
        fprintf(stderr, "sandbox: %s\n", err);
        return 1;
    }
    double times[RUNS];
    size_t count = 0;
    int requests = 0;
    long connections = 0;
    for (int run = 0; run < RUNS; run++) {
        graph_options o = {
            .base_url = sandbox_base_url(sb), .app_id = SANDBOX_APP_A_ID, .token = SANDBOX_TOKEN_A};
        graph_error gerr;
        graph_client *c = graph_client_new(&o, &gerr);
        if (!c) {
            fprintf(stderr, "client: %s\n", gerr.message);
            sandbox_stop(sb);
            return 1;
        }
        graph_op *op = graph_op_list_solutions(NULL);
        double t0 = now_ms();
        bool ok = graph_run(c, op, &gerr);
        times[run] = now_ms() - t0;
        if (!ok) {
            fprintf(stderr, "list: %s\n", gerr.message);
            graph_op_free(op);
            graph_client_free(c);
            sandbox_stop(sb);
            return 1;
        }
        count = graph_op_result(op)->solution_count;
        requests = graph_op_result(op)->requests;
        connections = graph_client_connections(c);
        graph_op_free(op);
        graph_client_free(c);
    }
    qsort(times, RUNS, sizeof times[0], cmp_double);
    printf("list %5zu solutions %-9s latency %3d ms: %3d requests, %ld connection(s), "
           "median %8.1f ms\n",
           count, refuse ? "fallback" : "expanded", latency_ms, requests, connections,
           times[RUNS / 2]);
    sandbox_stop(sb);
    return 0;
}

static int bench_parse(void)
{
    size_t cap = 100 * 700 + 64, k = 0;
    char *page = malloc(cap);
    k += (size_t)snprintf(page + k, cap - k, "{\"data\":[");
    for (int i = 0; i < 100; i++)
        k += (size_t)snprintf(
            page + k, cap - k,
            "%s{\"id\":\"%d\",\"name\":\"Solution %d\",\"status\":\"ACTIVE\","
            "\"status_for_pending_request\":\"NONE\",\"owner_app\":{\"id\":\"1\",\"name\":\"O\"},"
            "\"owner_permissions\":[\"MANAGE\",\"DEVELOP\",\"MANAGE_TEMPLATES\",\"VIEW_COST\"],"
            "\"partners\":{\"data\":[{\"id\":\"p%d\",\"status\":\"ACCEPTED\",\"partner_app\":"
            "{\"id\":\"2\",\"name\":\"P\",\"link\":\"https://example.com/\"},"
            "\"partner_permissions\":[\"MANAGE\",\"DEVELOP\"]}]}}",
            i ? "," : "", i, i, i);
    k += (size_t)snprintf(page + k, cap - k, "]}");
    enum { N = 200 };
    double t0 = now_ms();
    for (int r = 0; r < N; r++) {
        mps_solution **items = NULL;
        size_t count = 0;
        graph_error err;
        if (!graph_parse_solution_page(page, k, NULL, &items, &count, NULL, &err)) {
            fprintf(stderr, "parse: %s\n", err.message);
            free(page);
            return 1;
        }
        for (size_t i = 0; i < count; i++)
            solution_free(items[i]);
        free(items);
    }
    double per = (now_ms() - t0) / N;
    printf("parse one page of 100 solutions (%zu bytes): %.3f ms\n", k, per);
    free(page);
    return 0;
}

int main(void)
{
    setlocale(LC_ALL, "");
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = bench_parse();
    static const struct {
        int extra;
        bool refuse;
        int latency;
    } cases[] = {
        {250, false, 0}, {250, true, 0},    {1000, false, 0},
        {1000, true, 0}, {1000, false, 20}, {1000, true, 20},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0] && !rc; i++)
        rc = bench_list(cases[i].extra, cases[i].refuse, cases[i].latency);
    curl_global_cleanup();
    return rc;
}
