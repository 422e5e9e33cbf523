/* The panel's own state: the solution list (a table) with its selection kept by id across
 * reloads, and the detail pane's scroll position. It lives in the panel view's data. */
#ifndef MPSDASH_UI_PANEL_H
#define MPSDASH_UI_PANEL_H

#include "ui-internal.h"
#include "ui-table.h"

typedef struct ui_panel {
    ui_table list;     /* selection, scrolling, the last search */
    char *sel_id;      /* the selected solution's id: the selection across reloads */
    int detail_scroll; /* lines the detail pane is scrolled down */
    int detail_lines;  /* what its last draw produced */
} ui_panel;

/* Makes the panel the bottom view (before curses); ui_panel_free undoes it. */
void ui_panel_init(ui *u);
void ui_panel_free(ui *u);
ui_panel *ui_panel_of(const ui *u);
/* A new profile: no selection, top of the list. */
void ui_panel_reset(ui *u);

#endif
