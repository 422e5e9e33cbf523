/* What the dashboard's files share: the ui struct, the views table, keys, theme and drawing
 * helpers. Only src/ui (and the UI's unit tests) include it. */
#ifndef MPSDASH_UI_INTERNAL_H
#define MPSDASH_UI_INTERNAL_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/config.h"
#include "mpsdash/graph.h"
#include "mpsdash/model.h"
#include "mpsdash/state.h"
#include "mpsdash/store.h"
#include "mpsdash/ui.h"
#include "mpsdash/worker.h"
#include "ui-views.h"

#define UI_MIN_COLS 60
#define UI_MIN_ROWS 12
#define UI_DETAIL_RIGHT_COLS 110 /* from this width on the detail pane sits right of the list */
#define UI_DETAIL_BELOW_MIN 10   /* lines of the detail pane below the list, its rule included */
#define UI_TOO_SMALL_TEXT "terminal too small (need 60x12)"

struct sandbox;
struct events_feed;

/* ------------------------------------------------------------------------------ keys */

/* Curses KEY_* codes are stored plus this offset; other values are Unicode code points. */
#define UI_KEY_FN 0x200000
#define UI_KEY_ESC 27
#define UI_KEY_ENTER '\n'
#define UI_KEY_TAB '\t'
#define UI_KEY_BACKSPACE (UI_KEY_FN + KEY_BACKSPACE)

/* Named requests: keys map to these, never to code (tig). Keep ui-keys.c's table in order. */
typedef enum ui_request {
    REQ_NONE = 0,
    REQ_QUIT,
    REQ_HELP,
    REQ_COMMAND,
    REQ_REFRESH,
    REQ_REDRAW,
    REQ_BACK,
    REQ_ENTER,
    REQ_MOVE_DOWN,
    REQ_MOVE_UP,
    REQ_PAGE_DOWN,
    REQ_PAGE_UP,
    REQ_FIRST,
    REQ_LAST,
    REQ_DETAIL_DOWN,
    REQ_DETAIL_UP,
    REQ_FILTER_NEXT,
    REQ_FILTER_PREV,
    REQ_FILTER_ALL,
    REQ_FILTER_PENDING,
    REQ_FILTER_ACTIVE,
    REQ_FILTER_PENDING_DEACTIVATION,
    REQ_FILTER_DRAFT,
    REQ_FILTER_INACTIVE,
    REQ_FILTER_DEACTIVATED,
    REQ_FILTER_OTHER,
    REQ_SORT_NEXT,
    REQ_SORT_REVERSE,
    REQ_SEARCH,
    REQ_SEARCH_NEXT,
    REQ_SEARCH_PREV,
    REQ_ACCEPT,
    REQ_REJECT,
    REQ_REQUEST_DEACTIVATION,
    REQ_ACCEPT_DEACTIVATION,
    REQ_REJECT_DEACTIVATION,
    REQ_COPY_ID,
    REQ_SIGNUP_SNIPPET,
    REQ_REVEAL,
    REQ_PARTNERS, /* views beyond the panel (view-*.c) */
    REQ_CUSTOMERS,
    REQ_EVENTS,
    REQ_CREATE,
    REQ_BUSINESS_TOKEN,
    REQ_PROFILES,
    REQ_INBOX,
    REQ_YES, /* dialogs and forms (ui-input.c) */
    REQ_NO,
    REQ_FOCUS_NEXT,
    REQ_FOCUS_PREV,
    REQ_FOCUS_LEFT,
    REQ_FOCUS_RIGHT,
    REQ_TOGGLE,
    REQ_SUBMIT, /* the line editor (ui-input.c) */
    REQ_CANCEL,
    REQ_ERASE,
    REQ_CLEAR_LINE,
    REQ_COMPLETE,
    REQ_COUNT
} ui_request;

typedef enum ui_request_group {
    UI_GROUP_GENERAL,
    UI_GROUP_MOVE,
    UI_GROUP_FILTER,
    UI_GROUP_ACTION,
    UI_GROUP_VIEWS,
    UI_GROUP_DIALOG, /* keys of their own in dialogs and forms (UI_KEYS_DIALOG) */
    UI_GROUP_EDIT,   /* keys of their own while typing (UI_KEYS_EDIT) */
    UI_GROUP_COUNT
} ui_request_group;

/* Where a key is looked up, in the manner of tig's keymaps: a dialog's own keys, then the main
 * ones; a line being typed into has only its own (every other printable key is text). A request
 * belongs to one context, by its group. */
typedef enum ui_keys_ctx { UI_KEYS_MAIN, UI_KEYS_DIALOG, UI_KEYS_EDIT, UI_KEYS_COUNT } ui_keys_ctx;

typedef struct ui_request_info {
    ui_request req;
    const char *name; /* "accept": what the config's keys section and the help use */
    const char *help;
    ui_request_group group;
    int action;          /* the mps_action a mutating request asks for, -1 for the others */
    const char *keys[4]; /* default key specs */
} ui_request_info;

const ui_request_info *ui_request_get(ui_request r);
/* REQ_NONE for an unknown name. */
ui_request ui_request_parse(const char *name);
const char *ui_request_group_title(ui_request_group g);
bool ui_request_mutating(ui_request r);
ui_keys_ctx ui_request_context(ui_request r);

typedef struct ui_binding {
    ui_keys_ctx ctx;
    int key;
    ui_request req;
} ui_binding;

typedef struct ui_keymap {
    ui_binding *b;
    size_t n, cap;
} ui_keymap;

void ui_keymap_defaults(ui_keymap *km);
void ui_keymap_clear(ui_keymap *km);
/* Rebinds the requests the config names (each named request gets exactly the given keys; a key
 * taken from another request is moved). Refused bindings are skipped and described, one line
 * each, in problems: unknown request names, unparsable key specs, and mutating requests on a
 * control key. */
void ui_keymap_apply(ui_keymap *km, const config_key *keys, size_t n, strlist *problems);
/* The main context's request for key (REQ_NONE when unbound). */
ui_request ui_keymap_lookup(const ui_keymap *km, int key);
ui_request ui_keymap_lookup_in(const ui_keymap *km, ui_keys_ctx ctx, int key);
/* The keys bound to r, at most max_keys of them, as "j/Down". "" when none. */
void ui_keymap_describe(const ui_keymap *km, ui_request r, size_t max_keys, char *buf, size_t size);
/* "a", "C-l", "F5", "S-Tab", "PgDn", "Esc", "Enter", "Space"... -> key. */
bool ui_key_parse(const char *spec, int *key);
void ui_key_name(int key, char *buf, size_t size);
/* The UTF-8 text a printable key types (prompts, typed confirmation); false for the others. */
bool ui_key_text(int key, char *buf, size_t size);
/* A control character (what a mutating request may never be bound to). */
bool ui_key_is_control(int key);
/* get_wch's answer -> key (Enter, Backspace and Esc each get one code). */
int ui_key_from_wch(int rc, wint_t wch);

/* ------------------------------------------------------------------------------ theme */

typedef struct ui_theme {
    theme data; /* as loaded (colours stripped for NO_COLOR / mono) */
    bool color; /* colour pairs in use */
    attr_t attr[THEME_ROLE_COUNT];
} ui_theme;

/* Before curses: loads the theme by name (NULL = "default"); no_color strips colours.
 * Returns 0, or -1 with err. */
int ui_theme_load(ui_theme *t, const char *name, bool no_color, char *err, size_t err_size);
/* After initscr: colour pairs (or attributes only) for every role. */
void ui_theme_init(ui_theme *t);
attr_t ui_theme_attr(const ui_theme *t, theme_role role);
theme_role ui_theme_state_role(mps_state st);

/* ------------------------------------------------------------------------------ terminal */

/* Whether terminfo knows TERM and it can address the cursor (TERM=dumb cannot); otherwise
 * fills err with one line saying what to do. Called before curses starts. */
bool ui_terminal_can_draw(char *err, size_t size);

/* ------------------------------------------------------------------------------ notify */

/* The OSC 9 and/or OSC 777 sequences (not the bell) for how; wrapped for tmux's passthrough
 * when asked. Title and body are sanitised. New string ("" when how has neither). */
char *ui_notify_sequence(unsigned how, const char *title, const char *body, bool tmux_passthrough);
/* Writes all of s to fd (EINTR retried). */
bool ui_write_all(int fd, const char *s);

/* ------------------------------------------------------------------------------ OSC 52 */

/* The escape sequence that sets the terminal clipboard to text; inside tmux it is wrapped in a
 * DCS passthrough. New string. */
char *ui_osc52_sequence(const char *text, bool tmux_passthrough);
/* Writes the sequences to fd: the plain one (tmux set-clipboard on, every other terminal) and,
 * inside tmux, the passthrough one too (allow-passthrough on). Returns false on a write error. */
bool ui_osc52_copy(int fd, const char *text, bool in_tmux);
/* Standard base64 (with padding). New string. */
char *ui_base64(const unsigned char *data, size_t len);

/* ------------------------------------------------------------------------------ views */

typedef struct ui ui;

/* q: quits, or asks first (Wait / Quit anyway) while a mutating request is in flight. */
void ui_quit_request(ui *u);
/* After an action's outcome is in the status line: keeps it for the exit report while waiting
 * to quit, and quits once none is left in flight. */
void ui_quit_note_outcome(ui *u);
/* After the screen is gone: what became of each request in flight when quitting. */
void ui_quit_report(const ui *u, FILE *out);

/* Whether a solution awaits this app's answer (a request or a deactivation request). */
bool ui_solution_awaits_us(const ui *u, const mps_solution *s);
/* Called before a refresh stores `now` over `before` (NULL when new): counts a request that
 * newly awaits us, says so in the status line and marks its state tab. Silent until the
 * profile's first load completed. */
void ui_notify_note(ui *u, const mps_solution *before, const mps_solution *now);
/* After doupdate: rings the bell and/or writes OSC 9 / OSC 777 for what was noted, as the
 * config's `notify` says. */
void ui_notify_flush(ui *u);
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
#define UI_VIEW_EXTERN(tag, name) extern const ui_view_kind ui_view_##name;
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

/* ------------------------------------------------------------------------------ the ui */

/* Redraw flags: what to draw in the next frame (neomutt's reflow -> recalc -> repaint). */
enum {
    UI_DIRTY_HEADER = 1u << 0,
    UI_DIRTY_TABS = 1u << 1,
    UI_DIRTY_LIST = 1u << 2,
    UI_DIRTY_DETAIL = 1u << 3,
    UI_DIRTY_STATUS = 1u << 4,
    UI_DIRTY_LAYOUT = 1u << 5,
    UI_DIRTY_BODY = UI_DIRTY_TABS | UI_DIRTY_LIST | UI_DIRTY_DETAIL,
    UI_DIRTY_ALL = 0x3f,
};

typedef enum ui_message_level {
    UI_MSG_NONE,
    UI_MSG_INFO,
    UI_MSG_WARNING,
    UI_MSG_ERROR
} ui_message_level;

/* What a job was for: results are routed by this tag. The views' tags come from the registry
 * (ui-views.h). */
#define UI_VIEW_TAG(tag, name) UI_TAG_##tag,
typedef enum ui_tag {
    UI_TAG_LIST = 1,
    UI_TAG_APP,
    UI_TAG_DETAIL,
    UI_TAG_ACTION,
    UI_TAG_FEED_GET,     /* ui-feed.c: GET of a solution an event touched */
    UI_TAG_FEED_BACKLOG, /* ui-feed.c: the task reading the events file's backlog */
    UI_TAG_VIEWS,        /* the registry's tags follow, one a view */
    UI_VIEW_INFO(UI_VIEW_TAG) UI_TAG_COUNT
} ui_tag;
#undef UI_VIEW_TAG

/* Whom an action is sent as. The main list acts as the dashboard's profile (identity 0); the
 * inbox as the row's profile, through that profile's own worker identity (its token, its app),
 * never through the current profile's. */
typedef struct ui_actor {
    const char *profile; /* its name */
    const char *app_id;
    unsigned long identity; /* worker_add_identity's id; 0: the dashboard's profile */
    bool readonly;          /* the profile says readonly = true (and no --no-readonly) */
} ui_actor;

/* A mutating request in flight (for the audit line and the row marker). */
typedef struct ui_pending_action {
    unsigned long job;
    mps_action action;
    char *solution_id;
    char *name;
    unsigned long identity; /* as ui_actor; 0: the dashboard's profile */
    char *profile;          /* the actor's profile and app; NULL for identity 0 */
    char *app_id;
    char intent[17]; /* its write-ahead id in the audit log; "" when sent unrecorded */
    double started;  /* ui_now() when sent: the status area counts its time (ui-status.c) */
} ui_pending_action;

/* A set of ids (owned copies, hashed), for the removal of solutions a complete reload no longer
 * has. Adding and asking interleave: a sorted array would be sorted again for every question. */
typedef struct ui_idset {
    char **ids;
    size_t n, cap;
    strset index;
} ui_idset;

struct ui {
    const ui_options *opts;
    const mps_config *config;

    /* settings */
    bool readonly;
    bool mouse;
    bool utf8;
    bool demo;
    config_confirm confirm;
    int refresh_interval; /* seconds, 0 = off */
    char *audit_path;

    /* the profile and its connection */
    resolved_profile profile;
    bool profile_ok;
    bool on_sandbox;
    struct sandbox *sb;
    char *demo_dir;
    worker *w;
    char *app_name;
    unsigned long gen;         /* last generation handed out */
    unsigned long profile_gen; /* results older than this belong to another profile */
    unsigned long list_gen;    /* the list load whose results count */
    unsigned long list_job;
    bool list_loading;
    double list_load_started; /* ui_now() when the load in flight began */
    bool list_loaded;    /* one load completed for this profile */
    bool tab_unseen[STATE_COUNT]; /* a new request arrived in that state's tab, not yet viewed */
    size_t notify_count;          /* new requests noted since the last frame */
    char *notify_first;           /* the first one's name */
    double last_refresh; /* monotonic seconds of the last complete load, 0 = never */
    double next_refresh; /* when auto-refresh fires, 0 = not scheduled */
    graph_usage usage;
    ui_idset loading_ids, known_ids;
    ui_idset detail_requested;
    ui_pending_action *actions;
    size_t action_count;
    bool quit_when_done; /* "Wait" was chosen: quit once no action is in flight */
    strlist exit_report; /* what became of the actions that were in flight then */

    /* the data (the panel's selection and scroll positions are its own: ui-panel.h) */
    store *st;

    /* status line */
    char message[1024];
    ui_message_level message_level;
    double message_until; /* 0: stays */
    bool message_drawn;   /* an error stays until a key after it was on screen */
    unsigned spinner;
    double spinner_next;
    char clock_text[32];

    /* screen */
    WINDOW *w_header, *w_tabs, *w_list, *w_detail, *w_status;
    int rows, cols;
    int status_h;
    bool too_small;
    bool detail_right;
    bool screen_started;
    unsigned dirty;
    ui_theme theme;
    ui_keymap keys;
    strlist key_problems;
    ui_view base;
    ui_view *top_view;
    bool quit;
    char *clipboard;              /* text to copy with OSC 52 after the next doupdate */
    struct ui_feed *feed;         /* view-events.c: the profile's events file, tailed */
    struct ui_creating *creating; /* view-create.c: create requests in flight */
    struct ui_inbox *inbox;       /* view-inbox.c: the profiles' worker identities */
};

/* ---- ui-loop.c ---- */
double ui_now(void); /* monotonic seconds */
void ui_dirty(ui *u, unsigned flags);
/* Handles one key as the loop would (the tests use it too). */
void ui_handle_key(ui *u, int key);

/* ---- ui-layout.c ---- */
void ui_layout(ui *u);
void ui_layout_free(ui *u);
int ui_list_rows(const ui *u); /* item rows in the list window */

/* ---- ui-draw.c: text helpers; every string drawn is already sanitised ---- */
/* Writes s at (y, x) fitted (truncated with "…" or padded) to exactly cols columns. */
void ui_put(WINDOW *w, int y, int x, const char *s, int cols, attr_t attr);
/* A border in `border` with " title " on its top edge in title_attr, clipped to the width:
 * the frame every dialog and overlay draws first. */
void ui_frame(WINDOW *w, const char *title, attr_t border, attr_t title_attr);
/* Writes s at the cursor, at most max_cols columns, no padding; returns the columns used. */
int ui_add(WINDOW *w, const char *s, int max_cols, attr_t attr);
const char *ui_glyph_check(const ui *u);   /* ✓ or x */
const char *ui_glyph_dot(const ui *u);     /* · or - */
const char *ui_glyph_sep(const ui *u);     /* │ or | */
const char *ui_glyph_refresh(const ui *u); /* ⟳ or @ */
const char *ui_spinner_frame(const ui *u);

/* Lines of text with an attribute each, for overlays (dialogs, help, text boxes). */
typedef struct ui_line {
    char *text;
    attr_t attr;
} ui_line;
typedef struct ui_lines {
    ui_line *items;
    size_t n, cap;
} ui_lines;
void ui_lines_push(ui_lines *l, const char *text, attr_t attr);
/* Word-wraps text (each '\n' starts a paragraph) to width; continuation lines get indent. */
void ui_lines_wrap(ui_lines *l, const char *text, int width, int indent, attr_t attr);
void ui_lines_clear(ui_lines *l);

/* ---- ui-header.c, ui-tabs.c, ui-list.c, ui-detail.c, ui-status.c ---- */
void ui_header_draw(ui *u);
/* The "⟳ 12s ago" text for the header; changes at coarse steps only. */
void ui_header_clock(const ui *u, double now, char *buf, size_t size);
/* Seconds until that text changes (for the poll timeout). */
double ui_header_clock_next(const ui *u, double now);
void ui_tabs_draw(ui *u);
/* The filter tab at column x of the tab bar: 0 = All, 1 + state; -1 when none. */
int ui_tabs_hit(ui *u, int x);
void ui_list_draw(ui *u);
void ui_detail_draw(ui *u);
/* The permissions graph-api-notes.md lists, in its order (an open set: the server may know
 * more): the detail pane shows held ones in this order, the create form offers these. */
#define UI_PERMISSION_COUNT 15
extern const char *const ui_permissions[UI_PERMISSION_COUNT];
void ui_status_draw(ui *u);
void ui_message(ui *u, ui_message_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ui_message_clear(ui *u);
/* Lines the status area needs for the current message at this width. */
int ui_status_height(const ui *u);

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

/* ---- ui-data.c: the worker, the profile and results ---- */
/* Resolves a profile (NULL = the default one), starts its worker. Before or after curses. */
bool ui_data_connect(ui *u, const char *profile_name, const profile_overrides *ov, char *err,
                     size_t err_size);
void ui_data_disconnect(ui *u);
bool ui_data_start_demo(ui *u, char *err, size_t err_size);
void ui_data_stop_demo(ui *u);
void ui_refresh(ui *u);
void ui_data_poll(ui *u); /* drains the worker's results */
/* Fetches details for the selected solution when the list lacked them (fallback mode). */
void ui_data_want_detail(ui *u);
unsigned long ui_data_submit(ui *u, graph_op *op, ui_tag tag);
/* ui_data_submit as a worker identity (0: the dashboard's profile). */
unsigned long ui_data_submit_as(ui *u, unsigned long identity, graph_op *op, ui_tag tag);
/* A worker task (worker_submit_task) of this profile's generation; 0 without a worker (ctx is
 * then still the caller's). */
unsigned long ui_data_submit_task(ui *u, worker_task_fn run, void *ctx, void (*discard)(void *),
                                  ui_tag tag);
/* worker_task_stopping as an events_set_interrupt callback (arg: the worker_task). */
bool ui_task_stopping(void *task);
/* The graph options for a resolved profile (its token, app, URL; the dashboard's trace). The
 * strings stay rp's. */
void ui_data_graph_options(const ui *u, const resolved_profile *rp, graph_options *go);
/* Seconds one dashboard operation may take: --timeout, the timeout setting or the default. */
int ui_deadline_s(const ui *u);
bool ui_busy(const ui *u);
bool ui_profile_switch(ui *u, const char *name);
/* Auto-refresh interval after the API-usage slow-down; 0 = paused or off. */
double ui_refresh_interval_effective(const ui *u);
void ui_schedule_refresh(ui *u);

void ui_idset_add(ui_idset *s, const char *id);
bool ui_idset_has(const ui_idset *s, const char *id);
void ui_idset_clear(ui_idset *s);

/* ---- ui-actions.c: the one action dispatcher ---- */
/* Checks --readonly and action_offered, then opens the confirmation. */
void ui_action_request(ui *u, mps_action action);
/* The same for solution s as `as` (NULL: the dashboard's profile), whose app decides the role. */
void ui_action_request_as(ui *u, mps_action action, const mps_solution *s, const ui_actor *as);
/* The dialog confirmed: re-check and send as `as` (NULL: the dashboard's profile). shown is
 * what the dialog displayed (copied); reason (reject: rejection_reason) may be NULL or empty. */
void ui_action_submit(ui *u, mps_action action, const mps_solution *shown, const char *reason,
                      const ui_actor *as);
void ui_action_result(ui *u, worker_result *r);
bool ui_action_in_flight(const ui *u, const char *solution_id);
/* Writes an audit line for actions still in flight when the dashboard quits or switches. */
void ui_actions_abandon(ui *u, const char *why);
/* Only the dispatcher decides; views ask it what to show. */
bool ui_action_available(const ui *u, const mps_solution *s, mps_action a, const char **why);

/* ---- ui-dialog.c ---- */
/* as: whom the action will be sent as (copied; NULL: the dashboard's profile). */
void ui_dialog_open(ui *u, mps_action action, const mps_solution *s, const ui_actor *as);
/* A scrollable text box (what changed, the signup snippet...); copy_text non-NULL offers y. */
void ui_textbox_open(ui *u, const char *title, const char *text, const char *copy_text);

/* ---- ui-help.c, ui-cmdline.c ---- */
void ui_help_open(ui *u);
void ui_prompt_open_command(ui *u);
void ui_prompt_open_search(ui *u);
/* The resize op of one-line prompts: the screen's last line. */
void ui_prompt_resize(ui *u, ui_view *v);
/* Runs a ':' command line ("filter pending"). Messages go to the status line. */
void ui_command_run(ui *u, const char *line);

/* ---- ui-osc52 glue (ui-loop.c) ---- */
void ui_copy(ui *u, const char *text, const char *what);

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
/* ui-actions.c: the dispatcher's --readonly rule for mutating requests that are not
 * solution actions (create). Says why in the status line when it refuses. */
bool ui_mutation_allowed(ui *u, const char *verb);
/* ui-actions.c: appends e to the profile's audit log (u->audit_path, set); a failure is shown
 * in the status line. */
void ui_audit(ui *u, const audit_entry *e);

/* ---- what the views export beyond their registry entry (ui_view_NAME) ---- */
/* view-token.c: fetches a customer's business token through a solution, in an overlay. */
extern const ui_view_ops ui_token_ops;
void ui_token_open(ui *u, const char *solution_id, const char *business_id);
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
