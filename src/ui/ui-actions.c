/* The one action dispatcher: --readonly and action_offered are checked here and nowhere else;
 * confirmed actions go to the worker, their outcome to the screen and the audit log. */
#include "ui-actions.h"
#include "mpsdash/cli.h"
#include "ui-data.h"
#include "ui-internal.h"
#include "ui-panel.h"
#include "ui-views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "mpsdash/util.h"

bool ui_action_available(const ui *u, const mps_solution *s, mps_action a, const char **why)
{
    if (u->readonly) {
        if (why)
            *why = "read-only (--readonly)";
        return false;
    }
    return action_offered(a, solution_state(s), solution_role(s, u->profile.app_id), why);
}

bool ui_action_in_flight(const ui *u, const char *solution_id)
{
    for (size_t i = 0; solution_id && i < u->action_count; i++)
        if (strcmp(u->actions[i].solution_id, solution_id) == 0)
            return true;
    return false;
}

bool ui_mutation_allowed(ui *u, const char *verb)
{
    if (u->readonly) {
        ui_message(u, UI_MSG_WARNING, "read-only: %s is not sent (started with --readonly)", verb);
        return false;
    }
    return true;
}

void ui_action_request(ui *u, mps_action action)
{
    ui_action_request_as(u, action, ui_selected(u), NULL);
}

void ui_action_request_as(ui *u, mps_action action, const mps_solution *s, const ui_actor *as)
{
    const action_info *ai = action_get(action);
    if (!ui_mutation_allowed(u, ai->verb))
        return;
    if (as && as->readonly) { /* another profile's row: that profile's own readonly = true */
        ui_message(u, UI_MSG_WARNING,
                   "read-only: %s is not sent: profile '%s' says readonly = true "
                   "(--no-readonly allows it)",
                   ai->verb, as->profile ? as->profile : "?");
        return;
    }
    if (!s) {
        ui_message(u, UI_MSG_INFO, "no solution selected");
        return;
    }
    /* The role is the acting app's: the inbox's row may be another profile's. */
    const char *why = NULL;
    const char *app = as ? as->app_id : u->profile.app_id;
    if (!action_offered(action, solution_state(s), solution_role(s, app), &why)) {
        ui_message(u, UI_MSG_WARNING, "%s is not offered for \"%s\": %s", ai->verb,
                   s->name ? s->name : s->id, why ? why : "not in this state");
        return;
    }
    if (ui_action_in_flight(u, s->id)) {
        ui_message(u, UI_MSG_WARNING, "a request for \"%s\" is already in flight",
                   s->name ? s->name : s->id);
        return;
    }
    ui_dialog_open(u, action, s, as);
}

void ui_audit(ui *u, const audit_entry *e)
{
    mps_errtext err;
    if (audit_append(u->audit_path, e, err, sizeof err) != 0)
        ui_message(u, UI_MSG_ERROR, "audit log: %s", err);
}

static void pending_free(ui_pending_action *pa)
{
    free(pa->solution_id);
    free(pa->name);
    free(pa->profile);
    free(pa->app_id);
}

/* The record is made as the profile the action was sent as (another one from the inbox). */
static void entry_init(ui *u, const ui_pending_action *pa, audit_entry *e)
{
    audit_entry_init(e, &u->profile);
    if (pa->profile) { /* sent as another profile (the inbox): recorded as that one */
        e->profile = pa->profile;
        e->app_id = pa->app_id;
    }
    e->solution_id = pa->solution_id;
    e->action = action_get(pa->action)->verb;
}

static void audit(ui *u, const ui_pending_action *pa, const char *outcome, const char *phase,
                  const char *fbtrace_id, const char *detail)
{
    if (!u->audit_path)
        return;
    audit_entry e;
    entry_init(u, pa, &e);
    e.outcome = outcome;
    e.fbtrace_id = fbtrace_id && fbtrace_id[0] ? fbtrace_id : NULL;
    e.detail = detail && detail[0] ? detail : NULL;
    e.intent = pa->intent[0] ? pa->intent : NULL;
    e.phase = pa->intent[0] ? phase : NULL;
    ui_audit(u, &e);
}

/* The write-ahead intent, before anything is sent: false (and said) when the log cannot take
 * it, unless the dashboard was started with --without-audit. */
static bool write_intent(ui *u, ui_pending_action *pa)
{
    bool unaudited_ok = u->opts && u->opts->globals && u->opts->globals->without_audit;
    mps_errtext err = "no audit log: no home directory to keep it in";
    if (u->audit_path) {
        audit_new_intent_id(pa->intent);
        audit_entry e;
        entry_init(u, pa, &e);
        e.outcome = AUDIT_PENDING;
        e.intent = pa->intent;
        e.phase = AUDIT_PHASE_INTENT;
        if (audit_append(u->audit_path, &e, err, sizeof err) == 0)
            return true;
    }
    pa->intent[0] = '\0';
    if (unaudited_ok)
        return true;
    ui_message(u, UI_MSG_ERROR, "%s: nothing was sent: it could not be recorded (%s)",
               action_get(pa->action)->verb, err);
    return false;
}

void ui_action_submit(ui *u, mps_action action, const mps_solution *shown, const char *reason,
                      const ui_actor *as)
{
    if (u->readonly || !shown || !shown->id)
        return;
    ui_pending_action next = {.action = action};
    next.solution_id = mps_xstrdup(shown->id);
    next.name = mps_xstrdup(shown->name ? shown->name : shown->id);
    next.identity = as ? as->identity : 0;
    next.profile = as ? mps_xstrdup(as->profile) : NULL;
    next.app_id = as ? mps_xstrdup(as->app_id) : NULL;
    if (!write_intent(u, &next)) {
        pending_free(&next);
        return;
    }
    graph_op *op = graph_op_action(action, shown->id, shown);
    graph_op_set_reason(op, reason);
    /* The job carries the actor's identity: its token and app, re-check and read-back too. */
    next.job = ui_data_submit_as(u, next.identity, op, UI_TAG_ACTION);
    if (!next.job) {
        audit(u, &next, AUDIT_NOT_SENT, AUDIT_PHASE_OUTCOME, NULL, "not connected");
        pending_free(&next);
        ui_message(u, UI_MSG_ERROR, "not connected: nothing was sent");
        return;
    }
    u->actions = mps_xreallocarray(u->actions, u->action_count + 1, sizeof *u->actions);
    ui_pending_action *pa = &u->actions[u->action_count++];
    *pa = next;
    pa->started = ui_now();
    if (pa->profile)
        ui_message(u, UI_MSG_INFO, "%s as %s: checking \"%s\" again and sending%s",
                   action_get(action)->title, pa->profile, pa->name, u->utf8 ? "\u2026" : "...");
    else
        ui_message(u, UI_MSG_INFO, "%s: checking \"%s\" again and sending%s",
                   action_get(action)->title, pa->name, u->utf8 ? "\u2026" : "...");
    ui_dirty(u, UI_DIRTY_LIST | UI_DIRTY_DETAIL);
}

void ui_actions_abandon(ui *u, const char *why)
{
    for (size_t i = 0; i < u->action_count; i++) {
        audit(u, &u->actions[i], AUDIT_UNKNOWN, AUDIT_PHASE_INTERRUPTED, NULL, why);
        pending_free(&u->actions[i]);
    }
    free(u->actions);
    u->actions = NULL;
    u->action_count = 0;
}

/* What the server holds now (the op's read-back), taken out of the result; NULL when the answer
 * had none. The caller frees it. */
static mps_solution *take_now(worker_result *r)
{
    if (r->data.solution_count == 0 || !r->data.solutions[0] || !r->data.solutions[0]->id)
        return NULL;
    mps_solution *s = r->data.solutions[0];
    r->data.solutions[0] = NULL;
    return s;
}

/* Every row that shows the solution takes what the server holds now: the main list's (the
 * state is the solution's, whoever read it back) and, for an inbox action, the inbox's. */
static void update_rows(ui *u, const ui_pending_action *pa, const mps_solution *now)
{
    if (!now)
        return;
    if (pa->identity)
        ui_inbox_update(u, pa->identity, now);
    if (!pa->identity || store_find(u->st, now->id)) {
        store_upsert_take(u->st, solution_dup(now));
        ui_selection_sync(u);
    }
    ui_dirty(u, UI_DIRTY_BODY | UI_DIRTY_STATUS);
}

/* Fetches the solution again as the actor, to the rows that show it. */
static void fetch_again(ui *u, const ui_pending_action *pa)
{
    if (pa->identity)
        ui_data_submit_as(u, pa->identity, graph_op_get_solution(pa->solution_id), UI_TAG_INBOX);
    else
        ui_data_submit(u, graph_op_get_solution(pa->solution_id), UI_TAG_DETAIL);
}

void ui_action_result(ui *u, worker_result *r)
{
    if (!r->done)
        return;
    size_t i = 0;
    while (i < u->action_count && u->actions[i].job != r->job)
        i++;
    if (i == u->action_count)
        return;
    ui_pending_action pa = u->actions[i];
    memmove(&u->actions[i], &u->actions[i + 1], (u->action_count - i - 1) * sizeof pa);
    u->action_count--;
    const action_info *ai = action_get(pa.action);
    const graph_error *e = &r->error;
    mps_errtext msg;
    graph_error_format(e, msg, sizeof msg);
    /* What the server holds now, for every outcome that read it back. */
    mps_solution *now = take_now(r);
    /* "Accept as overdrive": an inbox action says whom it was sent as. */
    char title[160];
    if (pa.profile)
        snprintf(title, sizeof title, "%s as %s", ai->title, pa.profile);
    else
        snprintf(title, sizeof title, "%s", ai->title);

    if (e->cls == GRAPH_OK && r->data.success) {
        update_rows(u, &pa, now);
        if (!now) /* the answer was {"success":true}: fetch what it looks like now */
            fetch_again(u, &pa);
        audit(u, &pa, AUDIT_OK, AUDIT_PHASE_OUTCOME, r->data.fbtrace_id, NULL);
        ui_message(u, UI_MSG_INFO, "%s: done, \"%s\" is now %s", title, pa.name,
                   now ? solution_state_text(now) : "updated");
    } else if (e->cls == GRAPH_OK) {
        audit(u, &pa, AUDIT_REFUSED, AUDIT_PHASE_OUTCOME, r->data.fbtrace_id, "success:false");
        ui_message(u, UI_MSG_ERROR, "%s: the server answered success:false for \"%s\"", title,
                   pa.name);
        fetch_again(u, &pa);
    } else if (e->cls == GRAPH_ERR_CHANGED) {
        const char *changes = r->data.changes ? r->data.changes : "the solution changed";
        audit(u, &pa, AUDIT_CHANGED, AUDIT_PHASE_OUTCOME, e->fbtrace_id, changes);
        update_rows(u, &pa, now);
        char text[2048];
        snprintf(text, sizeof text,
                 "Nothing was sent: \"%s\" changed on the server since the confirmation "
                 "showed it.\n\n%s\n\nReview the solution again before deciding.",
                 pa.name, changes);
        ui_textbox_open(u, "Not sent: the solution changed", text, NULL);
        /* One line for the status area: the changes are one per line. */
        char flat[1024];
        size_t n = 0;
        for (const char *c = changes; *c && n + 3 < sizeof flat; c++) {
            if (*c == '\n') {
                flat[n++] = ';';
                flat[n++] = ' ';
            } else {
                flat[n++] = *c;
            }
        }
        flat[n] = '\0';
        ui_message(u, UI_MSG_WARNING, "%s not sent: \"%s\" changed: %s", ai->verb, pa.name, flat);
    } else if (e->outcome_unknown) {
        update_rows(u, &pa, now);
        /* What the read-back says comes first: it is what the user has to know, and a long
         * transport error after it may be cut off on a narrow terminal. Only the transport's
         * own words follow: the graph layer's "may or may not have been applied" hint was
         * written before the read-back and would contradict its verdict. */
        if (now) {
            const char *verdict = solution_state(now) == ai->after ? "made" : "not made";
            char detail[900];
            snprintf(detail, sizeof detail, "no answer came (%s); read back: %s, the change was %s",
                     e->message, solution_state_text(now), verdict);
            audit(u, &pa, AUDIT_UNKNOWN, AUDIT_PHASE_OUTCOME, e->fbtrace_id, detail);
            ui_message(u, UI_MSG_ERROR,
                       "%s: no answer came; read back, \"%s\" is %s: the change was %s (%s)", title,
                       pa.name, solution_state_text(now), verdict, e->message);
        } else {
            audit(u, &pa, AUDIT_UNKNOWN, AUDIT_PHASE_OUTCOME, e->fbtrace_id, msg);
            ui_message(u, UI_MSG_ERROR,
                       "%s: no answer came and the solution could not be read back: reload "
                       "with R and look before trying again (%s)",
                       title, msg);
        }
    } else {
        audit(u, &pa, AUDIT_ERROR, AUDIT_PHASE_OUTCOME, e->fbtrace_id, msg);
        ui_message(u, UI_MSG_ERROR, "%s failed: %s", title, msg);
    }
    solution_free(now);
    pending_free(&pa);
    ui_quit_note_outcome(u);
    ui_dirty(u, UI_DIRTY_LIST | UI_DIRTY_DETAIL | UI_DIRTY_STATUS);
}
