/* The create form (c): a name checked as it is typed (2-75 characters), the partner app id
 * (digits), owner and partner permissions as checkboxes, a review of exactly what is sent, then
 * POST /<APP_ID>/whatsapp_business_solution through the dispatcher's --readonly rule. The new
 * solution is fetched, shown Pending and selected; the server's refusal is shown as it came. */
#include "ui-actions.h"
#include "ui-data.h"
#include "ui-draw.h"
#include "ui-input.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-panel.h"
#include "ui-table.h"
#include "ui-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

#define NAME_MIN 2
#define NAME_MAX 75
#define NAME_BYTES (NAME_MAX * 4 + 64) /* room to type past the limit and see the error */
#define APP_ID_MAX 24
#define LABEL_W 16

#define PERM_COUNT ((size_t)UI_PERMISSION_COUNT)

/* Focus items, in Tab order. */
enum {
    F_NAME = 0,
    F_PARTNER = 1,
    F_PERM0 = 2, /* owner of perm i: F_PERM0 + 2i, partner: F_PERM0 + 2i + 1 */
    F_BUTTONS = F_PERM0 + 2 * (int)PERM_COUNT, /* Cancel, then Review: the one button order */
    F_CANCEL = F_BUTTONS,
    F_REVIEW,
    F_COUNT
};

typedef enum create_mode { MODE_FORM, MODE_REVIEW, MODE_SENDING } create_mode;

typedef struct create_form {
    create_mode mode;
    int focus;
    ui_buttons review; /* Back, Create; the focus starts on Back */
    ui_edit name;
    ui_edit app_id; /* the partner app's id */
    bool owner[PERM_COUNT];
    bool partner_perm[PERM_COUNT];
    char note[200];    /* the partner field's refusal of a key or of the form */
    bool name_refused; /* the form was refused for its name: said by the name until edited */
    mps_errtext error; /* the server's answer to the last attempt, verbatim */
    unsigned long gen; /* the POST in flight */
    int scroll;
} create_form;

/* ---- requests in flight (they outlive the form) ------------------------------------------ */

typedef struct create_job {
    unsigned long gen;
    bool fetching; /* the GET of the created solution, not the POST */
    char *name;
    char *solution_id;
    char *profile; /* as when sent: the audit line names the profile it went to */
    char *app_id;
} create_job;

struct ui_creating {
    create_job *jobs;
    size_t n;
};

static create_job *job_add(ui *u, unsigned long gen, const char *name)
{
    if (!u->creating) {
        u->creating = mps_xcalloc(1, sizeof *u->creating);
    }
    struct ui_creating *c = u->creating;
    c->jobs = mps_xreallocarray(c->jobs, c->n + 1, sizeof *c->jobs);
    create_job *j = &c->jobs[c->n++];
    memset(j, 0, sizeof *j);
    j->gen = gen;
    j->name = mps_xstrdup(name);
    j->profile = mps_xstrdup(u->profile.name ? u->profile.name : "");
    j->app_id = mps_xstrdup(u->profile.app_id ? u->profile.app_id : "");
    return j;
}

static void job_free(create_job *j)
{
    free(j->name);
    free(j->solution_id);
    free(j->profile);
    free(j->app_id);
}

/* Takes the job for gen out of the list into *out; false when there is none. */
static bool job_take(ui *u, unsigned long gen, create_job *out)
{
    struct ui_creating *c = u->creating;
    for (size_t i = 0; c && i < c->n; i++) {
        if (c->jobs[i].gen != gen)
            continue;
        *out = c->jobs[i];
        memmove(&c->jobs[i], &c->jobs[i + 1], (c->n - i - 1) * sizeof *c->jobs);
        c->n--;
        return true;
    }
    return false;
}

static void audit(ui *u, const create_job *j, const char *solution_id, const char *outcome,
                  const char *fbtrace_id, const char *detail)
{
    if (!u->audit_path)
        return;
    audit_entry e;
    audit_entry_init(&e, &u->profile);
    e.profile = j->profile;
    e.app_id = j->app_id;
    e.solution_id = solution_id;
    e.action = "create";
    e.outcome = outcome;
    e.fbtrace_id = fbtrace_id && fbtrace_id[0] ? fbtrace_id : NULL;
    e.detail = detail && detail[0] ? detail : NULL;
    ui_audit(u, &e);
}

void ui_create_forget(ui *u, const char *why)
{
    struct ui_creating *c = u->creating;
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        char detail[600];
        snprintf(detail, sizeof detail, "\"%s\": %s", c->jobs[i].name, why);
        if (!c->jobs[i].fetching) /* a GET after a known success changes nothing */
            audit(u, &c->jobs[i], NULL, AUDIT_UNKNOWN, NULL, detail);
        job_free(&c->jobs[i]);
    }
    free(c->jobs);
    free(c);
    u->creating = NULL;
}

/* ---- checks ------------------------------------------------------------------------------ */

static bool name_ok(const create_form *f)
{
    size_t n = text_char_count(f->name.text);
    return n >= NAME_MIN && n <= NAME_MAX;
}

static void name_problem(const create_form *f, char *buf, size_t size)
{
    size_t n = text_char_count(f->name.text);
    if (n < NAME_MIN)
        snprintf(buf, size, "too short: at least %d characters", NAME_MIN);
    else if (n > NAME_MAX)
        snprintf(buf, size, "too long: at most %d characters (%zu over)", NAME_MAX, n - NAME_MAX);
    else
        buf[0] = '\0';
}

static void perm_list(const bool *on, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < PERM_COUNT && n < size; i++)
        if (on[i])
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "", ui_permissions[i]);
    if (n == 0)
        snprintf(buf, size, "none");
}

/* The partner app's name when some listed solution names it. */
static const char *known_app_name(const ui *u, const char *app_id)
{
    if (!app_id[0] || !u->st)
        return NULL;
    for (size_t i = 0; i < store_visible_count(u->st); i++) {
        const mps_solution *s = store_visible(u->st, i);
        if (s->owner_app.id && s->owner_app.name && strcmp(s->owner_app.id, app_id) == 0)
            return s->owner_app.name;
        for (size_t k = 0; k < s->partner_count; k++)
            if (s->partners[k].app.id && s->partners[k].app.name &&
                strcmp(s->partners[k].app.id, app_id) == 0)
                return s->partners[k].app.name;
    }
    return NULL;
}

/* ---- drawing ----------------------------------------------------------------------------- */

/* Virtual rows of the form (before scrolling): the error block, then these. */
enum { R_NAME = 0, R_NAME_NOTE, R_PARTNER, R_PARTNER_NOTE, R_BLANK1, R_PERM_HEAD, R_PERM0 };
#define R_BUTTONS (R_PERM0 + (int)PERM_COUNT + 1)
#define R_TOTAL (R_BUTTONS + 1)

static int focus_row(int focus)
{
    if (focus == F_NAME)
        return R_NAME;
    if (focus == F_PARTNER)
        return R_PARTNER;
    if (focus >= F_BUTTONS)
        return R_BUTTONS;
    return R_PERM0 + (focus - F_PERM0) / 2;
}

typedef struct canvas {
    WINDOW *w;
    int top;    /* first virtual row shown */
    int height; /* rows between the title and the hints */
} canvas;

static void cput(const canvas *c, int vrow, int x, const char *s, int cols, attr_t a)
{
    int y = vrow - c->top;
    if (y < 0 || y >= c->height)
        return;
    ui_put(c->w, 1 + y, x, s, cols, a);
}

static void draw_form(ui *u, create_form *f, WINDOW *w)
{
    int cols = getmaxx(w), h = getmaxy(w);
    attr_t body = ui_theme_attr(&u->theme, THEME_LIST);
    attr_t focus = ui_theme_attr(&u->theme, THEME_SELECTED) | A_BOLD;
    attr_t dim = ui_theme_attr(&u->theme, THEME_DIM);
    attr_t err = ui_theme_attr(&u->theme, THEME_ERROR);
    attr_t ok = ui_theme_attr(&u->theme, THEME_PERM_YES);

    ui_lines errl = {0};
    if (f->error[0])
        ui_lines_wrap(&errl, f->error, cols - 4, 2, err);
    int off = errl.n ? (int)errl.n + 1 : 0; /* the server's answer sits above the fields */

    canvas c = {w, f->scroll, h - 2};
    int want = off + focus_row(f->focus);
    if (f->focus == F_NAME && errl.n)
        want = 0; /* on the first field, show the answer that sent the user back */
    if (want < c.top)
        c.top = want;
    if (off + focus_row(f->focus) >= c.top + c.height)
        c.top = off + focus_row(f->focus) - c.height + 1;
    if (c.top > off + R_TOTAL - c.height)
        c.top = off + R_TOTAL - c.height;
    if (c.top < 0)
        c.top = 0;
    f->scroll = c.top;

    for (size_t i = 0; i < errl.n; i++)
        cput(&c, (int)i, 2, errl.items[i].text, cols - 2, err);
    ui_lines_clear(&errl);

    /* Name, with the counter and the problem as typed. */
    int box = cols - 2 - LABEL_W - 2 - 12;
    if (box > NAME_MAX + 2)
        box = NAME_MAX + 2;
    if (box < 10)
        box = 10;
    int vr = off + R_NAME;
    cput(&c, vr, 0, f->focus == F_NAME ? ">" : " ", 2, body);
    cput(&c, vr, 2, "Name", LABEL_W, body | A_BOLD);
    /* Long input shows its end, where typing happens. */
    const char *shown = ui_edit_tail(f->name.text, box - 1);
    cput(&c, vr, 2 + LABEL_W, shown, box, f->focus == F_NAME ? focus : body | A_UNDERLINE);
    char count[32];
    size_t nc = text_char_count(f->name.text);
    snprintf(count, sizeof count, "%zu/%d", nc, NAME_MAX);
    cput(&c, vr, 2 + LABEL_W + box + 2, count, 10, name_ok(f) ? ok : err);
    char problem[128];
    name_problem(f, problem, sizeof problem);
    if (problem[0] && f->name_refused)
        strncat(problem, ": nothing was sent", sizeof problem - strlen(problem) - 1);
    cput(&c, off + R_NAME_NOTE, 2 + LABEL_W, problem[0] ? problem : "2 to 75 characters",
         cols - 2 - LABEL_W, problem[0] ? err : dim);

    vr = off + R_PARTNER;
    cput(&c, vr, 0, f->focus == F_PARTNER ? ">" : " ", 2, body);
    cput(&c, vr, 2, "Partner app id", LABEL_W, body | A_BOLD);
    cput(&c, vr, 2 + LABEL_W, f->app_id.text, APP_ID_MAX,
         f->focus == F_PARTNER ? focus : body | A_UNDERLINE);
    const char *app = known_app_name(u, f->app_id.text);
    char pnote[300];
    if (f->note[0])
        snprintf(pnote, sizeof pnote, "%s", f->note);
    else if (app)
        snprintf(pnote, sizeof pnote, "%s", app);
    else if (!f->app_id.text[0])
        snprintf(pnote, sizeof pnote, "digits only: the app invited to the solution");
    else
        pnote[0] = '\0';
    cput(&c, off + R_PARTNER_NOTE, 2 + LABEL_W, pnote, cols - 2 - LABEL_W,
         f->note[0] ? ui_theme_attr(&u->theme, THEME_WARNING) : dim);

    cput(&c, off + R_PERM_HEAD, 2, "permission", 28, body | A_BOLD);
    cput(&c, off + R_PERM_HEAD, 30, "owner (you)", 13, body | A_BOLD);
    cput(&c, off + R_PERM_HEAD, 43, "partner", 10, body | A_BOLD);
    for (size_t i = 0; i < PERM_COUNT; i++) {
        int row = off + R_PERM0 + (int)i;
        int fo = F_PERM0 + 2 * (int)i, fp = fo + 1;
        bool here = f->focus == fo || f->focus == fp;
        cput(&c, row, 0, here ? ">" : " ", 2, body);
        cput(&c, row, 2, ui_permissions[i], 28, body);
        cput(&c, row, 30, "  ", 2, body);
        cput(&c, row, 32, f->owner[i] ? "[x]" : "[ ]", 3, f->focus == fo ? focus : body);
        cput(&c, row, 35, "", 10, body);
        cput(&c, row, 45, f->partner_perm[i] ? "[x]" : "[ ]", 3, f->focus == fp ? focus : body);
    }
    vr = off + R_BUTTONS;
    cput(&c, vr, 2, "[ Cancel ]", 10, f->focus == F_CANCEL ? focus : body);
    cput(&c, vr, 15, "[ Review ]", 10, f->focus == F_REVIEW ? focus : body);
}

static void review_lines(ui *u, const create_form *f, int width, ui_lines *l)
{
    attr_t body = ui_theme_attr(&u->theme, THEME_LIST);
    attr_t warn = ui_theme_attr(&u->theme, THEME_WARNING);
    char line[2400], list[1200];
    snprintf(line, sizeof line, "%-*s%s  (%zu characters)", 21, "name", f->name.text,
             text_char_count(f->name.text));
    ui_lines_wrap(l, line, width, 21, body | A_BOLD);
    snprintf(line, sizeof line, "%-*s%s (%s)", 21, "owner app",
             u->app_name ? u->app_name : "your app", u->profile.app_id ? u->profile.app_id : "?");
    ui_lines_wrap(l, line, width, 21, body);
    const char *app = known_app_name(u, f->app_id.text);
    snprintf(line, sizeof line, "%-*s%s%s%s%s", 21, "partner app", f->app_id.text, app ? " (" : "",
             app ? app : "", app ? ")" : "");
    ui_lines_wrap(l, line, width, 21, body);
    perm_list(f->owner, list, sizeof list);
    snprintf(line, sizeof line, "%-*s%s", 21, "owner permissions", list);
    ui_lines_wrap(l, line, width, 21, body);
    perm_list(f->partner_perm, list, sizeof list);
    snprintf(line, sizeof line, "%-*s%s", 21, "partner permissions", list);
    ui_lines_wrap(l, line, width, 21, body);
    ui_lines_push(l, "", body);
    snprintf(line, sizeof line,
             "This sends POST /%s/whatsapp_business_solution once. The solution starts Pending "
             "(INITIATED) and the partner app is invited to accept or reject it.",
             u->profile.app_id ? u->profile.app_id : "?");
    ui_lines_wrap(l, line, width, 0, body);
    size_t msg = 0;
    for (size_t i = 0; i < PERM_COUNT; i++)
        if (strcmp(ui_permissions[i], "MESSAGING") == 0)
            msg = i;
    ui_lines_push(l, "", body);
    ui_lines_wrap(l,
                  "What Meta documents (its OpenAPI description): only MESSAGING is "
                  "configurable, and exactly one side holds it. The server judges; its answer "
                  "is shown as it came.",
                  width, 0, body);
    if (f->owner[msg] == f->partner_perm[msg]) {
        ui_lines_push(l, "", body);
        ui_lines_wrap(l,
                      f->owner[msg] ? "Note: both sides hold MESSAGING, which Meta documents "
                                      "as refused (error 100)."
                                    : "Note: neither side holds MESSAGING, which Meta documents "
                                      "as refused (error 100).",
                      width, 0, warn);
    }
}

static void draw_review(ui *u, create_form *f, WINDOW *w)
{
    int cols = getmaxx(w), h = getmaxy(w);
    attr_t body = ui_theme_attr(&u->theme, THEME_LIST);
    attr_t focus = ui_theme_attr(&u->theme, THEME_SELECTED) | A_BOLD;
    ui_lines l = {0};
    review_lines(u, f, cols - 4, &l);
    int y = 2;
    for (size_t i = 0; i < l.n && y < h - 3; i++, y++)
        ui_put(w, y, 2, l.items[i].text, cols - 2, l.items[i].attr);
    ui_lines_clear(&l);
    y++;
    if (y > h - 2)
        y = h - 2;
    if (f->mode == MODE_SENDING) {
        char s[64];
        snprintf(s, sizeof s, "sending%s", u->utf8 ? "\u2026" : "...");
        ui_put(w, y, 2, s, cols - 2, body | A_BOLD);
    } else {
        ui_put(w, y, 2, "[ Back ]", 8, f->review.focus_yes ? body : focus);
        ui_put(w, y, 13, "[ Create ]", 10, f->review.focus_yes ? focus : body);
    }
}

static void create_draw(ui *u, ui_view *v)
{
    create_form *f = v->data;
    WINDOW *w = v->win;
    if (!w || (!v->dirty && !(u->dirty & UI_DIRTY_BODY)))
        return;
    werase(w);
    char right[64] = "";
    if (u->readonly)
        snprintf(right, sizeof right, "read-only: cannot send");
    ui_body_title(u, w,
                  f->mode == MODE_FORM ? "Create a solution"
                                       : "Create a solution: review what will be sent",
                  right, ui_theme_attr(&u->theme, THEME_READONLY_BADGE));
    if (f->mode == MODE_FORM) {
        draw_form(u, f, w);
        ui_table_hints(u, w,
                       "Tab/Down next  Up previous  Space toggle  Left/Right owner/partner  "
                       "Enter review  Esc cancel");
    } else {
        draw_review(u, f, w);
        ui_table_hints(u, w,
                       f->mode == MODE_SENDING ? "waiting for the server"
                                               : "y create  n/Esc back to the form  Tab moves");
    }
    wnoutrefresh(w);
}

/* ---- keys -------------------------------------------------------------------------------- */

static void to_review(ui *u, create_form *f)
{
    if (!name_ok(f)) {
        size_t n = text_char_count(f->name.text);
        f->name_refused = true;
        ui_message(u, UI_MSG_WARNING,
                   "create: the name has %zu character%s; it must have 2 to 75. Nothing was "
                   "sent",
                   n, n == 1 ? "" : "s");
        f->focus = F_NAME;
        return;
    }
    if (!f->app_id.text[0]) {
        snprintf(f->note, sizeof f->note, "the partner app id is required");
        f->focus = F_PARTNER;
        return;
    }
    f->mode = MODE_REVIEW;
    f->review.focus_yes = false;
}

static void send_create(ui *u, create_form *f)
{
    /* Checked again here: nothing short of a valid form is ever sent. */
    if (!name_ok(f) || !f->app_id.text[0]) {
        f->mode = MODE_FORM;
        return;
    }
    if (!ui_mutation_allowed(u, "create"))
        return;
    strlist owner = {0}, partner = {0};
    for (size_t i = 0; i < PERM_COUNT; i++) {
        if (f->owner[i])
            strlist_push(&owner, ui_permissions[i]);
        if (f->partner_perm[i])
            strlist_push(&partner, ui_permissions[i]);
    }
    unsigned long job = ui_data_submit(
        u, graph_op_create(NULL, f->name.text, f->app_id.text, &owner, &partner), UI_TAG_CREATE);
    strlist_clear(&owner);
    strlist_clear(&partner);
    if (!job) {
        snprintf(f->error, sizeof f->error, "not connected: nothing was sent");
        f->mode = MODE_FORM;
        return;
    }
    f->gen = u->gen;
    f->error[0] = '\0';
    f->mode = MODE_SENDING;
    job_add(u, f->gen, f->name.text);
    ui_message(u, UI_MSG_INFO, "creating \"%s\"%s", f->name.text, u->utf8 ? "\u2026" : "...");
}

static void cancel(ui *u)
{
    ui_view_pop(u);
    ui_message(u, UI_MSG_INFO, "create cancelled: nothing was sent");
}

static int review_key(ui *u, create_form *f, int key)
{
    switch (ui_buttons_key(u, &f->review, key, NULL)) {
    case UI_CHOICE_YES:
        send_create(u, f);
        break;
    case UI_CHOICE_NO:
        f->mode = MODE_FORM;
        break;
    default:
        break;
    }
    return UI_HANDLED;
}

static void toggle(create_form *f)
{
    if (f->focus < F_PERM0 || f->focus >= F_BUTTONS)
        return;
    int i = (f->focus - F_PERM0) / 2;
    bool *side = (f->focus - F_PERM0) % 2 == 0 ? f->owner : f->partner_perm;
    side[i] = !side[i];
}

/* Moves the focus on a request; false when req is no move. */
static bool move_focus(create_form *f, ui_request req)
{
    bool in_matrix = f->focus >= F_PERM0 && f->focus < F_BUTTONS;
    int next;
    switch (req) {
    case REQ_FOCUS_NEXT:
        next = f->focus + 1;
        break;
    case REQ_FOCUS_PREV:
        next = f->focus - 1;
        break;
    case REQ_MOVE_DOWN:
        next = in_matrix ? f->focus + 2 : f->focus == F_PARTNER ? F_PERM0 : f->focus + 1;
        if (in_matrix && next >= F_BUTTONS)
            next = F_REVIEW;
        break;
    case REQ_MOVE_UP:
        next = in_matrix               ? (f->focus - 2 < F_PERM0 ? F_PARTNER : f->focus - 2)
               : f->focus >= F_BUTTONS ? F_BUTTONS - 2
                                       : f->focus - 1;
        break;
    case REQ_FOCUS_LEFT:
    case REQ_FOCUS_RIGHT:
        if (in_matrix && req == REQ_FOCUS_LEFT) /* the owner column */
            next = F_PERM0 + ((f->focus - F_PERM0) & ~1);
        else if (in_matrix) /* the partner column */
            next = F_PERM0 + ((f->focus - F_PERM0) | 1);
        else
            next = f->focus == F_REVIEW ? F_CANCEL : f->focus == F_CANCEL ? F_REVIEW : f->focus;
        break;
    default:
        return false;
    }
    if (next < 0)
        next = 0;
    if (next >= F_COUNT)
        next = F_COUNT - 1;
    f->focus = next;
    return true;
}

static void press(ui *u, create_form *f)
{
    if (f->focus == F_REVIEW)
        to_review(u, f);
    else if (f->focus == F_CANCEL)
        cancel(u);
    else
        toggle(f);
}

/* A text field takes printable keys, Backspace and C-u; the rest moves or acts as elsewhere. */
static bool field_key(ui *u, create_form *f, int key, ui_request *req)
{
    ui_edit *e = f->focus == F_NAME ? &f->name : &f->app_id;
    ui_edit_result res = ui_edit_key(u, e, key, req);
    if (f->focus == F_NAME && res == UI_EDIT_CHANGED)
        f->name_refused = false;
    switch (res) {
    case UI_EDIT_NOT_DIGIT:
        snprintf(f->note, sizeof f->note, "digits only: an app id is a number");
        return true;
    case UI_EDIT_FULL:
        if (f->focus == F_PARTNER)
            snprintf(f->note, sizeof f->note, "too long for an app id");
        return true;
    case UI_EDIT_SUBMIT:
        *req = REQ_ENTER;
        return false;
    case UI_EDIT_CANCEL:
        *req = REQ_BACK;
        return false;
    case UI_EDIT_COMPLETE:
        *req = REQ_FOCUS_NEXT;
        return false;
    case UI_EDIT_IGNORED: /* not the field's: a key of the form */
        *req = ui_input_request(u, UI_KEYS_DIALOG, key);
        return false;
    default:
        return true;
    }
}

static int form_key(ui *u, create_form *f, int key)
{
    bool in_text = f->focus == F_NAME || f->focus == F_PARTNER;
    f->note[0] = '\0';
    ui_request req = REQ_NONE;
    if (in_text) {
        if (field_key(u, f, key, &req))
            return UI_HANDLED;
    } else {
        req = ui_input_request(u, UI_KEYS_DIALOG, key);
    }
    if (req == REQ_BACK || req == REQ_QUIT) {
        cancel(u);
        return UI_HANDLED;
    }
    /* Left/Right inside a text field would be cursor keys elsewhere; here they leave it. */
    if (move_focus(f, req))
        return UI_HANDLED;
    if (req == REQ_ENTER) {
        /* Enter submits the form from any field, as in a browser; Space toggles. */
        if (f->focus == F_CANCEL)
            cancel(u);
        else
            to_review(u, f);
    } else if (req == REQ_TOGGLE) {
        press(u, f);
    }
    return UI_HANDLED;
}

static int create_key(ui *u, ui_view *v, int key, ui_request req)
{
    create_form *f = v->data;
    bool typing = f->mode == MODE_FORM && (f->focus == F_NAME || f->focus == F_PARTNER);
    if (req == REQ_REDRAW || (req == REQ_HELP && !typing)) /* '?' may be part of a name */
        return UI_UNHANDLED;
    ui_view_touch(u, v);
    if (f->mode == MODE_SENDING) {
        /* The answer is handled (audited, shown) whether or not the form is still open. */
        if (req == REQ_BACK || req == REQ_QUIT)
            ui_view_pop(u);
        return UI_HANDLED;
    }
    if (f->mode == MODE_REVIEW)
        return review_key(u, f, key);
    return form_key(u, f, key);
}

static void create_destroy(ui *u, ui_view *v)
{
    (void)u;
    free(v->data);
}

static const ui_view_ops create_ops = {
    .name = "create",
    .covers_body = true,
    .draw = create_draw,
    .key = create_key,
    .resize = ui_body_resize,
    .destroy = create_destroy,
};

static void create_open(ui *u)
{
    if (!ui_mutation_allowed(u, "create"))
        return;
    ui_view *v = ui_view_find(u, &create_ops);
    if (v && v == u->top_view)
        return;
    create_form *f = mps_xcalloc(1, sizeof *f);
    f->focus = F_NAME;
    f->name.max = NAME_BYTES - 1;
    f->app_id.max = APP_ID_MAX;
    f->app_id.digits = true;
    ui_view_touch(u, ui_body_replace(u, &create_ops, f));
}

/* ---- answers ----------------------------------------------------------------------------- */

static create_form *open_form(ui *u, unsigned long gen, ui_view **vout)
{
    ui_view *v = ui_view_find(u, &create_ops);
    create_form *f = v ? v->data : NULL;
    if (!f || f->gen != gen)
        return NULL;
    *vout = v;
    return f;
}

static void posted(ui *u, worker_result *r)
{
    create_job j;
    if (!r->done || !job_take(u, r->generation, &j))
        return;
    ui_view *v = NULL;
    create_form *f = open_form(u, r->generation, &v);
    const graph_error *e = &r->error;
    mps_errtext msg;
    graph_error_format(e, msg, sizeof msg);

    if (e->cls == GRAPH_OK && r->data.created_id && r->data.created_id[0]) {
        audit(u, &j, r->data.created_id, AUDIT_OK, r->data.fbtrace_id, j.name);
        unsigned long job =
            ui_data_submit(u, graph_op_get_solution(r->data.created_id), UI_TAG_CREATE);
        if (job) {
            create_job *g = job_add(u, u->gen, j.name);
            g->fetching = true;
            g->solution_id = mps_xstrdup(r->data.created_id);
        }
        ui_message(u, UI_MSG_INFO, "created \"%s\" (%s)", j.name, r->data.created_id);
        if (f)
            ui_view_close(u, &create_ops);
        f = NULL;
    } else if (e->cls == GRAPH_OK) {
        audit(u, &j, NULL, AUDIT_UNKNOWN, e->fbtrace_id, "the answer held no solution_id");
        ui_message(u, UI_MSG_WARNING,
                   "create: the server said yes but named no solution; R reloads the list");
        if (f)
            ui_view_close(u, &create_ops);
        f = NULL;
    } else if (e->outcome_unknown) {
        audit(u, &j, NULL, AUDIT_UNKNOWN, e->fbtrace_id, msg);
        ui_message(u, UI_MSG_ERROR,
                   "create: outcome unknown (%s); not sent again: R reloads the list to see "
                   "whether \"%s\" exists",
                   msg, j.name);
        if (f) {
            text_format(f->error, sizeof f->error,
                        "The answer never came (%s). It was not sent again: reload the list (R) "
                        "to see whether the solution exists before trying again.",
                        msg);
            f->mode = MODE_FORM;
            f->focus = F_NAME;
        }
    } else {
        audit(u, &j, NULL, AUDIT_ERROR, e->fbtrace_id, msg);
        ui_message(u, UI_MSG_ERROR, "create refused: %s", msg);
        if (f) {
            text_format(f->error, sizeof f->error, "The server refused it: %s", msg);
            f->mode = MODE_FORM;
            f->focus = F_NAME;
        }
    }
    if (f)
        ui_view_touch(u, v);
    job_free(&j);
}

static void fetched(ui *u, worker_result *r)
{
    create_job j;
    if (!r->done || !job_take(u, r->generation, &j))
        return;
    mps_solution *s =
        r->error.cls == GRAPH_OK && r->data.solution_count ? r->data.solutions[0] : NULL;
    if (s && s->id) {
        r->data.solutions[0] = NULL;
        store_upsert_take(u->st, s);
        s = NULL;
        const mps_solution *now = store_find(u->st, j.solution_id);
        /* Shown and selected, unless the user went on to another view meanwhile. */
        if (u->top_view == &u->base)
            ui_show_solution(u, j.solution_id);
        else
            ui_selection_sync(u);
        ui_message(u, UI_MSG_INFO, "created \"%s\" (%s): %s", j.name, j.solution_id,
                   now ? solution_state_text(now) : "?");
        ui_dirty(u, UI_DIRTY_BODY | UI_DIRTY_STATUS);
    } else if (r->error.cls != GRAPH_ERR_CANCELLED) {
        mps_errtext msg;
        graph_error_format(&r->error, msg, sizeof msg);
        ui_message(u, UI_MSG_WARNING, "created \"%s\" (%s), but fetching it failed: %s", j.name,
                   j.solution_id, msg);
        ui_refresh(u);
    }
    job_free(&j);
}

/* Both the POST and the GET of what it made are UI_TAG_CREATE jobs: the job says which. */
static void result(ui *u, worker_result *r)
{
    const struct ui_creating *c = u->creating;
    for (size_t i = 0; c && i < c->n; i++) {
        if (c->jobs[i].gen == r->generation) {
            (c->jobs[i].fetching ? fetched : posted)(u, r);
            return;
        }
    }
}

const ui_view_kind ui_view_create = {
    .command = "create",
    .req = REQ_CREATE,
    .open = create_open,
    .result = result,
};
