/* The command line: option parsing, subcommands and exit codes. No curses here; the dashboard
 * is started through ui_run(). */
#ifndef MPSDASH_CLI_H
#define MPSDASH_CLI_H

#include <stdbool.h>

/* Exit codes (documented in mpsdash(1)). */
enum cli_exit {
    EXIT_OK = 0,
    EXIT_FAILURE_GENERIC = 1, /* anything not below */
    EXIT_USAGE = 2,           /* bad command line */
    EXIT_CONFIG = 3,          /* config file or token source problem */
    EXIT_AUTH = 4,            /* token rejected/expired, permission missing */
    EXIT_NETWORK = 5,         /* connect/timeout/malformed answer */
    EXIT_API = 6,             /* the Graph API refused the request */
    EXIT_REFUSED = 7,         /* not sent: confirmation declined, --readonly, re-check changed */
    EXIT_TEMPFAIL = 75,       /* retryable: rate limited, or transient after the retries
                               * (sysexits' EX_TEMPFAIL: try again later) */
};

/* Global options shared by every subcommand and the dashboard. NULL/false = not given. */
typedef struct cli_globals {
    const char *profile;
    const char *config_path;
    const char *graph_url;
    const char *api_version;
    const char *app_id;
    const char *token_env;
    const char *filter;
    const char *theme;
    const char *trace_path;  /* "-": standard error */
    const char *jq;          /* --jq: filter the JSON output through this jq expression */
    const char *column_list; /* -o: the table columns to print, comma-separated */
    int limit;               /* --limit: at most this many rows (0 = all) */
    bool no_headers;
    bool readonly;
    bool no_readonly; /* --no-readonly: overrides a profile's readonly = true */
    bool json;
    bool yes;
    bool without_audit; /* send changes even when the audit log cannot be written */
    bool verbose;       /* -v: a line per HTTP answer and the API usage on stderr */
    int timeout_s;      /* --timeout: a command's (a dashboard operation's) whole time; 0: not
                         * given */
    bool quiet;         /* -q: no counts, summaries or hints on stderr; errors and warnings stay */
} cli_globals;

int cli_main(int argc, char **argv);

#endif
