/* The one line editor and the one yes/no button pair, in the manner of tig's prompt: the ':'
 * line, search, the typed confirmation, the create form's fields and the business id prompt
 * edit through ui_edit; every question and the create review answer through ui_buttons. Both
 * act on named requests looked up in their key context, never on raw keys (only the text a
 * printable key types is taken from the key itself). */
#ifndef MPSDASH_UI_INPUT_H
#define MPSDASH_UI_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "ui-keys.h"

typedef struct ui ui;

/* The request for key in a widget's context: its own keys first; a dialog then falls back to
 * the main keys (j/k scroll, Esc and q leave), a line being typed into does not. */
ui_request ui_input_request(const ui *u, ui_keys_ctx ctx, int key);

#define UI_EDIT_SIZE 2048 /* 500 characters of any script (rejection_reason) */

typedef struct ui_edit {
    char text[UI_EDIT_SIZE];
    size_t max;       /* bytes it may hold; 0: UI_EDIT_SIZE - 1 */
    size_t max_chars; /* characters it may hold; 0: no limit but max */
    bool digits;      /* only 0-9 (ids) */
} ui_edit;

typedef enum ui_edit_result {
    UI_EDIT_IGNORED,     /* not the line's: *req says what it is in the main keys */
    UI_EDIT_CHANGED,     /* typed, erased or cleared */
    UI_EDIT_NOT_DIGIT,   /* a digits-only line refused a character */
    UI_EDIT_FULL,        /* no room for the character */
    UI_EDIT_SUBMIT,      /* Enter */
    UI_EDIT_CANCEL,      /* Esc */
    UI_EDIT_ERASE_EMPTY, /* Backspace on an empty line (leaves a prompt, as in vim) */
    UI_EDIT_COMPLETE,    /* Tab */
} ui_edit_result;

/* Applies key to e. For UI_EDIT_IGNORED, *req (may be NULL) gets the key's main request. */
ui_edit_result ui_edit_key(const ui *u, ui_edit *e, int key, ui_request *req);
void ui_edit_set(ui_edit *e, const char *text);
/* The end of text that fits in cols columns: long input scrolls left, so the end (where typing
 * happens) stays visible. */
const char *ui_edit_tail(const char *text, int cols);

typedef enum ui_choice {
    UI_CHOICE_NONE, /* not the buttons': *req says what it is */
    UI_CHOICE_YES,
    UI_CHOICE_NO,
    UI_CHOICE_MOVED, /* the focus moved between the buttons */
} ui_choice;

/* Cancel (the default focus) and a yes button. */
typedef struct ui_buttons {
    bool focus_yes;
    bool away; /* the focus is on a field of the dialog: neither button is highlit */
} ui_buttons;

/* y (yes), n/Esc/q (no), Enter (the focused button), Tab/S-Tab/Left/Right/h/l (focus). */
ui_choice ui_buttons_key(const ui *u, ui_buttons *b, int key, ui_request *req);
/* "[ no ]   [ yes ]" centred on line y of w (inside its border), the focused one highlit. */
void ui_buttons_draw(ui *u, WINDOW *w, int y, const ui_buttons *b, const char *no_label,
                     const char *yes_label);

#endif
