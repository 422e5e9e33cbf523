/* Private types shared by the sandbox's files: the simulated world, requests, answers, faults. */
#ifndef MPSDASH_SBX_H
#define MPSDASH_SBX_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "mpsdash/alloc.h"
#include "mpsdash/model.h"
#include "mpsdash/sandbox.h"
#include "mpsdash/strbuf.h"
#include "mpsdash/util.h"

/* ---- small containers (util.c) ---- */

typedef struct sbx_kv {
    char **k, **v;
    size_t n, cap;
} sbx_kv;

void sbx_kv_add(sbx_kv *kv, const char *k, const char *v);
const char *sbx_kv_get(const sbx_kv *kv, const char *k);
void sbx_kv_clear(sbx_kv *kv);
/* Parses "a=b&c=d" (percent-decoding, '+' as space) into kv. */
void sbx_kv_parse_query(sbx_kv *kv, const char *q, size_t len);

void sbx_set(char **dst, const char *s); /* frees the old value, copies s (NULL allowed) */

void sbx_url_encode(strbuf *b, const char *s);
char *sbx_base64url(const char *s);
char *sbx_unbase64url(const char *s);
/* Hex into bytes (NUL-terminated); NULL when malformed or when it would hold a NUL. */
char *sbx_unhex(const char *hex);
unsigned long long sbx_fnv1a(const char *s, unsigned long long seed);
bool sbx_all_digits(const char *s);
/* json-c serialisation without slash escaping; bytes >= 0x80 are sent as they are. */
const char *sbx_json_text(json_object *o);
/* Parses a whole buffer as JSON; NULL on any error or trailing text. */
json_object *sbx_json_parse(const char *text, size_t len, char *err, size_t err_size);

/* ---- the world (state.c, dataset.c) ---- */

typedef struct sbx_app {
    char *id, *name, *link;
    char *token;       /* NULL: an app that cannot call */
    char *business_id; /* NULL when unknown */
} sbx_app;

typedef struct sbx_partner {
    char *id;
    char *app_id;
    char *status;
    strlist perms;
} sbx_partner;

typedef struct sbx_solution {
    char *id;
    char *name; /* any bytes but NUL: hostile names stay as they are */
    char *status;
    char *pending; /* status_for_pending_request; NULL = absent */
    char *owner_app_id;
    strlist owner_perms;
    sbx_partner *partners;
    size_t npartners;
    char *deact_by;            /* app id that asked for deactivation; NULL = none asked */
    char *rejection_reason;    /* what the last reject said; NULL = nothing */
    char *deactivation_reason; /* what the last send_deactivation_request said */
} sbx_solution;

typedef struct sbx_waba {
    char *id, *name, *timezone_id, *business_type, *namespace_;
    char *business_id;       /* whose client it is */
    char *owner_business_id; /* the customer's portfolio */
    strlist partner_business_ids;
    strlist solution_ids;
} sbx_waba;

/* Solutions (or WABAs, never both) with their ids side by side, in the world's order. */
typedef struct sbx_listing {
    sbx_solution **sols;
    struct sbx_waba **wabas;
    char **ids;
    size_t n, cap; /* grown by doubling */
} sbx_listing;

void sbx_listing_free(sbx_listing *l);

/* A caller's solution listing for one role filter, kept while the world's generation holds: a
 * page of a long listing then costs its own items, not a pass over every solution. Two callers'
 * three filters (any, OWNER, PARTNER), built together. */
#define SBX_LISTING_CACHE 6

typedef struct sbx_cached_listing {
    char *caller; /* app id; NULL = an empty slot */
    int role;     /* 0 any, 1 OWNER, 2 PARTNER */
    unsigned long long generation;
    sbx_listing l;
} sbx_cached_listing;

typedef struct sbx_world {
    sbx_app *apps;
    size_t napps, capps;
    sbx_app *details; /* /me/application_details */
    size_t ndetails;
    sbx_solution **sols;
    size_t nsols, csols;
    sbx_waba **wabas;
    size_t nwabas, cwabas;
    unsigned long long next_id;
    sandbox_dialect dialect; /* the scenario's "dialect"; DEFAULT when it has none */
    /* Bumped by every change to which solutions there are, their order, owners or partners
     * (sbx_sol_add, sbx_sol_remove, sbx_sol_add_partner): what a cached listing depends on. */
    unsigned long long generation;
    sbx_cached_listing listings[SBX_LISTING_CACHE];
    size_t next_listing_slot;
    unsigned long listing_scans; /* passes over every solution to build a listing */
} sbx_world;

void sbx_world_free(sbx_world *w);
sbx_app *sbx_world_add_app(sbx_world *w, const char *id, const char *name, const char *link,
                           const char *token, const char *business_id);
const sbx_app *sbx_app_find(const sbx_world *w, const char *id);
const sbx_app *sbx_app_by_token(const sbx_world *w, const char *token);
/* The app whose webhook receiver the events file stands for (first app with a token). */
const sbx_app *sbx_primary_app(const sbx_world *w);
sbx_solution *sbx_sol_find(const sbx_world *w, const char *id);
/* Takes s out of the world and frees it. */
void sbx_sol_remove(sbx_world *w, sbx_solution *s);
sbx_solution *sbx_sol_add(sbx_world *w, const char *id, const char *name, const char *status,
                          const char *pending, const char *owner_app_id);
sbx_partner *sbx_sol_add_partner(sbx_world *w, sbx_solution *s, const char *id, const char *app_id,
                                 const char *status);
sbx_waba *sbx_waba_find(const sbx_world *w, const char *id);
sbx_waba *sbx_waba_add(sbx_world *w, const char *id, const char *name);
bool sbx_is_owner(const sbx_solution *s, const char *app_id);
bool sbx_is_partner(const sbx_solution *s, const char *app_id);
/* A fresh deterministic id (for created solutions, partner edges, WABAs). */
char *sbx_new_id(sbx_world *w);

/* Built-in dataset (dataset.c). */
void sbx_dataset_builtin(sbx_world *w);
void sbx_dataset_hostile(sbx_world *w);
void sbx_dataset_extra(sbx_world *w, int n);
/* Loads a scenario file; false with a message naming the file and the problem. */
bool sbx_dataset_load(sbx_world *w, const char *path, char *err, size_t err_size);
/* The whole world in the scenario format. */
json_object *sbx_dataset_dump(const sbx_world *w);

/* ---- errors and answers ---- */

#define SBX_EXPIRED_MESSAGE                                                                        \
    "Error validating access token: The access token has expired. The current time is after its "  \
    "expiry."

typedef struct sbx_gerr {
    int http;
    int code;
    int subcode; /* 0 = none */
    const char *type;
    bool transient;
    bool unprocessable; /* valid, but the state forbids it: HTTP 422 in the openapi dialect */
    mps_errtext msg;
} sbx_gerr;

void sbx_gerr_set(sbx_gerr *e, int http, int code, int subcode, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

typedef struct sbx_answer {
    int status;
    char *body; /* JSON text, owned */
    size_t body_len;
    char trace[32]; /* its fbtrace_id, sent as x-fb-trace-id (as Graph does on every answer) */
} sbx_answer;

/* ---- faults (faults.c) ---- */

typedef enum sbx_fault_kind {
    SBX_F_NONE,
    SBX_F_LATENCY,
    SBX_F_HANG,
    SBX_F_RESET,
    SBX_F_503,
    SBX_F_500,
    SBX_F_TRUNCATE,
    SBX_F_RATELIMIT,
    SBX_F_EXPIRED,
    SBX_F_HUGE,
    SBX_F_DEEP,
    SBX_F_MALFORMED,
    SBX_F_NONOBJECT,
    SBX_F_SELFLINK,   /* paging.next points at the page just served */
    SBX_F_CYCLE,      /* paging.next alternates between two pages: A -> B -> A */
    SBX_F_ANSWER,     /* a given status and body instead of the API's answer */
    SBX_F_ECHO_TOKEN, /* a Graph error that hands the caller's token back, past every buffer */
    SBX_F_RESPELL,    /* access_token written as access\u005ftoken, its value echoed beside */
    SBX_F_TRICKLE,    /* the answer one byte every ms (default 1000) */
} sbx_fault_kind;

typedef struct sbx_fault {
    char method[16]; /* "" = any */
    char *suffix;    /* NULL = any path */
    sbx_fault_kind kind;
    int times; /* -1 = until cleared */
    int skip;
    int ms;
    bool apply;
    int regain_minutes;
    int status;     /* answer: the HTTP status (default 200) */
    char body[512]; /* answer: the body, as given */
} sbx_fault;

const char *sbx_fault_kind_name(sbx_fault_kind k);
/* Parses a control body into f; false with a message in err. */
bool sbx_fault_parse(json_object *spec, sbx_fault *f, char *err, size_t err_size);
/* Whether the kind's answer replaces the handler's answer. */
bool sbx_fault_replaces_answer(sbx_fault_kind k);

/* ---- the server object ---- */

#define SBX_USAGE_RING 96

typedef struct sbx_usage {
    char *app_id;
    time_t ring[SBX_USAGE_RING];
    size_t next;
} sbx_usage;

struct sandbox {
    struct MHD_Daemon *daemon;
    int port;
    char base_url[64];
    sandbox_options opts;    /* paths copied below */
    sandbox_dialect dialect; /* resolved: GUIDE or OPENAPI */
    char *public_url;        /* paging links: base_url, or the front clients go through */
    char *request_log_path, *events_path;

    pthread_mutex_t mu;  /* guards everything below */
    pthread_cond_t cond; /* broadcast on stop: ends waits, hangs and the demo thread */
    bool stopping;
    sbx_world world;
    sbx_fault *faults;
    size_t nfaults, cfaults;
    strlist log_lines;
    unsigned long requests;
    unsigned long trace_counter;
    sbx_usage *usage;
    size_t nusage;

    pthread_t demo_thread;
    bool demo_running;
    unsigned demo_step;
    atomic_int connections; /* open HTTP connections (not under mu) */
};

/* A request as the API layer sees it, from HTTP or from a batch item. */
typedef struct sbx_request {
    const char *method;
    const char *path; /* as received, with the version prefix; used for paging links */
    char **seg;       /* path segments after the version */
    size_t nseg;
    sbx_kv query;
    sbx_kv form;            /* form-encoded body parameters */
    json_object *json_body; /* JSON body, or NULL */
    const sbx_app *caller;
} sbx_request;

/* api.c: answers one authenticated request (the mutex is held). */
void sbx_api_dispatch(sandbox *sb, sbx_request *req, sbx_answer *ans);
/* api.c: checks auth and answers; token may be NULL (no header). The mutex is held.
 * *app_id_out gets the caller's app id for the log (borrowed) or NULL. */
void sbx_api_handle(sandbox *sb, const char *method, const char *path, sbx_kv *query,
                    const char *body, size_t body_len, const char *content_type, const char *token,
                    sbx_answer *ans, const char **app_id_out);
/* api.c: whether the sandbox speaks the OpenAPI file's dialect. */
bool sbx_openapi(const sandbox *sb);
/* api.c: the HTTP status an error gets in the sandbox's dialect. */
int sbx_error_status(const sandbox *sb, const sbx_gerr *e);
/* api.c: X-App-Usage call_count for an app: its requests in the last 10 minutes, at most 95. */
int sbx_usage_percent(sandbox *sb, const char *app_id);
/* api.c: an error answer in Graph's shape with a fresh fbtrace_id. */
void sbx_answer_error(sandbox *sb, const sbx_gerr *e, sbx_answer *ans);
void sbx_answer_json(sbx_answer *ans, int status, json_object *o); /* takes o */
char *sbx_next_trace(sandbox *sb);

/* state.c: the MPS state machine. */
typedef enum sbx_action {
    SBX_ACCEPT,
    SBX_REJECT,
    SBX_SEND_DEACTIVATION,
    SBX_ACCEPT_DEACTIVATION,
    SBX_REJECT_DEACTIVATION,
    SBX_ACTION_COUNT
} sbx_action;

/* Edge name ("accept") -> action; false when none. */
bool sbx_action_by_edge(const char *edge, sbx_action *out);
/* Applies the action for app_id, or explains in e why not. Writes the webhook event. */
bool sbx_action_apply(sandbox *sb, sbx_solution *s, sbx_action a, const char *app_id, sbx_gerr *e);
/* Creates a solution owned by owner_app_id; NULL with e filled when invalid. */
sbx_solution *sbx_create_solution(sandbox *sb, const char *owner_app_id, const char *name,
                                  const char *partner_app_id, const strlist *owner_perms,
                                  const strlist *partner_perms, sbx_gerr *e);
/* Appends a webhook delivery about s (partner_solutions). */
void sbx_event_solution(sandbox *sb, const sbx_solution *s, const char *event);
/* Appends an account_update PARTNER_ADDED delivery. */
void sbx_event_partner_added(sandbox *sb, const sbx_waba *waba, const sbx_solution *s);
/* Appends one line (text + '\n') with a single write; silently skips when path is NULL. */
void sbx_append_line(const char *path, const char *line);

/* demo.c */
void sbx_demo_start(sandbox *sb);
void sbx_demo_step(sandbox *sb); /* one step of the sequence; the mutex is held */

/* Waits until the deadline or stop; the mutex is held. Returns false when stopping. */
bool sbx_wait_ms(sandbox *sb, long ms);

#endif
