/* Graph error classification, hints and one-line formatting, plus the layer's small helpers. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* ---- helpers ---- */

char *graph_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    char *s = mps_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void graph_free_secret(char *s)
{
    if (!s)
        return;
    explicit_bzero(s, strlen(s));
    free(s);
}

void graph_copy_text(char *dst, size_t size, const char *s)
{
    if (!size)
        return;
    size_t n = strlen(s);
    if (n >= size) /* cut before the character that holds the first byte that does not fit */
        n = text_prev_char(s, size);
    memcpy(dst, s, n);
    dst[n] = '\0';
}

void graph_scrub_secret(char *s, const char *secret)
{
    if (!s || !secret)
        return;
    size_t n = strlen(secret);
    if (n < 6)
        return;
    char *hit;
    char *from = s;
    while ((hit = strstr(from, secret))) {
        memset(hit, '*', 3);
        memmove(hit + 3, hit + n, strlen(hit + n) + 1);
        from = hit + 3;
    }
}

/* ---- classes ---- */

static const char *const class_names[GRAPH_ERR_CLASS_COUNT] = {
    [GRAPH_OK] = "ok",
    [GRAPH_ERR_USAGE] = "usage",
    [GRAPH_ERR_NETWORK] = "network",
    [GRAPH_ERR_TIMEOUT] = "timeout",
    [GRAPH_ERR_PROTOCOL] = "protocol",
    [GRAPH_ERR_TOKEN] = "token",
    [GRAPH_ERR_RATE_LIMIT] = "rate limit",
    [GRAPH_ERR_PERMISSION] = "permission",
    [GRAPH_ERR_BAD_REQUEST] = "bad request",
    [GRAPH_ERR_TRANSIENT] = "transient",
    [GRAPH_ERR_POLICY] = "policy",
    [GRAPH_ERR_API] = "api",
    [GRAPH_ERR_CHANGED] = "changed",
    [GRAPH_ERR_CANCELLED] = "cancelled",
};

const char *graph_error_class_name(graph_error_class cls)
{
    if ((unsigned)cls >= GRAPH_ERR_CLASS_COUNT)
        return "unknown";
    return class_names[cls];
}

/* Graph error codes by class (graph-api-notes.md "Errors"); a range covers lo..hi. */
typedef struct code_rule {
    int lo, hi;
    graph_error_class cls;
} code_rule;

static const code_rule code_rules[] = {
    {190, 190, GRAPH_ERR_TOKEN},      {102, 102, GRAPH_ERR_TOKEN},
    {4, 4, GRAPH_ERR_RATE_LIMIT},     {17, 17, GRAPH_ERR_RATE_LIMIT},
    {32, 32, GRAPH_ERR_RATE_LIMIT},   {341, 341, GRAPH_ERR_RATE_LIMIT},
    {613, 613, GRAPH_ERR_RATE_LIMIT}, {80007, 80008, GRAPH_ERR_RATE_LIMIT},
    {10, 10, GRAPH_ERR_PERMISSION},   {200, 299, GRAPH_ERR_PERMISSION},
    {368, 368, GRAPH_ERR_POLICY},     {100, 100, GRAPH_ERR_BAD_REQUEST},
    {1, 2, GRAPH_ERR_TRANSIENT},
};

graph_error_class graph_classify(int code, int subcode, bool transient, long http_status)
{
    (void)subcode; /* the subcode refines the hint, not the class */
    if (code != 0) {
        for (size_t i = 0; i < COUNT_OF(code_rules); i++)
            if (code >= code_rules[i].lo && code <= code_rules[i].hi)
                return code_rules[i].cls;
        return transient ? GRAPH_ERR_TRANSIENT : GRAPH_ERR_API;
    }
    if (transient)
        return GRAPH_ERR_TRANSIENT;
    /* No Graph error object: only the HTTP status is left to judge by. */
    if (http_status >= 200 && http_status < 300)
        return GRAPH_OK;
    if (http_status == 429)
        return GRAPH_ERR_RATE_LIMIT;
    if (http_status >= 500)
        return GRAPH_ERR_TRANSIENT;
    return GRAPH_ERR_PROTOCOL;
}

bool graph_error_retryable(const graph_error *err)
{
    switch (err->cls) {
    case GRAPH_ERR_NETWORK:
    case GRAPH_ERR_TIMEOUT:
    case GRAPH_ERR_TRANSIENT:
    case GRAPH_ERR_RATE_LIMIT:
        return true;
    default:
        return err->transient;
    }
}

/* ---- hints ---- */

/* Token problems first by subcode, then by code; 0 matches any. */
typedef struct hint_rule {
    int code, subcode;
    const char *hint;
} hint_rule;

static const hint_rule hint_rules[] = {
    {190, 463, "the access token has expired: generate a new one and update the token source"},
    {190, 460,
     "the password was changed since the token was made: log in again and generate a "
     "new token"},
    {190, 458,
     "the app is not installed for this user: re-authorise the app, then generate a "
     "new token"},
    {190, 467, "the access token is no longer valid (logged out or revoked): generate a new one"},
    {190, 492,
     "the token no longer fits its user (they left the business or lost the role): "
     "generate a new token"},
    {190, 493, "the token lapsed after a period of inactivity: generate a new token"},
    {190, 0, "the access token is invalid: generate a new one and update the token source"},
    {102, 0, "the API login has expired: generate a new token and update the token source"},
    {10, 0,
     "the app or token lacks a permission (e.g. whatsapp_business_management): grant it "
     "and generate a new token"},
    {368, 0, "Meta blocked this action under a policy: see Business Support Home"},
    {100, 0, "the server refused the request as invalid: check the ids and parameters"},
};

static const char *const class_hints[GRAPH_ERR_CLASS_COUNT] = {
    [GRAPH_ERR_NETWORK] = "check the network connection, proxy and graph URL",
    [GRAPH_ERR_TIMEOUT] = "the server did not answer in time: try again",
    [GRAPH_ERR_PROTOCOL] = "the answer was not usable; run with --trace to see it",
    /* Each entry is designated, so a comma left out would not compile: the check's guess that
     * these two lines are one string by mistake does not apply. */
    /* NOLINTNEXTLINE(bugprone-suspicious-missing-comma) */
    [GRAPH_ERR_TOKEN] = "the access token is invalid: generate a new one and update the token "
                        "source",
    [GRAPH_ERR_PERMISSION] = "the app or token lacks a permission (e.g. "
                             "whatsapp_business_management): grant it and generate a new token",
    [GRAPH_ERR_TRANSIENT] = "a temporary problem on Meta's side: try again in a moment",
    [GRAPH_ERR_CHANGED] = "the solution changed since it was shown: review it again",
};

void graph_error_fill_hint(graph_error *err)
{
    if (err->hint[0])
        return;
    if (err->cls == GRAPH_ERR_RATE_LIMIT) {
        if (err->retry_after_s > 0) {
            int min = (err->retry_after_s + 59) / 60;
            if (err->retry_after_s >= 120)
                snprintf(err->hint, sizeof err->hint,
                         "rate limited: wait about %d minutes before trying again", min);
            else
                snprintf(err->hint, sizeof err->hint,
                         "rate limited: wait %d seconds before trying again", err->retry_after_s);
        } else {
            snprintf(err->hint, sizeof err->hint,
                     "rate limited: wait a few minutes before trying again");
        }
        return;
    }
    const char *hint = NULL;
    for (size_t i = 0; i < COUNT_OF(hint_rules) && !hint; i++)
        if (hint_rules[i].code == err->code &&
            (hint_rules[i].subcode == 0 || hint_rules[i].subcode == err->subcode))
            hint = hint_rules[i].hint;
    if (!hint && (unsigned)err->cls < GRAPH_ERR_CLASS_COUNT)
        hint = class_hints[err->cls];
    if (hint)
        snprintf(err->hint, sizeof err->hint, "%s", hint);
}

void graph_error_clear(graph_error *err)
{
    memset(err, 0, sizeof *err);
}

void graph_copy_scrubbed(char *dst, size_t size, const char *s, const char *secret)
{
    char *whole = mps_xstrdup(s);
    graph_scrub_secret(whole, secret);
    graph_copy_text(dst, size, whole);
    graph_free_secret(whole);
}

/* Formats at full length, masks the secret, then sanitises and cuts: a cut made first could
 * leave a piece of the secret that no later scrub recognises. */
static void error_setv(graph_error *err, graph_error_class cls, const char *secret, const char *fmt,
                       va_list ap)
{
    graph_error_clear(err);
    err->cls = cls;
    char *whole = NULL;
    if (vasprintf(&whole, fmt, ap) < 0)
        abort();
    graph_scrub_secret(whole, secret);
    /* Our own messages may quote server text (a URL, a JSON error string): sanitise all. */
    char *safe = text_sanitize(whole, strlen(whole), false);
    graph_copy_text(err->message, sizeof err->message, safe);
    free(safe);
    graph_free_secret(whole);
    graph_error_fill_hint(err);
}

void graph_error_set(graph_error *err, graph_error_class cls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(err, cls, NULL, fmt, ap);
    va_end(ap);
}

void graph_error_set_scrubbed(graph_error *err, graph_error_class cls, const char *secret,
                              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(err, cls, secret, fmt, ap);
    va_end(ap);
}

void graph_error_format(const graph_error *err, char *buf, size_t size)
{
    if (!size)
        return;
    char extra[160] = "";
    size_t n = 0;
    if (err->code)
        n += (size_t)snprintf(extra + n, sizeof extra - n, "code %d", err->code);
    if (err->code && err->subcode && n < sizeof extra)
        n += (size_t)snprintf(extra + n, sizeof extra - n, "/%d", err->subcode);
    if (err->http_status && n < sizeof extra)
        n += (size_t)snprintf(extra + n, sizeof extra - n, "%sHTTP %ld", n ? ", " : "",
                              err->http_status);
    if (err->fbtrace_id[0] && n < sizeof extra)
        snprintf(extra + n, sizeof extra - n, "%sfbtrace_id %s", n ? ", " : "", err->fbtrace_id);
    const char *msg = err->message[0] ? err->message : graph_error_class_name(err->cls);
    char *raw;
    if (err->cls == GRAPH_ERR_TOKEN && err->hint[0])
        /* Token messages are long and say nothing the user can act on: the advice comes first,
         * so a status line or a cut buffer keeps it. */
        raw =
            graph_xasprintf("%s — %s%s%s%s%s", err->hint, msg, extra[0] ? " (" : "", extra,
                            extra[0] ? ")" : "", err->outcome_unknown ? " [outcome unknown]" : "");
    else
        raw = graph_xasprintf("%s%s%s%s%s%s%s", msg, extra[0] ? " (" : "", extra,
                              extra[0] ? ")" : "", err->hint[0] ? ": " : "", err->hint,
                              err->outcome_unknown ? " [outcome unknown]" : "");
    /* Every part is sanitised at ingest; this keeps the promise for hand-filled errors too. */
    char *safe = text_sanitize(raw, strlen(raw), false);
    graph_copy_text(buf, size, safe);
    free(safe);
    free(raw);
}
