/* mpsdash api: a raw Graph request, like `gh api`, through the same client as every command:
 * the profile's token (never sent anywhere but the graph URL), appsecret_proof, body and
 * paging limits, the paging guard, redaction and the trace. A POST goes through the mutation
 * gate and the write-ahead audit, and is sent once. */
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_internal.h"
#include "mpsdash/audit.h"
#include "mpsdash/strbuf.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* Parameters that carry a secret: the token goes in the Authorization header only. */
static bool secret_name(const char *name, size_t len)
{
    static const char *const names[] = {"access_token", "appsecret_proof"};
    for (size_t i = 0; i < COUNT_OF(names); i++)
        if (len == strlen(names[i]) && strncasecmp(name, names[i], len) == 0)
            return true;
    return false;
}

/* A query in the path naming access_token= or appsecret_proof=. */
static bool path_names_secret(const char *path)
{
    const char *q = strchr(path, '?');
    while (q && *q) {
        q++;
        size_t len = strcspn(q, "=&#");
        if (secret_name(q, len))
            return true;
        q = strchr(q, '&');
    }
    return false;
}

static bool is_post(const cli_ctx *ctx)
{
    return ctx->method && strcasecmp(ctx->method, "POST") == 0;
}

int cli_check_api(cli_ctx *ctx)
{
    const char *path = ctx->args[0];
    if (ctx->method && strcasecmp(ctx->method, "GET") != 0 && !is_post(ctx)) {
        char *safe = cli_safe(ctx->method);
        cli_error("api: -X %s: GET or POST", safe);
        free(safe);
        return EXIT_USAGE;
    }
    if (!*path || !text_is_safe(path) || strpbrk(path, " \t")) {
        cli_error("api: the path is empty or holds spaces or control characters");
        return EXIT_USAGE;
    }
    if (path_names_secret(path)) {
        cli_error("api: the token goes in the Authorization header only: no access_token or "
                  "appsecret_proof in the path");
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < ctx->fields.count; i++) {
        const char *f = ctx->fields.items[i];
        const char *eq = strchr(f, '=');
        if (!eq || eq == f) {
            char *safe = cli_safe(f);
            cli_error("api: -f %s: a field is KEY=VALUE", safe);
            free(safe);
            return EXIT_USAGE;
        }
        if (secret_name(f, (size_t)(eq - f))) {
            cli_error("api: the token goes in the Authorization header only: no -f "
                      "access_token or appsecret_proof");
            return EXIT_USAGE;
        }
    }
    if (ctx->paginate && is_post(ctx)) {
        cli_error("api: --paginate reads pages: it goes with GET only");
        return EXIT_USAGE;
    }
    /* A POST may change anything: --readonly, a readonly profile and the confirmation rule
     * hold for it as for the actions. */
    ctx->mutating = is_post(ctx);
    return EXIT_OK;
}

/* The fields as KEY=VALUE&..., each part percent-encoded by curl. NULL when none. */
static char *encoded_fields(const strlist *fields)
{
    if (!fields->count)
        return NULL;
    strbuf out = {0};
    for (size_t i = 0; i < fields->count; i++) {
        const char *f = fields->items[i];
        const char *eq = strchr(f, '=');
        char *k = curl_easy_escape(NULL, f, (int)(eq - f));
        char *v = curl_easy_escape(NULL, eq + 1, 0);
        if (!k || !v)
            abort();
        strbuf_addf(&out, "%s%s=%s", out.len ? "&" : "", k, v);
        curl_free(k);
        curl_free(v);
    }
    return strbuf_take(&out);
}

/* One answer: its JSON on one line, made inert; anything else as safe text. */
static void print_one(const char *raw)
{
    json_object *o = json_tokener_parse(raw);
    if (o) {
        char *text = cli_json_text(o); /* consumes o */
        printf("%s\n", text);
        free(text);
    } else {
        char *safe = cli_safe(raw);
        printf("%s\n", safe);
        free(safe);
    }
}

/* What graph_op_take_raw gave: one page a line. Returns the pages. */
static size_t print_answer(char *raw)
{
    size_t n = 0;
    char *save = NULL;
    for (char *line = strtok_r(raw, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        print_one(line);
        n++;
    }
    fflush(stdout);
    return n;
}

int cli_cmd_api(cli_ctx *ctx)
{
    const char *path = ctx->args[0];
    bool post = is_post(ctx);
    char *fields = encoded_fields(&ctx->fields);
    char *what = mps_xasprintf("%s %s", post ? "POST" : "GET", path);
    int rc = EXIT_OK;
    if (post && !ctx->g.yes) {
        char *safe = cli_safe(what);
        fprintf(stderr, "%s%s%s\n", safe, fields ? " with " : "", fields ? fields : "");
        free(safe);
        if (!cli_ask(ctx, "Send it?", NULL)) {
            fprintf(stderr, "Nothing was sent.\n");
            free(fields);
            free(what);
            return EXIT_REFUSED;
        }
    }
    if (post) {
        rc = cli_intent_begin(ctx, "api", NULL, what);
        if (rc != EXIT_OK) {
            free(fields);
            free(what);
            return rc;
        }
    }
    graph_op *op =
        graph_op_raw(post, path, post ? NULL : fields, post ? fields : NULL, ctx->paginate);
    graph_client_start(ctx->client, op);
    size_t pages = 0;
    for (;;) {
        graph_op *ev = graph_client_next_event(ctx->client);
        if (!ev) {
            if (graph_op_is_done(op))
                break;
            graph_client_poll(ctx->client, 1000);
            continue;
        }
        char *raw = graph_op_take_raw(op);
        if (raw) {
            pages += print_answer(raw);
            free(raw);
        }
    }
    char *last = graph_op_take_raw(op);
    if (last) {
        pages += print_answer(last);
        free(last);
    }
    const graph_error *err = graph_op_error(op);
    graph_result *res = graph_op_result(op);
    if (err->cls == GRAPH_OK) {
        if (post)
            cli_audit(ctx, "api", NULL, AUDIT_OK, res->fbtrace_id, what);
        if (ctx->paginate)
            cli_note(ctx, "%zu page%s\n", pages, pages == 1 ? "" : "s");
    } else {
        cli_print_graph_error("api", err);
        if (pages && ctx->paginate)
            cli_error("api: stopped after %zu page%s: what was written is not the whole list",
                      pages, pages == 1 ? "" : "s");
        if (post) {
            char detail[900];
            snprintf(detail, sizeof detail, "%s: %s", what, err->message);
            cli_audit(ctx, "api", NULL,
                      err->outcome_unknown ? AUDIT_UNKNOWN
                      : res->posted        ? AUDIT_ERROR
                                           : AUDIT_NOT_SENT,
                      err->fbtrace_id, detail);
        }
        rc = cli_exit_for(err->cls);
    }
    graph_op_free(op);
    free(fields);
    free(what);
    return post ? cli_intent_end(ctx, rc) : rc;
}
