/* The view registry, in the manner of tig's VIEW_INFO: every view beyond the panel, declared
 * once. Adding a view is a line in ui-view-list.h and its file, view-NAME.c, which defines
 * `const ui_view_kind ui_view_NAME` (its ':' command, the request whose key opens it, how it
 * opens, where its jobs' answers go). From this list come the views' result tags
 * (UI_TAG_<TAG>: what a view submits its jobs as), the routing of those results, the requests
 * that open views, their key rows and their ':' commands.
 *
 * Also the view stack every view lives on (the panel, the views beyond it, the overlays), the
 * helpers the body views share (view-common.c) and what the views export beyond their entry. */
#ifndef MPSDASH_UI_VIEWS_H
#define MPSDASH_UI_VIEWS_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/worker.h" /* worker_result */
#include "ui-keys.h"

typedef struct ui ui;

/* UI_VIEW_INFO, the list of views: ui-view-list.h (through ui-keys.h). */

/* ------------------------------------------------------------------------------ the view stack */

typedef struct ui_view ui_view;

/* A view's key handler answers whether it used the key. */
enum { UI_UNHANDLED = 0, UI_HANDLED = 1 };

/* One kind of view, in the manner of tig's view_ops and tmux's window modes. A view that
 * covers the body replaces what is below it (the panel, later partners, customers...); one
 * that does not is an overlay drawn on top (help, dialogs, prompts). */
typedef struct ui_view_ops {
    const char *name;
    bool covers_body;
    void (*draw)(ui *u, ui_view *v);
    int (*key)(ui *u, ui_view *v, int key, ui_request req);
    void (*resize)(ui *u, ui_view *v);  /* make windows for the current layout */
    void (*destroy)(ui *u, ui_view *v); /* free data and windows */
} ui_view_ops;

struct ui_view {
    const ui_view_ops *ops;
    WINDOW *win; /* an overlay's window, NULL for the panel (it uses the ui's windows) */
    void *data;
    bool dirty;
    bool cursor_visible; /* leave the terminal cursor at (cursor_y, cursor_x) of win */
    int cursor_y, cursor_x;
    ui_view *below;
};

ui_view *ui_view_push(ui *u, const ui_view_ops *ops, void *data);
void ui_view_pop(ui *u);
/* Closes every overlay of the given kind (or all overlays with NULL). */
void ui_view_close(ui *u, const ui_view_ops *ops);
bool ui_view_open(ui *u, const ui_view_ops *ops);
/* A centred window of h x w over the body, clamped to the screen. */
WINDOW *ui_view_center_window(ui *u, int h, int w);

/* A view beyond the panel as the registry (ui-views.h) knows it; view-NAME.c defines it. */
typedef struct ui_view_kind {
    const char *command; /* ':' opens it with this; NULL: none */
    ui_request req;      /* the request (and so the key) that opens it; REQ_NONE: none */
    void (*open)(ui *u);
    /* An answer to a job it submitted as its tag (UI_TAG_<TAG>); NULL: it submits none. */
    void (*result)(ui *u, worker_result *r);
} ui_view_kind;
#define UI_VIEW_EXTERN(tag, name, ...) extern const ui_view_kind ui_view_##name;
UI_VIEW_INFO(UI_VIEW_EXTERN)
#undef UI_VIEW_EXTERN
/* The registered kind for a result tag, a request or a ':' command (a unique prefix); NULL
 * when none. */
const ui_view_kind *ui_view_kind_of_tag(int tag);
const ui_view_kind *ui_view_kind_of_request(ui_request req);
const ui_view_kind *ui_view_kind_of_command(const char *word);
/* "partners, customers, ...": the ':' commands of the views, for messages and the help. */
void ui_view_commands(char *buf, size_t size);

extern const ui_view_ops ui_panel_ops;
extern const ui_view_ops ui_help_ops;
extern const ui_view_ops ui_dialog_ops;
extern const ui_view_ops ui_textbox_ops;
extern const ui_view_ops ui_prompt_ops;

/* ------------------------------------------------------------------------------ overlays */

/* ui-dialog.c: a scrollable text box (what changed, the signup snippet...); copy_text non-NULL
 * offers y. */
void ui_textbox_open(ui *u, const char *title, const char *text, const char *copy_text);
/* A text box of labelled values ("label  value" rows, the values in one column after the
 * widest label, wrapped under it), then an optional note paragraph. A NULL or empty value
 * shows "-". */
typedef struct ui_field {
    const char *label;
    const char *value;
} ui_field;
void ui_textbox_open_fields(ui *u, const char *title, const ui_field *fields, size_t n,
                            const char *note);
/* ---- ui-help.c, ui-cmdline.c ---- */
void ui_help_open(ui *u);
void ui_prompt_open_command(ui *u);
void ui_prompt_open_search(ui *u);
void ui_prompt_open_narrow(ui *u);
/* The resize op of one-line prompts: the screen's last line. */
void ui_prompt_resize(ui *u, ui_view *v);
/* Runs a ':' command line ("filter pending"). Messages go to the status line. */
void ui_command_run(ui *u, const char *line);

/* ------------------------------------------------------------------------------ views beyond
 * the panel (view-*.c): partners, customers, events, create, business token, profiles */

/* ---- view-common.c ---- */
/* back (Esc, h, Left, Backspace) and quit (q) leave a view beyond the panel. */
bool ui_back_request(ui_request req);
/* The keys every table view shares: a back key pops v, a move request moves t's selection and
 * redraws v. False when key/req is neither. */
struct ui_table;
bool ui_list_key(ui *u, ui_view *v, struct ui_table *t, ui_request req);
/* The resize op of body views: a window between the header and the status area. */
void ui_body_resize(ui *u, ui_view *v);
/* Marks v for a redraw in the next frame (and what lies over it). */
void ui_view_touch(ui *u, ui_view *v);
/* The topmost view of that kind, or NULL. */
ui_view *ui_view_find(ui *u, const ui_view_ops *ops);
/* Leaves every view and selects solution id in the list, widening the filters if they hide it. */
void ui_show_solution(ui *u, const char *id);
/* Closes every view above the panel, then pushes ops/data (views replace each other). */
ui_view *ui_body_replace(ui *u, const ui_view_ops *ops, void *data);
/* Line 0 of a body window: left in bold, right (may be NULL) at the right edge in right_attr. */
void ui_body_title(ui *u, WINDOW *w, const char *left, const char *right, attr_t right_attr);
/* Table rows a body window has room for beside its chrome lines (title, column line, hints). */
int ui_body_rows(const ui_view *v, int chrome);
/* text wrapped (continuation lines indented) from line 2 down to above the hint line. */
void ui_body_text(WINDOW *w, const char *text, int indent, attr_t attr);
/* A yes/no question with the focus on Cancel; y or Enter on the yes button runs on_yes(u, ctx)
 * after the question has closed. Closing it any other way runs nothing. */
void ui_confirm_open(ui *u, const char *title, const char *text, const char *yes_label, bool danger,
                     void (*on_yes)(ui *u, void *ctx), void *ctx);
/* The data side calls these: a profile was adopted (close what showed the old one, tail the new
 * events file), and the dashboard is closing. */
void ui_views_profile_changed(ui *u);
void ui_views_shutdown(ui *u);

/* ---- what the views export beyond their registry entry (ui_view_NAME) ---- */
/* view-token.c: fetches a customer's business token through a solution, in an overlay. */
extern const ui_view_ops ui_token_ops;
void ui_token_open(ui *u, const char *solution_id, const char *business_id);
/* The partners of the selected solution, selecting app_id's row once loaded (NULL: the first). */
void ui_partners_open_at(ui *u, const char *app_id);
/* view-create.c: audits create requests still in flight as of unknown outcome (profile
 * switch, quit). */
void ui_create_forget(ui *u, const char *why);
/* view-events.c (the feed it shows: ui-feed.h) */
extern const ui_view_ops ui_events_ops;
/* view-inbox.c: what the server holds now for a solution an inbox action touched (read back
 * as identity): the inbox's rows of it take it (copied). */
void ui_inbox_update(ui *u, unsigned long identity, const mps_solution *now);
/* view-inbox.c: forgets the profiles' identities (they belonged to the worker now gone). */
void ui_inbox_forget(ui *u);

#endif
