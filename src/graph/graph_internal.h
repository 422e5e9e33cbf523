/* Private declarations shared by the graph layer's files; nothing outside src/graph includes it
 * (tests may, to pin internals such as URL building). */
#ifndef MPSDASH_GRAPH_INTERNAL_H
#define MPSDASH_GRAPH_INTERNAL_H

#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>

#include "mpsdash/alloc.h"
#include "mpsdash/graph.h"
#include "mpsdash/strbuf.h"

#define GRAPH_DEFAULT_BODY_CAP ((size_t)8 * 1024 * 1024)
#define GRAPH_DEFAULT_DEPTH 64
#define GRAPH_DEFAULT_RETRIES 4

/* Field sets: the expanded list asks for partners in the same request; the plain set is what we
 * fall back to when the server refuses the expansion. */
#define GRAPH_FIELDS_PLAIN "id,name,status,status_for_pending_request,owner_app,owner_permissions"
#define GRAPH_FIELDS_FULL GRAPH_FIELDS_PLAIN ",partners{id,status,partner_app,partner_permissions}"
#define GRAPH_FIELDS_PARTNER "id,status,partner_app,partner_permissions"
#define GRAPH_FIELDS_WABA "id,name,timezone_id,business_type,message_template_namespace"

/* ---- small helpers (util in errors.c) ---- */
char *graph_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void graph_free_secret(char *s); /* explicit_bzero + free */
/* Copies s into a fixed buffer, cut at a character boundary when it does not fit. */
void graph_copy_text(char *dst, size_t size, const char *s);
void graph_error_clear(graph_error *err);
void graph_error_set(graph_error *err, graph_error_class cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same for text that may quote a server: secret (NULL: none) is masked before the message
 * is cut to its buffer. */
void graph_error_set_scrubbed(graph_error *err, graph_error_class cls, const char *secret,
                              const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* graph_copy_text with secret (NULL: none) masked first, so no cut can split it. */
void graph_copy_scrubbed(char *dst, size_t size, const char *s, const char *secret);
/* Fills err->hint from the class and code table when empty. */
void graph_error_fill_hint(graph_error *err);
/* Replaces every occurrence of secret in s (in place) with "***": a server may echo the token
 * it was sent in an error message. Secrets shorter than 6 bytes are left alone. */
void graph_scrub_secret(char *s, const char *secret);

/* ---- parse.c: json-c tree level ---- */
/* Parses any JSON value under the limits (size, depth, STRICT, no trailing junk). */
json_object *graph_json_value(const char *body, size_t len, const graph_parse_limits *lim,
                              long http_status, graph_error *err);
/* Parses body into an object root under the limits (size, depth, STRICT, no trailing junk);
 * NULL + a PROTOCOL err otherwise. */
json_object *graph_json_object(const char *body, size_t len, const graph_parse_limits *lim,
                               long http_status, graph_error *err);
/* The same, and an {"error":{...}} answer fills err with the Graph error and returns NULL. */
json_object *graph_json_root(const char *body, size_t len, const graph_parse_limits *lim,
                             long http_status, graph_error *err);
/* Builds a solution from one JSON object (sanitised strings, inert JSON copy). */
mps_solution *graph_solution_from_json(json_object *obj, graph_error *err);
/* Parses a partner page from a root already checked; *data_out (if given) gets a new reference
 * to the page's data array, for merging into the solution's JSON. */
bool graph_partner_page_from_json(json_object *root, mps_partner **items, size_t *count,
                                  char **next, json_object **data_out, graph_error *err);
/* Adds the fetched partners to s's inert JSON as "partners":{"data":[...]} (fallback mode). */
void graph_solution_merge_partners(mps_solution *s, json_object *partner_objects);
/* Sanitised copy of a string (or integer) member, NULL when absent or of another type. */
char *graph_json_string(json_object *obj, const char *key);
/* The inert JSON text for an object, as kept in ->json. */
char *graph_json_inert(json_object *obj);

/* Fills err from an "error" object (classified, sanitised). */
/* secret (NULL: none) is masked in the message and fbtrace_id before they are cut to size. */
void graph_error_from_json(json_object *error_obj, long http_status, const char *secret,
                           graph_error *err);

/* ---- errors.c ---- */
/* Whether a failure of this class may be retried for an idempotent request. */
bool graph_error_retryable(const graph_error *err);

/* ---- trace.c ---- */
typedef struct graph_trace_entry {
    const char *method;
    const char *url;
    const char *request_body; /* NULL: none */
    long status;
    const char *transport_error; /* NULL when an HTTP answer came */
    const char *headers;         /* selected response headers, "Name: value\n" lines */
    const char *body;
    size_t body_len;
    long elapsed_ms;
    int attempt;
    const char *secret; /* the access token: masked wherever it appears verbatim; NULL: none */
    strlist *learnt;    /* secrets read from earlier answers (business tokens): masked wherever
                         * echoed; the writer adds the ones this answer carries. NULL: none */
} graph_trace_entry;
void graph_trace_write(FILE *f, const graph_trace_entry *e);
/* An answer as a person may see it: JSON redacted on its parsed form (secret members masked),
 * the token and the learnt secrets masked wherever they appear. New string. */
char *graph_redact_answer(const char *body, size_t len, const char *secret, strlist *learnt);
/* The entry as one line ("mpsdash: GET URL -> HTTP 200 in 12 ms"), redacted like the trace. */
void graph_trace_brief(FILE *f, const graph_trace_entry *e);
/* Whether a response header is worth keeping in a trace (never Authorization or cookies). */
bool graph_trace_header_wanted(const char *name, size_t name_len);

/* ---- url building (client.c) ---- */
/* Percent-encodes every byte outside the unreserved set, so { } , [ ] " and : never reach a
 * URL raw. Returns a new string. */
char *graph_url_escape(const char *s);
/* True for a Graph id or edge name we are willing to put in a path. */
bool graph_path_segment_ok(const char *s);
/* True when url has the same scheme, host and port as base. */
bool graph_same_origin(const char *base, const char *url);

/* What a server was found not to have, learned once per client (never asked again). */
enum {
    GRAPH_LACKS_PARTNERS_FIELD = 1u << 0, /* refuses partners{} in fields= */
    GRAPH_LACKS_PARTNERS_EDGE = 1u << 1,  /* no GET /<SOLUTION_ID>/partners */
    GRAPH_LACKS_BATCH = 1u << 2,          /* no Graph batch (POST /) */
    GRAPH_LACKS_APP_DETAILS = 1u << 3,    /* no /me/application_details */
};
unsigned graph_client_lacks(const graph_client *c);
void graph_client_learn(graph_client *c, unsigned lacks);
/* Fields the server called nonexistent, as "<op kind>:<field>", dropped from later calls. */
bool graph_client_field_dropped(const graph_client *c, int kind, const char *field);
void graph_client_drop_field(graph_client *c, int kind, const char *field);

/* ---- ops.c <-> client.c ---- */

/* One HTTP request an operation wants sent. */
typedef struct graph_call {
    bool post;
    bool idempotent; /* GETs and batch reads: may be retried; a mutating POST never is */
    bool secret;     /* the answer carries a secret: zero buffers, redact the trace */
    char *url;       /* absolute */
    char *form;      /* POST body, application/x-www-form-urlencoded; NULL: none */
    bool json;       /* form is a JSON text, sent as application/json */
} graph_call;
/* http.c: frees what the call owns (the form zeroed first) and empties it. */
void graph_call_clear(graph_call *call);

/* What came back for a call. err.cls is GRAPH_OK for any 2xx answer (the op parses the body),
 * else the transport or HTTP-level failure, with Graph error fields when the body had them. */
typedef struct graph_response {
    long status;
    const char *body;
    size_t len;
    graph_error err;
    bool answered;         /* an HTTP status line arrived */
    bool transport_failed; /* the transfer did not complete (timeout, reset, cap...) */
    bool request_sent;     /* request bytes left us: a POST may have reached the server */
    char fbtrace_id[64];   /* the answer's x-fb-trace-id header (safe text); "" when none */
} graph_response;

/* ---- http.c: one transfer on an easy handle ---- */
typedef struct graph_http graph_http;
typedef struct graph_http_config {
    const struct curl_slist *headers;      /* Authorization etc., shared by every transfer */
    const struct curl_slist *json_headers; /* the same and Content-Type: application/json */
    const char *token;                     /* borrowed: scrubbed from errors and the trace */
    const char *protocols;                 /* "https", or "http,https" for a loopback base URL */
    const char *ca_file;
    long connect_timeout_ms;
    long request_timeout_ms;
    size_t body_cap;
} graph_http_config;
graph_http *graph_http_new(const graph_http_config *cfg, graph_op *op, int lane,
                           const graph_call *call);
CURL *graph_http_easy(graph_http *h);
graph_op *graph_http_op(graph_http *h);
int graph_http_lane(const graph_http *h);
/* Turns the finished transfer into a response (body stays owned by h). */
void graph_http_complete(graph_http *h, CURLcode rc, graph_response *resp);
/* Usage headers seen on this answer; max_percent -1 when none. */
graph_usage graph_http_usage(const graph_http *h);
long graph_http_new_connections(graph_http *h);
/* Writes the exchange to the trace f (NULL: none) and, brief, as one line to brief_f; learnt:
 * secrets earlier answers carried, masked wherever echoed (the writer adds this answer's). */
void graph_http_trace(graph_http *h, FILE *f, FILE *brief_f, const graph_response *resp,
                      int attempt, strlist *learnt);
void graph_http_free(graph_http *h);

/* An operation may have a few requests in flight at once, one per lane: a list runs its OWNER
 * and PARTNER cursor chains side by side, and the partners fallback fetches batches for one page
 * while the next page is on its way. Every other operation uses lane 0 only. */
#define GRAPH_LANES 3
struct graph_lane {
    graph_http *inflight;
    graph_call next;             /* set by a step: the request to send (url != NULL) */
    long long due_ms;            /* when next may be sent (retry backoff) */
    int attempt;                 /* retries of the current call */
    graph_error_class retry_why; /* the failure the last retry followed */
};

/* Internal op state; the engine reads and writes these fields. */
struct graph_op_engine {
    graph_client *client; /* NULL when not driven */
    struct graph_lane lane[GRAPH_LANES];
    int cur;          /* the lane whose answer is being read: where a step's request goes */
    long long end_ms; /* the op's deadline (monotonic ms); no request starts after it */
    bool queued;      /* sits in the client's event queue */
    bool page_ready;
    bool traced_post;        /* result.fbtrace_id is the POST's: later answers leave it */
    graph_progress progress; /* as last noted (attempt 1 from the start) */
    bool progress_ready;     /* changed since graph_op_take_progress last took it */
};

/* Client facts an op needs to build its requests. */
const char *graph_client_version(const graph_client *c); /* v25.0 */
const graph_parse_limits *graph_client_limits(const graph_client *c);
/* The access token, only to mask it where a server echoed it. */
const char *graph_client_token(const graph_client *c);
/* "base/version/path?query" with appsecret_proof added; query may be NULL. New string. */
char *graph_client_url(const graph_client *c, const char *path, const char *query);
/* "base/" with appsecret_proof: where Graph batch requests go. New string. */
char *graph_client_root_url(const graph_client *c);
const char *graph_client_base(const graph_client *c); /* the graph URL, no slash at the end */
/* Stops whatever client drives or queues op (graph_op_free calls it). */
void graph_client_forget(graph_op *op);
/* What identifies a page of a list for the paging guard: the path and the sorted query without
 * token or proof (cursor false), or the path and only its paging parameters (after, before,
 * until, since, offset...; cursor true: NULL when the link has none). New string. */
char *graph_page_key(const char *url, bool cursor);
/* The paging budgets of every op on this client. */
int graph_client_max_pages(const graph_client *c);
size_t graph_client_max_items(const graph_client *c);
size_t graph_client_max_paged_bytes(const graph_client *c);
/* A paging.next URL made ready to send (origin checked, proof added); NULL + err when refused. */
char *graph_client_next_url(const graph_client *c, const char *next, graph_error *err);

/* ops.c: starts op (resp NULL, lane 0) or feeds it the answer to its last call on lane.
 * Afterwards each lane either has a next call or rests, or the op is done. */
void graph_op_step(graph_op *op, int lane, const graph_response *resp);
/* Whether the server behind c answers role= listings with that role only: -1 not known yet,
 * 0 no (one cursor chain), 1 yes (OWNER and PARTNER chains at once). Learned by list ops. */
int graph_client_role_split(const graph_client *c);
void graph_client_set_role_split(graph_client *c, int split);
/* Stops what op has in flight or queued on one lane (called from a step of another lane). */
void graph_client_drop_lane(graph_op *op, int lane);
struct graph_op_engine *graph_op_engine(graph_op *op);
void graph_op_finish(graph_op *op, const graph_error *err); /* marks done */

#endif
