/* Output for people and for programs: aligned tables by display width, the solution detail
 * with its permission matrix, and JSON that keeps the server's data exact but terminal-inert. */
#include <json-c/json.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "mpsdash/alloc.h"
#include "mpsdash/state.h"
#include "mpsdash/text.h"

/* ------------------------------------------------------------------------------ tables */

struct cli_table {
    size_t ncols;
    char **headers;
    int *max_width;
    char ***rows;
    size_t count;
    size_t cap;
    FILE *stream; /* streaming: rows are printed as added, at the capped widths */
};

static char *dup_or_dash(const char *s)
{
    char *d = strdup(s && *s ? s : "-");
    if (!d)
        abort();
    return d;
}

cli_table *cli_table_new(size_t ncols, const char *const *headers, const int *max_width)
{
    cli_table *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    t->ncols = ncols;
    t->headers = calloc(ncols, sizeof *t->headers);
    t->max_width = calloc(ncols, sizeof *t->max_width);
    if (!t->headers || !t->max_width)
        abort();
    for (size_t i = 0; i < ncols; i++) {
        t->headers[i] = dup_or_dash(headers[i]);
        t->max_width[i] = max_width ? max_width[i] : 0;
    }
    return t;
}

static void print_row(FILE *out, const cli_table *t, char *const *cells, const int *widths);

cli_table *cli_table_new_streaming(size_t ncols, const char *const *headers,
                                   const int *max_width, FILE *out)
{
    cli_table *t = cli_table_new(ncols, headers, max_width);
    for (size_t i = 0; i < ncols; i++)
        if (t->max_width[i] <= 0)
            t->max_width[i] = text_width(t->headers[i]);
    t->stream = out;
    print_row(out, t, t->headers, t->max_width);
    return t;
}

void cli_table_add(cli_table *t, const char *const *cells)
{
    if (t->stream) {
        print_row(t->stream, t, (char *const *)cells, t->max_width);
        t->count++;
        return;
    }
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->rows = realloc(t->rows, t->cap * sizeof *t->rows);
        if (!t->rows)
            abort();
    }
    char **row = calloc(t->ncols, sizeof *row);
    if (!row)
        abort();
    for (size_t i = 0; i < t->ncols; i++)
        row[i] = dup_or_dash(cells[i]);
    t->rows[t->count++] = row;
}

static void print_row(FILE *out, const cli_table *t, char *const *cells, const int *widths)
{
    size_t bufsize = 0;
    for (size_t i = 0; i < t->ncols; i++)
        if ((size_t)widths[i] * 4 + 8 > bufsize)
            bufsize = (size_t)widths[i] * 4 + 8;
    char *buf = malloc(bufsize);
    if (!buf)
        abort();
    for (size_t i = 0; i < t->ncols; i++) {
        bool last = i + 1 == t->ncols;
        const char *cell = cells[i] && *cells[i] ? cells[i] : "-";
        if (last) {
            /* no padding after the last column: no trailing blanks */
            char *cut = text_truncate(cell, widths[i]);
            fputs(cut, out);
            free(cut);
        } else {
            text_fit(buf, bufsize, cell, widths[i]);
            fputs(buf, out);
            fputs("  ", out);
        }
    }
    fputc('\n', out);
    free(buf);
}

void cli_table_print_free(cli_table *t, FILE *out)
{
    int *widths = calloc(t->ncols, sizeof *widths);
    if (!widths)
        abort();
    if (t->stream) /* every row is out already */
        t->count = 0;
    for (size_t c = 0; c < t->ncols && !t->stream; c++) {
        widths[c] = text_width(t->headers[c]);
        for (size_t r = 0; r < t->count; r++) {
            int w = text_width(t->rows[r][c]);
            if (w > widths[c])
                widths[c] = w;
        }
        if (t->max_width[c] > 0 && widths[c] > t->max_width[c])
            widths[c] = t->max_width[c];
    }
    if (!t->stream)
        print_row(out, t, t->headers, widths);
    for (size_t r = 0; r < t->count; r++)
        print_row(out, t, t->rows[r], widths);
    free(widths);
    cli_table_free(t);
}

void cli_table_free(cli_table *t)
{
    if (t->stream)
        t->count = 0;
    for (size_t r = 0; r < t->count; r++) {
        for (size_t c = 0; c < t->ncols; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
    }
    for (size_t c = 0; c < t->ncols; c++)
        free(t->headers[c]);
    free(t->rows);
    free(t->headers);
    free(t->max_width);
    free(t);
}

/* ------------------------------------------------------------------------------ JSON */

static json_object *jstr(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

static json_object *jlist(const strlist *l)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < l->count; i++)
        json_object_array_add(a, json_object_new_string(l->items[i]));
    return a;
}

static json_object *japp(const mps_app *a)
{
    json_object *o = json_object_new_object();
    if (a->id)
        json_object_object_add(o, "id", jstr(a->id));
    if (a->name)
        json_object_object_add(o, "name", jstr(a->name));
    if (a->link)
        json_object_object_add(o, "link", jstr(a->link));
    return o;
}

static char *json_text(json_object *o)
{
    const char *txt = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                            JSON_C_TO_STRING_NOSLASHESCAPE);
    char *inert = text_json_inert(txt);
    json_object_put(o);
    return inert;
}

/* Only for a solution whose server object was not kept: its display text, as JSON. */
static char *solution_json_from_struct(const mps_solution *s)
{
    json_object *o = json_object_new_object();
    static const struct {
        const char *key;
        size_t off;
    } fields[] = {
        {"id", offsetof(mps_solution, id)},
        {"name", offsetof(mps_solution, name)},
        {"status", offsetof(mps_solution, status)},
        {"status_for_pending_request", offsetof(mps_solution, pending_request)},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = *(char *const *)((const char *)s + fields[i].off);
        if (v)
            json_object_object_add(o, fields[i].key, jstr(v));
    }
    if (s->owner_app.id)
        json_object_object_add(o, "owner_app", japp(&s->owner_app));
    if (s->has_owner_permissions)
        json_object_object_add(o, "owner_permissions", jlist(&s->owner_permissions));
    if (s->has_partners) {
        json_object *data = json_object_new_array();
        for (size_t i = 0; i < s->partner_count; i++) {
            const mps_partner *p = &s->partners[i];
            json_object *po = json_object_new_object();
            if (p->id)
                json_object_object_add(po, "id", jstr(p->id));
            json_object_object_add(po, "partner_app", japp(&p->app));
            if (p->status)
                json_object_object_add(po, "status", jstr(p->status));
            if (p->has_permissions)
                json_object_object_add(po, "partner_permissions", jlist(&p->permissions));
            json_object_array_add(data, po);
        }
        json_object *partners = json_object_new_object();
        json_object_object_add(partners, "data", data);
        json_object_object_add(o, "partners", partners);
    }
    return json_text(o);
}

/* The solution as the server gave it, plus what mpsdash derived from it in one "mpsdash"
 * object ({"role":"owner"|"partner"|null,"state":<the --filter word>}): the server's own keys
 * stay exactly as they came and cannot collide with ours. */
char *cli_solution_json(const mps_solution *s, const char *our_app_id)
{
    char *base = s->json ? strdup(s->json) : solution_json_from_struct(s);
    if (!base)
        abort();
    char *close = strrchr(base, '}');
    if (!close)
        return base; /* not an object: left as it came */
    *close = '\0';
    const char *p = close;
    while (p > base && (p[-1] == ' ' || p[-1] == '\n'))
        p--;
    bool empty = p > base && p[-1] == '{';
    mps_role r = solution_role(s, our_app_id);
    char role[16] = "null";
    if (r == ROLE_OWNER || r == ROLE_PARTNER)
        snprintf(role, sizeof role, "\"%s\"", role_label(r));
    size_t n = strlen(base) + 96;
    char *out = malloc(n);
    if (!out)
        abort();
    snprintf(out, n, "%s%s\"mpsdash\":{\"role\":%s,\"state\":\"%s\"}}", base, empty ? "" : ",",
             role, state_key(solution_state(s)));
    free(base);
    return out;
}

/* ---- solution lists, written as they arrive ---- */

struct cli_list_out {
    FILE *out;
    bool json;
    cli_table *table;
    const char *our_app_id;
    size_t count;
};

static cli_table *solutions_table(FILE *stream)
{
    static const char *const headers[] = {"ID", "NAME", "STATE", "ROLE", "OTHER APP"};
    static const int caps[] = {24, 40, 22, 8, 32};
    return stream ? cli_table_new_streaming(5, headers, caps, stream)
                  : cli_table_new(5, headers, caps);
}

cli_list_out *cli_list_out_new(FILE *out, bool json, bool stream_table, const char *our_app_id)
{
    cli_list_out *o = calloc(1, sizeof *o);
    if (!o)
        abort();
    o->out = out;
    o->json = json;
    o->our_app_id = our_app_id;
    if (!json)
        o->table = solutions_table(stream_table ? out : NULL);
    return o;
}

void cli_list_out_add(cli_list_out *o, mps_solution *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const mps_solution *s = items[i];
        if (o->json) {
            char *j = cli_solution_json(s, o->our_app_id);
            fputs(o->count ? ",\n  " : "[\n  ", o->out);
            fputs(j, o->out);
            free(j);
        } else {
            const mps_app *other = solution_other_app(s, o->our_app_id);
            const char *cells[] = {
                s->id,
                s->name,
                solution_state_text(s),
                role_label(solution_role(s, o->our_app_id)),
                other ? (other->name ? other->name : other->id) : NULL,
            };
            cli_table_add(o->table, cells);
        }
        o->count++;
    }
    if (n)
        fflush(o->out); /* a reader downstream sees each page as it comes */
}

size_t cli_list_out_finish(cli_list_out *o, bool complete)
{
    size_t n = o->count;
    if (o->json && complete)
        fputs(o->count ? "\n]\n" : "[]\n", o->out);
    if (o->table) {
        if (complete)
            cli_table_print_free(o->table, o->out);
        else
            cli_table_free(o->table);
    }
    fflush(o->out);
    free(o);
    return n;
}

void cli_print_solutions_json(FILE *out, mps_solution *const *items, size_t count,
                              const char *our_app_id)
{
    cli_list_out *o = cli_list_out_new(out, true, false, our_app_id);
    cli_list_out_add(o, items, count);
    cli_list_out_finish(o, true);
}

void cli_json_string(FILE *out, const char *text)
{
    if (!text) {
        fputs("null", out);
        return;
    }
    json_object *o = json_object_new_string(text);
    char *t = json_text(o);
    fputs(t, out);
    free(t);
}

/* ------------------------------------------------------------------------------ solutions */

char *cli_join(const strlist *list)
{
    if (list->count == 0)
        return mps_xstrdup("(none)");
    /* One pass with a running end: strcat would rescan the result for every item. */
    size_t n = 1;
    for (size_t i = 0; i < list->count; i++)
        n += strlen(list->items[i]) + 2;
    char *s = mps_xmalloc(n);
    char *end = s;
    for (size_t i = 0; i < list->count; i++) {
        if (i) {
            memcpy(end, ", ", 2);
            end += 2;
        }
        size_t len = strlen(list->items[i]);
        memcpy(end, list->items[i], len);
        end += len;
    }
    *end = '\0';
    return s;
}

static const char *app_label(const mps_app *a, char *buf, size_t size)
{
    if (!a || (!a->name && !a->id))
        return "-";
    if (a->name && a->id)
        snprintf(buf, size, "%s (%s)", a->name, a->id);
    else
        snprintf(buf, size, "%s", a->name ? a->name : a->id);
    return buf;
}

void cli_print_solutions_table(FILE *out, mps_solution *const *items, size_t count,
                               const char *our_app_id)
{
    cli_list_out *o = cli_list_out_new(out, false, false, our_app_id);
    cli_list_out_add(o, items, count);
    cli_list_out_finish(o, true);
}

static bool utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static void print_matrix(FILE *out, const mps_solution *s)
{
    bool utf8 = utf8_locale();
    const char *yes = utf8 ? "\u2713" : "x";
    const char *no = utf8 ? "\u00b7" : "-";
    strlist all = {0};
    solution_permissions(s, NULL, 0, &all);
    if (all.count == 0) {
        fprintf(out, "  (no permissions in the answer)\n");
        return;
    }
    size_t ncols = 2 + s->partner_count;
    const char **headers = calloc(ncols, sizeof *headers);
    int *caps = calloc(ncols, sizeof *caps);
    const char **cells = calloc(ncols, sizeof *cells);
    if (!headers || !caps || !cells)
        abort();
    headers[0] = "  PERMISSION";
    headers[1] = "OWNER";
    for (size_t p = 0; p < s->partner_count; p++) {
        headers[2 + p] = s->partner_count == 1 ? "PARTNER"
                         : s->partners[p].app.name ? s->partners[p].app.name
                                                   : "PARTNER";
        caps[2 + p] = 16;
    }
    /* One set per column: a lookup per cell, not a scan of the column's list. */
    strset *held = mps_xcalloc(ncols, sizeof *held);
    strset_add_list(&held[1], &s->owner_permissions);
    for (size_t p = 0; p < s->partner_count; p++)
        strset_add_list(&held[2 + p], &s->partners[p].permissions);
    cli_table *t = cli_table_new(ncols, headers, caps);
    char name[256];
    for (size_t i = 0; i < all.count; i++) {
        snprintf(name, sizeof name, "  %s", all.items[i]);
        cells[0] = name;
        cells[1] = !s->has_owner_permissions             ? "?"
                   : strset_has(&held[1], all.items[i]) ? yes
                                                         : no;
        for (size_t p = 0; p < s->partner_count; p++) {
            const mps_partner *pt = &s->partners[p];
            cells[2 + p] = !pt->has_permissions                     ? "?"
                           : strset_has(&held[2 + p], all.items[i]) ? yes
                                                                    : no;
        }
        cli_table_add(t, cells);
    }
    cli_table_print_free(t, out);
    for (size_t c = 0; c < ncols; c++)
        strset_clear(&held[c]);
    free(held);
    strlist_clear(&all);
    free(headers);
    free(caps);
    free(cells);
}

void cli_print_solution_detail(FILE *out, const mps_solution *s, const char *our_app_id)
{
    char buf[1024];
    mps_state st = solution_state(s);
    mps_role role = solution_role(s, our_app_id);
    fprintf(out, "%s\n", s->name ? s->name : "(no name)");
    fprintf(out, "  id            %s\n", s->id ? s->id : "-");
    fprintf(out, "  state         %s", solution_state_text(s));
    if (s->status)
        fprintf(out, " (status %s", s->status);
    if (s->pending_request)
        fprintf(out, "%spending request %s", s->status ? ", " : " (", s->pending_request);
    fprintf(out, "%s\n", s->status || s->pending_request ? ")" : "");
    fprintf(out, "  role          %s\n", role == ROLE_OWNER     ? "owner (your app created it)"
                                         : role == ROLE_PARTNER ? "partner (your app was invited)"
                                                                : "unknown");
    fprintf(out, "  owner app     %s\n", app_label(&s->owner_app, buf, sizeof buf));
    if (s->partners_unavailable) {
        fprintf(out, "  partners      (partner details are not available from this server)\n");
    } else if (!s->has_partners) {
        fprintf(out, "  partners      (not in the answer)\n");
    } else if (s->partner_count == 0) {
        fprintf(out, "  partners      (none)\n");
    } else {
        for (size_t i = 0; i < s->partner_count; i++) {
            const mps_partner *p = &s->partners[i];
            fprintf(out, "  %s %s, status %s\n", i ? "             " : "partner app  ",
                    app_label(&p->app, buf, sizeof buf), p->status ? p->status : "-");
            if (p->app.link)
                fprintf(out, "                link %s\n", p->app.link);
        }
    }
    fputc('\n', out);
    print_matrix(out, s);
    fputc('\n', out);

    /* What the panel offers now, and why not the rest: the server still has the last word. */
    const char *offered[ACTION_COUNT];
    size_t n = 0;
    for (int a = 0; a < ACTION_COUNT; a++)
        if (action_offered((mps_action)a, st, role, NULL))
            offered[n++] = action_get((mps_action)a)->verb;
    if (n == 0) {
        const char *why = NULL;
        action_offered(ACTION_ACCEPT, st, role, &why);
        fprintf(out, "  actions       none now%s%s\n", why ? ": " : "", why ? why : "");
    } else {
        fprintf(out, "  actions      ");
        for (size_t i = 0; i < n; i++)
            fprintf(out, " mpsdash %s %s%s", offered[i], s->id ? s->id : "ID",
                    i + 1 < n ? "," : "\n");
    }
}
