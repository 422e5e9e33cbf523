/* The ui itself: `struct ui` (what the loop, the panel and the views share), the redraw flags,
 * the status line and the panel's parts. Each concern has its own header, which this one
 * includes for the types the struct holds: ui-keys.h (requests, the keymap), ui-draw.h (theme,
 * drawing), ui-views.h (the registry, the view stack), ui-data.h (the worker, jobs, results),
 * ui-actions.h (the dispatcher); the panel's own state is ui-panel.h's and the terminal's escapes
 * ui-term.h's. Only src/ui (and the UI's unit tests) include these. */
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
#include "ui-actions.h"
#include "ui-data.h"
#include "ui-draw.h"
#include "ui-keys.h"
#include "ui-views.h"

#define UI_MIN_COLS 60
#define UI_MIN_ROWS 12
#define UI_DETAIL_RIGHT_COLS 110 /* from this width on the detail pane sits right of the list */
#define UI_DETAIL_BELOW_MIN 10   /* lines of the detail pane below the list, its rule included */
#define UI_TOO_SMALL_TEXT "terminal too small (need 60x12)"

struct sandbox;

/* ------------------------------------------------------------------------------ the ui */

/* Redraw flags: what to draw in the next frame (neomutt's reflow -> recalc -> repaint).
 * Unsigned like the set that holds them (an enum's constants are int, and ~ of one is negative). */
#define UI_DIRTY_HEADER (1u << 0)
#define UI_DIRTY_TABS (1u << 1)
#define UI_DIRTY_LIST (1u << 2)
#define UI_DIRTY_DETAIL (1u << 3)
#define UI_DIRTY_STATUS (1u << 4)
#define UI_DIRTY_LAYOUT (1u << 5)
#define UI_DIRTY_BODY (UI_DIRTY_TABS | UI_DIRTY_LIST | UI_DIRTY_DETAIL)
#define UI_DIRTY_ALL 0x3fu

typedef enum ui_message_level {
    UI_MSG_NONE,
    UI_MSG_INFO,
    UI_MSG_WARNING,
    UI_MSG_ERROR
} ui_message_level;

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
    double list_load_started;     /* ui_now() when the load in flight began */
    graph_progress list_progress; /* its attempt n of m while a page is asked for again */
    bool list_loaded;             /* one load completed for this profile */
    bool tab_unseen[STATE_COUNT]; /* a new request arrived in that state's tab, not yet viewed */
    size_t notify_count;          /* new requests noted since the last frame */
    char *notify_first;           /* the first one's name */
    double last_refresh;          /* monotonic seconds of the last complete load, 0 = never */
    double next_refresh;          /* when auto-refresh fires, 0 = not scheduled */
    graph_usage usage;
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
/* A job's progress (a progress_only worker result): the list load's or an action's attempt n
 * of m, shown in the in-flight line while a GET is retried. */
void ui_status_progress(ui *u, const worker_result *r);

/* ---- ui-osc52 glue (ui-loop.c) ---- */
void ui_copy(ui *u, const char *text, const char *what);

#endif
