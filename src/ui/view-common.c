/* What the views beyond the panel share: body windows, title and hint lines, table rows, moving
 * a selection, a yes/no question, and what a profile switch does to them. */
#include "ui-draw.h"
#include "ui-feed.h"
#include "ui-input.h"
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

/* ---- moving ------------------------------------------------------------------------------ */

bool ui_back_request(ui_request req)
{
    return req == REQ_BACK || req == REQ_QUIT;
}

bool ui_list_key(ui *u, ui_view *v, ui_table *t, ui_request req)
{
    if (ui_back_request(req)) {
        ui_view_pop(u);
        return true;
    }
    if (ui_table_key(u, t, req)) {
        ui_view_touch(u, v);
        return true;
    }
    return false;
}

/* ---- windows ----------------------------------------------------------------------------- */

void ui_body_resize(ui *u, ui_view *v)
{
    if (v->win)
        delwin(v->win);
    v->win = NULL;
    int h = u->rows - 1 - u->status_h;
    if (h < 1 || u->cols < 1)
        return;
    v->win = newwin(h, u->cols, 1, 0);
    if (v->win)
        leaveok(v->win, TRUE);
    v->dirty = true;
}

void ui_view_touch(ui *u, ui_view *v)
{
    if (v)
        v->dirty = true;
    /* A frame is drawn only when some flag is set; the body flag also repaints overlays. */
    ui_dirty(u, UI_DIRTY_BODY);
}

ui_view *ui_view_find(ui *u, const ui_view_ops *ops)
{
    for (ui_view *v = u->top_view; v; v = v->below)
        if (v->ops == ops)
            return v;
    return NULL;
}

ui_view *ui_body_replace(ui *u, const ui_view_ops *ops, void *data)
{
    if (u->top_view != &u->base)
        ui_view_close(u, NULL);
    return ui_view_push(u, ops, data);
}

void ui_body_title(ui *u, WINDOW *w, const char *left, const char *right, attr_t right_attr)
{
    int cols = getmaxx(w);
    attr_t base = ui_theme_attr(&u->theme, THEME_DETAIL_TITLE) | A_BOLD;
    int rw = right && right[0] ? text_width(right) : 0;
    if (rw > cols / 2)
        rw = cols / 2;
    int lw = cols - rw - (rw ? 2 : 0) - 1;
    ui_put(w, 0, 0, " ", 1, base);
    ui_put(w, 0, 1, left, lw > 0 ? lw : 0, base);
    if (rw) {
        ui_put(w, 0, 1 + lw, "  ", 2, base);
        ui_put(w, 0, cols - rw, right, rw, right_attr);
    }
}

int ui_body_rows(const ui_view *v, int chrome)
{
    int h = v->win ? getmaxy(v->win) - chrome : 0;
    return h > 0 ? h : 0;
}

void ui_body_text(WINDOW *w, const char *text, int indent, attr_t attr)
{
    int h = getmaxy(w), cols = getmaxx(w);
    ui_lines l = {0};
    ui_lines_wrap(&l, text, cols - 2, indent, attr);
    for (size_t i = 0; i < l.n && (int)i + 2 < h - 1; i++)
        ui_put(w, 2 + (int)i, 1, l.items[i].text, cols - 1, l.items[i].attr);
    ui_lines_clear(&l);
}

/* ---- the list ---------------------------------------------------------------------------- */

void ui_show_solution(ui *u, const char *id)
{
    char *keep = mps_xstrdup(id);
    ui_view_close(u, NULL);
    if (store_visible_index(u->st, keep) < 0)
        ui_set_filter(u, true, STATE_PENDING);
    if (store_visible_index(u->st, keep) < 0) {
        /* The role filter hides it: show every role too, as asked for this one solution. */
        store_set_role_filter(u->st, ROLE_UNKNOWN);
        ui_selection_sync(u);
    }
    if (store_visible_index(u->st, keep) < 0 && store_narrow(u->st)[0])
        ui_set_narrow(u, NULL); /* and the narrowing */
    ui_select_id(u, keep);
    free(keep);
}

/* ---- a yes/no question ------------------------------------------------------------------- */

typedef struct confirm {
    char *title;
    char *text;
    char *yes_label;
    bool danger;
    ui_buttons buttons;
    void (*on_yes)(ui *u, void *ctx);
    void *ctx;
} confirm;

static void confirm_build(ui *u, const confirm *c, int width, ui_lines *l)
{
    ui_lines_wrap(l, c->text, width, 0, ui_theme_attr(&u->theme, THEME_DIALOG));
}

static void confirm_draw(ui *u, ui_view *v)
{
    confirm *c = v->data;
    WINDOW *w = v->win;
    if (!w)
        return;
    int h = getmaxy(w), wd = getmaxx(w);
    attr_t body = ui_theme_attr(&u->theme, THEME_DIALOG);
    attr_t border = ui_theme_attr(&u->theme, c->danger ? THEME_DIALOG_DANGER : THEME_BORDER);
    ui_frame(w, c->title, border, border | A_BOLD);
    ui_lines l = {0};
    confirm_build(u, c, wd - 4, &l);
    int inner = h - 4;
    for (int y = 0; y < inner; y++) {
        ui_put(w, 1 + y, 1, " ", 1, body);
        ui_put(w, 1 + y, 2, (size_t)y < l.n ? l.items[y].text : "", wd - 4,
               (size_t)y < l.n ? l.items[y].attr : body);
        ui_put(w, 1 + y, wd - 2, " ", 1, body);
    }
    ui_lines_clear(&l);
    ui_buttons_draw(u, w, h - 3, &c->buttons, "Cancel", c->yes_label);
    ui_put(w, h - 2, 1, " ", 1, body);
    ui_put(w, h - 2, 2, "y confirm  n/Esc cancel  Tab moves  Enter activates", wd - 4,
           ui_theme_attr(&u->theme, THEME_DIM));
}

static void confirm_resize(ui *u, ui_view *v)
{
    confirm *c = v->data;
    if (v->win)
        delwin(v->win);
    int wd = u->cols - 4 < 70 ? u->cols - 4 : 70;
    ui_lines l = {0};
    confirm_build(u, c, wd - 4, &l);
    int h = (int)l.n + 4;
    ui_lines_clear(&l);
    v->win = ui_view_center_window(u, h, wd);
    v->dirty = true;
}

static void confirm_destroy(ui *u, ui_view *v)
{
    (void)u;
    confirm *c = v->data;
    free(c->title);
    free(c->text);
    free(c->yes_label);
    free(c);
}

static int confirm_key(ui *u, ui_view *v, int key, ui_request req)
{
    confirm *c = v->data;
    ui_view_touch(u, v);
    if (req == REQ_REDRAW)
        return UI_UNHANDLED;
    switch (ui_buttons_key(u, &c->buttons, key, NULL)) {
    case UI_CHOICE_YES: {
        void (*on_yes)(ui *, void *) = c->on_yes;
        void *ctx = c->ctx;
        ui_view_pop(u);
        if (on_yes)
            on_yes(u, ctx);
        break;
    }
    case UI_CHOICE_NO:
        ui_view_pop(u);
        ui_message(u, UI_MSG_INFO, "cancelled");
        break;
    default:
        break;
    }
    return UI_HANDLED; /* modal */
}

static const ui_view_ops confirm_ops = {
    .name = "question",
    .covers_body = false,
    .draw = confirm_draw,
    .key = confirm_key,
    .resize = confirm_resize,
    .destroy = confirm_destroy,
};

void ui_confirm_open(ui *u, const char *title, const char *text, const char *yes_label, bool danger,
                     void (*on_yes)(ui *u, void *ctx), void *ctx)
{
    confirm *c = mps_xcalloc(1, sizeof *c);
    c->title = text_sanitize(title, strlen(title), false);
    c->text = text_sanitize(text, strlen(text), true);
    c->yes_label = text_sanitize(yes_label, strlen(yes_label), false);
    c->danger = danger;
    c->on_yes = on_yes;
    c->ctx = ctx;
    ui_view_push(u, &confirm_ops, c);
}

/* ---- profiles ---------------------------------------------------------------------------- */

void ui_views_profile_changed(ui *u)
{
    /* Whatever is open shows the old profile's data (or was asked of it): close it all. */
    if (u->top_view && u->top_view != &u->base)
        ui_view_close(u, NULL);
    ui_create_forget(u, "profile switched while the request was in flight");
    ui_inbox_forget(u); /* its identities were the old worker's */
    ui_feed_stop(u);
    ui_feed_start(u);
}

void ui_views_shutdown(ui *u)
{
    ui_create_forget(u, "the dashboard quit while the request was in flight");
    ui_inbox_forget(u);
    ui_feed_stop(u);
}
