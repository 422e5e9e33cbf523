/* The view stack: the panel at the bottom, body views and overlays pushed on top of it. */
#include "ui-data.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mpsdash/alloc.h"
#include "mpsdash/util.h"

ui_view *ui_view_push(ui *u, const ui_view_ops *ops, void *data)
{
    ui_view *v = mps_xcalloc(1, sizeof *v);
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

/* ---- the registry (ui-views.h) ----------------------------------------------------------- */

#define VIEW_KIND(tag, name, ...) &ui_view_##name,
static const ui_view_kind *const kinds[] = {UI_VIEW_INFO(VIEW_KIND)};
#undef VIEW_KIND
#define KIND_COUNT (COUNT_OF(kinds))

const ui_view_kind *ui_view_kind_of_tag(int tag)
{
    if (tag <= UI_TAG_VIEWS || tag >= UI_TAG_COUNT)
        return NULL;
    return kinds[tag - UI_TAG_VIEWS - 1];
}

const ui_view_kind *ui_view_kind_of_request(ui_request req)
{
    for (size_t i = 0; req != REQ_NONE && i < KIND_COUNT; i++)
        if (kinds[i]->req == req)
            return kinds[i];
    return NULL;
}

/* word names command, as k9s takes a resource's singular or plural: "tokens" is "token",
 * "partner" is "partners". */
static bool names_command(const char *word, const char *command)
{
    size_t n = strlen(word), c = strlen(command);
    if (strcasecmp(word, command) == 0)
        return true;
    if (n == c + 1 && (word[c] == 's' || word[c] == 'S'))
        return strncasecmp(word, command, c) == 0;
    return c == n + 1 && command[n] == 's' && strncasecmp(word, command, n) == 0;
}

const ui_view_kind *ui_view_kind_of_command(const char *word)
{
    const ui_view_kind *found = NULL;
    size_t n = strlen(word), matches = 0;
    for (size_t i = 0; n && i < KIND_COUNT; i++)
        if (kinds[i]->command && names_command(word, kinds[i]->command))
            return kinds[i];
    for (size_t i = 0; n && i < KIND_COUNT; i++) {
        if (!kinds[i]->command)
            continue;
        if (strncasecmp(word, kinds[i]->command, n) == 0) {
            found = kinds[i];
            matches++;
        }
    }
    return matches == 1 ? found : NULL;
}

void ui_view_commands(char *buf, size_t size)
{
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < KIND_COUNT && used < size; i++)
        if (kinds[i]->command)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                                     kinds[i]->command);
}
