/* Private declarations shared by the command line's files: the parsed command line, the
 * subcommand table and the helpers every subcommand uses. Nothing outside src/cli includes it. */
#ifndef MPSDASH_CLI_INTERNAL_H
#define MPSDASH_CLI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mpsdash/alloc.h"
#include "mpsdash/audit.h"
#include "mpsdash/cli.h"
#include "mpsdash/config.h"
#include "mpsdash/graph.h"
#include "mpsdash/model.h"

/* Options that belong to one or a few subcommands (the global ones live in cli_globals). Each
 * is a bit, so a subcommand names the ones it accepts and the parser refuses the rest. */
typedef enum cli_opt {
    OPT_ROLE = 1u << 0,
    OPT_NAME = 1u << 1,
    OPT_PARTNER_APP = 1u << 2,
    OPT_OWNER_PERM = 1u << 3,
    OPT_PARTNER_PERM = 1u << 4,
    OPT_AS_USER_TOKEN_ENV = 1u << 5,
    OPT_APP = 1u << 6,
    OPT_PARTNER_BUSINESS = 1u << 7,
    OPT_BUSINESS = 1u << 8,
    OPT_REVEAL = 1u << 9,
    OPT_CONFIG_ID = 1u << 10,
    OPT_FOLLOW = 1u << 11,
    OPT_EVENTS_FILE = 1u << 12,
    OPT_PORT = 1u << 13,
    OPT_SCENARIO = 1u << 14,
    OPT_SOLUTIONS = 1u << 15,
    OPT_REFUSE_PARTNER_FIELDS = 1u << 16,
    OPT_HOSTILE_NAMES = 1u << 17,
    OPT_LATENCY = 1u << 18,
    OPT_REQUEST_LOG = 1u << 19,
    OPT_PORT_FILE = 1u << 20,
    OPT_DEMO_ACTIVITY = 1u << 21,
    OPT_DEMO = 1u << 22,
    OPT_DEMO_INTERVAL = 1u << 23,
    OPT_REASON = 1u << 24,
    OPT_LISTEN = 1u << 25,
    OPT_TLS_CERT = 1u << 26,
    OPT_TLS_KEY = 1u << 27,
    OPT_MAX_BODY = 1u << 28,
    OPT_REQUEST_TIMEOUT = 1u << 29,
    OPT_ROTATE_SIZE = 1u << 30,
    OPT_NO_FSYNC = 1u << 31,
    OPT_DIALECT = 1ull << 32, /* bits past 31: `given`, `opts` and `scope` are 64-bit */
    OPT_WATCH = 1ull << 33,
    OPT_INTERVAL = 1ull << 34,
    OPT_METHOD = 1ull << 35,
    OPT_FIELD = 1ull << 36,
    OPT_PAGINATE = 1ull << 37,
} cli_opt;

/* Everything the command line said, and what was resolved from it. */
typedef struct cli_ctx {
    cli_globals g;
    const struct cli_command *cmd;
    unsigned long long given; /* cli_opt bits seen */
    bool help_asked;
    bool version_asked;
    char **args; /* positional arguments after the subcommand */
    int nargs;

    /* subcommand options */
    const char *role;
    const char *name;
    const char *partner_app;
    strlist owner_perms;
    strlist partner_perms;
    const char *as_user_token_env;
    const char *app;
    strlist partner_businesses;
    const char *method; /* api -X */
    strlist fields;     /* api -f KEY=VALUE */
    bool paginate;      /* api --paginate */
    bool mutating;      /* set by a check: this run may change something (api -X POST) */
    bool watch;         /* list --watch */
    int interval;       /* list --watch --interval S; 0: not given */
    strlist action_ids; /* an action's ids, each once (from args or "-"); args points here */
    const char *business;
    bool reveal;
    const char *config_id;
    const char *reason;
    bool follow;
    const char *events_file;
    int port;
    const char *scenario;
    int solutions;
    bool refuse_partner_fields;
    bool hostile_names;
    int latency_ms;
    const char *request_log;
    const char *port_file;
    bool demo_activity;
    int demo_interval_ms;
    bool demo;
    const char *listen;
    const char *tls_cert;
    const char *tls_key;
    int max_body;
    int request_timeout;
    int rotate_size;
    bool no_fsync;
    const char *dialect;

    /* resolved on demand */
    mps_config *cfg;
    resolved_profile rp;
    bool have_rp;
    graph_client *client;
    long long started_ms; /* CLOCK_MONOTONIC when the command started: its deadline counts
                           * from here */

    /* the write-ahead audit of the mutation in progress (writeahead.c) */
    audit_log *wa_log;
    char wa_id[17];    /* its intent id; "" when none */
    bool audit_failed; /* an outcome could not be written */
    struct cli_jq *jq; /* --jq, compiled before anything runs */
} cli_ctx;

enum {
    CMD_NEEDS_CLIENT = 1u << 0, /* resolve the profile (token loaded) and make a client first */
    CMD_MUTATING = 1u << 1,     /* sends a POST: refused by --readonly, asks before sending */
    CMD_NO_JSON = 1u << 2,      /* has no JSON form: --json is a usage error, not ignored */
    /* Without --json (and --watch) it prints solutions as a table only: their exact JSON text,
     * a third of the cost of parsing them, is not kept. */
    CMD_TABLE_DROPS_JSON = 1u << 3,
};

typedef struct cli_column {
    const char *header; /* also its name for -o: lower case, blanks as '-' */
    bool trunc;         /* on a terminal, may be cut so that a row fits the width */
} cli_column;
typedef struct cli_table_spec {
    size_t ncols;
    const cli_column *cols;
} cli_table_spec;
/* The tables commands print (the command table names its one, for checking -o early). */
extern const cli_table_spec cli_table_solutions, cli_table_partners, cli_table_apps,
    cli_table_customers, cli_table_inbox;
typedef struct cli_command {
    const char *name;
    int (*run)(cli_ctx *ctx);
    unsigned flags;
    unsigned long long opts; /* cli_opt bits accepted besides the globals */
    int min_args, max_args;
    const char *synopsis; /* "accept ID [--yes]" */
    const char *summary;  /* one line for the global help */
    const char *help;     /* the rest of the subcommand's help */
    /* Checks the arguments before anything else happens (no config, no request); NULL: none. */
    int (*check)(cli_ctx *ctx);
    /* The table it prints without --json (for -o/--columns and --no-headers); NULL: none. */
    const cli_table_spec *table;
} cli_command;

/* ---- subcommands (one function each) ---- */
int cli_cmd_dashboard(cli_ctx *ctx);
int cli_cmd_list(cli_ctx *ctx);
int cli_cmd_show(cli_ctx *ctx);
int cli_cmd_partners(cli_ctx *ctx);
int cli_cmd_action(cli_ctx *ctx);
int cli_cmd_create(cli_ctx *ctx);
int cli_cmd_apps(cli_ctx *ctx);
int cli_cmd_customers(cli_ctx *ctx);
int cli_cmd_waba_solutions(cli_ctx *ctx);
int cli_cmd_business_token(cli_ctx *ctx);
int cli_cmd_signup_snippet(cli_ctx *ctx);
int cli_cmd_events(cli_ctx *ctx);
int cli_cmd_doctor(cli_ctx *ctx);
int cli_cmd_sandbox(cli_ctx *ctx);
int cli_cmd_webhook(cli_ctx *ctx);
int cli_cmd_inbox(cli_ctx *ctx);
int cli_check_webhook(cli_ctx *ctx);
int cli_cmd_completion(cli_ctx *ctx);
int cli_check_completion(cli_ctx *ctx);
int cli_check_list(cli_ctx *ctx);
int cli_cmd_watch(cli_ctx *ctx); /* list --watch (watch.c) */
int cli_check_api(cli_ctx *ctx); /* api (api.c) */
/* Asks on the terminal: y/N, or with confirm = "typed" and an id, its last digits. */
bool cli_ask(const cli_ctx *ctx, const char *question, const char *id);
int cli_cmd_api(cli_ctx *ctx);
int cli_check_create(cli_ctx *ctx);
int cli_check_reject(cli_ctx *ctx);
int cli_check_business_token(cli_ctx *ctx);
int cli_check_ids(cli_ctx *ctx); /* positional ids and id options: digits only */
/* The actions: one id or several, or "-" for ids on standard input (whitespace-separated, at
 * most CLI_MAX_IDS; needs --yes), then as cli_check_ids. */
int cli_check_action(cli_ctx *ctx);
#define CLI_MAX_IDS 10000

/* ---- the tables, for what is generated from them (completion.c) ---- */
typedef struct cli_option_view {
    const char *name;
    int short_opt;            /* 0 when long only */
    unsigned long long scope; /* 0 = global, else the cli_opt bit of the commands that take it */
    bool takes_arg;
    const char *meta; /* argument name ("FILE", "F", "NAME"...) */
    const char *help; /* global options only */
} cli_option_view;
const cli_command *cli_command_table(size_t *count);
const cli_command *cli_dashboard(void); /* what runs without a command */
/* The i-th option of the option table; false past the end. */
bool cli_option_at(size_t i, cli_option_view *out);

/* ---- shared helpers (cli.c) ---- */
/* "mpsdash: <message>" on stderr. The message must already be safe to show. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A note for a person (counts, summaries, hints) on stderr; nothing with -q. */
void cli_note(const cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Loads the config file once (-c or the default); exit code on failure (message printed). */
int cli_load_config(cli_ctx *ctx);
/* Resolves the profile (flags as for profile_resolve). Exit code on failure. */
int cli_resolve_profile(cli_ctx *ctx, unsigned flags);
/* graph_options for a resolved profile with the given token, test knobs from the environment
 * applied. Strings are borrowed from ctx. */
void cli_graph_options(const cli_ctx *ctx, const char *token, graph_options *out);
/* The same for any resolved profile (the inbox resolves several). */
void cli_graph_options_for(const cli_ctx *ctx, const resolved_profile *rp, const char *token,
                           graph_options *out);
/* A client (shared on host when not NULL) bound to the command's one deadline: every
 * operation it runs ends within --timeout (or the timeout setting) of the command's start. */
graph_client *cli_new_client(const cli_ctx *ctx, const graph_options *o, graph_client *host,
                             graph_error *err);
/* Makes ctx->client from the resolved profile. Exit code on failure. */
int cli_make_client(cli_ctx *ctx);
/* Runs op on the client; on failure prints the Graph error and returns its exit code. */
int cli_run_op(cli_ctx *ctx, graph_op *op);
/* A foreground server's life once it listens: writes its port file (when asked for one; atomic,
 * through an unpredictable temporary opened O_EXCL|O_NOFOLLOW), then
 * waits for a signal of stop (SIGINT, SIGTERM, SIGHUP, blocked by the caller) and says
 * "WHO: stopping (SIGNAL)" on stderr. EXIT_FAILURE_GENERIC, at once, when the port file cannot
 * be written. The caller stops the server and removes the port file. */
int cli_serve_until_stopped(const char *who, const char *port_file, int port, const sigset_t *stop);
/* The exit code for a Graph error class. */
int cli_exit_for(graph_error_class cls);
/* Prints a Graph error as one line on stderr (sanitised by the graph layer). */
void cli_print_graph_error(const char *what, const graph_error *err);
/* A sanitised copy of user-supplied text for messages (argv may hold anything). */
char *cli_safe(const char *s);
/* The current time, or MPSDASH_NOW (unix seconds) when set, so tests can pin dates. */
long long cli_now(void);
/* The audit log's path (config or default); NULL without a home. New string. */
char *cli_audit_path(const cli_ctx *ctx);
/* Appends an outcome to the audit log, closing the intent of cli_intent_begin when there is
 * one. A failure is reported on stderr and sets ctx->audit_failed (cli_intent_end turns it
 * into a non-zero exit). */
void cli_audit(cli_ctx *ctx, const char *action, const char *solution_id, const char *outcome,
               const char *fbtrace_id, const char *detail);

/* ---- write-ahead audit (writeahead.c) ---- */
/* Before a POST: opens the audit log and writes the intent; from then until cli_intent_end a
 * SIGHUP, SIGINT or SIGTERM closes the record as unknown (and says so) before it ends the
 * program. When the log cannot be written nothing may be sent: returns an exit code, unless
 * --without-audit says to go on. */
int cli_intent_begin(cli_ctx *ctx, const char *action, const char *solution_id, const char *detail);
/* After the outcome is audited: closes the log; returns rc, or non-zero when the outcome could
 * not be recorded. */
int cli_intent_end(cli_ctx *ctx, int rc);
/* Reads back, with ctx->client, what the server holds for every record of this profile that no
 * outcome closed, appends it to the log and tells the operator on stderr. Returns a one-line
 * summary (new string) when there were any, else NULL. */
char *cli_reconcile(cli_ctx *ctx);
/* ---- --jq (jq.c) ---- */
typedef struct cli_jq cli_jq;
/* Compiles a jq expression; NULL and a message when it does not compile. */
cli_jq *cli_jq_compile(const char *expr, char *err, size_t err_size);
/* From here on standard output is captured (0, or -1 when it cannot be). */
int cli_jq_begin(cli_jq *j);
/* Puts standard output back and prints the captured JSON through the filter. Returns rc, or
 * 1 when rc was 0 and the filter failed. */
int cli_jq_end(cli_jq *j, int rc);
void cli_jq_free(cli_jq *j);

/* ---- version.c ---- */
/* mpsdash's version and each library's, one a line. */
void cli_print_version(FILE *out);
/* "12% of the app's rate limit" or "not reported by the server". */
void cli_usage_text(graph_usage u, char *buf, size_t size);
/* -v: "mpsdash: API usage: ..." on stderr. */
void cli_usage_line(const graph_client *c);

/* ---- output (output.c) ---- */
typedef struct cli_table cli_table;
/* A table with spec's columns (spec borrowed until printed). */
cli_table *cli_table_new(const cli_table_spec *spec);
/* Adds a row of ncols display-safe strings (NULL shows as "-"); copied. */
void cli_table_add(cli_table *t, const char *const *cells);
/* A table for a pipe or a file, printed as it grows: the header (unless --no-headers) now, each
 * row when added, tab-separated whole values in the -o columns, rows past --limit dropped; none
 * is kept, so memory stays flat. print_free then only frees. */
cli_table *cli_table_new_streaming(const cli_table_spec *spec, FILE *out, const cli_globals *g);
/* Prints and frees the table. With g (a command's output): into a pipe or file whole values,
 * tab-separated; on a terminal aligned by display width (libsmartcols), cut to fit; both as
 * --no-headers, -o/--columns and --limit say. With g NULL: aligned, every column and row. */
void cli_table_print_free(cli_table *t, FILE *out, const cli_globals *g);
void cli_table_free(cli_table *t); /* without printing */
/* Checks a -o/--columns list against a table's columns; -1 and a message when a name is not
 * one of them. */
int cli_columns_check(const cli_table_spec *spec, const char *list, char *err, size_t err_size);
/* The solution's JSON (the server's object when kept, else built from the struct) with what
 * mpsdash derived added as "mpsdash":{"role","state"}. New string. */
char *cli_solution_json(const mps_solution *s, const char *our_app_id);
/* A list of solutions written page by page: a JSON array (opened with the first item), or the
 * table: buffered for alignment (stream_table false: a terminal) or streamed tab-separated.
 * g's -o, --no-headers and --limit apply (g may be NULL); past --limit items are dropped and
 * full says so, so that the caller can stop fetching. finish with complete false (the listing
 * failed part way) leaves the JSON array unclosed, so that no JSON reader takes what was
 * written for the whole list, and drops a buffered table. Returns the number written. */
typedef struct cli_list_out cli_list_out;
cli_list_out *cli_list_out_new(FILE *out, bool json, const cli_globals *g, bool stream_table,
                               const char *our_app_id);
void cli_list_out_add(cli_list_out *o, mps_solution *const *items, size_t n);
bool cli_list_out_full(const cli_list_out *o);
size_t cli_list_out_finish(cli_list_out *o, bool complete);
/* Prints the solutions as one JSON array. */
void cli_print_solutions_json(FILE *out, mps_solution *const *items, size_t count,
                              const char *our_app_id);
/* Prints a solutions table (id, name, state, role, other app). */
void cli_print_solutions_table(FILE *out, mps_solution *const *items, size_t count,
                               const char *our_app_id, const cli_globals *g);
/* Prints one solution in full: fields, partners, permission matrix. */
/* profile: the -p (or MPSDASH_PROFILE) that was used, kept in the commands it suggests; NULL:
 * none. */
void cli_print_solution_detail(FILE *out, const mps_solution *s, const char *our_app_id,
                               const char *profile);
/* o as compact JSON, made terminal-inert; consumes o. New string. */
struct json_object;
char *cli_json_text(struct json_object *o);
/* Writes a JSON string literal (json-c escaping, made terminal-inert) for text. */
void cli_json_string(FILE *out, const char *text);
/* A time as RFC 3339 in UTC ("2026-12-01T14:13:05Z"), the one format of every output; "-"
 * when unknown (0 or less). */
void cli_time_text(long long t, char *buf, size_t size);
/* Writes a time as a JSON RFC 3339 string, or null when unknown. */
void cli_json_time(FILE *out, long long t);
/* "a, b, c" or "(none)". New string. */
char *cli_join(const strlist *list);

#endif
