/* The inbox (I, :inbox): every profile's pending requests in one list, as `mpsdash inbox`
 * prints them. Each profile's list runs on the worker as that profile's own identity (its token,
 * its app) beside the others on the one engine; a profile that fails shows its error in its own
 * row while the others load. Acting on a row goes through the one dispatcher as the row's
 * profile: the same dialog, re-check, audit and read-only rule as the main list. Above the list,
 * each app's line with its weekly onboarding counter from its events file. */
#include "ui-actions.h"
#include "ui-data.h"
#include "ui-draw.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-panel.h"
#include "ui-table.h"
#include "ui-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpsdash/alloc.h"
#include "mpsdash/cli.h"
#include "mpsdash/events.h"
#include "mpsdash/inbox.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* A profile as the inbox runs it: an identity on the worker. Kept in u->inbox while the worker
 * lives, so reopening the inbox neither reads a token again nor adds identities. */
typedef struct inbox_profile {
    char *name;
    char *app_id;
    char *events_file;
    unsigned long identity; /* 0: none could be made; error says why */
    bool readonly;          /* its readonly = true holds (no --no-readonly) */
    char *error;
} inbox_profile;

struct ui_inbox {
    inbox_profile *p;
    size_t n;
};

typedef struct inbox_view {
    inbox *ib;          /* sources in the order of u->inbox's profiles */
    unsigned long *gen; /* per source: the generation of its list job; 0 when none runs */
    unsigned long *job;
    unsigned long *onb_job; /* per source: the task counting its events file; 0 when none */
    long *map; /* table row -> request row (>= 0) or -1 - source (its loading/error row) */
    size_t nmap;
    double started, took; /* the load's start (ui_now) and, once complete, its time */
    ui_table table;
} inbox_view;

enum {
    COL_APP,
    COL_PROFILE,
    COL_ID,
    COL_NAME,
    COL_STATE,
    COL_ROLE,
    COL_OTHER,
    COL_ACTIONS,
    COL_COUNT
};

#define TABLE_CHROME 3 /* the title, the column line, the hints */

extern const ui_view_ops ui_inbox_ops;

/* ---- the profiles ------------------------------------------------------------------------ */

void ui_inbox_forget(ui *u)
{
    struct ui_inbox *in = u->inbox;
    if (!in)
        return;
    for (size_t i = 0; i < in->n; i++) {
        free(in->p[i].name);
        free(in->p[i].app_id);
        free(in->p[i].events_file);
        free(in->p[i].error);
    }
    free(in->p);
    free(in);
    u->inbox = NULL;
}

static void add_profile(ui *u, const char *name, const resolved_profile *rp, const char *error)
{
    struct ui_inbox *in = u->inbox;
    in->p = mps_xreallocarray(in->p, in->n + 1, sizeof *in->p);
    inbox_profile *p = &in->p[in->n++];
    memset(p, 0, sizeof *p);
    p->name = mps_xstrdup(name ? name : "?");
    if (error) {
        p->error = text_sanitize(error, strlen(error), false);
        return;
    }
    p->app_id = mps_xstrdup(rp->app_id);
    p->events_file = mps_xstrdup(rp->events_file);
    const cli_globals *g = u->opts ? u->opts->globals : NULL;
    p->readonly = rp->readonly && !(g && g->no_readonly);
    graph_options go;
    ui_data_graph_options(u, rp, &go);
    graph_error ge;
    memset(&ge, 0, sizeof ge);
    p->identity = worker_add_identity(u->w, &go, &ge);
    if (!p->identity) {
        char line[900];
        graph_error_format(&ge, line, sizeof line);
        p->error = text_sanitize(line, strlen(line), false);
    }
}

static bool is_current(const ui *u, const char *name)
{
    return u->profile.name && name && strcmp(u->profile.name, name) == 0;
}

/* The dashboard's own profile, then the configuration's others, each resolved once (its token
 * read as a profile switch would) and made an identity on the worker. */
static void make_profiles(ui *u)
{
    if (u->inbox)
        return;
    u->inbox = mps_xcalloc(1, sizeof *u->inbox);
    size_t n = u->demo || !u->config ? 0 : u->config->profile_count;
    bool current_listed = false;
    for (size_t i = 0; i < n; i++)
        current_listed = current_listed || is_current(u, u->config->profiles[i].name);
    if (!current_listed)
        add_profile(u, u->profile.name, &u->profile, NULL);
    for (size_t i = 0; i < n; i++) {
        const char *name = u->config->profiles[i].name;
        if (is_current(u, name)) {
            add_profile(u, name, &u->profile, NULL);
            continue;
        }
        resolved_profile rp;
        memset(&rp, 0, sizeof rp);
        mps_errtext err;
        profile_overrides none = {0};
        if (profile_resolve(u->config, name, &none, 0, &rp, err, sizeof err) != 0) {
            add_profile(u, name, NULL, err);
            continue;
        }
        add_profile(u, name, &rp, NULL);
        resolved_profile_clear(&rp); /* the identity holds its own copy of the token */
    }
}

/* ---- the data ---------------------------------------------------------------------------- */

static void reindex(inbox_view *iv)
{
    const inbox *ib = iv->ib;
    free(iv->map);
    iv->map = mps_xcalloc(ib->nrows + ib->nsources + 1, sizeof *iv->map);
    iv->nmap = 0;
    for (size_t s = 0; s < ib->nsources; s++) {
        if (ib->sources[s].status != INBOX_LOADED)
            iv->map[iv->nmap++] = -1 - (long)s;
        if (ib->sources[s].status == INBOX_FAILED)
            continue;
        for (size_t i = 0; i < ib->nrows; i++)
            if (ib->rows[i].source == s)
                iv->map[iv->nmap++] = (long)i;
    }
}

/* The request row the table's row idx shows, or NULL (a profile's loading or error row). */
static inbox_row *row_at(inbox_view *iv, long idx)
{
    if (idx < 0 || (size_t)idx >= iv->nmap || iv->map[idx] < 0)
        return NULL;
    return &iv->ib->rows[iv->map[idx]];
}

/* Keeps the same request selected across a reindex (rows arrive and are sorted in). */
static void reindex_keeping(inbox_view *iv)
{
    const inbox_row *r = row_at(iv, iv->table.sel);
    char *id = r && r->solution->id ? mps_xstrdup(r->solution->id) : NULL;
    size_t source = r ? r->source : 0;
    inbox_sort(iv->ib);
    reindex(iv);
    for (size_t k = 0; id && k < iv->nmap; k++) {
        const inbox_row *x = row_at(iv, (long)k);
        if (x && x->source == source && strcmp(x->solution->id, id) == 0) {
            iv->table.sel = (long)k;
            break;
        }
    }
    free(id);
}

static void cancel_loads(ui *u, inbox_view *iv)
{
    for (size_t s = 0; iv->ib && s < iv->ib->nsources; s++) {
        if (iv->gen[s] && u->w)
            worker_cancel(u->w, iv->job[s]);
        if (iv->onb_job[s] && u->w)
            worker_cancel(u->w, iv->onb_job[s]);
    }
}

/* A profile's events file, counted on a worker task: a long file must not stop the loop. */
typedef struct onboarding_read {
    char *path;
    long long now;
    inbox_onboarding out;
} onboarding_read;

static void read_onboarding(void *ctx, const worker_task *task)
{
    onboarding_read *rd = ctx;
    rd->out = events_file_onboarding(rd->path, rd->now, ui_task_stopping, (void *)task);
}

static void free_onboarding_read(void *ctx)
{
    onboarding_read *rd = ctx;
    free(rd->path);
    free(rd);
}

/* Starts counting source s's events file; without a worker it is counted here. */
static void count_onboardings(ui *u, inbox_view *iv, size_t s, const char *path)
{
    if (!path || !path[0])
        return;
    onboarding_read *rd = mps_xcalloc(1, sizeof *rd);
    rd->path = mps_xstrdup(path);
    rd->now = (long long)time(NULL);
    iv->onb_job[s] =
        ui_data_submit_task(u, read_onboarding, rd, free_onboarding_read, UI_TAG_INBOX);
    if (!iv->onb_job[s]) {
        iv->ib->sources[s].onboarding = events_file_onboarding(path, rd->now, NULL, NULL);
        free_onboarding_read(rd);
    }
}

static void take_onboarding(inbox_view *iv, worker_result *r)
{
    for (size_t s = 0; iv->ib && s < iv->ib->nsources; s++) {
        if (iv->onb_job[s] != r->job)
            continue;
        iv->onb_job[s] = 0;
        if (r->error.cls == GRAPH_OK)
            iv->ib->sources[s].onboarding = ((const onboarding_read *)r->task_ctx)->out;
        return;
    }
}

static void load(ui *u, inbox_view *iv)
{
    cancel_loads(u, iv);
    inbox_free(iv->ib);
    iv->ib = inbox_new();
    const struct ui_inbox *in = u->inbox;
    free(iv->gen);
    free(iv->job);
    free(iv->onb_job);
    iv->gen = mps_xcalloc(in->n + 1, sizeof *iv->gen);
    iv->job = mps_xcalloc(in->n + 1, sizeof *iv->job);
    iv->onb_job = mps_xcalloc(in->n + 1, sizeof *iv->onb_job);
    iv->started = ui_now();
    iv->took = -1;
    for (size_t i = 0; i < in->n; i++) {
        const inbox_profile *p = &in->p[i];
        size_t s = inbox_add_source(iv->ib, p->name, p->app_id);
        count_onboardings(u, iv, s, p->events_file);
        if (p->error) {
            inbox_fail(iv->ib, s, "config", p->error);
            continue;
        }
        iv->job[s] = ui_data_submit_as(u, p->identity, graph_op_list_solutions(NULL), UI_TAG_INBOX);
        iv->gen[s] = iv->job[s] ? u->gen : 0;
        if (!iv->job[s])
            inbox_fail(iv->ib, s, "config", "not connected: nothing was asked");
    }
    if (inbox_complete(iv->ib))
        iv->took = 0;
    reindex(iv);
}

static void take_list(ui *u, inbox_view *iv, worker_result *r)
{
    size_t s = 0;
    while (s < iv->ib->nsources &&
           !(iv->gen[s] == r->generation && u->inbox->p[s].identity == r->identity))
        s++;
    if (s == iv->ib->nsources)
        return; /* a superseded load */
    for (size_t i = 0; i < r->data.solution_count; i++) {
        mps_solution *x = r->data.solutions[i];
        if (x) { /* the server's exact JSON is for --json; the dashboard never shows it */
            free(x->json);
            x->json = NULL;
        }
    }
    inbox_take(iv->ib, s, r->data.solutions, r->data.solution_count);
    r->data.solution_count = 0; /* taken: the result frees only the array */
    if (r->done) {
        iv->gen[s] = 0;
        if (r->error.cls == GRAPH_OK) {
            inbox_loaded(iv->ib, s);
        } else if (r->error.cls != GRAPH_ERR_CANCELLED) {
            char line[900];
            graph_error_format(&r->error, line, sizeof line);
            inbox_fail(iv->ib, s, graph_error_class_name(r->error.cls), line);
        }
        if (inbox_complete(iv->ib) && iv->took < 0)
            iv->took = ui_now() - iv->started;
    }
    reindex_keeping(iv);
}

void ui_inbox_update(ui *u, unsigned long identity, const mps_solution *now)
{
    (void)identity; /* the state is the solution's: every profile's row of it takes it */
    ui_view *v = ui_view_find(u, &ui_inbox_ops);
    if (!v || !now || !now->id)
        return;
    inbox_view *iv = v->data;
    for (size_t i = 0; i < iv->ib->nrows; i++) {
        inbox_row *r = &iv->ib->rows[i];
        if (!r->solution->id || strcmp(r->solution->id, now->id) != 0)
            continue;
        solution_free(r->solution);
        r->solution = solution_dup(now);
        r->state = solution_state(now);
        r->role = solution_role(now, iv->ib->sources[r->source].app_id);
    }
    /* The row stays where it is, with its new state, until the next load. */
    ui_view_touch(u, v);
}

static void inbox_result(ui *u, worker_result *r)
{
    if (r->task) {
        ui_view *v = ui_view_find(u, &ui_inbox_ops);
        if (v) {
            take_onboarding(v->data, r);
            ui_view_touch(u, v);
        }
        return;
    }
    if (r->kind == GRAPH_OP_GET_SOLUTION) {
        /* An inbox action's read-back fetched again (its answer had no solution). */
        if (!r->done || r->error.cls != GRAPH_OK || r->data.solution_count == 0 ||
            !r->data.solutions[0])
            return;
        const mps_solution *now = r->data.solutions[0];
        ui_inbox_update(u, r->identity, now);
        if (store_find(u->st, now->id)) {
            store_upsert_take(u->st, r->data.solutions[0]);
            r->data.solutions[0] = NULL;
            ui_selection_sync(u);
            ui_dirty(u, UI_DIRTY_BODY);
        }
        return;
    }
    ui_view *v = ui_view_find(u, &ui_inbox_ops);
    if (!v || r->kind != GRAPH_OP_LIST_SOLUTIONS)
        return;
    take_list(u, v->data, r);
    ui_view_touch(u, v);
    ui_dirty(u, UI_DIRTY_STATUS);
}

/* ---- drawing ----------------------------------------------------------------------------- */

static long table_count(ui *u, void *ctx)
{
    (void)u;
    return (long)((inbox_view *)ctx)->nmap;
}

static void table_row(ui *u, void *ctx, long idx, bool selected, ui_table_cells *c, char *scratch,
                      size_t size)
{
    (void)selected;
    inbox_view *iv = ctx;
    long m = iv->map[idx];
    size_t s = m < 0 ? (size_t)(-1 - m) : iv->ib->rows[m].source;
    const inbox_source *src = &iv->ib->sources[s];
    c->cell[COL_APP] = inbox_source_app(src);
    c->cell[COL_PROFILE] = src->profile;
    if (m < 0) {
        for (int k = COL_ID; k < COL_COUNT; k++)
            c->cell[k] = "-";
        if (src->status == INBOX_FAILED) {
            snprintf(scratch, size, "%s error: %s", src->error_kind, src->error);
            c->cell[COL_STATE] = "error";
            c->cell[COL_ACTIONS] = scratch;
            c->cell_attr[COL_ACTIONS] = ui_theme_attr(&u->theme, THEME_ERROR);
            c->cell_attr[COL_STATE] = ui_theme_attr(&u->theme, THEME_ERROR);
        } else {
            snprintf(scratch, size, "loading%s %zu solutions so far", u->utf8 ? "\u2026" : "...",
                     src->solutions);
            c->cell[COL_STATE] = "loading";
            c->cell[COL_ACTIONS] = scratch;
        }
        return;
    }
    const inbox_row *r = &iv->ib->rows[m];
    /* The id's text goes at the scratch's end, the actions' at its start. */
    char *id_buf = scratch + size / 2;
    c->cell[COL_ID] =
        ui_table_id_cell(u, r->solution->id, iv->table.widths[COL_ID], id_buf, size - size / 2);
    size /= 2;
    c->cell[COL_NAME] = r->solution->name ? r->solution->name : "(no name)";
    c->cell[COL_STATE] = solution_state_text(r->solution);
    c->cell_attr[COL_STATE] = ui_theme_attr(&u->theme, ui_theme_state_role(r->state));
    c->cell[COL_ROLE] = role_label(r->role);
    const mps_app *other = solution_other_app(r->solution, src->app_id);
    c->cell[COL_OTHER] = other && other->name ? other->name : other && other->id ? other->id : "-";
    if (inbox_is_pending(r->solution))
        inbox_row_actions_text(r, scratch, size);
    else
        snprintf(scratch, size, "-"); /* acted on: its new state shows until the next load */
    c->cell[COL_ACTIONS] = scratch;
    c->mark = ui_action_in_flight(u, r->solution->id) ? "*" : NULL;
}

static const ui_table_ops inbox_table = {.count = table_count, .row = table_row};

static void column_widths(int cols, int w[COL_COUNT])
{
    static const int wide[COL_COUNT] = {18, 12, 16, 34, 20, 7, 20, 0};
    /* Narrower, the id keeps its last digits: same-named solutions stay apart. */
    static const int mid[COL_COUNT] = {16, 10, UI_TABLE_ID_SHORT_W, 26, 20, 7, 0, 0};
    static const int narrow[COL_COUNT] = {14, 9, UI_TABLE_ID_SHORT_W, 18, 14, 0, 0, 0};
    memcpy(w, cols >= 160 ? wide : cols >= 110 ? mid : narrow, sizeof wide);
}

/* One app's line: its requests and its weekly onboarding counter. */
static void source_line(ui *u, const inbox_source *src, bool counting, char *buf, size_t size,
                        attr_t *attr)
{
    *attr = ui_theme_attr(&u->theme, THEME_LIST);
    int n;
    if (src->status == INBOX_FAILED) {
        snprintf(buf, size, "%s (%s): %s error, see its row", inbox_source_app(src), src->profile,
                 src->error_kind);
        *attr = ui_theme_attr(&u->theme, THEME_ERROR);
        return;
    }
    if (src->status == INBOX_LOADING)
        n = snprintf(buf, size, "%s (%s): loading%s", inbox_source_app(src), src->profile,
                     u->utf8 ? "\u2026" : "...");
    else
        n = snprintf(buf, size, "%s (%s): %zu pending of %zu solutions", inbox_source_app(src),
                     src->profile, src->pending, src->solutions);
    if (n < 0 || (size_t)n >= size)
        return;
    const inbox_onboarding *o = &src->onboarding;
    if (counting) {
        snprintf(buf + n, size - (size_t)n, " %s onboarded this week: reading events%s",
                 ui_glyph_dot(u), u->utf8 ? "\u2026" : "...");
        return;
    }
    if (!o->known) {
        snprintf(buf + n, size - (size_t)n, " %s no events file: onboardings not counted",
                 ui_glyph_dot(u));
        return;
    }
    snprintf(buf + n, size - (size_t)n, " %s onboarded this week: %zu / %zu (%d%%)%s",
             ui_glyph_dot(u), o->count, o->limit, o->percent,
             o->reached ? " - limit reached"
             : o->warn  ? " - warning: close to the limit"
                        : "");
    if (o->warn)
        *attr = ui_theme_attr(&u->theme, THEME_WARNING) | A_BOLD;
}

static void inbox_draw(ui *u, ui_view *v)
{
    inbox_view *iv = v->data;
    WINDOW *w = v->win;
    if (!w || (!v->dirty && !(u->dirty & UI_DIRTY_BODY)))
        return;
    int cols = getmaxx(w), h = getmaxy(w);
    werase(w);
    const inbox *ib = iv->ib;

    char title[300], right[80];
    size_t failed = inbox_failed_count(ib);
    snprintf(title, sizeof title, "Inbox %s %zu profile%s %s %zu pending", ui_glyph_dot(u),
             ib->nsources, ib->nsources == 1 ? "" : "s", ui_glyph_dot(u), ib->nrows);
    if (failed) {
        size_t n = strlen(title);
        snprintf(title + n, sizeof title - n, " %s %zu failed", ui_glyph_dot(u), failed);
    }
    if (iv->took < 0)
        snprintf(right, sizeof right, "loading%s", u->utf8 ? "\u2026" : "...");
    else
        snprintf(right, sizeof right, "loaded in %.2f s", iv->took);
    ui_body_title(u, w, title, right, ui_theme_attr(&u->theme, THEME_DIM));

    /* One line per app, at most a third of the body; the rest of them say how many. */
    int max_lines = (h - TABLE_CHROME) / 3;
    if (max_lines < 1)
        max_lines = 1;
    int lines = (int)ib->nsources <= max_lines ? (int)ib->nsources : max_lines;
    for (int i = 0; i < lines; i++) {
        char line[1200];
        attr_t attr;
        if (i == lines - 1 && (size_t)lines < ib->nsources)
            snprintf(line, sizeof line, "%s and %zu more profiles: their rows are below",
                     u->utf8 ? "\u2026" : "...", ib->nsources - (size_t)lines + 1),
                attr = ui_theme_attr(&u->theme, THEME_DIM);
        else
            source_line(u, &ib->sources[i], iv->onb_job[i] != 0, line, sizeof line, &attr);
        ui_put(w, 1 + i, 0, " ", 1, attr);
        ui_put(w, 1 + i, 1, line, cols - 1, attr);
    }

    int widths[COL_COUNT];
    column_widths(cols, widths);
    static const char *const heads[COL_COUNT] = {"APP",   "PROFILE", "ID",        "NAME",
                                                 "STATE", "ROLE",    "OTHER APP", "ACTIONS"};
    ui_table_columns(&iv->table, heads, widths, COL_COUNT);
    iv->table.empty = iv->took < 0 ? NULL : "nothing pending in any profile";
    ui_table_draw(u, &iv->table, w, 1 + lines, 0, ui_body_rows(v, TABLE_CHROME + lines));
    ui_table_hints(u, w,
                   u->readonly ? "j/k move  Enter show in the list  R reload  Esc/h/q back  "
                                 "(read-only: no actions)"
                               : "j/k move  a/x/A/X act as the row's profile  Enter show in the "
                                 "list  R reload  Esc/h/q back");
    wnoutrefresh(w);
}

/* ---- keys -------------------------------------------------------------------------------- */

static void show_in_list(ui *u, inbox_view *iv, const inbox_row *r)
{
    const inbox_source *src = &iv->ib->sources[r->source];
    if (!is_current(u, src->profile)) {
        ui_message(u, UI_MSG_INFO,
                   "\"%s\" is in profile %s's list: :profile %s switches to it (a/x/A/X act "
                   "on it from here)",
                   r->solution->name ? r->solution->name : r->solution->id, src->profile,
                   src->profile);
        return;
    }
    ui_show_solution(u, r->solution->id);
}

static int inbox_key(ui *u, ui_view *v, int key, ui_request req)
{
    (void)key;
    inbox_view *iv = v->data;
    if (ui_list_key(u, v, &iv->table, req))
        return UI_HANDLED;
    if (req == REQ_INBOX)
        return UI_HANDLED;
    if (req == REQ_REFRESH) {
        load(u, iv);
        ui_view_touch(u, v);
        return UI_HANDLED;
    }
    inbox_row *r = row_at(iv, iv->table.sel);
    const ui_request_info *ri = ui_request_get(req);
    if (req == REQ_ENTER || (ri && ri->action >= 0)) {
        if (!r) {
            ui_message(u, UI_MSG_INFO, "select a request: this row is the profile's own");
            return UI_HANDLED;
        }
        if (req == REQ_ENTER) {
            show_in_list(u, iv, r);
            return UI_HANDLED;
        }
        const inbox_profile *p = &u->inbox->p[r->source];
        ui_actor as = {.profile = p->name,
                       .app_id = p->app_id,
                       .identity = p->identity,
                       .readonly = p->readonly};
        ui_action_request_as(u, (mps_action)ri->action, r->solution, &as);
        ui_view_touch(u, v);
        return UI_HANDLED;
    }
    return UI_UNHANDLED;
}

static void inbox_destroy(ui *u, ui_view *v)
{
    inbox_view *iv = v->data;
    cancel_loads(u, iv);
    inbox_free(iv->ib);
    free(iv->gen);
    free(iv->job);
    free(iv->onb_job);
    free(iv->map);
    free(iv);
}

const ui_view_ops ui_inbox_ops = {
    .name = "inbox",
    .covers_body = true,
    .draw = inbox_draw,
    .key = inbox_key,
    .resize = ui_body_resize,
    .destroy = inbox_destroy,
};

static void inbox_open(ui *u)
{
    if (!u->w) {
        ui_message(u, UI_MSG_ERROR, "not connected: the inbox cannot load");
        return;
    }
    make_profiles(u);
    inbox_view *iv = mps_xcalloc(1, sizeof *iv);
    ui_table_init(&iv->table, &inbox_table, iv);
    ui_view *v = ui_body_replace(u, &ui_inbox_ops, iv);
    load(u, iv);
    ui_view_touch(u, v);
}

const ui_view_kind ui_view_inbox = {
    .command = "inbox",
    .req = REQ_INBOX,
    .open = inbox_open,
    .result = inbox_result,
};
