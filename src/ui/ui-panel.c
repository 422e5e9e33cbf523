/* The main panel view: tab bar + list + detail pane, and its requests (moving, filtering,
 * sorting, searching, actions, copying). */
#include "ui-panel.h"
#include "ui-actions.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-table.h"
#include "ui-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "mpsdash/snippet.h"
#include "mpsdash/util.h"

#define DETAIL_SCROLL_STEP 5

/* filter requests -> (all, state) */
static const struct {
    ui_request req;
    bool all;
    mps_state state;
} filter_requests[] = {
    {REQ_FILTER_ALL, true, STATE_PENDING},
    {REQ_FILTER_PENDING, false, STATE_PENDING},
    {REQ_FILTER_ACTIVE, false, STATE_ACTIVE},
    {REQ_FILTER_PENDING_DEACTIVATION, false, STATE_PENDING_DEACTIVATION},
    {REQ_FILTER_DRAFT, false, STATE_DRAFT},
    {REQ_FILTER_INACTIVE, false, STATE_INACTIVE},
    {REQ_FILTER_DEACTIVATED, false, STATE_DEACTIVATED},
    {REQ_FILTER_OTHER, false, STATE_OTHER},
};

void ui_set_filter(ui *u, bool all, mps_state st)
{
    store_set_state_filter(u->st, all, st);
    ui_panel_of(u)->list.top = 0;
    ui_selection_sync(u);
    ui_dirty(u, UI_DIRTY_BODY | UI_DIRTY_STATUS);
}

void ui_set_sort(ui *u, store_sort key, bool descending)
{
    store_set_sort(u->st, key, descending);
    ui_selection_sync(u);
    ui_dirty(u, UI_DIRTY_LIST | UI_DIRTY_STATUS);
    /* s, S and :sort all say it, so no message of an earlier one names the old order. */
    ui_message(u, UI_MSG_INFO, "sorted by %s%s", store_sort_name(key),
               descending ? ", reversed" : "");
}

/* Tab order: All, each state; Other only when something is in it. */
static void filter_step(ui *u, int dir)
{
    size_t counts[STATE_COUNT], all;
    store_counts(u->st, counts, &all);
    mps_state st;
    int cur = store_state_filter(u->st, &st) ? 1 + (int)st : 0;
    int n = 1 + STATE_COUNT;
    for (int i = 0; i < n; i++) {
        cur = (cur + dir + n) % n;
        if (cur == 1 + STATE_OTHER && counts[STATE_OTHER] == 0)
            continue;
        break;
    }
    ui_set_filter(u, cur == 0, cur == 0 ? STATE_PENDING : (mps_state)(cur - 1));
}

static void partner_return_clear(ui_panel *p)
{
    free(p->partner_return.app_id);
    free(p->partner_return.solution_id);
    p->partner_return.app_id = p->partner_return.solution_id = NULL;
}

void ui_set_narrow(ui *u, const char *query)
{
    ui_panel *p = ui_panel_of(u);
    if (p->partner_return.app_id && (!query || strcmp(query, p->partner_return.app_id) != 0))
        partner_return_clear(p); /* narrowed otherwise: no way back to a partner */
    store_set_narrow(u->st, query);
    ui_panel_of(u)->list.top = 0;
    ui_selection_sync(u);
    ui_dirty(u, UI_DIRTY_BODY | UI_DIRTY_STATUS);
}

void ui_narrow_to_partner(ui *u, const char *app_id, const char *solution_id)
{
    ui_panel *p = ui_panel_of(u);
    partner_return_clear(p);
    p->partner_return.all_states = !store_state_filter(u->st, &p->partner_return.state);
    p->detail_focus = false;
    ui_set_filter(u, true, STATE_PENDING);
    ui_set_narrow(u, app_id);
    p->partner_return.app_id = mps_xstrdup(app_id);
    p->partner_return.solution_id = mps_xstrdup(solution_id);
}

bool ui_partner_return(ui *u)
{
    ui_panel *p = ui_panel_of(u);
    if (!p->partner_return.app_id || strcmp(store_narrow(u->st), p->partner_return.app_id) != 0)
        return false;
    char *app = p->partner_return.app_id, *solution = p->partner_return.solution_id;
    p->partner_return.app_id = p->partner_return.solution_id = NULL;
    ui_set_narrow(u, NULL);
    ui_set_filter(u, p->partner_return.all_states, p->partner_return.state);
    ui_show_solution(u, solution); /* shown even if the tab now hides it */
    const mps_solution *s = ui_selected(u);
    if (s && s->id && strcmp(s->id, solution) == 0) {
        p->detail_focus = true; /* the way it came: list, detail, partners */
        ui_partners_open_at(u, app);
    }
    free(app);
    free(solution);
    return true;
}

bool ui_search_step(ui *u, const char *query, long origin)
{
    ui_panel *p = ui_panel_of(u);
    p->list.rows = ui_list_rows(u);
    return ui_table_search_step(u, &p->list, query, origin);
}

void ui_search_count(const ui *u, const char *query, char *buf, size_t size)
{
    size_t rank = 0;
    size_t n = store_match_count(u->st, query, ui_panel_of(u)->list.sel, &rank);
    if (n == 0)
        snprintf(buf, size, "no match");
    else if (rank > 0)
        snprintf(buf, size, "%zu of %zu match%s", rank, n, n == 1 ? "" : "es");
    else /* the selection moved off the matches: how many there are */
        snprintf(buf, size, "%zu match%s", n, n == 1 ? "" : "es");
}

static void show_snippet(ui *u, const mps_solution *s)
{
    char *js = snippet_embedded_signup(s->id, NULL);
    if (!js) {
        ui_message(u, UI_MSG_ERROR, "cannot make the Embedded Signup snippet");
        return;
    }
    char title[256];
    snprintf(title, sizeof title, "Embedded Signup for %s", s->name ? s->name : s->id);
    mps_state st = solution_state(s);
    if (state_signup_works(st)) {
        ui_textbox_open(u, title, js, js);
    } else {
        /* Shown above the code, never copied with it. */
        char *shown = mps_xasprintf(
            "Warning: this solution is %s. Meta's guide says customers who open Embedded "
            "Signup configured with a solution in this state see an error: it cannot onboard "
            "anyone until it is Active.\n\n%s",
            solution_state_text(s), js);
        ui_textbox_open(u, title, shown, js);
        free(shown);
    }
    free(js);
}

static void req_filter_next(ui *u)
{
    filter_step(u, 1);
}
static void req_filter_prev(ui *u)
{
    filter_step(u, -1);
}
static void req_detail_down(ui *u)
{
    ui_panel_of(u)->detail_scroll += DETAIL_SCROLL_STEP; /* the draw clamps it to the content */
    ui_dirty(u, UI_DIRTY_DETAIL);
}

static void req_detail_up(ui *u)
{
    ui_panel *p = ui_panel_of(u);
    p->detail_scroll =
        p->detail_scroll > DETAIL_SCROLL_STEP ? p->detail_scroll - DETAIL_SCROLL_STEP : 0;
    ui_dirty(u, UI_DIRTY_DETAIL);
}

/* The moving keys while the detail pane has the focus: they scroll it (the draw clamps). */
static bool detail_move(ui *u, ui_request req)
{
    ui_panel *p = ui_panel_of(u);
    int page = u->w_detail ? getmaxy(u->w_detail) - 2 : 1;
    if (page < 1)
        page = 1;
    switch (req) {
    case REQ_MOVE_DOWN:
        p->detail_scroll++;
        break;
    case REQ_MOVE_UP:
        p->detail_scroll--;
        break;
    case REQ_PAGE_DOWN:
        p->detail_scroll += page;
        break;
    case REQ_PAGE_UP:
        p->detail_scroll -= page;
        break;
    case REQ_FIRST:
        p->detail_scroll = 0;
        break;
    case REQ_LAST:
        p->detail_scroll = p->detail_lines;
        break;
    default:
        return false;
    }
    if (p->detail_scroll < 0)
        p->detail_scroll = 0;
    ui_dirty(u, UI_DIRTY_DETAIL);
    return true;
}

static void set_detail_focus(ui *u, bool on)
{
    ui_panel_of(u)->detail_focus = on;
    ui_dirty(u, UI_DIRTY_LIST | UI_DIRTY_DETAIL | UI_DIRTY_STATUS);
}

/* Enter goes one level in, Esc one level out: list -> the solution's detail -> its partners
 * (view-partners.c) -> a partner's solutions, the list narrowed to them. */
static void req_enter(ui *u)
{
    if (!ui_selected(u)) {
        ui_message(u, UI_MSG_INFO, "no solution selected");
        return;
    }
    if (!ui_panel_of(u)->detail_focus) {
        set_detail_focus(u, true);
        return;
    }
    const ui_view_kind *partners = ui_view_kind_of_request(REQ_PARTNERS);
    if (partners && partners->open)
        partners->open(u);
}

bool ui_detail_focus_leave(ui *u)
{
    if (!ui_panel_of(u)->detail_focus)
        return false;
    set_detail_focus(u, false);
    return true;
}

static void req_sort_next(ui *u)
{
    ui_set_sort(u, (store_sort)((store_sort_key(u->st) + 1) % SORT_COUNT),
                store_sort_descending(u->st));
}

static void req_sort_reverse(ui *u)
{
    ui_set_sort(u, store_sort_key(u->st), !store_sort_descending(u->st));
}

static void req_copy_id(ui *u)
{
    const mps_solution *s = ui_selected(u);
    if (s)
        ui_copy(u, s->id, "solution id");
    else
        ui_message(u, UI_MSG_INFO, "no solution selected");
}

static void req_snippet(ui *u)
{
    const mps_solution *s = ui_selected(u);
    if (s)
        show_snippet(u, s);
    else
        ui_message(u, UI_MSG_INFO, "no solution selected");
}

/* The panel's requests; filter and action requests come from their own tables. */
static const struct {
    ui_request req;
    void (*run)(ui *u);
} panel_requests[] = {
    {REQ_DETAIL_DOWN, req_detail_down},
    {REQ_DETAIL_UP, req_detail_up},
    {REQ_FILTER_NEXT, req_filter_next},
    {REQ_FILTER_PREV, req_filter_prev},
    {REQ_SORT_NEXT, req_sort_next},
    {REQ_SORT_REVERSE, req_sort_reverse},
    {REQ_SEARCH, ui_prompt_open_search},
    {REQ_COPY_ID, req_copy_id},
    {REQ_SIGNUP_SNIPPET, req_snippet},
    {REQ_NARROW, ui_prompt_open_narrow},
    {REQ_ENTER, req_enter},
};

static int panel_key(ui *u, ui_view *v, int key, ui_request req)
{
    (void)v;
    (void)key;
    /* Moving: the detail pane's while it has the focus, else the list's (and n/N). */
    if (ui_panel_of(u)->detail_focus && detail_move(u, req))
        return UI_HANDLED;
    if (ui_list_request(u, req))
        return UI_HANDLED;
    for (size_t i = 0; i < COUNT_OF(filter_requests); i++) {
        if (filter_requests[i].req == req) {
            ui_set_filter(u, filter_requests[i].all, filter_requests[i].state);
            return UI_HANDLED;
        }
    }
    /* Every action goes through the one dispatcher. */
    const ui_request_info *ri = ui_request_get(req);
    if (ri->action >= 0) {
        ui_action_request(u, (mps_action)ri->action);
        return UI_HANDLED;
    }
    for (size_t i = 0; i < COUNT_OF(panel_requests); i++) {
        if (panel_requests[i].req == req) {
            panel_requests[i].run(u);
            return UI_HANDLED;
        }
    }
    return UI_UNHANDLED;
}

static void panel_draw(ui *u, ui_view *v)
{
    (void)v;
    if (u->dirty & UI_DIRTY_TABS) {
        ui_tabs_draw(u);
        wnoutrefresh(u->w_tabs);
    }
    if (u->dirty & UI_DIRTY_LIST) {
        ui_list_draw(u);
        wnoutrefresh(u->w_list);
    }
    if (u->dirty & UI_DIRTY_DETAIL) {
        ui_detail_draw(u);
        wnoutrefresh(u->w_detail);
    }
}

const ui_view_ops ui_panel_ops = {
    .name = "panel",
    .covers_body = true,
    .draw = panel_draw,
    .key = panel_key,
    .resize = NULL, /* its windows are the ui's (ui_layout) */
    .destroy = NULL,
};
