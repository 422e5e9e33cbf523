/* The one action dispatcher (ui-actions.c) and what hangs on it: whom an action is sent as, the
 * actions in flight, the confirmation dialog (ui-dialog.c), the audit log, and quitting while
 * actions are in flight (ui-quit.c). Only the dispatcher decides; views ask it. */
#ifndef MPSDASH_UI_ACTIONS_H
#define MPSDASH_UI_ACTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "mpsdash/audit.h"
#include "mpsdash/model.h"
#include "mpsdash/state.h"
#include "mpsdash/worker.h"

typedef struct ui ui;

/* Whom an action is sent as. The main list acts as the dashboard's profile (identity 0); the
 * inbox as the row's profile, through that profile's own worker identity (its token, its app),
 * never through the current profile's. */
typedef struct ui_actor {
    const char *profile; /* its name */
    const char *app_id;
    unsigned long identity; /* worker_add_identity's id; 0: the dashboard's profile */
    bool readonly;          /* the profile says readonly = true (and no --no-readonly) */
} ui_actor;

/* A mutating request in flight (for the audit line and the row marker). */
typedef struct ui_pending_action {
    unsigned long job;
    mps_action action;
    char *solution_id;
    char *name;
    unsigned long identity; /* as ui_actor; 0: the dashboard's profile */
    char *profile;          /* the actor's profile and app; NULL for identity 0 */
    char *app_id;
    char intent[17];         /* its write-ahead id in the audit log; "" when sent unrecorded */
    double started;          /* ui_now() when sent: the status area counts its time (ui-status.c) */
    graph_progress progress; /* its re-check's or read-back's retries (never the POST's) */
} ui_pending_action;

/* ---- ui-actions.c: the one action dispatcher ---- */
/* Checks --readonly and action_offered, then opens the confirmation. */
void ui_action_request(ui *u, mps_action action);
/* The same for solution s as `as` (NULL: the dashboard's profile), whose app decides the role. */
void ui_action_request_as(ui *u, mps_action action, const mps_solution *s, const ui_actor *as);
/* The dialog confirmed: re-check and send as `as` (NULL: the dashboard's profile). shown is
 * what the dialog displayed (copied); reason (reject: rejection_reason) may be NULL or empty. */
void ui_action_submit(ui *u, mps_action action, const mps_solution *shown, const char *reason,
                      const ui_actor *as);
void ui_action_result(ui *u, worker_result *r);
bool ui_action_in_flight(const ui *u, const char *solution_id);
/* Writes an audit line for actions still in flight when the dashboard quits or switches. */
void ui_actions_abandon(ui *u, const char *why);
/* Only the dispatcher decides; views ask it what to show. */
bool ui_action_available(const ui *u, const mps_solution *s, mps_action a, const char **why);
/* ui-dialog.c: the confirmation; as: whom the action will be sent as (copied; NULL: the
 * dashboard's profile). */
void ui_dialog_open(ui *u, mps_action action, const mps_solution *s, const ui_actor *as);
/* The dispatcher's --readonly rule for mutating requests that are not solution actions
 * (create). Says why in the status line when it refuses. */
bool ui_mutation_allowed(ui *u, const char *verb);
/* Appends e to the profile's audit log (u->audit_path, set); a failure is shown in the status
 * line. */
void ui_audit(ui *u, const audit_entry *e);

/* ---- ui-quit.c ---- */
/* q: quits, or asks first (Wait / Quit anyway) while a mutating request is in flight. */
void ui_quit_request(ui *u);
/* After an action's outcome is in the status line: keeps it for the exit report while waiting
 * to quit, and quits once none is left in flight. */
void ui_quit_note_outcome(ui *u);
/* After the screen is gone: what became of each request in flight when quitting. */
void ui_quit_report(const ui *u, FILE *out);

#endif
