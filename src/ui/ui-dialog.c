/* Confirmations (exactly what will happen, focus on Cancel, y or a typed word to confirm) and
 * a scrollable text box for what changed and the Embedded Signup snippet. */
#include "ui-actions.h"
#include "ui-draw.h"
#include "ui-input.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-views.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"

#define DIALOG_MAX_W 78
#define LABEL_W 12
#define REASON_MAX_CHARS 500 /* rejection_reason's maxLength in Meta's OpenAPI description */

typedef struct dialog {
    mps_action action;
    mps_solution *shown; /* the snapshot the user reviews; the op re-checks against it */
    ui_buttons buttons;  /* Cancel has the focus first */
    bool typed;
    char expected[16]; /* typed mode: the last digits of the solution id (text_confirm_code) */
    ui_edit input;
    char note[320];  /* "type X first" */
    bool has_reason; /* reject: an optional rejection_reason field, reached with Tab */
    bool on_reason;  /* the focus is in it (buttons.away) */
    ui_edit reason;
    int scroll;
    /* Whom it is sent as: from the inbox, the row's profile (else the dashboard's). */
    bool as_other;
    char *as_profile, *as_app_id;
    unsigned long as_identity;
} dialog;

/* ---- shared frame ------------------------------------------------------------------------ */

/* Draws a bordered box titled `title` and lines[scroll..] inside it; returns inner height. */
static int draw_frame(ui *u, WINDOW *w, const char *title, const ui_lines *lines, int *scroll,
                      int footer_lines, bool danger)
{
    int h = getmaxy(w), wd = getmaxx(w);
    attr_t base = ui_theme_attr(&u->theme, danger ? THEME_DIALOG_DANGER : THEME_DIALOG);
    attr_t border = ui_theme_attr(&u->theme, THEME_BORDER);
    attr_t body = ui_theme_attr(&u->theme, THEME_DIALOG);
    ui_frame(w, title, border, base | A_BOLD);
    int inner = h - 2 - footer_lines;
    if (inner < 0)
        inner = 0;
    int max_scroll = (int)lines->n > inner ? (int)lines->n - inner : 0;
    if (*scroll > max_scroll)
        *scroll = max_scroll;
    if (*scroll < 0)
        *scroll = 0;
    for (int y = 0; y < inner; y++) {
        size_t i = (size_t)y + (size_t)*scroll; /* both >= 0 here */
        ui_put(w, 1 + y, 1, " ", 1, body);
        if (i < lines->n)
            ui_put(w, 1 + y, 2, lines->items[i].text, wd - 4, lines->items[i].attr);
        else
            ui_put(w, 1 + y, 2, "", wd - 4, body);
        ui_put(w, 1 + y, wd - 2, " ", 1, body);
    }
    if (*scroll < max_scroll)
        ui_put(w, h - 1 - footer_lines > 0 ? h - 1 : 0, wd - 10,
               u->utf8 ? " \u2193 more " : " v more ", 8, border);
    return inner;
}

/* ---- confirmation dialog ----------------------------------------------------------------- */

static void app_line(char *buf, size_t size, const mps_app *a)
{
    if (a->name && a->id)
        snprintf(buf, size, "%s (%s)", a->name, a->id);
    else
        snprintf(buf, size, "%s", a->name ? a->name : a->id ? a->id : "?");
}

static void perm_list(char *buf, size_t size, const strlist *perms, bool known)
{
    size_t n = 0;
    buf[0] = '\0';
    if (!known) {
        snprintf(buf, size, "(not known)");
        return;
    }
    if (perms->count == 0) {
        snprintf(buf, size, "none");
        return;
    }
    for (size_t i = 0; i < perms->count && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", perms->items[i]);
}

static void labelled(ui_lines *l, int width, const char *label, const char *value, attr_t attr)
{
    char *line = mps_xasprintf("%-*s%s", LABEL_W, label, value ? value : "");
    ui_lines_wrap(l, line, width, LABEL_W, attr);
    free(line);
}

static void build_dialog(ui *u, const dialog *d, int width, ui_lines *l)
{
    const mps_solution *s = d->shown;
    const action_info *ai = action_get(d->action);
    attr_t body = ui_theme_attr(&u->theme, THEME_DIALOG);
    attr_t danger = ui_theme_attr(&u->theme, THEME_DIALOG_DANGER) | A_BOLD;
    char buf[2048];

    if (d->as_other) {
        /* From the inbox: the profile (and so the token) it goes out under comes first. */
        snprintf(buf, sizeof buf, "profile %s, app %s", d->as_profile, d->as_app_id);
        labelled(l, width, "Sent as", buf, body | A_BOLD);
    }
    labelled(l, width, "Solution", s->name ? s->name : "(no name)", body | A_BOLD);
    labelled(l, width, "Id", s->id, body);
    labelled(l, width, "State", solution_state_text(s), body);
    app_line(buf, sizeof buf, &s->owner_app);
    labelled(l, width, "Owner app", buf, body);
    for (size_t k = 0; k < s->partner_count; k++) {
        app_line(buf, sizeof buf, &s->partners[k].app);
        labelled(l, width, k == 0 ? "Partner app" : "", buf, body);
    }
    bool partner_is_us = solution_partner_is_us(s, u->profile.app_id);
    if (partner_is_us) {
        mps_app us = {.id = u->profile.app_id, .name = u->app_name};
        app_line(buf, sizeof buf, &us);
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, ", your app");
        labelled(l, width, "Partner app", buf, body);
    } else if (s->partner_count == 0) {
        labelled(l, width, "Partner app",
                 s->partners_unavailable ? "(not available from this server)" : "(not known)",
                 body);
    }
    ui_lines_push(l, "", body);

    if (d->action == ACTION_ACCEPT) {
        ui_lines_wrap(l, "Customers onboarded with this solution will grant:", width, 0, body);
        for (size_t k = 0; k < s->partner_count; k++) {
            const mps_partner *p = &s->partners[k];
            char perms[1500];
            perm_list(perms, sizeof perms, &p->permissions, p->has_permissions);
            snprintf(buf, sizeof buf, "  %s (partner app): %s",
                     p->app.name ? p->app.name
                     : p->app.id ? p->app.id
                                 : "?",
                     perms);
            ui_lines_wrap(l, buf, width, 4, body);
        }
        if (s->partners_unavailable) { /* say what cannot be reviewed rather than hide it */
            snprintf(buf, sizeof buf, "  %s (partner app): not available from this server",
                     partner_is_us && u->app_name ? u->app_name : "the partner app");
            ui_lines_wrap(l, buf, width, 4, body);
        }
        char perms[1500];
        perm_list(perms, sizeof perms, &s->owner_permissions, s->has_owner_permissions);
        snprintf(buf, sizeof buf, "  %s (owner app): %s",
                 s->owner_app.name ? s->owner_app.name
                 : s->owner_app.id ? s->owner_app.id
                                   : "?",
                 perms);
        ui_lines_wrap(l, buf, width, 4, body);
        ui_lines_push(l, "", body);
    }
    /* The irreversible one gets its warning alone, in the danger style, not buried in prose. */
    if (ai->irreversible)
        ui_lines_wrap(l, "This is final: the solution cannot be declined once accepted.", width, 0,
                      danger);
    else if (ai->effect)
        ui_lines_wrap(l, ai->effect, width, 0, body);
    ui_lines_wrap(l,
                  "Before sending, the solution is fetched again; if anything shown here "
                  "changed, nothing is sent.",
                  width, 0, ui_theme_attr(&u->theme, THEME_DIM));
}

static void dialog_footer(ui *u, ui_view *v, dialog *d, int y)
{
    WINDOW *w = v->win;
    int wd = getmaxx(w);
    attr_t body = ui_theme_attr(&u->theme, THEME_DIALOG);
    const action_info *ai = action_get(d->action);
    char line[300];

    if (d->typed) {
        snprintf(line, sizeof line, "Type \"%s\" (id's last digits) to confirm: ", d->expected);
        ui_put(w, y, 1, " ", 1, body);
        int x = 2;
        int lw = text_width(line);
        ui_put(w, y, x, line, lw < wd - 4 ? lw : wd - 4, body);
        x += lw;
        if (x < wd - 2) {
            ui_put(w, y, x, d->input.text, wd - 2 - x, body | A_UNDERLINE);
            v->cursor_visible = true;
            v->cursor_y = y;
            int cx = x + text_width(d->input.text);
            v->cursor_x = cx < wd - 2 ? cx : wd - 3;
        }
        y++;
    } else {
        v->cursor_visible = false;
    }
    if (d->has_reason) {
        static const char label[] = "Reason (optional, Tab): ";
        attr_t focus = ui_theme_attr(&u->theme, THEME_SELECTED) | A_BOLD;
        int lw = text_width(label);
        ui_put(w, y, 1, " ", 1, body);
        ui_put(w, y, 2, label, lw < wd - 4 ? lw : wd - 4, d->on_reason ? focus : body);
        int x = 2 + lw;
        if (x < wd - 2) {
            const char *shown = ui_edit_tail(d->reason.text, wd - 3 - x);
            ui_put(w, y, x, shown, wd - 2 - x, body | A_UNDERLINE);
            if (d->on_reason) {
                v->cursor_visible = true;
                v->cursor_y = y;
                int cx = x + text_width(shown);
                v->cursor_x = cx < wd - 2 ? cx : wd - 3;
            }
        }
        y++;
    }
    /* The button says the verb: "Accept", "Request deactivation". */
    char confirm[96];
    int n = snprintf(confirm, sizeof confirm, "%s", ai->verb);
    for (int i = 0; i < n; i++)
        if (confirm[i] == '-')
            confirm[i] = ' ';
    if (n > 0)
        confirm[0] = (char)toupper((unsigned char)confirm[0]);
    ui_buttons_draw(u, w, y, &d->buttons, "Cancel", confirm);
    y++;
    const char *hint = d->note[0] ? d->note
                       : d->typed ? "Enter on the button  Tab moves  Esc cancels"
                                  : "y confirm  n/Esc cancel  Tab moves  Enter activates";
    ui_put(w, y, 1, " ", 1, body);
    ui_put(w, y, 2, hint, wd - 4,
           d->note[0] ? ui_theme_attr(&u->theme, THEME_WARNING)
                      : ui_theme_attr(&u->theme, THEME_DIM));
}

static int dialog_footer_lines(const dialog *d)
{
    return (d->typed ? 1 : 0) + (d->has_reason ? 1 : 0) + 2;
}

static void dialog_draw(ui *u, ui_view *v)
{
    dialog *d = v->data;
    if (!v->win)
        return;
    int wd = getmaxx(v->win);
    ui_lines l = {0};
    build_dialog(u, d, wd - 4, &l);
    int inner = draw_frame(u, v->win, action_get(d->action)->title, &l, &d->scroll,
                           dialog_footer_lines(d), action_get(d->action)->irreversible);
    dialog_footer(u, v, d, 1 + inner);
    ui_lines_clear(&l);
}

static void dialog_resize(ui *u, ui_view *v)
{
    dialog *d = v->data;
    if (v->win)
        delwin(v->win);
    int wd = u->cols - 4 < DIALOG_MAX_W ? u->cols - 4 : DIALOG_MAX_W;
    ui_lines l = {0};
    build_dialog(u, d, wd - 4, &l);
    int h = (int)l.n + 2 + dialog_footer_lines(d);
    ui_lines_clear(&l);
    v->win = ui_view_center_window(u, h, wd);
    v->dirty = true;
}

static void dialog_destroy(ui *u, ui_view *v)
{
    (void)u;
    dialog *d = v->data;
    solution_free(d->shown);
    free(d->as_profile);
    free(d->as_app_id);
    free(d);
}

static void dialog_confirm(ui *u, ui_view *v)
{
    dialog *d = v->data;
    if (d->typed && strcmp(d->input.text, d->expected) != 0) {
        snprintf(d->note, sizeof d->note, "type \"%s\" first (the last digits of the id)",
                 d->expected);
        v->dirty = true;
        return;
    }
    mps_action action = d->action;
    mps_solution *shown = d->shown;
    d->shown = NULL;
    /* Copied first: d dies in the pop. */
    char *reason = d->has_reason && d->reason.text[0] ? mps_xstrdup(d->reason.text) : NULL;
    char *as_profile = d->as_profile, *as_app_id = d->as_app_id;
    d->as_profile = d->as_app_id = NULL;
    ui_actor as = {.profile = as_profile, .app_id = as_app_id, .identity = d->as_identity};
    bool other = d->as_other;
    ui_view_pop(u);
    ui_action_submit(u, action, shown, reason, other ? &as : NULL);
    solution_free(shown);
    free(reason);
    free(as_profile);
    free(as_app_id);
}

static void dialog_cancel(ui *u)
{
    ui_view_pop(u);
    ui_message(u, UI_MSG_INFO, "cancelled: nothing was sent");
}

/* Tab order: Cancel, the action's button, the reason field (reject) and round again. */
static void focus_step(dialog *d, int dir)
{
    int count = d->has_reason ? 3 : 2;
    int at = d->on_reason ? 2 : d->buttons.focus_yes ? 1 : 0;
    at = (at + dir + count) % count;
    d->on_reason = at == 2;
    d->buttons.away = d->on_reason;
    d->buttons.focus_yes = at == 1;
}

/* The line a key types into: the reason field in focus, else the typed confirmation. */
static ui_edit *typing_line(dialog *d)
{
    return d->on_reason ? &d->reason : d->typed ? &d->input : NULL;
}

static int dialog_key(ui *u, ui_view *v, int key, ui_request req)
{
    dialog *d = v->data;
    d->note[0] = '\0';
    v->dirty = true;
    if (req == REQ_REDRAW)
        return UI_UNHANDLED;
    ui_edit *line = typing_line(d);
    if (line) {
        /* Printable keys are text here; Enter, Esc and Tab act as on the buttons. */
        switch (ui_edit_key(u, line, key, NULL)) {
        case UI_EDIT_CANCEL:
            dialog_cancel(u);
            return UI_HANDLED;
        case UI_EDIT_SUBMIT:
            if (d->on_reason) /* never sends from the reason: back to Cancel */
                focus_step(d, 1);
            else if (d->buttons.focus_yes)
                dialog_confirm(u, v);
            else
                dialog_cancel(u);
            return UI_HANDLED;
        case UI_EDIT_COMPLETE:
            focus_step(d, 1);
            return UI_HANDLED;
        case UI_EDIT_FULL:
            if (d->on_reason)
                snprintf(d->note, sizeof d->note, "Meta documents at most %d characters",
                         REASON_MAX_CHARS);
            return UI_HANDLED;
        case UI_EDIT_IGNORED:
            break;
        default:
            return UI_HANDLED;
        }
    }
    ui_request own = ui_input_request(u, UI_KEYS_DIALOG, key);
    if (d->has_reason && (own == REQ_FOCUS_NEXT || own == REQ_FOCUS_RIGHT ||
                          own == REQ_FOCUS_PREV || own == REQ_FOCUS_LEFT)) {
        focus_step(d, own == REQ_FOCUS_NEXT || own == REQ_FOCUS_RIGHT ? 1 : -1);
        return UI_HANDLED;
    }
    ui_request other = REQ_NONE;
    switch (ui_buttons_key(u, &d->buttons, key, &other)) {
    case UI_CHOICE_YES:
        dialog_confirm(u, v);
        return UI_HANDLED;
    case UI_CHOICE_NO:
        dialog_cancel(u);
        return UI_HANDLED;
    case UI_CHOICE_MOVED:
        return UI_HANDLED;
    case UI_CHOICE_NONE:
        break;
    }
    if (other == REQ_MOVE_DOWN || other == REQ_PAGE_DOWN)
        d->scroll += other == REQ_MOVE_DOWN ? 1 : 5;
    else if (other == REQ_MOVE_UP || other == REQ_PAGE_UP)
        d->scroll -= other == REQ_MOVE_UP ? 1 : 5;
    return UI_HANDLED; /* modal: nothing reaches the list while it is open */
}

const ui_view_ops ui_dialog_ops = {
    .name = "confirm",
    .covers_body = false,
    .draw = dialog_draw,
    .key = dialog_key,
    .resize = dialog_resize,
    .destroy = dialog_destroy,
};

void ui_dialog_open(ui *u, mps_action action, const mps_solution *s, const ui_actor *as)
{
    dialog *d = mps_xcalloc(1, sizeof *d);
    if (as) {
        d->as_other = true;
        d->as_profile = mps_xstrdup(as->profile ? as->profile : "?");
        d->as_app_id = mps_xstrdup(as->app_id ? as->app_id : "?");
        d->as_identity = as->identity;
    }
    d->action = action;
    d->shown = solution_dup(s);
    d->input.max = 127;
    d->has_reason = action == ACTION_REJECT;
    d->reason.max_chars = REASON_MAX_CHARS;
    d->typed = u->confirm == CONFIG_CONFIRM_TYPED;
    text_confirm_code(s->id, d->expected, sizeof d->expected);
    ui_view_push(u, &ui_dialog_ops, d);
}

/* ---- text box ---------------------------------------------------------------------------- */

typedef struct textbox {
    char *title;
    char *text;
    char *copy_text;
    int indent; /* where a wrapped line goes on: the value column of a labelled box */
    int scroll;
} textbox;

static void textbox_build(ui *u, const textbox *t, int width, ui_lines *l)
{
    ui_lines_wrap(l, t->text, width, t->indent, ui_theme_attr(&u->theme, THEME_DIALOG));
}

static void textbox_draw(ui *u, ui_view *v)
{
    textbox *t = v->data;
    if (!v->win)
        return;
    int wd = getmaxx(v->win), h = getmaxy(v->win);
    ui_lines l = {0};
    textbox_build(u, t, wd - 4, &l);
    draw_frame(u, v->win, t->title, &l, &t->scroll, 1, false);
    ui_lines_clear(&l);
    char hint[128];
    snprintf(hint, sizeof hint, "%sj/k scroll  Esc close", t->copy_text ? "y copy  " : "");
    ui_put(v->win, h - 2, 1, " ", 1, ui_theme_attr(&u->theme, THEME_DIALOG));
    ui_put(v->win, h - 2, 2, hint, wd - 4, ui_theme_attr(&u->theme, THEME_DIM));
}

static void textbox_resize(ui *u, ui_view *v)
{
    textbox *t = v->data;
    if (v->win)
        delwin(v->win);
    int wd = u->cols - 4 < 90 ? u->cols - 4 : 90;
    ui_lines l = {0};
    textbox_build(u, t, wd - 4, &l);
    int h = (int)l.n + 3;
    ui_lines_clear(&l);
    v->win = ui_view_center_window(u, h, wd);
    v->dirty = true;
}

static void textbox_destroy(ui *u, ui_view *v)
{
    (void)u;
    textbox *t = v->data;
    free(t->title);
    free(t->text);
    free(t->copy_text);
    free(t);
}

static int textbox_key(ui *u, ui_view *v, int key, ui_request req)
{
    (void)key;
    textbox *t = v->data;
    v->dirty = true;
    switch (req) {
    case REQ_REDRAW:
        return UI_UNHANDLED;
    case REQ_COPY_ID:
        if (t->copy_text)
            ui_copy(u, t->copy_text, "snippet");
        break;
    case REQ_MOVE_DOWN:
        t->scroll++;
        break;
    case REQ_MOVE_UP:
        t->scroll--;
        break;
    case REQ_PAGE_DOWN:
        t->scroll += 10;
        break;
    case REQ_PAGE_UP:
        t->scroll -= 10;
        break;
    case REQ_BACK:
    case REQ_QUIT:
    case REQ_ENTER:
        ui_view_pop(u);
        break;
    default:
        break;
    }
    return UI_HANDLED;
}

const ui_view_ops ui_textbox_ops = {
    .name = "text",
    .covers_body = false,
    .draw = textbox_draw,
    .key = textbox_key,
    .resize = textbox_resize,
    .destroy = textbox_destroy,
};

static textbox *textbox_new(const char *title, const char *text, const char *copy_text)
{
    textbox *t = mps_xcalloc(1, sizeof *t);
    /* The snippet is multi-line ASCII; other text may quote the server: keep line breaks only. */
    t->title = text_sanitize(title, strlen(title), false);
    t->text = text_sanitize(text, strlen(text), true);
    t->copy_text = mps_xstrdup(copy_text);
    return t;
}

void ui_textbox_open(ui *u, const char *title, const char *text, const char *copy_text)
{
    ui_view_push(u, &ui_textbox_ops, textbox_new(title, text, copy_text));
}

void ui_textbox_open_fields(ui *u, const char *title, const ui_field *fields, size_t n,
                            const char *note)
{
    /* One value column for every row, after the widest label: no label is cut or pushes its
     * value out of line, and a long value wraps under the values. */
    int lw = 0;
    for (size_t i = 0; i < n; i++) {
        int w = text_width(fields[i].label);
        if (w > lw)
            lw = w;
    }
    char text[8192];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof text; i++) {
        const char *v = fields[i].value && fields[i].value[0] ? fields[i].value : "-";
        k += (size_t)snprintf(text + k, sizeof text - k, "%s%s%*s %s", i ? "\n" : "",
                              fields[i].label, lw - text_width(fields[i].label), "", v);
    }
    if (note && note[0] && k < sizeof text)
        snprintf(text + k, sizeof text - k, "\n\n%s", note);
    textbox *t = textbox_new(title, text, NULL);
    t->indent = lw + 1;
    ui_view_push(u, &ui_textbox_ops, t);
}
