/* The prompt line: ':' commands (a table of name -> handler) and '/' incremental search. */
#include "ui-data.h"
#include "ui-draw.h"
#include "ui-input.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-panel.h"
#include "ui-views.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* ---- commands ---------------------------------------------------------------------------- */

static void cmd_filter(ui *u, const char *arg)
{
    mps_state st = STATE_PENDING;
    bool all = false;
    if (!*arg || !state_parse(arg, &st, &all)) {
        ui_message(u, UI_MSG_ERROR,
                   "filter: %s%s (all, pending, active, pending-deactivation, draft, inactive, "
                   "deactivated, other)",
                   *arg ? "unknown state " : "which state?", arg);
        return;
    }
    ui_set_filter(u, all, st);
}

static void cmd_sort(ui *u, const char *arg)
{
    char word[64] = "", dir[64] = "";
    sscanf(arg, "%63s %63s", word, dir);
    store_sort key;
    if (!store_sort_parse(word, &key)) {
        ui_message(u, UI_MSG_ERROR, "sort: %s%s (name, state, role, other-app, id; add desc)",
                   word[0] ? "unknown key " : "by what?", word);
        return;
    }
    bool desc = strcasecmp(dir, "desc") == 0 || strcasecmp(dir, "reverse") == 0;
    ui_set_sort(u, key, desc);
}

static void cmd_role(ui *u, const char *arg)
{
    mps_role role = ROLE_UNKNOWN;
    if (strcasecmp(arg, "all") != 0 && strcasecmp(arg, "any") != 0 && !role_parse(arg, &role)) {
        ui_message(u, UI_MSG_ERROR, "role: owner, partner or all");
        return;
    }
    store_set_role_filter(u->st, role);
    ui_selection_sync(u);
    if (role == ROLE_UNKNOWN)
        ui_message(u, UI_MSG_INFO, "role filter off: solutions of every role");
    else
        ui_message(u, UI_MSG_INFO, "role filter: only solutions where this app is the %s",
                   role_label(role));
    ui_dirty(u, UI_DIRTY_BODY | UI_DIRTY_STATUS);
}

static void cmd_refresh(ui *u, const char *arg)
{
    (void)arg;
    ui_refresh(u);
}

static void cmd_profile(ui *u, const char *arg)
{
    if (!*arg) {
        ui_message(u, UI_MSG_INFO, "profile %s (app %s)", u->profile.name ? u->profile.name : "?",
                   u->profile.app_id ? u->profile.app_id : "?");
        return;
    }
    ui_profile_switch(u, arg);
}

static void cmd_quit(ui *u, const char *arg)
{
    (void)arg;
    u->quit = true;
}

static void cmd_help(ui *u, const char *arg)
{
    (void)arg;
    ui_help_open(u);
}

/* :list (:solutions): back to the solution list from any view, as k9s's resource names. */
static void cmd_list(ui *u, const char *arg)
{
    (void)arg;
    ui_view_close(u, NULL);
    ui_detail_focus_leave(u);
}

static const struct command {
    const char *name;
    const char *alias;
    void (*run)(ui *u, const char *arg);
} commands[] = {
    {"filter", "f", cmd_filter},   {"sort", "s", cmd_sort},         {"role", NULL, cmd_role},
    {"refresh", "r", cmd_refresh}, {"profile", "p", cmd_profile},   {"quit", "q", cmd_quit},
    {"help", "h", cmd_help},       {"list", "solutions", cmd_list},
};

#define COMMAND_COUNT (COUNT_OF(commands))

/* Exact name or alias first, then a unique prefix. */
static const struct command *find_command(const char *word)
{
    const struct command *found = NULL;
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcasecmp(word, commands[i].name) == 0 ||
            (commands[i].alias && strcasecmp(word, commands[i].alias) == 0))
            return &commands[i];
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if (strncasecmp(word, commands[i].name, strlen(word)) == 0) {
            if (found)
                return NULL;
            found = &commands[i];
        }
    }
    return found;
}

void ui_command_run(ui *u, const char *line)
{
    while (isspace((unsigned char)*line))
        line++;
    if (!*line)
        return;
    char word[64];
    size_t n = strcspn(line, " \t");
    if (n >= sizeof word)
        n = sizeof word - 1;
    memcpy(word, line, n);
    word[n] = '\0';
    const char *arg = line + strcspn(line, " \t");
    while (isspace((unsigned char)*arg))
        arg++;
    char argbuf[256];
    snprintf(argbuf, sizeof argbuf, "%s", arg);
    for (size_t len = strlen(argbuf); len > 0 && isspace((unsigned char)argbuf[len - 1]); len--)
        argbuf[len - 1] = '\0';
    const struct command *c = find_command(word);
    if (c) {
        c->run(u, argbuf);
        return;
    }
    /* Then the views: :partners, :events... (the registry, ui-views.h). */
    const ui_view_kind *kind = ui_view_kind_of_command(word);
    if (kind && kind->open) {
        kind->open(u);
        return;
    }
    char views[256];
    ui_view_commands(views, sizeof views);
    ui_message(u, UI_MSG_ERROR,
               "unknown command :%s (filter, sort, role, profile, refresh, help, q; views: list, "
               "%s)",
               word, views);
}

/* ---- the prompt overlay ------------------------------------------------------------------ */

typedef enum prompt_kind { PROMPT_COMMAND, PROMPT_SEARCH, PROMPT_NARROW } prompt_kind;

static const char *const prompt_leads[] = {
    [PROMPT_COMMAND] = ":",
    [PROMPT_SEARCH] = "/",
    [PROMPT_NARROW] = "narrow: ",
};

typedef struct prompt {
    prompt_kind kind;
    ui_edit line;
    long origin; /* search: where the selection was when / was pressed */
    char *origin_id;
    char *origin_narrow; /* narrow: the narrowing before, for Esc */
    bool no_match;
} prompt;

static void prompt_draw(ui *u, ui_view *v)
{
    prompt *p = v->data;
    if (!v->win)
        return;
    int wd = getmaxx(v->win);
    attr_t base = ui_theme_attr(&u->theme, THEME_STATUS);
    const char *lead = prompt_leads[p->kind];
    int lw = text_width(lead);
    ui_put(v->win, 0, 0, lead, lw, base | A_BOLD);
    const char *shown = ui_edit_tail(p->line.text, wd - lw - 1 - 26); /* room for the tail */
    int tw = text_width(shown);
    ui_put(v->win, 0, lw, shown, tw, base);
    int x = lw + tw;
    /* While searching: how many rows match and which of them is selected. */
    char tail[80] = "";
    if (p->kind == PROMPT_SEARCH && p->line.text[0]) {
        char matches[64];
        ui_search_count(u, p->line.text, matches, sizeof matches);
        snprintf(tail, sizeof tail, p->no_match ? "  (%s)" : "  %s", matches);
    } else if (p->kind == PROMPT_NARROW) {
        size_t n = store_visible_count(u->st);
        snprintf(tail, sizeof tail, "  %zu row%s shown", n, n == 1 ? "" : "s");
    }
    ui_put(v->win, 0, x, tail, wd - x,
           p->no_match ? ui_theme_attr(&u->theme, THEME_WARNING) : base);
    v->cursor_visible = true;
    v->cursor_y = 0;
    v->cursor_x = x < wd ? x : wd - 1;
}

void ui_prompt_resize(ui *u, ui_view *v)
{
    if (v->win)
        delwin(v->win);
    v->win = newwin(1, u->cols, u->rows - 1, 0);
    v->dirty = true;
}

static void prompt_destroy(ui *u, ui_view *v)
{
    (void)u;
    prompt *p = v->data;
    free(p->origin_id);
    free(p->origin_narrow);
    free(p);
}

static void complete_command(prompt *p)
{
    if (strchr(p->line.text, ' '))
        return;
    const char *only = NULL;
    size_t n = strlen(p->line.text);
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if (strncasecmp(p->line.text, commands[i].name, n) == 0) {
            if (only)
                return;
            only = commands[i].name;
        }
    }
    if (only) {
        char done[64];
        snprintf(done, sizeof done, "%s ", only);
        ui_edit_set(&p->line, done);
    }
}

static void search_changed(ui *u, prompt *p)
{
    p->no_match = !ui_search_step(u, p->line.text, p->origin);
}

static void prompt_submit(ui *u, prompt *p)
{
    char text[sizeof p->line.text];
    snprintf(text, sizeof text, "%s", p->line.text);
    prompt_kind kind = p->kind;
    ui_view_pop(u);
    if (kind == PROMPT_COMMAND) {
        ui_command_run(u, text);
    } else if (kind == PROMPT_NARROW) {
        ui_set_narrow(u, text); /* it is already: typing narrows as it goes */
    } else {
        ui_panel *panel = ui_panel_of(u);
        size_t n = strlen(text);
        if (n >= sizeof panel->list.search) { /* searched for as far as it fits, and said so */
            n = text_prev_char(text, sizeof panel->list.search);
            ui_message(u, UI_MSG_WARNING, "search cut to its first %zu characters",
                       text_char_count(text) - text_char_count(text + n));
        }
        memcpy(panel->list.search, text, n);
        panel->list.search[n] = '\0';
        ui_dirty(u, UI_DIRTY_STATUS | UI_DIRTY_TABS); /* its chip */
    }
}

static int prompt_key(ui *u, ui_view *v, int key, ui_request req)
{
    prompt *p = v->data;
    v->dirty = true;
    if (req == REQ_REDRAW)
        return UI_UNHANDLED;
    switch (ui_edit_key(u, &p->line, key, NULL)) {
    case UI_EDIT_CANCEL:
        if (p->kind == PROMPT_NARROW) /* Esc puts the narrowing back as it was */
            ui_set_narrow(u, p->origin_narrow);
        if (p->kind != PROMPT_COMMAND) /* and the selection where it was */
            ui_select_id(u, p->origin_id);
        ui_view_pop(u);
        break;
    case UI_EDIT_SUBMIT:
        prompt_submit(u, p);
        break;
    case UI_EDIT_ERASE_EMPTY: /* backspace on an empty prompt leaves it, as in vim */
        ui_view_pop(u);
        break;
    case UI_EDIT_COMPLETE:
        if (p->kind == PROMPT_COMMAND)
            complete_command(p);
        break;
    case UI_EDIT_CHANGED:
        if (p->kind == PROMPT_SEARCH)
            search_changed(u, p);
        else if (p->kind == PROMPT_NARROW)
            ui_set_narrow(u, p->line.text);
        break;
    default:
        break;
    }
    return UI_HANDLED;
}

const ui_view_ops ui_prompt_ops = {
    .name = "prompt",
    .covers_body = false,
    .draw = prompt_draw,
    .key = prompt_key,
    .resize = ui_prompt_resize,
    .destroy = prompt_destroy,
};

static void open_prompt(ui *u, prompt_kind kind)
{
    prompt *p = mps_xcalloc(1, sizeof *p);
    p->kind = kind;
    p->line.max = 255;
    p->origin = ui_panel_of(u)->list.sel;
    p->origin_id = mps_xstrdup(ui_panel_of(u)->sel_id);
    if (kind == PROMPT_NARROW) { /* the narrowing in force, to edit */
        p->origin_narrow = mps_xstrdup(store_narrow(u->st));
        ui_edit_set(&p->line, p->origin_narrow);
    }
    ui_view_push(u, &ui_prompt_ops, p);
}

void ui_prompt_open_command(ui *u)
{
    open_prompt(u, PROMPT_COMMAND);
}

void ui_prompt_open_search(ui *u)
{
    open_prompt(u, PROMPT_SEARCH);
}

void ui_prompt_open_narrow(ui *u)
{
    open_prompt(u, PROMPT_NARROW);
}
