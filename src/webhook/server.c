/* The receiver's HTTP side: libmicrohttpd, the subscription check, signature and JSON checks,
 * replay memory, counters, and the reaper that cuts requests running past their deadline. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "mpsdash/alloc.h"
#include "mpsdash/graph.h"
#include "mpsdash/strbuf.h"
#include "mpsdash/webhook.h"
#include "wh.h"

#define SIGNATURE_HEADER "X-Hub-Signature-256"
#define CHALLENGE_MAX 4096
#define REAPER_TICK_MS 200
#define CONNECTION_LIMIT 512

/* One TCP connection, tracked so the reaper can cut it. */
typedef struct wh_conn {
    int fd;
    double since; /* start of the current request: connect, or the end of the previous one */
    bool fresh;   /* no request completed on it yet */
    bool in_request;
    bool cut;
    struct wh_conn *prev, *next;
} wh_conn;

/* One request's body as it arrives. */
typedef struct wh_req {
    strbuf body;
    bool answered; /* a refusal was queued before the body was read */
    bool dropped;  /* over the cap while arriving (chunked): refused at the end */
} wh_req;

struct webhook_server {
    struct MHD_Daemon *daemon;
    wh_sink *sink;
    char *secret;
    char *verify;
    char *cert_pem, *key_pem;
    size_t max_body;
    int timeout_s;
    FILE *log;
    int port;

    pthread_mutex_t mu; /* st, replay, conns, stopping */
    pthread_cond_t cv;
    webhook_stats st;
    wh_replay *replay;
    wh_conn *conns;
    bool stopping;
    pthread_t reaper;
    bool reaper_started;
};

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- counting and logging ---- */

static void peer_of(struct MHD_Connection *c, char *buf, size_t size)
{
    snprintf(buf, size, "?");
    const union MHD_ConnectionInfo *ci =
        c ? MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS) : NULL;
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, (socklen_t)size);
}

/* Bumps one counter and writes one log line (never the body, the signature or a secret). */
static void note(webhook_server *s, unsigned long *counter, struct MHD_Connection *c,
                 const char *what, size_t bytes)
{
    pthread_mutex_lock(&s->mu);
    (*counter)++;
    pthread_mutex_unlock(&s->mu);
    if (!s->log)
        return;
    char ts[32], peer[64];
    wh_timestamp(ts, sizeof ts);
    peer_of(c, peer, sizeof peer);
    fprintf(s->log, "%s webhook: %s (%zu bytes) from %s\n", ts, what, bytes, peer);
    fflush(s->log);
}

/* ---- answers ---- */

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *text,
                              size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "text/plain; charset=UTF-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, "Allow", "GET, POST");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result answer_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    return answer(c, status, text, strlen(text));
}

/* ---- checks ---- */

bool webhook_signature_ok(const char *app_secret, const void *body, size_t len, const char *header)
{
    static const char prefix[] = "sha256=";
    if (!app_secret || !*app_secret || !header || strncasecmp(header, prefix, 7) != 0)
        return false;
    const char *hex = header + 7;
    if (strlen(hex) != 64)
        return false;
    char got[64];
    for (size_t i = 0; i < 64; i++) {
        char ch = hex[i];
        if (ch >= 'A' && ch <= 'F')
            ch = (char)(ch - 'A' + 'a');
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return false;
        got[i] = ch;
    }
    char want[65];
    graph_hmac_sha256_hex(app_secret, body, len, want);
    if (strlen(want) != 64)
        return false;
    bool ok = CRYPTO_memcmp(want, got, 64) == 0;
    explicit_bzero(want, sizeof want);
    return ok;
}

/* Equality of two secrets in time that does not depend on where they differ (or their
 * lengths): their digests are compared. */
static bool secret_equal(const char *a, const char *b)
{
    unsigned char da[EVP_MAX_MD_SIZE], db[EVP_MAX_MD_SIZE];
    unsigned int na = 0, nb = 0;
    if (!a || !b || !EVP_Digest(a, strlen(a), da, &na, EVP_sha256(), NULL) ||
        !EVP_Digest(b, strlen(b), db, &nb, EVP_sha256(), NULL) || na != nb)
        return false;
    return CRYPTO_memcmp(da, db, na) == 0;
}

/* RFC 8259 wants control characters inside strings escaped; json-c lets them through. Refusing
 * them also means every CR or LF left is white space between tokens, safe to turn into a space. */
static bool strings_clean(const char *s, size_t len)
{
    bool in = false, esc = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == 0)
            return false;
        if (!in) {
            in = ch == '"';
        } else if (esc) {
            esc = false;
        } else if (ch == '\\') {
            esc = true;
        } else if (ch == '"') {
            in = false;
        } else if (ch < 0x20) {
            return false;
        }
    }
    return true;
}

/* A delivery the feed can read: one JSON object with an "entry" list, strict, no raw controls
 * in strings. */
static bool delivery_ok(const char *body, size_t len)
{
    if (!strings_clean(body, len))
        return false;
    mps_event *events = NULL;
    size_t n = 0;
    graph_error err;
    memset(&err, 0, sizeof err);
    bool ok = graph_parse_webhook(body, len, &events, &n, &err);
    for (size_t i = 0; i < n; i++)
        event_clear(&events[i]);
    free(events);
    return ok;
}

/* ---- requests ---- */

static wh_conn *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? (wh_conn *)ci->socket_context : NULL;
}

static enum MHD_Result verify_subscription(webhook_server *s, struct MHD_Connection *c)
{
    const char *mode = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "hub.mode");
    const char *token = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "hub.verify_token");
    const char *challenge = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "hub.challenge");
    bool ok = mode && strcmp(mode, "subscribe") == 0 && challenge && *challenge &&
              strlen(challenge) <= CHALLENGE_MAX && secret_equal(token, s->verify);
    if (!ok) {
        note(s, &s->st.verify_refused, c, "refused subscription check", 0);
        return answer_text(c, MHD_HTTP_FORBIDDEN, "forbidden\n");
    }
    note(s, &s->st.verified, c, "answered subscription check", 0);
    return answer(c, MHD_HTTP_OK, challenge, strlen(challenge));
}

/* The first call for a POST, headers only: what can be refused before reading the body. */
static enum MHD_Result post_headers(webhook_server *s, struct MHD_Connection *c, wh_req *rq)
{
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        if (errno || *end || n > s->max_body) {
            rq->answered = true;
            note(s, &s->st.oversized, c, "refused: larger than the cap", (size_t)(errno ? 0 : n));
            return answer_text(c, 413, "payload too large\n");
        }
    }
    if (!MHD_lookup_connection_value(c, MHD_HEADER_KIND, SIGNATURE_HEADER)) {
        rq->answered = true;
        note(s, &s->st.unsigned_, c, "refused: no " SIGNATURE_HEADER, 0);
        return answer_text(c, MHD_HTTP_FORBIDDEN, "unsigned\n");
    }
    return MHD_YES;
}

/* The whole body is here. */
static enum MHD_Result post_done(webhook_server *s, struct MHD_Connection *c, wh_req *rq)
{
    wh_conn *conn = conn_of(c);
    pthread_mutex_lock(&s->mu);
    bool late = conn && mono_now() - conn->since > s->timeout_s;
    pthread_mutex_unlock(&s->mu);
    if (late) {
        note(s, &s->st.slow, c, "refused: slower than the deadline", rq->body.len);
        return answer_text(c, MHD_HTTP_REQUEST_TIMEOUT, "too slow\n");
    }
    if (rq->dropped) {
        note(s, &s->st.oversized, c, "refused: larger than the cap", rq->body.len);
        return answer_text(c, 413, "payload too large\n");
    }
    const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, SIGNATURE_HEADER);
    if (!webhook_signature_ok(s->secret, rq->body.data, rq->body.len, sig)) {
        note(s, &s->st.bad_signature, c, "refused: signature does not match", rq->body.len);
        return answer_text(c, MHD_HTTP_FORBIDDEN, "bad signature\n");
    }
    if (rq->body.len == 0 || !delivery_ok(rq->body.data, rq->body.len)) {
        note(s, &s->st.malformed, c, "refused: not a JSON delivery", rq->body.len);
        return answer_text(c, MHD_HTTP_BAD_REQUEST, "malformed\n");
    }
    /* One line: CR and LF can only be white space here (strings_clean). */
    for (size_t i = 0; i < rq->body.len; i++)
        if (rq->body.data[i] == '\n' || rq->body.data[i] == '\r')
            rq->body.data[i] = ' ';

    pthread_mutex_lock(&s->mu);
    bool seen = wh_replay_seen(s->replay, rq->body.data, rq->body.len);
    bool queued = !seen && wh_sink_push(s->sink, rq->body.data, rq->body.len);
    if (queued)
        wh_replay_add(s->replay, rq->body.data, rq->body.len);
    pthread_mutex_unlock(&s->mu);
    if (seen) {
        note(s, &s->st.replayed, c, "replayed delivery answered, not written", rq->body.len);
        return answer_text(c, MHD_HTTP_OK, "ok\n");
    }
    if (!queued) {
        note(s, &s->st.overloaded, c, "refused: append queue full", rq->body.len);
        return answer_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "busy\n");
    }
    note(s, &s->st.accepted, c, "accepted delivery", rq->body.len);
    return answer_text(c, MHD_HTTP_OK, "ok\n");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    webhook_server *s = cls;
    wh_req *rq = *con_cls;
    if (!rq) {
        rq = mps_xcalloc(1, sizeof *rq);
        *con_cls = rq;
        wh_conn *conn = conn_of(c);
        if (conn) {
            pthread_mutex_lock(&s->mu);
            conn->in_request = true;
            pthread_mutex_unlock(&s->mu);
        }
        if (strcmp(method, MHD_HTTP_METHOD_GET) == 0) {
            rq->answered = true;
            return verify_subscription(s, c);
        }
        if (strcmp(method, MHD_HTTP_METHOD_POST) != 0) {
            rq->answered = true;
            note(s, &s->st.bad_method, c, "refused: method not allowed", 0);
            return answer_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
        }
        return post_headers(s, c, rq);
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (rq->answered || rq->dropped)
            return MHD_YES; /* refused already: the bytes are not kept */
        if (rq->body.len + n > s->max_body) {
            rq->dropped = true; /* chunked past the cap */
            strbuf_free(&rq->body, false);
            return MHD_YES;
        }
        strbuf_add(&rq->body, upload_data, n);
        return MHD_YES;
    }
    if (rq->answered)
        return MHD_YES;
    rq->answered = true;
    return post_done(s, c, rq);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    webhook_server *s = cls;
    wh_req *rq = *con_cls;
    if (rq) {
        strbuf_free(&rq->body, false);
        free(rq);
        *con_cls = NULL;
    }
    wh_conn *conn = c ? conn_of(c) : NULL;
    if (conn) {
        pthread_mutex_lock(&s->mu);
        conn->in_request = false;
        conn->fresh = false;
        conn->since = mono_now();
        pthread_mutex_unlock(&s->mu);
    }
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    webhook_server *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        wh_conn *conn = mps_xcalloc(1, sizeof *conn);
        conn->fd = ci ? ci->connect_fd : -1;
        conn->since = mono_now();
        conn->fresh = true;
        pthread_mutex_lock(&s->mu);
        conn->next = s->conns;
        if (s->conns)
            s->conns->prev = conn;
        s->conns = conn;
        pthread_mutex_unlock(&s->mu);
        *socket_context = conn;
        return;
    }
    /* Closed: called before libmicrohttpd closes the socket, so the reaper never cuts a
     * descriptor that was handed to someone else. */
    wh_conn *conn = *socket_context;
    if (!conn)
        return;
    pthread_mutex_lock(&s->mu);
    if (conn->prev)
        conn->prev->next = conn->next;
    else
        s->conns = conn->next;
    if (conn->next)
        conn->next->prev = conn->prev;
    pthread_mutex_unlock(&s->mu);
    free(conn);
    *socket_context = NULL;
}

/* Cuts connections whose request (headers or body) runs past the deadline: libmicrohttpd's own
 * timeout only notices silence, not one byte a second. An idle keep-alive connection is closed
 * at the same deadline, uncounted. */
static void *reaper_main(void *arg)
{
    webhook_server *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += REAPER_TICK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s->cv, &s->mu, &until);
        double now = mono_now();
        for (wh_conn *conn = s->conns; conn; conn = conn->next) {
            if (conn->cut || now - conn->since <= s->timeout_s || conn->fd < 0)
                continue;
            conn->cut = true;
            if (conn->fresh || conn->in_request) {
                s->st.slow++;
                if (s->log) {
                    char ts[32];
                    wh_timestamp(ts, sizeof ts);
                    fprintf(s->log, "%s webhook: cut a request slower than %d s\n", ts,
                            s->timeout_s);
                    fflush(s->log);
                }
            }
            shutdown(conn->fd, SHUT_RDWR);
        }
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* ---- life ---- */

static char *read_pem(const char *path, const char *what, char *err, size_t err_size)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        snprintf(err, err_size, "cannot read the TLS %s %s: %s", what, path, strerror(errno));
        return NULL;
    }
    const size_t cap = (size_t)1024 * 1024; /* 1 MiB, as the message says */
    char *buf = mps_xmalloc(cap + 1);
    size_t n = fread(buf, 1, cap, f);
    bool bad = ferror(f) || !feof(f) || n == 0;
    fclose(f);
    if (bad) {
        snprintf(err, err_size, "the TLS %s %s is empty, unreadable or over 1 MiB", what, path);
        explicit_bzero(buf, cap + 1);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static void remember_line(void *cls, const char *line, size_t len)
{
    wh_replay_add(cls, line, len);
}

static void free_server(webhook_server *s)
{
    if (s->key_pem) {
        explicit_bzero(s->key_pem, strlen(s->key_pem));
        free(s->key_pem);
    }
    free(s->cert_pem);
    if (s->secret) {
        explicit_bzero(s->secret, strlen(s->secret));
        free(s->secret);
    }
    if (s->verify) {
        explicit_bzero(s->verify, strlen(s->verify));
        free(s->verify);
    }
    wh_replay_free(s->replay);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}

static int bind_address(const char *listen, int port, struct sockaddr_storage *ss, bool *v6)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, listen, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        *v6 = false;
        return 0;
    }
    const char *h = listen;
    char buf[64];
    size_t n = strlen(listen);
    if (n > 2 && n < sizeof buf && listen[0] == '[' && listen[n - 1] == ']') {
        memcpy(buf, listen + 1, n - 2);
        buf[n - 2] = '\0';
        h = buf;
    }
    if (inet_pton(AF_INET6, h, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *v6 = true;
        return 0;
    }
    return -1;
}

webhook_server *webhook_start(const webhook_options *o, char *err, size_t err_size)
{
    if (!o->app_secret || !*o->app_secret) {
        snprintf(err, err_size, "no app secret: deliveries cannot be verified without it");
        return NULL;
    }
    if (!o->verify_token || !*o->verify_token) {
        snprintf(err, err_size, "no verify token for the subscription check");
        return NULL;
    }
    if (!o->events_path || !*o->events_path) {
        snprintf(err, err_size, "no events file to append deliveries to");
        return NULL;
    }
    if (!o->tls_cert != !o->tls_key) {
        snprintf(err, err_size, "--tls-cert and --tls-key go together");
        return NULL;
    }
    if (o->max_body > WEBHOOK_MAX_BODY_LIMIT) {
        snprintf(err, err_size, "the body cap is at most %d bytes (the feed skips longer lines)",
                 WEBHOOK_MAX_BODY_LIMIT);
        return NULL;
    }
    const char *listen = o->listen && *o->listen ? o->listen : WEBHOOK_DEFAULT_LISTEN;
    struct sockaddr_storage ss;
    bool v6 = false;
    if (bind_address(listen, o->port, &ss, &v6) != 0) {
        snprintf(err, err_size, "cannot listen on '%s': an IPv4 or IPv6 address is wanted", listen);
        return NULL;
    }
    unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | (v6 ? MHD_USE_IPv6 : 0);
    if (o->tls_cert && !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
        snprintf(err, err_size,
                 "this libmicrohttpd was built without TLS: run behind a proxy "
                 "that terminates TLS instead");
        return NULL;
    }

    webhook_server *s = mps_xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->secret = mps_xstrdup(o->app_secret);
    s->verify = mps_xstrdup(o->verify_token);
    s->max_body = o->max_body ? o->max_body : (size_t)WEBHOOK_DEFAULT_MAX_BODY;
    s->timeout_s = o->request_timeout_s > 0 ? o->request_timeout_s : WEBHOOK_DEFAULT_TIMEOUT_S;
    s->log = o->log;
    s->replay = wh_replay_new(WEBHOOK_REPLAY_MEMORY);
    if (o->tls_cert) {
        s->cert_pem = read_pem(o->tls_cert, "certificate", err, err_size);
        s->key_pem = s->cert_pem ? read_pem(o->tls_key, "key", err, err_size) : NULL;
        if (!s->key_pem) {
            free_server(s);
            return NULL;
        }
        flags |= MHD_USE_TLS;
    }
    /* What is in the file now was taken before: a replay of it is not written again. */
    wh_file_lines(o->events_path, s->max_body, remember_line, s->replay);
    wh_sink_options so = {
        .path = o->events_path,
        .rotate_size = o->rotate_size == 0 ? WEBHOOK_DEFAULT_ROTATE_SIZE : o->rotate_size,
        .rotate_keep = o->rotate_keep > 0 ? o->rotate_keep : WEBHOOK_DEFAULT_ROTATE_KEEP,
        .no_fsync = o->no_fsync,
        .log = o->log,
    };
    s->sink = wh_sink_open(&so, err, err_size);
    if (!s->sink) {
        free_server(s);
        return NULL;
    }
    unsigned idle = (unsigned)s->timeout_s * 3;
    if (s->cert_pem)
        s->daemon = MHD_start_daemon(
            flags, (uint16_t)o->port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
            (struct sockaddr *)&ss, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
            MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_CONNECTION_TIMEOUT, idle,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT, MHD_OPTION_HTTPS_MEM_CERT,
            s->cert_pem, MHD_OPTION_HTTPS_MEM_KEY, s->key_pem, MHD_OPTION_END);
    else
        s->daemon = MHD_start_daemon(
            flags, (uint16_t)o->port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
            (struct sockaddr *)&ss, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
            MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_CONNECTION_TIMEOUT, idle,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT, MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, err_size, "cannot listen on %s port %d%s", listen, o->port,
                 s->cert_pem ? " (or the TLS certificate and key are not a usable PEM pair)"
                             : " (in use?)");
        wh_sink_close(s->sink, NULL, NULL, NULL);
        free_server(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : o->port;
    if (pthread_create(&s->reaper, NULL, reaper_main, s) == 0)
        s->reaper_started = true;
    return s;
}

int webhook_port(const webhook_server *s)
{
    return s->port;
}

webhook_stats webhook_get_stats(webhook_server *s)
{
    pthread_mutex_lock(&s->mu);
    webhook_stats st = s->st;
    pthread_mutex_unlock(&s->mu);
    wh_sink_counts(s->sink, &st.written, &st.write_errors, &st.rotations);
    return st;
}

void webhook_stats_format(const webhook_stats *st, char *buf, size_t size)
{
    snprintf(buf, size,
             "accepted %lu, written %lu, replayed %lu, subscription checks %lu; refused: "
             "%lu unsigned, %lu bad signature, %lu oversized, %lu malformed, %lu slow, "
             "%lu busy, %lu other method, %lu subscription checks; %lu write errors, "
             "%lu rotations",
             st->accepted, st->written, st->replayed, st->verified, st->unsigned_,
             st->bad_signature, st->oversized, st->malformed, st->slow, st->overloaded,
             st->bad_method, st->verify_refused, st->write_errors, st->rotations);
}

void webhook_stop(webhook_server *s, webhook_stats *final)
{
    if (final)
        memset(final, 0, sizeof *final);
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (s->reaper_started)
        pthread_join(s->reaper, NULL);
    MHD_stop_daemon(s->daemon);
    webhook_stats st = s->st;
    /* Writes whatever was answered 200 before it returns. */
    wh_sink_close(s->sink, &st.written, &st.write_errors, &st.rotations);
    if (final)
        *final = st;
    free_server(s);
}
