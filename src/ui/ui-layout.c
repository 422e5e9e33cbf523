/* Screen geometry: header, tab bar, list, detail pane (right or below) and the status area. */
#include "ui-internal.h"

#include "mpsdash/util.h"

static void drop(WINDOW **w)
{
    if (*w) {
        delwin(*w);
        *w = NULL;
    }
}

void ui_layout_free(ui *u)
{
    drop(&u->w_header);
    drop(&u->w_tabs);
    drop(&u->w_list);
    drop(&u->w_detail);
    drop(&u->w_status);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void ui_layout(ui *u)
{
    ui_layout_free(u);
    getmaxyx(stdscr, u->rows, u->cols);
    u->too_small = u->cols < UI_MIN_COLS || u->rows < UI_MIN_ROWS;
    if (u->too_small)
        return;

    u->status_h = ui_status_height(u);
    int body_y = 2;
    int body_h = u->rows - body_y - u->status_h;
    u->detail_right = u->cols >= UI_DETAIL_RIGHT_COLS;

    u->w_header = newwin(1, u->cols, 0, 0);
    u->w_tabs = newwin(1, u->cols, 1, 0);
    u->w_status = newwin(u->status_h, u->cols, u->rows - u->status_h, 0);
    if (u->detail_right) {
        int detail_w = clamp(u->cols * 2 / 5, 46, 90);
        int list_w = u->cols - detail_w;
        u->w_list = newwin(body_h, list_w, body_y, 0);
        u->w_detail = newwin(body_h, detail_w, body_y, list_w);
    } else {
        /* The pane below holds a selected solution's name, id, state and a 10-permission
         * matrix in two columns (ui-detail.c): 10 lines at least, so that at 80x24 nothing to
         * be reviewed needs scrolling; the list keeps 4 rows and its header. */
        int detail_h =
            body_h * 9 / 20 > UI_DETAIL_BELOW_MIN ? body_h * 9 / 20 : UI_DETAIL_BELOW_MIN;
        int list_h = clamp(body_h - detail_h, 5, body_h - 3);
        u->w_list = newwin(list_h, u->cols, body_y, 0);
        u->w_detail = newwin(body_h - list_h, u->cols, body_y + list_h, 0);
    }
    WINDOW *all[] = {u->w_header, u->w_tabs, u->w_list, u->w_detail, u->w_status};
    for (size_t i = 0; i < COUNT_OF(all); i++) {
        if (!all[i]) { /* out of memory for a window: behave as if too small */
            ui_layout_free(u);
            u->too_small = true;
            return;
        }
        leaveok(all[i], TRUE);
    }
}

int ui_list_rows(const ui *u)
{
    if (!u->w_list)
        return 0;
    int h = getmaxy(u->w_list) - 1; /* the column header line */
    return h > 0 ? h : 0;
}
