/* Panel states, roles and the state x role -> offered-actions table (DESIGN §1). */
#ifndef MPSDASH_STATE_H
#define MPSDASH_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/model.h"

/* The panel labels, in tab-bar order. STATE_OTHER collects unknown statuses (kept, shown raw). */
typedef enum mps_state {
    STATE_PENDING,
    STATE_ACTIVE,
    STATE_PENDING_DEACTIVATION,
    STATE_DRAFT,
    STATE_INACTIVE,
    STATE_DEACTIVATED,
    STATE_OTHER,
    STATE_COUNT
} mps_state;

/* status + status_for_pending_request -> panel state. NULLs allowed. */
mps_state state_from_api(const char *status, const char *pending_request);
mps_state solution_state(const mps_solution *s);
const char *state_label(mps_state st);       /* "Pending deactivation" */
const char *state_short_label(mps_state st); /* "Pending deact." for the tab bar */
const char *state_key(mps_state st);         /* "pending-deactivation": --filter / :filter word */
/* Parses a filter word ("pending", "Pending deact.", "pending_deactivation", "inactive"...),
 * case-insensitive. Sets *all for "all". Returns false for an unknown word. */
bool state_parse(const char *word, mps_state *out, bool *all);
/* The label to show for one solution: the panel label, or the raw status for STATE_OTHER. */
const char *solution_state_text(const mps_solution *s);
/* Whether Embedded Signup configured with a solution in state st works: Meta's guide says
 * customers see an error in every state but Active and Pending deactivation (which still
 * onboards until the partner accepts); unknown states are not vouched for. */
bool state_signup_works(mps_state st);

/* Owner when owner_app.id is our app id, partner when one of the partners' app id is; else
 * the role of the role= listing the solution came from; else, on a server without partners
 * data, partner when another app owns it (an app sees only solutions it owns or was invited
 * to). */
mps_role solution_role(const mps_solution *s, const char *our_app_id);
const char *role_label(mps_role r); /* "owner", "partner", "?" */
/* On a server without partners data, the partner app of a solution our app was invited to is
 * our own app (an MPS has one partner app): what the review can still name. Its status and
 * permissions stay unknown. */
bool solution_partner_is_us(const mps_solution *s, const char *our_app_id);
bool role_parse(const char *word, mps_role *out); /* owner|partner, any case */

typedef enum mps_action {
    ACTION_ACCEPT,
    ACTION_REJECT,
    ACTION_REQUEST_DEACTIVATION,
    ACTION_ACCEPT_DEACTIVATION,
    ACTION_REJECT_DEACTIVATION,
    ACTION_COUNT
} mps_action;

typedef struct action_info {
    mps_action action;
    const char *verb;     /* CLI subcommand: "accept", "request-deactivation", ... */
    const char *title;    /* "Accept solution request" */
    const char *endpoint; /* Graph edge: "accept", "send_deactivation_request", ... */
    bool irreversible;    /* accept: a solution cannot be declined once accepted */
    const char *effect;   /* one sentence: what happens on success */
    mps_state after;      /* the state a solution is in once the action has been carried out */
} action_info;

const action_info *action_get(mps_action a);
bool action_parse(const char *verb, mps_action *out);
/* Whether the panel offers action a for a solution in state st seen by role r. When not,
 * *why_not (if given) gets a short reason for the disabled-action hint. */
bool action_offered(mps_action a, mps_state st, mps_role r, const char **why_not);

#endif
