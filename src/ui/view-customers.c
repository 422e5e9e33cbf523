/* The customers view (C): the profile's business client WABAs, every page, shared with one of
 * the known partner businesses (or all of them), and for a WABA the solutions that onboarded it
 * (GET /<WABA_ID>/solutions). */
#include "ui-data.h"
#include "ui-draw.h"
#include "ui-feed.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-table.h"
#include "ui-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

#define ELLIPSIS(u) ((u)->utf8 ? "\u2026" : "...")
#define TABLE_CHROME 3 /* title, column line, hints */

/* ---- client WABAs ------------------------------------------------------------------------ */

typedef struct customers_view {
    char *business_id; /* ours: whose client WABAs these are */
    strlist partners;  /* partner business portfolios we know of: the filter choices */
    long choice;       /* -1: every client WABA, else an index into partners */
    unsigned long gen; /* the job this view waits for; 0 when none */
    bool loading;
    mps_waba *wabas;
    size_t count;
    mps_errtext error;
    ui_table table;
} customers_view;

enum { CC_ID, CC_NAME, CC_TZ, CC_TYPE, CC_NS, CC_COUNT };

static long waba_count(ui *u, void *ctx)
{
    (void)u;
    return (long)((customers_view *)ctx)->count;
}

static void waba_row(ui *u, void *ctx, long idx, bool selected, ui_table_cells *c, char *scratch,
                     size_t size)
{
    (void)u, (void)selected, (void)scratch, (void)size;
    const mps_waba *x = &((customers_view *)ctx)->wabas[idx];
    c->cell[CC_ID] = x->id;
    c->cell[CC_NAME] = x->name ? x->name : "-";
    c->cell[CC_TZ] = x->timezone_id ? x->timezone_id : "-";
    c->cell[CC_TYPE] = x->business_type ? x->business_type : "-";
    c->cell[CC_NS] = x->template_namespace ? x->template_namespace : "-";
}

static const ui_table_ops waba_table = {.count = waba_count, .row = waba_row};

static void clear_wabas(customers_view *cv)
{
    for (size_t i = 0; i < cv->count; i++)
        waba_clear(&cv->wabas[i]);
    free(cv->wabas);
    cv->wabas = NULL;
    cv->count = 0;
}

static void customers_load(ui *u, customers_view *cv)
{
    cv->error[0] = '\0';
    strlist filter = {0};
    if (cv->choice >= 0)
        strlist_push(&filter, cv->partners.items[cv->choice]);
    unsigned long job =
        ui_data_submit(u, graph_op_client_wabas(cv->business_id, &filter), UI_TAG_CUSTOMERS);
    strlist_clear(&filter);
    cv->loading = job != 0;
    cv->gen = job ? u->gen : 0;
    if (!job)
        snprintf(cv->error, sizeof cv->error, "not connected: nothing was asked");
}

static void customers_title(ui *u, const customers_view *cv, char *left, size_t lsize, char *right,
                            size_t rsize)
{
    if (cv->choice >= 0)
        snprintf(left, lsize, "Customers of business %s %s shared with partner business %s",
                 cv->business_id, ui_glyph_dot(u), cv->partners.items[cv->choice]);
    else
        snprintf(left, lsize, "Customers of business %s %s every client WABA", cv->business_id,
                 ui_glyph_dot(u));
    if (cv->loading)
        snprintf(right, rsize, "loading every page%s", ELLIPSIS(u));
    else if (cv->error[0])
        snprintf(right, rsize, "failed");
    else
        snprintf(right, rsize, "%zu WABA%s", cv->count, cv->count == 1 ? "" : "s");
}

static void customers_draw(ui *u, ui_view *v)
{
    customers_view *cv = v->data;
    WINDOW *w = v->win;
    if (!w || (!v->dirty && !(u->dirty & UI_DIRTY_BODY)))
        return;
    int cols = getmaxx(w);
    werase(w);

    char left[512], right[128];
    customers_title(u, cv, left, sizeof left, right, sizeof right);
    ui_body_title(u, w, left, right, ui_theme_attr(&u->theme, THEME_DETAIL_TITLE));

    if (cv->error[0]) {
        ui_body_text(w, cv->error, 2, ui_theme_attr(&u->theme, THEME_ERROR));
    } else {
        int widths[CC_COUNT] = {17, 0, 8, 5, 0};
        int rest = cols - 2 - widths[CC_ID] - widths[CC_TZ] - widths[CC_TYPE] - 8;
        widths[CC_NAME] = rest > 72 ? rest - 38 : rest / 2;
        if (widths[CC_NAME] < 10)
            widths[CC_NAME] = 10;
        static const char *const heads[CC_COUNT] = {"WABA ID", "NAME", "TIMEZONE", "TYPE",
                                                    "TEMPLATE NAMESPACE"};
        ui_table_columns(&cv->table, heads, widths, CC_COUNT);
        cv->table.empty =
            cv->loading ? "loading the client WABAs (every page)" : "no client WABAs match";
        ui_table_draw(u, &cv->table, w, 1, 0, ui_body_rows(v, TABLE_CHROME));
    }
    char hints[256], pos[64] = "";
    if (cv->count)
        snprintf(pos, sizeof pos, "  %s %ld of %zu", ui_glyph_dot(u), cv->table.sel + 1, cv->count);
    snprintf(hints, sizeof hints,
             "j/k move  Enter solutions of the WABA  f partner business  R reload  Esc/h/q "
             "back%s",
             pos);
    ui_table_hints(u, w, hints);
    wnoutrefresh(w);
}

static void waba_solutions_open(ui *u, const mps_waba *x);

static int customers_key(ui *u, ui_view *v, int key, ui_request req)
{
    customers_view *cv = v->data;
    if (ui_list_key(u, v, &cv->table, req))
        return UI_HANDLED;
    if (req == REQ_ENTER) {
        if (cv->table.sel >= 0 && (size_t)cv->table.sel < cv->count)
            waba_solutions_open(u, &cv->wabas[cv->table.sel]);
        return UI_HANDLED;
    }
    if (req == REQ_FILTER_NEXT || req == REQ_FILTER_PREV) {
        long n = (long)cv->partners.count + 1; /* every WABA, then each partner business */
        long cur = cv->choice + 1;
        cur = (cur + (req == REQ_FILTER_NEXT ? 1 : -1) + n) % n;
        cv->choice = cur - 1;
        clear_wabas(cv);
        cv->table.sel = cv->table.top = 0;
        customers_load(u, cv);
        ui_view_touch(u, v);
        return UI_HANDLED;
    }
    if (req == REQ_REFRESH) {
        customers_load(u, cv);
        ui_view_touch(u, v);
        return UI_HANDLED;
    }
    if (req == REQ_CUSTOMERS)
        return UI_HANDLED;
    return UI_UNHANDLED;
}

static void customers_destroy(ui *u, ui_view *v)
{
    (void)u;
    customers_view *cv = v->data;
    clear_wabas(cv);
    strlist_clear(&cv->partners);
    free(cv->business_id);
    free(cv);
}

static const ui_view_ops customers_ops = {
    .name = "customers",
    .covers_body = true,
    .draw = customers_draw,
    .key = customers_key,
    .resize = ui_body_resize,
    .destroy = customers_destroy,
};

static void customers_open(ui *u)
{
    if (!u->profile.business_id || !u->profile.business_id[0]) {
        ui_message(u, UI_MSG_WARNING,
                   "customers: profile %s has no business_id (the business portfolio whose "
                   "client WABAs to list; mpsdash.conf(5))",
                   u->profile.name ? u->profile.name : "?");
        return;
    }
    customers_view *cv = mps_xcalloc(1, sizeof *cv);
    cv->business_id = mps_xstrdup(u->profile.business_id);
    ui_table_init(&cv->table, &waba_table, cv);
    /* Partner businesses: the profile's map first, then those onboarding events named. */
    strset added = {0}; /* borrows the profile's and seen's strings */
    strlist seen = {0};
    for (size_t i = 0; i < u->profile.partner_count; i++) {
        const char *b = u->profile.partners[i].business_id;
        if (b && strcmp(b, cv->business_id) != 0 && strset_add(&added, b))
            strlist_push(&cv->partners, b);
    }
    ui_feed_partner_businesses(u, &seen);
    for (size_t i = 0; i < seen.count; i++)
        if (strcmp(seen.items[i], cv->business_id) != 0 && strset_add(&added, seen.items[i]))
            strlist_push(&cv->partners, seen.items[i]);
    strset_clear(&added);
    strlist_clear(&seen);
    cv->choice = cv->partners.count ? 0 : -1;
    ui_view *v = ui_body_replace(u, &customers_ops, cv);
    customers_load(u, cv);
    ui_view_touch(u, v);
}

static void customers_result(ui *u, worker_result *r)
{
    ui_view *v = ui_view_find(u, &customers_ops);
    if (!v)
        return;
    customers_view *cv = v->data;
    if (r->generation != cv->gen || !r->done)
        return; /* superseded by a reload or another partner business */
    cv->loading = false;
    cv->gen = 0;
    if (r->error.cls == GRAPH_OK) {
        clear_wabas(cv);
        cv->wabas = r->data.wabas;
        cv->count = r->data.waba_count;
        r->data.wabas = NULL;
        r->data.waba_count = 0;
    } else {
        mps_errtext msg;
        graph_error_format(&r->error, msg, sizeof msg);
        text_format(cv->error, sizeof cv->error, "listing the client WABAs failed: %s", msg);
    }
    ui_view_touch(u, v);
}

/* ---- the solutions that onboarded a WABA ------------------------------------------------- */

typedef struct waba_view {
    char *waba_id;
    char *waba_name;
    unsigned long gen;
    bool loading;
    mps_solution **sols;
    size_t count;
    mps_errtext error;
    ui_table table;
} waba_view;

enum { WC_NAME, WC_STATE, WC_ROLE, WC_ID, WC_COUNT };

static long sol_count(ui *u, void *ctx)
{
    (void)u;
    return (long)((waba_view *)ctx)->count;
}

static void sol_row(ui *u, void *ctx, long idx, bool selected, ui_table_cells *c, char *scratch,
                    size_t size)
{
    (void)selected, (void)scratch, (void)size;
    const mps_solution *s = ((waba_view *)ctx)->sols[idx];
    c->cell[WC_NAME] = s->name ? s->name : "-";
    c->cell[WC_STATE] = solution_state_text(s);
    c->cell[WC_ROLE] = role_label(solution_role(s, u->profile.app_id));
    c->cell[WC_ID] = s->id;
}

static const ui_table_ops sol_table = {.count = sol_count, .row = sol_row};

static void waba_draw(ui *u, ui_view *v)
{
    waba_view *wv = v->data;
    WINDOW *w = v->win;
    if (!w || (!v->dirty && !(u->dirty & UI_DIRTY_BODY)))
        return;
    int cols = getmaxx(w);
    werase(w);
    char left[512], right[128];
    snprintf(left, sizeof left, "Solutions that onboarded WABA %s (%s)",
             wv->waba_name ? wv->waba_name : "?", wv->waba_id);
    if (wv->loading)
        snprintf(right, sizeof right, "loading%s", ELLIPSIS(u));
    else
        snprintf(right, sizeof right, "%zu solution%s", wv->count, wv->count == 1 ? "" : "s");
    ui_body_title(u, w, left, right, ui_theme_attr(&u->theme, THEME_DETAIL_TITLE));
    if (wv->error[0]) {
        ui_body_text(w, wv->error, 2, ui_theme_attr(&u->theme, THEME_ERROR));
    }
    int widths[WC_COUNT] = {0, 20, 8, 0};
    widths[WC_NAME] = cols - 2 - widths[WC_STATE] - widths[WC_ROLE] - 17 - 6;
    if (widths[WC_NAME] < 10)
        widths[WC_NAME] = 10;
    static const char *const heads[WC_COUNT] = {"NAME", "STATE", "ROLE", "ID"};
    if (!wv->error[0]) {
        ui_table_columns(&wv->table, heads, widths, WC_COUNT);
        wv->table.empty = wv->loading ? NULL : "no solution onboarded this WABA";
        ui_table_draw(u, &wv->table, w, 1, 0, ui_body_rows(v, TABLE_CHROME));
    }
    ui_table_hints(u, w, "j/k move  Enter show it in the list  Esc/h/q back");
    wnoutrefresh(w);
}

static void free_sols(waba_view *wv)
{
    for (size_t i = 0; i < wv->count; i++)
        solution_free(wv->sols[i]);
    free(wv->sols);
    wv->sols = NULL;
    wv->count = 0;
}

static int waba_key(ui *u, ui_view *v, int key, ui_request req)
{
    waba_view *wv = v->data;
    if (ui_list_key(u, v, &wv->table, req))
        return UI_HANDLED;
    if (req == REQ_ENTER) {
        if (wv->table.sel < 0 || (size_t)wv->table.sel >= wv->count)
            return UI_HANDLED;
        const mps_solution *s = wv->sols[wv->table.sel];
        if (!store_find(u->st, s->id)) {
            ui_message(u, UI_MSG_INFO, "\"%s\" is not in app %s's list", s->name ? s->name : s->id,
                       u->profile.app_id ? u->profile.app_id : "?");
            return UI_HANDLED;
        }
        ui_show_solution(u, s->id);
        return UI_HANDLED;
    }
    return UI_UNHANDLED;
}

static void waba_destroy(ui *u, ui_view *v)
{
    (void)u;
    waba_view *wv = v->data;
    free_sols(wv);
    free(wv->waba_id);
    free(wv->waba_name);
    free(wv);
}

static const ui_view_ops waba_solutions_ops = {
    .name = "waba-solutions",
    .covers_body = true,
    .draw = waba_draw,
    .key = waba_key,
    .resize = ui_body_resize,
    .destroy = waba_destroy,
};

static void waba_solutions_open(ui *u, const mps_waba *x)
{
    waba_view *wv = mps_xcalloc(1, sizeof *wv);
    wv->waba_id = mps_xstrdup(x->id);
    wv->waba_name = mps_xstrdup(x->name);
    ui_table_init(&wv->table, &sol_table, wv);
    ui_view *v = ui_view_push(u, &waba_solutions_ops, wv);
    unsigned long job = ui_data_submit(u, graph_op_waba_solutions(wv->waba_id), UI_TAG_CUSTOMERS);
    wv->loading = job != 0;
    wv->gen = job ? u->gen : 0;
    if (!job)
        snprintf(wv->error, sizeof wv->error, "not connected: nothing was asked");
    ui_view_touch(u, v);
}

static void waba_solutions_result(ui *u, worker_result *r)
{
    ui_view *v = ui_view_find(u, &waba_solutions_ops);
    if (!v)
        return;
    waba_view *wv = v->data;
    if (r->generation != wv->gen)
        return;
    /* Pages arrive as they are parsed; the last result says how it ended. */
    if (r->data.solution_count) {
        wv->sols =
            mps_xreallocarray(wv->sols, wv->count + r->data.solution_count, sizeof *wv->sols);
        for (size_t i = 0; i < r->data.solution_count; i++) {
            if (r->data.solutions[i])
                wv->sols[wv->count++] = r->data.solutions[i];
            r->data.solutions[i] = NULL;
        }
        r->data.solution_count = 0;
    }
    if (r->done) {
        wv->loading = false;
        wv->gen = 0;
        if (r->error.cls != GRAPH_OK) {
            mps_errtext msg;
            graph_error_format(&r->error, msg, sizeof msg);
            text_format(wv->error, sizeof wv->error, "GET /%s/solutions failed: %s", wv->waba_id,
                        msg);
        }
    }
    ui_view_touch(u, v);
}

/* Both views submit as UI_TAG_CUSTOMERS; each takes only the answer to its own job. */
static void result(ui *u, worker_result *r)
{
    customers_result(u, r);
    waba_solutions_result(u, r);
}

const ui_view_kind ui_view_customers = {
    .command = "customers",
    .req = REQ_CUSTOMERS,
    .open = customers_open,
    .result = result,
};
