/* The sandbox's HTTP side: libmicrohttpd on 127.0.0.1, faults, request log, control API. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "sbx.h"

#include "mpsdash/util.h"

#define MAX_BODY (1024 * 1024)
#define HUGE_BODY ((size_t)9 * 1024 * 1024)
#define DEEP_LEVELS 10000
#define MAX_HANG_MS (10 * 60 * 1000)
#define MAX_LOG_LINES 100000
/* Connections served at once; beyond it a request gets a clear 503, and beyond the hard limit
 * libmicrohttpd closes the connection at once. Idle connections are closed after IDLE_SECONDS. */
#define MAX_CONNECTIONS 64
#define HARD_CONNECTIONS (MAX_CONNECTIONS + 16)
#define IDLE_SECONDS 5

typedef struct conn_ctx {
    strbuf body;
    bool too_big;
    bool refused; /* over the connection limit: answered 503 at once */
} conn_ctx;

/* ---- waiting ---- */

static struct timespec deadline_after(long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

static bool passed(const struct timespec *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline->tv_sec ||
           (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

bool sbx_wait_ms(sandbox *sb, long ms)
{
    struct timespec deadline = deadline_after(ms);
    while (!sb->stopping && !passed(&deadline))
        pthread_cond_timedwait(&sb->cond, &sb->mu, &deadline);
    return !sb->stopping;
}

/* True once the client has closed its end (it gave up on a hung request). */
static bool client_gone(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!info)
        return true;
    char b;
    ssize_t n = recv(info->connect_fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

/* Holds the request without an answer until the client leaves, ms passes or the sandbox stops. */
static void hang(sandbox *sb, struct MHD_Connection *c, int ms)
{
    struct timespec end = deadline_after(ms > 0 ? ms : MAX_HANG_MS);
    while (!sb->stopping && !passed(&end) && !client_gone(c)) {
        struct timespec slice = deadline_after(50);
        pthread_cond_timedwait(&sb->cond, &sb->mu, &slice);
    }
}

/* ---- faults ---- */

static bool suffix_match(const char *path, const char *suffix)
{
    size_t n = strlen(path), m = strlen(suffix);
    return m <= n && strcmp(path + n - m, suffix) == 0;
}

/* Takes the first fault matching the request, counting it down. */
static bool take_fault(sandbox *sb, const char *method, const char *path, sbx_fault *out)
{
    for (size_t i = 0; i < sb->nfaults; i++) {
        sbx_fault *f = &sb->faults[i];
        if ((f->method[0] && strcasecmp(f->method, method) != 0) ||
            (f->suffix && !suffix_match(path, f->suffix)))
            continue;
        if (f->skip > 0) {
            f->skip--;
            continue;
        }
        *out = *f;
        out->suffix = NULL;
        if (f->times > 0 && --f->times == 0) {
            free(f->suffix);
            memmove(f, f + 1, (sb->nfaults - i - 1) * sizeof *f);
            sb->nfaults--;
        }
        return true;
    }
    return false;
}

static void clear_faults(sandbox *sb)
{
    for (size_t i = 0; i < sb->nfaults; i++)
        free(sb->faults[i].suffix);
    sb->nfaults = 0;
}

/* ---- responses ---- */

typedef struct partial {
    char *body;
    size_t len, cut; /* bytes sent before the connection is dropped */
} partial;

static ssize_t partial_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    partial *p = cls;
    if (pos >= p->cut)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    size_t n = p->cut - (size_t)pos < max ? p->cut - (size_t)pos : max;
    memcpy(buf, p->body + pos, n);
    return (ssize_t)n;
}

static void partial_free(void *cls)
{
    partial *p = cls;
    free(p->body);
    free(p);
}

/* An answer sent one byte at a time: each byte alone keeps any per-read timeout at bay. */
typedef struct trickle {
    sandbox *sb;
    char *body;
    size_t len;
    int ms;
} trickle;

static ssize_t trickle_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    trickle *t = cls;
    if (pos >= t->len)
        return MHD_CONTENT_READER_END_OF_STREAM;
    /* a wait that stopping the sandbox ends at once */
    pthread_mutex_lock(&t->sb->mu);
    bool running = sbx_wait_ms(t->sb, t->ms);
    pthread_mutex_unlock(&t->sb->mu);
    if (!running)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    if (max < 1)
        return 0;
    buf[0] = t->body[pos];
    return 1;
}

static void trickle_free(void *cls)
{
    trickle *t = cls;
    free(t->body);
    free(t);
}

/* {"data":[{"id":"1","name":"xxxx...."}]}: valid JSON, only too big. */
static const char huge_head[] = "{\"data\":[{\"id\":\"1\",\"name\":\"";
static const char huge_tail[] = "\"}]}";

static ssize_t huge_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    size_t head = sizeof huge_head - 1, tail = sizeof huge_tail - 1;
    if (pos >= HUGE_BODY)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = 0;
    for (; n < max && pos + n < HUGE_BODY; n++) {
        size_t at = (size_t)pos + n;
        buf[n] = at < head                ? huge_head[at]
                 : at >= HUGE_BODY - tail ? huge_tail[at - (HUGE_BODY - tail)]
                                          : 'x';
    }
    return (ssize_t)n;
}

static void add_headers(struct MHD_Response *r, sandbox *sb, const char *app_id, int usage)
{
    char v[256];
    MHD_add_response_header(r, "Content-Type", "application/json; charset=UTF-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (!app_id)
        return;
    snprintf(v, sizeof v, "{\"call_count\":%d,\"total_cputime\":%d,\"total_time\":%d}", usage,
             usage / 3, usage / 2);
    MHD_add_response_header(r, "X-App-Usage", v);
    const sbx_app *a = sbx_app_find(&sb->world, app_id);
    if (a && a->business_id) {
        snprintf(v, sizeof v,
                 "{\"%s\":[{\"type\":\"whatsapp_business_management\",\"call_count\":%d,\"total_"
                 "cputime\":%d,"
                 "\"total_time\":%d,\"estimated_time_to_regain_access\":0}]}",
                 a->business_id, usage, usage / 3, usage / 2);
        MHD_add_response_header(r, "X-Business-Use-Case-Usage", v);
    }
}

static enum MHD_Result send_buffer(struct MHD_Connection *c, int status, const char *body,
                                   size_t len, void (*headers)(struct MHD_Response *, void *),
                                   void *cls)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    if (headers)
        headers(r, cls);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

/* ---- request log ---- */

static char *log_query(const sbx_kv *q)
{
    strbuf b = {0};
    for (size_t i = 0; i < q->n; i++) {
        if (i)
            strbuf_adds(&b, "&");
        sbx_url_encode(&b, q->k[i]);
        strbuf_adds(&b, "=");
        /* a leaked token is refused, and never written down */
        sbx_url_encode(&b, strcmp(q->k[i], "access_token") == 0 ? "[redacted]" : q->v[i]);
    }
    return strbuf_take(&b);
}

static void log_request(sandbox *sb, const char *method, const char *path, const sbx_kv *query,
                        int status, const char *app_id, sbx_fault_kind fault)
{
    json_object *o = json_object_new_object();
    char *q = log_query(query);
    json_object_object_add(o, "method", json_object_new_string(method));
    json_object_object_add(o, "path", json_object_new_string(path));
    json_object_object_add(o, "query", json_object_new_string(q));
    json_object_object_add(o, "status", json_object_new_int(status));
    json_object_object_add(o, "app_id", app_id ? json_object_new_string(app_id) : NULL);
    if (fault != SBX_F_NONE)
        json_object_object_add(o, "fault", json_object_new_string(sbx_fault_kind_name(fault)));
    const char *line = sbx_json_text(o);
    sbx_append_line(sb->request_log_path, line);
    if (sb->log_lines.count >= MAX_LOG_LINES) { /* keep the newest */
        free(sb->log_lines.items[0]);
        memmove(sb->log_lines.items, sb->log_lines.items + 1,
                (sb->log_lines.count - 1) * sizeof *sb->log_lines.items);
        sb->log_lines.count--;
    }
    strlist_push(&sb->log_lines, line);
    free(q);
    json_object_put(o);
}

/* ---- the Graph side ---- */

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    sbx_kv_add(cls, key, value);
    return MHD_YES;
}

static const char *bearer(struct MHD_Connection *c)
{
    const char *auth =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!auth)
        return NULL;
    static const char *const schemes[] = {"Bearer ", "OAuth "};
    for (size_t i = 0; i < COUNT_OF(schemes); i++) {
        size_t n = strlen(schemes[i]);
        if (strncasecmp(auth, schemes[i], n) == 0) {
            auth += n;
            while (*auth == ' ')
                auth++;
            return auth;
        }
    }
    return NULL;
}

typedef struct header_ctx {
    sandbox *sb;
    const char *app_id;
    int usage;
    const sbx_fault *fault;
    const char *trace;
} header_ctx;

static void graph_headers(struct MHD_Response *r, void *cls)
{
    header_ctx *h = cls;
    MHD_add_response_header(r, "x-fb-trace-id", h->trace);
    if (h->fault && h->fault->kind == SBX_F_RATELIMIT) {
        char v[256];
        const sbx_app *a = h->app_id ? sbx_app_find(&h->sb->world, h->app_id) : NULL;
        MHD_add_response_header(r, "Content-Type", "application/json; charset=UTF-8");
        MHD_add_response_header(r, "X-App-Usage",
                                "{\"call_count\":100,\"total_cputime\":100,\"total_time\":100}");
        snprintf(v, sizeof v,
                 "{\"%s\":[{\"type\":\"whatsapp_business_management\",\"call_count\":100,\"total_"
                 "cputime\":100,"
                 "\"total_time\":100,\"estimated_time_to_regain_access\":%d}]}",
                 a && a->business_id ? a->business_id : "0", h->fault->regain_minutes);
        MHD_add_response_header(r, "X-Business-Use-Case-Usage", v);
        return;
    }
    add_headers(r, h->sb, h->app_id, h->usage);
}

/* Faults that answer with a Graph error. */
static const struct fault_error {
    sbx_fault_kind kind;
    int http, code, subcode;
    bool transient;
    const char *msg;
} fault_errors[] = {
    {SBX_F_503, 503, 2, 0, true, "(#2) Service temporarily unavailable"},
    {SBX_F_500, 500, 2, 0, true, "(#2) An unexpected error occurred. Please retry your request"},
    {SBX_F_RATELIMIT, 400, 80007, 0, false,
     "(#80007) Rate limit hit for WhatsApp Business Account"},
    {SBX_F_EXPIRED, 400, 190, 463, false, SBX_EXPIRED_MESSAGE},
};

static void body_deep(strbuf *b)
{
    strbuf_adds(b, "{\"data\":");
    for (int i = 0; i < DEEP_LEVELS; i++)
        strbuf_adds(b, "[");
    for (int i = 0; i < DEEP_LEVELS; i++)
        strbuf_adds(b, "]");
    strbuf_adds(b, "}");
}

static void body_malformed(strbuf *b)
{
    strbuf_adds(b, "{\"data\":[{\"id\":\"795033096057724\",\"name\":\"Social OVD with");
}

static void body_nonobject(strbuf *b)
{
    strbuf_adds(b, "[\"not\",\"an\",\"object\"]");
}

/* Faults that answer 200 with a body no careful client should accept. */
static const struct fault_body {
    sbx_fault_kind kind;
    void (*fill)(strbuf *b);
} fault_bodies[] = {
    {SBX_F_DEEP, body_deep},
    {SBX_F_MALFORMED, body_malformed},
    {SBX_F_NONOBJECT, body_nonobject},
};

/* A careless server quoting the request back: a long message that ends in the caller's token
 * (past the length any client keeps of a message) and the token as fbtrace_id. */
static void echo_token_answer(const char *token, sbx_answer *ans)
{
    char filler[481];
    memset(filler, 'x', sizeof filler - 1);
    filler[sizeof filler - 1] = '\0';
    char *msg = mps_xasprintf("(#100) Invalid parameter: %s %s", filler, token ? token : "");
    json_object *err = json_object_new_object();
    json_object_object_add(err, "message", json_object_new_string(msg));
    json_object_object_add(err, "type", json_object_new_string("OAuthException"));
    json_object_object_add(err, "code", json_object_new_int(100));
    json_object_object_add(err, "fbtrace_id", json_object_new_string(token ? token : ""));
    json_object *root = json_object_new_object();
    json_object_object_add(root, "error", err);
    sbx_answer_json(ans, 400, root);
    free(msg);
}

/* Rewrites every "access_token" member as "access\u005ftoken" (the same name to a JSON parser,
 * not to a search of the text) and echoes the first value in a "note" member. */
static void respell_answer(sbx_answer *ans)
{
    static const char key[] = "\"access_token\"";
    static const char respelt[] = "\"access\\u005ftoken\"";
    if (!ans->body || ans->body[0] != '{')
        return;
    strbuf b = {0};
    json_object *root = json_tokener_parse(ans->body);
    const char *value = NULL;
    json_object *v, *data;
    if (root &&
        (json_object_object_get_ex(root, "access_token", &v) ||
         (json_object_object_get_ex(root, "data", &data) &&
          json_object_is_type(data, json_type_array) && json_object_array_length(data) > 0 &&
          json_object_object_get_ex(json_object_array_get_idx(data, 0), "access_token", &v))))
        value = json_object_get_string(v);
    strbuf_adds(&b, "{");
    if (value) {
        json_object *note = json_object_new_string("");
        char *text = mps_xasprintf("token %s issued", value);
        json_object_set_string(note, text);
        strbuf_adds(&b, "\"note\":");
        strbuf_adds(&b, json_object_to_json_string_ext(note, JSON_C_TO_STRING_PLAIN));
        strbuf_adds(&b, ",");
        json_object_put(note);
        free(text);
    }
    for (const char *p = ans->body + 1; *p;) {
        if (strncmp(p, key, sizeof key - 1) == 0) {
            strbuf_adds(&b, respelt);
            p += sizeof key - 1;
        } else {
            char one[2] = {*p++, '\0'};
            strbuf_adds(&b, one);
        }
    }
    json_object_put(root);
    free(ans->body);
    ans->body_len = b.len;
    ans->body = strbuf_take(&b);
}

/* The answer a replacing fault gives instead of the API's. */
static void fault_answer(sandbox *sb, const sbx_fault *f, const char *token, sbx_answer *ans)
{
    if (f->kind == SBX_F_ANSWER) {
        free(ans->body);
        ans->status = f->status ? f->status : 200;
        ans->body = mps_xstrdup(f->body);
        ans->body_len = strlen(ans->body);
        return;
    }
    if (f->kind == SBX_F_ECHO_TOKEN) {
        echo_token_answer(token, ans);
        return;
    }
    for (size_t i = 0; i < COUNT_OF(fault_errors); i++) {
        const struct fault_error *fe = &fault_errors[i];
        if (fe->kind == f->kind) {
            sbx_gerr e = {0};
            sbx_gerr_set(&e, fe->http, fe->code, fe->subcode, "%s", fe->msg);
            e.transient = fe->transient;
            sbx_answer_error(sb, &e, ans);
            return;
        }
    }
    for (size_t i = 0; i < COUNT_OF(fault_bodies); i++) {
        if (fault_bodies[i].kind == f->kind) {
            strbuf b = {0};
            fault_bodies[i].fill(&b);
            free(ans->body);
            ans->status = 200;
            ans->body_len = b.len;
            ans->body = strbuf_take(&b);
            return;
        }
    }
}

/* This request's own URL, with the query parameter `cycle` dropped (to_b false) or set. */
static char *page_link(const sandbox *sb, const char *url, const sbx_kv *query, bool to_b)
{
    strbuf b = {0};
    strbuf_adds(&b, sb->base_url);
    strbuf_adds(&b, url);
    strbuf_adds(&b, "?");
    for (size_t i = 0; i < query->n; i++) {
        if (strcmp(query->k[i], "cycle") == 0 || strcmp(query->k[i], "access_token") == 0)
            continue;
        sbx_url_encode(&b, query->k[i]);
        strbuf_adds(&b, "=");
        sbx_url_encode(&b, query->v[i]);
        strbuf_adds(&b, "&");
    }
    if (to_b)
        strbuf_adds(&b, "cycle=b");
    return strbuf_take(&b);
}

/* Paging faults: the answer's paging.next is rewritten to lead back to this page (selflink)
 * or to alternate between this page without and with cycle=b (cycle). */
static void rewrite_paging(sandbox *sb, const sbx_fault *f, const char *url, const sbx_kv *query,
                           sbx_answer *ans)
{
    if ((f->kind != SBX_F_SELFLINK && f->kind != SBX_F_CYCLE) || !ans->body)
        return;
    json_object *root = json_tokener_parse(ans->body);
    if (!json_object_is_type(root, json_type_object)) {
        json_object_put(root);
        return;
    }
    json_object *paging;
    if (!json_object_object_get_ex(root, "paging", &paging) ||
        !json_object_is_type(paging, json_type_object)) {
        paging = json_object_new_object();
        json_object_object_add(root, "paging", paging);
    }
    bool at_b = sbx_kv_get(query, "cycle") != NULL;
    char *next = f->kind == SBX_F_SELFLINK ? page_link(sb, url, query, at_b)
                                           : page_link(sb, url, query, !at_b);
    json_object_object_add(paging, "next", json_object_new_string(next));
    free(next);
    free(ans->body);
    ans->body = mps_xstrdup(sbx_json_text(root));
    ans->body_len = strlen(ans->body);
    json_object_put(root);
}

static enum MHD_Result serve(sandbox *sb, struct MHD_Connection *c, const char *url,
                             const char *method, conn_ctx *cx)
{
    sbx_kv query = {0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &query);
    const char *token = bearer(c);
    const char *ctype =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);

    pthread_mutex_lock(&sb->mu);
    sb->requests++;
    sbx_fault f = {.kind = SBX_F_NONE};
    take_fault(sb, method, url, &f);
    long delay = sb->opts.latency_ms + (f.kind == SBX_F_LATENCY ? f.ms : 0);
    if (delay > 0 && !sbx_wait_ms(sb, delay)) {
        pthread_mutex_unlock(&sb->mu);
        sbx_kv_clear(&query);
        return MHD_NO;
    }

    sbx_answer ans = {0};
    const char *app_id = NULL;
    bool run = !sbx_fault_replaces_answer(f.kind) || f.apply;
    if (cx->too_big) {
        sbx_gerr e;
        sbx_gerr_set(&e, 413, 100, 0, "(#100) The request body is larger than %d bytes", MAX_BODY);
        sbx_answer_error(sb, &e, &ans);
    } else if (run) {
        sbx_api_handle(sb, method, url, &query, cx->body.data, cx->body.len, ctype, token, &ans,
                       &app_id);
    } else {
        const sbx_app *a = sbx_app_by_token(&sb->world, token);
        app_id = a ? a->id : NULL;
    }

    if (ans.status >= 200 && ans.status < 300)
        rewrite_paging(sb, &f, url, &query, &ans);
    enum MHD_Result ret = MHD_YES;
    if (f.kind == SBX_F_HANG || f.kind == SBX_F_RESET) {
        log_request(sb, method, url, &query, 0, app_id, f.kind);
        if (f.kind == SBX_F_HANG)
            hang(sb, c, f.ms);
        ret = MHD_NO; /* close without an answer */
    } else {
        if (sbx_fault_replaces_answer(f.kind) && f.kind != SBX_F_HUGE)
            fault_answer(sb, &f, token, &ans);
        if (f.kind == SBX_F_RESPELL)
            respell_answer(&ans);
        if (!ans.body) { /* a faulted POST that did not run still needs something to cut short */
            ans.status = 200;
            ans.body = mps_xstrdup("{\"success\":true}");
            ans.body_len = strlen(ans.body);
        }
        int status = f.kind == SBX_F_HUGE ? 200 : ans.status;
        log_request(sb, method, url, &query, status, app_id, f.kind);
        if (!ans.trace[0]) {
            char *t = sbx_next_trace(sb);
            snprintf(ans.trace, sizeof ans.trace, "%s", t);
            free(t);
        }
        header_ctx h = {sb, app_id, sbx_usage_percent(sb, app_id), &f, ans.trace};
        struct MHD_Response *r = NULL;
        if (f.kind == SBX_F_HUGE) {
            r = MHD_create_response_from_callback(HUGE_BODY, (size_t)64 * 1024, huge_reader, NULL,
                                                  NULL);
        } else if (f.kind == SBX_F_TRICKLE) {
            trickle *t = mps_xcalloc(1, sizeof *t);
            t->sb = sb;
            t->body = ans.body;
            t->len = ans.body_len;
            t->ms = f.ms > 0 ? f.ms : 1000;
            ans.body = NULL;
            r = MHD_create_response_from_callback(t->len, 1, trickle_reader, t, trickle_free);
            if (!r)
                trickle_free(t);
        } else if (f.kind == SBX_F_TRUNCATE) {
            partial *p = mps_xcalloc(1, sizeof *p);
            p->body = ans.body;
            p->len = ans.body_len;
            p->cut = ans.body_len / 2;
            ans.body = NULL;
            r = MHD_create_response_from_callback(p->len, 4096, partial_reader, p, partial_free);
            if (!r)
                partial_free(p);
        } else {
            r = MHD_create_response_from_buffer(ans.body_len, ans.body, MHD_RESPMEM_MUST_COPY);
        }
        if (r) {
            graph_headers(r, &h);
            ret = MHD_queue_response(c, (unsigned)status, r);
            MHD_destroy_response(r);
        } else {
            ret = MHD_NO;
        }
    }
    pthread_mutex_unlock(&sb->mu);
    free(ans.body);
    sbx_kv_clear(&query);
    return ret;
}

/* ---- control API ---- */

static void json_headers(struct MHD_Response *r, void *cls)
{
    MHD_add_response_header(r, "Content-Type", cls ? (const char *)cls : "application/json");
}

static enum MHD_Result control_json(struct MHD_Connection *c, int status, json_object *o)
{
    const char *text = sbx_json_text(o);
    enum MHD_Result r = send_buffer(c, status, text, strlen(text), json_headers, NULL);
    json_object_put(o);
    return r;
}

static enum MHD_Result control_error(struct MHD_Connection *c, int status, const char *msg)
{
    json_object *o = json_object_new_object(), *e = json_object_new_object();
    json_object_object_add(e, "message", json_object_new_string(msg));
    json_object_object_add(o, "error", e);
    return control_json(c, status, o);
}

static json_object *success(void)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "success", json_object_new_boolean(1));
    return o;
}

static bool replace_perms(json_object *v, strlist *dst)
{
    if (!json_object_is_type(v, json_type_array))
        return false;
    for (size_t i = 0; i < json_object_array_length(v); i++)
        if (!json_object_is_type(json_object_array_get_idx(v, i), json_type_string))
            return false;
    strlist_clear(dst);
    for (size_t i = 0; i < json_object_array_length(v); i++)
        strlist_push(dst, json_object_get_string(json_object_array_get_idx(v, i)));
    return true;
}

/* Changes a solution behind the clients' backs (tests open a dialog, then mutate). */
static bool mutate(sandbox *sb, json_object *spec, char *err, size_t err_size, sbx_solution **out)
{
    json_object *v;
    if (!json_object_object_get_ex(spec, "id", &v) || !json_object_is_type(v, json_type_string)) {
        snprintf(err, err_size, "\"id\" (a string) is required");
        return false;
    }
    sbx_solution *s = sbx_sol_find(&sb->world, json_object_get_string(v));
    if (!s) {
        snprintf(err, err_size, "no solution %.40s", json_object_get_string(v));
        return false;
    }
    json_object *rm;
    if (json_object_object_get_ex(spec, "remove", &rm) && json_object_get_boolean(rm)) {
        /* gone from every listing, as a solution Meta no longer returns */
        *out = NULL;
        sbx_sol_remove(&sb->world, s);
        return true;
    }
    static const char *const str_keys[] = {"name",           "name_hex",
                                           "status",         "status_for_pending_request",
                                           "partner_status", "deactivation_requested_by"};
    for (size_t i = 0; i < COUNT_OF(str_keys); i++) {
        if (json_object_object_get_ex(spec, str_keys[i], &v) &&
            !json_object_is_type(v, json_type_string)) {
            snprintf(err, err_size, "\"%s\" must be a string", str_keys[i]);
            return false;
        }
    }
    char *raw = NULL;
    if (json_object_object_get_ex(spec, "name_hex", &v) &&
        !(raw = sbx_unhex(json_object_get_string(v)))) {
        snprintf(err, err_size, "\"name_hex\" must be pairs of hex digits (no 00)");
        return false;
    }
    json_object *op = NULL, *pp = NULL;
    json_object_object_get_ex(spec, "owner_permissions", &op);
    json_object_object_get_ex(spec, "partner_permissions", &pp);
    strlist probe = {0};
    if ((op && !replace_perms(op, &probe)) || (pp && !replace_perms(pp, &probe))) {
        strlist_clear(&probe);
        free(raw);
        snprintf(err, err_size, "permissions must be arrays of strings");
        return false;
    }
    strlist_clear(&probe);
    if (raw)
        sbx_set(&s->name, raw);
    else if (json_object_object_get_ex(spec, "name", &v))
        sbx_set(&s->name, json_object_get_string(v));
    free(raw);
    bool status_changed = false;
    if (json_object_object_get_ex(spec, "status", &v)) {
        status_changed = !s->status || strcmp(s->status, json_object_get_string(v)) != 0;
        sbx_set(&s->status, json_object_get_string(v));
    }
    if (json_object_object_get_ex(spec, "status_for_pending_request", &v)) {
        status_changed =
            status_changed || !s->pending || strcmp(s->pending, json_object_get_string(v)) != 0;
        sbx_set(&s->pending, json_object_get_string(v));
    }
    if (json_object_object_get_ex(spec, "deactivation_requested_by", &v))
        sbx_set(&s->deact_by, json_object_get_string(v));
    if (op)
        replace_perms(op, &s->owner_perms);
    for (size_t i = 0; i < s->npartners; i++) {
        if (pp)
            replace_perms(pp, &s->partners[i].perms);
        if (json_object_object_get_ex(spec, "partner_status", &v))
            sbx_set(&s->partners[i].status, json_object_get_string(v));
    }
    if (status_changed)
        sbx_event_solution(sb, s, "SOLUTION_UPDATED");
    *out = s;
    return true;
}

static json_object *solution_dump(const sandbox *sb, const sbx_solution *s)
{
    json_object *all = sbx_dataset_dump(&sb->world), *sols, *found = NULL;
    json_object_object_get_ex(all, "solutions", &sols);
    for (size_t i = 0; i < json_object_array_length(sols) && !found; i++) {
        json_object *o = json_object_array_get_idx(sols, i), *id;
        if (json_object_object_get_ex(o, "id", &id) &&
            strcmp(json_object_get_string(id), s->id) == 0)
            found = json_object_get(o);
    }
    json_object_put(all);
    return found;
}

/* The control API needs no token, so a web page must not reach it: its Host must be the
 * loopback address the sandbox serves (no DNS rebinding), and a request that changes something
 * must say application/json (no form a page could post across sites without asking). */
static const char *control_refusal(const sandbox *sb, struct MHD_Connection *c, const char *method)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    char ip[32], name[32];
    snprintf(ip, sizeof ip, "127.0.0.1:%d", sb->port);
    snprintf(name, sizeof name, "localhost:%d", sb->port);
    if (!host || (strcmp(host, ip) != 0 && strcasecmp(host, name) != 0))
        return "the control API answers only requests addressed to its loopback address (Host)";
    if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
        return NULL;
    const char *ctype =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    size_t n = ctype ? strcspn(ctype, "; \t") : 0;
    if (!ctype || n != strlen("application/json") || strncasecmp(ctype, "application/json", n) != 0)
        return "the control API takes only Content-Type: application/json";
    return NULL;
}

static enum MHD_Result control(sandbox *sb, struct MHD_Connection *c, const char *url,
                               const char *method, conn_ctx *cx)
{
    const char *what = url + strlen("/__sandbox/");
    bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
    mps_errtext err;
    const char *refused = control_refusal(sb, c, method);
    if (refused)
        return control_error(c, strstr(refused, "Host") ? 421 : 415, refused);
    json_object *body = NULL;
    if (post && cx->body.len) {
        char why[128];
        body = sbx_json_parse(cx->body.data, cx->body.len, why, sizeof why);
        if (!body) {
            snprintf(err, sizeof err, "the body is not JSON: %s", why);
            return control_error(c, 400, err);
        }
    }
    enum MHD_Result ret;
    pthread_mutex_lock(&sb->mu);
    if (post && strcmp(what, "fault") == 0) {
        sbx_fault f;
        if (!body || !sbx_fault_parse(body, &f, err, sizeof err)) {
            ret = control_error(c, 400, body ? err : "a JSON fault is required");
        } else {
            if (sb->nfaults == sb->cfaults) {
                sb->cfaults = sb->cfaults ? sb->cfaults * 2 : 8;
                sb->faults = mps_xrealloc(sb->faults, sb->cfaults * sizeof *sb->faults);
            }
            sb->faults[sb->nfaults++] = f;
            json_object *o = success();
            json_object_object_add(o, "faults", json_object_new_int((int)sb->nfaults));
            ret = control_json(c, 200, o);
        }
    } else if (strcmp(method, "DELETE") == 0 && strcmp(what, "fault") == 0) {
        clear_faults(sb);
        ret = control_json(c, 200, success());
    } else if (get && strcmp(what, "state") == 0) {
        json_object *o = sbx_dataset_dump(&sb->world);
        json_object_object_add(o, "dialect",
                               json_object_new_string(sandbox_dialect_name(sb->dialect)));
        json_object_object_add(o, "requests", json_object_new_int64((int64_t)sb->requests));
        json_object_object_add(o, "listing_scans",
                               json_object_new_int64((int64_t)sb->world.listing_scans));
        ret = control_json(c, 200, o);
    } else if (post && strcmp(what, "mutate") == 0) {
        sbx_solution *s;
        if (!body || !mutate(sb, body, err, sizeof err, &s))
            ret = control_error(c, body ? 404 : 400, body ? err : "a JSON body is required");
        else if (!s) /* removed */
            ret = control_json(c, 200, success());
        else
            ret = control_json(c, 200, solution_dump(sb, s));
    } else if (get && strcmp(what, "log") == 0) {
        strbuf b = {0};
        for (size_t i = 0; i < sb->log_lines.count; i++) {
            strbuf_adds(&b, sb->log_lines.items[i]);
            strbuf_adds(&b, "\n");
        }
        ret =
            send_buffer(c, 200, b.data ? b.data : "", b.len, json_headers, "application/x-ndjson");
        free(b.data);
    } else if (post && strcmp(what, "demo_step") == 0) {
        sbx_demo_step(sb);
        ret = control_json(c, 200, success());
    } else if (post && strcmp(what, "event") == 0) {
        if (!body || !json_object_is_type(body, json_type_object)) {
            ret = control_error(c, 400, "a webhook delivery (JSON object) is required");
        } else {
            sbx_append_line(sb->events_path, sbx_json_text(body));
            ret = control_json(c, 200, success());
        }
    } else {
        ret = control_error(c, 404,
                            "unknown control path: fault, state, mutate, log, demo_step, event");
    }
    pthread_mutex_unlock(&sb->mu);
    json_object_put(body);
    return ret;
}

/* ---- libmicrohttpd glue ---- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    sandbox *sb = cls;
    conn_ctx *cx = *con_cls;
    if (!cx) {
        *con_cls = cx = mps_xcalloc(1, sizeof *cx);
        if (atomic_load(&sb->connections) > MAX_CONNECTIONS) {
            cx->refused = true;
            mps_errtext msg;
            snprintf(msg, sizeof msg,
                     "the sandbox serves at most %d connections at once; try again later",
                     MAX_CONNECTIONS);
            return control_error(c, 503, msg);
        }
        return MHD_YES;
    }
    if (cx->refused)
        return MHD_NO;
    if (*upload_data_size) {
        if (cx->body.len + *upload_data_size > (size_t)MAX_BODY)
            cx->too_big = true;
        else
            strbuf_add(&cx->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (strncmp(url, "/__sandbox/", strlen("/__sandbox/")) == 0)
        return control(sb, c, url, method, cx);
    return serve(sb, c, url, method, cx);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode toe)
{
    sandbox *sb = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&sb->connections, 1);
    else if (toe == MHD_CONNECTION_NOTIFY_CLOSED)
        atomic_fetch_sub(&sb->connections, 1);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    conn_ctx *cx = *con_cls;
    if (cx) {
        free(cx->body.data);
        free(cx);
        *con_cls = NULL;
    }
}

static void free_sandbox(sandbox *sb)
{
    sbx_world_free(&sb->world);
    clear_faults(sb);
    free(sb->faults);
    strlist_clear(&sb->log_lines);
    for (size_t i = 0; i < sb->nusage; i++)
        free(sb->usage[i].app_id);
    free(sb->usage);
    free(sb->request_log_path);
    free(sb->public_url);
    free(sb->events_path);
    pthread_cond_destroy(&sb->cond);
    pthread_mutex_destroy(&sb->mu);
    free(sb);
}

sandbox *sandbox_start(const sandbox_options *opts, char *err, size_t err_size)
{
    sandbox_options none = {0};
    if (!opts)
        opts = &none;
    if (opts->port < 0 || opts->port > 65535) {
        snprintf(err, err_size, "port %d is out of range", opts->port);
        return NULL;
    }
    sandbox *sb = mps_xcalloc(1, sizeof *sb);
    sb->opts = *opts;
    sb->opts.scenario_path = NULL;
    sb->request_log_path = mps_xstrdup(opts->request_log_path);
    sb->events_path = mps_xstrdup(opts->events_path);
    sb->opts.request_log_path = sb->request_log_path;
    sb->opts.events_path = sb->events_path;
    pthread_mutex_init(&sb->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&sb->cond, &ca);
    pthread_condattr_destroy(&ca);

    /* The logs are opened per line; a path that cannot be opened (a link, no directory) is
     * refused here rather than losing every line in silence. */
    const char *logs[] = {sb->request_log_path, sb->events_path};
    for (size_t i = 0; i < COUNT_OF(logs); i++) {
        if (!logs[i])
            continue;
        int fd =
            open(logs[i], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
        if (fd < 0) {
            snprintf(err, err_size, "%s: %s", logs[i],
                     errno == ELOOP ? "a symbolic link: refused" : strerror(errno));
            free_sandbox(sb);
            return NULL;
        }
        close(fd);
    }

    if (opts->scenario_path) {
        if (!sbx_dataset_load(&sb->world, opts->scenario_path, err, err_size)) {
            free_sandbox(sb);
            return NULL;
        }
    } else {
        sbx_dataset_builtin(&sb->world);
    }
    /* the command line's dialect, else the scenario's, else the guides' */
    sb->dialect = opts->dialect != SANDBOX_DIALECT_DEFAULT       ? opts->dialect
                  : sb->world.dialect != SANDBOX_DIALECT_DEFAULT ? sb->world.dialect
                                                                 : SANDBOX_DIALECT_GUIDE;
    if (opts->hostile_names)
        sbx_dataset_hostile(&sb->world);
    if (opts->extra_solutions > 0)
        sbx_dataset_extra(&sb->world, opts->extra_solutions);

    /* loopback only: the sandbox must never be reachable from another host */
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)opts->port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    errno = 0;
    sb->daemon = MHD_start_daemon(
        MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
        NULL, on_request, sb, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, sb, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        sb, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)HARD_CONNECTIONS, MHD_OPTION_END);
    if (!sb->daemon) {
        int e = errno;
        snprintf(err, err_size, "cannot listen on 127.0.0.1:%d: %s", opts->port,
                 e ? strerror(e) : "the HTTP server did not start");
        free_sandbox(sb);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(sb->daemon, MHD_DAEMON_INFO_BIND_PORT);
    sb->port = info ? info->port : opts->port;
    snprintf(sb->base_url, sizeof sb->base_url, "http://127.0.0.1:%d", sb->port);
    if (opts->public_url && opts->public_url[0]) {
        sb->public_url = mps_xstrdup(opts->public_url);
        size_t n = strlen(sb->public_url);
        while (n > 0 && sb->public_url[n - 1] == '/')
            sb->public_url[--n] = '\0';
    }
    if (opts->demo_activity)
        sbx_demo_start(sb);
    return sb;
}

static const char *const dialect_names[] = {
    [SANDBOX_DIALECT_DEFAULT] = "guide",
    [SANDBOX_DIALECT_GUIDE] = "guide",
    [SANDBOX_DIALECT_OPENAPI] = "openapi",
};

bool sandbox_dialect_parse(const char *name, sandbox_dialect *out)
{
    for (size_t i = SANDBOX_DIALECT_GUIDE; name && i <= SANDBOX_DIALECT_OPENAPI; i++) {
        if (strcmp(name, dialect_names[i]) == 0) {
            *out = (sandbox_dialect)i;
            return true;
        }
    }
    return false;
}

const char *sandbox_dialect_name(sandbox_dialect d)
{
    return d <= SANDBOX_DIALECT_OPENAPI ? dialect_names[d] : "guide";
}

sandbox_dialect sandbox_get_dialect(const sandbox *sb)
{
    return sb->dialect;
}

int sandbox_port(const sandbox *sb)
{
    return sb->port;
}

const char *sandbox_base_url(const sandbox *sb)
{
    return sb->base_url;
}

unsigned long sandbox_request_count(sandbox *sb)
{
    pthread_mutex_lock(&sb->mu);
    unsigned long n = sb->requests;
    pthread_mutex_unlock(&sb->mu);
    return n;
}

void sandbox_stop(sandbox *sb)
{
    if (!sb)
        return;
    pthread_mutex_lock(&sb->mu);
    sb->stopping = true;
    pthread_cond_broadcast(&sb->cond);
    pthread_mutex_unlock(&sb->mu);
    if (sb->demo_running)
        pthread_join(sb->demo_thread, NULL);
    MHD_stop_daemon(sb->daemon);
    free_sandbox(sb);
}
