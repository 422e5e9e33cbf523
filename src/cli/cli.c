/* The command line's front: option parsing, the subcommand table, help text, the one place that
 * refuses mutating commands, and the helpers (config, profile, client, errors, audit) they share.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_internal.h"
#include "mpsdash/audit.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* ------------------------------------------------------------------------------ commands */

#define ACTION_HELP(what)                                                                          \
    "Shows the solution as the server holds it now (name, id, state, owner app, partner apps\n"    \
    "and the permissions each side holds) and asks y/N on a terminal; with standard input not\n"   \
    "a terminal it refuses unless --yes is given. Right before the POST the solution is read\n"    \
    "again and nothing is sent if it changed. A POST is sent at most once: when its answer\n"      \
    "never comes, the solution is read back and what the server now holds is reported.\n"          \
    "The panel offers this " what ";\nthe server decides and its message is shown as it is.\n"     \
    "A JSON body is sent where Meta's OpenAPI description requires one; servers that follow\n"     \
    "the guides ignore it (see Requests in mpsdash(1)).\n"                                         \
    "Every request is appended to the audit log.\n"                                                \
    "Several ids are acted on one after the other with one token, each with its own intent,\n"     \
    "POST (at most one) and audit record; - reads them from standard input (blank-separated,\n"    \
    "at most 10000; needs --yes); an id given twice is acted on once. A refusal or an unknown\n"   \
    "id does not stop the rest; a token, network or rate-limit failure does. The exit status\n"    \
    "is 0 when every id was done, else the first failure's.\n"

static const cli_command commands[] = {
    {"list", cli_cmd_list, CMD_NEEDS_CLIENT | CMD_TABLE_DROPS_JSON,
     OPT_ROLE | OPT_WATCH | OPT_INTERVAL, 0, 0,
     "list [--filter LABEL] [--role owner|partner] [--json] [--watch [--interval S]]",
     "list the app's solutions",
     "Fetches every page of GET /<APP_ID>/whatsapp_business_solutions (100 per page, partners\n"
     "expanded in the same request; when the server refuses the expansion, partners are\n"
     "fetched per solution) and prints a table: id, name, state, role, other app.\n"
     "  --filter LABEL  only solutions in this state: all, pending, active,\n"
     "                  pending-deactivation, draft, inactive, deactivated, other\n"
     "  --role R        owner or partner: asks the server for role=OWNER|PARTNER\n"
     "  --json          a JSON array of the server's solution objects\n"
     "  --watch         read the list again every interval and write one JSON line per\n"
     "                  change: {\"time\",\"event\",\"id\",\"state\",\"previous_state\",\n"
     "                  \"solution\"}, event present (the first reading), new, changed or\n"
     "                  gone; --filter keeps changes into or out of that state. SIGINT or\n"
     "                  SIGTERM ends it (exit 0); a token or permission failure ends it\n"
     "                  with its exit status; any other failed reading is said on stderr\n"
     "                  and tried again. --timeout bounds each reading.\n"
     "  --interval S    seconds between readings (default: refresh_interval, 60 s unless\n"
     "                  the configuration says otherwise, and 60 where it is 0)\n",
     cli_check_list, &cli_table_solutions},
    {"show", cli_cmd_show, CMD_NEEDS_CLIENT, 0, 1, 1, "show ID [--json]",
     "one solution in full, with the permission matrix",
     "GET /<ID> with name, state, owner app, owner permissions and partners; prints every\n"
     "field, the partners and the permissions each side holds, side by side.\n"
     "  --json          the server's solution object\n",
     cli_check_ids, NULL},
    {"partners", cli_cmd_partners, CMD_NEEDS_CLIENT, 0, 1, 1, "partners ID [--json]",
     "the partners of a solution",
     "Prints the solution's partners: app name, app id, partner status, partner edge id, link.\n"
     "  --json          a JSON array of the server's partner objects\n",
     cli_check_ids, &cli_table_partners},
    {"accept", cli_cmd_action, CMD_NEEDS_CLIENT | CMD_MUTATING, 0, 1, CLI_MAX_IDS,
     "accept ID... [--yes]", "accept a solution request (cannot be undone)",
     "POST /<ID>/accept with {\"partner_app_id\":<APP_ID>}. A solution cannot be declined once\n"
     "accepted.\n" ACTION_HELP("to the invited partner of a Pending solution"),
     cli_check_action, NULL},
    {"reject", cli_cmd_action, CMD_NEEDS_CLIENT | CMD_MUTATING, OPT_REASON, 1, CLI_MAX_IDS,
     "reject ID... [--reason TEXT] [--yes]", "reject a solution request",
     "POST /<ID>/reject with "
     "{\"request_type\":\"PARTNERSHIP_REQUEST\",\"partner_app_id\":<APP_ID>}.\n"
     "  --reason TEXT   sent as rejection_reason (at most 500 characters)\n" ACTION_HELP(
         "to the invited partner of a Pending solution"),
     cli_check_reject, NULL},
    {"request-deactivation", cli_cmd_action, CMD_NEEDS_CLIENT | CMD_MUTATING, 0, 1, CLI_MAX_IDS,
     "request-deactivation ID... [--yes]", "ask the partner to deactivate an active solution",
     "POST /<ID>/send_deactivation_request.\n" ACTION_HELP("to the owner of an Active solution"),
     cli_check_action, NULL},
    {"accept-deactivation", cli_cmd_action, CMD_NEEDS_CLIENT | CMD_MUTATING, 0, 1, CLI_MAX_IDS,
     "accept-deactivation ID... [--yes]", "accept a pending deactivation request",
     "POST /<ID>/accept_deactivation_request.\n" ACTION_HELP(
         "to the partner of a solution pending deactivation"),
     cli_check_action, NULL},
    {"reject-deactivation", cli_cmd_action, CMD_NEEDS_CLIENT | CMD_MUTATING, 0, 1, CLI_MAX_IDS,
     "reject-deactivation ID... [--yes]", "reject a pending deactivation request",
     "POST /<ID>/reject_deactivation_request with "
     "{\"reject_deactivation_request\":true}.\n" ACTION_HELP(
         "to the partner of a solution pending deactivation"),
     cli_check_action, NULL},
    {"create", cli_cmd_create, CMD_NEEDS_CLIENT | CMD_MUTATING,
     OPT_NAME | OPT_PARTNER_APP | OPT_OWNER_PERM | OPT_PARTNER_PERM | OPT_AS_USER_TOKEN_ENV |
         OPT_APP,
     0, 0,
     "create --name N --partner-app ID [--owner-perm P]... [--partner-perm P]...\n"
     "         [--as-user-token-env VAR] [--app ID] [--yes]",
     "create a solution and invite a partner app",
     "POST /<APP_ID>/whatsapp_business_solution with a JSON body: solution_name, partner_app_id\n"
     "and both owner_permissions and partner_permissions, always present (empty allowed). The\n"
     "solution starts INITIATED and the partner is invited. The name must be 2 to 75\n"
     "characters; it is checked before anything is sent.\n"
     "What Meta documents (its OpenAPI description): only MESSAGING is configurable, and\n"
     "exactly one side holds it; both or neither is refused (error 100). The server judges,\n"
     "and its verdict is shown as it came.\n"
     "  --name N                 the solution name\n"
     "  --partner-app ID         the invited partner's app id\n"
     "  --owner-perm P           a permission the owner app gets (repeatable)\n"
     "  --partner-perm P         a permission the partner app gets (repeatable)\n"
     "  --as-user-token-env VAR  use the user access token in VAR instead of the profile's\n"
     "                           (a Tech Provider's token from the embedded creation flow)\n"
     "  --app ID                 create for this app instead of the profile's app\n"
     "Asks y/N on a terminal; refuses without --yes when standard input is not one.\n",
     cli_check_create, NULL},
    {"api", cli_cmd_api, CMD_NEEDS_CLIENT, OPT_METHOD | OPT_FIELD | OPT_PAGINATE, 1, 1,
     "api PATH [-X GET|POST] [-f KEY=VALUE]... [--paginate] [--yes]",
     "a raw Graph API request, like gh api",
     "Sends GET (or -X POST) PATH to the profile's graph URL with its token, and prints the\n"
     "answer's JSON on one line. PATH is relative (me, 21202248997039/whatsapp_business_\n"
     "solutions?fields=id; the API version is put in front unless it starts with one) or an\n"
     "absolute URL under the graph URL: any other host is refused before anything is sent,\n"
     "so the token goes nowhere else. No access_token or appsecret_proof in the path or the\n"
     "fields: the token goes in the Authorization header, the proof is added as for every\n"
     "request. Secrets in the answer are masked as in the trace; body size and time limits,\n"
     "--trace and -v are those of every command.\n"
     "  -X, --method M     GET (default) or POST\n"
     "  -f, --field K=V    a parameter (repeatable): in the query for GET, the urlencoded\n"
     "                     body for POST; percent-encoded\n"
     "  --paginate         follow paging.next (GET), one page a line, through the paging\n"
     "                     guard of every list (no page twice, at most 10,000 pages,\n"
     "                     1,000,000 items or 512 MiB)\n"
     "A POST may change anything: --readonly and a readonly profile refuse it, it asks y/N\n"
     "on a terminal (refused without --yes otherwise), is written ahead to the audit log and\n"
     "sent once, never again; with no answer its outcome is unknown (exit 5).\n",
     cli_check_api, NULL},
    {"apps", cli_cmd_apps, CMD_NEEDS_CLIENT, OPT_AS_USER_TOKEN_ENV, 0, 0,
     "apps [--as-user-token-env VAR] [--json]",
     "apps a Tech Provider granted (application_details)",
     "GET /me/application_details: the apps the token's user chose in the embedded solution\n"
     "creation flow; /me/assigned_applications when the server has no application_details.\n"
     "  --as-user-token-env VAR  use the user access token in VAR instead of the profile's\n",
     cli_check_ids, &cli_table_apps},
    {"customers", cli_cmd_customers, CMD_NEEDS_CLIENT, OPT_PARTNER_BUSINESS | OPT_BUSINESS, 0, 0,
     "customers [--business ID] [--partner-business ID]... [--json]",
     "onboarded customers (client WABAs)",
     "GET /<BUSINESS_ID>/client_whatsapp_business_accounts, every page.\n"
     "  --business ID           the business portfolio (default: the profile's business_id)\n"
     "  --partner-business ID   only WABAs shared with this partner business (repeatable:\n"
     "                          all of them must be partners)\n"
     "  --json                  a JSON array of the server's WABA objects\n",
     cli_check_ids, &cli_table_customers},
    {"waba-solutions", cli_cmd_waba_solutions, CMD_NEEDS_CLIENT, 0, 1, 1,
     "waba-solutions WABA_ID [--json]", "solutions that onboarded a WABA",
     "GET /<WABA_ID>/solutions, every page, printed as for list.\n", cli_check_ids,
     &cli_table_solutions},
    {"business-token", cli_cmd_business_token, CMD_NEEDS_CLIENT, OPT_BUSINESS | OPT_REVEAL, 1, 1,
     "business-token SOLUTION_ID --business ID [--reveal]",
     "an onboarded customer's business token",
     "GET /<SOLUTION_ID>/access_token?business_id=ID. The token is shown masked (first and\n"
     "last 4 characters) unless --reveal is given. The audit log records that a token was\n"
     "fetched for the business, never the token. A token whose expires_at has passed is\n"
     "flagged EXPIRED.\n"
     "  --business ID   the customer's business portfolio id (required)\n"
     "  --reveal        print the whole token\n"
     "  --json          {\"solution_id\",\"business_id\",\"token\",\"masked\",\"expires_at\",\n"
     "                  \"expired\"},\n"
     "                  the token masked unless --reveal; expires_at RFC 3339 or null\n",
     cli_check_business_token, NULL},
    {"signup-snippet", cli_cmd_signup_snippet, CMD_NO_JSON, OPT_CONFIG_ID, 1, 1,
     "signup-snippet ID [--config-id ID]", "Embedded Signup launch code for a solution",
     "Prints the FB.login launch code of Embedded Signup with extras.setup.solutionID set to\n"
     "ID (valid JavaScript; ids escaped as string literals). No request is sent.\n"
     "  --config-id ID  the Embedded Signup configuration id (default: a placeholder)\n",
     cli_check_ids, NULL},
    {"events", cli_cmd_events, 0, OPT_FOLLOW | OPT_EVENTS_FILE, 0, 0,
     "events [--events-file F] [--follow] [--json]", "webhook events from the events file",
     "Reads the profile's events_file (JSON lines of webhook deliveries) and prints its\n"
     "events, then the onboardings (PARTNER_ADDED, PARTNER_APP_INSTALLED) of the last 7 days\n"
     "against the limit of 200, with a warning from 80%. Lines that are not a delivery are\n"
     "counted and skipped. No request is sent.\n"
     "  --events-file F  read F instead of the profile's events_file\n"
     "  --follow         keep reading new lines (rotation and truncation handled) until\n"
     "                   interrupted\n"
     "  --json           one JSON object per event and line\n",
     NULL, NULL},
    {"doctor", cli_cmd_doctor, 0, 0, 0, 0, "doctor [--json]",
     "check config, token, API access, version, events file, terminal",
     "Runs each check and prints ok, warn, FAIL (with what to do) or skip (when an earlier\n"
     "check failed): config file, profile, token source and file permissions, token valid\n"
     "(GET the app), GET /<APP_ID> answers with the profile's app id, listing solutions\n"
     "(warns when the server has no partners data), the API usage the answers reported\n"
     "(warns from 75%), API version judged by Meta's published end dates against today\n"
     "(warns within 90 days), events file readable, terminal UTF-8 and colours. Exits\n"
     "non-zero when a check fails.\n"
     "  --json  {\"ok\", \"failures\", \"warnings\", \"api_usage\":{\"percent\",\n"
     "          \"regain_minutes\"}, \"checks\":[{\"check\", \"verdict\", \"found\", \"todo\"}]}\n",
     NULL, NULL},
    {"sandbox", cli_cmd_sandbox, CMD_NO_JSON,
     OPT_PORT | OPT_SCENARIO | OPT_SOLUTIONS | OPT_REFUSE_PARTNER_FIELDS | OPT_HOSTILE_NAMES |
         OPT_LATENCY | OPT_REQUEST_LOG | OPT_EVENTS_FILE | OPT_PORT_FILE | OPT_DEMO_ACTIVITY |
         OPT_DEMO_INTERVAL | OPT_DIALECT,
     0, 0,
     "sandbox [--port N] [--scenario F] [--dialect guide|openapi] [--solutions N]\n"
     "         [--refuse-partner-fields] [--hostile-names] [--latency MS] [--request-log F]\n"
     "         [--events-file F] [--port-file F] [--demo-activity] [--demo-interval MS]",
     "serve the simulated Graph API on 127.0.0.1",
     "Runs the sandbox (a simulated Graph API for Multi-Partner Solutions) on 127.0.0.1 until\n"
     "SIGINT, SIGTERM or SIGHUP. It is never reachable beyond loopback.\n"
     "  --port N                 port to listen on (default 0: any free port)\n"
     "  --scenario F             load the dataset from a JSON scenario file\n"
     "  --dialect D              guide (Meta's guides; the default, or the scenario's "
     "\"dialect\")\n"
     "                           or openapi (Meta's OpenAPI file: no partners data, no batch,\n"
     "                           the spec's required JSON bodies, answers and HTTP statuses)\n"
     "  --solutions N            add N generated solutions for Lucky Shrub\n"
     "  --refuse-partner-fields  refuse partners{} in fields= (error 100)\n"
     "  --hostile-names          add solutions whose names hold escapes, bidi, bad UTF-8\n"
     "  --latency MS             delay every answer by MS milliseconds\n"
     "  --request-log F          append one JSON line per request to F\n"
     "  --events-file F          append webhook deliveries to F as JSON lines\n"
     "  --port-file F            write the port number to F once listening\n"
     "  --demo-activity          change something visible every few seconds\n"
     "  --demo-interval MS       how often --demo-activity acts (default 10000)\n",
     NULL, NULL},
    {"inbox", cli_cmd_inbox, 0, 0, 0, 0, "inbox [--json]",
     "every profile's pending requests in one list",
     "Loads the solutions of every profile in the config file at once (one connection pool,\n"
     "each profile with its own token) and lists the requests pending activation or\n"
     "deactivation, with the app and profile as columns and the actions the panel offers.\n"
     "A profile that fails (token, network, rate limit, config) shows its error in its own\n"
     "row; the others are listed all the same, and the exit status is that of the first\n"
     "failure. Standard error gets, per profile, the pending count and the onboardings of\n"
     "the last 7 days from its events_file against the weekly limit of 200 (a warning from\n"
     "80%), then the requests sent and the time taken. Act on a row with\n"
     "'mpsdash -p PROFILE accept ID' (and the other actions): the usual confirmation,\n"
     "re-check, audit and --readonly rules apply, with that profile's token.\n"
     "  --json  {\"profiles\":[{profile, app_id, app_name, ok, error, solutions, pending,\n"
     "          onboarding}], \"requests\":[{profile, app_id, state, role, actions,\n"
     "          solution}]}\n",
     NULL, &cli_table_inbox},
    {"webhook", cli_cmd_webhook, CMD_NO_JSON,
     OPT_LISTEN | OPT_PORT | OPT_TLS_CERT | OPT_TLS_KEY | OPT_EVENTS_FILE | OPT_PORT_FILE |
         OPT_MAX_BODY | OPT_REQUEST_TIMEOUT | OPT_ROTATE_SIZE | OPT_NO_FSYNC,
     1, 1,
     "webhook serve [--listen ADDR] [--port N] [--tls-cert F --tls-key F]\n"
     "         [--events-file F] [--port-file F] [--max-body BYTES] [--request-timeout S]\n"
     "         [--rotate-size BYTES] [--no-fsync]",
     "receive signed webhook deliveries into the events file",
     "Serves the app's webhook endpoint until SIGINT, SIGTERM or SIGHUP. GET answers Meta's\n"
     "subscription check (hub.mode=subscribe, hub.verify_token = the profile's verify token,\n"
     "hub.challenge echoed; otherwise 403). POST takes a partner_solutions or account_update\n"
     "delivery when X-Hub-Signature-256 is the HMAC-SHA256 of the raw body keyed with the\n"
     "profile's app secret (compared in constant time); unsigned, mismatched, oversized,\n"
     "malformed or slow deliveries are refused, counted and never written. A verified one is\n"
     "answered 200 at once and then appended to the events file as one JSON line (one write,\n"
     "O_APPEND; fdatasync per batch unless --no-fsync); the same delivery again is answered\n"
     "200 and not written twice. The file is rotated by size to FILE.1 ... FILE.5.\n"
     "Needs the profile's app secret and verify token (app_secret_* and verify_token_*);\n"
     "no access token. One line per delivery or refusal goes to standard error.\n"
     "  --listen ADDR          address to bind (default 127.0.0.1: behind a reverse proxy\n"
     "                         that terminates TLS)\n"
     "  --port N               port (default 8089; 0: any free port)\n"
     "  --tls-cert F           serve HTTPS directly with this PEM certificate (chain) ...\n"
     "  --tls-key F            ... and this PEM private key\n"
     "  --events-file F        append here instead of the profile's events_file\n"
     "  --port-file F          write the port number to F once listening\n"
     "  --max-body BYTES       largest delivery taken (default 262144, at most 1048575)\n"
     "  --request-timeout S    a request must arrive whole within S seconds (default 10)\n"
     "  --rotate-size BYTES    rotate the events file past this size (default 64 MiB;\n"
     "                         0: never)\n"
     "  --no-fsync             do not fdatasync after writing (faster, less durable)\n",
     cli_check_webhook, NULL},
    {"completion", cli_cmd_completion, CMD_NO_JSON, 0, 1, 1, "completion bash|zsh|fish",
     "shell completion script",
     "Prints the completion script for the shell, made from this program's own command and\n"
     "option tables: commands, options (per command), --filter words, --role, theme names\n"
     "and the configuration's profile names (both looked up when completing), file names\n"
     "for file options. Packages install it; by hand:\n"
     "  bash  mpsdash completion bash > ~/.local/share/bash-completion/completions/mpsdash\n"
     "  zsh   mpsdash completion zsh > ~/.zfunc/_mpsdash   (with ~/.zfunc in $fpath)\n"
     "  fish  mpsdash completion fish > ~/.config/fish/completions/mpsdash.fish\n"
     "'mpsdash completion themes' and 'mpsdash completion profiles' print the words the\n"
     "scripts ask for, one a line.\n",
     cli_check_completion, NULL},
    {"help", NULL, 0, 0, 0, 1, "help [COMMAND]", "this help, or a command's", "", NULL, NULL},
};

/* The dashboard is what runs without a subcommand. */
static const cli_command dashboard_command = {
    NULL,
    cli_cmd_dashboard,
    CMD_NO_JSON,
    OPT_DEMO | OPT_DIALECT,
    0,
    0,
    "[--demo [--dialect D]]",
    "the dashboard",
    "  --demo       run the dashboard on the built-in sandbox (no Meta account)\n"
    "  --dialect D  with --demo: the sandbox's dialect, guide (the default) or openapi\n",
    cli_check_ids,
    NULL};

static const cli_command *command_find(const char *name)
{
    for (size_t i = 0; i < COUNT_OF(commands); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* ------------------------------------------------------------------------------ options */

/* How an option's value lands in cli_ctx. */
typedef enum option_kind {
    KIND_STRING, /* const char * = the argument */
    KIND_FLAG,   /* bool = true */
    KIND_LIST,   /* strlist: the argument appended (repeatable) */
    KIND_INT,    /* int within [min, max] */
} option_kind;

typedef struct option_info {
    const char *name;
    int short_opt;            /* 0 when long only */
    unsigned long long scope; /* 0 = global, else the cli_opt bit of the commands that take it */
    option_kind kind;
    size_t off;       /* where in cli_ctx the value goes */
    int min, max;     /* KIND_INT only */
    const char *meta; /* argument name in help; NULL for flags */
    const char *help; /* global options only */
} option_info;

#define AT(field) offsetof(cli_ctx, field)

static const option_info option_table[] = {
    {"profile", 'p', 0, KIND_STRING, AT(g.profile), 0, 0, "NAME",
     "use this profile from the config file"},
    {"config", 'c', 0, KIND_STRING, AT(g.config_path), 0, 0, "FILE", "read this config file"},
    {"graph-url", 0, 0, KIND_STRING, AT(g.graph_url), 0, 0, "URL",
     "Graph API base URL (https, or http to loopback)"},
    {"api-version", 0, 0, KIND_STRING, AT(g.api_version), 0, 0, "V",
     "Graph API version, e.g. " MPS_DEFAULT_API_VERSION},
    {"app-id", 0, 0, KIND_STRING, AT(g.app_id), 0, 0, "ID", "our app's id"},
    {"token-env", 0, 0, KIND_STRING, AT(g.token_env), 0, 0, "VAR",
     "read the access token from variable VAR"},
    {"filter", 0, 0, KIND_STRING, AT(g.filter), 0, 0, "LABEL", "start on / list only this state"},
    {"readonly", 0, 0, KIND_FLAG, AT(g.readonly), 0, 0, NULL,
     "refuse every command that would change something"},
    {"no-readonly", 0, 0, KIND_FLAG, AT(g.no_readonly), 0, 0, NULL,
     "allow changes with a profile that says readonly = true"},
    {"theme", 0, 0, KIND_STRING, AT(g.theme), 0, 0, "NAME",
     "dashboard colour theme (name or file)"},
    {"trace", 0, 0, KIND_STRING, AT(g.trace_path), 0, 0, "FILE",
     "append an HTTP trace to FILE, - for stderr (secrets redacted)"},
    {"verbose", 'v', 0, KIND_FLAG, AT(g.verbose), 0, 0, NULL,
     "a line per HTTP answer and the API usage on stderr"},
    {"quiet", 'q', 0, KIND_FLAG, AT(g.quiet), 0, 0, NULL,
     "no counts, summaries or hints on stderr (errors and warnings stay)"},
    {"json", 0, 0, KIND_FLAG, AT(g.json), 0, 0, NULL, "machine-readable JSON output"},
    {"jq", 0, 0, KIND_STRING, AT(g.jq), 0, 0, "EXPR",
     "filter the JSON output through this jq expression"},
    {"columns", 'o', 0, KIND_STRING, AT(g.column_list), 0, 0, "COLS",
     "table columns to print, comma-separated (e.g. id,state)"},
    {"no-headers", 0, 0, KIND_FLAG, AT(g.no_headers), 0, 0, NULL, "print tables without headers"},
    {"limit", 0, 0, KIND_INT, AT(g.limit), 1, INT_MAX, "N", "print at most N rows"},
    {"yes", 0, 0, KIND_FLAG, AT(g.yes), 0, 0, NULL,
     "do not ask before a change (needed without a terminal)"},
    {"without-audit", 0, 0, KIND_FLAG, AT(g.without_audit), 0, 0, NULL,
     "send a change even when the audit log cannot be written"},
    {"timeout", 0, 0, KIND_INT, AT(g.timeout_s), 1, 86400, "S",
     "give up on a command after S seconds in all (default 120)"},
    {"help", 'h', 0, KIND_FLAG, AT(help_asked), 0, 0, NULL,
     "show help (after a command: that command's)"},
    {"version", 'V', 0, KIND_FLAG, AT(version_asked), 0, 0, NULL, "show the version"},
    {"role", 0, OPT_ROLE, KIND_STRING, AT(role), 0, 0, "R", NULL},
    {"name", 0, OPT_NAME, KIND_STRING, AT(name), 0, 0, "N", NULL},
    {"partner-app", 0, OPT_PARTNER_APP, KIND_STRING, AT(partner_app), 0, 0, "ID", NULL},
    {"owner-perm", 0, OPT_OWNER_PERM, KIND_LIST, AT(owner_perms), 0, 0, "P", NULL},
    {"partner-perm", 0, OPT_PARTNER_PERM, KIND_LIST, AT(partner_perms), 0, 0, "P", NULL},
    {"as-user-token-env", 0, OPT_AS_USER_TOKEN_ENV, KIND_STRING, AT(as_user_token_env), 0, 0, "VAR",
     NULL},
    {"app", 0, OPT_APP, KIND_STRING, AT(app), 0, 0, "ID", NULL},
    {"partner-business", 0, OPT_PARTNER_BUSINESS, KIND_LIST, AT(partner_businesses), 0, 0, "ID",
     NULL},
    {"business", 0, OPT_BUSINESS, KIND_STRING, AT(business), 0, 0, "ID", NULL},
    {"reveal", 0, OPT_REVEAL, KIND_FLAG, AT(reveal), 0, 0, NULL, NULL},
    {"reason", 0, OPT_REASON, KIND_STRING, AT(reason), 0, 0, "TEXT", NULL},
    {"config-id", 0, OPT_CONFIG_ID, KIND_STRING, AT(config_id), 0, 0, "ID", NULL},
    {"follow", 0, OPT_FOLLOW, KIND_FLAG, AT(follow), 0, 0, NULL, NULL},
    {"watch", 0, OPT_WATCH, KIND_FLAG, AT(watch), 0, 0, NULL, NULL},
    {"method", 'X', OPT_METHOD, KIND_STRING, AT(method), 0, 0, "M", NULL},
    {"field", 'f', OPT_FIELD, KIND_LIST, AT(fields), 0, 0, "K=V", NULL},
    {"paginate", 0, OPT_PAGINATE, KIND_FLAG, AT(paginate), 0, 0, NULL, NULL},
    {"interval", 0, OPT_INTERVAL, KIND_INT, AT(interval), 1, 86400, "S", NULL},
    {"events-file", 0, OPT_EVENTS_FILE, KIND_STRING, AT(events_file), 0, 0, "F", NULL},
    {"port", 0, OPT_PORT, KIND_INT, AT(port), 0, 65535, "N", NULL},
    {"scenario", 0, OPT_SCENARIO, KIND_STRING, AT(scenario), 0, 0, "F", NULL},
    {"dialect", 0, OPT_DIALECT, KIND_STRING, AT(dialect), 0, 0, "D", NULL},
    {"solutions", 0, OPT_SOLUTIONS, KIND_INT, AT(solutions), 0, 1000000, "N", NULL},
    {"refuse-partner-fields", 0, OPT_REFUSE_PARTNER_FIELDS, KIND_FLAG, AT(refuse_partner_fields), 0,
     0, NULL, NULL},
    {"hostile-names", 0, OPT_HOSTILE_NAMES, KIND_FLAG, AT(hostile_names), 0, 0, NULL, NULL},
    {"latency", 0, OPT_LATENCY, KIND_INT, AT(latency_ms), 0, 600000, "MS", NULL},
    {"request-log", 0, OPT_REQUEST_LOG, KIND_STRING, AT(request_log), 0, 0, "F", NULL},
    {"port-file", 0, OPT_PORT_FILE, KIND_STRING, AT(port_file), 0, 0, "F", NULL},
    {"demo-activity", 0, OPT_DEMO_ACTIVITY, KIND_FLAG, AT(demo_activity), 0, 0, NULL, NULL},
    {"demo", 0, OPT_DEMO, KIND_FLAG, AT(demo), 0, 0, NULL, NULL},
    {"demo-interval", 0, OPT_DEMO_INTERVAL, KIND_INT, AT(demo_interval_ms), 1, 3600000, "MS", NULL},
    {"listen", 0, OPT_LISTEN, KIND_STRING, AT(listen), 0, 0, "ADDR", NULL},
    {"tls-cert", 0, OPT_TLS_CERT, KIND_STRING, AT(tls_cert), 0, 0, "F", NULL},
    {"tls-key", 0, OPT_TLS_KEY, KIND_STRING, AT(tls_key), 0, 0, "F", NULL},
    {"max-body", 0, OPT_MAX_BODY, KIND_INT, AT(max_body), 1, 1048575, "BYTES", NULL},
    {"request-timeout", 0, OPT_REQUEST_TIMEOUT, KIND_INT, AT(request_timeout), 1, 3600, "S", NULL},
    {"rotate-size", 0, OPT_ROTATE_SIZE, KIND_INT, AT(rotate_size), 0, 2147483647, "BYTES", NULL},
    {"no-fsync", 0, OPT_NO_FSYNC, KIND_FLAG, AT(no_fsync), 0, 0, NULL, NULL},
};
#define OPTION_COUNT (COUNT_OF(option_table))

const cli_command *cli_dashboard(void)
{
    return &dashboard_command;
}

const cli_command *cli_command_table(size_t *count)
{
    *count = COUNT_OF(commands);
    return commands;
}

bool cli_option_at(size_t i, cli_option_view *out)
{
    if (i >= OPTION_COUNT)
        return false;
    const option_info *o = &option_table[i];
    *out =
        (cli_option_view){o->name, o->short_opt, o->scope, o->kind != KIND_FLAG, o->meta, o->help};
    return true;
}
/* getopt_long returns this plus the table index for long-only options. */
#define OPTION_BASE 256

static const char *scope_option_name(unsigned long long bit)
{
    for (size_t i = 0; i < OPTION_COUNT; i++)
        if (option_table[i].scope == bit)
            return option_table[i].name;
    return "?";
}

/* ------------------------------------------------------------------------------ messages */

static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
    fprintf(stderr, "mpsdash: %s", prefix);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
}

void cli_note(const cli_ctx *ctx, const char *fmt, ...)
{
    if (ctx->g.quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("warning: ", fmt, ap);
    va_end(ap);
}

char *cli_safe(const char *s)
{
    return text_sanitize(s ? s : "", strlen(s ? s : ""), false);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'mpsdash --help' for more information.\n");
    return EXIT_USAGE;
}

long long cli_now(void)
{
    const char *v = getenv("MPSDASH_NOW");
    if (v && *v) {
        char *end;
        long long t = strtoll(v, &end, 10);
        if (*end == '\0' && t > 0)
            return t;
    }
    return (long long)time(NULL);
}

/* ------------------------------------------------------------------------------ help */

static void print_global_help(FILE *out)
{
    fprintf(out,
            "Usage: mpsdash [OPTIONS] [COMMAND [ARGS]]\n"
            "WhatsApp Multi-Partner Solutions over the Graph API: a dashboard and commands.\n"
            "Without a command the dashboard starts ('mpsdash --demo' runs it on the built-in\n"
            "sandbox).\n\nCommands:\n");
    for (size_t i = 0; i < COUNT_OF(commands); i++)
        fprintf(out, "  %-22s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nGlobal options (before or after the command):\n");
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const option_info *o = &option_table[i];
        if (o->scope)
            continue;
        char left[64];
        if (o->short_opt)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_opt, o->name, o->meta ? " " : "",
                     o->meta ? o->meta : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->meta ? " " : "",
                     o->meta ? o->meta : "");
        fprintf(out, "  %-24s %s\n", left, o->help);
    }
    fprintf(out,
            "  %-24s %s\n\n"
            "With --graph-url, --app-id and --token-env no config file is needed. A token is\n"
            "never taken from the command line.\n\n"
            "Exit status: 0 ok, 1 other failure, 2 usage, 3 config or token source, 4 token\n"
            "rejected or permission missing, 5 network or unusable answer, 6 the API refused,\n"
            "7 not sent (declined, --readonly, or the solution changed before the POST),\n"
            "75 try again later (rate limited, or a transient error after the retries).\n"
            "'mpsdash help COMMAND' or 'mpsdash COMMAND --help' shows a command's options.\n",
            "    --demo [--dialect D]",
            "dashboard only: run it on the built-in sandbox (guide or openapi dialect)");
}

static void print_command_help(FILE *out, const cli_command *c)
{
    if (c->name)
        fprintf(out, "Usage: mpsdash %s\n%s.\n\n%s", c->synopsis, c->summary, c->help);
    else
        fprintf(out, "Usage: mpsdash [OPTIONS] %s\n%s\n", c->synopsis, c->help);
    fprintf(out, "\nGlobal options apply too: see 'mpsdash --help'.\n");
}

/* ------------------------------------------------------------------------------ parsing */

static int parse_int(const char *opt, const char *v, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max) {
        char *safe = cli_safe(v);
        usage_error("--%s: '%s' is not a number from %d to %d", opt, safe, min, max);
        free(safe);
        return -1;
    }
    *out = (int)n;
    return 0;
}

/* Stores one option's value where its table entry says. */
static int apply_option(cli_ctx *ctx, const option_info *o, const char *v)
{
    void *at = (char *)ctx + o->off;
    ctx->given |= o->scope;
    switch (o->kind) {
    case KIND_STRING:
        *(const char **)at = v;
        return EXIT_OK;
    case KIND_FLAG:
        *(bool *)at = true;
        return EXIT_OK;
    case KIND_LIST:
        strlist_push((strlist *)at, v);
        return EXIT_OK;
    case KIND_INT:
        return parse_int(o->name, v, o->min, o->max, (int *)at) ? EXIT_USAGE : EXIT_OK;
    }
    return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, cli_ctx *ctx)
{
    struct option longopts[OPTION_COUNT + 1];
    /* ':' first: a missing argument is told apart from an unknown option. No '+': options may
     * come after the command (GNU permutation). */
    char shortopts[32] = ":";
    size_t sl = 1;
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const option_info *o = &option_table[i];
        int has_arg = o->kind == KIND_FLAG ? no_argument : required_argument;
        longopts[i] = (struct option){o->name, has_arg, NULL,
                                      o->short_opt ? o->short_opt : OPTION_BASE + (int)i};
        if (o->short_opt) {
            shortopts[sl++] = (char)o->short_opt;
            if (has_arg)
                shortopts[sl++] = ':';
        }
    }
    shortopts[sl] = '\0';
    longopts[OPTION_COUNT] = (struct option){NULL, 0, NULL, 0};

    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == ':' || c == '?') {
            char *safe = cli_safe(argv[optind - 1]);
            int rc = c == ':' ? usage_error("option '%s' needs an argument", safe)
                              : usage_error("unknown option '%s'", safe);
            free(safe);
            return rc;
        }
        const option_info *o = NULL;
        if (c >= OPTION_BASE)
            o = &option_table[c - OPTION_BASE];
        for (size_t i = 0; !o && i < OPTION_COUNT; i++)
            if (option_table[i].short_opt == c)
                o = &option_table[i];
        int rc = o ? apply_option(ctx, o, optarg) : EXIT_USAGE;
        if (rc)
            return rc;
    }
    ctx->args = argv + optind;
    ctx->nargs = argc - optind;
    if (ctx->g.readonly && ctx->g.no_readonly)
        return usage_error("--readonly and --no-readonly contradict each other");
    /* The environment names the profile and the file when the command line does not (as
     * AWS_PROFILE and KUBECONFIG do). */
    const char *env = getenv("MPSDASH_PROFILE");
    if (!ctx->g.profile && env && *env)
        ctx->g.profile = env;
    env = getenv("MPSDASH_CONFIG");
    if (!ctx->g.config_path && env && *env)
        ctx->g.config_path = env;
    return EXIT_OK;
}

/* ------------------------------------------------------------------------------ resolving */

int cli_load_config(cli_ctx *ctx)
{
    if (ctx->cfg)
        return EXIT_OK;
    mps_errtext err;
    if (config_load(ctx->g.config_path, &ctx->cfg, err, sizeof err) != 0) {
        char *safe = cli_safe(err);
        cli_error("%s", safe);
        free(safe);
        return EXIT_CONFIG;
    }
    /* the facility was checked when the file was read */
    audit_syslog(ctx->cfg->audit_syslog);
    return EXIT_OK;
}

int cli_resolve_profile(cli_ctx *ctx, unsigned flags)
{
    int rc = cli_load_config(ctx);
    if (rc)
        return rc;
    if (ctx->have_rp)
        resolved_profile_clear(&ctx->rp);
    ctx->have_rp = false;
    profile_overrides ov = {
        .graph_url = ctx->g.graph_url,
        .api_version = ctx->g.api_version,
        .app_id = ctx->g.app_id,
        .token_env = ctx->g.token_env,
    };
    mps_errtext err;
    if (profile_resolve(ctx->cfg, ctx->g.profile, &ov, flags, &ctx->rp, err, sizeof err) != 0) {
        char *safe = cli_safe(err);
        cli_error("%s", safe);
        free(safe);
        return EXIT_CONFIG;
    }
    ctx->have_rp = true;
    return EXIT_OK;
}

static long env_ms(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return 0;
    char *end;
    long n = strtol(v, &end, 10);
    return (*end == '\0' && n > 0) ? n : 0;
}

void cli_graph_options(const cli_ctx *ctx, const char *token, graph_options *o)
{
    cli_graph_options_for(ctx, &ctx->rp, token, o);
}

void cli_graph_options_for(const cli_ctx *ctx, const resolved_profile *rp, const char *token,
                           graph_options *o)
{
    memset(o, 0, sizeof *o);
    o->base_url = rp->graph_url;
    o->api_version = rp->api_version;
    o->app_id = rp->app_id;
    o->token = token;
    o->app_secret = rp->app_secret;
    o->ca_file = rp->ca_file;
    o->trace_path = ctx->g.trace_path;
    o->verbose = ctx->g.verbose;
    o->deadline_ms = (long)config_timeout_s(ctx->cfg, ctx->g.timeout_s) * 1000;
    /* Knobs for the test suite only (not documented): short timeouts and backoff keep the
     * fault tests fast; production keeps the defaults. */
    o->connect_timeout_ms = env_ms("MPSDASH_CONNECT_TIMEOUT_MS");
    o->request_timeout_ms = env_ms("MPSDASH_REQUEST_TIMEOUT_MS");
    o->backoff_base_ms = env_ms("MPSDASH_BACKOFF_MS");
    o->backoff_cap_ms = env_ms("MPSDASH_BACKOFF_CAP_MS");
    o->max_pages = (int)env_ms("MPSDASH_MAX_PAGES");
    o->max_items = (size_t)env_ms("MPSDASH_MAX_ITEMS");
    const char *r = getenv("MPSDASH_MAX_RETRIES");
    if (r && *r)
        o->max_retries = atoi(r) > 0 ? atoi(r) : -1;
}

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

graph_client *cli_new_client(const cli_ctx *ctx, const graph_options *o, graph_client *host,
                             graph_error *err)
{
    graph_client *c = host ? graph_client_new_shared(host, o, err) : graph_client_new(o, err);
    if (c) {
        long long total = (long long)config_timeout_s(ctx->cfg, ctx->g.timeout_s) * 1000;
        long long left = total - (monotonic_ms() - ctx->started_ms);
        graph_client_set_deadline(c, left > 0 ? (long)left : 1, (long)total);
    }
    return c;
}

int cli_make_client(cli_ctx *ctx)
{
    /* With a user token from another variable the profile's own token is not needed. */
    unsigned flags = ctx->as_user_token_env ? PROFILE_RESOLVE_NO_SECRETS : 0;
    int rc = cli_resolve_profile(ctx, flags);
    if (rc)
        return rc;
    char *user_token = NULL;
    if (ctx->as_user_token_env) {
        secret_source src = {SECRET_ENV, (char *)ctx->as_user_token_env};
        mps_errtext err;
        if (secret_load(&src, "user access token", &user_token, err, sizeof err) != 0) {
            char *safe = cli_safe(err);
            cli_error("%s", safe);
            free(safe);
            return EXIT_CONFIG;
        }
    }
    graph_options o;
    cli_graph_options(ctx, user_token ? user_token : ctx->rp.token, &o);
    o.no_json = ctx->cmd && (ctx->cmd->flags & CMD_TABLE_DROPS_JSON) && !ctx->g.json &&
                !ctx->watch && !ctx->jq;
    graph_error gerr;
    memset(&gerr, 0, sizeof gerr);
    ctx->client = cli_new_client(ctx, &o, NULL, &gerr);
    secret_free(user_token);
    if (!ctx->client) {
        cli_print_graph_error("cannot use this profile", &gerr);
        return gerr.cls == GRAPH_ERR_USAGE ? EXIT_CONFIG : cli_exit_for(gerr.cls);
    }
    return EXIT_OK;
}

/* Graph error class -> exit status (cli.h). */
static const int class_exit[GRAPH_ERR_CLASS_COUNT] = {
    [GRAPH_OK] = EXIT_OK,
    [GRAPH_ERR_USAGE] = EXIT_USAGE,
    [GRAPH_ERR_NETWORK] = EXIT_NETWORK,
    [GRAPH_ERR_TIMEOUT] = EXIT_NETWORK,
    [GRAPH_ERR_PROTOCOL] = EXIT_NETWORK,
    [GRAPH_ERR_TOKEN] = EXIT_AUTH,
    [GRAPH_ERR_RATE_LIMIT] = EXIT_TEMPFAIL,
    [GRAPH_ERR_PERMISSION] = EXIT_AUTH,
    [GRAPH_ERR_BAD_REQUEST] = EXIT_API,
    [GRAPH_ERR_TRANSIENT] = EXIT_TEMPFAIL,
    [GRAPH_ERR_POLICY] = EXIT_API,
    [GRAPH_ERR_API] = EXIT_API,
    [GRAPH_ERR_CHANGED] = EXIT_REFUSED,
    [GRAPH_ERR_CANCELLED] = EXIT_FAILURE_GENERIC,
};

int cli_exit_for(graph_error_class cls)
{
    if ((int)cls < 0 || cls >= GRAPH_ERR_CLASS_COUNT)
        return EXIT_FAILURE_GENERIC;
    return class_exit[cls];
}

void cli_print_graph_error(const char *what, const graph_error *err)
{
    char line[1200];
    graph_error_format(err, line, sizeof line);
    cli_error("%s: %s", what, line);
}

int cli_run_op(cli_ctx *ctx, graph_op *op)
{
    graph_error err;
    memset(&err, 0, sizeof err);
    if (graph_run(ctx->client, op, &err))
        return EXIT_OK;
    cli_print_graph_error(graph_error_class_name(err.cls), &err);
    return cli_exit_for(err.cls);
}

char *cli_audit_path(const cli_ctx *ctx)
{
    mps_config *empty = NULL;
    const mps_config *cfg = ctx->cfg;
    if (!cfg)
        cfg = empty = config_new_empty();
    char *path = config_audit_log_path(cfg);
    config_free(empty);
    return path;
}

void cli_audit(cli_ctx *ctx, const char *action, const char *solution_id, const char *outcome,
               const char *fbtrace_id, const char *detail)
{
    audit_entry e;
    audit_entry_init(&e, ctx->have_rp ? &ctx->rp : NULL);
    e.action = action;
    e.solution_id = solution_id;
    e.outcome = outcome;
    e.fbtrace_id = fbtrace_id && *fbtrace_id ? fbtrace_id : NULL;
    e.detail = detail && *detail ? detail : NULL;
    mps_errtext err;
    int rc;
    if (ctx->wa_log) { /* the log opened for the intent: the outcome closes it */
        e.intent = ctx->wa_id;
        e.phase = AUDIT_PHASE_OUTCOME;
        rc = audit_log_write(ctx->wa_log, &e, err, sizeof err);
    } else if (ctx->g.without_audit && ctx->cmd &&
               ((ctx->cmd->flags & CMD_MUTATING) || ctx->mutating)) {
        return; /* the operator chose to go on without the log */
    } else {
        char *path = cli_audit_path(ctx);
        if (!path)
            snprintf(err, sizeof err, "no audit log: no home directory to keep it in");
        rc = path ? audit_append(path, &e, err, sizeof err) : -1;
        free(path);
    }
    if (rc != 0) {
        ctx->audit_failed = true;
        char *safe = cli_safe(err);
        cli_error("%s", safe);
        free(safe);
    }
}

/* ------------------------------------------------------------------------------ dispatch */

/* The one gate for every command that would change something (DESIGN: --readonly is checked
 * in one place). Runs before any request. */
static int mutation_gate(cli_ctx *ctx)
{
    if (!(ctx->cmd->flags & CMD_MUTATING) && !ctx->mutating)
        return EXIT_OK;
    const char *changes =
        ctx->mutating ? "with -X POST may change something" : "changes a solution";
    if (ctx->g.readonly) {
        cli_error("'%s' %s and --readonly is set: nothing was sent", ctx->cmd->name, changes);
        return EXIT_REFUSED;
    }
    if (!ctx->g.no_readonly) {
        /* The profile's own readonly = true: resolved without reading any secret. */
        int rc = cli_resolve_profile(ctx, PROFILE_RESOLVE_NO_SECRETS);
        if (rc)
            return rc;
        if (ctx->rp.readonly) {
            cli_error("'%s' %s and profile '%s' is readonly: nothing was sent; "
                      "pass --no-readonly to go ahead",
                      ctx->cmd->name, changes, ctx->rp.name ? ctx->rp.name : "?");
            return EXIT_REFUSED;
        }
    }
    if (!ctx->g.yes && !isatty(STDIN_FILENO)) {
        cli_error("'%s' %s and standard input is not a terminal to confirm on: "
                  "nothing was sent; pass --yes to go ahead without asking",
                  ctx->cmd->name, changes);
        return EXIT_REFUSED;
    }
    return EXIT_OK;
}

static void ctx_free(cli_ctx *ctx)
{
    cli_jq_free(ctx->jq);
    graph_client_free(ctx->client);
    if (ctx->have_rp)
        resolved_profile_clear(&ctx->rp);
    config_free(ctx->cfg);
    strlist_clear(&ctx->owner_perms);
    strlist_clear(&ctx->partner_perms);
    strlist_clear(&ctx->partner_businesses);
    strlist_clear(&ctx->action_ids);
    strlist_clear(&ctx->fields);
}

static int dispatch(cli_ctx *ctx)
{
    if (ctx->version_asked) {
        cli_print_version(stdout);
        return EXIT_OK;
    }
    const char *name = ctx->nargs > 0 ? ctx->args[0] : NULL;
    const cli_command *cmd = &dashboard_command;
    if (name) {
        cmd = command_find(name);
        if (!cmd) {
            char *safe = cli_safe(name);
            int rc = usage_error("unknown command '%s'", safe);
            free(safe);
            return rc;
        }
        ctx->args++;
        ctx->nargs--;
    }
    ctx->cmd = cmd;
    if (cmd->name && strcmp(cmd->name, "help") == 0) {
        if (ctx->nargs == 0) {
            print_global_help(stdout);
            return EXIT_OK;
        }
        const cli_command *about = command_find(ctx->args[0]);
        if (!about) {
            char *safe = cli_safe(ctx->args[0]);
            int rc = usage_error("unknown command '%s'", safe);
            free(safe);
            return rc;
        }
        print_command_help(stdout, about);
        return EXIT_OK;
    }
    unsigned long long stray = ctx->given & ~cmd->opts;
    if (stray) {
        unsigned long long bit = stray & -stray;
        return usage_error("option --%s does not apply to '%s'", scope_option_name(bit),
                           cmd->name ? cmd->name : "the dashboard");
    }
    if (ctx->help_asked) {
        if (cmd->name)
            print_command_help(stdout, cmd);
        else
            print_global_help(stdout);
        return EXIT_OK;
    }
    /* the dashboard draws on the terminal stderr goes to: a trace there would wreck it */
    if (!cmd->name &&
        ((ctx->g.trace_path && strcmp(ctx->g.trace_path, "-") == 0) || ctx->g.verbose))
        return usage_error("%s writes to standard error, which the dashboard draws on: %s",
                           ctx->g.verbose ? "-v" : "--trace -",
                           ctx->g.verbose ? "use --trace FILE" : "give --trace a file");
    if ((cmd->flags & CMD_NO_JSON) && (ctx->g.json || ctx->g.jq))
        return usage_error("%s does not apply to %s%s%s", ctx->g.jq ? "--jq" : "--json",
                           cmd->name ? "'" : "", cmd->name ? cmd->name : "the dashboard",
                           cmd->name ? "'" : "");
    if (ctx->g.jq && ctx->follow)
        return usage_error("--jq needs output that ends: not with --follow");
    if (ctx->g.jq) {
        char why[600];
        ctx->jq = cli_jq_compile(ctx->g.jq, why, sizeof why);
        if (!ctx->jq) {
            char *safe = cli_safe(why);
            int bad = usage_error("%s", safe);
            free(safe);
            return bad;
        }
        ctx->g.json = true;
    }
    if ((ctx->g.column_list || ctx->g.no_headers) && !cmd->table)
        return usage_error("%s applies to commands that print a table, not to %s%s%s",
                           ctx->g.column_list ? "-o/--columns" : "--no-headers",
                           cmd->name ? "'" : "", cmd->name ? cmd->name : "the dashboard",
                           cmd->name ? "'" : "");
    if (ctx->g.column_list) {
        char why[512];
        if (cli_columns_check(cmd->table, ctx->g.column_list, why, sizeof why) != 0) {
            char *safe = cli_safe(why);
            int bad = usage_error("%s", safe);
            free(safe);
            return bad;
        }
    }
    if (ctx->nargs < cmd->min_args)
        return usage_error("'%s' needs %s", cmd->name, cmd->synopsis);
    if (ctx->nargs > cmd->max_args) {
        char *safe = cli_safe(ctx->args[cmd->max_args]);
        int rc = usage_error("unexpected argument '%s'", safe);
        free(safe);
        return rc;
    }
    profile_overrides ov = {
        .graph_url = ctx->g.graph_url,
        .api_version = ctx->g.api_version,
        .app_id = ctx->g.app_id,
        .token_env = ctx->g.token_env,
    };
    char why[512];
    if (profile_overrides_check(&ov, why, sizeof why) != 0) {
        char *safe = cli_safe(why);
        int bad = usage_error("%s", safe);
        free(safe);
        return bad;
    }
    int rc = cmd->check ? cmd->check(ctx) : EXIT_OK;
    if (rc)
        return rc;
    rc = mutation_gate(ctx);
    if (rc)
        return rc;
    if (cmd->flags & CMD_NEEDS_CLIENT) {
        rc = cli_make_client(ctx);
        if (rc)
            return rc;
        free(cli_reconcile(ctx));
    }
    if (ctx->jq && cli_jq_begin(ctx->jq) != 0) {
        cli_error("--jq: cannot hold the output to filter it");
        return EXIT_FAILURE_GENERIC;
    }
    rc = cmd->run(ctx);
    if (ctx->g.verbose && ctx->client)
        cli_usage_line(ctx->client);
    return ctx->jq ? cli_jq_end(ctx->jq, rc) : rc;
}

int cli_main(int argc, char **argv)
{
    cli_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.started_ms = monotonic_ms();
    int rc = parse_args(argc, argv, &ctx);
    if (rc == EXIT_OK)
        rc = dispatch(&ctx);
    ctx_free(&ctx);
    /* A closed stdout (e.g. piped into head) must not pass for success silently. */
    if (fflush(stdout) != 0 && rc == EXIT_OK && errno != EPIPE)
        rc = EXIT_FAILURE_GENERIC;
    return rc;
}
