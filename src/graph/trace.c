/* The --trace file: one block per request and answer, with every secret redacted. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "graph_internal.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

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
static size_t redact_member(const char *s, strbuf *out)
{
    for (size_t i = 0; i < COUNT_OF(secret_members); i++) {
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
        strbuf_add(out, secret_members[i], klen);
        strbuf_add(out, ":\"" MASK "\"", strlen(":\"" MASK "\""));
        return (size_t)(p - s) + (*p == '"');
    }
    return 0;
}

char *graph_redact(const char *text)
{
    strbuf out = {0};
    strbuf_add(&out, "", 0);
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
        for (size_t i = 0; i < COUNT_OF(secret_params) && !done; i++) {
            size_t plen = strlen(secret_params[i]);
            /* no word-boundary test: masking too much is harmless, too little is not */
            if (strncmp(s, secret_params[i], plen) == 0) {
                strbuf_add(&out, s, plen);
                strbuf_add(&out, MASK, strlen(MASK));
                s += plen;
                while (!ends_param_value(*s))
                    s++;
                done = true;
            }
        }
        if (done)
            continue;
        if (prefix_ci(s, "bearer ") && (s == text || !isalnum((unsigned char)s[-1]))) {
            strbuf_add(&out, s, 7);
            s += 7;
            while (*s == ' ')
                s++;
            if (!ends_param_value(*s)) {
                strbuf_add(&out, MASK, strlen(MASK));
                while (!ends_param_value(*s))
                    s++;
            }
            continue;
        }
        strbuf_add(&out, s, 1);
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
    for (size_t i = 0; i < COUNT_OF(trace_headers); i++)
        if (strlen(trace_headers[i]) == name_len &&
            strncasecmp(name, trace_headers[i], name_len) == 0)
            return true;
    return false;
}

/* Redacted by name and by value: a server may echo the token, or a secret it handed out
 * earlier, anywhere (an error message, a paging link). */
static char *redact_all(const char *text, const char *secret, const strlist *learnt)
{
    char *red = graph_redact(text);
    graph_scrub_secret(red, secret);
    for (size_t i = 0; learnt && i < learnt->count; i++)
        graph_scrub_secret(red, learnt->items[i]);
    return red;
}

/* Members whose values are secrets, by their decoded name and in any case: a server may write
 * access_token as access\u005ftoken, which no search of the raw text finds. */
static bool secret_member(const char *key)
{
    static const char *const names[] = {"access_token",    "client_secret", "app_secret",
                                        "appsecret_proof", "token",         "secret"};
    for (size_t i = 0; i < COUNT_OF(names); i++)
        if (strcasecmp(key, names[i]) == 0)
            return true;
    size_t n = strlen(key);
    return (n > 6 && strcasecmp(key + n - 6, "_token") == 0) ||
           (n > 7 && strcasecmp(key + n - 7, "_secret") == 0);
}

/* Masks the string values of secret members, remembering each (so that an echo elsewhere, in
 * this answer or a later one, is masked as well). */
static void mask_members(json_object *v, strlist *learnt)
{
    if (json_object_is_type(v, json_type_object)) {
        json_object_object_foreach(v, key, member)
        {
            if (secret_member(key) && json_object_is_type(member, json_type_string)) {
                const char *value = json_object_get_string(member);
                if (learnt && strlen(value) >= 6 && !strlist_contains(learnt, value))
                    strlist_push(learnt, value);
                json_object_set_string(member, MASK);
            } else {
                mask_members(member, learnt);
            }
        }
    } else if (json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++)
            mask_members(json_object_array_get_idx(v, i), learnt);
    }
}

/* A JSON text is redacted on its parsed form (member names decoded, strings unescaped), then
 * written back; anything else is left to the text redaction. New string. */
static char *redact_json(const char *text, size_t len, strlist *learnt, size_t *out_len)
{
    json_tokener *tok = json_tokener_new_ex(GRAPH_DEFAULT_DEPTH);
    if (!tok)
        abort();
    json_object *root = json_tokener_parse_ex(tok, text, (int)len);
    bool whole = root && json_tokener_get_error(tok) == json_tokener_success &&
                 json_tokener_get_parse_end(tok) == len;
    json_tokener_free(tok);
    char *out;
    if (whole && (json_object_is_type(root, json_type_object) ||
                  json_object_is_type(root, json_type_array))) {
        mask_members(root, learnt);
        out = mps_xstrdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
                                                                   JSON_C_TO_STRING_NOSLASHESCAPE));
        *out_len = strlen(out);
    } else { /* kept whole, NUL bytes and all: the sanitiser shows them */
        out = mps_xmalloc(len + 1);
        memcpy(out, text, len);
        out[len] = '\0';
        *out_len = len;
    }
    json_object_put(root);
    return out;
}

char *graph_redact_answer(const char *body, size_t len, const char *secret, strlist *learnt)
{
    size_t n;
    char *json = redact_json(body, len, learnt, &n);
    char *out = redact_all(json, secret, learnt);
    free(json);
    return out;
}

/* Writes text redacted and made terminal-safe (a trace is often read with cat or less). */
static void write_text(FILE *f, const char *prefix, const char *text, size_t len,
                       const char *secret, const strlist *learnt)
{
    char *safe = text_sanitize(text, len, true);
    char *red = redact_all(safe, secret, learnt);
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
    char *url = redact_all(e->url, e->secret, e->learnt);
    char *safe_url = text_sanitize(url, strlen(url), false);
    if (e->transport_error) {
        char *msg = text_sanitize(e->transport_error, strlen(e->transport_error), false);
        char *red = redact_all(msg, e->secret, e->learnt);
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
    /* The bodies first: a secret they carry is learnt before anything is written, so its echo
     * in the URL or a header of the same exchange is masked too. */
    size_t request_len = 0, body_len = 0;
    char *request =
        e->request_body && e->request_body[0]
            ? redact_json(e->request_body, strlen(e->request_body), e->learnt, &request_len)
            : NULL;
    char *body =
        e->body && e->body_len ? redact_json(e->body, e->body_len, e->learnt, &body_len) : NULL;
    char when[32] = "";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(f, "=== %s attempt %d\n", when, e->attempt + 1);
    char *url = redact_all(e->url, e->secret, e->learnt);
    char *safe_url = text_sanitize(url, strlen(url), false);
    fprintf(f, "> %s %s\n", e->method, safe_url);
    free(url);
    free(safe_url);
    if (request)
        write_text(f, "> ", request, request_len, e->secret, e->learnt);
    if (e->transport_error) {
        fprintf(f, "< (no answer: ");
        char *msg = text_sanitize(e->transport_error, strlen(e->transport_error), false);
        char *red = redact_all(msg, e->secret, e->learnt);
        fprintf(f, "%s) after %ld ms\n", red, e->elapsed_ms);
        free(red);
        free(msg);
    } else {
        fprintf(f, "< HTTP %ld after %ld ms\n", e->status, e->elapsed_ms);
    }
    if (e->headers && e->headers[0])
        write_text(f, "< ", e->headers, strlen(e->headers), e->secret, e->learnt);
    if (body)
        write_text(f, "< ", body, body_len, e->secret, e->learnt);
    fputc('\n', f);
    fflush(f);
    if (request)
        explicit_bzero(request, request_len);
    if (body)
        explicit_bzero(body, body_len);
    free(request);
    free(body);
}
