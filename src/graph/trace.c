/* The --trace file: one block per request and answer, with every secret redacted. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "graph_internal.h"
#include "mpsdash/text.h"

#define MASK "***"

/* Query parameters whose values are secrets. */
static const char *const secret_params[] = {
    "access_token=", "appsecret_proof=", "client_secret=", "fb_exchange_token=", "input_token=",
};
/* JSON members whose string values are secrets. */
static const char *const secret_members[] = {
    "\"access_token\"",
    "\"client_secret\"",
    "\"app_secret\"",
    "\"appsecret_proof\"",
};

static bool ends_param_value(char c)
{
    return c == '\0' || c == '&' || c == '"' || c == '\'' || c == '#' || c == '<' || c == '>' ||
           c == ',' || isspace((unsigned char)c);
}

static bool prefix_ci(const char *s, const char *p)
{
    return strncasecmp(s, p, strlen(p)) == 0;
}

/* If s starts a JSON secret member, copies the key and masks its string value; returns the
 * bytes of input consumed, 0 when not. */
static size_t redact_member(const char *s, graph_buf *out)
{
    for (size_t i = 0; i < sizeof secret_members / sizeof secret_members[0]; i++) {
        size_t klen = strlen(secret_members[i]);
        if (strncmp(s, secret_members[i], klen) != 0)
            continue;
        const char *p = s + klen;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p != ':')
            return 0;
        p++;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p != '"')
            return 0;
        p++;
        while (*p && *p != '"') {
            if (*p == '\\' && p[1])
                p++;
            p++;
        }
        graph_buf_add(out, secret_members[i], klen);
        graph_buf_add(out, ":\"" MASK "\"", strlen(":\"" MASK "\""));
        return (size_t)(p - s) + (*p == '"');
    }
    return 0;
}

char *graph_redact(const char *text)
{
    graph_buf out = {0};
    graph_buf_add(&out, "", 0);
    if (!text)
        return out.data;
    const char *s = text;
    while (*s) {
        size_t used = redact_member(s, &out);
        if (used) {
            s += used;
            continue;
        }
        bool done = false;
        for (size_t i = 0; i < sizeof secret_params / sizeof secret_params[0] && !done; i++) {
            size_t plen = strlen(secret_params[i]);
            /* no word-boundary test: masking too much is harmless, too little is not */
            if (strncmp(s, secret_params[i], plen) == 0) {
                graph_buf_add(&out, s, plen);
                graph_buf_add(&out, MASK, strlen(MASK));
                s += plen;
                while (!ends_param_value(*s))
                    s++;
                done = true;
            }
        }
        if (done)
            continue;
        if (prefix_ci(s, "bearer ") && (s == text || !isalnum((unsigned char)s[-1]))) {
            graph_buf_add(&out, s, 7);
            s += 7;
            while (*s == ' ')
                s++;
            if (!ends_param_value(*s)) {
                graph_buf_add(&out, MASK, strlen(MASK));
                while (!ends_param_value(*s))
                    s++;
            }
            continue;
        }
        graph_buf_add(&out, s, 1);
        s++;
    }
    return out.data;
}

static const char *const trace_headers[] = {
    "content-type",     "x-app-usage",          "x-business-use-case-usage", "x-ad-account-usage",
    "retry-after",      "x-fb-trace-id",        "x-fb-request-id",           "x-fb-debug",
    "www-authenticate", "facebook-api-version",
};

bool graph_trace_header_wanted(const char *name, size_t name_len)
{
    for (size_t i = 0; i < sizeof trace_headers / sizeof trace_headers[0]; i++)
        if (strlen(trace_headers[i]) == name_len &&
            strncasecmp(name, trace_headers[i], name_len) == 0)
            return true;
    return false;
}

/* Redacted by name and by value: a server may echo the token anywhere (an error message, a
 * paging link). */
static char *redact_all(const char *text, const char *secret)
{
    char *red = graph_redact(text);
    graph_scrub_secret(red, secret);
    return red;
}

/* Writes text redacted and made terminal-safe (a trace is often read with cat or less). */
static void write_text(FILE *f, const char *prefix, const char *text, size_t len,
                       const char *secret)
{
    char *safe = text_sanitize(text, len, true);
    char *red = redact_all(safe, secret);
    free(safe);
    const char *line = red;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        fprintf(f, "%s%.*s\n", prefix, (int)n, line);
        line += n + (nl ? 1 : 0);
    }
    free(red);
}

void graph_trace_brief(FILE *f, const graph_trace_entry *e)
{
    char *url = redact_all(e->url, e->secret);
    char *safe_url = text_sanitize(url, strlen(url), false);
    if (e->transport_error) {
        char *msg = text_sanitize(e->transport_error, strlen(e->transport_error), false);
        char *red = redact_all(msg, e->secret);
        fprintf(f, "mpsdash: %s %s -> no answer (%s) after %ld ms%s\n", e->method, safe_url, red,
                e->elapsed_ms, e->attempt ? " (a retry)" : "");
        free(red);
        free(msg);
    } else {
        fprintf(f, "mpsdash: %s %s -> HTTP %ld in %ld ms%s\n", e->method, safe_url, e->status,
                e->elapsed_ms, e->attempt ? " (a retry)" : "");
    }
    free(url);
    free(safe_url);
    fflush(f);
}

void graph_trace_write(FILE *f, const graph_trace_entry *e)
{
    if (!f)
        return;
    char when[32] = "";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(f, "=== %s attempt %d\n", when, e->attempt + 1);
    char *url = redact_all(e->url, e->secret);
    char *safe_url = text_sanitize(url, strlen(url), false);
    fprintf(f, "> %s %s\n", e->method, safe_url);
    free(url);
    free(safe_url);
    if (e->request_body && e->request_body[0])
        write_text(f, "> ", e->request_body, strlen(e->request_body), e->secret);
    if (e->transport_error) {
        fprintf(f, "< (no answer: ");
        char *msg = text_sanitize(e->transport_error, strlen(e->transport_error), false);
        char *red = redact_all(msg, e->secret);
        fprintf(f, "%s) after %ld ms\n", red, e->elapsed_ms);
        free(red);
        free(msg);
    } else {
        fprintf(f, "< HTTP %ld after %ld ms\n", e->status, e->elapsed_ms);
    }
    if (e->headers && e->headers[0])
        write_text(f, "< ", e->headers, strlen(e->headers), e->secret);
    if (e->body && e->body_len)
        write_text(f, "< ", e->body, e->body_len, e->secret);
    fputc('\n', f);
    fflush(f);
}
