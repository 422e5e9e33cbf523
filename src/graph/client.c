/* The engine: one curl multi handle per client driving many operations at once, with URL
 * building, retry timers (no sleeping), the event queue and the blocking graph_run(). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "graph_internal.h"
#include "mpsdash/model.h"
#include "mpsdash/util.h"

struct graph_client {
    /* A client made with graph_client_new_shared has its own identity (URL, token, usage,
     * trace) but drives its ops on its host's multi handle, op list and event queue. */
    graph_client *host; /* NULL: this client is an engine itself */
    CURLM *multi;       /* the engine's (NULL in a shared client) */
    char *base;         /* without trailing slash */
    char *version;
    char *app_id;
    char *token;
    char proof[65]; /* empty without an app secret */
    char *ca_file;
    struct curl_slist *headers;
    struct curl_slist *json_headers;
    graph_http_config http;
    graph_parse_limits limits;
    FILE *trace;
    bool verbose;
    int max_retries;
    long backoff_base_ms;
    long backoff_cap_ms;
    int max_pages;
    size_t max_items, max_paged_bytes;
    long deadline_ms;  /* each op's own deadline */
    long long end_ms;  /* every op's, from graph_client_set_deadline; 0: none */
    long end_total_ms; /* the length it was set with, for messages */
    graph_usage usage;
    long requests;
    long connections;
    int role_split; /* see graph_client_role_split */
    graph_op **ops; /* driven */
    size_t op_count, op_cap;
    bool added;       /* a transfer was added since the last curl_multi_perform (engine only) */
    graph_op **queue; /* ops with something to report, oldest first */
    size_t queue_count, queue_cap;
    unsigned long long rng;
    unsigned lacks;        /* GRAPH_LACKS_* learned from the server's answers */
    strlist dropped;       /* "<kind>:<field>" the server called nonexistent */
    strlist trace_secrets; /* secrets answers carried (business tokens): kept out of the trace */
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- URLs ---- */

/* Percent-encoding by curl's URL API: everything but RFC 3986's unreserved characters. */
char *graph_url_escape(const char *s)
{
    /* The handle argument only ever served EBCDIC conversion: NULL is fine in every version. */
    char *esc = curl_easy_escape(NULL, s, (int)strlen(s));
    if (!esc)
        abort(); /* allocation failed: as mps_xmalloc does */
    size_t n = strlen(esc);
    char *out = mps_xmalloc(n + 1);
    memcpy(out, esc, n + 1);
    curl_free(esc);
    return out;
}

bool graph_path_segment_ok(const char *s)
{
    if (!s || !s[0] || strlen(s) > 128 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
            return false;
    return true;
}

typedef struct origin {
    char *scheme, *host, *port;
} origin;

static void origin_free(origin *o)
{
    curl_free(o->scheme);
    curl_free(o->host);
    curl_free(o->port);
    memset(o, 0, sizeof *o);
}

static bool origin_of(const char *url, origin *o)
{
    memset(o, 0, sizeof *o);
    CURLU *u = curl_url();
    if (!u)
        abort();
    bool ok = curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_SCHEME, &o->scheme, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_HOST, &o->host, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_PORT, &o->port, CURLU_DEFAULT_PORT) == CURLUE_OK;
    curl_url_cleanup(u);
    if (!ok)
        origin_free(o);
    return ok;
}

bool graph_same_origin(const char *base, const char *url)
{
    origin a, b;
    if (!origin_of(base, &a))
        return false;
    if (!origin_of(url, &b)) {
        origin_free(&a);
        return false;
    }
    bool same = strcasecmp(a.scheme, b.scheme) == 0 && strcasecmp(a.host, b.host) == 0 &&
                strcmp(a.port, b.port) == 0;
    origin_free(&a);
    origin_free(&b);
    return same;
}

/* Whether url names a user or password (https://user:pw@host): never followed. */
static bool has_userinfo(const char *url)
{
    CURLU *u = curl_url();
    if (!u)
        abort();
    char *user = NULL, *password = NULL;
    bool has = curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
               curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
               curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK;
    curl_free(user);
    curl_free(password);
    curl_url_cleanup(u);
    return has;
}

static bool is_loopback(const char *host)
{
    static const char *const names[] = {"127.0.0.1", "::1", "[::1]", "localhost"};
    for (size_t i = 0; i < COUNT_OF(names); i++)
        if (strcasecmp(host, names[i]) == 0)
            return true;
    return false;
}

/* Checks the base URL: https anywhere, plain http only to this machine. */
static bool check_base(const char *base, bool *allow_http, graph_error *err)
{
    CURLU *u = curl_url();
    if (!u)
        abort();
    char *scheme = NULL, *host = NULL, *query = NULL, *fragment = NULL, *user = NULL;
    bool ok = false;
    if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        graph_error_set(err, GRAPH_ERR_USAGE, "not a usable graph URL: %s", base);
    } else if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
               curl_url_get(u, CURLUPART_FRAGMENT, &fragment, 0) == CURLUE_OK ||
               curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
        graph_error_set(err, GRAPH_ERR_USAGE,
                        "the graph URL must not carry a query, fragment or user name: %s", base);
    } else if (strcasecmp(scheme, "https") == 0) {
        *allow_http = false;
        ok = true;
    } else if (strcasecmp(scheme, "http") == 0 && is_loopback(host)) {
        *allow_http = true;
        ok = true;
    } else if (strcasecmp(scheme, "http") == 0) {
        graph_error_set(err, GRAPH_ERR_USAGE,
                        "plain http is refused for %s: use https (http only to 127.0.0.1, ::1 or "
                        "localhost)",
                        host);
    } else {
        graph_error_set(err, GRAPH_ERR_USAGE, "unsupported scheme %s in the graph URL", scheme);
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(query);
    curl_free(fragment);
    curl_free(user);
    curl_url_cleanup(u);
    return ok;
}

static char *with_proof(const graph_client *c, char *url)
{
    if (!c->proof[0] || strstr(url, "appsecret_proof="))
        return url;
    char *out =
        graph_xasprintf("%s%sappsecret_proof=%s", url, strchr(url, '?') ? "&" : "?", c->proof);
    free(url);
    return out;
}

char *graph_client_url(const graph_client *c, const char *path, const char *query)
{
    char *url = graph_xasprintf("%s/%s/%s%s%s", c->base, c->version, path,
                                query && query[0] ? "?" : "", query ? query : "");
    return with_proof(c, url);
}

const char *graph_client_base(const graph_client *c)
{
    return c->base;
}

char *graph_client_root_url(const graph_client *c)
{
    return with_proof(c, graph_xasprintf("%s/", c->base));
}

/* Graph may echo the token in paging links (access_token=...): the token goes in the
 * Authorization header only, so such parameters (and any fragment) are dropped. */
static char *without_token_params(const char *url)
{
    size_t n = strcspn(url, "#");
    const char *q = memchr(url, '?', n);
    if (!q)
        return graph_xasprintf("%.*s", (int)n, url);
    strbuf out = {0};
    strbuf_add(&out, url, (size_t)(q - url));
    const char *p = q + 1;
    const char *end = url + n;
    bool first = true;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        size_t len = amp ? (size_t)(amp - p) : (size_t)(end - p);
        static const char *const drop[] = {"access_token=", "access%5Ftoken=", "access%5ftoken="};
        bool secret = false;
        for (size_t i = 0; i < COUNT_OF(drop); i++)
            if (len >= strlen(drop[i]) && strncasecmp(p, drop[i], strlen(drop[i])) == 0)
                secret = true;
        if (len && !secret) {
            strbuf_add(&out, first ? "?" : "&", 1);
            strbuf_add(&out, p, len);
            first = false;
        }
        p += len + (amp ? 1 : 0);
    }
    return out.data;
}

static int cmp_param(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Query parameters that page through a Graph edge (cursor, time and offset paging). */
static bool is_cursor_param(const char *p)
{
    static const char *const names[] = {
        "after=", "before=", "until=", "since=", "offset=", "__after_id=", "__before_id="};
    for (size_t i = 0; i < COUNT_OF(names); i++)
        if (strncmp(p, names[i], strlen(names[i])) == 0)
            return true;
    return false;
}

char *graph_page_key(const char *url, bool cursor)
{
    CURLU *u = curl_url();
    if (!u)
        abort();
    char *path = NULL, *query = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
        curl_url_cleanup(u);
        return cursor ? NULL : mps_xstrdup(url);
    }
    curl_url_get(u, CURLUPART_QUERY, &query, 0);
    curl_url_cleanup(u);
    /* Sorted parameters, without the token and the proof: the same page however the server
     * orders its link's query. */
    strlist params = {0};
    for (char *save = NULL, *p = query ? strtok_r(query, "&", &save) : NULL; p;
         p = strtok_r(NULL, "&", &save)) {
        if (strncasecmp(p, "access_token=", 13) == 0 ||
            strncasecmp(p, "access%5ftoken=", 15) == 0 || strncmp(p, "appsecret_proof=", 16) == 0 ||
            (cursor && !is_cursor_param(p)))
            continue;
        strlist_push(&params, p);
    }
    char *key = NULL;
    if (!cursor || params.count) {
        if (params.count) /* qsort wants an array, even of none */
            qsort(params.items, params.count, sizeof *params.items, cmp_param);
        strbuf b = {0};
        strbuf_adds(&b, path);
        for (size_t i = 0; i < params.count; i++) {
            strbuf_adds(&b, i ? "&" : "?");
            strbuf_adds(&b, params.items[i]);
        }
        key = strbuf_take(&b);
    }
    strlist_clear(&params);
    curl_free(path);
    curl_free(query);
    return key;
}

char *graph_client_next_url(const graph_client *c, const char *next, graph_error *err)
{
    if (!graph_same_origin(c->base, next) || has_userinfo(next)) {
        graph_error_set(err, GRAPH_ERR_PROTOCOL,
                        "refused a paging link that points away from the graph URL");
        return NULL;
    }
    return with_proof(c, without_token_params(next));
}

int graph_client_max_pages(const graph_client *c)
{
    return c->max_pages;
}

size_t graph_client_max_items(const graph_client *c)
{
    return c->max_items;
}

size_t graph_client_max_paged_bytes(const graph_client *c)
{
    return c->max_paged_bytes;
}

const char *graph_client_version(const graph_client *c)
{
    return c->version;
}

const char *graph_client_token(const graph_client *c)
{
    return c ? c->token : NULL;
}

const graph_parse_limits *graph_client_limits(const graph_client *c)
{
    return &c->limits;
}

unsigned graph_client_lacks(const graph_client *c)
{
    return c->lacks;
}

void graph_client_learn(graph_client *c, unsigned lacks)
{
    c->lacks |= lacks;
}

bool graph_client_partners_unavailable(const graph_client *c)
{
    unsigned both = GRAPH_LACKS_PARTNERS_FIELD | GRAPH_LACKS_PARTNERS_EDGE;
    return c && (c->lacks & both) == both;
}

static char *dropped_key(int kind, const char *field)
{
    return graph_xasprintf("%d:%s", kind, field);
}

bool graph_client_field_dropped(const graph_client *c, int kind, const char *field)
{
    char *k = dropped_key(kind, field);
    bool found = strlist_contains(&c->dropped, k);
    free(k);
    return found;
}

void graph_client_drop_field(graph_client *c, int kind, const char *field)
{
    char *k = dropped_key(kind, field);
    if (!strlist_contains(&c->dropped, k))
        strlist_push(&c->dropped, k);
    free(k);
}

/* The client whose multi handle, op list and queue drive c's ops. */
static graph_client *engine_of(const graph_client *c)
{
    return c->host ? c->host : (graph_client *)c;
}

/* ---- life ---- */

static void zero_headers(struct curl_slist *l)
{
    for (; l; l = l->next)
        explicit_bzero(l->data, strlen(l->data));
}

static graph_client *client_make(const graph_options *opts, graph_client *host, graph_error *err)
{
    graph_error local;
    if (!err)
        err = &local;
    graph_error_clear(err);
    const char *base = opts->base_url && opts->base_url[0] ? opts->base_url : MPS_DEFAULT_GRAPH_URL;
    const char *version =
        opts->api_version && opts->api_version[0] ? opts->api_version : MPS_DEFAULT_API_VERSION;
    bool allow_http = false;
    if (!check_base(base, &allow_http, err))
        return NULL;
    if (!api_version_ok(version)) {
        graph_error_set(err, GRAPH_ERR_USAGE,
                        "API version must look like " MPS_DEFAULT_API_VERSION ", not %s", version);
        return NULL;
    }
    if (!opts->token || !opts->token[0]) {
        graph_error_set(err, GRAPH_ERR_USAGE, "no access token");
        return NULL;
    }
    if (strpbrk(opts->token, "\r\n")) {
        graph_error_set(err, GRAPH_ERR_USAGE, "the access token contains a line break");
        return NULL;
    }
    if (opts->app_id && opts->app_id[0] && !graph_path_segment_ok(opts->app_id)) {
        graph_error_set(err, GRAPH_ERR_USAGE, "not a valid app id: %s", opts->app_id);
        return NULL;
    }
    FILE *trace = NULL;
    if (opts->trace_path && opts->trace_path[0]) {
        /* "-" is standard error (a copy of it, so that closing the trace leaves stderr open).
         * A file is 0600: a redacted trace still shows ids and business data; O_NOFOLLOW: a
         * planted link does not send it to another file. */
        int fd =
            strcmp(opts->trace_path, "-") == 0
                ? fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0)
                : open(opts->trace_path,
                       O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
        if (fd < 0 || !(trace = fdopen(fd, "a"))) {
            graph_error_set(err, GRAPH_ERR_USAGE, "cannot open the trace file %s: %s",
                            opts->trace_path, strerror(errno));
            if (fd >= 0)
                close(fd);
            return NULL;
        }
    }
    graph_client *c = mps_xcalloc(1, sizeof *c);
    c->host = host;
    if (!host) {
        c->multi = curl_multi_init();
        if (!c->multi)
            abort();
    }
    c->trace = trace;
    c->verbose = opts->verbose;
    c->base = mps_xstrdup(base);
    size_t n = strlen(c->base);
    while (n > 0 && c->base[n - 1] == '/')
        c->base[--n] = '\0';
    c->version = mps_xstrdup(version);
    c->app_id = opts->app_id && opts->app_id[0] ? mps_xstrdup(opts->app_id) : NULL;
    c->token = mps_xstrdup(opts->token);
    if (opts->app_secret && opts->app_secret[0])
        graph_appsecret_proof(opts->app_secret, opts->token, c->proof);
    c->ca_file = mps_xstrdup(opts->ca_file && opts->ca_file[0] ? opts->ca_file : NULL);
    char *auth = graph_xasprintf("Authorization: Bearer %s", c->token);
    c->headers = curl_slist_append(NULL, auth);
    c->json_headers = curl_slist_append(NULL, auth);
    graph_free_secret(auth);
    c->headers = curl_slist_append(c->headers, "Accept: application/json");
    c->headers = curl_slist_append(c->headers, "Expect:"); /* no 100-continue stalls */
    c->json_headers = curl_slist_append(c->json_headers, "Accept: application/json");
    c->json_headers = curl_slist_append(c->json_headers, "Expect:");
    c->json_headers = curl_slist_append(c->json_headers, "Content-Type: application/json");
    c->http.headers = c->headers;
    c->http.json_headers = c->json_headers;
    c->http.token = c->token;
    c->http.protocols = allow_http ? "http,https" : "https";
    c->http.ca_file = c->ca_file;
    c->http.connect_timeout_ms = opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : 10000;
    c->http.request_timeout_ms = opts->request_timeout_ms > 0 ? opts->request_timeout_ms : 60000;
    c->http.body_cap = opts->body_cap ? opts->body_cap : GRAPH_DEFAULT_BODY_CAP;
    c->limits.max_bytes = c->http.body_cap;
    c->limits.max_depth = opts->json_depth > 0 ? opts->json_depth : GRAPH_DEFAULT_DEPTH;
    c->limits.secret = c->token;
    c->limits.no_json = opts->no_json;
    c->max_retries = opts->max_retries < 0    ? 0
                     : opts->max_retries == 0 ? GRAPH_DEFAULT_RETRIES
                                              : opts->max_retries;
    c->backoff_base_ms = opts->backoff_base_ms > 0 ? opts->backoff_base_ms : 500;
    c->backoff_cap_ms = opts->backoff_cap_ms > 0 ? opts->backoff_cap_ms : 30000;
    c->max_pages = opts->max_pages > 0 ? opts->max_pages : GRAPH_MAX_PAGES;
    c->max_items = opts->max_items ? opts->max_items : GRAPH_MAX_ITEMS;
    c->max_paged_bytes = opts->max_paged_bytes ? opts->max_paged_bytes : GRAPH_MAX_PAGED_BYTES;
    c->deadline_ms =
        opts->deadline_ms > 0 ? opts->deadline_ms : (long)GRAPH_DEFAULT_DEADLINE_S * 1000;
    c->usage.max_percent = -1;
    c->role_split = opts->one_chain ? 0 : -1;
    c->rng = (unsigned long long)now_ms() ^ ((unsigned long long)getpid() << 32) ^
             (unsigned long long)(uintptr_t)c;
    return c;
}

graph_client *graph_client_new(const graph_options *opts, graph_error *err)
{
    return client_make(opts, NULL, err);
}

graph_client *graph_client_new_shared(graph_client *host, const graph_options *opts,
                                      graph_error *err)
{
    return client_make(opts, engine_of(host), err);
}

static void detach(graph_client *c, graph_op *op);
static void clear_calls(struct graph_op_engine *e);

void graph_client_free(graph_client *c)
{
    if (!c)
        return;
    graph_error cancelled;
    graph_error_set(&cancelled, GRAPH_ERR_CANCELLED, "cancelled");
    /* An engine stops every op it drives; a shared client only its own. */
    graph_client *eng = engine_of(c);
    for (size_t i = 0; i < eng->op_count;) {
        graph_op *op = eng->ops[i];
        if (c->host && graph_op_engine(op)->client != c) {
            i++;
            continue;
        }
        detach(graph_op_engine(op)->client, op);
        clear_calls(graph_op_engine(op));
        graph_op_finish(op, &cancelled);
    }
    for (size_t i = 0; i < eng->queue_count;) {
        graph_op *op = eng->queue[i];
        if (c->host && graph_op_engine(op)->client != c) {
            i++;
            continue;
        }
        detach(graph_op_engine(op)->client ? graph_op_engine(op)->client : c, op);
    }
    if (c->multi)
        curl_multi_cleanup(c->multi);
    zero_headers(c->headers);
    curl_slist_free_all(c->headers);
    zero_headers(c->json_headers);
    curl_slist_free_all(c->json_headers);
    graph_free_secret(c->token);
    strlist_clear(&c->dropped);
    for (size_t i = 0; i < c->trace_secrets.count; i++)
        explicit_bzero(c->trace_secrets.items[i], strlen(c->trace_secrets.items[i]));
    strlist_clear(&c->trace_secrets);
    explicit_bzero(c->proof, sizeof c->proof);
    free(c->base);
    free(c->version);
    free(c->app_id);
    free(c->ca_file);
    free(c->ops);
    free(c->queue);
    if (c->trace)
        fclose(c->trace);
    free(c);
}

graph_usage graph_client_usage(const graph_client *c)
{
    return c->usage;
}

const char *graph_client_app_id(const graph_client *c)
{
    return c->app_id;
}

long graph_client_requests(const graph_client *c)
{
    return c->requests;
}

long graph_client_connections(const graph_client *c)
{
    return c->connections;
}

int graph_client_role_split(const graph_client *c)
{
    return c->role_split;
}

void graph_client_set_role_split(graph_client *c, int split)
{
    c->role_split = split;
}

size_t graph_client_running(const graph_client *c)
{
    return engine_of(c)->op_count;
}

void graph_client_wakeup(graph_client *c)
{
    curl_multi_wakeup(engine_of(c)->multi);
}

/* ---- driving ---- */

static bool list_remove(graph_op **list, size_t *count, const graph_op *op)
{
    for (size_t i = 0; i < *count; i++)
        if (list[i] == op) {
            memmove(&list[i], &list[i + 1], (*count - i - 1) * sizeof *list);
            (*count)--;
            return true;
        }
    return false;
}

static void list_push(graph_op ***list, size_t *count, size_t *cap, graph_op *op)
{
    if (*count == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *list = mps_xrealloc(*list, *cap * sizeof **list);
    }
    (*list)[(*count)++] = op;
}

static void enqueue(graph_client *c, graph_op *op)
{
    struct graph_op_engine *e = graph_op_engine(op);
    if (e->queued)
        return;
    e->queued = true;
    list_push(&c->queue, &c->queue_count, &c->queue_cap, op);
}

static void stop_lane(graph_client *eng, struct graph_lane *ln)
{
    if (ln->inflight) {
        curl_multi_remove_handle(eng->multi, graph_http_easy(ln->inflight));
        graph_http_free(ln->inflight);
        ln->inflight = NULL;
    }
}

static void stop_transfers(graph_client *eng, struct graph_op_engine *e)
{
    for (int l = 0; l < GRAPH_LANES; l++)
        stop_lane(eng, &e->lane[l]);
}

static void clear_calls(struct graph_op_engine *e)
{
    for (int l = 0; l < GRAPH_LANES; l++)
        graph_call_clear(&e->lane[l].next);
}

/* Forgets op entirely: not driven, not queued, no transfer. c: the op's client or its engine. */
static void detach(graph_client *c, graph_op *op)
{
    graph_client *eng = engine_of(c);
    struct graph_op_engine *e = graph_op_engine(op);
    stop_transfers(eng, e);
    list_remove(eng->ops, &eng->op_count, op);
    if (list_remove(eng->queue, &eng->queue_count, op))
        e->queued = false;
    e->client = NULL;
}

void graph_client_set_deadline(graph_client *c, long left_ms, long total_ms)
{
    c->end_total_ms = total_ms > 0 ? total_ms : 1;
    c->end_ms = now_ms() + (left_ms > 0 ? left_ms : 1);
}

/* "120 s", "1.5 s": the deadline as a person set it. */
static void deadline_text(long long ms, char *out, size_t size)
{
    if (ms % 1000 == 0)
        snprintf(out, size, "%lld s", ms / 1000);
    else
        snprintf(out, size, "%.1f s", (double)ms / 1000);
}

/* The op ran out of time: the error says which limit, and how to give more. */
static void deadline_error(graph_op *op, graph_error *err, bool sent)
{
    struct graph_op_engine *e = graph_op_engine(op);
    graph_client *c = e->client;
    long long total = c && c->end_ms && c->end_ms == e->end_ms ? c->end_total_ms
                      : c                                      ? c->deadline_ms
                                                               : 0;
    char limit[32] = "";
    deadline_text(total, limit, sizeof limit);
    graph_error_set(err, GRAPH_ERR_TIMEOUT, "no complete answer within the %s deadline", limit);
    snprintf(err->hint, sizeof err->hint,
             "%s; the server may be slow: try again later, or allow more time with --timeout or "
             "the timeout setting",
             sent ? "the deadline passed during the request" : "nothing more was sent");
}

/* c: the op's own client (its identity sends the request). */
static void send_call(graph_client *c, graph_op *op, int lane)
{
    struct graph_op_engine *e = graph_op_engine(op);
    struct graph_lane *ln = &e->lane[lane];
    /* Each attempt gets what is left of the op's deadline at most: a server that trickles
     * bytes cannot hold a command for the per-attempt limit times every retry. */
    long long left = e->end_ms ? e->end_ms - now_ms() : 0;
    if (e->end_ms && left <= 0) {
        /* Not sent: the op hears it as a request that never left, so a POST whose outcome
         * was already unknown (its read-back) stays unknown. */
        graph_response resp = {.body = "", .transport_failed = true};
        deadline_error(op, &resp.err, false);
        graph_call done = ln->next;
        memset(&ln->next, 0, sizeof ln->next);
        ln->attempt = 0;
        ln->due_ms = 0;
        graph_op_step(op, lane, &resp);
        graph_call_clear(&done);
        return;
    }
    graph_http_config cfg = c->http;
    if (e->end_ms && left < cfg.request_timeout_ms)
        cfg.request_timeout_ms = (long)left;
    if (e->end_ms && left < cfg.connect_timeout_ms)
        cfg.connect_timeout_ms = (long)left;
    graph_http *h = graph_http_new(&cfg, op, lane, &ln->next);
    ln->inflight = h;
    c->requests++;
    if (c->host)
        c->host->requests++; /* the engine counts every request it carried */
    graph_op_result(op)->requests++;
    engine_of(c)->added = true;
    if (curl_multi_add_handle(engine_of(c)->multi, graph_http_easy(h)) != CURLM_OK) {
        ln->inflight = NULL;
        graph_http_free(h);
        graph_error err;
        graph_error_set(&err, GRAPH_ERR_NETWORK, "could not start the request");
        clear_calls(e);
        graph_op_finish(op, &err); /* the caller retires it */
    }
}

/* Sends every lane's next call that is due. c: the op's own client. */
static void send_due(graph_client *c, graph_op *op)
{
    struct graph_op_engine *e = graph_op_engine(op);
    long long now = now_ms();
    for (int l = 0; l < GRAPH_LANES && !graph_op_is_done(op); l++) {
        struct graph_lane *ln = &e->lane[l];
        if (!ln->inflight && ln->next.url && ln->due_ms <= now)
            send_call(c, op, l);
    }
}

/* A finished op: its other lanes' transfers stop, and it is reported. */
static void retire(graph_client *eng, graph_op *op)
{
    struct graph_op_engine *e = graph_op_engine(op);
    stop_transfers(eng, e);
    clear_calls(e);
    list_remove(eng->ops, &eng->op_count, op);
    enqueue(eng, op);
}

/* Notes a change of the op's highest attempt (a retry scheduled, or a retried call answered)
 * and queues the op so that whoever drives it can tell a person. c: the op's own client. */
static void note_progress(graph_client *c, graph_op *op)
{
    struct graph_op_engine *e = graph_op_engine(op);
    graph_progress p = {.attempt = 1, .of = c->max_retries + 1, .why = GRAPH_OK};
    for (int l = 0; l < GRAPH_LANES; l++) {
        const struct graph_lane *ln = &e->lane[l];
        if ((ln->inflight || ln->next.url) && ln->attempt + 1 > p.attempt) {
            p.attempt = ln->attempt + 1;
            p.why = ln->retry_why;
        }
    }
    p.posted = graph_op_result(op)->posted;
    if (p.attempt == e->progress.attempt && p.why == e->progress.why)
        return;
    e->progress = p;
    e->progress_ready = true;
    enqueue(engine_of(c), op);
}

bool graph_op_take_progress(graph_op *op, graph_progress *p)
{
    struct graph_op_engine *e = graph_op_engine(op);
    if (!e->progress_ready)
        return false;
    e->progress_ready = false;
    *p = e->progress;
    return true;
}

/* After a step: report, send the next calls when due, or retire a finished op. c: the op's
 * own client. */
static void settle(graph_client *c, graph_op *op)
{
    graph_client *eng = engine_of(c);
    struct graph_op_engine *e = graph_op_engine(op);
    if (graph_op_is_done(op)) {
        retire(eng, op);
        return;
    }
    note_progress(c, op);
    if (e->page_ready)
        enqueue(eng, op);
    send_due(c, op);
    if (graph_op_is_done(op))
        retire(eng, op);
}

void graph_client_start(graph_client *c, graph_op *op)
{
    graph_client *eng = engine_of(c);
    struct graph_op_engine *e = graph_op_engine(op);
    if (e->client == c)
        return;
    if (e->client)
        detach(e->client, op);
    e->client = c;
    if (graph_op_is_done(op)) { /* refused at creation (bad argument): still report it */
        enqueue(eng, op);
        return;
    }
    for (int l = 0; l < GRAPH_LANES; l++) {
        e->lane[l].due_ms = 0;
        e->lane[l].attempt = 0;
    }
    e->progress = (graph_progress){.attempt = 1, .of = c->max_retries + 1};
    e->progress_ready = false;
    e->end_ms = now_ms() + c->deadline_ms;
    if (c->end_ms && c->end_ms < e->end_ms)
        e->end_ms = c->end_ms;
    list_push(&eng->ops, &eng->op_count, &eng->op_cap, op);
    graph_op_step(op, 0, NULL);
    settle(c, op);
}

static unsigned long long next_random(graph_client *c)
{
    /* xorshift64*: jitter only, no need for anything stronger */
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return c->rng * 2685821657736338717ULL;
}

/* Capped exponential backoff with jitter in [d/2, d]. */
static long backoff_ms(graph_client *c, int attempt)
{
    long d = c->backoff_base_ms;
    for (int i = 0; i < attempt && d < c->backoff_cap_ms; i++)
        d *= 2;
    if (d > c->backoff_cap_ms)
        d = c->backoff_cap_ms;
    long half = d / 2;
    return half + (half > 0 ? (long)(next_random(c) % (unsigned long long)(half + 1)) : 0);
}

/* Whether to send the call again later instead of passing the failure on. */
static bool schedule_retry(graph_client *c, graph_op *op, struct graph_lane *ln,
                           graph_response *resp)
{
    struct graph_op_engine *e = graph_op_engine(op);
    if (resp->err.cls == GRAPH_OK || !ln->next.idempotent || !graph_error_retryable(&resp->err))
        return false;
    if (ln->attempt >= c->max_retries)
        return false;
    long delay = backoff_ms(c, ln->attempt);
    if (resp->err.retry_after_s > 0) {
        long long want = (long long)resp->err.retry_after_s * 1000;
        if (want > c->backoff_cap_ms)
            return false; /* the server asks for longer than we wait: say so instead */
        if (want > delay)
            delay = (long)want;
    }
    if (e->end_ms && now_ms() + delay >= e->end_ms)
        return false; /* the next attempt would start after the deadline: say so now */
    ln->attempt++;
    ln->retry_why = resp->err.cls;
    ln->due_ms = now_ms() + delay;
    return true;
}

/* eng: the engine that ran the transfer; the op's own client gets the usage, trace, retry. */
static void complete(graph_client *eng, graph_http *h, CURLcode rc)
{
    graph_op *op = graph_http_op(h);
    int lane = graph_http_lane(h);
    struct graph_op_engine *e = graph_op_engine(op);
    struct graph_lane *ln = &e->lane[lane];
    graph_client *c = e->client ? e->client : eng;
    curl_multi_remove_handle(eng->multi, graph_http_easy(h));
    ln->inflight = NULL;
    graph_response resp;
    graph_http_complete(h, rc, &resp);
    if (rc == CURLE_OPERATION_TIMEDOUT && e->end_ms && now_ms() >= e->end_ms - 50) {
        /* cut by the op's deadline, not the per-attempt limit: say which */
        graph_error d;
        deadline_error(op, &d, true);
        snprintf(resp.err.message, sizeof resp.err.message, "%s", d.message);
        snprintf(resp.err.hint, sizeof resp.err.hint, "%s", d.hint);
    }
    graph_usage u = graph_http_usage(h);
    if (u.max_percent >= 0)
        c->usage = u;
    c->connections += graph_http_new_connections(h);
    graph_http_trace(h, c->trace, c->verbose ? stderr : NULL, &resp, ln->attempt,
                     &c->trace_secrets);
    if (schedule_retry(c, op, ln, &resp)) {
        graph_http_free(h);
        settle(c, op);
        return;
    }
    ln->attempt = 0;
    ln->due_ms = 0;
    graph_result *r = graph_op_result(op);
    if (resp.fbtrace_id[0] && (ln->next.post || !e->traced_post)) {
        memcpy(r->fbtrace_id, resp.fbtrace_id, sizeof r->fbtrace_id);
        e->traced_post = ln->next.post;
    }
    graph_call done = ln->next;
    memset(&ln->next, 0, sizeof ln->next);
    graph_op_step(op, lane, &resp);
    graph_call_clear(&done);
    graph_http_free(h);
    settle(c, op);
}

void graph_client_poll(graph_client *c, int timeout_ms)
{
    c = engine_of(c);
    long long now = now_ms();
    long long wait = timeout_ms < 0 ? 0 : timeout_ms;
    for (size_t i = 0; i < c->op_count; i++) {
        struct graph_op_engine *e = graph_op_engine(c->ops[i]);
        for (int l = 0; l < GRAPH_LANES; l++) {
            const struct graph_lane *ln = &e->lane[l];
            if (!ln->inflight && ln->next.url) {
                long long left = ln->due_ms - now;
                if (left < wait)
                    wait = left < 0 ? 0 : left;
            }
        }
    }
    curl_multi_poll(c->multi, NULL, 0, (int)wait, NULL);
    /* The requests added while answers were read (a list's next page, asked for as its page was
     * parsed) go on the wire in a second pass, not at the next poll: whoever drives the client
     * does its work on the pages handed over while those requests travel. The second pass
     * reads what finished meanwhile too, so nothing waits in curl's queue for a socket event. */
    for (int pass = 0; pass < 2; pass++) {
        c->added = false;
        int running = 0;
        curl_multi_perform(c->multi, &running);
        /* One message at a time: completing one transfer may end its op and remove that op's
         * other transfers, and curl drops the messages of a removed handle. */
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(c->multi, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            CURL *easy = msg->easy_handle;
            CURLcode rc = msg->data.result;
            graph_http *h = NULL;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&h);
            if (h)
                complete(c, h, rc);
        }
        for (size_t i = 0; i < c->op_count;) {
            graph_op *op = c->ops[i];
            send_due(graph_op_engine(op)->client ? graph_op_engine(op)->client : c, op);
            if (graph_op_is_done(op)) {
                retire(c, op);
                continue;
            }
            i++;
        }
        if (!c->added)
            break;
    }
}

graph_op *graph_client_next_event(graph_client *c)
{
    c = engine_of(c);
    if (!c->queue_count)
        return NULL;
    graph_op *op = c->queue[0];
    memmove(&c->queue[0], &c->queue[1], (c->queue_count - 1) * sizeof *c->queue);
    c->queue_count--;
    struct graph_op_engine *e = graph_op_engine(op);
    e->queued = false;
    e->page_ready = false;
    if (graph_op_is_done(op))
        e->client = NULL;
    return op;
}

void graph_client_cancel(graph_client *c, graph_op *op)
{
    struct graph_op_engine *e = graph_op_engine(op);
    if (!e->client || engine_of(e->client) != engine_of(c))
        return;
    detach(e->client, op);
    clear_calls(e);
    if (!graph_op_is_done(op)) {
        graph_error err;
        graph_error_set(&err, GRAPH_ERR_CANCELLED, "cancelled");
        graph_op_finish(op, &err);
    }
}

void graph_client_drop_lane(graph_op *op, int lane)
{
    struct graph_op_engine *e = graph_op_engine(op);
    struct graph_lane *ln = &e->lane[lane];
    if (e->client)
        stop_lane(engine_of(e->client), ln);
    graph_call_clear(&ln->next);
    ln->attempt = 0;
    ln->due_ms = 0;
}

void graph_client_forget(graph_op *op)
{
    struct graph_op_engine *e = graph_op_engine(op);
    if (e->client)
        graph_client_cancel(e->client, op);
}

bool graph_run(graph_client *c, graph_op *op, graph_error *err)
{
    graph_client_start(c, op);
    while (!graph_op_is_done(op))
        graph_client_poll(c, 1000);
    struct graph_op_engine *e = graph_op_engine(op);
    if (e->client)
        detach(c, op);
    e->page_ready = false;
    const graph_error *res = graph_op_error(op);
    if (err)
        *err = *res;
    return res->cls == GRAPH_OK;
}
