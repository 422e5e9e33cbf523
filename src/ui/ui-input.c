/* The line editor and the yes/no buttons every prompt, dialog and form uses. */
#include "ui-input.h"
#include "ui-draw.h"
#include "ui-internal.h"
#include "ui-keys.h"

#include <stdio.h>
#include <string.h>

#include "mpsdash/text.h"

ui_request ui_input_request(const ui *u, ui_keys_ctx ctx, int key)
{
    ui_request req = ui_keymap_lookup_in(&u->keys, ctx, key);
    if (req == REQ_NONE && ctx != UI_KEYS_EDIT)
        req = ui_keymap_lookup(&u->keys, key);
    return req;
}

/* ---- the line editor --------------------------------------------------------------------- */

void ui_edit_set(ui_edit *e, const char *text)
{
    size_t max = e->max ? e->max : UI_EDIT_SIZE - 1;
    snprintf(e->text, max + 1 < sizeof e->text ? max + 1 : sizeof e->text, "%s", text ? text : "");
}

static ui_edit_result type_key(ui_edit *e, int key)
{
    char mb[8];
    if (!ui_key_text(key, mb, sizeof mb))
        return UI_EDIT_IGNORED;
    if (e->digits && (key < '0' || key > '9'))
        return UI_EDIT_NOT_DIGIT;
    size_t max = e->max ? e->max : UI_EDIT_SIZE - 1;
    size_t len = strlen(e->text), add = strlen(mb);
    if (len + add > max || len + add >= sizeof e->text)
        return UI_EDIT_FULL;
    if (e->max_chars && text_char_count(e->text) >= e->max_chars)
        return UI_EDIT_FULL;
    memcpy(e->text + len, mb, add + 1);
    return UI_EDIT_CHANGED;
}

ui_edit_result ui_edit_key(const ui *u, ui_edit *e, int key, ui_request *req)
{
    ui_request r = ui_input_request(u, UI_KEYS_EDIT, key);
    switch (r) {
    case REQ_SUBMIT:
        return UI_EDIT_SUBMIT;
    case REQ_CANCEL:
        return UI_EDIT_CANCEL;
    case REQ_COMPLETE:
        return UI_EDIT_COMPLETE;
    case REQ_CLEAR_LINE:
        e->text[0] = '\0';
        return UI_EDIT_CHANGED;
    case REQ_ERASE: {
        size_t n = strlen(e->text);
        if (n == 0)
            return UI_EDIT_ERASE_EMPTY;
        e->text[text_prev_char(e->text, n)] = '\0';
        return UI_EDIT_CHANGED;
    }
    default:
        break;
    }
    ui_edit_result res = type_key(e, key);
    if (res == UI_EDIT_IGNORED && req)
        *req = ui_keymap_lookup(&u->keys, key);
    return res;
}

const char *ui_edit_tail(const char *text, int cols)
{
    size_t start = 0;
    while (text[start] && text_width(text + start) > cols)
        start = text_next_char(text, start);
    return text + start;
}

/* ---- the buttons ------------------------------------------------------------------------- */

ui_choice ui_buttons_key(const ui *u, ui_buttons *b, int key, ui_request *req)
{
    ui_request r = ui_input_request(u, UI_KEYS_DIALOG, key);
    switch (r) {
    case REQ_YES:
        return UI_CHOICE_YES;
    case REQ_NO:
    case REQ_BACK:
    case REQ_QUIT:
        return UI_CHOICE_NO;
    case REQ_ENTER:
        return b->focus_yes ? UI_CHOICE_YES : UI_CHOICE_NO;
    case REQ_FOCUS_NEXT:
    case REQ_FOCUS_PREV:
    case REQ_FOCUS_LEFT:
    case REQ_FOCUS_RIGHT:
        b->focus_yes = !b->focus_yes;
        return UI_CHOICE_MOVED;
    default:
        if (req)
            *req = r;
        return UI_CHOICE_NONE;
    }
}

void ui_buttons_draw(ui *u, WINDOW *w, int y, const ui_buttons *b, const char *no_label,
                     const char *yes_label)
{
    attr_t body = ui_theme_attr(&u->theme, THEME_DIALOG);
    attr_t focus = ui_theme_attr(&u->theme, THEME_SELECTED) | A_BOLD;
    int wd = getmaxx(w);
    char no[96], yes[96];
    snprintf(no, sizeof no, "[ %s ]", no_label);
    snprintf(yes, sizeof yes, "[ %s ]", yes_label);
    int nw = text_width(no), yw = text_width(yes);
    int x = (wd - nw - yw - 3) / 2;
    if (x < 2)
        x = 2;
    ui_put(w, y, 1, "", wd - 2, body);
    ui_put(w, y, x, no, nw, b->focus_yes || b->away ? body : focus);
    ui_put(w, y, x + nw + 3, yes, yw, b->focus_yes && !b->away ? focus : body);
}
