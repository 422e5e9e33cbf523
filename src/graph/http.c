/* The transport: one Graph request on a libcurl easy handle, its bounded body, its headers, and
 * the translation of what happened into a graph_response. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "graph_internal.h"
#include "mpsdash/util.h"

struct graph_http {
    graph_op *op;
    int lane; /* the op's lane this transfer carries */
    CURL *easy;
    const char *token; /* borrowed from the client */
    graph_call call;   /* a copy: lives as long as the transfer */
    strbuf body;
    strbuf trace_headers;
    size_t cap;
    bool too_large;
    size_t header_bytes; /* all header lines of the transfer, against HEADERS_CAP */
    bool headers_too_large;
    graph_usage usage;
    long retry_after_s;
    struct timespec started;
    long connects;
    char fbtrace_id[64]; /* x-fb-trace-id of the answer */
    char errbuf[CURL_ERROR_SIZE];
};

/* The strings a call owns; the form may hold a token or a secret, so it is zeroed first. */
void graph_call_clear(graph_call *call)
{
    free(call->url);
    if (call->form) {
        explicit_bzero(call->form, strlen(call->form));
        free(call->form);
    }
    memset(call, 0, sizeof *call);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    graph_http *h = user;
    size_t n = size * nmemb;
    /* Cap here rather than after the fact: a hostile or broken server must not make us
     * buffer without bound. Returning short makes curl fail the transfer. */
    if (h->body.len + n > h->cap) {
        h->too_large = true;
        return 0;
    }
    strbuf_add(&h->body, data, n);
    return n;
}

/* Header lines a server may send (all answers of one transfer together): Graph sends a few KiB;
 * a hostile server must not make us keep or parse megabytes of them. */
#define HEADERS_CAP ((size_t)256 * 1024)

static size_t on_header(char *data, size_t size, size_t nitems, void *user)
{
    graph_http *h = user;
    size_t n = size * nitems;
    h->header_bytes += n;
    if (h->header_bytes > HEADERS_CAP) {
        h->headers_too_large = true;
        return 0; /* short: curl fails the transfer */
    }
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) { /* a new response (after 100 Continue) */
        h->trace_headers.len = 0;
        if (h->trace_headers.data)
            h->trace_headers.data[0] = '\0';
        h->usage.max_percent = -1;
        h->usage.regain_minutes = 0;
        h->retry_after_s = 0;
        h->fbtrace_id[0] = '\0';
        return n;
    }
    const char *colon = memchr(data, ':', n);
    if (!colon)
        return n;
    size_t name_len = (size_t)(colon - data);
    const char *v = colon + 1;
    const char *end = data + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    size_t vlen = (size_t)(end - v);
    if (vlen > (size_t)64 * 1024)
        return n;
    char *value = mps_xmalloc(vlen + 1);
    memcpy(value, v, vlen);
    value[vlen] = '\0';
    char name[64];
    if (name_len < sizeof name) {
        memcpy(name, data, name_len);
        name[name_len] = '\0';
        if (strcasecmp(name, "retry-after") == 0) {
            char *endp;
            long secs = strtol(value, &endp, 10);
            if (endp != value && *endp == '\0' && secs >= 0) {
                h->retry_after_s = secs;
            } else {
                time_t when = curl_getdate(value, NULL); /* the HTTP-date form */
                time_t now = time(NULL);
                if (when > now)
                    h->retry_after_s = (long)(when - now);
            }
        }
        if (strcasecmp(name, "x-fb-trace-id") == 0) {
            /* an id for a person to quote to Meta: kept only when it looks like one */
            size_t ok = strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789_-+/=.");
            if (ok == vlen && vlen < sizeof h->fbtrace_id)
                memcpy(h->fbtrace_id, value, vlen + 1);
        }
        graph_parse_usage_header(name, value, &h->usage);
        if (graph_trace_header_wanted(name, name_len)) {
            strbuf_add(&h->trace_headers, data, name_len);
            strbuf_add(&h->trace_headers, ": ", 2);
            strbuf_add(&h->trace_headers, value, vlen);
            strbuf_add(&h->trace_headers, "\n", 1);
        }
    }
    free(value);
    return n;
}

graph_http *graph_http_new(const graph_http_config *cfg, graph_op *op, int lane,
                           const graph_call *call)
{
    graph_http *h = mps_xcalloc(1, sizeof *h);
    h->op = op;
    h->lane = lane;
    h->token = cfg->token;
    h->cap = cfg->body_cap;
    h->usage.max_percent = -1;
    h->call = *call;
    h->call.url = mps_xstrdup(call->url);
    h->call.form = mps_xstrdup(call->form);
    clock_gettime(CLOCK_MONOTONIC, &h->started);
    CURL *e = curl_easy_init();
    if (!e)
        abort();
    h->easy = e;
    curl_easy_setopt(e, CURLOPT_URL, h->call.url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, h);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    /* curl 7.85 replaced the protocol bit mask by a list (and deprecated the mask); older
     * libcurl (7.74 in Debian 11, 7.81 in Ubuntu 22.04) knows the mask only. The macro forces
     * the mask for the build test of that path. */
#if LIBCURL_VERSION_NUM >= 0x075500 && !defined(MPSDASH_CURL_PROTOCOLS_MASK)
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, cfg->protocols);
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, cfg->protocols);
#else
    long mask =
        strcmp(cfg->protocols, "https") == 0 ? CURLPROTO_HTTPS : CURLPROTO_HTTP | CURLPROTO_HTTPS;
    curl_easy_setopt(e, CURLOPT_PROTOCOLS, mask);
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS, mask);
#endif
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    /* Plain http is only ever allowed to loopback (the sandbox): a proxy from http_proxy or
     * ALL_PROXY would receive the Bearer token in clear, so such a request never uses one.
     * https keeps libcurl's https_proxy/no_proxy handling (CONNECT: the proxy sees no token). */
    if (strncasecmp(h->call.url, "http://", 7) == 0)
        curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, cfg->request_timeout_ms);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (cfg->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, cfg->ca_file);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER,
                     call->post && call->json ? cfg->json_headers : cfg->headers);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "mpsdash/" MPSDASH_VERSION);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    /* Waiting for a connection in progress pays off only where it may turn out to multiplex
     * (HTTP/2, negotiated over TLS); over plain http it would queue concurrent requests (the
     * inbox's profiles) behind the first answer. */
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, strncmp(h->call.url, "https:", 6) == 0 ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, h);
    if (call->post) {
        const char *form = h->call.form ? h->call.form : "";
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(form));
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, form);
    }
    if (!call->idempotent) {
        /* libcurl silently resends a request that failed on a reused connection before any
         * answer; for a mutating POST that could mean acting twice. A fresh connection rules
         * that out. */
        curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
    }
    return h;
}

CURL *graph_http_easy(graph_http *h)
{
    return h->easy;
}

graph_op *graph_http_op(graph_http *h)
{
    return h->op;
}

int graph_http_lane(const graph_http *h)
{
    return h->lane;
}

graph_usage graph_http_usage(const graph_http *h)
{
    return h->usage;
}

long graph_http_new_connections(graph_http *h)
{
    return h->connects;
}

static long elapsed_ms(const graph_http *h)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)((now.tv_sec - h->started.tv_sec) * 1000 +
                  (now.tv_nsec - h->started.tv_nsec) / 1000000);
}

/* Transport failures by curl code; anything not listed is a network error. */
typedef struct curl_rule {
    CURLcode rc;
    graph_error_class cls;
    const char *what;
} curl_rule;

static const curl_rule curl_rules[] = {
    {CURLE_OPERATION_TIMEDOUT, GRAPH_ERR_TIMEOUT, "no complete answer in time"},
    {CURLE_COULDNT_RESOLVE_HOST, GRAPH_ERR_NETWORK, "could not resolve the host"},
    {CURLE_COULDNT_RESOLVE_PROXY, GRAPH_ERR_NETWORK, "could not resolve the proxy"},
    {CURLE_COULDNT_CONNECT, GRAPH_ERR_NETWORK, "could not connect"},
    {CURLE_GOT_NOTHING, GRAPH_ERR_NETWORK, "the server closed the connection without answering"},
    {CURLE_RECV_ERROR, GRAPH_ERR_NETWORK, "the connection was reset"},
    {CURLE_SEND_ERROR, GRAPH_ERR_NETWORK, "the connection was reset while sending"},
    {CURLE_PARTIAL_FILE, GRAPH_ERR_NETWORK, "the answer was cut short"},
    {CURLE_PEER_FAILED_VERIFICATION, GRAPH_ERR_NETWORK, "TLS certificate verification failed"},
    {CURLE_WEIRD_SERVER_REPLY, GRAPH_ERR_PROTOCOL, "the server's answer is not valid HTTP"},
    {CURLE_BAD_CONTENT_ENCODING, GRAPH_ERR_PROTOCOL, "the answer's compression is broken"},
    {CURLE_SSL_CACERT_BADFILE, GRAPH_ERR_USAGE, "the CA file could not be read"},
    {CURLE_UNSUPPORTED_PROTOCOL, GRAPH_ERR_USAGE, "refused: scheme not allowed for this host"},
    {CURLE_URL_MALFORMAT, GRAPH_ERR_USAGE, "malformed URL"},
};

/* Nothing a server or curl says may carry the token back to a person: mask it verbatim. */
static void scrub_error(const graph_http *h, graph_error *err)
{
    graph_scrub_secret(err->message, h->token);
    graph_scrub_secret(err->hint, h->token);
    graph_scrub_secret(err->fbtrace_id, h->token);
}

static void complete_response(graph_http *h, CURLcode rc, graph_response *resp);

void graph_http_complete(graph_http *h, CURLcode rc, graph_response *resp)
{
    complete_response(h, rc, resp);
    /* an error body without its fbtrace_id still has the header's */
    if (resp->answered && h->fbtrace_id[0]) {
        memcpy(resp->fbtrace_id, h->fbtrace_id, sizeof resp->fbtrace_id);
        if (resp->err.cls != GRAPH_OK && !resp->err.fbtrace_id[0])
            memcpy(resp->err.fbtrace_id, h->fbtrace_id, sizeof resp->err.fbtrace_id);
    }
    graph_scrub_secret(resp->fbtrace_id, h->token);
    scrub_error(h, &resp->err);
}

static void complete_response(graph_http *h, CURLcode rc, graph_response *resp)
{
    memset(resp, 0, sizeof *resp);
    long status = 0, connects = 0, request_size = 0;
    curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(h->easy, CURLINFO_NUM_CONNECTS, &connects);
    curl_easy_getinfo(h->easy, CURLINFO_REQUEST_SIZE, &request_size);
    h->connects = connects;
    resp->status = status;
    resp->answered = status > 0;
    resp->request_sent = request_size > 0;
    resp->body = h->body.data ? h->body.data : "";
    resp->len = h->body.len;
    graph_error *err = &resp->err;
    if (rc != CURLE_OK) {
        resp->transport_failed = true;
        if (h->too_large) {
            graph_error_set(err, GRAPH_ERR_PROTOCOL, "answer larger than %zu bytes", h->cap);
        } else if (h->headers_too_large) {
            graph_error_set(err, GRAPH_ERR_PROTOCOL, "answer headers larger than %zu bytes",
                            HEADERS_CAP);
        } else {
            const curl_rule *rule = NULL;
            for (size_t i = 0; i < COUNT_OF(curl_rules) && !rule; i++)
                if (curl_rules[i].rc == rc)
                    rule = &curl_rules[i];
            const char *detail = h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc);
            graph_error_class cls = rule ? rule->cls : GRAPH_ERR_NETWORK;
            const char *what = rule ? rule->what : "network failure";
            /* A usage error is one refused before anything was sent. Once a connection was
             * made, the same curl codes (unsupported HTTP version, HTTP/0.9, a bad status
             * code) describe the server's answer: a protocol error. */
            if (cls == GRAPH_ERR_USAGE && (connects > 0 || request_size > 0)) {
                cls = GRAPH_ERR_PROTOCOL;
                what = "the server's answer is not valid HTTP";
            }
            graph_error_set_scrubbed(err, cls, h->token, "%s (%s)", what, detail);
        }
        err->http_status = status;
        return;
    }
    if (status >= 200 && status < 300)
        return; /* GRAPH_OK: the op parses the body */
    if (!graph_parse_error(resp->body, resp->len, status, h->token, err)) {
        graph_error_class cls = graph_classify(0, 0, false, status);
        graph_error_set(err, cls, "%s",
                        resp->len ? "the answer is not a Graph error object" : "empty answer");
        err->http_status = status;
    }
    if (h->retry_after_s > 0)
        err->retry_after_s = h->retry_after_s > 1000000 ? 1000000 : (int)h->retry_after_s;
    else if (err->cls == GRAPH_ERR_RATE_LIMIT && h->usage.regain_minutes > 0)
        err->retry_after_s = h->usage.regain_minutes * 60;
    if (err->cls == GRAPH_ERR_RATE_LIMIT) { /* the wait belongs in the hint */
        err->hint[0] = '\0';
        graph_error_fill_hint(err);
    }
}

void graph_http_trace(graph_http *h, FILE *f, FILE *brief_f, const graph_response *resp,
                      int attempt, strlist *learnt)
{
    if (!f && !brief_f)
        return;
    bool transport = resp->transport_failed && !resp->answered;
    graph_trace_entry e = {
        .method = h->call.post ? "POST" : "GET",
        .url = h->call.url,
        .request_body = h->call.form,
        .status = resp->status,
        .transport_error = transport ? resp->err.message : NULL,
        .headers = h->trace_headers.data,
        .body = resp->body,
        .body_len = resp->len,
        .elapsed_ms = elapsed_ms(h),
        .attempt = attempt,
        .secret = h->token,
        .learnt = learnt,
    };
    graph_trace_write(f, &e);
    if (brief_f)
        graph_trace_brief(brief_f, &e);
}

void graph_http_free(graph_http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->easy);
    strbuf_free(&h->body, h->call.secret);
    strbuf_free(&h->trace_headers, false);
    graph_call_clear(&h->call);
    free(h);
}
