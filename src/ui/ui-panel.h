/* The panel's own state: the solution list (a table) with its selection kept by id across
 * reloads, and the detail pane's scroll position. It lives in the panel view's data. */
#ifndef MPSDASH_UI_PANEL_H
#define MPSDASH_UI_PANEL_H

#include "mpsdash/model.h"
#include "mpsdash/state.h"
#include "mpsdash/store.h"
#include "ui-keys.h"
#include "ui-table.h"

typedef struct ui ui;

typedef struct ui_panel {
    ui_table list;     /* selection, scrolling, the last search */
    char *sel_id;      /* the selected solution's id: the selection across reloads */
    int detail_scroll; /* lines the detail pane is scrolled down */
    int detail_lines;  /* what its last draw produced */
    /* Enter on the list: the moving keys scroll the detail pane, Enter again opens the
     * solution's partners, Esc gives the keys back to the list. */
    bool detail_focus;
    /* Enter on a partner narrowed the list to the solutions its app is in: Esc goes back to
     * the partners of the solution they were opened from, with the tab the list had. */
    struct {
        char *app_id;      /* the narrowing it set; NULL when none */
        char *solution_id; /* whose partners were open */
        bool all_states;
        mps_state state;
    } partner_return;
} ui_panel;

/* Makes the panel the bottom view (before curses); ui_panel_free undoes it. */
void ui_panel_init(ui *u);
void ui_panel_free(ui *u);
ui_panel *ui_panel_of(const ui *u);
/* A new profile: no selection, top of the list. */
void ui_panel_reset(ui *u);

/* ---- selection (ui-list.c) ---- */
const mps_solution *ui_selected(const ui *u);
/* Re-finds the selection by id after the store changed (falls back to the same index). */
void ui_selection_sync(ui *u);
void ui_select_index(ui *u, long index);
void ui_select_id(ui *u, const char *id);
/* A move, n or N on the list; false when req is none of them. */
bool ui_list_request(ui *u, ui_request req);
/* The row (0-based, among list item rows) at screen y, -1 when none. */
long ui_list_hit(ui *u, int y);

/* ---- ui-panel.c: filter, sort, search ---- */
/* all: show every state; else st. */
void ui_set_filter(ui *u, bool all, mps_state st);
void ui_set_sort(ui *u, store_sort key, bool descending);
bool ui_search_step(ui *u, const char *query, long origin); /* jump while typing */
/* Esc while the detail pane has the focus gives it back to the list; false when it had none. */
bool ui_detail_focus_leave(ui *u);
/* The narrowing filter: only the rows matching query ("" or NULL: every row). */
void ui_set_narrow(ui *u, const char *query);
/* Enter on a partner app in solution_id's partners: the list narrowed to the app's solutions
 * in every state, remembering the way back. */
void ui_narrow_to_partner(ui *u, const char *app_id, const char *solution_id);
/* Esc on a list narrowed by ui_narrow_to_partner: the tab restored, the solution selected, its
 * partners open again on that app. False (nothing done) for any other narrowing. */
bool ui_partner_return(ui *u);
/* "3 of 17 matches" (the selection is the third), "17 matches" (it is none of them) or
 * "no match", for query over the list's rows. */
void ui_search_count(const ui *u, const char *query, char *buf, size_t size);

#endif
