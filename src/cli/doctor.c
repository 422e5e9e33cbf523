/* `mpsdash doctor`: one line per check (config, token, API access and usage, version, events
 * file, terminal) with what to do about each failure, or all of it as one JSON object
 * (--json); non-zero exit when any check fails. */
#include <json-c/json.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <time.h>
#include <unistd.h>

#include "cli_internal.h"
#include "mpsdash/events.h"
#include "mpsdash/paths.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

#define VERSION_WARN_DAYS 90

typedef enum verdict { V_OK, V_WARN, V_FAIL, V_SKIP } verdict;

static const char *const verdict_word[] = {"ok", "warn", "FAIL", "skip"};
static const char *const verdict_key[] = {"ok", "warn", "fail", "skip"};

/* Near the rate limit: Meta throttles at 100%. */
#define USAGE_WARN_PERCENT 75

typedef struct doctor {
    int failures;
    int warnings;
    json_object *checks; /* --json: the checks, printed at the end; NULL: lines as they come */
    graph_usage usage;   /* max_percent -1 until an API answer reported it */
} doctor;

/* Prints one check: verdict, name, what was found and (indented) what to do. Every string is
 * ours or already sanitised. */
static void report(doctor *d, verdict v, const char *check, const char *todo, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void report(doctor *d, verdict v, const char *check, const char *todo, const char *fmt, ...)
{
    char what[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char *safe = cli_safe(what);
    bool advice = todo && *todo && (v == V_FAIL || v == V_WARN);
    if (d->checks) {
        json_object *c = json_object_new_object();
        json_object_object_add(c, "check", json_object_new_string(check));
        json_object_object_add(c, "verdict", json_object_new_string(verdict_key[v]));
        json_object_object_add(c, "found", json_object_new_string(safe));
        char *t = advice ? cli_safe(todo) : NULL;
        json_object_object_add(c, "todo", t ? json_object_new_string(t) : NULL);
        free(t);
        json_object_array_add(d->checks, c);
    } else {
        printf("%-5s %-17s %s\n", verdict_word[v], check, safe);
        if (advice) {
            char *t = cli_safe(todo);
            printf("      %-17s -> %s\n", "", t);
            free(t);
        }
    }
    free(safe);
    if (v == V_FAIL)
        d->failures++;
    if (v == V_WARN)
        d->warnings++;
}

/* ------------------------------------------------------------------------------ API version */

/* Known Graph API versions and when they stop being served (graph-api-notes.md). NULL: live,
 * no end date announced. Older than the first entry: expired. */
static const struct {
    int major;
    const char *expires;
} api_versions[] = {
    {20, "2026-09-24"}, {21, "2027-01-21"}, {22, NULL}, {23, NULL},
    {24, NULL},         {25, NULL},         {26, NULL},
};

static long long date_to_unix(const char *ymd)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (sscanf(ymd, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long long)timegm(&tm);
}

static void check_api_version(doctor *d, const char *version)
{
    int major = 0, minor = 0;
    char tail;
    if (!version || sscanf(version, "v%d.%d%c", &major, &minor, &tail) != 2) {
        report(d, V_FAIL, "API version",
               "use the form vNN.0, e.g. --api-version " MPS_DEFAULT_API_VERSION,
               "'%s' is not a Graph API version", version ? version : "(none)");
        return;
    }
    if (major < api_versions[0].major) {
        report(d, V_FAIL, "API version",
               "set api_version = \"" MPS_DEFAULT_API_VERSION "\" in the profile",
               "%s expired (older than v%d.0, which expired %s); calls are served by the "
               "oldest live version",
               version, api_versions[0].major, api_versions[0].expires);
        return;
    }
    for (size_t i = 0; i < COUNT_OF(api_versions); i++) {
        if (api_versions[i].major != major)
            continue;
        if (!api_versions[i].expires) {
            report(d, V_OK, "API version", NULL, "%s is live", version);
            return;
        }
        long long end = date_to_unix(api_versions[i].expires);
        long long now = cli_now();
        if (now >= end)
            report(d, V_FAIL, "API version",
                   "set api_version = \"" MPS_DEFAULT_API_VERSION "\" in the profile",
                   "%s expired on %s; calls are served by the oldest live version", version,
                   api_versions[i].expires);
        else if (end - now < VERSION_WARN_DAYS * 86400LL)
            report(d, V_WARN, "API version", "move to " MPS_DEFAULT_API_VERSION " before then",
                   "%s expires on %s (in %lld days)", version, api_versions[i].expires,
                   (end - now) / 86400 + 1);
        else
            report(d, V_OK, "API version", NULL, "%s is live until %s", version,
                   api_versions[i].expires);
        return;
    }
    report(d, V_WARN, "API version", "check Meta's changelog for this version",
           "%s is newer than the versions this build knows (up to v%d.0)", version,
           api_versions[COUNT_OF(api_versions) - 1].major);
}

/* ------------------------------------------------------------------------------ secrets */

/* Checks a secret source step by step; on success *out holds the secret. */
static bool check_secret(doctor *d, const char *check, const char *what, const secret_source *src,
                         char **out)
{
    char where[256];
    mps_errtext err;
    secret_source_describe(src, what, where, sizeof where);
    if (src->kind == SECRET_NONE) {
        report(d, V_FAIL, check,
               "set token_env, token_file or token_command in the profile, "
               "or pass --token-env VAR",
               "no %s source is configured", what);
        return false;
    }
    if (src->kind == SECRET_FILE && secret_check_file(src->value, err, sizeof err) != 0) {
        report(d, V_FAIL, check, "chmod 600 the file and make sure you own it", "%s", err);
        return false;
    }
    if (src->kind == SECRET_ENV && !secret_env_present(src->value)) {
        report(d, V_FAIL, check, "export the variable before running mpsdash", "%s is not set",
               where);
        return false;
    }
    if (secret_load(src, what, out, err, sizeof err) != 0) {
        report(d, V_FAIL, check, "fix the source named above", "%s", err);
        return false;
    }
    char *masked = text_mask_secret(*out);
    report(d, V_OK, check, NULL, "%s from %s works (%s)", what, where, masked);
    free(masked);
    return true;
}

/* ------------------------------------------------------------------------------ terminal */

static void check_terminal(doctor *d)
{
    const char *cs = nl_langinfo(CODESET);
    if (cs && strcmp(cs, "UTF-8") == 0)
        report(d, V_OK, "terminal UTF-8", NULL, "the locale's character set is UTF-8");
    else
        report(d, V_FAIL, "terminal UTF-8",
               "set LANG (or LC_ALL) to a UTF-8 locale, e.g. export LANG=C.UTF-8",
               "the locale's character set is %s: names in other scripts cannot be shown",
               cs ? cs : "unknown");

    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color) {
        report(d, V_OK, "terminal colours", NULL, "NO_COLOR is set: attributes only");
        return;
    }
    const char *term = getenv("TERM");
    int errret = 0;
    /* terminfo lookup only (no screen is set up): how many colours TERM says it has. */
    if (!term || !*term || setupterm(term, STDOUT_FILENO, &errret) != 0) {
        report(d, V_WARN, "terminal colours",
               "set TERM to your terminal's type, e.g. xterm-256color",
               "TERM is %s: the dashboard cannot draw without a known terminal type",
               term && *term ? "not in the terminfo database" : "not set");
        return;
    }
    int colors = tigetnum("colors");
    del_curterm(cur_term);
    if (colors >= 8)
        report(d, V_OK, "terminal colours", NULL, "%s has %d colours", term, colors);
    else
        report(d, V_WARN, "terminal colours", "use --theme mono, or a TERM with colours",
               "%s has no colours: the dashboard uses attributes only", term);
}

/* ------------------------------------------------------------------------------ doctor */

static void check_events(doctor *d, const char *path)
{
    if (!path) {
        report(d, V_SKIP, "events file", NULL, "no events_file in the profile");
        return;
    }
    events_feed *f = events_open(path);
    int n = events_poll(f, cli_now());
    if (n < 0)
        report(d, V_FAIL, "events file", "make the file readable by this user", "%s",
               events_error(f));
    else if (!events_present(f))
        report(d, V_WARN, "events file", "point your webhook receiver's log at this path",
               "%s does not exist yet", path);
    else
        report(d, V_OK, "events file", NULL, "%s: %zu events, %zu lines skipped", path,
               events_count(f), events_bad_lines(f));
    events_close(f);
}

/* The error without its hint: doctor prints the hint on its own line. */
static void brief_error(const graph_error *err, char *buf, size_t size)
{
    if (err->code && err->subcode)
        snprintf(buf, size, "%s: %s (code %d/%d, fbtrace_id %s)", graph_error_class_name(err->cls),
                 err->message, err->code, err->subcode, err->fbtrace_id[0] ? err->fbtrace_id : "-");
    else if (err->code)
        snprintf(buf, size, "%s: %s (code %d, fbtrace_id %s)", graph_error_class_name(err->cls),
                 err->message, err->code, err->fbtrace_id[0] ? err->fbtrace_id : "-");
    else
        snprintf(buf, size, "%s: %s", graph_error_class_name(err->cls), err->message);
}

static bool check_api(doctor *d, cli_ctx *ctx, const char *token)
{
    graph_options o;
    cli_graph_options(ctx, token, &o);
    o.max_retries = o.max_retries ? o.max_retries : -1; /* a doctor answers fast */
    graph_error err;
    memset(&err, 0, sizeof err);
    graph_client *c = cli_new_client(ctx, &o, NULL, &err);
    char line[1200];
    if (!c) {
        graph_error_format(&err, line, sizeof line);
        report(d, V_FAIL, "graph URL", "use https, or http to 127.0.0.1 only", "%s", line);
        return false;
    }
    graph_op *op = graph_op_app(ctx->rp.app_id);
    bool ok = graph_run(c, op, &err);
    if (ok) {
        graph_result *res = graph_op_result(op);
        const mps_app *a = res && res->app_count ? &res->apps[0] : NULL;
        report(d, V_OK, "token valid", NULL, "GET the app: %s (%s)", a && a->name ? a->name : "?",
               a && a->id ? a->id : "no id");
        /* the object behind /<APP_ID> must be that app: a wrong app id (a business's, a
         * solution's) answers too, with another id */
        if (!a || !a->id || strcmp(a->id, ctx->rp.app_id) != 0) {
            report(d, V_FAIL, "app id", "set app_id to the id of the app the token belongs to",
                   "GET /%s answered with id %s, not the profile's app id", ctx->rp.app_id,
                   a && a->id ? a->id : "(none)");
        } else {
            report(d, V_OK, "app id", NULL, "GET /%s answers with the profile's app id",
                   ctx->rp.app_id);
        }
    } else {
        brief_error(&err, line, sizeof line);
        const char *todo = err.hint[0] ? err.hint
                           : err.cls == GRAPH_ERR_NETWORK || err.cls == GRAPH_ERR_TIMEOUT
                               ? "check graph_url, the network and any proxy"
                               : "see the message";
        report(d, V_FAIL, "token valid", todo, "GET the app at %s: %s", ctx->rp.graph_url, line);
    }
    graph_op_free(op);
    if (ok) {
        op = graph_op_list_solutions(NULL);
        if (graph_run(c, op, &err)) {
            graph_result *res = graph_op_result(op);
            report(d, V_OK, "list solutions", NULL, "%zu solutions in %d page%s",
                   res->solution_count, res->pages, res->pages == 1 ? "" : "s");
            if (graph_client_partners_unavailable(c))
                report(d, V_WARN, "partners data", "nothing to do: mpsdash works without it",
                       "this server has no partners data (no partners field, edge or batch): "
                       "roles come from role= listings, partner details are not shown");
        } else {
            brief_error(&err, line, sizeof line);
            report(d, V_FAIL, "list solutions",
                   err.hint[0] ? err.hint
                               : "the app needs the whatsapp_business_management permission",
                   "%s", line);
            ok = false;
        }
        graph_op_free(op);
    } else {
        report(d, V_SKIP, "list solutions", NULL, "needs a working token");
    }
    /* what the answers said of the app's rate limit (X-App-Usage, X-Business-Use-Case-Usage) */
    d->usage = graph_client_usage(c);
    char usage[160];
    cli_usage_text(d->usage, usage, sizeof usage);
    if (d->usage.max_percent < 0)
        report(d, V_SKIP, "API usage", NULL, "%s", usage);
    else if (d->usage.max_percent >= USAGE_WARN_PERCENT)
        report(d, V_WARN, "API usage", "slow down: at 100% Meta refuses calls for a while", "%s",
               usage);
    else
        report(d, V_OK, "API usage", NULL, "%s", usage);
    graph_client_free(c);
    return ok;
}

int cli_cmd_doctor(cli_ctx *ctx)
{
    doctor d = {0};
    d.usage.max_percent = -1;
    if (ctx->g.json)
        d.checks = json_object_new_array();
    mps_errtext err;

    /* 1. the config file */
    char *default_path = paths_config_file();
    const char *path = ctx->g.config_path ? ctx->g.config_path : default_path;
    bool config_ok = config_load(ctx->g.config_path, &ctx->cfg, err, sizeof err) == 0;
    if (!config_ok)
        report(&d, V_FAIL, "config", "fix the file at the line named, or pass -c FILE", "%s", err);
    else if (!ctx->cfg->path)
        report(&d, V_OK, "config", NULL, "no config file at %s: command-line values only",
               path ? path : "(no home directory)");
    else
        report(&d, V_OK, "config", NULL, "%s parsed (%zu profile%s)", ctx->cfg->path,
               ctx->cfg->profile_count, ctx->cfg->profile_count == 1 ? "" : "s");
    free(default_path);

    /* 2. the profile, secrets left for the next check */
    bool profile_ok = false;
    if (config_ok) {
        profile_overrides ov = {ctx->g.graph_url, ctx->g.api_version, ctx->g.app_id,
                                ctx->g.token_env};
        if (profile_resolve(ctx->cfg, ctx->g.profile, &ov, PROFILE_RESOLVE_NO_SECRETS, &ctx->rp,
                            err, sizeof err) == 0) {
            ctx->have_rp = true;
            profile_ok = true;
            report(&d, V_OK, "profile", NULL, "%s: app %s at %s", ctx->rp.name, ctx->rp.app_id,
                   ctx->rp.graph_url);
        } else {
            report(&d, V_FAIL, "profile",
                   "add a profile to the config, or pass --graph-url, --app-id and --token-env",
                   "%s", err);
        }
    } else {
        report(&d, V_SKIP, "profile", NULL, "needs a config that parses");
    }

    /* 3. secrets, then the API with them */
    char *token = NULL;
    if (profile_ok && check_secret(&d, "token source", "token", &ctx->rp.token_source, &token)) {
        bool secret_ok = true;
        if (ctx->rp.app_secret_source.kind != SECRET_NONE) {
            secret_ok = check_secret(&d, "app secret", "app secret", &ctx->rp.app_secret_source,
                                     &ctx->rp.app_secret);
        }
        if (secret_ok)
            check_api(&d, ctx, token);
        else
            report(&d, V_SKIP, "token valid", NULL, "needs the app secret");
    } else {
        report(&d, V_SKIP, "token valid", NULL, "needs a token");
    }
    secret_free(token);

    /* 4. what does not need the network */
    if (profile_ok)
        check_api_version(&d, ctx->rp.api_version);
    else
        check_api_version(&d, ctx->g.api_version ? ctx->g.api_version : MPS_DEFAULT_API_VERSION);
    check_events(&d, profile_ok ? ctx->rp.events_file : NULL);
    check_terminal(&d);

    if (d.checks) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "ok", json_object_new_boolean(d.failures == 0));
        json_object_object_add(o, "failures", json_object_new_int(d.failures));
        json_object_object_add(o, "warnings", json_object_new_int(d.warnings));
        json_object *u = json_object_new_object();
        json_object_object_add(u, "percent",
                               d.usage.max_percent < 0 ? NULL
                                                       : json_object_new_int(d.usage.max_percent));
        json_object_object_add(u, "regain_minutes", json_object_new_int(d.usage.regain_minutes));
        json_object_object_add(o, "api_usage", u);
        json_object_object_add(o, "checks", d.checks);
        char *text = cli_json_text(o);
        printf("%s\n", text);
        free(text);
    } else if (d.failures) {
        printf("\n%d check%s failed.\n", d.failures, d.failures == 1 ? "" : "s");
    } else {
        printf("\nAll checks passed%s.\n", d.warnings ? " (see the warnings)" : "");
    }
    return d.failures ? EXIT_FAILURE_GENERIC : EXIT_OK;
}
