/* The remaining commands: apps, customers, business-token, signup-snippet, events, and the
 * dashboard entry. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_internal.h"
#include "mpsdash/alloc.h"
#include "mpsdash/audit.h"
#include "mpsdash/events.h"
#include "mpsdash/sandbox.h"
#include "mpsdash/snippet.h"
#include "mpsdash/text.h"
#include "mpsdash/ui.h"
#include "mpsdash/util.h"

/* ------------------------------------------------------------------------------ ids */

static bool all_digits(const char *s)
{
    if (!s || !*s || strlen(s) > 32)
        return false;
    return strspn(s, "0123456789") == strlen(s);
}

static int bad_id(const char *what, const char *v)
{
    char *safe = cli_safe(v);
    cli_error("%s: '%s' is not a Graph id (digits only)", what, safe);
    free(safe);
    return EXIT_USAGE;
}

typedef struct {
    const char *id;
    int at;
} id_at;

static int by_id_then_place(const void *a, const void *b)
{
    const id_at *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* The ids of ctx->args once each, in the order given, into ctx->action_ids: an id given twice
 * would be sent twice (the second POST refused, or worse, taken). */
static void keep_first_of_each(cli_ctx *ctx)
{
    size_t n = (size_t)ctx->nargs;
    id_at *v = mps_xcalloc(n, sizeof *v);
    bool *repeat = mps_xcalloc(n, sizeof *repeat);
    for (size_t i = 0; i < n; i++)
        v[i] = (id_at){ctx->args[i], (int)i};
    qsort(v, n, sizeof *v, by_id_then_place);
    size_t repeats = 0;
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i].id, v[i - 1].id) == 0) {
            repeat[v[i].at] = true;
            repeats++;
        }
    strlist kept = {0};
    for (size_t i = 0; i < n; i++)
        if (!repeat[i])
            strlist_push(&kept, ctx->args[i]);
    strlist_clear(&ctx->action_ids);
    ctx->action_ids = kept;
    ctx->args = ctx->action_ids.items;
    ctx->nargs = (int)ctx->action_ids.count;
    if (repeats)
        cli_warn("%s: %zu id%s given more than once: each is acted on once", ctx->cmd->name,
                 repeats, repeats == 1 ? "" : "s");
    free(v);
    free(repeat);
}

int cli_check_action(cli_ctx *ctx)
{
    bool from_stdin = false;
    for (int i = 0; i < ctx->nargs; i++)
        if (strcmp(ctx->args[i], "-") == 0)
            from_stdin = true;
    if (from_stdin && ctx->nargs != 1) {
        cli_error("%s: - (ids on standard input) is the only id or not given", ctx->cmd->name);
        return EXIT_USAGE;
    }
    if (from_stdin && !ctx->g.yes) {
        cli_error("%s -: the ids come on standard input, so no answer could: pass --yes",
                  ctx->cmd->name);
        return EXIT_USAGE;
    }
    if (from_stdin) {
        /* Blank-separated words, checked like ids on the command line (digits only). A word
         * longer than any id is read whole as far as 64 bytes and refused. */
        char word[65];
        strlist read = {0};
        while (scanf("%64s", word) == 1) {
            if (strlen(word) > 32 || !all_digits(word)) {
                strlist_clear(&read);
                return bad_id(ctx->cmd->name,
                              strlen(word) > 32 ? "(a word longer than an id)" : word);
            }
            if (read.count == CLI_MAX_IDS) {
                strlist_clear(&read);
                cli_error("%s -: more than %d ids on standard input: nothing was sent",
                          ctx->cmd->name, CLI_MAX_IDS);
                return EXIT_USAGE;
            }
            strlist_push(&read, word);
        }
        if (ferror(stdin) || read.count == 0) {
            strlist_clear(&read);
            cli_error("%s -: no ids on standard input", ctx->cmd->name);
            return EXIT_USAGE;
        }
        strlist_clear(&ctx->action_ids);
        ctx->action_ids = read;
        ctx->args = ctx->action_ids.items;
        ctx->nargs = (int)ctx->action_ids.count;
    }
    int rc = cli_check_ids(ctx);
    if (rc == EXIT_OK)
        keep_first_of_each(ctx);
    return rc;
}

/* Ids go into URL paths: anything but digits could change which endpoint is called. */
int cli_check_ids(cli_ctx *ctx)
{
    for (int i = 0; i < ctx->nargs; i++)
        if (!all_digits(ctx->args[i]))
            return bad_id(ctx->cmd->name, ctx->args[i]);
    static const struct {
        size_t off;
        const char *name;
    } opts[] = {
        {offsetof(cli_ctx, partner_app), "--partner-app"},
        {offsetof(cli_ctx, app), "--app"},
        {offsetof(cli_ctx, business), "--business"},
        {offsetof(cli_ctx, config_id), "--config-id"},
        {offsetof(cli_ctx, g.app_id), "--app-id"},
    };
    for (size_t i = 0; i < COUNT_OF(opts); i++) {
        const char *v = *(const char *const *)((const char *)ctx + opts[i].off);
        if (v && !all_digits(v))
            return bad_id(opts[i].name, v);
    }
    for (size_t i = 0; i < ctx->partner_businesses.count; i++)
        if (!all_digits(ctx->partner_businesses.items[i]))
            return bad_id("--partner-business", ctx->partner_businesses.items[i]);
    return EXIT_OK;
}

int cli_check_business_token(cli_ctx *ctx)
{
    int rc = cli_check_ids(ctx);
    if (rc)
        return rc;
    if (!ctx->business) {
        cli_error("business-token needs --business ID (the customer's business portfolio id)");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* ------------------------------------------------------------------------------ apps */

int cli_cmd_apps(cli_ctx *ctx)
{
    graph_op *op = graph_op_app_details();
    int rc = cli_run_op(ctx, op);
    if (rc == EXIT_OK) {
        graph_result *res = graph_op_result(op);
        if (ctx->g.json) {
            printf("[");
            for (size_t i = 0; i < res->app_count; i++) {
                const mps_app *a = &res->apps[i];
                printf(i ? ",\n  {\"id\":" : "\n  {\"id\":");
                cli_json_string(stdout, a->id);
                printf(",\"name\":");
                cli_json_string(stdout, a->name);
                printf(",\"link\":");
                cli_json_string(stdout, a->link);
                printf("}");
            }
            printf(res->app_count ? "\n]\n" : "]\n");
        } else {
            cli_table *t = cli_table_new(&cli_table_apps);
            for (size_t i = 0; i < res->app_count; i++) {
                const char *cells[] = {res->apps[i].id, res->apps[i].name, res->apps[i].link};
                cli_table_add(t, cells);
            }
            cli_table_print_free(t, stdout, &ctx->g);
        }
    }
    graph_op_free(op);
    return rc;
}

/* ------------------------------------------------------------------------------ customers */

int cli_cmd_customers(cli_ctx *ctx)
{
    const char *business = ctx->business ? ctx->business : ctx->rp.business_id;
    if (!business) {
        cli_error("customers needs a business portfolio id: --business ID, or business_id in "
                  "the profile");
        return EXIT_USAGE;
    }
    graph_op *op = graph_op_client_wabas(business, &ctx->partner_businesses);
    int rc = cli_run_op(ctx, op);
    if (rc == EXIT_OK) {
        graph_result *res = graph_op_result(op);
        if (ctx->g.json) {
            printf("[");
            for (size_t i = 0; i < res->waba_count; i++) {
                const mps_waba *w = &res->wabas[i];
                fputs(i ? ",\n  " : "\n  ", stdout);
                if (w->json) {
                    fputs(w->json, stdout);
                } else {
                    printf("{\"id\":");
                    cli_json_string(stdout, w->id);
                    printf(",\"name\":");
                    cli_json_string(stdout, w->name);
                    printf("}");
                }
            }
            printf(res->waba_count ? "\n]\n" : "]\n");
        } else {
            cli_table *t = cli_table_new(&cli_table_customers);
            for (size_t i = 0; i < res->waba_count; i++) {
                const mps_waba *w = &res->wabas[i];
                const char *cells[] = {w->id, w->name, w->timezone_id, w->business_type,
                                       w->template_namespace};
                cli_table_add(t, cells);
            }
            cli_table_print_free(t, stdout, &ctx->g);
            cli_note(ctx, "%zu customer WABA%s\n", res->waba_count,
                     res->waba_count == 1 ? "" : "s");
        }
    }
    graph_op_free(op);
    return rc;
}

/* ------------------------------------------------------------------------------ business token */

int cli_cmd_business_token(cli_ctx *ctx)
{
    const char *sid = ctx->args[0];
    char detail[160];
    snprintf(detail, sizeof detail, "token fetched for business %s", ctx->business);
    graph_op *op = graph_op_business_token(sid, ctx->business);
    graph_error err;
    memset(&err, 0, sizeof err);
    bool ok = graph_run(ctx->client, op, &err);
    graph_result *res = graph_op_result(op);
    int rc = EXIT_OK;
    if (!ok) {
        cli_print_graph_error("business-token", &err);
        snprintf(detail, sizeof detail, "token request for business %s", ctx->business);
        cli_audit(ctx, "business-token", sid, AUDIT_ERROR, err.fbtrace_id, detail);
        rc = cli_exit_for(err.cls);
    } else if (!res || !res->token || !*res->token) {
        cli_error("business-token: the answer held no access_token");
        rc = EXIT_NETWORK;
    } else if (!text_is_safe(res->token)) {
        /* A token is printed raw with --reveal: one holding control bytes is not printed. */
        cli_error("business-token: the token in the answer holds control characters; not shown");
        rc = EXIT_NETWORK;
    } else {
        cli_audit(ctx, "business-token", sid, AUDIT_OK, res->fbtrace_id, detail);
        char *shown = ctx->reveal ? NULL : text_mask_secret(res->token);
        const char *tok = ctx->reveal ? res->token : shown;
        /* a token the server says has already expired is no use: say so plainly */
        bool expired = res->token_expires_at > 0 && res->token_expires_at <= cli_now();
        if (ctx->g.json) {
            printf("{\"solution_id\":");
            cli_json_string(stdout, sid);
            printf(",\"business_id\":");
            cli_json_string(stdout, ctx->business);
            printf(",\"token\":");
            cli_json_string(stdout, tok);
            printf(",\"masked\":%s,\"expires_at\":", ctx->reveal ? "false" : "true");
            /* unknown (absent or 0) is null: 0 would read as 1970 */
            cli_json_time(stdout, res->token_expires_at);
            printf(",\"expired\":%s}\n", expired ? "true" : "false");
        } else {
            printf("%s\n", tok);
            if (res->token_expires_at > 0) {
                char when[64];
                cli_time_text(res->token_expires_at, when, sizeof when);
                if (expired)
                    fprintf(stderr,
                            "EXPIRED on %s: the server handed out a token that no "
                            "longer works; ask for a new one later or check the "
                            "customer's onboarding\n",
                            when);
                else
                    cli_note(ctx, "expires %s\n", when);
            }
            if (!ctx->reveal)
                cli_note(ctx, "masked: pass --reveal to print the whole token\n");
        }
        free(shown);
    }
    graph_op_free(op);
    return rc;
}

/* ------------------------------------------------------------------------------ snippet */

int cli_cmd_signup_snippet(cli_ctx *ctx)
{
    char *js = snippet_embedded_signup(ctx->args[0], ctx->config_id);
    fputs(js, stdout);
    free(js);
    return EXIT_OK;
}

/* ------------------------------------------------------------------------------ events */

static volatile sig_atomic_t follow_stop;

static void on_stop_signal(int sig)
{
    (void)sig;
    follow_stop = 1;
}

/* Fixed widths: --follow prints rows as they come, so columns cannot be measured first. */
static const struct {
    const char *header;
    int width;
} event_cols[] = {
    {"TIME", 20}, {"FIELD", 17}, {"EVENT", 21}, {"SOLUTION", 17}, {"STATUS", 20}, {"WABA", 17},
};
#define EVENT_COLS (COUNT_OF(event_cols))

static void print_event_row(const char *const cells[EVENT_COLS])
{
    char buf[256];
    if (!isatty(STDOUT_FILENO)) {
        /* for programs, as every table: whole values, tab-separated */
        for (size_t i = 0; i < EVENT_COLS; i++)
            printf("%s%s", i ? "\t" : "", cells[i] && *cells[i] ? cells[i] : "-");
        fputc('\n', stdout);
        return;
    }
    for (size_t i = 0; i < EVENT_COLS; i++) {
        if (i + 1 == EVENT_COLS) {
            char *cut = text_truncate(cells[i] ? cells[i] : "-", event_cols[i].width);
            fputs(cut, stdout);
            free(cut);
        } else {
            text_fit(buf, sizeof buf, cells[i] ? cells[i] : "-", event_cols[i].width);
            fputs(buf, stdout);
            fputs(" ", stdout);
        }
    }
    fputc('\n', stdout);
}

static void print_event(const cli_ctx *ctx, const mps_event *e)
{
    if (ctx->g.json) {
        printf("{\"time\":");
        cli_json_time(stdout, e->time);
        printf(",\"business_id\":");
        cli_json_string(stdout, e->business_id);
        static const struct {
            const char *key;
            size_t off;
        } fields[] = {
            {"field", offsetof(mps_event, field)},
            {"event", offsetof(mps_event, event)},
            {"solution_id", offsetof(mps_event, solution_id)},
            {"solution_status", offsetof(mps_event, status)},
            {"waba_id", offsetof(mps_event, waba_id)},
            {"owner_business_id", offsetof(mps_event, owner_business_id)},
        };
        for (size_t i = 0; i < COUNT_OF(fields); i++) {
            printf(",\"%s\":", fields[i].key);
            cli_json_string(stdout, *(char *const *)((const char *)e + fields[i].off));
        }
        printf(",\"solution_partner_business_ids\":[");
        for (size_t i = 0; i < e->partner_business_ids.count; i++) {
            if (i)
                printf(",");
            cli_json_string(stdout, e->partner_business_ids.items[i]);
        }
        printf("]}\n");
        return;
    }
    char when[64];
    cli_time_text(e->time, when, sizeof when);
    const char *cells[EVENT_COLS] = {when,           e->field,  e->event,
                                     e->solution_id, e->status, e->waba_id};
    print_event_row(cells);
}

static void print_onboarding(const cli_ctx *ctx, const events_feed *f, long long now)
{
    events_onboarding o = events_onboarding_status(f, now);
    cli_note(ctx,
             "%zu event%s from %zu line%s (%zu not a webhook delivery, %zu with a nonsense time: "
             "skipped)\n",
             events_count(f), events_count(f) == 1 ? "" : "s", events_lines(f),
             events_lines(f) == 1 ? "" : "s", events_bad_lines(f), events_bad_times(f));
    cli_note(ctx, "onboardings in the last 7 days: %zu of %zu (%d%%)\n", o.count, o.limit,
             o.percent);
    if (o.warn) {
        char when[64];
        cli_time_text(o.next_expiry, when, sizeof when);
        fprintf(stderr,
                "warning: %s the weekly onboarding limit of %zu new customers; the oldest "
                "counted onboarding leaves the window at %s\n",
                o.reached ? "at or over" : "close to", o.limit, when);
    }
}

int cli_cmd_events(cli_ctx *ctx)
{
    const char *path = ctx->events_file;
    if (!path) {
        int rc = cli_load_config(ctx);
        if (rc)
            return rc;
        profile_overrides ov = {ctx->g.graph_url, ctx->g.api_version, ctx->g.app_id,
                                ctx->g.token_env};
        mps_errtext err = "";
        if (profile_resolve(ctx->cfg, ctx->g.profile, &ov, PROFILE_RESOLVE_NO_SECRETS, &ctx->rp,
                            err, sizeof err) == 0)
            ctx->have_rp = true;
        path = ctx->have_rp ? ctx->rp.events_file : NULL;
        if (!path) {
            char *safe = cli_safe(err);
            cli_error(
                "no events file: pass --events-file F or set events_file in the profile%s%s%s",
                *safe ? " (" : "", safe, *safe ? ")" : "");
            free(safe);
            return EXIT_CONFIG;
        }
    }
    events_feed *f = events_open(path);
    int n = events_poll(f, cli_now());
    if (n < 0 || (!events_present(f) && !ctx->follow)) {
        char *safe = cli_safe(events_error(f) ? events_error(f) : path);
        cli_error(n < 0 ? "%s" : "events file %s does not exist", safe);
        free(safe);
        events_close(f);
        return EXIT_CONFIG;
    }
    if (!ctx->g.json) {
        const char *headers[EVENT_COLS];
        for (size_t i = 0; i < EVENT_COLS; i++)
            headers[i] = event_cols[i].header;
        print_event_row(headers);
    }
    for (size_t i = 0; i < events_count(f); i++)
        print_event(ctx, events_get(f, i));
    int rc = EXIT_OK;
    if (ctx->follow) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        fflush(stdout);
        size_t seen = events_total(f);
        while (!follow_stop) {
            struct timespec ts = {0, 250L * 1000 * 1000};
            nanosleep(&ts, NULL);
            if (events_poll(f, cli_now()) < 0) {
                char *safe = cli_safe(events_error(f));
                cli_error("%s", safe);
                free(safe);
                rc = EXIT_CONFIG;
                break;
            }
            size_t total = events_total(f);
            size_t fresh = total - seen;
            size_t count = events_count(f);
            /* The newest `fresh` events are the last ones kept. */
            for (size_t i = fresh < count ? count - fresh : 0; i < count; i++)
                print_event(ctx, events_get(f, i));
            seen = total;
            fflush(stdout);
        }
    }
    print_onboarding(ctx, f, cli_now());
    events_close(f);
    return rc;
}

/* ------------------------------------------------------------------------------ dashboard */

static bool audit_has_open_intents(const cli_ctx *ctx)
{
    char *path = cli_audit_path(ctx);
    audit_intent *v = NULL;
    size_t n = 0;
    mps_errtext err;
    bool any = path && audit_open_intents(path, &v, &n, err, sizeof err) == 0 && n > 0;
    audit_intents_free(v, n);
    free(path);
    return any;
}

int cli_cmd_dashboard(cli_ctx *ctx)
{
    sandbox_dialect dialect = SANDBOX_DIALECT_GUIDE; /* the demo speaks the guides' unless told */
    if (ctx->dialect && (!ctx->demo || !sandbox_dialect_parse(ctx->dialect, &dialect))) {
        char *safe = cli_safe(ctx->dialect);
        cli_error("--dialect goes with --demo and is guide or openapi, not '%s'", safe);
        free(safe);
        return EXIT_USAGE;
    }
    int rc = cli_load_config(ctx);
    if (rc) {
        if (!ctx->demo)
            return rc;
        /* The demo needs no account: a broken config only costs the user's settings. */
        cli_warn("the dashboard demo runs without your config");
        ctx->cfg = config_new_empty();
    }
    /* Changes an earlier run left without an outcome are read back before the screen starts,
     * with the profile the dashboard starts on; the dashboard shows what was found. */
    char *notice = NULL;
    if (!ctx->demo && audit_has_open_intents(ctx) && cli_make_client(ctx) == EXIT_OK)
        notice = cli_reconcile(ctx);
    ui_options o = {.config = ctx->cfg,
                    .globals = &ctx->g,
                    .demo = ctx->demo,
                    .demo_dialect = (int)dialect,
                    .notice = notice};
    rc = ui_run(&o);
    free(notice);
    return rc;
}
