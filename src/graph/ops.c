/* Operations as small state machines: each step reads the answer to the last request and either
 * names the next request or finishes. The engine (client.c) sends, retries and reports. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"

typedef enum phase {
    PH_NONE,
    PH_LIST_FULL,  /* a page of the list with partners expanded */
    PH_LIST_PLAIN, /* fallback: a page with the plain fields */
    PH_GET_FULL,   /* one solution, partners expanded */
    PH_GET_PLAIN,  /* fallback: one solution, plain fields */
    PH_BATCH,      /* fallback: partners of up to 50 solutions in one Graph batch */
    PH_SOLO,       /* fallback: one page of one solution's partners */
    PH_PAGED,      /* any other list, page by page */
    PH_SINGLE,     /* one object answer */
    PH_POST,       /* the mutating request: sent once, never again */
    PH_RAW,        /* api: any answer, page by page */
    PH_COUNT
} phase;

typedef struct solo {
    size_t index; /* into pending */
    char *url;    /* a paging link to continue with; NULL: the first page */
} solo;

struct graph_op;
typedef void (*fetched_fn)(struct graph_op *op, mps_solution *s, const graph_error *err);

struct graph_op {
    graph_op_kind kind;
    struct graph_op_engine eng;
    bool done;
    graph_error error;
    graph_result result;
    void *user;

    /* parameters */
    char *id;          /* what the op is about: solution, business, WABA or app id */
    char *role;        /* list: OWNER / PARTNER, or NULL */
    char *business_id; /* business token */
    mps_action action;
    mps_solution *expected;
    char *name;
    char *partner_app_id;
    char *reason; /* reject: rejection_reason; NULL: none */
    /* api */
    bool raw_post, raw_paginate;
    char *raw_path, *raw_query, *raw_form;
    strlist owner_perms, partner_perms, partner_business_ids;

    /* progress */
    phase ph[GRAPH_LANES]; /* what the request out on each lane is; PH_NONE: the lane rests */
    fetched_fn then;       /* what to do with a solution fetched by PH_GET_* */
    graph_error saved;     /* action: the POST's unknown outcome, reported after reading back */

    /* fallback: fetching partners for solutions that came without them */
    mps_solution **pending;
    size_t pending_count;
    json_object **pending_json; /* per pending solution: the partner objects, for ->json */
    size_t batch_pos;           /* pending[..batch_pos) went out in batches */
    size_t batch_idx[GRAPH_LANES][GRAPH_BATCH_MAX]; /* per lane: the batch out on it */
    size_t batch_len[GRAPH_LANES];
    solo *solos;
    size_t solo_count;
    size_t solo_current[GRAPH_LANES]; /* per lane: whose partners page is out on it */
    /* Fallback list, pipelined: while one page's partners come in (lanes 1 and 2), the next page
     * is already asked for (lane 0); a page that comes before the last one's partners are in
     * waits here. */
    bool in_partners;     /* pending is a list page whose partners are being fetched */
    mps_solution **ahead; /* the next page, waiting */
    size_t ahead_count;
    char *ahead_next;
    bool ahead_valid;
    bool list_delivered;  /* a page went to the caller: the listing cannot start over */
    bool partners_proven; /* a batch or partners page worked: more than one may be out */

    /* no partners data from this server: roles come from role=OWNER, then role=PARTNER */
    bool role_mode;
    int role_pass;     /* 0: the OWNER listing, 1: the PARTNER listing */
    strlist owner_ids; /* ids of the OWNER listing (sorted once it ends), to skip repeats */

    /* A list without a role: the OWNER (lane 0) and PARTNER (lane 1) cursor chains at once when
     * the server honours role=, else one chain on lane 0. */
    int chains;
    bool chain_done[2];
    bool role_blind;         /* found on this listing: role= is ignored, lane 0 has everything */
    bool probing;            /* learning on this listing whether role= is honoured */
    bool owner_first_seen;   /* probing: the OWNER chain's first page is in */
    strlist owner_first_ids; /* probing: its ids, to tell a role-blind server (same page twice) */
    mps_solution **held;     /* probing: the PARTNER chain's first page, until OWNER's is in */
    size_t held_count;
    char *held_next;
    bool held_valid;
    /* Pages in a set order whatever order they come in: OWNER page 1, PARTNER page 1, OWNER
     * page 2... (a chain that has ended steps aside). A page waits here for its turn. */
    struct list_queue {
        struct queued_page {
            mps_solution **items;
            size_t n;
            bool no_partners;
        } * pages;
        size_t count;
    } queue[2];
    int turn;

    char *fields_asked; /* the fields= of the first request, to drop one the server lacks */
    bool alt_edge;      /* apps: asking /me/assigned_applications instead */

    /* The paging guard, one for every paged call of the op: pages already fetched (by link and
     * by cursor) and the budgets spent. A server whose paging never ends must not keep us
     * fetching forever. */
    strlist page_keys; /* owns the keys */
    strset page_seen;  /* borrows page_keys' strings */
    int pages_followed;
    size_t paged_items;
    size_t paged_bytes;
    bool paging_refused; /* the guard stopped the op: nothing fetched so far is complete */
};

/* ---- small pieces ---- */

struct graph_op_engine *graph_op_engine(graph_op *op)
{
    return &op->eng;
}

static graph_client *client_of(graph_op *op)
{
    return op->eng.client;
}

static const graph_parse_limits *limits_of(graph_op *op)
{
    return graph_client_limits(op->eng.client);
}

static void send_get_on(graph_op *op, int lane, phase ph, char *url)
{
    graph_call *next = &op->eng.lane[lane].next;
    graph_call_clear(next);
    *next = (graph_call){.post = false,
                         .idempotent = true,
                         .url = url,
                         .secret = op->kind == GRAPH_OP_BUSINESS_TOKEN};
    op->ph[lane] = ph;
}

/* The request goes out on the lane whose answer is being read (lane 0 when starting). */
static void send_get(graph_op *op, phase ph, char *url)
{
    send_get_on(op, op->eng.cur, ph, url);
}

static void send_post(graph_op *op, phase ph, char *url, char *form, bool idempotent)
{
    graph_call *next = &op->eng.lane[op->eng.cur].next;
    graph_call_clear(next);
    *next = (graph_call){.post = true, .idempotent = idempotent, .url = url, .form = form};
    op->ph[op->eng.cur] = ph;
}

/* A mutating POST with a JSON body (takes body; NULL sends none). */
static void send_post_json(graph_op *op, char *url, json_object *body)
{
    char *text = NULL;
    if (body) {
        text = mps_xstrdup(json_object_to_json_string_ext(
            body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(body);
    }
    send_post(op, PH_POST, url, text, false);
    op->eng.lane[op->eng.cur].next.json = text != NULL;
}

static void free_page(mps_solution **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        solution_free(items[i]);
    free(items);
}

/* Pages waiting for their turn. */
static void drop_queued(graph_op *op)
{
    for (int c = 0; c < 2; c++) {
        for (size_t i = 0; i < op->queue[c].count; i++)
            free_page(op->queue[c].pages[i].items, op->queue[c].pages[i].n);
        free(op->queue[c].pages);
        op->queue[c].pages = NULL;
        op->queue[c].count = 0;
    }
    op->turn = 0;
}

/* The PARTNER chain's first page held while learning whether role= is honoured. */
static void drop_held(graph_op *op)
{
    free_page(op->held, op->held_count);
    op->held = NULL;
    op->held_count = 0;
    free(op->held_next);
    op->held_next = NULL;
    op->held_valid = false;
}

static void free_pending(graph_op *op)
{
    for (size_t i = 0; i < op->pending_count; i++) {
        solution_free(op->pending[i]);
        if (op->pending_json)
            json_object_put(op->pending_json[i]);
    }
    free(op->pending);
    free(op->pending_json);
    op->pending = NULL;
    op->pending_json = NULL;
    op->pending_count = 0;
    for (size_t i = 0; i < op->solo_count; i++)
        free(op->solos[i].url);
    free(op->solos);
    op->solos = NULL;
    op->solo_count = 0;
    drop_held(op);
    drop_queued(op);
    strlist_clear(&op->owner_first_ids);
    free_page(op->ahead, op->ahead_count);
    op->ahead = NULL;
    op->ahead_count = 0;
    free(op->ahead_next);
    op->ahead_next = NULL;
    op->ahead_valid = false;
    op->in_partners = false;
}

void graph_op_finish(graph_op *op, const graph_error *err)
{
    if (op->done)
        return;
    op->done = true;
    if (err) {
        op->error = *err;
        graph_error_fill_hint(&op->error);
        /* an error read from any answer (even a 2xx one) must not hand the token back */
        const char *token = graph_client_token(op->eng.client);
        graph_scrub_secret(op->error.message, token);
        graph_scrub_secret(op->error.hint, token);
        graph_scrub_secret(op->error.fbtrace_id, token);
    } else {
        graph_error_clear(&op->error);
    }
    free_pending(op);
    for (int l = 0; l < GRAPH_LANES; l++)
        op->ph[l] = PH_NONE;
}

static void fail(graph_op *op, const graph_error *err)
{
    graph_op_finish(op, err);
}

static void succeed(graph_op *op)
{
    graph_op_finish(op, NULL);
}

static void fail_usage(graph_op *op, const char *what, const char *value)
{
    graph_error err;
    graph_error_set(&err, GRAPH_ERR_USAGE, "%s%s%s", what, value ? ": " : "", value ? value : "");
    fail(op, &err);
}

static void add_solutions(graph_op *op, mps_solution **items, size_t n)
{
    graph_result *r = &op->result;
    r->solutions = mps_xrealloc(r->solutions, (r->solution_count + n + 1) * sizeof *items);
    memcpy(r->solutions + r->solution_count, items, n * sizeof *items);
    r->solution_count += n;
}

static void set_single_solution(graph_op *op, mps_solution *s)
{
    graph_result *r = &op->result;
    for (size_t i = 0; i < r->solution_count; i++)
        solution_free(r->solutions[i]);
    r->solution_count = 0;
    add_solutions(op, &s, 1);
}

/* "fields=<escaped>&limit=100" plus more. */
static char *fields_query(const char *fields, bool paged)
{
    char *f = graph_url_escape(fields);
    char *q = paged ? graph_xasprintf("fields=%s&limit=%d", f, GRAPH_PAGE_LIMIT)
                    : graph_xasprintf("fields=%s", f);
    free(f);
    return q;
}

/* fields_query without the fields this server called nonexistent for this kind of op. */
static char *op_fields_query(graph_op *op, const char *fields, bool paged)
{
    strbuf kept = {0};
    char *copy = mps_xstrdup(fields);
    char *save = NULL;
    for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save))
        if (!graph_client_field_dropped(client_of(op), (int)op->kind, f))
            strbuf_addf(&kept, "%s%s", kept.len ? "," : "", f);
    free(copy);
    free(op->fields_asked);
    op->fields_asked = mps_xstrdup(kept.data ? kept.data : "id");
    strbuf_free(&kept, false);
    return fields_query(op->fields_asked, paged);
}

static char *edge_url(graph_op *op, const char *id, const char *edge, const char *query)
{
    char *path = edge ? graph_xasprintf("%s/%s", id, edge) : mps_xstrdup(id);
    char *url = graph_client_url(client_of(op), path, query);
    free(path);
    return url;
}

/* Remembers a page as fetched, by its link and by its cursor; false when either was already.
 * A list's cursor chains (and role passes) each have their own: role=OWNER and role=PARTNER
 * pages of the same path may carry the same cursor. */
static bool pager_mark(graph_op *op, const char *url, bool list_page)
{
    char *keys[2] = {graph_page_key(url, false), graph_page_key(url, true)};
    static const char *const kinds[2] = {"link ", "cursor "};
    char scope[24] = "-";
    if (list_page)
        snprintf(scope, sizeof scope, "%d.%d", op->eng.cur, op->role_pass);
    bool fresh = true;
    char *tagged[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        if (!keys[i])
            continue;
        tagged[i] = graph_xasprintf("%s%s %s", kinds[i], scope, keys[i]);
        if (strset_has(&op->page_seen, tagged[i]))
            fresh = false;
    }
    for (int i = 0; i < 2; i++) {
        if (fresh && tagged[i]) {
            strlist_push(&op->page_keys, tagged[i]);
            strset_add(&op->page_seen, op->page_keys.items[op->page_keys.count - 1]);
        }
        free(tagged[i]);
        free(keys[i]);
    }
    return fresh;
}

static void paging_error(graph_op *op, graph_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void paging_error(graph_op *op, graph_error *err, const char *fmt, ...)
{
    char what[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    graph_error_set(err, GRAPH_ERR_PROTOCOL,
                    "stopped paging after %d page%s: %s; what was fetched is incomplete and "
                    "is not shown as the list",
                    op->pages_followed + 1, op->pages_followed ? "s" : "", what);
    op->paging_refused = true;
}

/* The one gate every paging link of every op passes (lists, partner pages, WABAs...): same
 * origin, never a page or cursor already fetched, and within the page, item and byte budgets.
 * Takes next; returns the URL to send, or NULL with err filled. */
static char *pager_follow(graph_op *op, char *next, bool list_page, graph_error *err)
{
    graph_client *c = client_of(op);
    char *url = graph_client_next_url(c, next, err);
    free(next);
    if (!url) {
        op->paging_refused = true;
        return NULL;
    }
    if (!pager_mark(op, url, list_page))
        paging_error(op, err, "the server's next link leads back to a page already fetched");
    else if (op->pages_followed + 1 >= graph_client_max_pages(c))
        paging_error(op, err, "%d pages is the most one request may take",
                     graph_client_max_pages(c));
    else if (op->paged_items >= graph_client_max_items(c))
        paging_error(op, err, "%zu items is the most one request may take",
                     graph_client_max_items(c));
    else if (op->paged_bytes >= graph_client_max_paged_bytes(c))
        paging_error(op, err, "%zu MiB is the most one request may read",
                     graph_client_max_paged_bytes(c) >> 20);
    if (op->paging_refused) {
        free(url);
        return NULL;
    }
    op->pages_followed++;
    return url;
}

/* The first page of a paged edge: marked, so a link back to it is refused too. */
static bool is_list_phase(phase ph)
{
    return ph == PH_LIST_FULL || ph == PH_LIST_PLAIN;
}

static void send_first_page(graph_op *op, phase ph, char *url)
{
    pager_mark(op, url, is_list_phase(ph));
    send_get(op, ph, url);
}

/* Follows paging.next when present. Returns true when a request is out (or the op failed). */
static bool follow_next(graph_op *op, phase ph, char *next)
{
    if (!next)
        return false;
    graph_error err;
    char *url = pager_follow(op, next, is_list_phase(ph), &err);
    if (!url) {
        fail(op, &err);
        return true; /* finished: nothing more to do either */
    }
    send_get(op, ph, url);
    return true;
}

/* ---- fetching one solution, with the partners fallback ---- */

static void partners_start(graph_op *op);

static void fetch_solution(graph_op *op, fetched_fn then)
{
    op->then = then;
    /* a server that refused partners{} once is not asked again */
    bool full = !(graph_client_lacks(client_of(op)) & GRAPH_LACKS_PARTNERS_FIELD);
    if (!full)
        op->result.fallback_used = true;
    char *q = fields_query(full ? GRAPH_FIELDS_FULL : GRAPH_FIELDS_PLAIN, false);
    send_get(op, full ? PH_GET_FULL : PH_GET_PLAIN, edge_url(op, op->id, NULL, q));
    free(q);
}

/* The server refused an expanded field: code 100 ("Tried accessing nonexisting field").
 * Subcode 33 is "object does not exist": asking again with fewer fields cannot help. */
static bool expansion_refused(const graph_response *resp)
{
    return resp->err.code == 100 && resp->err.subcode != 33;
}

/* The server has no such field, edge or endpoint: Graph's 100 ("nonexisting field", not
 * subcode 33, "object does not exist") or 2500 ("unknown path components"), or a 404/405/501
 * that carries no Graph error at all (a route the server does not have). Nothing else: a
 * token, permission, rate or transient failure says nothing about what the server has. */
static bool absent(const graph_response *resp)
{
    if (!resp->answered || resp->transport_failed)
        return false;
    if (resp->err.code == 100)
        return resp->err.subcode != 33;
    if (resp->err.code == 2500)
        return true;
    return resp->err.code == 0 &&
           (resp->status == 404 || resp->status == 405 || resp->status == 501);
}

static void on_get_full(graph_op *op, const graph_response *resp)
{
    if (resp->err.cls != GRAPH_OK) {
        if (expansion_refused(resp)) {
            op->result.fallback_used = true;
            graph_client_learn(client_of(op), GRAPH_LACKS_PARTNERS_FIELD);
            char *q = fields_query(GRAPH_FIELDS_PLAIN, false);
            send_get(op, PH_GET_PLAIN, edge_url(op, op->id, NULL, q));
            free(q);
            return;
        }
        op->then(op, NULL, &resp->err);
        return;
    }
    mps_solution *s;
    graph_error err;
    if (!graph_parse_solution(resp->body, resp->len, limits_of(op), &s, &err))
        op->then(op, NULL, &err);
    else
        op->then(op, s, NULL);
}

static void on_get_plain(graph_op *op, const graph_response *resp)
{
    if (resp->err.cls != GRAPH_OK) {
        op->then(op, NULL, &resp->err);
        return;
    }
    mps_solution *s;
    graph_error err;
    if (!graph_parse_solution(resp->body, resp->len, limits_of(op), &s, &err)) {
        op->then(op, NULL, &err);
        return;
    }
    op->pending = mps_xmalloc(sizeof *op->pending);
    op->pending[0] = s;
    op->pending_count = 1;
    partners_start(op);
}

/* ---- partners fallback: batches of 50, single GETs for what a batch did not give ---- */

static void partners_failed(graph_op *op, const graph_error *err)
{
    if (op->kind == GRAPH_OP_LIST_SOLUTIONS) {
        fail(op, err);
        return;
    }
    free_pending(op);
    op->then(op, NULL, err);
}

static void solo_push(graph_op *op, size_t index, char *url, bool front)
{
    op->solos = mps_xrealloc(op->solos, (op->solo_count + 1) * sizeof *op->solos);
    if (front) {
        memmove(&op->solos[1], &op->solos[0], op->solo_count * sizeof *op->solos);
        op->solos[0] = (solo){index, url};
    } else {
        op->solos[op->solo_count] = (solo){index, url};
    }
    op->solo_count++;
}

static char *partners_query(void)
{
    return fields_query(GRAPH_FIELDS_PARTNER, true);
}

static void partners_done(graph_op *op);

/* The lanes partner requests go out on: a list keeps lane 0 for its next page, so the partners
 * of one page come in while the next page is on its way; other ops have one lane. */
static void partner_lanes(const graph_op *op, int *lo, int *hi)
{
    *lo = op->kind == GRAPH_OP_LIST_SOLUTIONS ? 1 : 0;
    *hi = op->kind == GRAPH_OP_LIST_SOLUTIONS ? GRAPH_LANES : 1;
}

static bool partners_busy(const graph_op *op)
{
    int lo, hi;
    partner_lanes(op, &lo, &hi);
    for (int l = lo; l < hi; l++)
        if (op->ph[l] == PH_BATCH || op->ph[l] == PH_SOLO)
            return true;
    return false;
}

/* Sends the next partner request on the current lane: a solution's page alone, else a batch of
 * up to 50. False when nothing is left to ask. */
static bool partners_send_next(graph_op *op)
{
    int lane = op->eng.cur;
    for (;;) {
        if (op->solo_count) {
            solo next = op->solos[0];
            memmove(&op->solos[0], &op->solos[1], (op->solo_count - 1) * sizeof *op->solos);
            op->solo_count--;
            op->solo_current[lane] = next.index;
            if (next.url) {
                send_get(op, PH_SOLO, next.url);
            } else {
                char *q = partners_query();
                send_first_page(op, PH_SOLO,
                                edge_url(op, op->pending[next.index]->id, "partners", q));
                free(q);
            }
            return true;
        }
        if (op->batch_pos >= op->pending_count)
            return false;
        if (graph_client_lacks(client_of(op)) & GRAPH_LACKS_BATCH) {
            while (op->batch_pos < op->pending_count) {
                size_t i = op->batch_pos++;
                if (graph_path_segment_ok(op->pending[i]->id))
                    solo_push(op, i, NULL, false);
            }
            continue;
        }
        json_object *arr = json_object_new_array();
        char *q = partners_query();
        size_t *idx = op->batch_idx[lane];
        size_t len = 0;
        while (op->batch_pos < op->pending_count && len < GRAPH_BATCH_MAX) {
            size_t i = op->batch_pos++;
            const char *id = op->pending[i]->id;
            if (!graph_path_segment_ok(id))
                continue; /* cannot be asked about safely; shown without partners */
            json_object *item = json_object_new_object();
            json_object_object_add(item, "method", json_object_new_string("GET"));
            char *rel =
                graph_xasprintf("%s/%s/partners?%s", graph_client_version(client_of(op)), id, q);
            json_object_object_add(item, "relative_url", json_object_new_string(rel));
            free(rel);
            json_object_array_add(arr, item);
            idx[len++] = i;
        }
        free(q);
        op->batch_len[lane] = len;
        if (len) {
            const char *text = json_object_to_json_string_ext(
                arr, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
            char *esc = graph_url_escape(text);
            char *form = graph_xasprintf("include_headers=false&batch=%s", esc);
            free(esc);
            json_object_put(arr);
            /* A batch of GETs reads only: safe to retry like a GET. */
            send_post(op, PH_BATCH, graph_client_root_url(client_of(op)), form, true);
            return true;
        }
        json_object_put(arr);
    }
}

/* Keeps every partner lane busy while something is left to ask (the batches of a page go out at
 * once); once nothing is out and nothing left, the partners are in. */
static void partners_continue(graph_op *op)
{
    int lo, hi, saved = op->eng.cur;
    partner_lanes(op, &lo, &hi);
    for (int l = lo; l < hi; l++) {
        if (op->ph[l] != PH_NONE)
            continue;
        /* Until one has worked, one at a time: a server without batch or the partners edge
         * answers the first with what it lacks, and the rest would be wasted. */
        if (!op->partners_proven && partners_busy(op))
            break;
        op->eng.cur = l;
        bool sent = partners_send_next(op);
        op->eng.cur = saved;
        if (!sent)
            break;
    }
    if (!partners_busy(op))
        partners_done(op);
}

static void partners_unavailable(graph_op *op);

static void partners_start(graph_op *op)
{
    if (graph_client_lacks(client_of(op)) & GRAPH_LACKS_PARTNERS_EDGE) {
        partners_unavailable(op);
        return;
    }
    op->pending_json =
        mps_xmalloc((op->pending_count ? op->pending_count : 1) * sizeof *op->pending_json);
    for (size_t i = 0; i < op->pending_count; i++)
        op->pending_json[i] = json_object_new_array();
    op->batch_pos = 0;
    if (op->pending_count == 1) { /* one solution: a plain GET beats a batch of one */
        op->batch_pos = 1;
        if (graph_path_segment_ok(op->pending[0]->id))
            solo_push(op, 0, NULL, false);
    }
    partners_continue(op);
}

/* Adds one page of partners (a parsed root) to pending[index]. On a next link, queues it. */
static bool take_partner_page(graph_op *op, size_t index, json_object *root, graph_error *err)
{
    mps_solution *s = op->pending[index];
    json_object *data = NULL;
    char *next = NULL;
    size_t before = s->partner_count;
    if (!graph_partner_page_from_json(root, &s->partners, &s->partner_count, &next, &data, err))
        return false;
    op->paged_items += s->partner_count - before;
    size_t n = json_object_array_length(data);
    for (size_t i = 0; i < n; i++) {
        json_object *p = json_object_array_get_idx(data, i);
        if (json_object_is_type(p, json_type_object))
            json_object_array_add(op->pending_json[index], json_object_get(p));
    }
    json_object_put(data);
    if (next) {
        char *url = pager_follow(op, next, false, err);
        if (!url)
            return false;
        solo_push(op, index, url, true);
    }
    return true;
}

static void on_batch(graph_op *op, const graph_response *resp)
{
    if (resp->err.cls != GRAPH_OK) {
        if (!absent(resp)) {
            partners_failed(op, &resp->err);
            return;
        }
        /* no batch here: ask for each solution's partners alone, now and from now on */
        graph_client_learn(client_of(op), GRAPH_LACKS_BATCH);
        for (size_t k = 0; k < op->batch_len[op->eng.cur]; k++)
            solo_push(op, op->batch_idx[op->eng.cur][k], NULL, false);
        op->batch_len[op->eng.cur] = 0;
        partners_continue(op);
        return;
    }
    graph_error err;
    json_object *root = graph_json_value(resp->body, resp->len, limits_of(op), resp->status, &err);
    if (!root || !json_object_is_type(root, json_type_array)) {
        if (root)
            graph_error_set(&err, GRAPH_ERR_PROTOCOL, "the batch answer is not a list");
        json_object_put(root);
        partners_failed(op, &err);
        return;
    }
    op->partners_proven = true;
    size_t n = json_object_array_length(root);
    size_t len = op->batch_len[op->eng.cur];
    op->batch_len[op->eng.cur] = 0;
    for (size_t k = 0; k < len; k++) {
        size_t index = op->batch_idx[op->eng.cur][k];
        json_object *item = k < n ? json_object_array_get_idx(root, k) : NULL;
        json_object *code, *body;
        bool ok = item && json_object_is_type(item, json_type_object) &&
                  json_object_object_get_ex(item, "code", &code) &&
                  json_object_is_type(code, json_type_int) && json_object_get_int(code) >= 200 &&
                  json_object_get_int(code) < 300 &&
                  json_object_object_get_ex(item, "body", &body) &&
                  json_object_is_type(body, json_type_string);
        if (ok) {
            json_object *page = graph_json_root(json_object_get_string(body),
                                                (size_t)json_object_get_string_len(body),
                                                limits_of(op), json_object_get_int(code), &err);
            ok = page && take_partner_page(op, index, page, &err);
            json_object_put(page);
            if (op->paging_refused) { /* asking alone would only meet the same links */
                json_object_put(root);
                partners_failed(op, &err);
                return;
            }
        }
        /* A null item (timed out inside the batch) or a failed one: ask for it alone. */
        if (!ok)
            solo_push(op, index, NULL, false);
    }
    json_object_put(root);
    partners_continue(op);
}

static void on_solo(graph_op *op, const graph_response *resp)
{
    if (resp->err.cls != GRAPH_OK) {
        if (absent(resp)) {
            graph_client_learn(client_of(op), GRAPH_LACKS_PARTNERS_EDGE);
            partners_unavailable(op);
        } else {
            partners_failed(op, &resp->err);
        }
        return;
    }
    graph_error err;
    json_object *root = graph_json_root(resp->body, resp->len, limits_of(op), resp->status, &err);
    if (!root || !take_partner_page(op, op->solo_current[op->eng.cur], root, &err)) {
        json_object_put(root);
        partners_failed(op, &err);
        return;
    }
    op->partners_proven = true;
    json_object_put(root);
    partners_continue(op);
}

static void list_deliver(graph_op *op, mps_solution **items, size_t n, bool no_partners);
static void list_page_settled(graph_op *op);

static void partners_done(graph_op *op)
{
    for (size_t i = 0; i < op->pending_count; i++) {
        mps_solution *s = op->pending[i];
        s->has_partners = graph_path_segment_ok(s->id);
        if (s->has_partners)
            graph_solution_merge_partners(s, op->pending_json[i]);
        json_object_put(op->pending_json[i]);
    }
    free(op->pending_json);
    op->pending_json = NULL;
    mps_solution **got = op->pending;
    size_t n = op->pending_count;
    op->pending = NULL;
    op->pending_count = 0;
    if (op->kind == GRAPH_OP_LIST_SOLUTIONS) {
        list_deliver(op, got, n, false);
        free(got);
        list_page_settled(op);
        return;
    }
    mps_solution *s = n ? got[0] : NULL;
    free(got);
    op->then(op, s, NULL);
}

/* ---- the list ---- */

/* The role= the current list request asks for: the caller's, or the role pass's. */
static const char *list_role(const graph_op *op)
{
    if (op->role)
        return op->role;
    if (op->role_mode)
        return op->role_pass == 0 ? "OWNER" : "PARTNER";
    return NULL;
}

/* The role= a list chain asks for: with two chains lane 0 asks for OWNER and lane 1 for
 * PARTNER; one chain asks for what list_role says. */
static const char *chain_role_of(const graph_op *op, int lane)
{
    static const char *const roles[2] = {"OWNER", "PARTNER"};
    if (op->chains == 2 && lane >= 0 && lane < 2)
        return roles[lane];
    return list_role(op);
}

/* Starts the listing (again) from its first page. Two cursor chains at once (role=OWNER and
 * role=PARTNER) where the server honours role= or has not shown yet whether it does, and where
 * pages need no partners fetched apart; else one. Whatever the op had out on other lanes stops:
 * a restart begins from nothing delivered. */
static void send_list_page(graph_op *op, bool full)
{
    for (int l = 0; l < GRAPH_LANES; l++)
        if (l != op->eng.cur) {
            graph_client_drop_lane(op, l);
            op->ph[l] = PH_NONE;
        }
    int split = graph_client_role_split(client_of(op));
    bool two = !op->role && split != 0 && (full || (op->role_mode && op->role_pass == 0));
    op->chains = two ? 2 : 1;
    op->chain_done[0] = op->chain_done[1] = false;
    op->probing = two && split < 0;
    op->owner_first_seen = false;
    strlist_clear(&op->owner_first_ids);
    drop_held(op);
    drop_queued(op);
    int saved = op->eng.cur;
    char *q = fields_query(full ? GRAPH_FIELDS_FULL : GRAPH_FIELDS_PLAIN, true);
    /* OWNER first: it is the first request on the connection, so its page comes after the
     * handshake and one round trip; PARTNER multiplexes beside it where HTTP/2 allows. */
    for (int c = 0; c < op->chains; c++) {
        const char *role = chain_role_of(op, c);
        char *q2 = role ? graph_xasprintf("%s&role=%s", q, role) : mps_xstrdup(q);
        op->eng.cur = c;
        send_first_page(op, full ? PH_LIST_FULL : PH_LIST_PLAIN,
                        edge_url(op, op->id, "whatsapp_business_solutions", q2));
        free(q2);
    }
    free(q);
    op->eng.cur = saved;
}

/* Solutions from a role= listing know their role from it. */
static void tag_listed(const graph_op *op, int lane, mps_solution **items, size_t n)
{
    const char *role = chain_role_of(op, lane);
    mps_role r = !role ? ROLE_UNKNOWN : strcmp(role, "OWNER") == 0 ? ROLE_OWNER : ROLE_PARTNER;
    for (size_t i = 0; i < n; i++)
        items[i]->listed_role = r;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The PARTNER listing of a server that ignored role= would repeat the OWNER one. */
static bool listed_as_owner(const graph_op *op, const char *id)
{
    if (!op->role_mode || op->role_pass == 0 || !id || !op->owner_ids.count)
        return false;
    return bsearch(&id, op->owner_ids.items, op->owner_ids.count, sizeof(char *), cmp_str) != NULL;
}

/* Adds a page to the result (takes the solutions, not the array). A server without partners
 * data: marked so, and in a PARTNER pass after the OWNER one, repeats of it skipped. */
static void list_deliver(graph_op *op, mps_solution **items, size_t n, bool no_partners)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        mps_solution *s = items[i];
        if (listed_as_owner(op, s->id)) {
            solution_free(s);
            continue;
        }
        if (no_partners) {
            s->partners_unavailable = true;
            s->has_partners = false;
        }
        if (op->role_mode && op->role_pass == 0 && op->chains == 1 && s->id)
            strlist_push(&op->owner_ids, s->id);
        items[kept++] = s;
    }
    add_solutions(op, items, kept);
    op->eng.page_ready = true;
    op->list_delivered = true;
}

/* Queues a chain's page (takes items); list_flush delivers it in its turn. */
static void list_queue(graph_op *op, int chain, mps_solution **items, size_t n, bool no_partners)
{
    struct list_queue *q = &op->queue[chain];
    q->pages = mps_xrealloc(q->pages, (q->count + 1) * sizeof *q->pages);
    q->pages[q->count++] = (struct queued_page){items, n, no_partners};
}

/* Delivers the queued pages whose turn it is: the chains take turns page by page, so the list
 * comes in the same order however the answers race; a chain that has ended steps aside. */
static void list_flush(graph_op *op)
{
    for (;;) {
        int c = op->turn, o = 1 - c;
        bool other_live = op->chains == 2 && (op->queue[o].count || !op->chain_done[o]);
        struct list_queue *q = &op->queue[c];
        if (q->count) {
            struct queued_page pg = q->pages[0];
            memmove(&q->pages[0], &q->pages[1], (q->count - 1) * sizeof *q->pages);
            q->count--;
            list_deliver(op, pg.items, pg.n, pg.no_partners);
            free(pg.items);
            if (other_live)
                op->turn = o;
            continue;
        }
        if (op->chain_done[c] && other_live) {
            op->turn = o;
            continue;
        }
        return;
    }
}

/* Every chain has ended: the listing is complete, or (one chain of a server without partners
 * data) the PARTNER pass follows the OWNER one. */
static void list_chains_check(graph_op *op)
{
    if (op->done || !op->chain_done[0] || (op->chains == 2 && !op->chain_done[1]))
        return;
    if (op->role_mode && op->chains == 1 && op->role_pass == 0 && !op->role_blind) {
        qsort(op->owner_ids.items, op->owner_ids.count, sizeof(char *), cmp_str);
        op->role_pass = 1;
        op->eng.cur = 0;
        send_list_page(op, false);
        return;
    }
    succeed(op);
}

/* This chain's next page through the paging guard, or its end. Takes next. */
static void chain_follow(graph_op *op, int chain, phase ph, char *next)
{
    /* The pages already here go out first: a next link the paging guard refuses ends the op,
     * and what was fetched before it is still written (and said to be partial). */
    list_flush(op);
    int saved = op->eng.cur;
    op->eng.cur = chain;
    bool more = follow_next(op, ph, next);
    op->eng.cur = saved;
    if (op->done)
        return;
    if (!more)
        op->chain_done[chain] = true;
    list_flush(op);
    list_chains_check(op);
}

/* The PARTNER chain ends here: the server answers role= with every solution, which the OWNER
 * chain (lane 0) lists alone from now on; the client lists with one chain from now on. */
static void list_role_blind(graph_op *op)
{
    graph_client_set_role_split(client_of(op), 0);
    op->probing = false;
    op->role_blind = true;
    op->chains = 1;
    op->chain_done[1] = true;
    op->turn = 0;
    if (op->eng.cur != 1)
        graph_client_drop_lane(op, 1);
    op->ph[1] = PH_NONE;
    drop_held(op);
}

static bool owned_by(const mps_solution *s, const char *app_id)
{
    return s->owner_app.id && app_id && strcmp(s->owner_app.id, app_id) == 0;
}

/* Whether a chain's page fits its role: OWNER pages hold only our solutions, PARTNER pages
 * none of them and none of the OWNER chain's first page. Solutions without owner data pass. */
static bool page_fits_role(graph_op *op, int chain, mps_solution **items, size_t n)
{
    const char *me = graph_client_app_id(client_of(op));
    for (size_t i = 0; i < n; i++) {
        const mps_solution *s = items[i];
        if (chain == 0 && s->owner_app.id && !owned_by(s, me))
            return false;
        if (chain == 1 && (owned_by(s, me) || strlist_contains(&op->owner_first_ids, s->id)))
            return false;
    }
    return true;
}

/* One page of a chain (takes items and next): while the client learns whether role= is
 * honoured, checked against the other chain's first page (the PARTNER one held until the
 * OWNER one is in); then delivered, and the chain's next page asked for. */
static void list_take_page(graph_op *op, mps_solution **items, size_t n, char *next, phase ph)
{
    int chain = op->eng.cur;
    bool no_partners = ph == PH_LIST_PLAIN;
    if (op->probing && !page_fits_role(op, chain, items, n)) {
        /* role= is not honoured: the OWNER chain is the whole list, the PARTNER one repeats it */
        list_role_blind(op);
        tag_listed(op, 0, items, n);
        if (chain == 1) {
            free_page(items, n);
            free(next);
            list_flush(op);
            list_chains_check(op);
            return;
        }
    } else if (op->probing && chain == 1 && !op->owner_first_seen) {
        op->held = items; /* until the OWNER chain's first page can vouch for it */
        op->held_count = n;
        op->held_next = next;
        op->held_valid = true;
        return;
    } else if (op->probing && chain == 0) {
        op->owner_first_seen = true;
        for (size_t i = 0; i < n; i++)
            if (items[i]->id)
                strlist_push(&op->owner_first_ids, items[i]->id);
        if (op->held_valid && !page_fits_role(op, 1, op->held, op->held_count)) {
            list_role_blind(op);
            tag_listed(op, 0, items, n);
        } else if (op->held_valid) {
            if (n || op->held_count) /* both first pages fit: role= is honoured */
                graph_client_set_role_split(client_of(op), 1);
            op->probing = false;
            mps_solution **held = op->held;
            size_t held_n = op->held_count;
            char *held_next = op->held_next;
            op->held = NULL;
            op->held_count = 0;
            op->held_next = NULL;
            op->held_valid = false;
            list_queue(op, 0, items, n, no_partners);
            list_queue(op, 1, held, held_n, no_partners);
            chain_follow(op, 1, ph, held_next);
            if (!op->done)
                chain_follow(op, 0, ph, next);
            else
                free(next);
            return;
        }
    } else if (op->probing && chain == 1) {
        if (n || op->owner_first_ids.count)
            graph_client_set_role_split(client_of(op), 1);
        op->probing = false;
    }
    list_queue(op, chain, items, n, no_partners);
    chain_follow(op, chain, ph, next);
}

/* Parses a list page into items and next; false after failing the op. */
static bool list_parse(graph_op *op, const graph_response *resp, mps_solution ***items, size_t *n,
                       char **next)
{
    graph_error err;
    *items = NULL;
    *n = 0;
    *next = NULL;
    if (!graph_parse_solution_page(resp->body, resp->len, limits_of(op), items, n, next, &err)) {
        free_page(*items, *n);
        fail(op, &err);
        return false;
    }
    tag_listed(op, op->eng.cur, *items, *n);
    op->paged_items += *n;
    op->result.pages++;
    return true;
}

/* The server has neither partners{} nor the /partners edge (learned just now or before):
 * what it gave is delivered without partners, marked so. A list that learned it on its first
 * page starts over as role= listings, since roles can come only from those. */
static void partners_unavailable(graph_op *op)
{
    for (size_t i = 0; i < op->solo_count; i++)
        free(op->solos[i].url);
    free(op->solos);
    op->solos = NULL;
    op->solo_count = 0;
    if (op->pending_json) {
        for (size_t i = 0; i < op->pending_count; i++)
            json_object_put(op->pending_json[i]);
        free(op->pending_json);
        op->pending_json = NULL;
    }
    if (op->kind == GRAPH_OP_LIST_SOLUTIONS) {
        if (!op->role && !op->role_mode && !op->list_delivered) {
            free_pending(op);
            op->role_mode = true;
            op->role_pass = 0;
            op->result.pages = 0;
            send_list_page(op, false);
            return;
        }
        /* the other partner requests of this page can tell nothing more */
        int lo, hi;
        partner_lanes(op, &lo, &hi);
        for (int l = lo; l < hi; l++)
            if (l != op->eng.cur && (op->ph[l] == PH_BATCH || op->ph[l] == PH_SOLO)) {
                graph_client_drop_lane(op, l);
                op->ph[l] = PH_NONE;
            }
        mps_solution **items = op->pending;
        size_t n = op->pending_count;
        op->pending = NULL;
        op->pending_count = 0;
        list_deliver(op, items, n, true);
        free(items);
        list_page_settled(op);
        return;
    }
    mps_solution *s = op->pending_count ? op->pending[0] : NULL;
    for (size_t i = 1; i < op->pending_count; i++)
        solution_free(op->pending[i]);
    free(op->pending);
    op->pending = NULL;
    op->pending_count = 0;
    if (s) {
        s->partners_unavailable = true;
        s->has_partners = false;
    }
    op->then(op, s, NULL);
}

/* A page of the fallback list (takes items and next): its next page asked for at once, on lane
 * 0, while its partners are fetched on the other lanes. */
static void list_page_begin(graph_op *op, mps_solution **items, size_t n, char *next)
{
    op->pending = items;
    op->pending_count = n;
    op->in_partners = true;
    int saved = op->eng.cur;
    op->eng.cur = 0;
    follow_next(op, PH_LIST_PLAIN, next);
    op->eng.cur = saved;
    if (!op->done)
        partners_start(op);
}

/* A fallback page is delivered: the next one, if it came meanwhile, gets its partners; else
 * the listing waits for it, or is complete. */
static void list_page_settled(graph_op *op)
{
    op->in_partners = false;
    if (op->ahead_valid) {
        mps_solution **items = op->ahead;
        size_t n = op->ahead_count;
        char *next = op->ahead_next;
        op->ahead = NULL;
        op->ahead_count = 0;
        op->ahead_next = NULL;
        op->ahead_valid = false;
        list_page_begin(op, items, n, next);
        return;
    }
    if (op->ph[0] == PH_LIST_PLAIN)
        return; /* the next page is on its way */
    succeed(op);
}

static void on_list_full(graph_op *op, const graph_response *resp)
{
    if (resp->err.cls != GRAPH_OK) {
        if (expansion_refused(resp) && op->result.solution_count == 0) {
            op->result.pages = 0;
            op->result.fallback_used = true;
            graph_client_learn(client_of(op), GRAPH_LACKS_PARTNERS_FIELD);
            send_list_page(op, false);
            return;
        }
        fail(op, &resp->err);
        return;
    }
    mps_solution **items;
    size_t n;
    char *next;
    if (!list_parse(op, resp, &items, &n, &next))
        return;
    /* A server that ignores `fields` (as a mock of Meta's OpenAPI file does) answers without
     * partners instead of refusing them: every solution has its invited partner, so a first
     * page with solutions where none carries partners is learnt as a refusal would be. */
    bool any_partners = false;
    for (size_t i = 0; i < n && !any_partners; i++)
        any_partners = items[i]->has_partners;
    if (op->result.solution_count == 0 && n > 0 && !any_partners) {
        free_page(items, n);
        free(next);
        op->result.pages = 0;
        op->result.fallback_used = true;
        graph_client_learn(client_of(op), GRAPH_LACKS_PARTNERS_FIELD);
        send_list_page(op, false);
        return;
    }
    list_take_page(op, items, n, next, PH_LIST_FULL);
}

static void on_list_plain(graph_op *op, const graph_response *resp)
{
    if (resp->err.cls != GRAPH_OK) {
        fail(op, &resp->err);
        return;
    }
    mps_solution **items;
    size_t n;
    char *next;
    if (!list_parse(op, resp, &items, &n, &next))
        return;
    if (op->role_mode) {
        list_take_page(op, items, n, next, PH_LIST_PLAIN);
        return;
    }
    if (op->in_partners) { /* the last page's partners are still coming in */
        op->ahead = items;
        op->ahead_count = n;
        op->ahead_next = next;
        op->ahead_valid = true;
        return;
    }
    list_page_begin(op, items, n, next);
}

/* ---- other lists and single answers ---- */

typedef void (*begin_fn)(graph_op *op);
#define OP_KIND_COUNT (GRAPH_OP_RAW + 1)
static const begin_fn begin_table[OP_KIND_COUNT];

/* A field the server calls nonexistent (code 100, "nonexisting field (NAME)") is dropped from
 * the call, remembered for the client, and the call made again without it, once per field. */
static bool retry_without_field(graph_op *op, const graph_response *resp)
{
    static const char marker[] = "nonexisting field (";
    if (resp->err.code != 100 || op->result.pages || !op->fields_asked)
        return false;
    const char *m = strstr(resp->err.message, marker);
    if (!m)
        return false;
    m += sizeof marker - 1;
    size_t n = strcspn(m, ")");
    char field[64];
    if (!n || n >= sizeof field)
        return false;
    memcpy(field, m, n);
    field[n] = '\0';
    bool asked = false;
    char *copy = mps_xstrdup(op->fields_asked);
    char *save = NULL;
    for (char *f = strtok_r(copy, ",", &save); f && !asked; f = strtok_r(NULL, ",", &save))
        asked = strcmp(f, field) == 0;
    free(copy);
    if (!asked || strcmp(field, "id") == 0 ||
        graph_client_field_dropped(client_of(op), (int)op->kind, field))
        return false;
    graph_client_drop_field(client_of(op), (int)op->kind, field);
    begin_table[op->kind](op);
    return true;
}

static void no_partners_data(graph_op *op)
{
    graph_error err;
    graph_error_set(&err, GRAPH_ERR_API,
                    "no partners data from this server (it has no "
                    "/<SOLUTION_ID>/partners edge)");
    op->result.partners_unavailable = true;
    fail(op, &err);
}

static void on_paged(graph_op *op, const graph_response *resp)
{
    if (resp->err.cls != GRAPH_OK) {
        if (retry_without_field(op, resp))
            return;
        if (op->kind == GRAPH_OP_APP_DETAILS && op->result.pages == 0 && absent(resp)) {
            if (!op->alt_edge) { /* no application_details here: the apps assigned instead */
                graph_client_learn(client_of(op), GRAPH_LACKS_APP_DETAILS);
                begin_table[op->kind](op);
                return;
            }
            graph_error err;
            graph_error_set(&err, GRAPH_ERR_API,
                            "this server has neither /me/application_details nor "
                            "/me/assigned_applications");
            err.http_status = resp->status;
            fail(op, &err);
            return;
        }
        if (op->kind == GRAPH_OP_PARTNERS && op->result.pages == 0 && absent(resp)) {
            graph_client_learn(client_of(op), GRAPH_LACKS_PARTNERS_EDGE);
            no_partners_data(op);
            return;
        }
        fail(op, &resp->err);
        return;
    }
    graph_result *r = &op->result;
    const graph_parse_limits *lim = limits_of(op);
    graph_error err;
    char *next = NULL;
    bool ok = false;
    size_t before = r->partner_count + r->waba_count + r->solution_count + r->app_count;
    switch (op->kind) {
    case GRAPH_OP_PARTNERS:
        ok = graph_parse_partner_page(resp->body, resp->len, lim, &r->partners, &r->partner_count,
                                      &next, &err);
        break;
    case GRAPH_OP_CLIENT_WABAS:
        ok = graph_parse_waba_page(resp->body, resp->len, lim, &r->wabas, &r->waba_count, &next,
                                   &err);
        break;
    case GRAPH_OP_WABA_SOLUTIONS:
        ok = graph_parse_solution_page(resp->body, resp->len, lim, &r->solutions,
                                       &r->solution_count, &next, &err);
        op->eng.page_ready = ok;
        break;
    case GRAPH_OP_APP_DETAILS:
        ok = graph_parse_app_page(resp->body, resp->len, lim, &r->apps, &r->app_count, &next, &err);
        break;
    default:
        graph_error_set(&err, GRAPH_ERR_USAGE, "not a paged operation");
        break;
    }
    if (!ok) {
        fail(op, &err);
        return;
    }
    op->paged_items += r->partner_count + r->waba_count + r->solution_count + r->app_count - before;
    r->pages++;
    if (!follow_next(op, PH_PAGED, next))
        succeed(op);
}

static void on_single(graph_op *op, const graph_response *resp)
{
    if (resp->err.cls != GRAPH_OK) {
        if (retry_without_field(op, resp))
            return;
        fail(op, &resp->err);
        return;
    }
    graph_result *r = &op->result;
    graph_error err;
    bool ok;
    if (op->kind == GRAPH_OP_BUSINESS_TOKEN) {
        ok = graph_parse_token(resp->body, resp->len, limits_of(op), &r->token,
                               &r->token_expires_at, &err);
    } else {
        mps_app app;
        ok = graph_parse_app(resp->body, resp->len, limits_of(op), &app, &err);
        if (ok) {
            r->apps = mps_xmalloc(sizeof *r->apps);
            r->apps[0] = app;
            r->app_count = 1;
        }
    }
    if (ok)
        succeed(op);
    else
        fail(op, &err);
}

/* ---- actions and create ---- */

static void then_get(graph_op *op, mps_solution *s, const graph_error *err)
{
    if (!s) {
        fail(op, err);
        return;
    }
    set_single_solution(op, s);
    succeed(op);
}

/* After a POST that worked: show the new state; a failed read does not undo the success. */
static void then_after(graph_op *op, mps_solution *s, const graph_error *err)
{
    (void)err;
    if (s)
        set_single_solution(op, s);
    succeed(op);
}

/* After a POST whose answer never came: report what the server holds, and the unknown. */
static void then_reconcile(graph_op *op, mps_solution *s, const graph_error *err)
{
    graph_error out = op->saved;
    out.outcome_unknown = true;
    if (s) {
        set_single_solution(op, s);
        snprintf(out.hint, sizeof out.hint,
                 "the request may or may not have been applied: the solution was read back and "
                 "is shown as the server now holds it; do not resend blindly");
    } else {
        char *hint = graph_xasprintf("the request may or may not have been applied, and reading "
                                     "the solution back failed too (%s): refresh before trying "
                                     "again",
                                     err ? err->message : "unknown");
        graph_copy_text(out.hint, sizeof out.hint, hint);
        free(hint);
    }
    fail(op, &out);
}

/* The body Meta's OpenAPI description requires for an action. The guides send none, and a
 * server of theirs ignores parameters it does not use, so every server gets this body: one POST
 * that either kind accepts (man page, "Requests"). NULL: the action takes no body. */
static json_object *action_body(graph_op *op)
{
    const char *app = graph_client_app_id(client_of(op));
    json_object *b = NULL;
    switch (op->action) {
    case ACTION_ACCEPT: /* the accepting (invited) app: ours */
        b = json_object_new_object();
        if (app)
            json_object_object_add(b, "partner_app_id", json_object_new_string(app));
        break;
    case ACTION_REJECT:
        b = json_object_new_object();
        json_object_object_add(b, "request_type", json_object_new_string("PARTNERSHIP_REQUEST"));
        if (app)
            json_object_object_add(b, "partner_app_id", json_object_new_string(app));
        if (op->reason)
            json_object_object_add(b, "rejection_reason", json_object_new_string(op->reason));
        break;
    case ACTION_REJECT_DEACTIVATION:
        b = json_object_new_object();
        json_object_object_add(b, "reject_deactivation_request", json_object_new_boolean(1));
        break;
    default:
        break;
    }
    return b;
}

static void post_action(graph_op *op)
{
    const action_info *info = action_get(op->action);
    send_post_json(op, edge_url(op, op->id, info->endpoint, NULL), action_body(op));
}

static void then_recheck(graph_op *op, mps_solution *now, const graph_error *err)
{
    if (!now) {
        fail(op, err);
        return;
    }
    char changes[2048] = "";
    if (solution_diff(op->expected, now, changes, sizeof changes)) {
        op->result.changes = mps_xstrdup(changes);
        set_single_solution(op, now);
        graph_error e;
        graph_error_set(&e, GRAPH_ERR_CHANGED, "not sent: the solution changed since it was shown");
        fail(op, &e);
        return;
    }
    solution_free(now);
    post_action(op);
}

/* Whether a failed POST may still have been applied by the server. */
static bool outcome_unknown(const graph_response *resp)
{
    if (resp->err.cls == GRAPH_OK)
        return false;
    if (resp->transport_failed) /* no complete answer: did the request leave us? */
        return resp->request_sent;
    /* A 5xx (a gateway, or a backend that failed after acting, Graph error body or not) or a
     * 3xx (never followed) says nothing certain about the change: read it back. */
    return resp->status >= 500 || (resp->status >= 300 && resp->status < 400);
}

/* A permission refusal of an action (#10, #200-#299) most often means the wrong side asked
 * (the partner requesting deactivation), not a missing grant: when the actions table says this
 * app's role may not do it, the hint says who may instead of "grant a permission". */
static void fit_refusal_to_action(graph_op *op, graph_error *err)
{
    if (err->cls != GRAPH_ERR_PERMISSION || !op->expected)
        return;
    mps_role role = solution_role(op->expected, graph_client_app_id(client_of(op)));
    const char *why_not = NULL;
    if (role == ROLE_UNKNOWN ||
        action_offered(op->action, solution_state(op->expected), role, &why_not) || !why_not)
        return;
    graph_copy_text(err->hint, sizeof err->hint, why_not);
}

static void on_post_action(graph_op *op, const graph_response *resp)
{
    graph_result *r = &op->result;
    r->posted = resp->request_sent || resp->answered;
    if (outcome_unknown(resp)) {
        op->saved = resp->err;
        fetch_solution(op, then_reconcile);
        return;
    }
    if (resp->err.cls != GRAPH_OK) {
        graph_error err = resp->err;
        fit_refusal_to_action(op, &err);
        fail(op, &err);
        return;
    }
    bool success = false;
    mps_solution *s = NULL;
    graph_error err;
    if (!graph_parse_action(resp->body, resp->len, limits_of(op), &success, &s, &err)) {
        if (err.cls == GRAPH_ERR_PROTOCOL) { /* a 2xx we cannot read: maybe done */
            op->saved = err;
            fetch_solution(op, then_reconcile);
        } else {
            fail(op, &err);
        }
        return;
    }
    if (!success) {
        solution_free(s);
        graph_error_set(&err, GRAPH_ERR_API, "the server answered \"success\": false");
        err.http_status = resp->status;
        fail(op, &err);
        return;
    }
    r->success = true;
    if (s)
        set_single_solution(op, s);
    fetch_solution(op, then_after);
}

static void on_post_create(graph_op *op, const graph_response *resp)
{
    graph_result *r = &op->result;
    r->posted = resp->request_sent || resp->answered;
    if (outcome_unknown(resp)) {
        graph_error err = resp->err;
        err.outcome_unknown = true;
        snprintf(err.hint, sizeof err.hint,
                 "the solution may or may not have been created: list the solutions before "
                 "trying again");
        fail(op, &err);
        return;
    }
    if (resp->err.cls != GRAPH_OK) {
        fail(op, &resp->err);
        return;
    }
    graph_error err;
    if (!graph_parse_created(resp->body, resp->len, limits_of(op), &r->created_id, &err)) {
        err.outcome_unknown = err.cls == GRAPH_ERR_PROTOCOL;
        fail(op, &err);
        return;
    }
    r->success = true;
    if (!graph_path_segment_ok(r->created_id)) {
        succeed(op);
        return;
    }
    free(op->id);
    op->id = mps_xstrdup(r->created_id);
    fetch_solution(op, then_after);
}

static void on_post(graph_op *op, const graph_response *resp)
{
    if (op->kind == GRAPH_OP_CREATE)
        on_post_create(op, resp);
    else
        on_post_action(op, resp);
}

/* ---- starting ---- */

static bool need_id(graph_op *op, const char *what)
{
    if (graph_path_segment_ok(op->id))
        return true;
    fail_usage(op, what, op->id ? op->id : "(none)");
    return false;
}

/* The client's app when the op names none. */
static bool need_app(graph_op *op)
{
    if (!op->id && graph_client_app_id(client_of(op)))
        op->id = mps_xstrdup(graph_client_app_id(client_of(op)));
    if (!op->id) {
        fail_usage(op, "no app id configured", NULL);
        return false;
    }
    return need_id(op, "not a valid app id");
}

static void begin_list(graph_op *op)
{
    if (!need_app(op))
        return;
    unsigned lacks = graph_client_lacks(client_of(op));
    if (graph_client_partners_unavailable(client_of(op))) {
        op->result.fallback_used = true;
        op->role_mode = !op->role;
        send_list_page(op, false);
        return;
    }
    if (lacks & GRAPH_LACKS_PARTNERS_FIELD)
        op->result.fallback_used = true;
    send_list_page(op, !(lacks & GRAPH_LACKS_PARTNERS_FIELD));
}

static void begin_get(graph_op *op)
{
    if (need_id(op, "not a valid solution id"))
        fetch_solution(op, then_get);
}

static void begin_partners(graph_op *op)
{
    if (!need_id(op, "not a valid solution id"))
        return;
    if (graph_client_lacks(client_of(op)) & GRAPH_LACKS_PARTNERS_EDGE) {
        no_partners_data(op);
        return;
    }
    char *q = partners_query();
    send_first_page(op, PH_PAGED, edge_url(op, op->id, "partners", q));
    free(q);
}

static void begin_action(graph_op *op)
{
    if (!need_id(op, "not a valid solution id"))
        return;
    if (!action_get(op->action)) {
        fail_usage(op, "unknown action", NULL);
        return;
    }
    if (op->expected)
        fetch_solution(op, then_recheck);
    else
        post_action(op);
}

static json_object *json_string_array(const strlist *l)
{
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < l->count; i++)
        json_object_array_add(arr, json_object_new_string(l->items[i]));
    return arr;
}

static void begin_create(graph_op *op)
{
    if (!need_app(op))
        return;
    if (!op->name || !op->name[0]) {
        fail_usage(op, "a solution needs a name", NULL);
        return;
    }
    if (!graph_path_segment_ok(op->partner_app_id)) {
        fail_usage(op, "not a valid partner app id", op->partner_app_id);
        return;
    }
    /* JSON with both arrays always present (empty allowed), as Meta's OpenAPI description
     * requires; servers that follow the guides read the same parameters from a JSON body. */
    json_object *b = json_object_new_object();
    json_object_object_add(b, "solution_name", json_object_new_string(op->name));
    json_object_object_add(b, "partner_app_id", json_object_new_string(op->partner_app_id));
    json_object_object_add(b, "owner_permissions", json_string_array(&op->owner_perms));
    json_object_object_add(b, "partner_permissions", json_string_array(&op->partner_perms));
    send_post_json(op, edge_url(op, op->id, "whatsapp_business_solution", NULL), b);
}

static void begin_client_wabas(graph_op *op)
{
    if (!need_id(op, "not a valid business id"))
        return;
    char *q = op_fields_query(op, GRAPH_FIELDS_WABA, true);
    if (op->partner_business_ids.count) {
        json_object *values = json_object_new_array();
        for (size_t i = 0; i < op->partner_business_ids.count; i++)
            json_object_array_add(values,
                                  json_object_new_string(op->partner_business_ids.items[i]));
        json_object *rule = json_object_new_object();
        json_object_object_add(rule, "field", json_object_new_string("partners"));
        json_object_object_add(rule, "operator", json_object_new_string("ALL"));
        json_object_object_add(rule, "value", values);
        json_object *filter = json_object_new_array();
        json_object_array_add(filter, rule);
        char *esc =
            graph_url_escape(json_object_to_json_string_ext(filter, JSON_C_TO_STRING_PLAIN));
        json_object_put(filter);
        char *q2 = graph_xasprintf("%s&filtering=%s", q, esc);
        free(esc);
        free(q);
        q = q2;
    }
    send_first_page(op, PH_PAGED, edge_url(op, op->id, "client_whatsapp_business_accounts", q));
    free(q);
}

static void begin_waba_solutions(graph_op *op)
{
    if (!need_id(op, "not a valid WABA id"))
        return;
    char *q = op_fields_query(op, GRAPH_FIELDS_PLAIN, true);
    send_first_page(op, PH_PAGED, edge_url(op, op->id, "solutions", q));
    free(q);
}

static void begin_business_token(graph_op *op)
{
    if (!need_id(op, "not a valid solution id"))
        return;
    if (!graph_path_segment_ok(op->business_id)) {
        fail_usage(op, "not a valid business id", op->business_id);
        return;
    }
    char *esc = graph_url_escape(op->business_id);
    char *q = graph_xasprintf("business_id=%s", esc);
    free(esc);
    send_get(op, PH_SINGLE, edge_url(op, op->id, "access_token", q));
    free(q);
}

static void begin_app_details(graph_op *op)
{
    op->alt_edge = graph_client_lacks(client_of(op)) & GRAPH_LACKS_APP_DETAILS;
    send_first_page(
        op, PH_PAGED,
        edge_url(op, "me", op->alt_edge ? "assigned_applications" : "application_details", NULL));
}

static void begin_app(graph_op *op)
{
    if (!need_app(op))
        return;
    char *q = op_fields_query(op, "id,name,link", false);
    send_get(op, PH_SINGLE, edge_url(op, op->id, NULL, q));
    free(q);
}

/* ---- api: a raw request ---- */

/* "v25.0/..." or "v25.0": a version the caller chose. */
static bool has_version(const char *path)
{
    if (path[0] != 'v' || !isdigit((unsigned char)path[1]))
        return false;
    size_t n = 1 + strspn(path + 1, "0123456789");
    if (path[n] != '.' || !isdigit((unsigned char)path[n + 1]))
        return false;
    n += 1 + strspn(path + n + 1, "0123456789");
    return path[n] == '\0' || path[n] == '/' || path[n] == '?';
}

static void begin_raw(graph_op *op)
{
    graph_client *c = client_of(op);
    const char *path = op->raw_path;
    char *url;
    const char *scheme_end = strstr(path, "://");
    if (scheme_end && scheme_end == path + strcspn(path, ":/?#")) { /* "https://...": absolute */
        url = mps_xstrdup(path);
    } else {
        while (*path == '/')
            path++;
        url = has_version(path) ? graph_xasprintf("%s/%s", graph_client_base(c), path)
                                : graph_xasprintf("%s/%s/%s", graph_client_base(c),
                                                  graph_client_version(c), path);
    }
    if (op->raw_query && op->raw_query[0]) {
        char *with = graph_xasprintf("%s%s%s", url, strchr(url, '?') ? "&" : "?", op->raw_query);
        free(url);
        url = with;
    }
    /* The one check every paging link passes: same scheme, host and port as the graph URL, no
     * user or password; it adds the appsecret_proof. */
    graph_error err;
    char *checked = graph_client_next_url(c, url, &err);
    if (!checked) {
        char *shown = graph_redact(url);
        graph_error_set(&err, GRAPH_ERR_USAGE,
                        "refused: %.300s is not under the graph URL %.200s: the token is sent "
                        "nowhere else",
                        shown, graph_client_base(c));
        free(shown);
        free(url);
        fail(op, &err);
        return;
    }
    free(url);
    if (op->raw_post) {
        send_post(op, PH_RAW, checked, op->raw_form ? mps_xstrdup(op->raw_form) : NULL, false);
    } else {
        send_first_page(op, PH_RAW, checked);
    }
}

static void on_raw(graph_op *op, const graph_response *resp)
{
    graph_result *r = &op->result;
    if (op->raw_post)
        r->posted = resp->request_sent || resp->answered;
    if (resp->err.cls != GRAPH_OK) {
        graph_error err = resp->err;
        if (op->raw_post && outcome_unknown(resp)) {
            err.outcome_unknown = true;
            snprintf(err.hint, sizeof err.hint,
                     "it may or may not have been carried out; it was not sent again");
        }
        fail(op, &err);
        return;
    }
    if (op->raw_post)
        r->success = true;
    const char *token = graph_client_token(client_of(op));
    char *page = graph_redact_answer(resp->body, resp->len, token, NULL);
    if (r->raw) { /* a page not taken yet: kept, one a line */
        char *both = graph_xasprintf("%s\n%s", r->raw, page);
        free(r->raw);
        free(page);
        page = both;
    }
    r->raw = page;
    op->eng.page_ready = true;
    r->pages++;
    if (!op->raw_paginate || op->raw_post) {
        succeed(op);
        return;
    }
    /* Pages: paging.next, and the items counted against the guard's budget. */
    graph_error err;
    json_object *root = graph_json_value(resp->body, resp->len, limits_of(op), resp->status, &err);
    char *next = NULL;
    json_object *data, *paging, *n;
    if (root && json_object_is_type(root, json_type_object)) {
        if (json_object_object_get_ex(root, "data", &data) &&
            json_object_is_type(data, json_type_array))
            op->paged_items += json_object_array_length(data);
        if (json_object_object_get_ex(root, "paging", &paging) &&
            json_object_object_get_ex(paging, "next", &n) &&
            json_object_is_type(n, json_type_string))
            next = mps_xstrdup(json_object_get_string(n));
    }
    json_object_put(root);
    if (!follow_next(op, PH_RAW, next))
        succeed(op);
}

static const begin_fn begin_table[OP_KIND_COUNT] = {
    [GRAPH_OP_LIST_SOLUTIONS] = begin_list,
    [GRAPH_OP_GET_SOLUTION] = begin_get,
    [GRAPH_OP_PARTNERS] = begin_partners,
    [GRAPH_OP_ACTION] = begin_action,
    [GRAPH_OP_CREATE] = begin_create,
    [GRAPH_OP_CLIENT_WABAS] = begin_client_wabas,
    [GRAPH_OP_WABA_SOLUTIONS] = begin_waba_solutions,
    [GRAPH_OP_BUSINESS_TOKEN] = begin_business_token,
    [GRAPH_OP_APP_DETAILS] = begin_app_details,
    [GRAPH_OP_APP] = begin_app,
    [GRAPH_OP_RAW] = begin_raw,
};

typedef void (*answer_fn)(graph_op *op, const graph_response *resp);
static const answer_fn answer_table[PH_COUNT] = {
    [PH_LIST_FULL] = on_list_full, [PH_LIST_PLAIN] = on_list_plain,
    [PH_GET_FULL] = on_get_full,   [PH_GET_PLAIN] = on_get_plain,
    [PH_BATCH] = on_batch,         [PH_SOLO] = on_solo,
    [PH_PAGED] = on_paged,         [PH_SINGLE] = on_single,
    [PH_POST] = on_post,           [PH_RAW] = on_raw,
};

void graph_op_step(graph_op *op, int lane, const graph_response *resp)
{
    if (op->done)
        return;
    op->eng.cur = lane;
    if (!resp) {
        begin_table[op->kind](op);
        return;
    }
    op->paged_bytes += resp->len;
    answer_fn fn = answer_table[op->ph[lane]];
    op->ph[lane] = PH_NONE; /* the lane rests until a step sends on it again */
    if (fn) {
        fn(op, resp);
    } else {
        graph_error err;
        graph_error_set(&err, GRAPH_ERR_USAGE, "internal: answer in no phase");
        fail(op, &err);
    }
}

/* ---- public face ---- */

static graph_op *op_new(graph_op_kind kind, const char *id)
{
    graph_op *op = mps_xcalloc(1, sizeof *op);
    op->kind = kind;
    op->id = mps_xstrdup(id);
    return op;
}

graph_op *graph_op_list_solutions(const char *role)
{
    graph_op *op = op_new(GRAPH_OP_LIST_SOLUTIONS, NULL);
    if (role && role[0]) {
        op->role = mps_xstrdup(role);
        for (char *p = op->role; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        if (strcmp(op->role, "OWNER") != 0 && strcmp(op->role, "PARTNER") != 0)
            fail_usage(op, "role must be OWNER or PARTNER", role);
    }
    return op;
}

graph_op *graph_op_get_solution(const char *solution_id)
{
    return op_new(GRAPH_OP_GET_SOLUTION, solution_id);
}

graph_op *graph_op_partners(const char *solution_id)
{
    return op_new(GRAPH_OP_PARTNERS, solution_id);
}

graph_op *graph_op_action(mps_action action, const char *solution_id, const mps_solution *expected)
{
    graph_op *op = op_new(GRAPH_OP_ACTION, solution_id);
    op->action = action;
    op->expected = expected ? solution_dup(expected) : NULL;
    return op;
}

graph_op *graph_op_raw(bool post, const char *path, const char *query, const char *form,
                       bool paginate)
{
    graph_op *op = op_new(GRAPH_OP_RAW, NULL);
    op->raw_post = post;
    op->raw_paginate = paginate;
    op->raw_path = mps_xstrdup(path ? path : "");
    op->raw_query = query ? mps_xstrdup(query) : NULL;
    op->raw_form = form ? mps_xstrdup(form) : NULL;
    return op;
}

char *graph_op_take_raw(graph_op *op)
{
    char *raw = op->result.raw;
    op->result.raw = NULL;
    return raw;
}

void graph_op_set_reason(graph_op *op, const char *reason)
{
    free(op->reason);
    op->reason = reason && reason[0] ? mps_xstrdup(reason) : NULL;
}

graph_op *graph_op_create(const char *app_id, const char *name, const char *partner_app_id,
                          const strlist *owner_permissions, const strlist *partner_permissions)
{
    graph_op *op = op_new(GRAPH_OP_CREATE, app_id && app_id[0] ? app_id : NULL);
    op->name = mps_xstrdup(name);
    op->partner_app_id = mps_xstrdup(partner_app_id);
    if (owner_permissions)
        strlist_copy(&op->owner_perms, owner_permissions);
    if (partner_permissions)
        strlist_copy(&op->partner_perms, partner_permissions);
    return op;
}

graph_op *graph_op_client_wabas(const char *business_id, const strlist *partner_business_ids)
{
    graph_op *op = op_new(GRAPH_OP_CLIENT_WABAS, business_id);
    if (partner_business_ids)
        strlist_copy(&op->partner_business_ids, partner_business_ids);
    return op;
}

graph_op *graph_op_waba_solutions(const char *waba_id)
{
    return op_new(GRAPH_OP_WABA_SOLUTIONS, waba_id);
}

graph_op *graph_op_business_token(const char *solution_id, const char *business_id)
{
    graph_op *op = op_new(GRAPH_OP_BUSINESS_TOKEN, solution_id);
    op->business_id = mps_xstrdup(business_id);
    return op;
}

graph_op *graph_op_app_details(void)
{
    return op_new(GRAPH_OP_APP_DETAILS, NULL);
}

graph_op *graph_op_app(const char *app_id)
{
    return op_new(GRAPH_OP_APP, app_id && app_id[0] ? app_id : NULL);
}

void graph_result_clear(graph_result *r)
{
    for (size_t i = 0; i < r->solution_count; i++)
        solution_free(r->solutions[i]);
    free(r->solutions);
    for (size_t i = 0; i < r->partner_count; i++)
        partner_clear(&r->partners[i]);
    free(r->partners);
    for (size_t i = 0; i < r->waba_count; i++)
        waba_clear(&r->wabas[i]);
    free(r->wabas);
    for (size_t i = 0; i < r->app_count; i++)
        app_clear(&r->apps[i]);
    free(r->apps);
    free(r->created_id);
    free(r->raw);
    graph_free_secret(r->token);
    free(r->changes);
    memset(r, 0, sizeof *r);
}

void graph_op_free(graph_op *op)
{
    if (!op)
        return;
    graph_client_forget(op);
    for (int l = 0; l < GRAPH_LANES; l++)
        graph_call_clear(&op->eng.lane[l].next);
    free_pending(op);
    graph_result_clear(&op->result);
    free(op->id);
    free(op->role);
    free(op->business_id);
    strlist_clear(&op->owner_ids);
    free(op->fields_asked);
    strset_clear(&op->page_seen);
    strlist_clear(&op->page_keys);
    solution_free(op->expected);
    free(op->name);
    free(op->partner_app_id);
    free(op->reason);
    free(op->raw_path);
    free(op->raw_query);
    if (op->raw_form) /* a body may hold what the caller would not see again */
        explicit_bzero(op->raw_form, strlen(op->raw_form));
    free(op->raw_form);
    strlist_clear(&op->owner_perms);
    strlist_clear(&op->partner_perms);
    strlist_clear(&op->partner_business_ids);
    free(op);
}

graph_op_kind graph_op_get_kind(const graph_op *op)
{
    return op->kind;
}

bool graph_op_is_done(const graph_op *op)
{
    return op->done;
}

const graph_error *graph_op_error(const graph_op *op)
{
    return &op->error;
}

void graph_op_set_user(graph_op *op, void *user)
{
    op->user = user;
}

void *graph_op_user(const graph_op *op)
{
    return op->user;
}

graph_result *graph_op_result(graph_op *op)
{
    return &op->result;
}

size_t graph_op_take_page(graph_op *op, mps_solution ***out)
{
    graph_result *r = &op->result;
    size_t n = r->solution_count;
    *out = n ? r->solutions : NULL;
    if (!n)
        free(r->solutions);
    r->solutions = NULL;
    r->solution_count = 0;
    return n;
}
