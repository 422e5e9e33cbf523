/* The write-ahead audit of the commands that change something: the intent is in the log before
 * anything is sent, the outcome after; a stop signal while the answer is awaited closes the
 * record as unknown; the next start reads back what the server holds for any record left open. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_internal.h"
#include "mpsdash/audit.h"
#include "mpsdash/state.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* ---- what a signal handler needs, prepared before the POST ---- */

static const int stop_signals[] = {SIGHUP, SIGINT, SIGTERM};
#define NSTOP (COUNT_OF(stop_signals))

static struct {
    audit_log *log; /* the open log (borrowed from the ctx) */
    char *line[NSTOP];
    char *message[NSTOP];
    struct sigaction old[NSTOP];
} wa;
static volatile sig_atomic_t wa_armed;

static void on_stop(int sig)
{
    for (size_t i = 0; i < NSTOP; i++)
        if (stop_signals[i] == sig && wa_armed) {
            wa_armed = 0;
            /* both calls are async-signal-safe: one write() each */
            audit_log_write_line(wa.log, wa.line[i], strlen(wa.line[i]));
            ssize_t w = write(STDERR_FILENO, wa.message[i], strlen(wa.message[i]));
            (void)w;
        }
    /* SA_RESETHAND restored the default: the signal ends the program as it would have. */
    raise(sig);
}

static void disarm(void)
{
    if (!wa.log)
        return;
    wa_armed = 0;
    for (size_t i = 0; i < NSTOP; i++) {
        sigaction(stop_signals[i], &wa.old[i], NULL);
        free(wa.line[i]);
        free(wa.message[i]);
        wa.line[i] = wa.message[i] = NULL;
    }
    wa.log = NULL;
}

static char *message_for(int sig, const char *action, const char *solution_id, const char *path)
{
    char *safe = cli_safe(path);
    char *m =
        mps_xasprintf("mpsdash: %s: stopped by %s while waiting for the answer to '%s'%s%s: the "
                      "audit log (%s) records it as unknown; the next start reads back what the "
                      "server holds\n",
                      action, sigabbrev_np(sig) ? sigabbrev_np(sig) : "a signal", action,
                      solution_id ? " of " : "", solution_id ? solution_id : "", safe);
    free(safe);
    return m;
}

static void arm(cli_ctx *ctx, const char *action, const char *solution_id, const char *path)
{
    wa.log = ctx->wa_log;
    for (size_t i = 0; i < NSTOP; i++) {
        char detail[160];
        snprintf(detail, sizeof detail,
                 "interrupted by SIG%s before the answer came; the next start reads back what "
                 "the server holds",
                 sigabbrev_np(stop_signals[i]));
        audit_entry e;
        audit_entry_init(&e, ctx->have_rp ? &ctx->rp : NULL);
        e.action = action;
        e.solution_id = solution_id;
        e.outcome = AUDIT_UNKNOWN;
        e.detail = detail;
        e.intent = ctx->wa_id;
        e.phase = AUDIT_PHASE_INTERRUPTED;
        wa.line[i] = audit_format(&e);
        if (!wa.line[i])
            abort();
        wa.message[i] = message_for(stop_signals[i], action, solution_id, path);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sa.sa_flags = (int)SA_RESETHAND; /* glibc's constant is bit 31 as unsigned; sa_flags an int */
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NSTOP; i++)
        sigaddset(&sa.sa_mask, stop_signals[i]);
    for (size_t i = 0; i < NSTOP; i++) {
        sigaction(stop_signals[i], NULL, &wa.old[i]);
        /* an ignored signal (nohup) stays ignored: it would not have ended the program */
        if (wa.old[i].sa_handler != SIG_IGN)
            sigaction(stop_signals[i], &sa, NULL);
    }
    wa_armed = 1;
}

/* ---- the intent and its outcome ---- */

int cli_intent_begin(cli_ctx *ctx, const char *action, const char *solution_id, const char *detail)
{
    char *path = cli_audit_path(ctx);
    mps_errtext err;
    ctx->wa_log = path ? audit_log_open(path, err, sizeof err) : NULL;
    if (!path)
        snprintf(err, sizeof err, "no audit log: no home directory to keep it in");
    if (ctx->wa_log) {
        audit_new_intent_id(ctx->wa_id);
        audit_entry e;
        audit_entry_init(&e, ctx->have_rp ? &ctx->rp : NULL);
        e.action = action;
        e.solution_id = solution_id;
        e.outcome = AUDIT_PENDING;
        e.detail = detail;
        e.intent = ctx->wa_id;
        e.phase = AUDIT_PHASE_INTENT;
        if (audit_log_write(ctx->wa_log, &e, err, sizeof err) != 0) {
            audit_log_close(ctx->wa_log);
            ctx->wa_log = NULL;
        }
    }
    if (!ctx->wa_log) {
        char *safe = cli_safe(err);
        if (!ctx->g.without_audit) {
            cli_error("%s: nothing was sent: the change could not be recorded (%s); free the "
                      "disk or fix audit_log, or pass --without-audit to send it unrecorded",
                      action, safe);
            free(safe);
            free(path);
            return EXIT_FAILURE_GENERIC;
        }
        cli_warn("%s: sent without an audit record (--without-audit): %s", action, safe);
        free(safe);
        ctx->wa_id[0] = '\0';
        free(path);
        return EXIT_OK;
    }
    arm(ctx, action, solution_id, path);
    free(path);
    return EXIT_OK;
}

int cli_intent_end(cli_ctx *ctx, int rc)
{
    disarm();
    audit_log_close(ctx->wa_log);
    ctx->wa_log = NULL;
    ctx->wa_id[0] = '\0';
    if (ctx->audit_failed && !ctx->g.without_audit) {
        cli_error("the outcome above could not be written to the audit log");
        return rc == EXIT_OK ? EXIT_FAILURE_GENERIC : rc;
    }
    return rc;
}

/* ---- reading back what a record left open became ---- */

/* The line that closes intent it, with what the server holds. */
static void close_intent(cli_ctx *ctx, audit_log *log, const audit_intent *it, const char *detail)
{
    audit_entry e;
    audit_entry_init(&e, ctx->have_rp ? &ctx->rp : NULL);
    e.action = it->action;
    e.solution_id = it->solution_id;
    e.outcome = AUDIT_UNKNOWN;
    e.detail = detail;
    e.intent = it->id;
    e.phase = AUDIT_PHASE_RECONCILED;
    mps_errtext err;
    if (audit_log_write(log, &e, err, sizeof err) != 0) {
        char *safe = cli_safe(err);
        cli_warn("%s", safe);
        free(safe);
    }
}

/* What the server holds for one open intent, as a sentence; NULL when it could not be read. */
static char *read_back(cli_ctx *ctx, const audit_intent *it)
{
    mps_action a;
    bool is_action = it->action && action_parse(it->action, &a);
    if (it->action && strcmp(it->action, "api") == 0) {
        /* a raw request: nothing says what to read to know whether it was carried out */
        return mps_xstrdup("read at the next start: a raw api request cannot be read back; "
                           "check by hand what it did");
    }
    graph_op *op =
        it->solution_id ? graph_op_get_solution(it->solution_id) : graph_op_list_solutions(NULL);
    graph_error err;
    memset(&err, 0, sizeof err);
    char *text = NULL;
    if (graph_run(ctx->client, op, &err)) {
        graph_result *res = graph_op_result(op);
        if (it->solution_id && res && res->solution_count && is_action) {
            const mps_solution *now = res->solutions[0];
            bool applied = solution_state(now) == action_get(a)->after;
            text = mps_xasprintf("read back at the next start: the server holds %s: the change "
                                 "was %s",
                                 solution_state_text(now), applied ? "made" : "not made");
        } else if (!it->solution_id && res) {
            const mps_solution *found = NULL;
            for (size_t i = 0; i < res->solution_count && !found; i++)
                if (res->solutions[i]->name && it->detail &&
                    strcmp(res->solutions[i]->name, it->detail) == 0)
                    found = res->solutions[i];
            if (found)
                text = mps_xasprintf("read back at the next start: the server holds a solution "
                                     "of that name (%s, %s): it was created",
                                     found->id ? found->id : "?", solution_state_text(found));
            else
                text = mps_xstrdup("read back at the next start: the server holds no "
                                   "solution of that name: it was not created");
        }
    }
    graph_op_free(op);
    return text;
}

char *cli_reconcile(cli_ctx *ctx)
{
    char *path = cli_audit_path(ctx);
    audit_intent *v = NULL;
    size_t n = 0;
    mps_errtext err;
    if (!path || audit_open_intents(path, &v, &n, err, sizeof err) != 0 || n == 0) {
        audit_intents_free(v, n); /* every intent closed still leaves the list's storage */
        free(path);
        return NULL;
    }
    const char *profile = ctx->rp.name ? ctx->rp.name : "";
    const char *app = ctx->rp.app_id ? ctx->rp.app_id : "";
    audit_log *log = audit_log_open(path, err, sizeof err);
    char *notice = NULL;
    size_t others = 0, settled = 0, open_left = 0;
    for (size_t i = 0; i < n; i++) {
        const audit_intent *it = &v[i];
        /* Only this profile's token can read its solutions back. */
        if (strcmp(it->profile ? it->profile : "", profile) != 0 ||
            strcmp(it->app_id ? it->app_id : "", app) != 0) {
            others++;
            continue;
        }
        char *what = read_back(ctx, it);
        char *safe_what = cli_safe(it->action ? it->action : "?");
        char *safe_id =
            cli_safe(it->solution_id ? it->solution_id : (it->detail ? it->detail : "?"));
        if (what && log) {
            close_intent(ctx, log, it, what);
            settled++;
            fprintf(stderr,
                    "mpsdash: audit: '%s' of %s at %s was left without an outcome (%s); "
                    "%s; recorded in the audit log\n",
                    safe_what, safe_id, it->time ? it->time : "?",
                    it->interrupted ? "interrupted" : "the program was killed", what);
        } else {
            open_left++;
            fprintf(stderr,
                    "mpsdash: audit: '%s' of %s at %s was left without an outcome and "
                    "could not be read back now; it is tried again at the next start\n",
                    safe_what, safe_id, it->time ? it->time : "?");
        }
        free(safe_what);
        free(safe_id);
        free(what);
    }
    if (!log && settled + open_left > 0) {
        char *safe = cli_safe(err);
        cli_warn("%s", safe);
        free(safe);
    }
    if (settled + open_left > 0 || others > 0) {
        notice = mps_xasprintf("audit: %zu earlier change%s left without an outcome read back%s%s; "
                               "see the audit log",
                               settled, settled == 1 ? "" : "s",
                               open_left ? ", some could not be read back yet" : "",
                               others ? ", others belong to other profiles" : "");
    }
    if (others)
        fprintf(stderr,
                "mpsdash: audit: %zu change%s of other profiles left without an outcome; "
                "they are read back when those profiles are used\n",
                others, others == 1 ? "" : "s");
    audit_log_close(log);
    audit_intents_free(v, n);
    free(path);
    return notice;
}
