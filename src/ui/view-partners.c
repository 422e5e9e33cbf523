/* The partners view (p): GET /<SOLUTION_ID>/partners for the selected solution, as a table of
 * partner apps with the selected partner's link, status and permissions in full below it. */
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

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

typedef struct partners_view {
    char *solution_id;
    char *solution_name;
    char *select_app;  /* the partner to select once loaded (coming back to it); NULL: none */
    unsigned long gen; /* the job whose answer this view waits for; 0 when none */
    bool loading;
    mps_partner *partners;
    size_t count;
    mps_errtext error;
    ui_table table;
} partners_view;

enum { COL_NAME, COL_ID, COL_STATUS, COL_LINK, COL_COUNT };

static long partner_count(ui *u, void *ctx)
{
    (void)u;
    return (long)((partners_view *)ctx)->count;
}

static void partner_row(ui *u, void *ctx, long idx, bool selected, ui_table_cells *c, char *scratch,
                        size_t size)
{
    (void)u, (void)selected, (void)scratch, (void)size;
    const mps_partner *p = &((partners_view *)ctx)->partners[idx];
    c->cell[COL_NAME] = p->app.name ? p->app.name : "-";
    c->cell[COL_ID] = p->app.id ? p->app.id : "-";
    c->cell[COL_STATUS] = p->status ? p->status : "-";
    c->cell[COL_LINK] = p->app.link ? p->app.link : "-";
}

static const ui_table_ops partner_table = {.count = partner_count, .row = partner_row};

static void clear_partners(partners_view *pv)
{
    for (size_t i = 0; i < pv->count; i++)
        partner_clear(&pv->partners[i]);
    free(pv->partners);
    pv->partners = NULL;
    pv->count = 0;
}

static void load(ui *u, partners_view *pv)
{
    pv->error[0] = '\0';
    pv->loading = ui_data_submit(u, graph_op_partners(pv->solution_id), UI_TAG_PARTNERS) != 0;
    pv->gen = pv->loading ? u->gen : 0;
    if (!pv->loading)
        snprintf(pv->error, sizeof pv->error, "not connected: nothing was asked");
}

/* Lines under the table: the selected partner in full (permissions wrap). */
static void detail_lines(ui *u, const mps_partner *p, int width, ui_lines *l)
{
    attr_t body = ui_theme_attr(&u->theme, THEME_LIST);
    attr_t title = ui_theme_attr(&u->theme, THEME_DETAIL_TITLE) | A_BOLD;
    char line[4096];
    snprintf(line, sizeof line, "%s (%s)", p->app.name ? p->app.name : "(no name)",
             p->app.id ? p->app.id : "?");
    ui_lines_wrap(l, line, width, 2, title);
    snprintf(line, sizeof line, "app link          %s", p->app.link ? p->app.link : "-");
    ui_lines_wrap(l, line, width, 18, body);
    snprintf(line, sizeof line, "partner status    %s", p->status ? p->status : "-");
    ui_lines_wrap(l, line, width, 18, body);
    snprintf(line, sizeof line, "partner edge id   %s", p->id ? p->id : "-");
    ui_lines_wrap(l, line, width, 18, body);
    size_t n = (size_t)snprintf(line, sizeof line, "permissions       ");
    if (!p->has_permissions) {
        snprintf(line + n, sizeof line - n, "(not in the answer)");
    } else if (p->permissions.count == 0) {
        snprintf(line + n, sizeof line - n, "none");
    } else {
        for (size_t i = 0; i < p->permissions.count && n < sizeof line; i++)
            n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", i ? ", " : "",
                                  p->permissions.items[i]);
    }
    ui_lines_wrap(l, line, width, 18, body);
}

static int table_rows(const ui_view *v, size_t count)
{
    /* Title, column line, then at most half the body for rows: the rest shows the partner. */
    int h = v->win ? getmaxy(v->win) : 0;
    int rows = (h - 3) / 2;
    if (rows > (int)count)
        rows = (int)count;
    return rows > 1 ? rows : 1;
}

static void partners_draw(ui *u, ui_view *v)
{
    partners_view *pv = v->data;
    WINDOW *w = v->win;
    if (!w || (!v->dirty && !(u->dirty & UI_DIRTY_BODY)))
        return;
    int cols = getmaxx(w), h = getmaxy(w);
    werase(w);

    char title[600], right[64];
    snprintf(title, sizeof title, "Partners of %s (%s)",
             pv->solution_name ? pv->solution_name : "?", pv->solution_id);
    if (pv->loading)
        snprintf(right, sizeof right, "loading%s", u->utf8 ? "\u2026" : "...");
    else if (pv->error[0]) /* no answer is not "0 partners" */
        right[0] = '\0';
    else
        snprintf(right, sizeof right, "%zu partner%s", pv->count, pv->count == 1 ? "" : "s");
    ui_body_title(u, w, title, right, ui_theme_attr(&u->theme, THEME_DETAIL_TITLE));

    if (pv->error[0]) {
        ui_body_text(w, pv->error, 2, ui_theme_attr(&u->theme, THEME_ERROR));
        ui_table_hints(u, w, "R retry  Esc/h/q back");
        wnoutrefresh(w);
        return;
    }

    int widths[COL_COUNT] = {28, 17, 18, 0};
    if (cols < 100)
        widths[COL_NAME] = 20;
    static const char *const heads[COL_COUNT] = {"APP", "APP ID", "PARTNER STATUS", "LINK"};
    ui_table_columns(&pv->table, heads, widths, COL_COUNT);
    pv->table.empty = pv->loading ? NULL : "this solution has no partners";
    int rows = table_rows(v, pv->count);
    ui_table_draw(u, &pv->table, w, 1, 0, rows);
    if (pv->count > 0) {
        int y = 2 + rows + 1;
        ui_lines l = {0};
        detail_lines(u, &pv->partners[pv->table.sel], cols - 3, &l);
        for (size_t i = 0; i < l.n && y < h - 1; i++, y++)
            ui_put(w, y, 2, l.items[i].text, cols - 2, l.items[i].attr);
        ui_lines_clear(&l);
    }
    ui_table_hints(u, w, "j/k move  Enter its solutions  R reload  Esc/h/q back");
    wnoutrefresh(w);
}

/* Enter on a partner app: the list narrowed to the solutions it is in (as owner or partner),
 * in every state; Esc on the list shows every solution again. */
static void partner_solutions(ui *u, partners_view *pv, const mps_partner *p)
{
    if (!p->app.id || !p->app.id[0]) {
        ui_message(u, UI_MSG_INFO, "the answer named no app id for this partner");
        return;
    }
    char *id = mps_xstrdup(p->app.id);
    char *name = mps_xstrdup(p->app.name ? p->app.name : p->app.id);
    char *solution = mps_xstrdup(pv->solution_id);
    ui_view_close(u, NULL); /* frees p */
    ui_narrow_to_partner(u, id, solution);
    ui_message(u, UI_MSG_INFO, "the solutions app %s (%s) is in; Esc goes back to its partners",
               name, id);
    free(id);
    free(name);
    free(solution);
}

static int partners_key(ui *u, ui_view *v, int key, ui_request req)
{
    partners_view *pv = v->data;
    if (ui_list_key(u, v, &pv->table, req))
        return UI_HANDLED;
    if (req == REQ_REFRESH) {
        load(u, pv);
        ui_view_touch(u, v);
        return UI_HANDLED;
    }
    if (req == REQ_ENTER) {
        if (pv->table.sel >= 0 && (size_t)pv->table.sel < pv->count)
            partner_solutions(u, pv, &pv->partners[pv->table.sel]);
        return UI_HANDLED;
    }
    if (req == REQ_PARTNERS)
        return UI_HANDLED;
    return UI_UNHANDLED;
}

static void partners_destroy(ui *u, ui_view *v)
{
    (void)u;
    partners_view *pv = v->data;
    clear_partners(pv);
    free(pv->solution_id);
    free(pv->solution_name);
    free(pv->select_app);
    free(pv);
}

static const ui_view_ops partners_ops = {
    .name = "partners",
    .covers_body = true,
    .draw = partners_draw,
    .key = partners_key,
    .resize = ui_body_resize,
    .destroy = partners_destroy,
};

void ui_partners_open_at(ui *u, const char *app_id)
{
    const mps_solution *s = ui_selected(u);
    if (u->top_view != &u->base || !s || !s->id) {
        ui_message(u, UI_MSG_INFO, "select a solution in the list first: p shows its partners");
        return;
    }
    partners_view *pv = mps_xcalloc(1, sizeof *pv);
    pv->solution_id = mps_xstrdup(s->id);
    pv->solution_name = mps_xstrdup(s->name);
    pv->select_app = app_id ? mps_xstrdup(app_id) : NULL;
    ui_table_init(&pv->table, &partner_table, pv);
    ui_view *v = ui_body_replace(u, &partners_ops, pv);
    load(u, pv);
    ui_view_touch(u, v);
}

static void partners_open(ui *u)
{
    ui_partners_open_at(u, NULL);
}

static void partners_result(ui *u, worker_result *r)
{
    ui_view *v = ui_view_find(u, &partners_ops);
    if (!v)
        return;
    partners_view *pv = v->data;
    if (r->generation != pv->gen || !r->done)
        return; /* a reload superseded it */
    pv->loading = false;
    pv->gen = 0;
    if (r->error.cls == GRAPH_OK) {
        clear_partners(pv);
        pv->partners = r->data.partners;
        pv->count = r->data.partner_count;
        r->data.partners = NULL;
        r->data.partner_count = 0;
        for (size_t i = 0; pv->select_app && i < pv->count; i++)
            if (pv->partners[i].app.id && strcmp(pv->partners[i].app.id, pv->select_app) == 0)
                pv->table.sel = (long)i;
        free(pv->select_app);
        pv->select_app = NULL;
    } else {
        mps_errtext msg;
        graph_error_format(&r->error, msg, sizeof msg);
        text_format(pv->error, sizeof pv->error, "GET /%s/partners failed: %s", pv->solution_id,
                    msg);
    }
    ui_view_touch(u, v);
}

const ui_view_kind ui_view_partners = {
    .command = "partners",
    .req = REQ_PARTNERS,
    .open = partners_open,
    .result = partners_result,
};
