/* Keys and named requests, in the manner of tig's keymaps: keys map to requests, never to code.
 * The request table and the keymap are ui-keys.c's. Needs no ui. */
#ifndef MPSDASH_UI_KEYS_H
#define MPSDASH_UI_KEYS_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/config.h" /* config_key */
#include "mpsdash/model.h"  /* strlist */
#include "mpsdash/state.h"  /* mps_action, what a mutating request asks for */
#include "ui-view-list.h"   /* UI_VIEW_INFO: the views, whose requests open them */

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
    REQ_NARROW,
    REQ_ACCEPT,
    REQ_REJECT,
    REQ_REQUEST_DEACTIVATION,
    REQ_ACCEPT_DEACTIVATION,
    REQ_REJECT_DEACTIVATION,
    REQ_COPY_ID,
    REQ_SIGNUP_SNIPPET,
    REQ_REVEAL,
/* the views beyond the panel (ui-view-list.h) */
#define UI_VIEW_REQUEST(tag, name, request, ...) REQ_##request,
    UI_VIEW_INFO(UI_VIEW_REQUEST)
#undef UI_VIEW_REQUEST
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

#endif
