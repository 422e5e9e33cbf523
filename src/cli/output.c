/* Output for people and for programs: aligned tables by display width, the solution detail
 * with its permission matrix, and JSON that keeps the server's data exact but terminal-inert. */
#include <ctype.h>
#include <json-c/json.h>
#include <langinfo.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_internal.h"
#include "mpsdash/alloc.h"
#include "mpsdash/state.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* ------------------------------------------------------------------------------ tables */

/* The column sets of the tables the commands print; a header is also the column's name for
 * -o (lower case, blanks as '-'). The command table points at these, so -o is checked before
 * any request. */
static const cli_column solution_cols[] = {
    {"ID", false}, {"NAME", true}, {"STATE", false}, {"ROLE", false}, {"OTHER APP", true}};
static const cli_column partner_cols[] = {{"PARTNER APP", true},
                                          {"APP ID", false},
                                          {"STATUS", false},
                                          {"PARTNER ID", false},
                                          {"LINK", true}};
static const cli_column app_cols[] = {{"APP ID", false}, {"NAME", true}, {"LINK", true}};
static const cli_column customer_cols[] = {{"WABA ID", false},
                                           {"NAME", true},
                                           {"TIMEZONE", false},
                                           {"TYPE", false},
                                           {"TEMPLATE NAMESPACE", true}};
/* The error of a failed profile goes in ACTIONS, the last column, which is never cut. */
static const cli_column inbox_cols[] = {{"APP", true},       {"PROFILE", false}, {"ID", false},
                                        {"NAME", true},      {"STATE", false},   {"ROLE", false},
                                        {"OTHER APP", true}, {"ACTIONS", false}};
#define SPEC(cols)                                                                                 \
    {                                                                                              \
        COUNT_OF(cols), (cols)                                                                     \
    }
const cli_table_spec cli_table_solutions = SPEC(solution_cols);
const cli_table_spec cli_table_partners = SPEC(partner_cols);
const cli_table_spec cli_table_apps = SPEC(app_cols);
const cli_table_spec cli_table_customers = SPEC(customer_cols);
const cli_table_spec cli_table_inbox = SPEC(inbox_cols);

struct cli_table {
    const cli_table_spec *spec;
    char ***rows;
    size_t count;
    size_t cap;
    /* streaming: each row printed as it is added (tab-separated), none kept */
    FILE *stream;
    size_t *idx; /* the columns printed, as -o chose them */
    size_t n;
    size_t limit; /* --limit (0: none): rows past it are dropped */
};

static char *dup_or_dash(const char *s)
{
    return mps_xstrdup(s && *s ? s : "-");
}

cli_table *cli_table_new(const cli_table_spec *spec)
{
    cli_table *t = mps_xcalloc(1, sizeof *t);
    t->spec = spec;
    return t;
}

static void print_tsv_row(FILE *out, const char *const *cells, const size_t *idx, size_t n);

void cli_table_add(cli_table *t, const char *const *cells)
{
    if (t->stream) {
        if (!t->limit || t->count < t->limit)
            print_tsv_row(t->stream, cells, t->idx, t->n);
        t->count++;
        return;
    }
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->rows = mps_xreallocarray(t->rows, t->cap, sizeof *t->rows);
    }
    char **row = mps_xcalloc(t->spec->ncols, sizeof *row);
    for (size_t i = 0; i < t->spec->ncols; i++)
        row[i] = dup_or_dash(cells[i]);
    t->rows[t->count++] = row;
}

/* Whether word (length n) names the column: its header, case aside, blanks written as '-'. */
static bool column_named(const cli_column *c, const char *word, size_t n)
{
    const char *h = c->header;
    size_t i = 0;
    for (; i < n && h[i]; i++) {
        char a = (char)tolower((unsigned char)word[i]);
        char b = h[i] == ' ' ? '-' : (char)tolower((unsigned char)h[i]);
        if (a != b)
            return false;
    }
    return i == n && h[i] == '\0';
}

/* Parses a -o list into column indexes (in the order given); -1 with a message on a bad name. */
static int columns_parse(const cli_table_spec *spec, const char *list, size_t *idx, size_t *n,
                         char *err, size_t err_size)
{
    *n = 0;
    const char *p = list;
    for (;;) {
        size_t len = strcspn(p, ",");
        size_t c = 0;
        while (c < spec->ncols && !column_named(&spec->cols[c], p, len))
            c++;
        if (c == spec->ncols || *n == spec->ncols) {
            size_t off = 0;
            off += (size_t)snprintf(err, err_size, "-o/--columns: no column '%.*s' here (",
                                    (int)(len > 64 ? 64 : len), p);
            for (size_t k = 0; k < spec->ncols && off < err_size; k++) {
                off += (size_t)snprintf(err + off, err_size - off, "%s", k ? ", " : "");
                for (const char *h = spec->cols[k].header; *h && off + 1 < err_size; h++)
                    err[off++] = *h == ' ' ? '-' : (char)tolower((unsigned char)*h);
                err[off < err_size ? off : err_size - 1] = '\0';
            }
            if (off < err_size)
                snprintf(err + off, err_size - off, ")");
            return -1;
        }
        idx[(*n)++] = c;
        if (p[len] == '\0')
            return 0;
        p += len + 1;
    }
}

int cli_columns_check(const cli_table_spec *spec, const char *list, char *err, size_t err_size)
{
    size_t *idx = mps_xcalloc(spec->ncols, sizeof *idx);
    size_t n;
    int rc = columns_parse(spec, list, idx, &n, err, err_size);
    free(idx);
    return rc;
}

/* One cell into a tab-separated line: the whole value, with any tab or line break (none
 * should survive sanitising) made a blank so a row stays one line of fields. */
static void put_field(FILE *out, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

/* One row of cells (NULL or empty as "-") as a tab-separated line, in the chosen columns. */
static void print_tsv_row(FILE *out, const char *const *cells, const size_t *idx, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const char *c = cells[idx[k]];
        fputs(k ? "\t" : "", out);
        put_field(out, c && *c ? c : "-");
    }
    fputc('\n', out);
}

static void print_tsv_header(const cli_table *t, FILE *out, const size_t *idx, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        fputs(k ? "\t" : "", out);
        put_field(out, t->spec->cols[idx[k]].header);
    }
    fputc('\n', out);
}

static void print_tsv(const cli_table *t, FILE *out, const size_t *idx, size_t n, size_t rows,
                      bool headers)
{
    if (headers)
        print_tsv_header(t, out, idx, n);
    for (size_t r = 0; r < rows; r++)
        print_tsv_row(out, (const char *const *)t->rows[r], idx, n);
}

/* The aligned table (libsmartcols): columns padded by display width; on a terminal the
 * columns marked trunc give way so a row fits the terminal's width. */
static void print_aligned(const cli_table *t, FILE *out, const size_t *idx, size_t n, size_t rows,
                          bool headers, bool terminal)
{
    /* libsmartcols allocates: its failures are running out of memory, handled as mps_x* does. */
    struct libscols_table *tb = scols_new_table();
    if (!tb)
        abort();
    scols_table_set_stream(tb, out);
    scols_table_set_column_separator(tb, "  ");
    scols_table_enable_noheadings(tb, !headers);
    scols_table_set_termforce(tb, terminal ? SCOLS_TERMFORCE_ALWAYS : SCOLS_TERMFORCE_NEVER);
    for (size_t k = 0; k < n; k++) {
        const cli_column *c = &t->spec->cols[idx[k]];
        if (!scols_table_new_column(tb, c->header, 0, c->trunc ? SCOLS_FL_TRUNC : 0))
            abort();
    }
    for (size_t r = 0; r < rows; r++) {
        struct libscols_line *ln = scols_table_new_line(tb, NULL);
        if (!ln)
            abort();
        for (size_t k = 0; k < n; k++) {
            const char *cell = t->rows[r][idx[k]];
            if (!terminal || !cell || !strstr(cell, "\xe2\x80\x8d")) {
                scols_line_set_data(ln, k, cell);
                continue;
            }
            /* Terminals disagree on joined emoji (one glyph or each part): the parts, which
             * every terminal draws in the columns libsmartcols counts. */
            char *parts = mps_xstrdup(cell);
            text_drop_zwj(parts);
            scols_line_set_data(ln, k, parts);
            free(parts);
        }
    }
    scols_print_table(tb);
    scols_unref_table(tb);
}

/* The columns -o chose (every column without it): their indexes into idx, their number. */
static size_t *table_columns(const cli_table_spec *spec, const cli_globals *g, size_t *n)
{
    size_t *idx = mps_xcalloc(spec->ncols, sizeof *idx);
    *n = spec->ncols;
    for (size_t c = 0; c < spec->ncols; c++)
        idx[c] = c;
    mps_errtext err;
    if (g && g->column_list && columns_parse(spec, g->column_list, idx, n, err, sizeof err) != 0)
        *n = 0; /* checked before the command ran: cannot happen */
    return idx;
}

cli_table *cli_table_new_streaming(const cli_table_spec *spec, FILE *out, const cli_globals *g)
{
    cli_table *t = cli_table_new(spec);
    t->stream = out;
    t->idx = table_columns(spec, g, &t->n);
    t->limit = g && g->limit > 0 ? (size_t)g->limit : 0;
    if (!(g && g->no_headers))
        print_tsv_header(t, out, t->idx, t->n);
    return t;
}

void cli_table_print_free(cli_table *t, FILE *out, const cli_globals *g)
{
    if (t->stream) { /* every row is out already */
        cli_table_free(t);
        return;
    }
    size_t n;
    size_t *idx = table_columns(t->spec, g, &n);
    size_t rows = t->count;
    if (g && g->limit > 0 && (size_t)g->limit < rows)
        rows = (size_t)g->limit;
    bool headers = !(g && g->no_headers);
    /* Into a pipe or a file, a table is for a program: whole values, tab-separated. */
    if (g && !isatty(fileno(out)))
        print_tsv(t, out, idx, n, rows, headers);
    else
        print_aligned(t, out, idx, n, rows, headers, g && isatty(fileno(out)));
    free(idx);
    cli_table_free(t);
}

void cli_table_free(cli_table *t)
{
    for (size_t r = 0; r < t->count && !t->stream; r++) {
        for (size_t c = 0; c < t->spec->ncols; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
    }
    free(t->rows);
    free(t->idx);
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
    const char *txt =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
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
    for (size_t i = 0; i < COUNT_OF(fields); i++) {
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
    char *base = s->json ? mps_xstrdup(s->json) : solution_json_from_struct(s);
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
    char *out = mps_xmalloc(n);
    snprintf(out, n, "%s%s\"mpsdash\":{\"role\":%s,\"state\":\"%s\"}}", base, empty ? "" : ",",
             role, state_key(solution_state(s)));
    free(base);
    return out;
}

/* ---- solution lists, written as they arrive ---- */

struct cli_list_out {
    FILE *out;
    bool json;
    const cli_globals *g;
    cli_table *table;
    const char *our_app_id;
    size_t count;
    size_t limit; /* --limit (0: none) */
};

cli_list_out *cli_list_out_new(FILE *out, bool json, const cli_globals *g, bool stream_table,
                               const char *our_app_id)
{
    cli_list_out *o = mps_xcalloc(1, sizeof *o);
    o->out = out;
    o->json = json;
    o->g = g;
    o->our_app_id = our_app_id;
    o->limit = g && g->limit > 0 ? (size_t)g->limit : 0;
    if (!json)
        o->table = stream_table ? cli_table_new_streaming(&cli_table_solutions, out, g)
                                : cli_table_new(&cli_table_solutions);
    return o;
}

bool cli_list_out_full(const cli_list_out *o)
{
    return o->limit && o->count >= o->limit;
}

void cli_list_out_add(cli_list_out *o, mps_solution *const *items, size_t n)
{
    for (size_t i = 0; i < n && !cli_list_out_full(o); i++) {
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
            cli_table_print_free(o->table, o->out, o->g);
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
    cli_list_out *o = cli_list_out_new(out, true, NULL, false, our_app_id);
    cli_list_out_add(o, items, count);
    cli_list_out_finish(o, true);
}

void cli_time_text(long long t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !gmtime_r(&tt, &tm)) {
        snprintf(buf, size, "-");
        return;
    }
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void cli_json_time(FILE *out, long long t)
{
    char buf[64];
    cli_time_text(t, buf, sizeof buf);
    if (strcmp(buf, "-") == 0)
        fputs("null", out);
    else
        fprintf(out, "\"%s\"", buf);
}

char *cli_json_text(json_object *o)
{
    return json_text(o);
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
                               const char *our_app_id, const cli_globals *g)
{
    cli_list_out *o = cli_list_out_new(out, false, g, false, our_app_id);
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
    cli_column *cols = mps_xcalloc(ncols, sizeof *cols);
    const char **cells = mps_xcalloc(ncols, sizeof *cells);
    cols[0].header = "  PERMISSION";
    cols[1].header = "OWNER";
    for (size_t p = 0; p < s->partner_count; p++)
        cols[2 + p].header = s->partner_count == 1     ? "PARTNER"
                             : s->partners[p].app.name ? s->partners[p].app.name
                                                       : "PARTNER";
    /* One set per column: a lookup per cell, not a scan of the column's list. */
    strset *held = mps_xcalloc(ncols, sizeof *held);
    strset_add_list(&held[1], &s->owner_permissions);
    for (size_t p = 0; p < s->partner_count; p++)
        strset_add_list(&held[2 + p], &s->partners[p].permissions);
    cli_table_spec spec = {ncols, cols};
    cli_table *t = cli_table_new(&spec);
    char name[256];
    for (size_t i = 0; i < all.count; i++) {
        snprintf(name, sizeof name, "  %s", all.items[i]);
        cells[0] = name;
        cells[1] = !s->has_owner_permissions ? "?" : strset_has(&held[1], all.items[i]) ? yes : no;
        for (size_t p = 0; p < s->partner_count; p++) {
            const mps_partner *pt = &s->partners[p];
            cells[2 + p] = !pt->has_permissions                     ? "?"
                           : strset_has(&held[2 + p], all.items[i]) ? yes
                                                                    : no;
        }
        cli_table_add(t, cells);
    }
    /* part of the detail view, for people: aligned wherever it goes */
    cli_table_print_free(t, out, NULL);
    for (size_t c = 0; c < ncols; c++)
        strset_clear(&held[c]);
    free(held);
    strlist_clear(&all);
    free(cols);
    free(cells);
}

void cli_print_solution_detail(FILE *out, const mps_solution *s, const char *our_app_id,
                               const char *profile)
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
    fprintf(out, "  role          %s\n",
            role == ROLE_OWNER     ? "owner (your app created it)"
            : role == ROLE_PARTNER ? "partner (your app was invited)"
                                   : "unknown");
    fprintf(out, "  owner app     %s\n", app_label(&s->owner_app, buf, sizeof buf));
    if (solution_partner_is_us(s, our_app_id)) {
        fprintf(out,
                "  partner app   your app (%s); its status and permissions are not available "
                "from this server\n",
                our_app_id);
    } else if (s->partners_unavailable) {
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
        /* the commands as they would be typed: with the profile that was used */
        char prof[160] = "";
        if (profile)
            snprintf(prof, sizeof prof, "-p %s ", profile);
        fprintf(out, "  actions      ");
        for (size_t i = 0; i < n; i++)
            fprintf(out, " mpsdash %s%s %s%s", prof, offered[i], s->id ? s->id : "ID",
                    i + 1 < n ? "," : "\n");
    }
}
