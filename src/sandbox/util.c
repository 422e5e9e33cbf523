/* Small helpers for the sandbox: key/value lists, encodings. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbx.h"

void sbx_set(char **dst, const char *s)
{
    char *old = *dst;
    *dst = mps_xstrdup(s);
    free(old);
}

void sbx_kv_add(sbx_kv *kv, const char *k, const char *v)
{
    if (kv->n == kv->cap) {
        kv->cap = kv->cap ? kv->cap * 2 : 8;
        kv->k = mps_xrealloc(kv->k, kv->cap * sizeof *kv->k);
        kv->v = mps_xrealloc(kv->v, kv->cap * sizeof *kv->v);
    }
    kv->k[kv->n] = mps_xstrdup(k);
    kv->v[kv->n] = mps_xstrdup(v ? v : "");
    kv->n++;
}

const char *sbx_kv_get(const sbx_kv *kv, const char *k)
{
    for (size_t i = 0; i < kv->n; i++)
        if (strcmp(kv->k[i], k) == 0)
            return kv->v[i];
    return NULL;
}

void sbx_kv_clear(sbx_kv *kv)
{
    for (size_t i = 0; i < kv->n; i++) {
        free(kv->k[i]);
        free(kv->v[i]);
    }
    free(kv->k);
    free(kv->v);
    memset(kv, 0, sizeof *kv);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes [s, s+len) into a new string; NUL bytes are dropped (names never hold them). */
static char *url_decode(const char *s, size_t len)
{
    char *out = mps_xmalloc(len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%' && i + 2 < len) {
            int hi = hexval((unsigned char)s[i + 1]);
            int lo = hexval((unsigned char)s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                c = (char)(hi * 16 + lo);
                i += 2;
            }
        }
        if (c != '\0')
            out[o++] = c;
    }
    out[o] = '\0';
    return out;
}

void sbx_kv_parse_query(sbx_kv *kv, const char *q, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && q[end] != '&')
            end++;
        if (end > i) {
            size_t eq = i;
            while (eq < end && q[eq] != '=')
                eq++;
            char *k = url_decode(q + i, eq - i);
            char *v = eq < end ? url_decode(q + eq + 1, end - eq - 1) : mps_xstrdup("");
            sbx_kv_add(kv, k, v);
            free(k);
            free(v);
        }
        i = end + 1;
    }
}

void sbx_url_encode(strbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            strbuf_add(b, p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            strbuf_add(b, e, 3);
        }
    }
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *sbx_base64url(const char *s)
{
    size_t n = strlen(s);
    char *out = mps_xmalloc(n / 3 * 4 + 5);
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)(unsigned char)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)(unsigned char)s[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)s[i + 2];
        out[o++] = b64[(v >> 18) & 63];
        out[o++] = b64[(v >> 12) & 63];
        if (i + 1 < n)
            out[o++] = b64[(v >> 6) & 63];
        if (i + 2 < n)
            out[o++] = b64[v & 63];
    }
    out[o] = '\0';
    return out;
}

char *sbx_unbase64url(const char *s)
{
    size_t n = strlen(s);
    char *out = mps_xmalloc(n + 1);
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = strchr(b64, s[i]);
        if (!p || s[i] == '\0') {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (unsigned)(p - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            char c = (char)((acc >> bits) & 0xff);
            if (c == '\0') {
                free(out);
                return NULL;
            }
            out[o++] = c;
        }
    }
    out[o] = '\0';
    return out;
}

char *sbx_unhex(const char *hex)
{
    size_t n = strlen(hex);
    if (n % 2)
        return NULL;
    char *out = mps_xmalloc(n / 2 + 1);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval((unsigned char)hex[2 * i]), lo = hexval((unsigned char)hex[2 * i + 1]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(out);
            return NULL;
        }
        out[i] = (char)(hi * 16 + lo);
    }
    out[n / 2] = '\0';
    return out;
}

unsigned long long sbx_fnv1a(const char *s, unsigned long long seed)
{
    unsigned long long h = 1469598103934665603ULL ^ seed;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h;
}

bool sbx_all_digits(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

const char *sbx_json_text(json_object *o)
{
    return json_object_to_json_string_ext(o,
                                          JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

json_object *sbx_json_parse(const char *text, size_t len, char *err, size_t err_size)
{
    if (len > (size_t)64 * 1024 * 1024) {
        snprintf(err, err_size, "too large");
        return NULL;
    }
    json_tokener *tok = json_tokener_new_ex(64);
    if (!tok) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    json_object *o = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error je = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (!o || je != json_tokener_success) {
        snprintf(err, err_size, "%s at offset %zu",
                 je == json_tokener_continue ? "unexpected end of text"
                                             : json_tokener_error_desc(je),
                 end);
        json_object_put(o);
        json_tokener_free(tok);
        return NULL;
    }
    for (size_t i = end; i < len; i++) {
        if (!isspace((unsigned char)text[i])) {
            snprintf(err, err_size, "trailing text at offset %zu", i);
            json_object_put(o);
            json_tokener_free(tok);
            return NULL;
        }
    }
    json_tokener_free(tok);
    return o;
}

/* A Graph error to answer with (api.c) or to report from the state (state.c). */
void sbx_gerr_set(sbx_gerr *e, int http, int code, int subcode, const char *fmt, ...)
{
    e->http = http;
    e->code = code;
    e->subcode = subcode;
    e->type = NULL;
    e->transient = false;
    e->unprocessable = false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}
