/* Keys: the key -> named request table, key names both ways, and remapping from the config. */
#include "ui-keys.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* In ui_request order. The help overlay is generated from this table and the live keymap. */
/* clang-format off */
static const ui_request_info requests[REQ_COUNT] = {
    {REQ_NONE, "none", "", UI_GROUP_GENERAL, -1, {NULL}},
    {REQ_QUIT, "quit", "quit", UI_GROUP_GENERAL, -1, {"q", "F10"}},
    {REQ_HELP, "help", "show this help", UI_GROUP_GENERAL, -1, {"?", "F1"}},
    {REQ_COMMAND, "command", "command line (:filter, :sort, :role, :profile, :refresh, :q)",
     UI_GROUP_GENERAL, -1, {":"}},
    {REQ_REFRESH, "refresh", "reload the list now", UI_GROUP_GENERAL, -1, {"R", "F5"}},
    {REQ_REDRAW, "redraw", "repaint the whole screen", UI_GROUP_GENERAL, -1, {"C-l"}},
    {REQ_BACK, "back", "close the view or overlay, clear the message", UI_GROUP_GENERAL, -1,
     {"Esc", "h", "Left", "Backspace"}},
    {REQ_ENTER, "enter", "open: detail, then partners; a view's row; a button",
     UI_GROUP_GENERAL, -1, {"Enter"}},
    {REQ_MOVE_DOWN, "move-down", "next solution", UI_GROUP_MOVE, -1, {"j", "Down"}},
    {REQ_MOVE_UP, "move-up", "previous solution", UI_GROUP_MOVE, -1, {"k", "Up"}},
    {REQ_PAGE_DOWN, "page-down", "one page down", UI_GROUP_MOVE, -1, {"PgDn", "C-f", "C-d", "Space"}},
    {REQ_PAGE_UP, "page-up", "one page up", UI_GROUP_MOVE, -1, {"PgUp", "C-b", "C-u"}},
    {REQ_FIRST, "first", "first solution", UI_GROUP_MOVE, -1, {"g", "Home"}},
    {REQ_LAST, "last", "last solution", UI_GROUP_MOVE, -1, {"G", "End"}},
    {REQ_DETAIL_DOWN, "detail-down", "scroll the detail pane down", UI_GROUP_MOVE, -1, {"J"}},
    {REQ_DETAIL_UP, "detail-up", "scroll the detail pane up", UI_GROUP_MOVE, -1, {"K"}},
    {REQ_FILTER_NEXT, "filter-next", "next state tab", UI_GROUP_FILTER, -1, {"f", "Tab"}},
    {REQ_FILTER_PREV, "filter-prev", "previous state tab", UI_GROUP_FILTER, -1, {"F", "S-Tab"}},
    {REQ_FILTER_ALL, "filter-all", "show every state", UI_GROUP_FILTER, -1, {"1", "0"}},
    {REQ_FILTER_PENDING, "filter-pending", "show Pending", UI_GROUP_FILTER, -1, {"2"}},
    {REQ_FILTER_ACTIVE, "filter-active", "show Active", UI_GROUP_FILTER, -1, {"3"}},
    {REQ_FILTER_PENDING_DEACTIVATION, "filter-pending-deactivation", "show Pending deactivation",
     UI_GROUP_FILTER, -1, {"4"}},
    {REQ_FILTER_DRAFT, "filter-draft", "show Draft", UI_GROUP_FILTER, -1, {"5"}},
    {REQ_FILTER_INACTIVE, "filter-inactive", "show Inactive", UI_GROUP_FILTER, -1, {"6"}},
    {REQ_FILTER_DEACTIVATED, "filter-deactivated", "show Deactivated", UI_GROUP_FILTER, -1,
     {"7"}},
    {REQ_FILTER_OTHER, "filter-other", "show Other (unknown states)", UI_GROUP_FILTER, -1, {"8"}},
    {REQ_SORT_NEXT, "sort-next", "sort by the next column", UI_GROUP_FILTER, -1, {"s", "F6"}},
    {REQ_SORT_REVERSE, "sort-reverse", "reverse the sort order", UI_GROUP_FILTER, -1, {"S"}},
    {REQ_SEARCH, "search", "search name, id and app names", UI_GROUP_FILTER, -1, {"/", "F3"}},
    {REQ_SEARCH_NEXT, "search-next", "next match", UI_GROUP_FILTER, -1, {"n"}},
    {REQ_SEARCH_PREV, "search-prev", "previous match", UI_GROUP_FILTER, -1, {"N"}},
    {REQ_NARROW, "narrow", "show only the matching rows (as htop's \\ and less's &)",
     UI_GROUP_FILTER, -1, {"\\", "&", "F4"}},
    {REQ_ACCEPT, "accept", "accept the solution request", UI_GROUP_ACTION, ACTION_ACCEPT, {"a"}},
    {REQ_REJECT, "reject", "reject the solution request", UI_GROUP_ACTION, ACTION_REJECT, {"x"}},
    {REQ_REQUEST_DEACTIVATION, "request-deactivation", "ask the partner to deactivate",
     UI_GROUP_ACTION, ACTION_REQUEST_DEACTIVATION, {"D"}},
    {REQ_ACCEPT_DEACTIVATION, "accept-deactivation", "accept the deactivation request",
     UI_GROUP_ACTION, ACTION_ACCEPT_DEACTIVATION, {"A"}},
    {REQ_REJECT_DEACTIVATION, "reject-deactivation", "reject the deactivation request",
     UI_GROUP_ACTION, ACTION_REJECT_DEACTIVATION, {"X"}},
    {REQ_COPY_ID, "copy-id", "copy the solution id (OSC 52)", UI_GROUP_ACTION, -1, {"y"}},
    {REQ_SIGNUP_SNIPPET, "signup-snippet", "Embedded Signup snippet for the solution",
     UI_GROUP_ACTION, -1, {"e"}},
    {REQ_REVEAL, "reveal", "show or mask the business token (token view)", UI_GROUP_ACTION, -1,
     {"r"}},
/* the views' own rows, from their one line each in ui-view-list.h */
#define UI_VIEW_KEY_ROW(tag, name, request, request_name, key, help)                               \
    {REQ_##request, request_name, help, UI_GROUP_VIEWS, -1, {key}},
    UI_VIEW_INFO(UI_VIEW_KEY_ROW)
#undef UI_VIEW_KEY_ROW
    {REQ_YES, "yes", "confirm (the question's yes button)", UI_GROUP_DIALOG, -1, {"y", "Y"}},
    {REQ_NO, "no", "cancel the question", UI_GROUP_DIALOG, -1, {"n", "N"}},
    {REQ_FOCUS_NEXT, "focus-next", "next button or field", UI_GROUP_DIALOG, -1, {"Tab"}},
    {REQ_FOCUS_PREV, "focus-prev", "previous button or field", UI_GROUP_DIALOG, -1, {"S-Tab"}},
    {REQ_FOCUS_LEFT, "focus-left", "the button or checkbox to the left", UI_GROUP_DIALOG, -1,
     {"Left", "h"}},
    {REQ_FOCUS_RIGHT, "focus-right", "the button or checkbox to the right", UI_GROUP_DIALOG, -1,
     {"Right", "l"}},
    {REQ_TOGGLE, "toggle", "tick or clear the checkbox, press the button", UI_GROUP_DIALOG, -1,
     {"Space", "x"}},
    {REQ_SUBMIT, "submit", "run the line, send the form", UI_GROUP_EDIT, -1, {"Enter"}},
    {REQ_CANCEL, "cancel", "leave the line or form, nothing sent", UI_GROUP_EDIT, -1, {"Esc"}},
    {REQ_ERASE, "erase", "delete the character before the cursor", UI_GROUP_EDIT, -1,
     {"Backspace"}},
    {REQ_CLEAR_LINE, "clear-line", "clear the line", UI_GROUP_EDIT, -1, {"C-u"}},
    {REQ_COMPLETE, "complete", "complete a command name; next field", UI_GROUP_EDIT, -1, {"Tab"}},
};
/* clang-format on */

static const char *group_titles[UI_GROUP_COUNT] = {
    [UI_GROUP_GENERAL] = "General",
    [UI_GROUP_MOVE] = "Moving",
    [UI_GROUP_FILTER] = "Filter, sort, search",
    [UI_GROUP_ACTION] = "Actions",
    [UI_GROUP_VIEWS] = "Views (Esc, h or q goes back)",
    [UI_GROUP_DIALOG] = "In dialogs and forms (then the keys above)",
    [UI_GROUP_EDIT] = "While typing (every other key is text)",
};

/* Named keys, both directions; the first name of a key is the one shown. */
static const struct {
    const char *name;
    int key;
} key_names[] = {
    {"Up", UI_KEY_FN + KEY_UP},
    {"Down", UI_KEY_FN + KEY_DOWN},
    {"Left", UI_KEY_FN + KEY_LEFT},
    {"Right", UI_KEY_FN + KEY_RIGHT},
    {"PgUp", UI_KEY_FN + KEY_PPAGE},
    {"PageUp", UI_KEY_FN + KEY_PPAGE},
    {"PgDn", UI_KEY_FN + KEY_NPAGE},
    {"PageDown", UI_KEY_FN + KEY_NPAGE},
    {"Home", UI_KEY_FN + KEY_HOME},
    {"End", UI_KEY_FN + KEY_END},
    {"Insert", UI_KEY_FN + KEY_IC},
    {"Delete", UI_KEY_FN + KEY_DC},
    {"Backspace", UI_KEY_BACKSPACE},
    {"S-Tab", UI_KEY_FN + KEY_BTAB},
    {"BTab", UI_KEY_FN + KEY_BTAB},
    {"Tab", UI_KEY_TAB},
    {"Enter", UI_KEY_ENTER},
    {"Return", UI_KEY_ENTER},
    {"Esc", UI_KEY_ESC},
    {"Escape", UI_KEY_ESC},
    {"Space", ' '},
};

const ui_request_info *ui_request_get(ui_request r)
{
    if ((int)r < 0 || r >= REQ_COUNT)
        return &requests[REQ_NONE];
    return &requests[r];
}

ui_request ui_request_parse(const char *name)
{
    if (!name)
        return REQ_NONE;
    for (int i = 1; i < REQ_COUNT; i++)
        if (strcasecmp(requests[i].name, name) == 0)
            return (ui_request)i;
    return REQ_NONE;
}

const char *ui_request_group_title(ui_request_group g)
{
    return g < UI_GROUP_COUNT ? group_titles[g] : "";
}

bool ui_request_mutating(ui_request r)
{
    return ui_request_get(r)->action >= 0;
}

ui_keys_ctx ui_request_context(ui_request r)
{
    switch (ui_request_get(r)->group) {
    case UI_GROUP_DIALOG:
        return UI_KEYS_DIALOG;
    case UI_GROUP_EDIT:
        return UI_KEYS_EDIT;
    default:
        return UI_KEYS_MAIN;
    }
}

bool ui_key_is_control(int key)
{
    return (key >= 0 && key < 32) || key == 127;
}

int ui_key_from_wch(int rc, wint_t wch)
{
    if (rc == KEY_CODE_YES) {
        if (wch == KEY_ENTER)
            return UI_KEY_ENTER;
        return UI_KEY_FN + (int)wch;
    }
    if (wch == '\r')
        return UI_KEY_ENTER;
    if (wch == 127 || wch == 8)
        return UI_KEY_BACKSPACE;
    return (int)wch;
}

bool ui_key_parse(const char *spec, int *key)
{
    if (!spec || !*spec)
        return false;
    for (size_t i = 0; i < COUNT_OF(key_names); i++) {
        if (strcasecmp(spec, key_names[i].name) == 0) {
            *key = key_names[i].key;
            return true;
        }
    }
    /* C-x and ^x: control keys. */
    if ((strncasecmp(spec, "C-", 2) == 0 && spec[2] && !spec[3]) ||
        (spec[0] == '^' && spec[1] && !spec[2])) {
        char c = spec[0] == '^' ? spec[1] : spec[2];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c < '@' || c > '_')
            return false;
        *key = c - '@';
        return true;
    }
    if ((spec[0] == 'F' || spec[0] == 'f') && spec[1]) {
        char *end;
        long n = strtol(spec + 1, &end, 10);
        if (!*end && n >= 1 && n <= 24) {
            *key = UI_KEY_FN + KEY_F((int)n);
            return true;
        }
    }
    /* One printable character (UTF-8). */
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    wchar_t wc;
    size_t len = strlen(spec);
    size_t used = mbrtowc(&wc, spec, len, &ps);
    if (used == (size_t)-1 || used == (size_t)-2 || used == 0 || used != len)
        return false;
    if (ui_key_is_control((int)wc) || (wc >= 0x80 && wc < 0xa0))
        return false;
    *key = (int)wc;
    return true;
}

void ui_key_name(int key, char *buf, size_t size)
{
    if (size == 0)
        return;
    for (size_t i = 0; i < COUNT_OF(key_names); i++) {
        if (key_names[i].key == key) {
            snprintf(buf, size, "%s", key_names[i].name);
            return;
        }
    }
    if (key >= UI_KEY_FN + KEY_F(1) && key <= UI_KEY_FN + KEY_F(24)) {
        snprintf(buf, size, "F%d", key - UI_KEY_FN - KEY_F(0));
        return;
    }
    if (key >= UI_KEY_FN) {
        const char *kn = keyname(key - UI_KEY_FN);
        snprintf(buf, size, "%s", kn ? kn : "?");
        return;
    }
    if (ui_key_is_control(key)) {
        snprintf(buf, size, "C-%c", key == 127 ? '?' : (char)(key + 'a' - 1));
        return;
    }
    char mb[MB_LEN_MAX + 1];
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    size_t n = wcrtomb(mb, (wchar_t)key, &ps);
    if (n == (size_t)-1)
        n = 0;
    mb[n] = '\0';
    snprintf(buf, size, "%s", n ? mb : "?");
}

static void bind(ui_keymap *km, int key, ui_request req)
{
    ui_keys_ctx ctx = ui_request_context(req);
    for (size_t i = 0; i < km->n; i++) {
        if (km->b[i].ctx == ctx && km->b[i].key == key) {
            km->b[i].req = req;
            return;
        }
    }
    if (km->n == km->cap) {
        km->cap = km->cap ? km->cap * 2 : 64;
        km->b = mps_xrealloc(km->b, km->cap * sizeof *km->b);
    }
    km->b[km->n].ctx = ctx;
    km->b[km->n].key = key;
    km->b[km->n].req = req;
    km->n++;
}

static void unbind_request(ui_keymap *km, ui_request req)
{
    size_t out = 0;
    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].req != req)
            km->b[out++] = km->b[i];
    km->n = out;
}

void ui_keymap_clear(ui_keymap *km)
{
    free(km->b);
    memset(km, 0, sizeof *km);
}

void ui_keymap_defaults(ui_keymap *km)
{
    ui_keymap_clear(km);
    for (int r = 1; r < REQ_COUNT; r++) {
        for (size_t k = 0; k < 4 && requests[r].keys[k]; k++) {
            int key;
            if (ui_key_parse(requests[r].keys[k], &key))
                bind(km, key, (ui_request)r);
        }
    }
}

static void problem(strlist *problems, int line, const char *fmt, const char *a, const char *b)
{
    mps_errtext msg, full;
    snprintf(msg, sizeof msg, fmt, a, b ? b : "");
    if (line > 0)
        text_format(full, sizeof full, "keys (line %d): %s", line, msg);
    else
        text_format(full, sizeof full, "keys: %s", msg);
    strlist_push(problems, full);
}

void ui_keymap_apply(ui_keymap *km, const config_key *keys, size_t n, strlist *problems)
{
    /* A request named in the config loses its default keys once, before its first new key. */
    bool replaced[REQ_COUNT] = {false};
    for (size_t i = 0; i < n; i++) {
        const config_key *ck = &keys[i];
        ui_request req = ui_request_parse(ck->request);
        if (req == REQ_NONE) {
            problem(problems, ck->line, "unknown request '%s'%s", ck->request ? ck->request : "",
                    NULL);
            continue;
        }
        int key;
        if (!ui_key_parse(ck->spec, &key)) {
            problem(problems, ck->line, "cannot read key '%s' for %s", ck->spec ? ck->spec : "",
                    ck->request);
            continue;
        }
        /* tmux and screen users hit Ctrl keys by habit: nothing irreversible lives there. */
        if (ui_request_mutating(req) && ui_key_is_control(key)) {
            problem(problems, ck->line, "'%s' is a control key: %s may not be bound to it",
                    ck->spec, ck->request);
            continue;
        }
        if (!replaced[req]) {
            unbind_request(km, req);
            replaced[req] = true;
        }
        bind(km, key, req);
    }
}

ui_request ui_keymap_lookup_in(const ui_keymap *km, ui_keys_ctx ctx, int key)
{
    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].ctx == ctx && km->b[i].key == key)
            return km->b[i].req;
    return REQ_NONE;
}

ui_request ui_keymap_lookup(const ui_keymap *km, int key)
{
    return ui_keymap_lookup_in(km, UI_KEYS_MAIN, key);
}

void ui_keymap_describe(const ui_keymap *km, ui_request r, size_t max_keys, char *buf, size_t size)
{
    if (size == 0)
        return;
    buf[0] = '\0';
    size_t used = 0, shown = 0;
    for (size_t i = 0; i < km->n && shown < max_keys; i++) {
        if (km->b[i].req != r)
            continue;
        char name[32];
        ui_key_name(km->b[i].key, name, sizeof name);
        int w = snprintf(buf + used, size - used, "%s%s", shown ? "/" : "", name);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
        shown++;
    }
}

bool ui_key_text(int key, char *buf, size_t size)
{
    if (key >= UI_KEY_FN || ui_key_is_control(key) || (key >= 0x80 && key < 0xa0) || size == 0)
        return false;
    char mb[MB_LEN_MAX + 1];
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    size_t n = wcrtomb(mb, (wchar_t)key, &ps);
    if (n == (size_t)-1 || n >= size)
        return false;
    memcpy(buf, mb, n);
    buf[n] = '\0';
    return true;
}
