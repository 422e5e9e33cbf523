/* The sandbox's Graph API: authentication, routing, field expansion, paging and the endpoints. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/text.h"
#include "sbx.h"

#define DEFAULT_LIMIT 25
#define MAX_LIMIT 100
#define MAX_BATCH 50
#define FIELD_DEPTH 8

/* ---- errors and answers ---- */

/* Graph's error "type" by code: missing objects are GraphMethodException, most else OAuth. */
static const char *error_type(const sbx_gerr *e)
{
    static const struct {
        int code, subcode;
        const char *type;
    } types[] = {
        {100, 33, "GraphMethodException"},
        {803, 0, "GraphMethodException"},
        {2500, 0, "IGApiException"},
        {2, 0, "OAuthException"},
    };
    if (e->type)
        return e->type;
    for (size_t i = 0; i < COUNT_OF(types); i++)
        if (types[i].code == e->code && types[i].subcode == e->subcode)
            return types[i].type;
    return "OAuthException";
}

bool sbx_openapi(const sandbox *sb)
{
    return sb->dialect == SANDBOX_DIALECT_OPENAPI;
}

/* The OpenAPI file's statuses for Graph's error codes (what its 401/403/404/429 examples hold). */
static const struct {
    int lo, hi, http;
} openapi_statuses[] = {
    {102, 102, 401}, {104, 104, 401}, {190, 190, 401},     {10, 10, 403},
    {200, 299, 403}, {803, 803, 404}, {4, 4, 429},         {17, 17, 429},
    {32, 32, 429},   {613, 613, 429}, {80007, 80008, 429},
};

int sbx_error_status(const sandbox *sb, const sbx_gerr *e)
{
    int http = e->http ? e->http : 400;
    /* Graph answers most errors 400 and lets the code speak; the spec gives them statuses. */
    if (!sbx_openapi(sb) || http != 400)
        return http;
    if (e->unprocessable)
        return 422;
    for (size_t i = 0; i < COUNT_OF(openapi_statuses); i++)
        if (e->code >= openapi_statuses[i].lo && e->code <= openapi_statuses[i].hi)
            return openapi_statuses[i].http;
    return 400;
}

char *sbx_next_trace(sandbox *sb)
{
    char buf[32];
    snprintf(buf, sizeof buf, "SBX%08lu", ++sb->trace_counter);
    return mps_xstrdup(buf);
}

void sbx_answer_json(sbx_answer *ans, int status, json_object *o)
{
    free(ans->body);
    ans->status = status;
    ans->body = mps_xstrdup(sbx_json_text(o));
    ans->body_len = strlen(ans->body);
    json_object_put(o);
}

void sbx_answer_error(sandbox *sb, const sbx_gerr *e, sbx_answer *ans)
{
    json_object *err = json_object_new_object();
    json_object_object_add(err, "message", json_object_new_string(e->msg));
    json_object_object_add(err, "type", json_object_new_string(error_type(e)));
    json_object_object_add(err, "code", json_object_new_int(e->code));
    if (e->subcode)
        json_object_object_add(err, "error_subcode", json_object_new_int(e->subcode));
    json_object_object_add(err, "is_transient", json_object_new_boolean(e->transient));
    char *trace = sbx_next_trace(sb);
    json_object_object_add(err, "fbtrace_id", json_object_new_string(trace));
    json_object *root = json_object_new_object();
    json_object_object_add(root, "error", err);
    sbx_answer_json(ans, sbx_error_status(sb, e), root);
    snprintf(ans->trace, sizeof ans->trace, "%s", trace);
    free(trace);
}

static void not_found(const sandbox *sb, sbx_gerr *e, const char *method, const char *id)
{
    if (sbx_openapi(sb)) { /* the spec's 404: code 803 */
        sbx_gerr_set(
            e, 400, 803, 0,
            "(#803) Object with ID '%.60s' does not exist or is not accessible to this app", id);
        return;
    }
    sbx_gerr_set(
        e, 400, 100, 33,
        "Unsupported %s request. Object with ID '%.60s' does not exist, cannot be loaded due "
        "to missing permissions, or does not support this operation",
        strcmp(method, "POST") == 0 ? "post" : "get", id);
}

/* ---- usage (X-App-Usage) ---- */

static sbx_usage *usage_for(sandbox *sb, const char *app_id)
{
    for (size_t i = 0; i < sb->nusage; i++)
        if (strcmp(sb->usage[i].app_id, app_id) == 0)
            return &sb->usage[i];
    sb->usage = mps_xrealloc(sb->usage, (sb->nusage + 1) * sizeof *sb->usage);
    sbx_usage *u = &sb->usage[sb->nusage++];
    memset(u, 0, sizeof *u);
    u->app_id = mps_xstrdup(app_id);
    return u;
}

static void usage_bump(sandbox *sb, const char *app_id)
{
    sbx_usage *u = usage_for(sb, app_id);
    u->ring[u->next++ % SBX_USAGE_RING] = time(NULL);
}

int sbx_usage_percent(sandbox *sb, const char *app_id)
{
    if (!app_id)
        return 0;
    sbx_usage *u = usage_for(sb, app_id);
    time_t now = time(NULL);
    int n = 0;
    for (size_t i = 0; i < SBX_USAGE_RING && i < u->next; i++)
        if (now - u->ring[i] < 600)
            n++;
    return n > 95 ? 95 : n;
}

/* ---- field expansion: fields=a,b{c,d.limit(5){e}} ---- */

typedef struct field {
    char *name;
    struct field *sub;
    size_t nsub;
    bool expanded; /* had {...} */
} field;

typedef struct fieldlist {
    field *v;
    size_t n;
} fieldlist;

static void fieldlist_free(fieldlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        fieldlist sub = {l->v[i].sub, l->v[i].nsub};
        fieldlist_free(&sub);
        free(l->v[i].name);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static void skip_ws(const char **p)
{
    while (**p == ' ' || **p == '\t' || **p == '\n')
        (*p)++;
}

static bool parse_fields(const char **p, fieldlist *out, int depth, sbx_gerr *e)
{
    if (depth > FIELD_DEPTH) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) fields nests too deeply");
        return false;
    }
    for (;;) {
        skip_ws(p);
        const char *start = *p;
        while (isalnum((unsigned char)**p) || **p == '_')
            (*p)++;
        if (*p == start) {
            sbx_gerr_set(e, 400, 100, 0,
                         "(#100) Syntax error in fields: a field name was expected at '%.20s'",
                         start);
            return false;
        }
        out->v = mps_xrealloc(out->v, (out->n + 1) * sizeof *out->v);
        field *f = &out->v[out->n++];
        memset(f, 0, sizeof *f);
        f->name = mps_xmalloc((size_t)(*p - start) + 1);
        memcpy(f->name, start, (size_t)(*p - start));
        f->name[*p - start] = '\0';
        while (**p == '.') { /* modifiers such as .limit(10) are accepted and ignored */
            const char *paren = strchr(*p, '(');
            const char *close = paren ? strchr(paren, ')') : NULL;
            if (!close) {
                sbx_gerr_set(e, 400, 100, 0,
                             "(#100) Syntax error in fields: unterminated modifier");
                return false;
            }
            *p = close + 1;
        }
        skip_ws(p);
        if (**p == '{') {
            (*p)++;
            fieldlist sub = {0};
            bool ok = parse_fields(p, &sub, depth + 1, e);
            f->sub = sub.v;
            f->nsub = sub.n;
            f->expanded = true;
            if (!ok)
                return false;
            if (**p != '}') {
                sbx_gerr_set(e, 400, 100, 0, "(#100) Syntax error in fields: '}' expected");
                return false;
            }
            (*p)++;
            skip_ws(p);
        }
        if (**p != ',')
            return true;
        (*p)++;
    }
}

/* Parses the whole fields= value; an empty value means the defaults. */
static bool fields_from(const char *text, fieldlist *out, bool *given, sbx_gerr *e)
{
    memset(out, 0, sizeof *out);
    *given = text && *text;
    if (!*given)
        return true;
    const char *p = text;
    if (!parse_fields(&p, out, 0, e)) {
        fieldlist_free(out);
        return false;
    }
    skip_ws(&p);
    if (*p) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) Syntax error in fields: unexpected '%.20s'", p);
        fieldlist_free(out);
        return false;
    }
    return true;
}

/* ---- rendering nodes by field tables ---- */

typedef struct rctx {
    sandbox *sb;
    const sbx_app *caller;
    const void *items; /* the list a paged answer is drawing from */
} rctx;

typedef bool (*render_fn)(const rctx *c, const void *node, const field *f, json_object *out,
                          sbx_gerr *e);

typedef struct field_def {
    const char *name;
    render_fn fn;
} field_def;

typedef struct node_type {
    const char *name;
    const field_def *defs;
    size_t ndefs;
    const char *const *defaults; /* NULL-terminated */
} node_type;

static bool render_node(const rctx *c, const node_type *t, const void *node, const field *fields,
                        size_t nfields, bool given, json_object **out, sbx_gerr *e);

static void add_str(json_object *o, const char *k, const char *v)
{
    if (v)
        json_object_object_add(o, k, json_object_new_string(v));
}

static json_object *strv_json(const strlist *s)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < s->count; i++)
        json_object_array_add(a, json_object_new_string(s->items[i]));
    return a;
}

/* apps */
static bool app_id(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)
{
    add_str(o, "id", ((const sbx_app *)n)->id);
    return true;
}
static bool app_name(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)
{
    add_str(o, "name", ((const sbx_app *)n)->name);
    return true;
}
static bool app_link(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)
{
    add_str(o, "link", ((const sbx_app *)n)->link);
    return true;
}
static const field_def app_defs[] = {{"id", app_id}, {"name", app_name}, {"link", app_link}};
static const char *const app_defaults[] = {"link", "name", "id", NULL};
static const node_type app_type = {"Application", app_defs, 3, app_defaults};

/* An app reference: an app the world knows, or a bare id. */
static bool render_app_ref(const rctx *c, const char *id, const field *f, json_object **out,
                           sbx_gerr *e)
{
    const sbx_app *a = sbx_app_find(&c->sb->world, id);
    sbx_app bare = {.id = (char *)id};
    return render_node(c, &app_type, a ? a : &bare, f->sub, f->nsub, f->expanded, out, e);
}

/* partners */
static bool partner_id(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)
{
    add_str(o, "id", ((const sbx_partner *)n)->id);
    return true;
}
static bool partner_app(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)
{
    json_object *a;
    if (!render_app_ref(c, ((const sbx_partner *)n)->app_id, f, &a, e))
        return false;
    json_object_object_add(o, "partner_app", a);
    return true;
}
static bool partner_status(const rctx *c, const void *n, const field *f, json_object *o,
                           sbx_gerr *e)
{
    add_str(o, "status", ((const sbx_partner *)n)->status);
    return true;
}
static bool partner_perms(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)
{
    json_object_object_add(o, "partner_permissions", strv_json(&((const sbx_partner *)n)->perms));
    return true;
}
static const field_def partner_defs[] = {{"id", partner_id},
                                         {"partner_app", partner_app},
                                         {"status", partner_status},
                                         {"partner_permissions", partner_perms}};
static const char *const partner_defaults[] = {"partner_app", "status", "id", NULL};
static const node_type partner_type = {"WhatsAppBusinessSolutionPartner", partner_defs, 4,
                                       partner_defaults};

/* solutions */
static bool sol_id(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)
{
    add_str(o, "id", ((const sbx_solution *)n)->id);
    return true;
}
static bool sol_name(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)
{
    add_str(o, "name", ((const sbx_solution *)n)->name);
    return true;
}
static bool sol_status(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)
{
    add_str(o, "status", ((const sbx_solution *)n)->status);
    return true;
}
static bool sol_pending(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)
{
    add_str(o, "status_for_pending_request", ((const sbx_solution *)n)->pending);
    return true;
}
static bool sol_owner_app(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)
{
    json_object *a;
    if (!render_app_ref(c, ((const sbx_solution *)n)->owner_app_id, f, &a, e))
        return false;
    json_object_object_add(o, "owner_app", a);
    return true;
}
static bool sol_owner_perms(const rctx *c, const void *n, const field *f, json_object *o,
                            sbx_gerr *e)
{
    json_object_object_add(o, "owner_permissions",
                           strv_json(&((const sbx_solution *)n)->owner_perms));
    return true;
}

static json_object *cursors_json(const char *first_id, size_t first, const char *last_id,
                                 size_t last);

/* Graph's answer for a field or edge a node type does not have. */
static void nonexisting_field(sbx_gerr *e, const char *name, const char *type)
{
    sbx_gerr_set(e, 400, 100, 0,
                 "(#100) Tried accessing nonexisting field (%.60s) on node type (%s)", name, type);
}

static bool sol_partners(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)
{
    const sbx_solution *s = n;
    if (c->sb->opts.refuse_partner_fields || sbx_openapi(c->sb)) {
        nonexisting_field(e, "partners", "WhatsAppBusinessSolution");
        return false;
    }
    json_object *data = json_object_new_array();
    for (size_t i = 0; i < s->npartners; i++) {
        json_object *p;
        if (!render_node(c, &partner_type, &s->partners[i], f->sub, f->nsub, f->expanded, &p, e)) {
            json_object_put(data);
            return false;
        }
        json_object_array_add(data, p);
    }
    json_object *edge = json_object_new_object();
    json_object_object_add(edge, "data", data);
    if (s->npartners) {
        json_object *paging = json_object_new_object();
        json_object_object_add(
            paging, "cursors",
            cursors_json(s->partners[0].id, 0, s->partners[s->npartners - 1].id, s->npartners - 1));
        json_object_object_add(edge, "paging", paging);
    }
    json_object_object_add(o, "partners", edge);
    return true;
}
static const field_def sol_defs[] = {
    {"id", sol_id},
    {"name", sol_name},
    {"status", sol_status},
    {"status_for_pending_request", sol_pending},
    {"owner_app", sol_owner_app},
    {"owner_permissions", sol_owner_perms},
    {"partners", sol_partners},
};
static const char *const sol_defaults[] = {"name", "status", "status_for_pending_request", "id",
                                           NULL};
static const node_type sol_type = {"WhatsAppBusinessSolution", sol_defs, 7, sol_defaults};

/* client WABAs */
#define WABA_FIELD(fn, key, member)                                                                \
    static bool fn(const rctx *c, const void *n, const field *f, json_object *o, sbx_gerr *e)      \
    {                                                                                              \
        add_str(o, key, ((const sbx_waba *)n)->member);                                            \
        return true;                                                                               \
    }
WABA_FIELD(waba_id, "id", id)
WABA_FIELD(waba_name, "name", name)
WABA_FIELD(waba_tz, "timezone_id", timezone_id)
WABA_FIELD(waba_btype, "business_type", business_type)
WABA_FIELD(waba_ns, "message_template_namespace", namespace_)
WABA_FIELD(waba_owner, "owner_business_id", owner_business_id)
static const field_def waba_defs[] = {
    {"id", waba_id},
    {"name", waba_name},
    {"timezone_id", waba_tz},
    {"business_type", waba_btype},
    {"message_template_namespace", waba_ns},
    {"owner_business_id", waba_owner},
};
static const char *const waba_defaults[] = {
    "id", "name", "timezone_id", "business_type", "message_template_namespace", NULL};
static const node_type waba_type = {"WhatsAppBusinessAccount", waba_defs, 6, waba_defaults};
/* The OpenAPI file's WhatsAppBusinessAccount has neither business_type (a query filter there)
 * nor message_template_namespace nor owner_business_id. */
static const field_def waba_spec_defs[] = {
    {"id", waba_id},
    {"name", waba_name},
    {"timezone_id", waba_tz},
};
static const char *const waba_spec_defaults[] = {"id", "name", "timezone_id", NULL};
static const node_type waba_spec_type = {"WhatsAppBusinessAccount", waba_spec_defs, 3,
                                         waba_spec_defaults};

static const node_type *waba_type_of(const sandbox *sb)
{
    return sbx_openapi(sb) ? &waba_spec_type : &waba_type;
}

static const field_def *def_find(const node_type *t, const char *name)
{
    for (size_t i = 0; i < t->ndefs; i++)
        if (strcmp(t->defs[i].name, name) == 0)
            return &t->defs[i];
    return NULL;
}

static bool render_node(const rctx *c, const node_type *t, const void *node, const field *fields,
                        size_t nfields, bool given, json_object **out, sbx_gerr *e)
{
    json_object *o = json_object_new_object();
    bool has_id = false;
    if (given) {
        for (size_t i = 0; i < nfields; i++) {
            const field_def *d = def_find(t, fields[i].name);
            if (!d) {
                nonexisting_field(e, fields[i].name, t->name);
                json_object_put(o);
                return false;
            }
            if (json_object_object_get_ex(o, d->name, NULL))
                continue;
            if (!d->fn(c, node, &fields[i], o, e)) {
                json_object_put(o);
                return false;
            }
            has_id = has_id || strcmp(d->name, "id") == 0;
        }
    } else {
        for (const char *const *name = t->defaults; *name; name++) {
            field f = {.name = (char *)*name};
            if (!def_find(t, *name)->fn(c, node, &f, o, e)) {
                json_object_put(o);
                return false;
            }
            has_id = has_id || strcmp(*name, "id") == 0;
        }
    }
    if (!has_id) { /* Graph always answers the id */
        field f = {.name = "id"};
        def_find(t, "id")->fn(c, node, &f, o, e);
    }
    *out = o;
    return true;
}

/* Renders with the request's fields= parameter. */
static bool render_with_query(const rctx *c, const sbx_request *req, const node_type *t,
                              const void *node, json_object **out, sbx_gerr *e)
{
    fieldlist fl;
    bool given;
    if (!fields_from(sbx_kv_get(&req->query, "fields"), &fl, &given, e))
        return false;
    bool ok = render_node(c, t, node, fl.v, fl.n, given, out, e);
    fieldlist_free(&fl);
    return ok;
}

/* ---- paging ---- */

/* A cursor names the id and, as a hint, its place in the list: the next page is found at once
 * instead of by a scan of everything before it (paging N solutions would be quadratic). */
static char *cursor_for(const char *id, size_t index)
{
    char buf[128];
    snprintf(buf, sizeof buf, "sbx:%zu:%.80s", index, id);
    return sbx_base64url(buf);
}

static json_object *cursors_json(const char *first_id, size_t first, const char *last_id,
                                 size_t last)
{
    json_object *c = json_object_new_object();
    char *before = cursor_for(first_id, first), *after = cursor_for(last_id, last);
    json_object_object_add(c, "before", json_object_new_string(before));
    json_object_object_add(c, "after", json_object_new_string(after));
    free(before);
    free(after);
    return c;
}

/* Index of the id a cursor names, or -1. The place it was at is tried first; when the list
 * has changed since, the id is looked for. */
static long cursor_index(const char *cursor, char *const *ids, size_t n)
{
    char *raw = sbx_unbase64url(cursor);
    long found = -1;
    char *sep;
    if (raw && strncmp(raw, "sbx:", 4) == 0 && (sep = strchr(raw + 4, ':')) != NULL) {
        const char *id = sep + 1;
        char *end;
        unsigned long long hint = strtoull(raw + 4, &end, 10);
        if (end == sep && hint < n && strcmp(ids[hint], id) == 0)
            found = (long)hint;
        for (size_t i = 0; i < n && found < 0; i++)
            if (strcmp(ids[i], id) == 0)
                found = (long)i;
    }
    free(raw);
    return found;
}

typedef struct page {
    size_t start, end;
    int limit;
} page;

static bool page_range(const sbx_request *req, char *const *ids, size_t n, page *pg, sbx_gerr *e)
{
    const char *lim = sbx_kv_get(&req->query, "limit");
    pg->limit = DEFAULT_LIMIT;
    if (lim && *lim) {
        char *end;
        long v = strtol(lim, &end, 10);
        if (*end || v < 0) {
            sbx_gerr_set(e, 400, 100, 0, "(#100) param limit must be a non-negative integer");
            return false;
        }
        pg->limit = v == 0 ? DEFAULT_LIMIT : v > MAX_LIMIT ? MAX_LIMIT : (int)v;
    }
    const char *after = sbx_kv_get(&req->query, "after"),
               *before = sbx_kv_get(&req->query, "before");
    pg->start = 0;
    if (after && *after) {
        long i = cursor_index(after, ids, n);
        if (i < 0) {
            sbx_gerr_set(e, 400, 100, 0, "(#100) The after cursor is not valid for this list");
            return false;
        }
        pg->start = (size_t)i + 1;
    } else if (before && *before) {
        long i = cursor_index(before, ids, n);
        if (i < 0) {
            sbx_gerr_set(e, 400, 100, 0, "(#100) The before cursor is not valid for this list");
            return false;
        }
        pg->start = (size_t)i > (size_t)pg->limit ? (size_t)i - (size_t)pg->limit : 0;
        n = (size_t)i;
    }
    pg->end = pg->start + (size_t)pg->limit < n ? pg->start + (size_t)pg->limit : n;
    if (pg->start > pg->end)
        pg->start = pg->end;
    return true;
}

static char *page_url(const sandbox *sb, const sbx_request *req, int limit, const char *key,
                      const char *cursor)
{
    strbuf b = {0};
    strbuf_adds(&b, sb->public_url ? sb->public_url : sb->base_url);
    strbuf_adds(&b, req->path);
    strbuf_adds(&b, "?");
    for (size_t i = 0; i < req->query.n; i++) {
        const char *k = req->query.k[i];
        if (strcmp(k, "after") == 0 || strcmp(k, "before") == 0 || strcmp(k, "limit") == 0 ||
            strcmp(k, "access_token") == 0)
            continue;
        sbx_url_encode(&b, k);
        strbuf_adds(&b, "=");
        sbx_url_encode(&b, req->query.v[i]);
        strbuf_adds(&b, "&");
    }
    strbuf_addf(&b, "limit=%d&%s=", limit, key);
    sbx_url_encode(&b, cursor);
    return strbuf_take(&b);
}

/* {"data":[...], "paging":{...}} over ids[0..n) with items rendered by the callback. */
typedef bool (*item_fn)(const rctx *c, const sbx_request *req, size_t index, json_object **out,
                        sbx_gerr *e);

static bool paged_answer(const rctx *c, const sbx_request *req, char *const *ids, size_t n,
                         item_fn fn, json_object **out, sbx_gerr *e)
{
    page pg;
    if (!page_range(req, ids, n, &pg, e))
        return false;
    json_object *data = json_object_new_array();
    for (size_t i = pg.start; i < pg.end; i++) {
        json_object *item;
        if (!fn(c, req, i, &item, e)) {
            json_object_put(data);
            return false;
        }
        json_object_array_add(data, item);
    }
    json_object *root = json_object_new_object();
    json_object_object_add(root, "data", data);
    if (pg.end > pg.start) {
        json_object *paging = json_object_new_object();
        json_object_object_add(paging, "cursors",
                               cursors_json(ids[pg.start], pg.start, ids[pg.end - 1], pg.end - 1));
        if (pg.start > 0) {
            char *cur = cursor_for(ids[pg.start], pg.start);
            char *url = page_url(c->sb, req, pg.limit, "before", cur);
            json_object_object_add(paging, "previous", json_object_new_string(url));
            free(url);
            free(cur);
        }
        bool more = sbx_kv_get(&req->query, "before") && *sbx_kv_get(&req->query, "before")
                        ? true
                        : pg.end < n;
        if (more) {
            char *cur = cursor_for(ids[pg.end - 1], pg.end - 1);
            char *url = page_url(c->sb, req, pg.limit, "after", cur);
            json_object_object_add(paging, "next", json_object_new_string(url));
            free(url);
            free(cur);
        }
        json_object_object_add(root, "paging", paging);
    }
    *out = root;
    return true;
}

/* ---- endpoints ---- */

/* A listing holds solutions or WABAs, never both: sols says which array grows. */
static void listing_grow(sbx_listing *l, bool sols)
{
    if (l->n < l->cap)
        return;
    l->cap = l->cap ? l->cap * 2 : 64;
    if (sols)
        l->sols = mps_xrealloc(l->sols, l->cap * sizeof *l->sols);
    else
        l->wabas = mps_xrealloc(l->wabas, l->cap * sizeof *l->wabas);
    l->ids = mps_xrealloc(l->ids, l->cap * sizeof *l->ids);
}

static void listing_add_sol(sbx_listing *l, sbx_solution *s)
{
    listing_grow(l, true);
    l->sols[l->n] = s;
    l->ids[l->n++] = s->id;
}

static void listing_add_waba(sbx_listing *l, sbx_waba *w)
{
    listing_grow(l, false);
    l->wabas[l->n] = w;
    l->ids[l->n++] = w->id;
}

static bool sol_item(const rctx *c, const sbx_request *req, size_t i, json_object **out,
                     sbx_gerr *e)
{
    return render_with_query(c, req, &sol_type, ((const sbx_listing *)c->items)->sols[i], out, e);
}

static bool waba_item(const rctx *c, const sbx_request *req, size_t i, json_object **out,
                      sbx_gerr *e)
{
    /* i < the listing's n (page_range keeps a page's end within it), so wabas is not NULL: the
     * analyzer loses that bound in the cursor arithmetic and calls an empty listing indexed. */
    /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
    return render_with_query(c, req, waba_type_of(c->sb), ((const sbx_listing *)c->items)->wabas[i],
                             out, e);
}

static bool visible(const sbx_solution *s, const sbx_app *caller)
{
    return sbx_is_owner(s, caller->id) || sbx_is_partner(s, caller->id);
}

static bool answer_listing(const rctx *c, const sbx_request *req, const sbx_listing *l, item_fn fn,
                           json_object **out, sbx_gerr *e)
{
    rctx with_items = *c;
    with_items.items = l;
    return paged_answer(&with_items, req, l->ids, l->n, fn, out, e);
}

typedef bool (*handler_fn)(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e);

/* The cache slot of a caller's listing for a role; claim: the oldest slot when it has none. */
static sbx_cached_listing *listing_slot(sbx_world *w, const char *caller, int role, bool claim)
{
    for (size_t i = 0; i < SBX_LISTING_CACHE; i++) {
        sbx_cached_listing *cl = &w->listings[i];
        if (cl->caller && cl->role == role && strcmp(cl->caller, caller) == 0)
            return cl;
    }
    if (!claim)
        return NULL;
    sbx_cached_listing *cl = &w->listings[w->next_listing_slot];
    w->next_listing_slot = (w->next_listing_slot + 1) % SBX_LISTING_CACHE;
    sbx_set(&cl->caller, caller);
    cl->role = role;
    return cl;
}

/* The caller's solutions for a role filter (0 any, 1 OWNER, 2 PARTNER), in the world's order.
 * Built once per world generation and kept: the pages of one listing are then served without
 * a pass over every solution each. One pass builds all three filters, so the OWNER and PARTNER
 * chains a client starts at once cost one pass between them, not one each in turn. */
static const sbx_listing *solution_listing(sandbox *sb, const char *caller, int role)
{
    sbx_world *w = &sb->world;
    sbx_cached_listing *hit = listing_slot(w, caller, role, false);
    if (hit && hit->generation == w->generation)
        return &hit->l;
    sbx_cached_listing *by_role[3];
    for (int r = 0; r < 3; r++) {
        by_role[r] = listing_slot(w, caller, r, true);
        by_role[r]->l.n = 0;
    }
    for (size_t i = 0; i < w->nsols; i++) {
        sbx_solution *s = w->sols[i];
        bool owner = sbx_is_owner(s, caller), partner = sbx_is_partner(s, caller);
        if (owner || partner)
            listing_add_sol(&by_role[0]->l, s);
        if (owner)
            listing_add_sol(&by_role[1]->l, s);
        if (partner)
            listing_add_sol(&by_role[2]->l, s);
    }
    for (int r = 0; r < 3; r++)
        by_role[r]->generation = w->generation;
    w->listing_scans++;
    return &by_role[role]->l;
}

static bool h_list(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e)
{
    if (strcmp(req->seg[0], c->caller->id) != 0) {
        sbx_gerr_set(
            e, 400, 200, 0,
            "(#200) The solutions of app %.40s cannot be read with the access token of app %s",
            req->seg[0], c->caller->id);
        return false;
    }
    const char *role = sbx_kv_get(&req->query, "role");
    if (role && *role && strcmp(role, "OWNER") != 0 && strcmp(role, "PARTNER") != 0) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) param role must be one of {OWNER, PARTNER}");
        return false;
    }
    int which = role && strcmp(role, "OWNER") == 0     ? 1
                : role && strcmp(role, "PARTNER") == 0 ? 2
                                                       : 0;
    return answer_listing(c, req, solution_listing(c->sb, c->caller->id, which), sol_item, out, e);
}

static sbx_solution *visible_solution(const rctx *c, const sbx_request *req, sbx_gerr *e)
{
    sbx_solution *s = sbx_sol_find(&c->sb->world, req->seg[0]);
    if (!s || !visible(s, c->caller)) {
        not_found(c->sb, e, req->method, req->seg[0]);
        return NULL;
    }
    return s;
}

static bool waba_visible(const sbx_waba *w, const sbx_app *caller)
{
    return caller->business_id &&
           ((w->business_id && strcmp(w->business_id, caller->business_id) == 0) ||
            strlist_contains(&w->partner_business_ids, caller->business_id));
}

static bool h_node(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e)
{
    const char *id = req->seg[0];
    sbx_solution *s = sbx_sol_find(&c->sb->world, id);
    if (s && visible(s, c->caller))
        return render_with_query(c, req, &sol_type, s, out, e);
    const sbx_app *a = sbx_app_find(&c->sb->world, id);
    if (a)
        return render_with_query(c, req, &app_type, a, out, e);
    sbx_waba *w = sbx_waba_find(&c->sb->world, id);
    if (w && waba_visible(w, c->caller))
        return render_with_query(c, req, waba_type_of(c->sb), w, out, e);
    not_found(c->sb, e, req->method, id);
    return false;
}

static bool partner_item(const rctx *c, const sbx_request *req, size_t i, json_object **out,
                         sbx_gerr *e)
{
    return render_with_query(c, req, &partner_type, &((const sbx_partner *)c->items)[i], out, e);
}

static bool h_partners(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e)
{
    sbx_solution *s = visible_solution(c, req, e);
    if (!s)
        return false;
    char **ids = mps_xcalloc(s->npartners + 1, sizeof *ids);
    for (size_t i = 0; i < s->npartners; i++)
        ids[i] = s->partners[i].id;
    rctx with_items = *c;
    with_items.items = s->partners;
    bool ok = paged_answer(&with_items, req, ids, s->npartners, partner_item, out, e);
    free(ids);
    return ok;
}

static bool h_waba_solutions(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e)
{
    sbx_waba *w = sbx_waba_find(&c->sb->world, req->seg[0]);
    if (!w || !waba_visible(w, c->caller)) {
        not_found(c->sb, e, req->method, req->seg[0]);
        return false;
    }
    sbx_listing l = {0};
    for (size_t i = 0; i < w->solution_ids.count; i++) {
        sbx_solution *s = sbx_sol_find(&c->sb->world, w->solution_ids.items[i]);
        if (s && visible(s, c->caller))
            listing_add_sol(&l, s);
    }
    bool ok = answer_listing(c, req, &l, sol_item, out, e);
    sbx_listing_free(&l);
    return ok;
}

/* filtering=[{"field":"partners","operator":"ALL"|"ANY","value":["<business id>",...]}] */
typedef struct filter {
    bool all;
    strlist values;
} filter;

static bool parse_filtering(const char *text, filter **out, size_t *nout, sbx_gerr *e)
{
    *out = NULL;
    *nout = 0;
    if (!text || !*text)
        return true;
    char why[128];
    json_object *root = sbx_json_parse(text, strlen(text), why, sizeof why);
    if (!root || !json_object_is_type(root, json_type_array)) {
        sbx_gerr_set(
            e, 400, 100, 0,
            "(#100) param filtering must be a JSON array of {field, operator, value} objects%s%s",
            root ? "" : ": ", root ? "" : why);
        json_object_put(root);
        return false;
    }
    size_t n = json_object_array_length(root);
    filter *fs = mps_xcalloc(n + 1, sizeof *fs);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        json_object *item = json_object_array_get_idx(root, i), *fld, *op, *val;
        if (!json_object_is_type(item, json_type_object) ||
            !json_object_object_get_ex(item, "field", &fld) ||
            !json_object_object_get_ex(item, "operator", &op) ||
            !json_object_object_get_ex(item, "value", &val) ||
            !json_object_is_type(fld, json_type_string) ||
            !json_object_is_type(op, json_type_string) ||
            !json_object_is_type(val, json_type_array)) {
            sbx_gerr_set(e, 400, 100, 0,
                         "(#100) filtering[%zu] must hold \"field\", \"operator\" (strings) and "
                         "\"value\" (an array)",
                         i);
            ok = false;
            break;
        }
        if (strcmp(json_object_get_string(fld), "partners") != 0) {
            sbx_gerr_set(e, 400, 100, 0,
                         "(#100) Filtering on field %.40s is not supported; use partners",
                         json_object_get_string(fld));
            ok = false;
            break;
        }
        const char *o = json_object_get_string(op);
        if (strcmp(o, "ALL") != 0 && strcmp(o, "ANY") != 0) {
            sbx_gerr_set(e, 400, 100, 0,
                         "(#100) Operator %.40s is not supported for partners; use ALL or ANY", o);
            ok = false;
            break;
        }
        fs[i].all = strcmp(o, "ALL") == 0;
        for (size_t j = 0; j < json_object_array_length(val); j++) {
            json_object *v = json_object_array_get_idx(val, j);
            if (!json_object_is_type(v, json_type_string) &&
                !json_object_is_type(v, json_type_int)) {
                sbx_gerr_set(e, 400, 100, 0, "(#100) filtering values must be business ids");
                ok = false;
                break;
            }
            strlist_push(&fs[i].values, json_object_get_string(v));
        }
        *nout = i + 1;
    }
    json_object_put(root);
    if (!ok) {
        for (size_t i = 0; i < n; i++)
            strlist_clear(&fs[i].values);
        free(fs);
        *nout = 0;
        return false;
    }
    *out = fs;
    return true;
}

static bool filter_match(const filter *f, const sbx_waba *w)
{
    for (size_t i = 0; i < f->values.count; i++) {
        bool has = strlist_contains(&w->partner_business_ids, f->values.items[i]);
        if (f->all && !has)
            return false;
        if (!f->all && has)
            return true;
    }
    return f->all;
}

static bool h_clients(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e)
{
    const char *biz = req->seg[0];
    if (!c->caller->business_id || strcmp(biz, c->caller->business_id) != 0) {
        not_found(c->sb, e, req->method, biz);
        return false;
    }
    filter *fs;
    size_t nf;
    if (!parse_filtering(sbx_kv_get(&req->query, "filtering"), &fs, &nf, e))
        return false;
    sbx_listing l = {0};
    for (size_t i = 0; i < c->sb->world.nwabas; i++) {
        sbx_waba *w = c->sb->world.wabas[i];
        if (!w->business_id || strcmp(w->business_id, biz) != 0)
            continue;
        bool ok = true;
        for (size_t j = 0; j < nf && ok; j++)
            ok = filter_match(&fs[j], w);
        if (ok)
            listing_add_waba(&l, w);
    }
    for (size_t j = 0; j < nf; j++)
        strlist_clear(&fs[j].values);
    free(fs);
    bool ok = answer_listing(c, req, &l, waba_item, out, e);
    sbx_listing_free(&l);
    return ok;
}

static bool h_access_token(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e)
{
    sbx_solution *s = visible_solution(c, req, e);
    if (!s)
        return false;
    const char *biz = sbx_kv_get(&req->query, "business_id");
    if (!biz || !*biz) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) The parameter business_id is required");
        return false;
    }
    if (!sbx_all_digits(biz)) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) param business_id must be a business portfolio id");
        return false;
    }
    if (!s->status || strcmp(s->status, "ACTIVE") != 0) {
        sbx_gerr_set(
            e, 400, 100, 0,
            "(#100) Business tokens are only available through an ACTIVE solution; this one is %s",
            s->status ? s->status : "without a status");
        return false;
    }
    char seed[256], token[64];
    snprintf(seed, sizeof seed, "%s:%s:%s", s->id, biz, c->caller->id);
    snprintf(token, sizeof token, "EAAB%016llx%016llx", sbx_fnv1a(seed, 1), sbx_fnv1a(seed, 2));
    if (sbx_openapi(c->sb)) { /* the spec: the token itself and when it ends (60 days) */
        *out = json_object_new_object();
        json_object_object_add(*out, "access_token", json_object_new_string(token));
        json_object_object_add(*out, "expires_at",
                               json_object_new_int64((int64_t)time(NULL) + 60LL * 86400));
        return true;
    }
    json_object *item = json_object_new_object();
    json_object_object_add(item, "access_token", json_object_new_string(token));
    json_object *data = json_object_new_array();
    json_object_array_add(data, item);
    *out = json_object_new_object();
    json_object_object_add(*out, "data", data);
    return true;
}

static bool h_me(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e)
{
    return render_with_query(c, req, &app_type, c->caller, out, e);
}

static bool h_app_details(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e)
{
    json_object *data = json_object_new_array();
    const sbx_world *w = &c->sb->world;
    for (size_t i = 0; i < w->ndetails; i++) {
        json_object *a;
        if (!render_with_query(c, req, &app_type, &w->details[i], &a, e)) {
            json_object_put(data);
            return false;
        }
        json_object_array_add(data, a);
    }
    *out = json_object_new_object();
    json_object_object_add(*out, "data", data);
    return true;
}

/* ---- solution actions ---- */

/* A parameter of the JSON body (borrowed), or NULL. */
static json_object *json_param(const sbx_request *req, const char *key)
{
    json_object *v;
    return req->json_body && json_object_object_get_ex(req->json_body, key, &v) ? v : NULL;
}

/* A string parameter from the JSON or form body, or NULL (guide dialect: any body is read). */
static const char *text_param(const sbx_request *req, const char *key)
{
    json_object *v = json_param(req, key);
    if (v)
        return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
    return sbx_kv_get(&req->form, key);
}

/* The openapi dialect reads only JSON bodies, as the spec's requestBody says. */
static bool spec_body(const sbx_request *req, sbx_gerr *e)
{
    if (req->json_body || req->form.n == 0)
        return true;
    sbx_gerr_set(e, 400, 100, 0,
                 "(#100) The request body must be JSON (Content-Type: application/json)");
    return false;
}

/* A required or optional string parameter of the spec's JSON body, with its rules. */
static bool spec_string(const sbx_request *req, const char *key, bool required, bool digits,
                        size_t max_chars, const char **out, sbx_gerr *e)
{
    json_object *v = json_param(req, key);
    *out = NULL;
    if (!v) {
        if (required)
            sbx_gerr_set(e, 400, 100, 0, "(#100) The parameter %s is required", key);
        return !required;
    }
    const char *t = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
    if (!t || (digits && !sbx_all_digits(t)) || (max_chars && text_char_count(t) > max_chars)) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) Invalid parameter value for %s: %s", key,
                     digits      ? "it must be a string of digits (an app id)"
                     : max_chars ? "it must be a string of at most 500 characters"
                                 : "it must be a string");
        return false;
    }
    *out = t;
    return true;
}

/* What one action call asked for, once its body is read. */
typedef struct action_call {
    sbx_action action;
    const char *reason;       /* rejection_reason / reason, or NULL */
    const char *request_type; /* openapi reject: PARTNERSHIP_REQUEST | DEACTIVATION_REQUEST */
    const char *partner_app_id;
} action_call;

/* Reads the spec's required bodies (openapi dialect); 400 code 100 naming what is missing. */
static bool spec_action_body(const rctx *c, const sbx_request *req, const sbx_solution *s,
                             action_call *call, sbx_gerr *e)
{
    if (!spec_body(req, e))
        return false;
    switch (call->action) {
    case SBX_ACCEPT:
        if (!spec_string(req, "partner_app_id", true, true, 0, &call->partner_app_id, e))
            return false;
        if (strcmp(call->partner_app_id, c->caller->id) != 0) {
            sbx_gerr_set(e, 400, 100, 0,
                         "(#100) Invalid parameter value for partner_app_id: %.40s is not the app "
                         "accepting (%s)",
                         call->partner_app_id, c->caller->id);
            return false;
        }
        return true;
    case SBX_REJECT:
        if (!spec_string(req, "request_type", true, false, 0, &call->request_type, e) ||
            !spec_string(req, "partner_app_id", false, true, 0, &call->partner_app_id, e) ||
            !spec_string(req, "rejection_reason", false, false, 500, &call->reason, e))
            return false;
        if (strcmp(call->request_type, "DEACTIVATION_REQUEST") == 0) {
            call->action = SBX_REJECT_DEACTIVATION;
        } else if (strcmp(call->request_type, "PARTNERSHIP_REQUEST") != 0) {
            sbx_gerr_set(e, 400, 100, 0,
                         "(#100) Invalid request_type. Must be PARTNERSHIP_REQUEST or "
                         "DEACTIVATION_REQUEST");
            return false;
        }
        if (call->partner_app_id && !sbx_is_partner(s, call->partner_app_id)) {
            sbx_gerr_set(e, 400, 100, 0,
                         "(#100) Invalid parameter value for partner_app_id: %.40s is not a "
                         "partner app of this solution",
                         call->partner_app_id);
            return false;
        }
        return true;
    case SBX_SEND_DEACTIVATION:
        return spec_string(req, "reason", false, false, 500, &call->reason, e);
    case SBX_REJECT_DEACTIVATION: {
        json_object *v = json_param(req, "reject_deactivation_request");
        if (!v) {
            sbx_gerr_set(e, 400, 100, 0,
                         "(#100) The parameter reject_deactivation_request is required");
            return false;
        }
        if (!json_object_is_type(v, json_type_boolean) || !json_object_get_boolean(v)) {
            sbx_gerr_set(e, 400, 100, 0,
                         "(#100) Invalid parameter value for reject_deactivation_request: it "
                         "must be true");
            return false;
        }
        return true;
    }
    default: /* accept_deactivation_request: the body is optional and holds nothing */
        return true;
    }
}

static void iso_now(char *out, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The spec's answer for each action (the openapi dialect). */
static bool spec_action_answer(const rctx *c, const sbx_request *req, const sbx_solution *s,
                               const action_call *call, json_object **out, sbx_gerr *e)
{
    char now[32];
    iso_now(now, sizeof now);
    if (call->request_type) { /* /reject, for either kind of request */
        *out = json_object_new_object();
        json_object_object_add(*out, "success", json_object_new_boolean(1));
        json_object_object_add(*out, "solution_id", json_object_new_string(s->id));
        json_object_object_add(*out, "rejected_request_type",
                               json_object_new_string(call->request_type));
        json_object_object_add(*out, "rejection_timestamp", json_object_new_string(now));
        if (call->partner_app_id)
            json_object_object_add(*out, "partner_app_id",
                                   json_object_new_string(call->partner_app_id));
        return true;
    }
    if (call->action == SBX_ACCEPT_DEACTIVATION || call->action == SBX_REJECT_DEACTIVATION)
        return render_with_query(c, req, &sol_type, s, out, e);
    *out = json_object_new_object();
    json_object_object_add(*out, "success", json_object_new_boolean(1));
    if (call->action == SBX_ACCEPT) {
        json_object_object_add(*out, "solution_id", json_object_new_string(s->id));
        json_object_object_add(*out, "partner_status", json_object_new_string("ACCEPTED"));
        json_object_object_add(
            *out, "message", json_object_new_string("Solution partnership accepted successfully"));
        json_object_object_add(*out, "update_time", json_object_new_string(now));
    } else { /* send_deactivation_request */
        char *id = sbx_new_id(&c->sb->world);
        char rid[64];
        snprintf(rid, sizeof rid, "deactivation_req_%s", id);
        free(id);
        json_object_object_add(
            *out, "message", json_object_new_string("Deactivation request submitted successfully"));
        json_object_object_add(*out, "request_id", json_object_new_string(rid));
    }
    return true;
}

static bool h_action(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e)
{
    action_call call = {0};
    if (!sbx_action_by_edge(req->seg[1], &call.action)) {
        sbx_gerr_set(e, 400, 2500, 0, "Unknown path components: /%.60s", req->seg[1]);
        return false;
    }
    sbx_solution *s = visible_solution(c, req, e);
    if (!s)
        return false;
    bool openapi = sbx_openapi(c->sb);
    if (openapi && !spec_action_body(c, req, s, &call, e))
        return false;
    if (!openapi) /* a tolerant server: any body, unknown parameters ignored, reasons kept */
        call.reason =
            text_param(req, call.action == SBX_SEND_DEACTIVATION ? "reason" : "rejection_reason");
    if (!sbx_action_apply(c->sb, s, call.action, c->caller->id, e))
        return false;
    if (call.action == SBX_REJECT || call.action == SBX_REJECT_DEACTIVATION)
        sbx_set(&s->rejection_reason, call.reason);
    else if (call.action == SBX_SEND_DEACTIVATION)
        sbx_set(&s->deactivation_reason, call.reason);
    if (openapi)
        return spec_action_answer(c, req, s, &call, out, e);
    *out = json_object_new_object();
    json_object_object_add(*out, "success", json_object_new_boolean(1));
    return true;
}

/* A parameter from the form body or the JSON body, as JSON (strings stay strings). */
static json_object *param(const sbx_request *req, const char *key, bool *owned)
{
    *owned = false;
    json_object *v;
    if (req->json_body && json_object_object_get_ex(req->json_body, key, &v))
        return v;
    const char *s = sbx_kv_get(&req->form, key);
    if (!s)
        s = sbx_kv_get(&req->query, key);
    if (!s)
        return NULL;
    *owned = true;
    return json_object_new_string(s);
}

static bool perms_param(const sbx_request *req, const char *key, strlist *out, sbx_gerr *e)
{
    bool owned;
    json_object *v = param(req, key, &owned), *arr = v;
    bool parsed = false;
    if (!v)
        return true;
    if (json_object_is_type(v, json_type_string)) {
        char why[96];
        const char *t = json_object_get_string(v);
        arr = sbx_json_parse(t, strlen(t), why, sizeof why);
        parsed = true;
    }
    bool ok = arr && json_object_is_type(arr, json_type_array);
    for (size_t i = 0; ok && i < json_object_array_length(arr); i++) {
        json_object *p = json_object_array_get_idx(arr, i);
        ok = json_object_is_type(p, json_type_string);
        if (ok)
            strlist_push(out, json_object_get_string(p));
    }
    if (!ok)
        sbx_gerr_set(e, 400, 100, 0, "(#100) param %s must be a JSON array of permission names",
                     key);
    if (parsed)
        json_object_put(arr);
    if (owned)
        json_object_put(v);
    return ok;
}

/* The spec's create body: JSON, all four parameters, arrays holding at most MESSAGING, and
 * MESSAGING on exactly one side (422 otherwise, as its description says). */
static bool spec_create_body(const sbx_request *req, sbx_gerr *e)
{
    const char *name, *partner;
    if (!spec_body(req, e) || !spec_string(req, "solution_name", true, false, 0, &name, e) ||
        !spec_string(req, "partner_app_id", true, true, 0, &partner, e))
        return false;
    static const char *const sides[] = {"owner_permissions", "partner_permissions"};
    int messaging = 0;
    for (size_t i = 0; i < 2; i++) {
        json_object *v = json_param(req, sides[i]);
        if (!v) {
            sbx_gerr_set(e, 400, 100, 0, "(#100) The parameter %s is required", sides[i]);
            return false;
        }
        size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
        json_object *p = n ? json_object_array_get_idx(v, 0) : NULL;
        if (!json_object_is_type(v, json_type_array) || n > 1 ||
            (p && (!json_object_is_type(p, json_type_string) ||
                   strcmp(json_object_get_string(p), "MESSAGING") != 0))) {
            sbx_gerr_set(e, 400, 100, 0,
                         "(#100) Invalid parameter value for %s: an array holding at most "
                         "MESSAGING, the only configurable permission",
                         sides[i]);
            return false;
        }
        messaging += n == 1;
    }
    if (messaging != 1) {
        sbx_gerr_set(e, 400, 100, 0,
                     "(#100) Invalid Permissions for either of the partners: "
                     "exactly one of them must hold MESSAGING");
        e->unprocessable = true;
        return false;
    }
    return true;
}

static bool h_create(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e)
{
    if (strcmp(req->seg[0], c->caller->id) != 0) {
        sbx_gerr_set(e, 400, 200, 0,
                     "(#200) The access token of app %s cannot create solutions for app %.40s",
                     c->caller->id, req->seg[0]);
        return false;
    }
    if (sbx_openapi(c->sb) && !spec_create_body(req, e))
        return false;
    bool own_name, own_partner;
    json_object *name = param(req, "solution_name", &own_name);
    json_object *partner = param(req, "partner_app_id", &own_partner);
    strlist op = {0}, pp = {0};
    bool ok = perms_param(req, "owner_permissions", &op, e) &&
              perms_param(req, "partner_permissions", &pp, e);
    if (ok && name && !json_object_is_type(name, json_type_string)) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) param solution_name must be a string");
        ok = false;
    }
    if (ok) {
        sbx_solution *s =
            sbx_create_solution(c->sb, c->caller->id, name ? json_object_get_string(name) : NULL,
                                partner ? json_object_get_string(partner) : NULL, &op, &pp, e);
        ok = s != NULL;
        if (ok) {
            *out = json_object_new_object();
            json_object_object_add(*out, "solution_id", json_object_new_string(s->id));
        }
    }
    strlist_clear(&op);
    strlist_clear(&pp);
    if (own_name)
        json_object_put(name);
    if (own_partner)
        json_object_put(partner);
    return ok;
}

/* edge -> handler, per method; anything else on a node is an action edge or unknown */
static const struct route {
    const char *method;
    const char *edge;
    handler_fn fn;
} edge_routes[] = {
    {"GET", "whatsapp_business_solutions", h_list},
    {"GET", "partners", h_partners},
    {"GET", "solutions", h_waba_solutions},
    {"GET", "client_whatsapp_business_accounts", h_clients},
    {"GET", "access_token", h_access_token},
    {"POST", "whatsapp_business_solution", h_create},
};

static bool h_batch(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e);

static bool route(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e)
{
    bool get = strcmp(req->method, "GET") == 0, post = strcmp(req->method, "POST") == 0;
    if (!get && !post) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) Unsupported method %.10s", req->method);
        return false;
    }
    if (req->nseg == 0) {
        if (post && sbx_openapi(c->sb)) { /* the spec has no batch */
            sbx_gerr_set(e, 400, 100, 0,
                         "(#100) Unsupported post request: this server takes no batch requests");
            return false;
        }
        if (post)
            return h_batch(c, req, out, e);
        sbx_gerr_set(e, 400, 100, 0, "(#100) Unsupported get request: a node id is required");
        return false;
    }
    if (strcmp(req->seg[0], "me") == 0) {
        if (get && req->nseg == 1)
            return h_me(c, req, out, e);
        if (get && req->nseg == 2 && strcmp(req->seg[1], "assigned_applications") == 0)
            return h_app_details(c, req, out, e);
        if (get && req->nseg == 2 && strcmp(req->seg[1], "application_details") == 0) {
            if (!sbx_openapi(c->sb))
                return h_app_details(c, req, out, e);
            nonexisting_field(e, "application_details", "User");
            return false;
        }
    }
    if (req->nseg == 1) {
        if (get)
            return h_node(c, req, out, e);
        not_found(c->sb, e, req->method, req->seg[0]);
        return false;
    }
    if (req->nseg == 2 && sbx_openapi(c->sb) && strcmp(req->seg[1], "partners") == 0) {
        nonexisting_field(e, "partners", "WhatsAppBusinessSolution");
        return false;
    }
    if (req->nseg == 2) {
        bool known = false;
        for (size_t i = 0; i < COUNT_OF(edge_routes); i++) {
            if (strcmp(edge_routes[i].edge, req->seg[1]) != 0)
                continue;
            known = true;
            if (strcmp(edge_routes[i].method, req->method) == 0)
                return edge_routes[i].fn(c, req, out, e);
        }
        sbx_action a;
        if (sbx_action_by_edge(req->seg[1], &a)) {
            if (post)
                return h_action(c, req, out, e);
            known = true;
        }
        if (known) {
            not_found(c->sb, e, req->method, req->seg[0]);
            return false;
        }
    }
    sbx_gerr_set(e, 400, 2500, 0, "Unknown path components: /%.60s%s", req->seg[1],
                 req->nseg > 2 ? "/..." : "");
    return false;
}

void sbx_api_dispatch(sandbox *sb, sbx_request *req, sbx_answer *ans)
{
    rctx c = {sb, req->caller, NULL};
    sbx_gerr e = {0};
    json_object *out = NULL;
    usage_bump(sb, req->caller->id);
    if (route(&c, req, &out, &e))
        sbx_answer_json(ans, 200, out);
    else
        sbx_answer_error(sb, &e, ans);
}

/* ---- requests: path, body, auth ---- */

static bool is_version(const char *s)
{
    if (s[0] != 'v' || !isdigit((unsigned char)s[1]))
        return false;
    for (s++; *s; s++)
        if (!isdigit((unsigned char)*s) && *s != '.')
            return false;
    return true;
}

static void split_path(sbx_request *req, const char *path)
{
    const char *p = path;
    bool first = true;
    while (*p) {
        while (*p == '/')
            p++;
        const char *start = p;
        while (*p && *p != '/')
            p++;
        if (p == start)
            break;
        char *seg = mps_xmalloc((size_t)(p - start) + 1);
        memcpy(seg, start, (size_t)(p - start));
        seg[p - start] = '\0';
        if (first && is_version(seg)) {
            free(seg);
        } else {
            req->seg = mps_xrealloc(req->seg, (req->nseg + 1) * sizeof *req->seg);
            req->seg[req->nseg++] = seg;
        }
        first = false;
    }
}

static void request_clear(sbx_request *req)
{
    for (size_t i = 0; i < req->nseg; i++)
        free(req->seg[i]);
    free(req->seg);
    sbx_kv_clear(&req->query);
    sbx_kv_clear(&req->form);
    json_object_put(req->json_body);
}

static bool token_leaked(const sbx_request *req)
{
    return sbx_kv_get(&req->query, "access_token") || sbx_kv_get(&req->form, "access_token") ||
           (req->json_body && json_object_object_get_ex(req->json_body, "access_token", NULL));
}

static bool fill_body(sbx_request *req, const char *body, size_t len, const char *content_type,
                      sbx_gerr *e)
{
    if (!body || !len)
        return true;
    if (content_type && strncasecmp(content_type, "application/json", 16) == 0) {
        char why[128];
        req->json_body = sbx_json_parse(body, len, why, sizeof why);
        if (!req->json_body || !json_object_is_type(req->json_body, json_type_object)) {
            sbx_gerr_set(e, 400, 100, 0, "(#100) The JSON body must be an object%s%s",
                         req->json_body ? "" : ": ", req->json_body ? "" : why);
            return false;
        }
        return true;
    }
    sbx_kv_parse_query(&req->form, body, len);
    return true;
}

/* Authenticates and answers; the caller's app id goes to *app_id_out (borrowed). */
static void handle(sandbox *sb, sbx_request *req, const char *token, sbx_answer *ans,
                   const char **app_id_out)
{
    sbx_gerr e = {0};
    *app_id_out = NULL;
    if (token_leaked(req)) {
        sbx_gerr_set(
            &e, 400, 100, 0,
            "(#100) tokens belong in the Authorization header, not in the URL or the body");
        sbx_answer_error(sb, &e, ans);
        return;
    }
    if (!token || !*token) {
        sbx_gerr_set(&e, 400, 104, 0, "An access token is required to request this resource.");
        sbx_answer_error(sb, &e, ans);
        return;
    }
    if (strcmp(token, SANDBOX_TOKEN_EXPIRED) == 0) {
        sbx_gerr_set(&e, 400, 190, 463, SBX_EXPIRED_MESSAGE);
        sbx_answer_error(sb, &e, ans);
        return;
    }
    req->caller = sbx_app_by_token(&sb->world, token);
    if (!req->caller) {
        sbx_gerr_set(&e, 400, 190, 467, "Invalid OAuth access token - Cannot parse access token");
        sbx_answer_error(sb, &e, ans);
        return;
    }
    *app_id_out = req->caller->id;
    sbx_api_dispatch(sb, req, ans);
}

void sbx_api_handle(sandbox *sb, const char *method, const char *path, sbx_kv *query,
                    const char *body, size_t body_len, const char *content_type, const char *token,
                    sbx_answer *ans, const char **app_id_out)
{
    sbx_request req = {.method = method, .path = path};
    req.query = *query; /* borrowed: handed back below */
    split_path(&req, path);
    sbx_gerr e = {0};
    if (fill_body(&req, body, body_len, content_type, &e))
        handle(sb, &req, token, ans, app_id_out);
    else {
        *app_id_out = NULL;
        sbx_answer_error(sb, &e, ans);
    }
    *query = req.query;
    memset(&req.query, 0, sizeof req.query);
    request_clear(&req);
}

/* ---- batch ---- */

static json_object *batch_item_answer(int code, const char *body)
{
    json_object *item = json_object_new_object();
    json_object_object_add(item, "code", json_object_new_int(code));
    json_object *headers = json_object_new_array();
    json_object *ct = json_object_new_object();
    json_object_object_add(ct, "name", json_object_new_string("Content-Type"));
    json_object_object_add(ct, "value", json_object_new_string("application/json; charset=UTF-8"));
    json_object_array_add(headers, ct);
    json_object_object_add(item, "headers", headers);
    json_object_object_add(item, "body", json_object_new_string(body));
    return item;
}

static json_object *batch_run_item(const rctx *c, json_object *item)
{
    sbx_answer ans = {0};
    sbx_gerr e = {0};
    json_object *m, *u, *b;
    const char *method = "GET";
    if (!json_object_is_type(item, json_type_object) ||
        !json_object_object_get_ex(item, "relative_url", &u) ||
        !json_object_is_type(u, json_type_string)) {
        sbx_gerr_set(&e, 400, 100, 0, "(#100) Each batch request needs a relative_url");
        sbx_answer_error(c->sb, &e, &ans);
    } else {
        if (json_object_object_get_ex(item, "method", &m) &&
            json_object_is_type(m, json_type_string))
            method = json_object_get_string(m);
        const char *rel = json_object_get_string(u);
        while (*rel == '/')
            rel++;
        const char *q = strchr(rel, '?');
        size_t plen = q ? (size_t)(q - rel) : strlen(rel);
        char *path = mps_xmalloc(plen + 2);
        path[0] = '/';
        memcpy(path + 1, rel, plen);
        path[plen + 1] = '\0';
        char upper[16] = {0};
        for (size_t i = 0; i < sizeof upper - 1 && method[i]; i++)
            upper[i] = (char)toupper((unsigned char)method[i]);
        sbx_request req = {.method = upper, .path = path, .caller = c->caller};
        split_path(&req, path);
        if (q)
            sbx_kv_parse_query(&req.query, q + 1, strlen(q + 1));
        if (json_object_object_get_ex(item, "body", &b) && json_object_is_type(b, json_type_string))
            sbx_kv_parse_query(&req.form, json_object_get_string(b),
                               strlen(json_object_get_string(b)));
        if (req.nseg == 0) {
            sbx_gerr_set(&e, 400, 100, 0, "(#100) A batch request cannot contain another batch");
            sbx_answer_error(c->sb, &e, &ans);
        } else if (token_leaked(&req)) {
            sbx_gerr_set(
                &e, 400, 100, 0,
                "(#100) tokens belong in the Authorization header, not in the URL or the body");
            sbx_answer_error(c->sb, &e, &ans);
        } else {
            sbx_api_dispatch(c->sb, &req, &ans);
        }
        request_clear(&req);
        free(path);
    }
    json_object *out = batch_item_answer(ans.status, ans.body ? ans.body : "");
    free(ans.body);
    return out;
}

static bool h_batch(const rctx *c, sbx_request *req, json_object **out, sbx_gerr *e)
{
    bool owned;
    json_object *v = param(req, "batch", &owned), *arr = v;
    bool parsed = false;
    if (!v) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) The parameter batch is required");
        return false;
    }
    if (json_object_is_type(v, json_type_string)) {
        char why[96];
        const char *t = json_object_get_string(v);
        arr = sbx_json_parse(t, strlen(t), why, sizeof why);
        parsed = true;
    }
    bool ok = true;
    if (!arr || !json_object_is_type(arr, json_type_array)) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) param batch must be a JSON array");
        ok = false;
    } else if (json_object_array_length(arr) == 0) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) param batch must hold at least one request");
        ok = false;
    } else if (json_object_array_length(arr) > MAX_BATCH) {
        sbx_gerr_set(e, 400, 100, 0,
                     "(#100) Too many requests in batch message. Maximum batch size is %d",
                     MAX_BATCH);
        ok = false;
    } else {
        *out = json_object_new_array();
        for (size_t i = 0; i < json_object_array_length(arr); i++)
            json_object_array_add(*out, batch_run_item(c, json_object_array_get_idx(arr, i)));
    }
    if (parsed)
        json_object_put(arr);
    if (owned)
        json_object_put(v);
    return ok;
}
