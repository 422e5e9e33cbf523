/* The read-only solution commands: list, show, partners and waba-solutions. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_internal.h"
#include "mpsdash/state.h"
#include "mpsdash/text.h"

int cli_check_list(cli_ctx *ctx)
{
    int rc = cli_check_ids(ctx);
    if (rc)
        return rc;
    if (ctx->g.filter) {
        mps_state st;
        bool all;
        if (!state_parse(ctx->g.filter, &st, &all)) {
            char *safe = cli_safe(ctx->g.filter);
            cli_error("--filter: unknown state '%s' (all, pending, active, pending-deactivation, "
                      "draft, inactive, deactivated, other)",
                      safe);
            free(safe);
            return EXIT_USAGE;
        }
    }
    if ((ctx->given & OPT_INTERVAL) && !ctx->watch) {
        cli_error("--interval goes with --watch");
        return EXIT_USAGE;
    }
    if (ctx->watch && (ctx->g.jq || ctx->g.limit > 0 || ctx->g.column_list || ctx->g.no_headers)) {
        cli_error("--watch writes JSON lines as changes come: --jq, --limit, -o and "
                  "--no-headers do not apply (pipe it into jq)");
        return EXIT_USAGE;
    }
    if (ctx->role) {
        mps_role r;
        if (!role_parse(ctx->role, &r)) {
            char *safe = cli_safe(ctx->role);
            cli_error("--role: '%s' is neither owner nor partner", safe);
            free(safe);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

static bool state_wanted(const cli_ctx *ctx, const mps_solution *s)
{
    mps_state want;
    bool all = true;
    if (!ctx->g.filter || !state_parse(ctx->g.filter, &want, &all) || all)
        return true;
    return solution_state(s) == want;
}

static void print_solutions(cli_ctx *ctx, mps_solution **items, size_t count)
{
    if (ctx->g.limit > 0 && (size_t)ctx->g.limit < count)
        count = (size_t)ctx->g.limit;
    if (ctx->g.json)
        cli_print_solutions_json(stdout, items, count, ctx->rp.app_id);
    else
        cli_print_solutions_table(stdout, items, count, ctx->rp.app_id, &ctx->g);
}

/* Writes the listing page by page as it arrives, never holding more than a page: a JSON array
 * item by item; the table streamed tab-separated when stdout is not a terminal, else kept (rows
 * only) until the end so that columns fit the widest value. Once --limit is reached no further
 * page is asked for. */
int cli_cmd_list(cli_ctx *ctx)
{
    if (ctx->watch)
        return cli_cmd_watch(ctx);
    const char *role = NULL;
    mps_role r;
    if (ctx->role && role_parse(ctx->role, &r))
        role = r == ROLE_OWNER ? "OWNER" : "PARTNER";
    graph_op *op = graph_op_list_solutions(role);
    bool stream_table = !ctx->g.json && !isatty(STDOUT_FILENO);
    cli_list_out *out =
        cli_list_out_new(stdout, ctx->g.json, &ctx->g, stream_table, ctx->rp.app_id);
    size_t seen = 0;
    bool limited = false;
    graph_client_start(ctx->client, op);
    for (;;) {
        graph_op *ev = graph_client_next_event(ctx->client);
        if (!ev) {
            if (graph_op_is_done(op))
                break;
            graph_client_poll(ctx->client, 1000);
            continue;
        }
        mps_solution **page;
        size_t n = graph_op_take_page(op, &page);
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            if (state_wanted(ctx, page[i]))
                page[kept++] = page[i];
            else
                solution_free(page[i]);
        }
        seen += n;
        cli_list_out_add(out, page, kept);
        for (size_t i = 0; i < kept; i++)
            solution_free(page[i]);
        free(page);
        if (cli_list_out_full(out) && !graph_op_is_done(op)) {
            graph_client_cancel(ctx->client, op);
            limited = true;
            break;
        }
    }
    const graph_error *err = graph_op_error(op);
    bool ok = limited || err->cls == GRAPH_OK;
    size_t kept = cli_list_out_finish(out, ok);
    int rc = EXIT_OK;
    if (!ok) {
        cli_print_graph_error(graph_error_class_name(err->cls), err);
        if (kept)
            cli_error("the listing stopped after %zu solution%s: what was written is not the "
                      "whole list",
                      kept, kept == 1 ? "" : "s");
        rc = cli_exit_for(err->cls);
    } else {
        if (graph_client_partners_unavailable(ctx->client))
            cli_warn("this server has no partners data (no partners field, edge or batch): "
                     "roles come from its role=OWNER and role=PARTNER listings");
        else if (graph_op_result(op)->fallback_used)
            cli_warn("the server refused partners{} in fields=: partners were fetched per "
                     "solution");
        if (!ctx->g.json && limited)
            cli_note(ctx, "%zu solution%s shown (--limit): the list was not read further\n", kept,
                     kept == 1 ? "" : "s");
        else if (!ctx->g.json)
            cli_note(ctx, "%zu solution%s%s\n", kept, kept == 1 ? "" : "s",
                     kept == seen ? "" : " (filtered)");
    }
    graph_op_free(op);
    return rc;
}

int cli_cmd_waba_solutions(cli_ctx *ctx)
{
    graph_op *op = graph_op_waba_solutions(ctx->args[0]);
    int rc = cli_run_op(ctx, op);
    if (rc == EXIT_OK) {
        graph_result *res = graph_op_result(op);
        print_solutions(ctx, res->solutions, res->solution_count);
    }
    graph_op_free(op);
    return rc;
}

/* GETs one solution; *op_out keeps it alive for the caller (freed with graph_op_free). */
static int get_solution(cli_ctx *ctx, const char *id, graph_op **op_out, mps_solution **out)
{
    graph_op *op = graph_op_get_solution(id);
    int rc = cli_run_op(ctx, op);
    graph_result *res = graph_op_result(op);
    if (rc == EXIT_OK && (!res || res->solution_count == 0)) {
        cli_error("the answer held no solution");
        rc = EXIT_NETWORK;
    }
    *out = rc == EXIT_OK ? res->solutions[0] : NULL;
    *op_out = op;
    return rc;
}

int cli_cmd_show(cli_ctx *ctx)
{
    graph_op *op;
    mps_solution *s;
    int rc = get_solution(ctx, ctx->args[0], &op, &s);
    if (rc == EXIT_OK) {
        if (ctx->g.json) {
            char *j = cli_solution_json(s, ctx->rp.app_id);
            printf("%s\n", j);
            free(j);
        } else {
            cli_print_solution_detail(stdout, s, ctx->rp.app_id, ctx->g.profile);
        }
    }
    graph_op_free(op);
    return rc;
}

/* The server's partner objects, exactly as they came (partners.data of the solution). */
static bool print_partners_json_exact(const mps_solution *s)
{
    if (!s->json)
        return false;
    json_tokener *tok = json_tokener_new_ex(128);
    if (!tok)
        return false;
    json_object *root = json_tokener_parse_ex(tok, s->json, (int)strlen(s->json));
    json_tokener_free(tok);
    json_object *partners, *data;
    bool ok = root && json_object_object_get_ex(root, "partners", &partners) &&
              json_object_object_get_ex(partners, "data", &data) &&
              json_object_is_type(data, json_type_array);
    if (ok) {
        const char *txt = json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN |
                                                                   JSON_C_TO_STRING_NOSLASHESCAPE);
        char *inert = text_json_inert(txt);
        printf("%s\n", inert);
        free(inert);
    }
    json_object_put(root);
    return ok;
}

static void print_partners_json_struct(const mps_solution *s)
{
    printf("[");
    for (size_t i = 0; i < s->partner_count; i++) {
        const mps_partner *p = &s->partners[i];
        printf(i ? ",\n  {\"id\":" : "\n  {\"id\":");
        cli_json_string(stdout, p->id);
        printf(",\"partner_app\":{\"id\":");
        cli_json_string(stdout, p->app.id);
        printf(",\"name\":");
        cli_json_string(stdout, p->app.name);
        printf(",\"link\":");
        cli_json_string(stdout, p->app.link);
        printf("},\"status\":");
        cli_json_string(stdout, p->status);
        if (p->has_permissions) {
            printf(",\"partner_permissions\":[");
            for (size_t k = 0; k < p->permissions.count; k++) {
                if (k)
                    printf(",");
                cli_json_string(stdout, p->permissions.items[k]);
            }
            printf("]");
        }
        printf("}");
    }
    printf(s->partner_count ? "\n]\n" : "]\n");
}

int cli_cmd_partners(cli_ctx *ctx)
{
    graph_op *op;
    mps_solution *s;
    int rc = get_solution(ctx, ctx->args[0], &op, &s);
    if (rc == EXIT_OK && !s->has_partners) {
        /* one line, nothing on standard output: told apart from zero partners, which is [] */
        cli_error("no partners data from this server for %s%s", s->id ? s->id : "?",
                  s->partners_unavailable ? " (it has no partners field or edge)"
                                          : " (its answer held no partners)");
        rc = EXIT_API;
    } else if (rc == EXIT_OK) {
        if (ctx->g.json) {
            if (!print_partners_json_exact(s))
                print_partners_json_struct(s);
        } else {
            cli_table *t = cli_table_new(&cli_table_partners);
            for (size_t i = 0; i < s->partner_count; i++) {
                const mps_partner *p = &s->partners[i];
                const char *cells[] = {p->app.name, p->app.id, p->status, p->id, p->app.link};
                cli_table_add(t, cells);
            }
            cli_table_print_free(t, stdout, &ctx->g);
        }
    }
    graph_op_free(op);
    return rc;
}
