/* Quitting never hides an action: q while a mutating request is in flight asks (Wait / Quit
 * anyway), Wait quits once every one has finished, and after leaving stderr says what became of
 * each request that was in flight when quitting was asked for. */
#include "ui-actions.h"
#include "ui-draw.h"
#include "ui-input.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"

#define QUIT_LIST_MAX 5 /* requests listed by name in the box; more are counted */

typedef struct quit_ask {
    ui_buttons buttons; /* Wait (the default focus) and Quit anyway */
} quit_ask;

static void quit_draw(ui *u, ui_view *v)
{
    quit_ask *q = v->data;
    WINDOW *w = v->win;
    if (!w)
        return;
    int wd = getmaxx(w), h = getmaxy(w);
    attr_t body = ui_theme_attr(&u->theme, THEME_DIALOG);
    for (int y = 0; y < h; y++)
        ui_put(w, y, 0, "", wd, body);
    ui_frame(w, "Quit while a request is in flight?", ui_theme_attr(&u->theme, THEME_BORDER),
             ui_theme_attr(&u->theme, THEME_DETAIL_TITLE));
    char line[400];
    int y = 1;
    snprintf(line, sizeof line, "%zu request%s sent and not yet answered:", u->action_count,
             u->action_count == 1 ? " was" : "s were");
    ui_put(w, y++, 2, line, wd - 4, body);
    for (size_t i = 0; i < u->action_count && i < QUIT_LIST_MAX; i++) {
        const ui_pending_action *pa = &u->actions[i];
        snprintf(line, sizeof line, "  %s \"%s\" (%s)", action_get(pa->action)->verb, pa->name,
                 pa->solution_id);
        ui_put(w, y++, 2, line, wd - 4, body);
    }
    if (u->action_count > QUIT_LIST_MAX) {
        snprintf(line, sizeof line, "  and %zu more", u->action_count - QUIT_LIST_MAX);
        ui_put(w, y++, 2, line, wd - 4, body);
    }
    ui_put(w, y++, 2, "Quitting now, you will not see what the server did (audited as unknown).",
           wd - 4, body);
    ui_buttons_draw(u, w, y + 1, &q->buttons, "Wait", "Quit anyway");
    ui_put(w, h - 2, 2, "y quit anyway  n/Esc wait  Tab moves  Enter activates", wd - 4,
           ui_theme_attr(&u->theme, THEME_DIM));
}

static void quit_resize(ui *u, ui_view *v)
{
    if (v->win)
        delwin(v->win);
    size_t listed = u->action_count < QUIT_LIST_MAX ? u->action_count : QUIT_LIST_MAX + 1;
    int h = 7 + (int)listed;
    int wd = u->cols - 4 < 78 ? u->cols - 4 : 78;
    v->win = ui_view_center_window(u, h, wd);
    v->dirty = true;
}

static void quit_destroy(ui *u, ui_view *v)
{
    (void)u;
    free(v->data);
}

static void wait_then_quit(ui *u)
{
    ui_view_pop(u);
    if (u->action_count == 0) { /* finished while the box was open */
        u->quit = true;
        return;
    }
    u->quit_when_done = true;
    ui_message(u, UI_MSG_WARNING,
               "waiting for %zu request%s to finish, then quitting (q asks again)", u->action_count,
               u->action_count == 1 ? "" : "s");
}

static int quit_key(ui *u, ui_view *v, int key, ui_request req)
{
    quit_ask *q = v->data;
    v->dirty = true;
    if (req == REQ_REDRAW)
        return UI_UNHANDLED;
    switch (ui_buttons_key(u, &q->buttons, key, NULL)) {
    case UI_CHOICE_YES:
        u->quit = true;
        break;
    case UI_CHOICE_NO:
        wait_then_quit(u);
        break;
    case UI_CHOICE_MOVED:
    case UI_CHOICE_NONE:
        break;
    }
    return UI_HANDLED; /* modal */
}

static const ui_view_ops quit_ops = {
    .name = "quit",
    .covers_body = false,
    .draw = quit_draw,
    .key = quit_key,
    .resize = quit_resize,
    .destroy = quit_destroy,
};

void ui_quit_request(ui *u)
{
    if (u->action_count == 0) {
        u->quit = true;
        return;
    }
    u->quit_when_done = false;
    ui_view_push(u, &quit_ops, mps_xcalloc(1, sizeof(quit_ask)));
}

void ui_quit_note_outcome(ui *u)
{
    if (!u->quit_when_done)
        return;
    strlist_push(&u->exit_report, u->message);
    if (u->action_count == 0)
        u->quit = true;
}

void ui_quit_report(const ui *u, FILE *out)
{
    for (size_t i = 0; i < u->exit_report.count; i++)
        fprintf(out, "mpsdash: %s\n", u->exit_report.items[i]);
    for (size_t i = 0; i < u->action_count; i++) {
        const ui_pending_action *pa = &u->actions[i];
        fprintf(out,
                "mpsdash: %s \"%s\" (%s) was still in flight when the dashboard closed: the "
                "server may or may not have applied it (audited as unknown); see what it holds "
                "with: mpsdash show %s\n",
                action_get(pa->action)->verb, pa->name, pa->solution_id, pa->solution_id);
    }
}
