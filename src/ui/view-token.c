/* A customer's business token (b): GET /<SOLUTION_ID>/access_token?business_id= for a business
 * typed in a prompt or named by an onboarding event. The token is shown masked; revealing it
 * and copying it (OSC 52) each need a key and a confirmation; the fetch is audited without the
 * token, and the token is zeroed when the view closes. */
#include "ui-actions.h"
#include "ui-data.h"
#include "ui-draw.h"
#include "ui-feed.h"
#include "ui-input.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-panel.h"
#include "ui-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

#define TOKEN_W 76
#define LABEL_W 11

typedef struct token_view {
    char *solution_id;
    char *solution_name; /* NULL when the list does not hold the solution */
    char *business_id;
    unsigned long job, gen; /* the request in flight; 0 when none */
    bool loading;
    char *token; /* secret: secret_free (zeroed) when the view closes */
    char *masked;
    long long expires_at;
    bool revealed;
    mps_errtext error;
} token_view;

static void audit(ui *u, const token_view *tv, const char *outcome, const char *fbtrace_id)
{
    if (!u->audit_path)
        return;
    char detail[160];
    snprintf(detail, sizeof detail, "business token %s for business %s",
             strcmp(outcome, "ok") == 0 ? "fetched" : "not fetched", tv->business_id);
    audit_entry e;
    audit_entry_init(&e, &u->profile);
    e.solution_id = tv->solution_id;
    e.action = "business-token";
    e.outcome = outcome;
    e.fbtrace_id = fbtrace_id && fbtrace_id[0] ? fbtrace_id : NULL;
    e.detail = detail;
    ui_audit(u, &e);
}

static void build(ui *u, const token_view *tv, int width, ui_lines *l)
{
    attr_t body = ui_theme_attr(&u->theme, THEME_DIALOG);
    attr_t strong = body | A_BOLD;
    char line[1200], sol[600];
    if (tv->solution_name)
        snprintf(sol, sizeof sol, "%s (%s)", tv->solution_name, tv->solution_id);
    else
        snprintf(sol, sizeof sol, "%s", tv->solution_id);
    snprintf(line, sizeof line, "%-*s%s", LABEL_W, "solution", sol);
    ui_lines_wrap(l, line, width, LABEL_W, body);
    snprintf(line, sizeof line, "%-*s%s", LABEL_W, "business", tv->business_id);
    ui_lines_wrap(l, line, width, LABEL_W, body);
    if (tv->loading) {
        snprintf(line, sizeof line, "%-*sfetching%s", LABEL_W, "token", u->utf8 ? "\u2026" : "...");
        ui_lines_push(l, line, body);
    } else if (tv->error[0]) {
        ui_lines_push(l, "", body);
        ui_lines_wrap(l, tv->error, width, 2, ui_theme_attr(&u->theme, THEME_ERROR));
    } else if (tv->token) {
        /* Wrapped without an indent when revealed, so a mouse selection copies it whole. */
        if (tv->revealed) {
            snprintf(line, sizeof line, "%-*s(revealed)", LABEL_W, "token");
            ui_lines_push(l, line, strong);
            ui_lines_wrap(l, tv->token, width, 0, strong);
        } else {
            snprintf(line, sizeof line, "%-*s%s  (masked)", LABEL_W, "token", tv->masked);
            ui_lines_push(l, line, strong);
        }
        if (tv->expires_at > 0) {
            time_t t = (time_t)tv->expires_at;
            struct tm tm;
            char when[64] = "?";
            if (gmtime_r(&t, &tm))
                strftime(when, sizeof when, "%Y-%m-%d %H:%M:%SZ", &tm);
            snprintf(line, sizeof line, "%-*s%s", LABEL_W, "expires", when);
        } else {
            snprintf(line, sizeof line, "%-*snot given", LABEL_W, "expires");
        }
        ui_lines_push(l, line, body);
    }
}

static const char *hint_text(const token_view *tv)
{
    if (tv->token && !tv->error[0])
        return tv->revealed ? "r hide  y copy (asks first)  Esc close (forgets the token)"
                            : "r reveal (asks first)  y copy (asks first)  Esc close";
    return "Esc close";
}

static void token_draw(ui *u, ui_view *v)
{
    token_view *tv = v->data;
    WINDOW *w = v->win;
    if (!w)
        return;
    int h = getmaxy(w), wd = getmaxx(w);
    attr_t body = ui_theme_attr(&u->theme, THEME_DIALOG);
    attr_t border = ui_theme_attr(&u->theme, THEME_BORDER);
    werase(w);
    ui_frame(w, "Business token", border, border | A_BOLD);
    ui_lines l = {0};
    build(u, tv, wd - 4, &l);
    for (int y = 1; y < h - 2; y++) {
        size_t i = (size_t)(y - 1);
        ui_put(w, y, 1, " ", 1, body);
        ui_put(w, y, 2, i < l.n ? l.items[i].text : "", wd - 4, i < l.n ? l.items[i].attr : body);
        ui_put(w, y, wd - 2, " ", 1, body);
    }
    ui_lines_clear(&l);
    ui_put(w, h - 2, 1, " ", 1, body);
    ui_put(w, h - 2, 2, hint_text(tv), wd - 4, ui_theme_attr(&u->theme, THEME_DIM));
}

static void token_resize(ui *u, ui_view *v)
{
    token_view *tv = v->data;
    if (v->win)
        delwin(v->win);
    int wd = u->cols - 4 < TOKEN_W ? u->cols - 4 : TOKEN_W;
    ui_lines l = {0};
    build(u, tv, wd - 4, &l);
    /* Room for the longest form (revealed, or an error) so revealing needs no new window. */
    int h = (int)l.n + 3 + 3;
    ui_lines_clear(&l);
    v->win = ui_view_center_window(u, h, wd);
    v->dirty = true;
}

static void forget_token(token_view *tv)
{
    secret_free(tv->token);
    tv->token = NULL;
    free(tv->masked);
    tv->masked = NULL;
    tv->revealed = false;
}

static void token_destroy(ui *u, ui_view *v)
{
    token_view *tv = v->data;
    /* Nobody is left to show it. (After a profile switch the job died with the old worker.) */
    if (tv->loading && u->w && tv->job && tv->gen >= u->profile_gen)
        worker_cancel(u->w, tv->job);
    forget_token(tv);
    free(tv->solution_id);
    free(tv->solution_name);
    free(tv->business_id);
    free(tv);
}

static const ui_view_ops token_ops;

static void do_reveal(ui *u, void *ctx)
{
    ui_view *v = ui_view_find(u, &token_ops);
    if (!v || v->data != ctx)
        return;
    token_view *tv = ctx;
    if (!tv->token)
        return;
    tv->revealed = true;
    ui_view_touch(u, v);
    ui_message(u, UI_MSG_WARNING, "business token revealed: r hides it, Esc forgets it");
}

static void do_copy(ui *u, void *ctx)
{
    ui_view *v = ui_view_find(u, &token_ops);
    if (!v || v->data != ctx)
        return;
    token_view *tv = ctx;
    if (tv->token)
        ui_copy(u, tv->token, "business token");
}

static int token_key(ui *u, ui_view *v, int key, ui_request req)
{
    (void)key;
    token_view *tv = v->data;
    ui_view_touch(u, v);
    if (req == REQ_REDRAW)
        return UI_UNHANDLED;
    if (ui_back_request(req) || req == REQ_ENTER) {
        ui_view_pop(u); /* destroy zeroes the token */
        return UI_HANDLED;
    }
    bool have = tv->token && !tv->error[0];
    if (req == REQ_REVEAL && have) {
        if (tv->revealed) {
            tv->revealed = false;
            ui_message(u, UI_MSG_INFO, "business token masked again");
            return UI_HANDLED;
        }
        char text[600];
        snprintf(text, sizeof text,
                 "Show the whole business token for business %s on screen?\n\nIt gives full "
                 "access to the customer's WhatsApp Business Account. Anyone who sees the "
                 "screen, a recording or the terminal's scrollback can use it.",
                 tv->business_id);
        ui_confirm_open(u, "Reveal the business token", text, "Reveal", true, do_reveal, tv);
        return UI_HANDLED;
    }
    if (req == REQ_COPY_ID && have) {
        char text[600];
        snprintf(text, sizeof text,
                 "Copy the business token for business %s to the clipboard (OSC 52)?\n\nThe "
                 "terminal (and tmux, if it keeps copies) will hold it until something else is "
                 "copied.",
                 tv->business_id);
        ui_confirm_open(u, "Copy the business token", text, "Copy", true, do_copy, tv);
        return UI_HANDLED;
    }
    return UI_HANDLED; /* modal: the list does not move under it */
}

static const ui_view_ops token_ops = {
    .name = "business-token",
    .covers_body = false,
    .draw = token_draw,
    .key = token_key,
    .resize = token_resize,
    .destroy = token_destroy,
};

void ui_token_open(ui *u, const char *solution_id, const char *business_id)
{
    token_view *tv = mps_xcalloc(1, sizeof *tv);
    const mps_solution *s = u->st ? store_find(u->st, solution_id) : NULL;
    tv->solution_id = mps_xstrdup(solution_id);
    tv->business_id = mps_xstrdup(business_id);
    tv->solution_name = s ? mps_xstrdup(s->name) : NULL;
    tv->job = ui_data_submit(u, graph_op_business_token(solution_id, business_id), UI_TAG_TOKEN);
    tv->gen = tv->job ? u->gen : 0;
    tv->loading = tv->job != 0;
    if (!tv->job)
        snprintf(tv->error, sizeof tv->error, "not connected: nothing was asked");
    ui_view_push(u, &token_ops, tv);
}

static void token_result(ui *u, worker_result *r)
{
    if (!r->done)
        return;
    ui_view *v = ui_view_find(u, &token_ops);
    token_view *tv = v ? v->data : NULL;
    if (!tv || r->generation != tv->gen)
        return; /* closed before the answer: worker_result_free zeroes the token */
    tv->loading = false;
    tv->gen = tv->job = 0;
    if (r->error.cls != GRAPH_OK) {
        mps_errtext msg;
        graph_error_format(&r->error, msg, sizeof msg);
        text_format(tv->error, sizeof tv->error, "GET /%s/access_token failed: %s", tv->solution_id,
                    msg);
        if (r->error.cls != GRAPH_ERR_CANCELLED)
            audit(u, tv, AUDIT_ERROR, r->error.fbtrace_id);
    } else if (!r->data.token || !r->data.token[0]) {
        snprintf(tv->error, sizeof tv->error, "the answer held no access_token");
        audit(u, tv, AUDIT_ERROR, r->error.fbtrace_id);
    } else if (!text_is_safe(r->data.token)) {
        /* Revealed it would be drawn raw: a token holding control bytes is not shown at all. */
        snprintf(tv->error, sizeof tv->error,
                 "the token in the answer holds control characters: not shown");
        audit(u, tv, AUDIT_ERROR, r->error.fbtrace_id);
    } else {
        forget_token(tv);
        tv->token = r->data.token; /* moved: this view zeroes it */
        r->data.token = NULL;
        tv->expires_at = r->data.token_expires_at;
        tv->masked = text_mask_secret(tv->token);
        audit(u, tv, AUDIT_OK, r->data.fbtrace_id);
        ui_message(u, UI_MSG_INFO, "business token for business %s fetched (shown masked)",
                   tv->business_id);
    }
    /* The window was sized for this content before the answer: size it again. */
    token_resize(u, v);
    ui_view_touch(u, v);
}

/* ---- the business id prompt -------------------------------------------------------------- */

typedef struct token_prompt {
    char *solution_id;
    char *solution_name;
    ui_edit line; /* business portfolio ids are digit strings */
    char note[96];
} token_prompt;

static void prompt_draw(ui *u, ui_view *v)
{
    token_prompt *p = v->data;
    WINDOW *w = v->win;
    if (!w)
        return;
    int wd = getmaxx(w);
    attr_t base = ui_theme_attr(&u->theme, THEME_STATUS);
    char lead[600];
    snprintf(lead, sizeof lead, "customer business id for a token via %s: ",
             p->solution_name ? p->solution_name : p->solution_id);
    int lw = text_width(lead);
    if (lw > wd / 2)
        lw = wd / 2;
    ui_put(w, 0, 0, lead, lw, base | A_BOLD);
    int tw = text_width(p->line.text);
    ui_put(w, 0, lw, p->line.text, tw, base);
    int x = lw + tw;
    ui_put(w, 0, x, p->note[0] ? "  " : "", wd - x, base);
    if (p->note[0])
        ui_put(w, 0, x + 2, p->note, wd - x - 2, ui_theme_attr(&u->theme, THEME_WARNING));
    v->cursor_visible = true;
    v->cursor_y = 0;
    v->cursor_x = x < wd ? x : wd - 1;
}

static void prompt_destroy(ui *u, ui_view *v)
{
    (void)u;
    token_prompt *p = v->data;
    free(p->solution_id);
    free(p->solution_name);
    free(p);
}

static void prompt_submit(ui *u, token_prompt *p)
{
    if (!p->line.text[0]) {
        snprintf(p->note, sizeof p->note, "type the customer's business portfolio id");
        return;
    }
    char *sid = mps_xstrdup(p->solution_id);
    char biz[sizeof p->line.text];
    snprintf(biz, sizeof biz, "%s", p->line.text);
    ui_view_pop(u);
    ui_token_open(u, sid, biz);
    free(sid);
}

static int prompt_key(ui *u, ui_view *v, int key, ui_request req)
{
    token_prompt *p = v->data;
    ui_view_touch(u, v);
    p->note[0] = '\0';
    if (req == REQ_REDRAW)
        return UI_UNHANDLED;
    switch (ui_edit_key(u, &p->line, key, NULL)) {
    case UI_EDIT_CANCEL:
    case UI_EDIT_ERASE_EMPTY:
        ui_view_pop(u);
        break;
    case UI_EDIT_SUBMIT:
        prompt_submit(u, p);
        break;
    case UI_EDIT_NOT_DIGIT:
        snprintf(p->note, sizeof p->note, "digits only: a business portfolio id");
        break;
    case UI_EDIT_FULL:
        snprintf(p->note, sizeof p->note, "too long for a business id");
        break;
    default:
        break;
    }
    return UI_HANDLED;
}

static const ui_view_ops token_prompt_ops = {
    .name = "business-id",
    .covers_body = false,
    .draw = prompt_draw,
    .key = prompt_key,
    .resize = ui_prompt_resize,
    .destroy = prompt_destroy,
};

static void token_request(ui *u)
{
    const mps_solution *s = ui_selected(u);
    if (u->top_view != &u->base || !s || !s->id) {
        ui_message(u, UI_MSG_INFO,
                   "b: select an active solution in the list (or an onboarding event in E)");
        return;
    }
    token_prompt *p = mps_xcalloc(1, sizeof *p);
    p->solution_id = mps_xstrdup(s->id);
    p->solution_name = mps_xstrdup(s->name);
    p->line.digits = true;
    p->line.max = 31;
    /* The customer an onboarding through this solution named is the likely one. */
    const char *known = ui_feed_customer_of(u, s->id);
    if (known && strlen(known) <= p->line.max)
        ui_edit_set(&p->line, known);
    ui_view_push(u, &token_prompt_ops, p);
}

const ui_view_kind ui_view_token = {
    .command = "token",
    .req = REQ_BUSINESS_TOKEN,
    .open = token_request,
    .result = token_result,
};
