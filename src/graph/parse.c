/* json-c parsers for Graph answers: bounded, strict, and turning server data into sanitised
 * model structs (with an inert JSON copy of each object for --json output). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "graph_internal.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* ---- the root ---- */

static size_t limit_bytes(const graph_parse_limits *lim)
{
    size_t cap = lim && lim->max_bytes ? lim->max_bytes : GRAPH_DEFAULT_BODY_CAP;
    return cap > INT_MAX ? INT_MAX : cap; /* json-c lengths are int */
}

static int limit_depth(const graph_parse_limits *lim)
{
    return lim && lim->max_depth > 0 ? lim->max_depth : GRAPH_DEFAULT_DEPTH;
}

static bool only_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

static void protocol_error(graph_error *err, long http_status, const char *what)
{
    graph_error_set(err, GRAPH_ERR_PROTOCOL, "%s", what);
    err->http_status = http_status; /* graph_error_format shows it */
}

/* ---- exact numbers ----
 * json-c keeps a parsed double's text (1e400 stays 1e400, not Infinity), but an integer that
 * does not fit 64 bits becomes INT64_MIN or UINT64_MAX. --json must print numbers as the server
 * wrote them, so such literals are parsed as doubles (their text kept) by appending an exponent
 * no literal of the answer has, and that marker is taken off again. */

/* Integer literals of 19 or more digits outside strings, and the longest exponent seen. */
static size_t scan_numbers(const char *s, size_t len, size_t *max_exp)
{
    size_t big = 0;
    *max_exp = 0;
    for (size_t i = 0; i < len;) {
        char c = s[i];
        if (c == '"') {
            for (i++; i < len && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
            i++;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = i, digits = 0, exp = 0;
            bool frac = false, in_exp = false;
            for (; i < len && strchr("0123456789+-.eE", s[i]); i++) {
                if (s[i] == '.')
                    frac = true;
                else if (s[i] == 'e' || s[i] == 'E')
                    in_exp = true;
                else if (s[i] >= '0' && s[i] <= '9')
                    in_exp ? exp++ : digits++;
            }
            if (exp > *max_exp)
                *max_exp = exp;
            if (!frac && !in_exp && digits >= 19 && i > start)
                big++;
        } else {
            i++;
        }
    }
    return big;
}

/* A copy of s with `marker` after every integer literal of 19 or more digits. */
static char *mark_big_integers(const char *s, size_t len, const char *marker, size_t *out_len)
{
    strbuf b = {0};
    size_t mlen = strlen(marker);
    for (size_t i = 0; i < len;) {
        size_t start = i;
        if (s[i] == '"') {
            for (i++; i < len && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
            i = i < len ? i + 1 : len;
            strbuf_add(&b, s + start, i - start);
        } else if (s[i] == '-' || (s[i] >= '0' && s[i] <= '9')) {
            size_t digits = 0;
            bool plain = true;
            for (; i < len && strchr("0123456789+-.eE", s[i]); i++) {
                if (s[i] >= '0' && s[i] <= '9')
                    digits++;
                else if (s[i] != '-' || i != start)
                    plain = false;
            }
            strbuf_add(&b, s + start, i - start);
            if (plain && digits >= 19)
                strbuf_add(&b, marker, mlen);
        } else {
            strbuf_add(&b, s + i, 1);
            i++;
        }
    }
    *out_len = b.len;
    return b.data;
}

/* Gives each marked double its original integer text back. */
static void unmark_big_integers(json_object *o, const char *marker)
{
    if (json_object_is_type(o, json_type_object)) {
        json_object_object_foreach(o, k, v)
        {
            (void)k;
            unmark_big_integers(v, marker);
        }
    } else if (json_object_is_type(o, json_type_array)) {
        size_t n = json_object_array_length(o);
        for (size_t i = 0; i < n; i++)
            unmark_big_integers(json_object_array_get_idx(o, i), marker);
    } else if (json_object_is_type(o, json_type_double)) {
        const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        size_t tlen = strlen(text), mlen = strlen(marker);
        if (tlen > mlen && strcmp(text + tlen - mlen, marker) == 0) {
            char *orig = mps_xmalloc(tlen - mlen + 1);
            memcpy(orig, text, tlen - mlen);
            orig[tlen - mlen] = '\0';
            json_object_set_serializer(o, json_object_userdata_to_json_string, orig,
                                       json_object_free_userdata);
        }
    }
}

static json_object *parse_value(const char *body, size_t len, const graph_parse_limits *lim,
                                long http_status, graph_error *err);

static void mask_secret(json_object *v, const char *secret);

/* Members whose name holds the secret are added again under the masked name (json-c cannot
 * rename in place); the ones collected first, as the object must not change while walked. */
static void mask_secret_in_keys(json_object *v, const char *secret)
{
    strlist keys = {0};
    json_object_object_foreach(v, key, member)
    {
        mask_secret(member, secret);
        if (strstr(key, secret))
            strlist_push(&keys, key);
    }
    for (size_t i = 0; i < keys.count; i++) {
        json_object *kept = json_object_get(json_object_object_get(v, keys.items[i]));
        json_object_object_del(v, keys.items[i]);
        char *masked = mps_xstrdup(keys.items[i]);
        graph_scrub_secret(masked, secret);
        json_object_object_add(v, masked, kept);
        graph_free_secret(masked);
        graph_scrub_secret(keys.items[i], secret);
    }
    strlist_clear(&keys);
}

/* Masks the secret in every string of the tree, member names included: a server that echoes
 * the token as data (a solution's name, a link, a key) must not get it onto the screen, into
 * --json or the audit log. */
static void mask_secret(json_object *v, const char *secret)
{
    if (json_object_is_type(v, json_type_string)) {
        if (!memmem(json_object_get_string(v), (size_t)json_object_get_string_len(v), secret,
                    strlen(secret)))
            return;
        char *s = mps_xstrdup(json_object_get_string(v));
        graph_scrub_secret(s, secret);
        json_object_set_string(v, s);
        graph_free_secret(s);
    } else if (json_object_is_type(v, json_type_object)) {
        mask_secret_in_keys(v, secret);
    } else if (json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++)
            mask_secret(json_object_array_get_idx(v, i), secret);
    }
}

json_object *graph_json_value(const char *body, size_t len, const graph_parse_limits *lim,
                              long http_status, graph_error *err)
{
    size_t max_exp = 0;
    if (!body || len > limit_bytes(lim) || scan_numbers(body, len, &max_exp) == 0)
        return parse_value(body, len, lim, http_status, err);
    if (max_exp > 64) { /* no marker can be told apart: keep json-c's reading */
        return parse_value(body, len, lim, http_status, err);
    }
    char marker[80] = "e";
    memset(marker + 1, '0', max_exp + 1); /* a longer exponent than any literal has */
    marker[max_exp + 2] = '\0';
    size_t mlen = 0;
    char *marked = mark_big_integers(body, len, marker, &mlen);
    graph_parse_limits wider = lim ? *lim : (graph_parse_limits){0};
    wider.max_bytes = limit_bytes(lim) + (mlen - len); /* the markers do not count */
    json_object *root = parse_value(marked, mlen, &wider, http_status, err);
    free(marked);
    if (root)
        unmark_big_integers(root, marker);
    return root;
}

static json_object *parse_value(const char *body, size_t len, const graph_parse_limits *lim,
                                long http_status, graph_error *err)
{
    graph_error_clear(err);
    size_t cap = limit_bytes(lim);
    if (len > cap) {
        char what[96];
        snprintf(what, sizeof what, "answer larger than %zu bytes", cap);
        protocol_error(err, http_status, what);
        return NULL;
    }
    if (!body || only_space(body, len)) {
        protocol_error(err, http_status, "empty answer where JSON was expected");
        return NULL;
    }
    int depth = limit_depth(lim);
    json_tokener *tok = json_tokener_new_ex(depth);
    if (!tok)
        abort();
    /* STRICT, but not VALIDATE_UTF8: a name with invalid UTF-8 must still load (the sanitiser
     * repairs it); refusing the whole list for one byte would hide every solution. */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *root = json_tokener_parse_ex(tok, body, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!root || jerr != json_tokener_success) {
        json_object_put(root);
        char what[128];
        if (jerr == json_tokener_success) /* the literal null */
            snprintf(what, sizeof what, "answer is not a JSON object");
        else if (jerr == json_tokener_continue)
            snprintf(what, sizeof what, "truncated JSON answer");
        else if (jerr == json_tokener_error_depth)
            snprintf(what, sizeof what, "JSON answer nested deeper than %d levels", depth);
        else
            snprintf(what, sizeof what, "malformed JSON answer (%s at byte %zu)",
                     json_tokener_error_desc(jerr), end);
        protocol_error(err, http_status, what);
        return NULL;
    }
    if (end < len && !only_space(body + end, len - end)) {
        json_object_put(root);
        char what[96];
        snprintf(what, sizeof what, "junk after the JSON answer at byte %zu", end);
        protocol_error(err, http_status, what);
        return NULL;
    }
    if (lim && lim->secret)
        mask_secret(root, lim->secret);
    return root;
}

json_object *graph_json_object(const char *body, size_t len, const graph_parse_limits *lim,
                               long http_status, graph_error *err)
{
    json_object *root = graph_json_value(body, len, lim, http_status, err);
    if (root && !json_object_is_type(root, json_type_object)) {
        json_object_put(root);
        protocol_error(err, http_status, "answer is not a JSON object");
        return NULL;
    }
    return root;
}

/* ---- the Graph error object ---- */

/* Copies a sanitised string member into a fixed buffer, the secret masked before the cut. */
static void copy_member(json_object *obj, const char *key, char *dst, size_t size,
                        const char *secret)
{
    char *s = graph_json_string(obj, key);
    if (s)
        graph_copy_scrubbed(dst, size, s, secret);
    free(s);
}

static int int_member(json_object *obj, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(obj, key, &v))
        return 0;
    if (json_object_is_type(v, json_type_int))
        return (int)json_object_get_int(v);
    if (json_object_is_type(v, json_type_string))
        return atoi(json_object_get_string(v));
    return 0;
}

void graph_error_from_json(json_object *e, long http_status, const char *secret, graph_error *err)
{
    graph_error_clear(err);
    err->http_status = http_status;
    err->code = int_member(e, "code");
    err->subcode = int_member(e, "error_subcode");
    json_object *v;
    /* Only JSON true: json-c reads the string "false" as true. */
    if (json_object_object_get_ex(e, "is_transient", &v) &&
        json_object_is_type(v, json_type_boolean))
        err->transient = json_object_get_boolean(v);
    char *msg = graph_json_string(e, "message");
    char *user_msg = graph_json_string(e, "error_user_msg");
    char *user_title = graph_json_string(e, "error_user_title");
    if (msg && user_msg && strcmp(msg, user_msg) != 0) {
        char *joined = graph_xasprintf("%s — %s%s%s", msg, user_title ? user_title : "",
                                       user_title ? ": " : "", user_msg);
        graph_copy_scrubbed(err->message, sizeof err->message, joined, secret);
        free(joined);
    } else if (msg || user_msg) {
        graph_copy_scrubbed(err->message, sizeof err->message, msg ? msg : user_msg, secret);
    } else
        snprintf(err->message, sizeof err->message, "Graph API error (HTTP %ld)", http_status);
    free(msg);
    free(user_msg);
    free(user_title);
    copy_member(e, "fbtrace_id", err->fbtrace_id, sizeof err->fbtrace_id, secret);
    err->cls = graph_classify(err->code, err->subcode, err->transient, http_status);
    if (err->cls == GRAPH_OK) /* an error object in a 2xx answer is still an error */
        err->cls = GRAPH_ERR_API;
    graph_error_fill_hint(err);
}

/* ---- answers that may be errors ---- */

json_object *graph_json_root(const char *body, size_t len, const graph_parse_limits *lim,
                             long http_status, graph_error *err)
{
    json_object *root = graph_json_object(body, len, lim, http_status, err);
    if (!root)
        return NULL;
    json_object *e;
    if (json_object_object_get_ex(root, "error", &e) && json_object_is_type(e, json_type_object)) {
        graph_error_from_json(e, http_status, lim ? lim->secret : NULL, err);
        json_object_put(root);
        return NULL;
    }
    return root;
}

bool graph_parse_error(const char *body, size_t len, long http_status, const char *secret,
                       graph_error *err)
{
    graph_error tmp;
    graph_parse_limits lim = {.secret = secret};
    json_object *root = graph_json_object(body, len, &lim, http_status, &tmp);
    json_object *e;
    bool is_error = root && json_object_object_get_ex(root, "error", &e) &&
                    json_object_is_type(e, json_type_object);
    if (is_error && err)
        graph_error_from_json(e, http_status, secret, err);
    json_object_put(root);
    return is_error;
}

/* ---- members ---- */

/* A string (or integer: ids sometimes arrive as numbers) value, sanitised; NULL otherwise. */
static char *value_string(json_object *v)
{
    if (json_object_is_type(v, json_type_string))
        return text_sanitize(json_object_get_string(v), (size_t)json_object_get_string_len(v),
                             false);
    if (json_object_is_type(v, json_type_int))
        return graph_xasprintf("%lld", (long long)json_object_get_int64(v));
    return NULL;
}

char *graph_json_string(json_object *obj, const char *key)
{
    json_object *v;
    if (!obj || !json_object_object_get_ex(obj, key, &v))
        return NULL;
    return value_string(v);
}

char *graph_json_inert(json_object *obj)
{
    const char *s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
                                                            JSON_C_TO_STRING_NOSLASHESCAPE);
    return text_json_inert(s ? s : "null");
}

static json_object *member_of_type(json_object *obj, const char *key, json_type type)
{
    json_object *v;
    if (!obj || !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, type))
        return NULL;
    return v;
}

/* A string value sanitised and interned (a copy only when sanitising changes it); NULL for
 * anything else. What every solution repeats (apps, permissions) is held once. */
static char *interned_string(json_object *v)
{
    if (!json_object_is_type(v, json_type_string)) {
        char *s = value_string(v); /* an id as a number */
        char *in = (char *)strpool_intern(s);
        free(s);
        return in;
    }
    const char *raw = json_object_get_string(v);
    size_t len = (size_t)json_object_get_string_len(v);
    if (text_is_safe_n(raw, len))
        return (char *)strpool_intern_n(raw, len);
    char *s = text_sanitize(raw, len, false);
    char *in = (char *)strpool_intern(s);
    free(s);
    return in;
}

static char *interned_member(json_object *obj, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(obj, key, &v) ? interned_string(v) : NULL;
}

/* Permissions: strings kept (sanitised, interned) as given, other items ignored. Returns
 * presence. */
static bool read_permissions(json_object *obj, const char *key, strlist *out)
{
    json_object *arr = member_of_type(obj, key, json_type_array);
    if (!arr)
        return false;
    size_t n = json_object_array_length(arr);
    if (out->count == 0) {
        strlist_clear(out);
        out->interned = true;
        out->cap = n; /* exactly: a list of 50,000 solutions keeps every one */
        out->items = n ? mps_xreallocarray(NULL, n, sizeof *out->items) : NULL;
    }
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_array_get_idx(arr, i);
        if (!json_object_is_type(v, json_type_string))
            continue;
        if (out->interned && out->count < out->cap) {
            out->items[out->count++] = interned_string(v);
        } else {
            char *s = text_sanitize(json_object_get_string(v),
                                    (size_t)json_object_get_string_len(v), false);
            strlist_push(out, s);
            free(s);
        }
    }
    return true;
}

static void read_app(json_object *obj, void *item)
{
    mps_app *app = item;
    if (!json_object_is_type(obj, json_type_object))
        return;
    app->interned = true;
    app->id = interned_member(obj, "id");
    app->name = interned_member(obj, "name");
    app->link = interned_member(obj, "link");
}

static void read_partner(json_object *obj, void *item)
{
    mps_partner *p = item;
    p->id = graph_json_string(obj, "id");
    p->status = interned_member(obj, "status");
    read_app(member_of_type(obj, "partner_app", json_type_object), &p->app);
    p->has_permissions = read_permissions(obj, "partner_permissions", &p->permissions);
}

/* The objects of arr appended to items (count of them, elements of size bytes), each zeroed and
 * then filled by read; anything that is not an object is skipped. Returns the grown array. */
static void *read_object_array(json_object *arr, void *items, size_t size, size_t *count,
                               void (*read)(json_object *obj, void *item))
{
    size_t n = json_object_array_length(arr);
    char *out = mps_xrealloc(items, (*count + n + 1) * size);
    size_t have = *count;
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_array_get_idx(arr, i);
        if (!json_object_is_type(v, json_type_object))
            continue;
        void *item = out + have++ * size;
        memset(item, 0, size);
        read(v, item);
    }
    *count = have;
    return out;
}

static mps_solution *solution_from_json(json_object *obj, bool keep_json, graph_error *err)
{
    if (!json_object_is_type(obj, json_type_object)) {
        protocol_error(err, 0, "a solution in the answer is not a JSON object");
        return NULL;
    }
    char *id = graph_json_string(obj, "id");
    if (!id || !id[0]) {
        free(id);
        protocol_error(err, 0, "a solution in the answer has no id");
        return NULL;
    }
    mps_solution *s = solution_new();
    s->id = id;
    s->name = graph_json_string(obj, "name");
    s->status = interned_member(obj, "status");
    s->pending_request = interned_member(obj, "status_for_pending_request");
    read_app(member_of_type(obj, "owner_app", json_type_object), &s->owner_app);
    s->has_owner_permissions = read_permissions(obj, "owner_permissions", &s->owner_permissions);
    json_object *partners;
    if (json_object_object_get_ex(obj, "partners", &partners)) {
        json_object *data = json_object_is_type(partners, json_type_array)
                                ? partners
                                : member_of_type(partners, "data", json_type_array);
        if (data) {
            s->partners = read_object_array(data, s->partners, sizeof *s->partners,
                                            &s->partner_count, read_partner);
            s->has_partners = true;
        }
    }
    /* Serialising the object is a third of parsing it: only for those who print it. */
    s->json = keep_json ? graph_json_inert(obj) : NULL;
    return s;
}

mps_solution *graph_solution_from_json(json_object *obj, graph_error *err)
{
    return solution_from_json(obj, true, err);
}

static bool keep_json(const graph_parse_limits *lim)
{
    return !(lim && lim->no_json);
}

void graph_solution_merge_partners(mps_solution *s, json_object *partner_objects)
{
    graph_error ignored;
    /* graph_json_value, not json_tokener_parse: big integers keep their text here too */
    json_object *obj =
        s->json ? graph_json_value(s->json, strlen(s->json), NULL, 0, &ignored) : NULL;
    if (!obj || !json_object_is_type(obj, json_type_object)) {
        json_object_put(obj);
        obj = json_object_new_object();
        if (s->id)
            json_object_object_add(obj, "id", json_object_new_string(s->id));
    }
    json_object *wrap = json_object_new_object();
    json_object_object_add(
        wrap, "data", partner_objects ? json_object_get(partner_objects) : json_object_new_array());
    json_object_object_add(obj, "partners", wrap);
    free(s->json);
    s->json = graph_json_inert(obj);
    json_object_put(obj);
}

/* ---- pages ---- */

/* A paging.next we would follow: printable ASCII only (it goes straight into a request). */
static bool next_url_ok(const char *s, size_t len)
{
    if (len == 0 || len > 8192)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    return true;
}

static bool page_parts(json_object *root, json_object **data, char **next, graph_error *err)
{
    *data = member_of_type(root, "data", json_type_array);
    if (!*data) {
        protocol_error(err, 0, "answer has no \"data\" list");
        return false;
    }
    if (next) {
        *next = NULL;
        json_object *paging = member_of_type(root, "paging", json_type_object);
        json_object *n = member_of_type(paging, "next", json_type_string);
        if (n) {
            const char *s = json_object_get_string(n);
            size_t len = (size_t)json_object_get_string_len(n);
            if (!next_url_ok(s, len) || strlen(s) != len) {
                protocol_error(err, 0, "answer has an unusable paging.next link");
                return false;
            }
            *next = mps_xstrdup(s);
        }
    }
    return true;
}

/* A page answer's root and its "data" list, with paging.next checked and kept in *nx; NULL (err
 * filled) when the answer is not a usable page. *next, when asked for, is NULL until page_done. */
static json_object *page_open(const char *body, size_t len, const graph_parse_limits *lim,
                              json_object **data, char **nx, char **next, graph_error *err)
{
    if (next)
        *next = NULL;
    *nx = NULL;
    json_object *root = graph_json_root(body, len, lim, 0, err);
    if (root && !page_parts(root, data, nx, err)) {
        json_object_put(root);
        root = NULL;
    }
    return root;
}

/* The end of a page that parsed: hands nx over to next (or frees it) and clears err. */
static bool page_done(json_object *root, char *nx, char **next, graph_error *err)
{
    json_object_put(root);
    if (next)
        *next = nx;
    else
        free(nx);
    graph_error_clear(err);
    return true;
}

static void read_waba(json_object *obj, void *item)
{
    mps_waba *w = item;
    w->id = graph_json_string(obj, "id");
    w->name = graph_json_string(obj, "name");
    w->timezone_id = graph_json_string(obj, "timezone_id");
    w->business_type = graph_json_string(obj, "business_type");
    w->template_namespace = graph_json_string(obj, "message_template_namespace");
    w->json = graph_json_inert(obj);
}

bool graph_parse_solution(const char *body, size_t len, const graph_parse_limits *lim,
                          mps_solution **out, graph_error *err)
{
    *out = NULL;
    json_object *root = graph_json_root(body, len, lim, 0, err);
    if (!root)
        return false;
    *out = solution_from_json(root, keep_json(lim), err);
    json_object_put(root);
    return *out != NULL;
}

bool graph_parse_solution_page(const char *body, size_t len, const graph_parse_limits *lim,
                               mps_solution ***items, size_t *count, char **next, graph_error *err)
{
    json_object *data;
    char *nx;
    json_object *root = page_open(body, len, lim, &data, &nx, next, err);
    if (!root)
        return false;
    size_t n = json_object_array_length(data);
    mps_solution **got = mps_xmalloc((n ? n : 1) * sizeof *got);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        got[k] = solution_from_json(json_object_array_get_idx(data, i), keep_json(lim), err);
        if (!got[k]) {
            while (k)
                solution_free(got[--k]);
            free(got);
            free(nx);
            json_object_put(root);
            return false;
        }
        k++;
    }
    *items = mps_xrealloc(*items, (*count + k + 1) * sizeof **items);
    memcpy(*items + *count, got, k * sizeof *got);
    *count += k;
    free(got);
    return page_done(root, nx, next, err);
}

bool graph_partner_page_from_json(json_object *root, mps_partner **items, size_t *count,
                                  char **next, json_object **data_out, graph_error *err)
{
    json_object *data;
    if (!page_parts(root, &data, next, err))
        return false;
    *items = read_object_array(data, *items, sizeof **items, count, read_partner);
    if (data_out)
        *data_out = json_object_get(data);
    return true;
}

bool graph_parse_partner_page(const char *body, size_t len, const graph_parse_limits *lim,
                              mps_partner **items, size_t *count, char **next, graph_error *err)
{
    if (next)
        *next = NULL;
    json_object *root = graph_json_root(body, len, lim, 0, err);
    if (!root)
        return false;
    bool ok = graph_partner_page_from_json(root, items, count, next, NULL, err);
    json_object_put(root);
    if (ok)
        graph_error_clear(err);
    return ok;
}

bool graph_parse_waba_page(const char *body, size_t len, const graph_parse_limits *lim,
                           mps_waba **items, size_t *count, char **next, graph_error *err)
{
    json_object *data;
    char *nx;
    json_object *root = page_open(body, len, lim, &data, &nx, next, err);
    if (!root)
        return false;
    *items = read_object_array(data, *items, sizeof **items, count, read_waba);
    return page_done(root, nx, next, err);
}

bool graph_parse_app_page(const char *body, size_t len, const graph_parse_limits *lim,
                          mps_app **items, size_t *count, char **next, graph_error *err)
{
    json_object *data;
    char *nx;
    json_object *root = page_open(body, len, lim, &data, &nx, next, err);
    if (!root)
        return false;
    *items = read_object_array(data, *items, sizeof **items, count, read_app);
    return page_done(root, nx, next, err);
}

bool graph_parse_app(const char *body, size_t len, const graph_parse_limits *lim, mps_app *out,
                     graph_error *err)
{
    memset(out, 0, sizeof *out);
    json_object *root = graph_json_root(body, len, lim, 0, err);
    if (!root)
        return false;
    read_app(root, out);
    json_object_put(root);
    if (!out->id) {
        app_clear(out);
        protocol_error(err, 0, "answer has no app id");
        return false;
    }
    return true;
}

/* ---- single answers ---- */

bool graph_parse_action(const char *body, size_t len, const graph_parse_limits *lim, bool *success,
                        mps_solution **solution, graph_error *err)
{
    *success = false;
    if (solution)
        *solution = NULL;
    json_object *root = graph_json_root(body, len, lim, 0, err);
    if (!root)
        return false;
    json_object *v;
    /* Guides: {"success":true}; OpenAPI: the solution object or {solution_id, success...}.
     * Any 2xx object counts; an explicit success:false does not. A success that is not a JSON
     * boolean ("false" as a string, which json-c would read as true; 0; null) says neither:
     * a protocol error, so the caller reads the solution back instead of guessing. */
    *success = true;
    if (json_object_object_get_ex(root, "success", &v)) {
        if (!json_object_is_type(v, json_type_boolean)) {
            json_object_put(root);
            *success = false;
            protocol_error(err, 0, "the answer's \"success\" is neither true nor false");
            return false;
        }
        *success = json_object_get_boolean(v);
    }
    json_object *id;
    if (solution && json_object_object_get_ex(root, "id", &id)) {
        graph_error tmp;
        *solution = graph_solution_from_json(root, &tmp);
    }
    json_object_put(root);
    return true;
}

bool graph_parse_created(const char *body, size_t len, const graph_parse_limits *lim,
                         char **solution_id, graph_error *err)
{
    *solution_id = NULL;
    json_object *root = graph_json_root(body, len, lim, 0, err);
    if (!root)
        return false;
    char *id = graph_json_string(root, "solution_id");
    if (!id)
        id = graph_json_string(root, "id");
    json_object_put(root);
    if (!id || !id[0]) {
        free(id);
        protocol_error(err, 0, "answer has no solution_id");
        return false;
    }
    *solution_id = id;
    return true;
}

/* Zeroes a secret string inside a json-c tree before the tree is freed: json-c would free it
 * without clearing, leaving the token in the heap. */
static void wipe_json_string(json_object *v)
{
    if (json_object_is_type(v, json_type_string))
        explicit_bzero((char *)json_object_get_string(v), (size_t)json_object_get_string_len(v));
}

static bool token_ok(const char *s, size_t len)
{
    if (len == 0 || strlen(s) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    return true;
}

static long long int_value(json_object *v)
{
    if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
        return (long long)json_object_get_int64(v);
    if (json_object_is_type(v, json_type_string))
        return strtoll(json_object_get_string(v), NULL, 10);
    return 0;
}

bool graph_parse_token(const char *body, size_t len, const graph_parse_limits *lim, char **token,
                       long long *expires_at, graph_error *err)
{
    *token = NULL;
    if (expires_at)
        *expires_at = 0;
    json_object *root = graph_json_root(body, len, lim, 0, err);
    if (!root)
        return false;
    json_object *holder = root;
    json_object *data = member_of_type(root, "data", json_type_array);
    if (data && json_object_array_length(data) > 0)
        holder = json_object_array_get_idx(data, 0);
    json_object *tok = member_of_type(holder, "access_token", json_type_string);
    bool ok = false;
    if (tok && token_ok(json_object_get_string(tok), (size_t)json_object_get_string_len(tok))) {
        *token = mps_xstrdup(json_object_get_string(tok));
        json_object *exp;
        if (expires_at && json_object_object_get_ex(holder, "expires_at", &exp))
            *expires_at = int_value(exp);
        ok = true;
    } else {
        protocol_error(err, 0,
                       tok ? "answer has an unusable access_token" : "answer has no access_token");
    }
    if (tok)
        wipe_json_string(tok);
    json_object_put(root);
    return ok;
}

/* ---- rate-limit headers ---- */

static int percent_of(json_object *obj)
{
    static const char *const keys[] = {"call_count", "total_cputime", "total_time"};
    int best = -1;
    for (size_t i = 0; i < COUNT_OF(keys); i++) {
        json_object *v;
        if (json_object_object_get_ex(obj, keys[i], &v) &&
            (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))) {
            double d = json_object_get_double(v);
            /* clamp before converting: a double out of int range is undefined behaviour */
            int p = !(d > 0) ? 0 : d > 1000 ? 1000 : (int)d;
            if (p > best)
                best = p;
        }
    }
    return best;
}

static void usage_from(json_object *obj, graph_usage *usage)
{
    int p = percent_of(obj);
    if (p > usage->max_percent)
        usage->max_percent = p;
    json_object *v;
    if (json_object_object_get_ex(obj, "estimated_time_to_regain_access", &v)) {
        long long m = int_value(v);
        if (m > usage->regain_minutes && m < 100000)
            usage->regain_minutes = (int)m;
    }
}

void graph_parse_usage_header(const char *name, const char *value, graph_usage *usage)
{
    bool app = strcasecmp(name, "x-app-usage") == 0;
    bool buc = strcasecmp(name, "x-business-use-case-usage") == 0;
    if (!(app || buc) || !value)
        return;
    graph_parse_limits lim = {.max_bytes = (size_t)64 * 1024, .max_depth = 8};
    graph_error err;
    json_object *root = graph_json_object(value, strlen(value), &lim, 0, &err);
    if (!root)
        return;
    if (app) {
        usage_from(root, usage);
    } else {
        json_object_object_foreach(root, key, arr)
        {
            (void)key;
            if (!json_object_is_type(arr, json_type_array))
                continue;
            size_t n = json_object_array_length(arr);
            for (size_t i = 0; i < n; i++) {
                json_object *o = json_object_array_get_idx(arr, i);
                if (json_object_is_type(o, json_type_object))
                    usage_from(o, usage);
            }
        }
    }
    json_object_put(root);
}

/* ---- webhooks ---- */

/* A delivery's time: whole unix seconds, as a number or a string of digits. Anything else
 * (1e400, 30 digits, a fraction, "soon") is nonsense, not "no time": false. */
static bool time_value(json_object *v, long long *out)
{
    *out = 0;
    if (json_object_is_type(v, json_type_int)) {
        long long t = (long long)json_object_get_int64(v);
        if (t == INT64_MAX || t == INT64_MIN) /* json-c's answer to a number out of range */
            return false;
        *out = t;
        return true;
    }
    if (json_object_is_type(v, json_type_double)) {
        double d = json_object_get_double(v);
        if (!(d >= -1e15 && d <= 1e15) || (double)(long long)d != d) /* NaN fails too */
            return false;
        *out = (long long)d;
        return true;
    }
    if (json_object_is_type(v, json_type_string)) {
        const char *s = json_object_get_string(v);
        char *end;
        errno = 0;
        long long t = strtoll(s, &end, 10);
        if (end == s || *end || errno == ERANGE)
            return false;
        *out = t;
        return true;
    }
    return false;
}

static void read_event(json_object *entry, json_object *change, mps_event *e)
{
    memset(e, 0, sizeof *e);
    json_object *v;
    if (json_object_object_get_ex(entry, "time", &v) && !json_object_is_type(v, json_type_null))
        e->time_invalid = !time_value(v, &e->time);
    e->business_id = graph_json_string(entry, "id");
    e->field = graph_json_string(change, "field");
    json_object *value = member_of_type(change, "value", json_type_object);
    e->event = graph_json_string(value, "event");
    e->solution_id = graph_json_string(value, "solution_id");
    e->status = graph_json_string(value, "solution_status");
    json_object *waba = member_of_type(value, "waba_info", json_type_object);
    if (waba) {
        e->waba_id = graph_json_string(waba, "waba_id");
        e->owner_business_id = graph_json_string(waba, "owner_business_id");
        if (!e->solution_id)
            e->solution_id = graph_json_string(waba, "solution_id");
        json_object *ids = member_of_type(waba, "solution_partner_business_ids", json_type_array);
        size_t n = ids ? json_object_array_length(ids) : 0;
        for (size_t i = 0; i < n; i++) {
            char *s = value_string(json_object_array_get_idx(ids, i));
            if (s)
                strlist_push(&e->partner_business_ids, s);
            free(s);
        }
    }
}

bool graph_parse_webhook(const char *line, size_t len, mps_event **events, size_t *count,
                         graph_error *err)
{
    json_object *root = graph_json_object(line, len, NULL, 0, err);
    if (!root)
        return false;
    json_object *entries = member_of_type(root, "entry", json_type_array);
    if (!entries) {
        json_object_put(root);
        protocol_error(err, 0, "not a webhook delivery (no \"entry\" list)");
        return false;
    }
    size_t n = json_object_array_length(entries);
    for (size_t i = 0; i < n; i++) {
        json_object *entry = json_object_array_get_idx(entries, i);
        json_object *changes = member_of_type(entry, "changes", json_type_array);
        size_t m = changes ? json_object_array_length(changes) : 0;
        for (size_t k = 0; k < m; k++) {
            json_object *change = json_object_array_get_idx(changes, k);
            if (!json_object_is_type(change, json_type_object))
                continue;
            *events = mps_xrealloc(*events, (*count + 1) * sizeof **events);
            read_event(entry, change, &(*events)[*count]);
            (*count)++;
        }
    }
    json_object_put(root);
    graph_error_clear(err);
    return true;
}
