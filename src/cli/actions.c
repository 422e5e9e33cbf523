/* The mutating commands: the five solution actions and create. Each shows what will happen,
 * asks, lets the graph layer re-check and POST once, reports the outcome and audits it. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_internal.h"
#include "mpsdash/audit.h"
#include "mpsdash/state.h"
#include "mpsdash/text.h"

#define NAME_MIN_CHARS 2
#define NAME_MAX_CHARS 75
#define REASON_MAX_CHARS 500 /* rejection_reason's maxLength in Meta's OpenAPI description */

static long utf8_chars(const char *s);

static void print_app(const char *label, const mps_app *a)
{
    fprintf(stderr, "  %-14s %s", label, a->name ? a->name : "(name unknown)");
    fprintf(stderr, a->id ? " (%s)\n" : "\n", a->id);
}

static void print_perms(const char *label, bool known, const strlist *perms)
{
    char *joined = cli_join(perms);
    fprintf(stderr, "  %-14s %s\n", label, known ? joined : "(not in the answer)");
    free(joined);
}

/* Reads the answer from the terminal. With confirm = "typed" the code text_confirm_code picks
 * (the id's last digits) must be typed; otherwise, and for create (no id yet), y or yes. Anything
 * else, or end of input, is no. */
bool cli_ask(const cli_ctx *ctx, const char *question, const char *id)
{
    bool typed = ctx->cfg && ctx->cfg->confirm == CONFIG_CONFIRM_TYPED && id;
    char word[16] = "";
    if (typed) {
        text_confirm_code(id, word, sizeof word);
        fprintf(stderr, "%s Type '%s' (the last digits of its id) to confirm: ", question, word);
    } else {
        fprintf(stderr, "%s [y/N] ", question);
    }
    fflush(stderr);
    char line[512];
    if (!fgets(line, sizeof line, stdin))
        return false;
    line[strcspn(line, "\r\n")] = '\0';
    if (typed)
        return strcmp(line, word) == 0;
    return strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 || strcmp(line, "yes") == 0;
}

static void show_solution_summary(const action_info *info, const mps_solution *s,
                                  const char *our_app_id, bool offered, const char *why_not,
                                  const char *reason)
{
    fprintf(stderr, "%s\n", info->title);
    fprintf(stderr, "  %-14s %s (%s)\n", "solution", s->name ? s->name : "(no name)",
            s->id ? s->id : "?");
    fprintf(stderr, "  %-14s %s\n", "state", solution_state_text(s));
    fprintf(stderr, "  %-14s %s\n", "your role", role_label(solution_role(s, our_app_id)));
    print_app("owner app", &s->owner_app);
    print_perms("owner gets", s->has_owner_permissions, &s->owner_permissions);
    if (solution_partner_is_us(s, our_app_id))
        fprintf(stderr, "  %-14s your app (%s); what it gets is not available from this server\n",
                "partner app", our_app_id);
    else if (s->partners_unavailable)
        fprintf(stderr, "  %-14s %s\n", "partner app", "(not available from this server)");
    else if (!s->has_partners || s->partner_count == 0)
        fprintf(stderr, "  %-14s %s\n", "partner app", "(not in the answer)");
    for (size_t i = 0; i < s->partner_count; i++) {
        print_app("partner app", &s->partners[i].app);
        print_perms("partner gets", s->partners[i].has_permissions, &s->partners[i].permissions);
    }
    if (reason)
        fprintf(stderr, "  %-14s %s\n", "reason", reason);
    if (info->effect)
        fprintf(stderr, "  %s\n", info->effect);
    if (info->irreversible)
        fprintf(stderr, "  This cannot be undone: a solution cannot be declined once it is "
                        "accepted.\n");
    if (!offered)
        fprintf(stderr,
                "  Note: the panel does not offer this now (%s); the request is sent "
                "anyway and the server decides.\n",
                why_not ? why_not : "not for this state and role");
}

static void print_after(const cli_ctx *ctx, const mps_solution *now)
{
    if (ctx->g.json) {
        char *j = cli_solution_json(now, ctx->rp.app_id);
        printf("%s\n", j);
        free(j);
        return;
    }
    printf("%s (%s) is now %s\n", now->name ? now->name : "(no name)", now->id ? now->id : "?",
           solution_state_text(now));
}

/* Failures that would fail every other solution of a batch too: the token, the network, the
 * rate limit, the command's deadline. A refusal about one solution (its state, its role, a
 * change since it was read) does not stop the rest. */
static bool stops_batch(graph_error_class cls)
{
    switch (cls) {
    case GRAPH_ERR_NETWORK:
    case GRAPH_ERR_TIMEOUT:
    case GRAPH_ERR_PROTOCOL:
    case GRAPH_ERR_TOKEN:
    case GRAPH_ERR_RATE_LIMIT:
    case GRAPH_ERR_TRANSIENT:
    case GRAPH_ERR_CANCELLED:
    case GRAPH_ERR_USAGE:
        return true;
    default:
        return false;
    }
}

/* One solution: read, show, ask, POST once, report, audit. *stop: the batch must not go on. */
static int act_one(cli_ctx *ctx, mps_action a, const action_info *info, const char *id, bool *stop)
{
    *stop = false;
    /* What the confirmation shows is what the server holds now, and it becomes the op's
     * `expected`: a change between this read and the POST stops the POST. */
    graph_op *get = graph_op_get_solution(id);
    graph_error gerr;
    memset(&gerr, 0, sizeof gerr);
    int rc = EXIT_OK;
    graph_result *got = NULL;
    if (!graph_run(ctx->client, get, &gerr)) {
        char what[160];
        snprintf(what, sizeof what, "%s %s: not sent, it could not be read", info->verb, id);
        cli_print_graph_error(what, &gerr);
        rc = cli_exit_for(gerr.cls);
        *stop = stops_batch(gerr.cls);
    } else if (!(got = graph_op_result(get)) || got->solution_count == 0) {
        cli_error("%s %s: not sent: the answer held no solution", info->verb, id);
        snprintf(gerr.message, sizeof gerr.message, "the answer held no solution");
        rc = EXIT_NETWORK;
        *stop = true;
    }
    if (rc != EXIT_OK || !got) {
        /* nothing was sent, but the attempt is on the record like every other */
        cli_audit(ctx, info->verb, id, AUDIT_NOT_SENT, gerr.fbtrace_id, gerr.message);
        graph_op_free(get);
        return rc;
    }
    const mps_solution *shown = got->solutions[0];
    mps_role role = solution_role(shown, ctx->rp.app_id);
    const char *why_not = NULL;
    bool offered = action_offered(a, solution_state(shown), role, &why_not);
    if (!(ctx->g.quiet && ctx->g.yes)) /* asking needs it; -q --yes does not */
        show_solution_summary(info, shown, ctx->rp.app_id, offered, why_not, ctx->reason);
    if (!ctx->g.yes && !cli_ask(ctx, "Send it?", shown->id)) {
        fprintf(stderr, "Nothing was sent.\n");
        graph_op_free(get);
        return EXIT_REFUSED;
    }

    rc = cli_intent_begin(ctx, info->verb, id, NULL);
    if (rc != EXIT_OK) {
        *stop = true; /* no record can be written: nothing else may be sent either */
        graph_op_free(get);
        return rc;
    }
    graph_op *op = graph_op_action(a, id, shown);
    graph_op_set_reason(op, ctx->reason);
    graph_error err;
    memset(&err, 0, sizeof err);
    bool ok = graph_run(ctx->client, op, &err);
    graph_result *res = graph_op_result(op);
    const mps_solution *now = res && res->solution_count ? res->solutions[0] : NULL;

    if (ok && res && res->success) {
        if (now)
            print_after(ctx, now);
        else if (ctx->g.json)
            printf("{\"success\":true}\n");
        else
            printf("%s: done\n", info->verb);
        cli_audit(ctx, info->verb, id, AUDIT_OK, res->fbtrace_id, NULL);
        rc = EXIT_OK;
    } else if (ok) {
        cli_error("%s: the server answered success:false; nothing changed as far as it says",
                  info->verb);
        cli_audit(ctx, info->verb, id, AUDIT_REFUSED, res->fbtrace_id, "success:false");
        rc = EXIT_API;
    } else if (err.cls == GRAPH_ERR_CHANGED) {
        cli_error("not sent: the solution changed since it was shown:\n%s",
                  res && res->changes ? res->changes : err.message);
        cli_audit(ctx, info->verb, id, AUDIT_CHANGED, NULL, res ? res->changes : NULL);
        rc = EXIT_REFUSED;
    } else if (err.outcome_unknown) {
        cli_error("%s: no answer to the POST (%s); it was not sent again", info->verb, err.message);
        if (now) {
            bool applied = solution_state(now) == action_get(a)->after;
            fprintf(stderr, "The server now holds: %s (%s) in state %s: the change was %s.\n",
                    now->name ? now->name : "(no name)", now->id ? now->id : id,
                    solution_state_text(now), applied ? "made" : "not made");
            if (applied)
                print_after(ctx, now);
            cli_audit(ctx, info->verb, id, AUDIT_UNKNOWN, err.fbtrace_id,
                      applied ? "answer lost; read back: applied"
                              : "answer lost; read back: not applied");
            rc = applied ? EXIT_OK : EXIT_NETWORK;
            /* not made: what lost this answer may lose the next one; stop the batch */
            *stop = !applied;
        } else {
            *stop = true; /* not even a read-back came through */
            fprintf(stderr,
                    "The solution could not be read back either: check it with "
                    "'mpsdash show %s' before trying again.\n",
                    id);
            cli_audit(ctx, info->verb, id, AUDIT_UNKNOWN, err.fbtrace_id, err.message);
            rc = EXIT_NETWORK;
        }
    } else {
        cli_print_graph_error(info->verb, &err);
        if (res && res->posted) /* an error the client made of a 2xx: the POST answer's id */
            cli_audit(ctx, info->verb, id, AUDIT_ERROR,
                      err.fbtrace_id[0] ? err.fbtrace_id : res->fbtrace_id, err.message);
        else
            cli_audit(ctx, info->verb, id, AUDIT_NOT_SENT, err.fbtrace_id, err.message);
        rc = cli_exit_for(err.cls);
        *stop = stops_batch(err.cls);
    }
    graph_op_free(op);
    graph_op_free(get);
    rc = cli_intent_end(ctx, rc);
    if (ctx->audit_failed)
        *stop = true;
    return rc;
}

/* Several ids are acted on one after the other, on the one client (one token read, one
 * connection); each has its own read, confirmation, intent, POST (at most one) and outcome. */
int cli_cmd_action(cli_ctx *ctx)
{
    mps_action a;
    if (!action_parse(ctx->cmd->name, &a)) {
        cli_error("internal: no action named %s", ctx->cmd->name);
        return EXIT_FAILURE_GENERIC;
    }
    const action_info *info = action_get(a);
    int first_failure = EXIT_OK;
    int done = 0, tried = 0;
    strlist failed = {0};
    for (int i = 0; i < ctx->nargs; i++) {
        bool stop = false;
        int rc = act_one(ctx, a, info, ctx->args[i], &stop);
        tried++;
        if (rc == EXIT_OK) {
            done++;
        } else {
            if (first_failure == EXIT_OK)
                first_failure = rc;
            strlist_push(&failed, ctx->args[i]);
        }
        if (stop && i + 1 < ctx->nargs) {
            cli_error("%s: stopped after %s: %d id%s not tried", info->verb, ctx->args[i],
                      ctx->nargs - i - 1, ctx->nargs - i - 1 == 1 ? "" : "s");
            if (first_failure == EXIT_OK) /* ids left undone are never a success */
                first_failure = EXIT_FAILURE_GENERIC;
            break;
        }
    }
    if (ctx->nargs > 1) {
        char *ids = cli_join(&failed);
        cli_note(ctx, "%s: %d of %d done%s%s%s\n", info->verb, done, ctx->nargs,
                 failed.count ? "; failed: " : "", failed.count ? ids : "",
                 tried < ctx->nargs ? "; the rest not tried" : "");
        free(ids);
    }
    strlist_clear(&failed);
    return first_failure;
}

/* ------------------------------------------------------------------------------ create */

/* Code points of valid UTF-8, or -1 when s is not valid UTF-8. */
static long utf8_chars(const char *s)
{
    char *repaired = text_repair_utf8(s, strlen(s));
    bool same = strcmp(repaired, s) == 0;
    free(repaired);
    if (!same)
        return -1;
    return (long)text_char_count(s);
}

int cli_check_reject(cli_ctx *ctx)
{
    int rc = cli_check_action(ctx);
    if (rc || !ctx->reason)
        return rc;
    long chars = utf8_chars(ctx->reason);
    if (chars < 0 || !text_is_safe(ctx->reason)) {
        cli_error("--reason: the text holds invalid UTF-8 or control characters");
        return EXIT_USAGE;
    }
    if (chars > REASON_MAX_CHARS) {
        cli_error("--reason: Meta documents at most %d characters; this one has %ld: nothing "
                  "was sent",
                  REASON_MAX_CHARS, chars);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int cli_check_create(cli_ctx *ctx)
{
    int rc = cli_check_ids(ctx);
    if (rc)
        return rc;
    if (!ctx->name) {
        cli_error("create needs --name N");
        return EXIT_USAGE;
    }
    if (!ctx->partner_app) {
        cli_error("create needs --partner-app ID (the invited partner's app id)");
        return EXIT_USAGE;
    }
    long chars = utf8_chars(ctx->name);
    if (chars < 0 || !text_is_safe(ctx->name)) {
        cli_error("--name: the name holds invalid UTF-8 or control characters");
        return EXIT_USAGE;
    }
    if (chars < NAME_MIN_CHARS || chars > NAME_MAX_CHARS) {
        cli_error("--name: a solution name has %d to %d characters; this one has %ld: nothing "
                  "was sent",
                  NAME_MIN_CHARS, NAME_MAX_CHARS, chars);
        return EXIT_USAGE;
    }
    const strlist *lists[] = {&ctx->owner_perms, &ctx->partner_perms};
    for (size_t l = 0; l < 2; l++) {
        for (size_t i = 0; i < lists[l]->count; i++) {
            const char *p = lists[l]->items[i];
            if (!*p ||
                strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
                    strlen(p)) {
                char *safe = cli_safe(p);
                cli_error("'%s' is not a permission name (letters, digits and _)", safe);
                free(safe);
                return EXIT_USAGE;
            }
        }
    }
    return EXIT_OK;
}

int cli_cmd_create(cli_ctx *ctx)
{
    const char *app = ctx->app ? ctx->app : ctx->rp.app_id;
    char *owner = cli_join(&ctx->owner_perms);
    char *partner = cli_join(&ctx->partner_perms);
    fprintf(stderr, "Create a Multi-Partner Solution\n");
    fprintf(stderr, "  %-14s %s\n", "name", ctx->name);
    fprintf(stderr, "  %-14s %s\n", "owner app", app ? app : "(the token's app)");
    fprintf(stderr, "  %-14s %s\n", "owner gets", owner);
    fprintf(stderr, "  %-14s %s\n", "partner app", ctx->partner_app);
    fprintf(stderr, "  %-14s %s\n", "partner gets", partner);
    fprintf(stderr,
            "  The solution starts INITIATED and the partner app is invited to accept it.\n");
    free(owner);
    free(partner);
    if (!ctx->g.yes && !cli_ask(ctx, "Create it?", NULL)) {
        fprintf(stderr, "Nothing was sent.\n");
        return EXIT_REFUSED;
    }
    int rc = cli_intent_begin(ctx, "create", NULL, ctx->name);
    if (rc != EXIT_OK)
        return rc;
    graph_op *op = graph_op_create(ctx->app, ctx->name, ctx->partner_app, &ctx->owner_perms,
                                   &ctx->partner_perms);
    graph_error err;
    memset(&err, 0, sizeof err);
    bool ok = graph_run(ctx->client, op, &err);
    graph_result *res = graph_op_result(op);
    if (ok && res && res->created_id) {
        if (ctx->g.json) {
            printf("{\"solution_id\":");
            cli_json_string(stdout, res->created_id);
            printf("}\n");
        } else {
            printf("created solution %s; partner app %s was invited\n", res->created_id,
                   ctx->partner_app);
        }
        cli_audit(ctx, "create", res->created_id, AUDIT_OK, res->fbtrace_id, ctx->name);
        rc = EXIT_OK;
    } else if (ok) {
        cli_error("create: the answer held no solution_id");
        cli_audit(ctx, "create", NULL, AUDIT_UNKNOWN, NULL, "no solution_id in the answer");
        rc = EXIT_NETWORK;
    } else if (err.outcome_unknown) {
        cli_error("create: no answer to the POST (%s); it was not sent again: look for the "
                  "solution with 'mpsdash list' before creating it again",
                  err.message);
        cli_audit(ctx, "create", NULL, AUDIT_UNKNOWN, err.fbtrace_id, err.message);
        rc = EXIT_NETWORK;
    } else {
        cli_print_graph_error("create", &err);
        cli_audit(ctx, "create", NULL, res && res->posted ? AUDIT_ERROR : AUDIT_NOT_SENT,
                  err.fbtrace_id, err.message);
        rc = cli_exit_for(err.cls);
    }
    graph_op_free(op);
    return cli_intent_end(ctx, rc);
}
