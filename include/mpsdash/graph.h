/* The Graph API client: operations (list, get, act, create...) built as small state machines that
 * issue HTTP requests on one curl multi handle, parse answers with json-c into model structs and
 * classify errors. No threads, no curses: the CLI drives an operation to completion with
 * graph_run(); the worker thread drives many at once with graph_client_start/poll/next_event.
 * GETs are retried on transient failures (timers inside the engine, never a sleep); a mutating
 * POST is sent at most once. */
#ifndef MPSDASH_GRAPH_H
#define MPSDASH_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/model.h"
#include "mpsdash/state.h"

#define GRAPH_PAGE_LIMIT 100
#define GRAPH_BATCH_MAX 50
/* Paging budgets of one operation: a server whose paging never ends (a link back to a page
 * already fetched is refused at once) stops at whichever comes first. */
#define GRAPH_MAX_PAGES 10000
#define GRAPH_MAX_ITEMS 1000000
#define GRAPH_MAX_PAGED_BYTES ((size_t)512 * 1024 * 1024)
/* One operation (CLI: one command) gives up after this long unless told otherwise. */
#define GRAPH_DEFAULT_DEADLINE_S 120

/* One profile's connection settings. Strings are copied by graph_client_new. */
typedef struct graph_options {
    const char *base_url;    /* NULL: MPS_DEFAULT_GRAPH_URL. http:// only for loopback hosts */
    const char *api_version; /* NULL: MPS_DEFAULT_API_VERSION */
    const char *app_id;      /* our app */
    const char *token;       /* secret; the client keeps a copy and zeroes it on free */
    const char *app_secret;  /* optional secret: adds appsecret_proof to every call */
    const char *ca_file;     /* optional CA bundle; TLS verification is always on */
    const char *trace_path;  /* optional: append a redacted HTTP trace here; "-": stderr */
    bool verbose;            /* one line per answer on stderr: method, URL, status, time */
    long connect_timeout_ms; /* 0: 10 s */
    long request_timeout_ms; /* 0: 60 s */
    long deadline_ms;        /* one operation's whole time, every retry and page included;
                              * 0: GRAPH_DEFAULT_DEADLINE_S */
    size_t body_cap;         /* 0: 8 MiB */
    int json_depth;          /* 0: 64 */
    int max_retries;         /* GET retries on transient failure; <0: none, 0: default 4 */
    long backoff_base_ms;    /* 0: 500 ms; tests set it small */
    long backoff_cap_ms;     /* 0: 30 s */
    bool one_chain;          /* list with one cursor chain, never OWNER + PARTNER at once */
    int max_pages;           /* 0: GRAPH_MAX_PAGES */
    size_t max_items;        /* 0: GRAPH_MAX_ITEMS */
    size_t max_paged_bytes;  /* 0: GRAPH_MAX_PAGED_BYTES */
    bool no_json;            /* listed and read solutions come without their exact JSON text
                              * (json NULL): for the dashboard, which never shows it */
} graph_options;

typedef enum graph_error_class {
    GRAPH_OK = 0,
    GRAPH_ERR_USAGE,       /* refused before sending: bad URL scheme, bad argument */
    GRAPH_ERR_NETWORK,     /* could not connect / reset / DNS */
    GRAPH_ERR_TIMEOUT,     /* no complete answer in time */
    GRAPH_ERR_PROTOCOL,    /* answer not usable: malformed, truncated, too large, too deep */
    GRAPH_ERR_TOKEN,       /* 190 (+subcode), 102: the user must renew the token */
    GRAPH_ERR_RATE_LIMIT,  /* 4, 17, 32, 341, 613, 80007, 80008 */
    GRAPH_ERR_PERMISSION,  /* 10, 200-299 */
    GRAPH_ERR_BAD_REQUEST, /* 100 and other client errors */
    GRAPH_ERR_TRANSIENT,   /* 1, 2, is_transient, HTTP 5xx after retries */
    GRAPH_ERR_POLICY,      /* 368 */
    GRAPH_ERR_API,         /* any other Graph error */
    GRAPH_ERR_CHANGED,     /* re-check before a POST found the solution changed: not sent */
    GRAPH_ERR_CANCELLED,
    GRAPH_ERR_CLASS_COUNT
} graph_error_class;

typedef struct graph_error {
    graph_error_class cls;
    long http_status;     /* 0 when no HTTP answer */
    int code;             /* error.code, 0 when none */
    int subcode;          /* error.error_subcode */
    bool transient;       /* error.is_transient */
    bool outcome_unknown; /* a POST whose answer never came */
    int retry_after_s;    /* from Retry-After or estimated_time_to_regain_access, 0 if none */
    char message[512];    /* sanitised: error.message (+ error_user_msg), or the transport's */
    char fbtrace_id[64];  /* sanitised */
    char hint[256];       /* what to do, e.g. "the token expired: create a new one and ..." */
} graph_error;

const char *graph_error_class_name(graph_error_class cls); /* "token", "rate limit", ... */
/* One line for a person: "message (code 100, fbtrace_id X): hint"; token errors put the hint
 * first ("hint — message (code 190/463, ...)") so a cut line keeps the advice. Sanitised. */
void graph_error_format(const graph_error *err, char *buf, size_t size);
/* Classifies a Graph error code/subcode/is_transient/HTTP status. */
graph_error_class graph_classify(int code, int subcode, bool transient, long http_status);

/* API usage from X-App-Usage / X-Business-Use-Case-Usage, as the highest percentage seen. */
typedef struct graph_usage {
    int max_percent;    /* -1 while unknown */
    int regain_minutes; /* estimated_time_to_regain_access, 0 if none */
} graph_usage;

typedef struct graph_client graph_client;

graph_client *graph_client_new(const graph_options *opts, graph_error *err);
/* A client with its own identity (URL, version, app, token, app secret, CA file, trace, usage)
 * whose ops run on host's multi handle: they are polled, reported and cancelled through the
 * host (graph_client_poll/next_event/cancel on either), so several profiles load at once on one
 * engine and share its connection pool. Free every shared client before its host. */
graph_client *graph_client_new_shared(graph_client *host, const graph_options *opts,
                                      graph_error *err);
/* Cancels and frees ops still running (a shared client: only its own). */
void graph_client_free(graph_client *c);
/* Every op this client runs from now on ends within left_ms from now, together (a command's
 * one deadline of total_ms, part of it already spent), besides each op's own deadline_ms. */
void graph_client_set_deadline(graph_client *c, long left_ms, long total_ms);
graph_usage graph_client_usage(const graph_client *c);
const char *graph_client_app_id(const graph_client *c);
/* HTTP requests sent and new connections opened so far (CURLINFO_NUM_CONNECTS summed); an
 * engine's request count includes those of its shared clients. */
long graph_client_requests(const graph_client *c);
long graph_client_connections(const graph_client *c);
/* True once the client has learned that the server has no partners data at all: it refuses
 * partners{} in fields= and has no /<SOLUTION_ID>/partners edge. Solutions then carry
 * partners_unavailable, and their role comes from role=OWNER / role=PARTNER listings. */
bool graph_client_partners_unavailable(const graph_client *c);

/* ---- operations ---- */

typedef struct graph_op graph_op;

typedef enum graph_op_kind {
    GRAPH_OP_LIST_SOLUTIONS, /* GET /<APP_ID>/whatsapp_business_solutions, all pages */
    GRAPH_OP_GET_SOLUTION,   /* GET /<SOLUTION_ID>?fields=... */
    GRAPH_OP_PARTNERS,       /* GET /<SOLUTION_ID>/partners, all pages */
    GRAPH_OP_ACTION,         /* re-check GET, POST /<SOLUTION_ID>/<edge>, reconcile */
    GRAPH_OP_CREATE,         /* POST /<APP_ID>/whatsapp_business_solution */
    GRAPH_OP_CLIENT_WABAS,   /* GET /<BUSINESS_ID>/client_whatsapp_business_accounts */
    GRAPH_OP_WABA_SOLUTIONS, /* GET /<WABA_ID>/solutions */
    GRAPH_OP_BUSINESS_TOKEN, /* GET /<SOLUTION_ID>/access_token?business_id= */
    GRAPH_OP_APP_DETAILS,    /* GET /me/application_details */
    GRAPH_OP_APP,            /* GET /<APP_ID>?fields=id,name,link */
    GRAPH_OP_RAW,            /* api: GET or POST of any path under the graph URL */
} graph_op_kind;

/* role: NULL for every solution, else "OWNER" or "PARTNER".
 * Without a role, where the server honours role= the list runs two cursor chains at once on the
 * one connection, role=OWNER and role=PARTNER, and merges their pages (about half the round
 * trips). A client learns this on its first listing: the OWNER page first, the PARTNER page held
 * until the OWNER one shows the server did not answer both with the same solutions; a server that
 * ignores role= costs that one extra request once, then the client lists with one chain. */
graph_op *graph_op_list_solutions(const char *role);
graph_op *graph_op_get_solution(const char *solution_id);
graph_op *graph_op_partners(const char *solution_id);
/* expected: what the confirmation showed (copied); the op GETs the solution first and does not
 * POST when solution_diff() finds a difference (GRAPH_ERR_CHANGED, result.changes says what).
 * NULL skips the re-check. After a POST whose outcome is unknown it GETs the solution instead
 * of resending (error.outcome_unknown, result.solutions[0] = what the server holds). */
graph_op *graph_op_action(mps_action action, const char *solution_id, const mps_solution *expected);
/* reject: the rejection_reason sent with it (copied; NULL or "" sends none). */
void graph_op_set_reason(graph_op *op, const char *reason);
/* app_id NULL: the client's app. */
graph_op *graph_op_create(const char *app_id, const char *name, const char *partner_app_id,
                          const strlist *owner_permissions, const strlist *partner_permissions);
/* partner_business_ids may be NULL/empty: no filtering. */
graph_op *graph_op_client_wabas(const char *business_id, const strlist *partner_business_ids);
graph_op *graph_op_waba_solutions(const char *waba_id);
graph_op *graph_op_business_token(const char *solution_id, const char *business_id);
graph_op *graph_op_app_details(void);
graph_op *graph_op_app(const char *app_id);
/* api: path is "me", "v25.0/me?fields=id" (a version given is kept, else the client's is put
 * in front) or an absolute URL, which must be under the graph URL: anything else is refused
 * before a request (GRAPH_ERR_USAGE), so the token goes nowhere else. query (GET) is added to
 * the URL; form (POST) is the urlencoded body; both may be NULL. A POST is sent once, never
 * again (outcome_unknown when no answer came). With paginate, paging.next is followed through
 * the paging guard every list passes. Each answer is a page event; take it with
 * graph_op_take_raw. */
graph_op *graph_op_raw(bool post, const char *path, const char *query, const char *form,
                       bool paginate);
/* The answers waiting (JSON, secrets masked as in the trace; several pages one a line), or
 * NULL; the caller frees it. */
char *graph_op_take_raw(graph_op *op);
void graph_op_free(graph_op *op);

graph_op_kind graph_op_get_kind(const graph_op *op);
bool graph_op_is_done(const graph_op *op);
/* Valid once done: cls GRAPH_OK on success. */
const graph_error *graph_op_error(const graph_op *op);
/* Opaque tag for the caller (the worker stores its job here). */
void graph_op_set_user(graph_op *op, void *user);
void *graph_op_user(const graph_op *op);

/* What an operation produced. Pointers belong to the op until taken (set them NULL after
 * stealing) and are freed by graph_op_free. */
typedef struct graph_result {
    mps_solution **solutions; /* list / waba-solutions / get (1) / action and create: the
                                 state read back after the POST, or after a refused re-check (1) */
    size_t solution_count;
    mps_partner *partners; /* partners op */
    size_t partner_count;
    mps_waba *wabas;
    size_t waba_count;
    mps_app *apps; /* app details, app */
    size_t app_count;
    char *created_id; /* create: solution_id */
    char *token;      /* business token: secret, zeroed on free */
    long long token_expires_at;
    bool posted;               /* action/create: the POST was sent (once, never more) */
    bool success;              /* action: the server said success or returned the solution */
    char *changes;             /* action refused by the re-check: what changed */
    bool fallback_used;        /* the server refused expanded fields (code 100); partners were
                                  fetched apart: Graph batches of <= 50, single GETs for the rest */
    bool partners_unavailable; /* partners op: this server has no partners data */
    int requests;              /* HTTP requests this op made */
    char *raw;                 /* api: the answer not yet taken (graph_op_take_raw) */
    char fbtrace_id[64];       /* x-fb-trace-id of the answer to the op's POST (for an op without
                                * one, of its last answer); "" when none came */
    int pages;                 /* list pages fetched */
} graph_result;

graph_result *graph_op_result(graph_op *op);
/* Frees everything a result holds (the token zeroed) and empties it: for a result whose
 * contents were moved out of an op. */
void graph_result_clear(graph_result *r);

/* A list op (list, waba-solutions) delivers solutions page by page: takes those parsed since
 * the last call (the caller owns the array and the solutions; free each, then the array).
 * Taken solutions leave result.solutions, which keeps only those not yet taken. Returns the
 * count (*out NULL when 0). */
size_t graph_op_take_page(graph_op *op, mps_solution ***out);

/* Drives op to completion on c (blocking). Returns true on success; *err is filled either way
 * (may be NULL). The op stays owned by the caller. */
bool graph_run(graph_client *c, graph_op *op, graph_error *err);

/* How far an op's requests got, for a person watching it. attempt is the highest attempt among
 * the requests the op has out or waiting: 1 normally, 2..of while a GET is sent again after a
 * transient failure (rate limit, 5xx, network, timeout). A POST is never resent, so while an
 * op's POST is out its attempt is 1; an action's re-check and read-back are GETs and may be
 * retried (posted says which of the two). */
typedef struct graph_progress {
    int attempt;           /* 1: first tries only */
    int of;                /* the most attempts the client makes of one GET */
    graph_error_class why; /* the failure that made it try again (GRAPH_OK at 1) */
    bool posted;           /* the op's POST has gone out (a retry is of its read-back) */
} graph_progress;
/* The op's progress, when it changed since the last take: true and *p filled. A change queues
 * the op as an event (graph_client_next_event), done or not. */
bool graph_op_take_progress(graph_op *op, graph_progress *p);

/* Asynchronous use (one thread only, the one that owns c): */
void graph_client_start(graph_client *c, graph_op *op); /* c drives op; caller still owns it */
/* Waits up to timeout_ms for network progress or a wakeup; runs retries that are due. */
void graph_client_poll(graph_client *c, int timeout_ms);
/* Ops that finished or have a new page since the last call; NULL when none. A finished op is
 * returned once with graph_op_is_done() true and is then no longer driven by c. */
graph_op *graph_client_next_event(graph_client *c);
/* Stops driving op (removes its transfers); it completes with GRAPH_ERR_CANCELLED and is not
 * reported by next_event. graph_op_free and graph_client_free cancel too, so an op may be
 * freed at any time. */
void graph_client_cancel(graph_client *c, graph_op *op);
size_t graph_client_running(const graph_client *c);
/* The only call that may come from another thread: wakes graph_client_poll. */
void graph_client_wakeup(graph_client *c);

/* ---- parsers, exposed for unit tests and fuzzing (no network) ---- */

typedef struct graph_parse_limits {
    size_t max_bytes;   /* 0: 8 MiB */
    int max_depth;      /* 0: 64 */
    const char *secret; /* the access token (NULL: none): masked in every string of the answer
                         * and in error text before it is cut to size */
    bool no_json;       /* solutions without their JSON text (see graph_options) */
} graph_parse_limits;

/* Each returns true on success; on failure fills err (cls PROTOCOL or the Graph error). */
bool graph_parse_solution(const char *body, size_t len, const graph_parse_limits *lim,
                          mps_solution **out, graph_error *err);
/* A page of {data:[...], paging:{...}}: appends solutions, sets *next (malloc'd absolute URL)
 * or NULL when paging.next is absent. */
bool graph_parse_solution_page(const char *body, size_t len, const graph_parse_limits *lim,
                               mps_solution ***items, size_t *count, char **next, graph_error *err);
bool graph_parse_partner_page(const char *body, size_t len, const graph_parse_limits *lim,
                              mps_partner **items, size_t *count, char **next, graph_error *err);
bool graph_parse_waba_page(const char *body, size_t len, const graph_parse_limits *lim,
                           mps_waba **items, size_t *count, char **next, graph_error *err);
bool graph_parse_app_page(const char *body, size_t len, const graph_parse_limits *lim,
                          mps_app **items, size_t *count, char **next, graph_error *err);
/* One app object {id,name,link} (GET /<APP_ID>?fields=id,name,link). */
bool graph_parse_app(const char *body, size_t len, const graph_parse_limits *lim, mps_app *out,
                     graph_error *err);
/* {"success":true} or a solution object. *success false when success:false. */
bool graph_parse_action(const char *body, size_t len, const graph_parse_limits *lim, bool *success,
                        mps_solution **solution, graph_error *err);
bool graph_parse_created(const char *body, size_t len, const graph_parse_limits *lim,
                         char **solution_id, graph_error *err);
/* {"data":[{"access_token":...}]} or {"access_token":...,"expires_at":N}. */
bool graph_parse_token(const char *body, size_t len, const graph_parse_limits *lim, char **token,
                       long long *expires_at, graph_error *err);
/* An error body {"error":{...}} with its HTTP status; returns false when body is not one.
 * secret (NULL: none) is masked in the error's text before it is cut to size. */
bool graph_parse_error(const char *body, size_t len, long http_status, const char *secret,
                       graph_error *err);
/* Rate-limit headers: updates *usage with the highest percentage in either header. */
void graph_parse_usage_header(const char *name, const char *value, graph_usage *usage);
/* One webhook delivery (one line of an events file): appends its changes to *events. */
bool graph_parse_webhook(const char *line, size_t len, mps_event **events, size_t *count,
                         graph_error *err);

/* Lowercase hex HMAC-SHA256(key = app_secret, message = token), 65 bytes with NUL. */
void graph_appsecret_proof(const char *app_secret, const char *token, char out[65]);
/* Lowercase hex HMAC-SHA256 of len bytes of msg keyed with key; "" when it cannot be made. */
void graph_hmac_sha256_hex(const char *key, const void *msg, size_t len, char out[65]);
/* Replaces access_token=..., appsecret_proof=... values and Bearer tokens in text with "***".
 * Returns a new string. Used for traces and any URL shown. */
char *graph_redact(const char *text);

#endif
