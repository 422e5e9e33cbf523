/* The view stack: the panel at the bottom, body views and overlays pushed on top of it. */
#include "ui-internal.h"

#include <stdlib.h>

ui_view *ui_view_top(ui *u)
{
    return u->top_view;
}

ui_view *ui_view_push(ui *u, const ui_view_ops *ops, void *data)
{
    ui_view *v = calloc(1, sizeof *v);
    if (!v)
        abort();
    v->ops = ops;
    v->data = data;
    v->dirty = true;
    v->below = u->top_view;
    u->top_view = v;
    if (!u->too_small && u->screen_started && ops->resize)
        ops->resize(u, v);
    ui_dirty(u, UI_DIRTY_STATUS);
    return v;
}

static void destroy(ui *u, ui_view *v)
{
    if (v->ops->destroy)
        v->ops->destroy(u, v);
    if (v->win)
        delwin(v->win);
    free(v);
}

void ui_view_pop(ui *u)
{
    ui_view *v = u->top_view;
    if (!v || v == &u->base)
        return;
    u->top_view = v->below;
    destroy(u, v);
    /* What the overlay covered must be put back: mark everything below for a repaint (curses
     * sends only the cells that differ). */
    ui_dirty(u, UI_DIRTY_ALL & ~UI_DIRTY_LAYOUT);
    for (ui_view *b = u->top_view; b; b = b->below)
        b->dirty = true;
}

void ui_view_close(ui *u, const ui_view_ops *ops)
{
    ui_view **pp = &u->top_view;
    while (*pp && *pp != &u->base) {
        ui_view *v = *pp;
        if (!ops || v->ops == ops) {
            *pp = v->below;
            destroy(u, v);
        } else {
            pp = &v->below;
        }
    }
    ui_dirty(u, UI_DIRTY_ALL & ~UI_DIRTY_LAYOUT);
    for (ui_view *b = u->top_view; b; b = b->below)
        b->dirty = true;
}

bool ui_view_open(ui *u, const ui_view_ops *ops)
{
    for (ui_view *v = u->top_view; v; v = v->below)
        if (v->ops == ops)
            return true;
    return false;
}

WINDOW *ui_view_center_window(ui *u, int h, int w)
{
    if (h > u->rows - 2)
        h = u->rows - 2;
    if (w > u->cols - 2)
        w = u->cols - 2;
    if (h < 3 || w < 10)
        return NULL;
    WINDOW *win = newwin(h, w, (u->rows - h) / 2, (u->cols - w) / 2);
    if (win)
        leaveok(win, TRUE);
    return win;
}
