/* list --watch: the list read again every interval, one JSON line per change (a solution new,
 * its state changed, gone) for alerting; SIGINT and SIGTERM end it within a moment, status 0. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "mpsdash/alloc.h"
#include "mpsdash/state.h"

#define WATCH_DEFAULT_INTERVAL_S CONFIG_DEFAULT_REFRESH
#define WATCH_SLICE_MS 100 /* how soon a stop signal is seen while waiting or fetching */

static volatile sig_atomic_t watch_stop;

static void on_stop(int sig)
{
    (void)sig;
    watch_stop = 1;
}

typedef struct snapshot {
    mps_solution **items; /* sorted by id */
    size_t count;
} snapshot;

static int by_id(const void *a, const void *b)
{
    const mps_solution *x = *(mps_solution *const *)a, *y = *(mps_solution *const *)b;
    return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static void snapshot_clear(snapshot *s)
{
    for (size_t i = 0; i < s->count; i++)
        solution_free(s->items[i]);
    free(s->items);
    s->items = NULL;
    s->count = 0;
}

static bool same_state(const mps_solution *a, const mps_solution *b)
{
    return solution_state(a) == solution_state(b) &&
           strcmp(a->status ? a->status : "", b->status ? b->status : "") == 0 &&
           strcmp(a->pending_request ? a->pending_request : "",
                  b->pending_request ? b->pending_request : "") == 0;
}

static bool wanted(const cli_ctx *ctx, const mps_solution *s)
{
    mps_state want;
    bool all = true;
    if (!ctx->g.filter || !state_parse(ctx->g.filter, &want, &all) || all)
        return true;
    return solution_state(s) == want;
}

/* {"time":..,"event":..,"id":..,"state":..[,"previous_state":..],"solution":{...}} */
static void emit(const cli_ctx *ctx, const char *event, const mps_solution *s,
                 const mps_solution *before)
{
    char when[64];
    cli_time_text(cli_now(), when, sizeof when);
    char *json = cli_solution_json(s, ctx->rp.app_id);
    printf("{\"time\":\"%s\",\"event\":\"%s\",\"id\":", when, event);
    cli_json_string(stdout, s->id ? s->id : "");
    printf(",\"state\":\"%s\"", state_key(solution_state(s)));
    if (before)
        printf(",\"previous_state\":\"%s\"", state_key(solution_state(before)));
    printf(",\"solution\":%s}\n", json);
    free(json);
    fflush(stdout); /* a line is an alert: it must not wait in a buffer */
}

/* What changed from prev to cur, in id order. A change is shown when the solution is in the
 * --filter state before or after it. */
static size_t diff(const cli_ctx *ctx, const snapshot *prev, const snapshot *cur, bool first)
{
    size_t i = 0, j = 0, events = 0;
    while (i < prev->count || j < cur->count) {
        int c = i == prev->count  ? 1
                : j == cur->count ? -1
                                  : by_id(&prev->items[i], &cur->items[j]);
        if (c < 0) {
            if (wanted(ctx, prev->items[i]) && ++events)
                emit(ctx, "gone", prev->items[i], NULL);
            i++;
        } else if (c > 0) {
            if (wanted(ctx, cur->items[j]) && ++events)
                emit(ctx, first ? "present" : "new", cur->items[j], NULL);
            j++;
        } else {
            const mps_solution *a = prev->items[i++], *b = cur->items[j++];
            if (!same_state(a, b) && (wanted(ctx, a) || wanted(ctx, b)) && ++events)
                emit(ctx, "changed", b, a);
        }
    }
    return events;
}

/* One reading of the whole list into *out; false with the error in *err (or on a stop). */
static bool read_list(cli_ctx *ctx, const char *role, snapshot *out, graph_error *err)
{
    graph_op *op = graph_op_list_solutions(role);
    graph_client_start(ctx->client, op);
    size_t cap = 0;
    while (!watch_stop) {
        graph_op *ev = graph_client_next_event(ctx->client);
        if (!ev) {
            if (graph_op_is_done(op))
                break;
            graph_client_poll(ctx->client, WATCH_SLICE_MS);
            continue;
        }
        mps_solution **page;
        size_t n = graph_op_take_page(op, &page);
        if (out->count + n > cap) {
            cap = (out->count + n) * 2;
            out->items = mps_xreallocarray(out->items, cap, sizeof *out->items);
        }
        if (n) /* page is NULL when n is 0 */
            memcpy(out->items + out->count, page, n * sizeof *page);
        out->count += n;
        free(page);
    }
    bool ok = false;
    if (!watch_stop && graph_op_error(op)->cls == GRAPH_OK) { /* what the last event left */
        mps_solution **page;
        size_t n = graph_op_take_page(op, &page);
        out->items = mps_xreallocarray(out->items, out->count + n + 1, sizeof *out->items);
        if (n)
            memcpy(out->items + out->count, page, n * sizeof *page);
        out->count += n;
        free(page);
    }
    if (watch_stop)
        graph_client_cancel(ctx->client, op);
    else if (graph_op_error(op)->cls != GRAPH_OK)
        *err = *graph_op_error(op);
    else
        ok = true;
    graph_op_free(op);
    if (ok && out->count)
        qsort(out->items, out->count, sizeof *out->items, by_id);
    return ok;
}

/* A failure that the next round cannot mend: the token, a permission, a bad argument. */
static bool lasting(graph_error_class cls)
{
    return cls == GRAPH_ERR_TOKEN || cls == GRAPH_ERR_PERMISSION || cls == GRAPH_ERR_USAGE;
}

int cli_cmd_watch(cli_ctx *ctx)
{
    const char *role = NULL;
    mps_role r;
    if (ctx->role && role_parse(ctx->role, &r))
        role = r == ROLE_OWNER ? "OWNER" : "PARTNER";
    int interval = ctx->interval > 0              ? ctx->interval
                   : ctx->rp.refresh_interval > 0 ? ctx->rp.refresh_interval
                                                  : WATCH_DEFAULT_INTERVAL_S;
    long long total_ms = (long long)config_timeout_s(ctx->cfg, ctx->g.timeout_s) * 1000;

    /* No SA_RESTART: a signal cuts a wait short at once. */
    static const int sigs[] = {SIGINT, SIGTERM};
    struct sigaction sa, old[2];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    watch_stop = 0;
    for (size_t i = 0; i < 2; i++)
        sigaction(sigs[i], &sa, &old[i]);

    cli_note(ctx, "watching every %d s: one JSON line per change; SIGINT or SIGTERM ends it\n",
             interval);
    snapshot prev = {0};
    bool first = true;
    int rc = EXIT_OK;
    while (!watch_stop) {
        /* --timeout bounds each reading, not the whole watch */
        graph_client_set_deadline(ctx->client, (long)total_ms, (long)total_ms);
        snapshot cur = {0};
        graph_error err;
        memset(&err, 0, sizeof err);
        if (read_list(ctx, role, &cur, &err)) {
            diff(ctx, &prev, &cur, first);
            snapshot_clear(&prev);
            prev = cur;
            first = false;
        } else {
            snapshot_clear(&cur);
            if (watch_stop)
                break;
            cli_print_graph_error(graph_error_class_name(err.cls), &err);
            if (lasting(err.cls)) {
                rc = cli_exit_for(err.cls);
                break;
            }
            cli_warn("watch: this reading failed; nothing is reported as gone; trying again in "
                     "%d s",
                     interval);
        }
        for (long waited = 0; !watch_stop && waited < interval * 1000L; waited += WATCH_SLICE_MS)
            if (poll(NULL, 0, WATCH_SLICE_MS) < 0 && errno != EINTR)
                break;
    }
    snapshot_clear(&prev);
    for (size_t i = 0; i < 2; i++)
        sigaction(sigs[i], &old[i], NULL);
    if (watch_stop)
        cli_note(ctx, "watch: stopped by a signal\n");
    return rc;
}
