/* `mpsdash inbox`: every configured profile's pending requests in one list, loaded at once on
 * one graph engine (one curl multi handle; each profile a shared client with its own token), a
 * failing profile reported in its own row, and each app's weekly onboarding count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_internal.h"
#include "mpsdash/events.h"
#include "mpsdash/inbox.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

typedef struct inbox_load {
    resolved_profile rp;
    bool have_rp;
    graph_client *client;
    graph_op *op;
} inbox_load;

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail_text(inbox *ib, size_t i, const char *kind, const char *why)
{
    char *safe = text_sanitize(why, strlen(why), false);
    inbox_fail(ib, i, kind, safe);
    free(safe);
}

/* Starts one profile's list on the engine (the first client made is the engine). */
static void start_profile(cli_ctx *ctx, inbox *ib, inbox_load *ld, size_t i, const char *name,
                          graph_client **engine)
{
    mps_errtext err;
    profile_overrides ov = {0};
    if (!ctx->cfg || ctx->cfg->profile_count == 0) /* only the command line's profile */
        ov = (profile_overrides){ctx->g.graph_url, ctx->g.api_version, ctx->g.app_id,
                                 ctx->g.token_env};
    if (profile_resolve(ctx->cfg, name, &ov, 0, &ld->rp, err, sizeof err) != 0) {
        fail_text(ib, i, "config", err);
        return;
    }
    ld->have_rp = true;
    free(ib->sources[i].app_id);
    ib->sources[i].app_id = mps_xstrdup(ld->rp.app_id);
    ib->sources[i].onboarding = events_file_onboarding(ld->rp.events_file, cli_now(), NULL, NULL);
    graph_options o;
    cli_graph_options_for(ctx, &ld->rp, ld->rp.token, &o);
    graph_error gerr;
    memset(&gerr, 0, sizeof gerr);
    ld->client = cli_new_client(ctx, &o, *engine, &gerr);
    if (!ld->client) {
        char line[1200];
        graph_error_format(&gerr, line, sizeof line);
        inbox_fail(ib, i, "config", line);
        return;
    }
    if (!*engine)
        *engine = ld->client;
    ld->op = graph_op_list_solutions(NULL);
    graph_op_set_user(ld->op, ld);
    graph_client_start(ld->client, ld->op);
}

static size_t index_of(const inbox_load *loads, size_t n, const inbox_load *ld)
{
    for (size_t i = 0; i < n; i++)
        if (&loads[i] == ld)
            return i;
    return n;
}

static void print_table(FILE *out, const inbox *ib, const cli_globals *g)
{
    cli_table *t = cli_table_new(&cli_table_inbox);
    for (size_t s = 0; s < ib->nsources; s++) {
        const inbox_source *src = &ib->sources[s];
        if (src->status == INBOX_FAILED) {
            /* The error takes the last column, which is never cut. */
            char line[1200];
            snprintf(line, sizeof line, "%s error: %s", src->error_kind, src->error);
            const char *cells[] = {
                inbox_source_app(src), src->profile, "-", "-", "error", "-", "-", line};
            cli_table_add(t, cells);
            continue;
        }
        for (size_t i = 0; i < ib->nrows; i++) {
            const inbox_row *r = &ib->rows[i];
            if (r->source != s)
                continue;
            char acts[128];
            inbox_row_actions_text(r, acts, sizeof acts);
            const mps_app *other = solution_other_app(r->solution, src->app_id);
            const char *cells[] = {inbox_source_app(src),
                                   src->profile,
                                   r->solution->id,
                                   r->solution->name,
                                   solution_state_text(r->solution),
                                   role_label(r->role),
                                   other->name ? other->name : other->id,
                                   acts};
            cli_table_add(t, cells);
        }
    }
    cli_table_print_free(t, out, g);
}

static void print_summary(const inbox *ib)
{
    for (size_t s = 0; s < ib->nsources; s++) {
        const inbox_source *src = &ib->sources[s];
        if (src->status == INBOX_FAILED)
            fprintf(stderr, "%s (%s): %s error\n", src->profile, inbox_source_app(src),
                    src->error_kind);
        else
            fprintf(stderr, "%s (%s): %zu pending of %zu solutions", src->profile,
                    inbox_source_app(src), src->pending, src->solutions);
        if (src->status != INBOX_FAILED && src->onboarding.known)
            fprintf(stderr, "; onboarded this week: %zu / %zu (%d%%)%s", src->onboarding.count,
                    src->onboarding.limit, src->onboarding.percent,
                    src->onboarding.reached ? " - limit reached"
                    : src->onboarding.warn  ? " - warning: close to the limit"
                                            : "");
        if (src->status != INBOX_FAILED)
            fputc('\n', stderr);
    }
}

static void print_json(FILE *out, const inbox *ib)
{
    fputs("{\"profiles\":[", out);
    for (size_t s = 0; s < ib->nsources; s++) {
        const inbox_source *src = &ib->sources[s];
        fputs(s ? ",{\"profile\":" : "{\"profile\":", out);
        cli_json_string(out, src->profile);
        fputs(",\"app_id\":", out);
        cli_json_string(out, src->app_id);
        fputs(",\"app_name\":", out);
        if (src->app_name)
            cli_json_string(out, src->app_name);
        else
            fputs("null", out);
        fprintf(out, ",\"ok\":%s,\"error\":", src->status == INBOX_FAILED ? "false" : "true");
        if (src->status == INBOX_FAILED) {
            fputs("{\"kind\":", out);
            cli_json_string(out, src->error_kind);
            fputs(",\"message\":", out);
            cli_json_string(out, src->error);
            fputs("}", out);
        } else {
            fputs("null", out);
        }
        fprintf(out, ",\"solutions\":%zu,\"pending\":%zu,\"onboarding\":", src->solutions,
                src->pending);
        if (src->onboarding.known)
            fprintf(out, "{\"count\":%zu,\"limit\":%zu,\"percent\":%d,\"warn\":%s,\"reached\":%s}",
                    src->onboarding.count, src->onboarding.limit, src->onboarding.percent,
                    src->onboarding.warn ? "true" : "false",
                    src->onboarding.reached ? "true" : "false");
        else
            fputs("null", out);
        fputs("}", out);
    }
    fputs("],\"requests\":[", out);
    for (size_t i = 0; i < ib->nrows; i++) {
        const inbox_row *r = &ib->rows[i];
        const inbox_source *src = &ib->sources[r->source];
        fputs(i ? ",{\"profile\":" : "{\"profile\":", out);
        cli_json_string(out, src->profile);
        fputs(",\"app_id\":", out);
        cli_json_string(out, src->app_id);
        fputs(",\"state\":", out);
        cli_json_string(out, state_key(r->state));
        fputs(",\"role\":", out);
        cli_json_string(out, role_label(r->role));
        fputs(",\"actions\":[", out);
        mps_action acts[ACTION_COUNT];
        size_t n = inbox_row_actions(r, acts);
        for (size_t k = 0; k < n; k++) {
            if (k)
                fputc(',', out);
            cli_json_string(out, action_get(acts[k])->verb);
        }
        char *js = cli_solution_json(r->solution, src->app_id);
        fprintf(out, "],\"solution\":%s}", js);
        free(js);
    }
    fputs("]}\n", out);
}

int cli_cmd_inbox(cli_ctx *ctx)
{
    int rc = cli_load_config(ctx);
    if (rc)
        return rc;
    size_t n = ctx->cfg->profile_count ? ctx->cfg->profile_count : 1;
    if (ctx->cfg->profile_count == 0 && !ctx->g.app_id) {
        cli_error("no profile configured: write profiles in the config file, or pass --graph-url, "
                  "--app-id and --token-env");
        return EXIT_CONFIG;
    }
    inbox *ib = inbox_new();
    inbox_load *loads = mps_xcalloc(n, sizeof *loads);
    graph_client *engine = NULL;
    double t0 = mono_s();
    for (size_t i = 0; i < n; i++) {
        const char *name =
            ctx->cfg->profile_count ? ctx->cfg->profiles[i].name : CONFIG_IMPLICIT_PROFILE;
        inbox_add_source(ib, name,
                         ctx->cfg->profile_count ? ctx->cfg->profiles[i].app_id : ctx->g.app_id);
        start_profile(ctx, ib, &loads[i], i, name, &engine);
    }
    /* Every profile's pages arrive as they come, on the one engine. */
    while (engine && graph_client_running(engine)) {
        graph_client_poll(engine, 1000);
        graph_op *op;
        while ((op = graph_client_next_event(engine))) {
            size_t i = index_of(loads, n, graph_op_user(op));
            if (i == n)
                continue;
            mps_solution **items = NULL;
            size_t got = graph_op_take_page(op, &items);
            inbox_take(ib, i, items, got);
            free(items);
            if (!graph_op_is_done(op))
                continue;
            const graph_error *e = graph_op_error(op);
            if (e->cls != GRAPH_OK) {
                char line[1200];
                graph_error_format(e, line, sizeof line);
                inbox_fail(ib, i, graph_error_class_name(e->cls), line);
                if (rc == EXIT_OK)
                    rc = cli_exit_for(e->cls);
            } else {
                inbox_loaded(ib, i);
            }
        }
    }
    double elapsed = mono_s() - t0;
    long requests = engine ? graph_client_requests(engine) : 0;
    long connections = 0;
    for (size_t i = 0; i < n; i++) {
        if (ib->sources[i].status == INBOX_FAILED && rc == EXIT_OK)
            rc = EXIT_CONFIG; /* failed before any request */
        if (loads[i].client)
            connections += graph_client_connections(loads[i].client);
    }
    inbox_sort(ib);
    if (ctx->g.json)
        print_json(stdout, ib);
    else
        print_table(stdout, ib, &ctx->g);
    if (!ctx->g.quiet)
        print_summary(ib);
    cli_note(ctx,
             "inbox: %zu profile%s (%zu failed), %zu pending; %ld request%s on one "
             "engine, %ld connection%s, %.2f s\n",
             ib->nsources, ib->nsources == 1 ? "" : "s", inbox_failed_count(ib), ib->nrows,
             requests, requests == 1 ? "" : "s", connections, connections == 1 ? "" : "s", elapsed);
    if (ib->nrows && !ctx->g.json)
        cli_note(ctx, "act with: mpsdash -p PROFILE accept|reject|accept-deactivation|"
                      "reject-deactivation ID\n");

    /* Shared clients first, then the engine they ran on. */
    for (size_t i = 0; i < n; i++) {
        graph_op_free(loads[i].op);
        if (loads[i].client != engine)
            graph_client_free(loads[i].client);
    }
    graph_client_free(engine);
    for (size_t i = 0; i < n; i++)
        if (loads[i].have_rp)
            resolved_profile_clear(&loads[i].rp);
    free(loads);
    inbox_free(ib);
    return rc;
}
