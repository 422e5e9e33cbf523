/* Panel states, roles and the actions each role may take in each state, all as lookup tables. */
#include "mpsdash/state.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mpsdash/util.h"

/* ---- states ----------------------------------------------------------------------------- */

typedef struct state_names {
    const char *label;
    const char *short_label;
    const char *key;
} state_names;

static const state_names state_table[STATE_COUNT] = {
    [STATE_PENDING] = {"Pending", "Pending", "pending"},
    [STATE_ACTIVE] = {"Active", "Active", "active"},
    [STATE_PENDING_DEACTIVATION] = {"Pending deactivation", "Pending deact.",
                                    "pending-deactivation"},
    [STATE_DRAFT] = {"Draft", "Draft", "draft"},
    [STATE_INACTIVE] = {"Inactive", "Inactive", "inactive"},
    [STATE_DEACTIVATED] = {"Deactivated", "Deact.", "deactivated"},
    [STATE_OTHER] = {"Other", "Other", "other"},
};

/* API status -> panel state (DESIGN §1). Anything not listed is STATE_OTHER. */
typedef struct status_map {
    const char *status;
    mps_state state;
} status_map;

static const status_map status_table[] = {
    {"INITIATED", STATE_PENDING},
    {"PENDING", STATE_PENDING},
    {"ACTIVE", STATE_ACTIVE},
    {"PENDING_DEACTIVATION", STATE_PENDING_DEACTIVATION},
    {"DRAFT", STATE_DRAFT},
    {"REJECTED", STATE_INACTIVE},
    {"DEACTIVATED", STATE_DEACTIVATED},
};

static bool valid_state(mps_state st)
{
    return (int)st >= 0 && st < STATE_COUNT;
}

mps_state state_from_api(const char *status, const char *pending_request)
{
    if (!status)
        return STATE_OTHER;
    mps_state st = STATE_OTHER;
    for (size_t i = 0; i < COUNT_OF(status_table); i++)
        if (strcasecmp(status, status_table[i].status) == 0)
            st = status_table[i].state;
    /* An active (or still initiated) solution with an open deactivation request waits on
     * the answer to that request: its answers are offered, not accept/reject. */
    if ((st == STATE_ACTIVE || st == STATE_PENDING) && pending_request &&
        strcasecmp(pending_request, "PENDING_DEACTIVATION") == 0)
        st = STATE_PENDING_DEACTIVATION;
    return st;
}

mps_state solution_state(const mps_solution *s)
{
    return s ? state_from_api(s->status, s->pending_request) : STATE_OTHER;
}

const char *state_label(mps_state st)
{
    return valid_state(st) ? state_table[st].label : state_table[STATE_OTHER].label;
}

const char *state_short_label(mps_state st)
{
    return valid_state(st) ? state_table[st].short_label : state_table[STATE_OTHER].short_label;
}

const char *state_key(mps_state st)
{
    return valid_state(st) ? state_table[st].key : state_table[STATE_OTHER].key;
}

/* Lower-cases and folds '_', ' ' and '-' together, dropping a trailing '.', so "Pending deact.",
 * "pending_deactivation" and "PENDING-DEACTIVATION" compare alike. */
static void normalise_word(const char *in, char *out, size_t out_size)
{
    size_t n = 0;
    for (; *in && n + 1 < out_size; in++) {
        char c = *in;
        if (c == '_' || c == ' ')
            c = '-';
        out[n++] = (char)tolower((unsigned char)c);
    }
    while (n > 0 && (out[n - 1] == '.' || out[n - 1] == '-'))
        n--;
    out[n] = '\0';
}

static bool state_names_match(const state_names *names, const char *normalised)
{
    const char *const words[] = {names->key, names->label, names->short_label};
    char cand[64];
    for (size_t i = 0; i < COUNT_OF(words); i++) {
        normalise_word(words[i], cand, sizeof cand);
        if (strcmp(normalised, cand) == 0)
            return true;
    }
    return false;
}

bool state_parse(const char *word, mps_state *out, bool *all)
{
    if (!word)
        return false;
    char w[64], cand[64];
    if (strlen(word) >= sizeof w)
        return false;
    normalise_word(word, w, sizeof w);
    if (strcmp(w, "all") == 0) {
        if (all)
            *all = true;
        return true;
    }
    for (int st = 0; st < STATE_COUNT; st++) {
        if (state_names_match(&state_table[st], w)) {
            if (out)
                *out = (mps_state)st;
            if (all)
                *all = false;
            return true;
        }
    }
    /* The API's own words work too: "rejected", "initiated". */
    for (size_t i = 0; i < COUNT_OF(status_table); i++) {
        normalise_word(status_table[i].status, cand, sizeof cand);
        if (strcmp(w, cand) == 0) {
            if (out)
                *out = status_table[i].state;
            if (all)
                *all = false;
            return true;
        }
    }
    return false;
}

const char *solution_state_text(const mps_solution *s)
{
    mps_state st = solution_state(s);
    if (st == STATE_OTHER && s && s->status && s->status[0])
        return s->status;
    return state_label(st);
}

/* ---- roles ------------------------------------------------------------------------------ */

static const char *const role_labels[] = {
    [ROLE_UNKNOWN] = "?",
    [ROLE_OWNER] = "owner",
    [ROLE_PARTNER] = "partner",
};

bool state_signup_works(mps_state st)
{
    return st == STATE_ACTIVE || st == STATE_PENDING_DEACTIVATION;
}

mps_role solution_role(const mps_solution *s, const char *our_app_id)
{
    if (!s || !our_app_id || !our_app_id[0])
        return ROLE_UNKNOWN;
    if (s->owner_app.id && strcmp(s->owner_app.id, our_app_id) == 0)
        return ROLE_OWNER;
    for (size_t i = 0; i < s->partner_count; i++)
        if (s->partners[i].app.id && strcmp(s->partners[i].app.id, our_app_id) == 0)
            return ROLE_PARTNER;
    if (s->listed_role == ROLE_OWNER || s->listed_role == ROLE_PARTNER)
        return s->listed_role;
    if (s->partners_unavailable && s->owner_app.id && s->owner_app.id[0])
        return ROLE_PARTNER;
    return ROLE_UNKNOWN;
}

bool solution_partner_is_us(const mps_solution *s, const char *our_app_id)
{
    return s && s->partners_unavailable && s->partner_count == 0 &&
           solution_role(s, our_app_id) == ROLE_PARTNER;
}

const char *role_label(mps_role r)
{
    return ((int)r >= 0 && (size_t)r < COUNT_OF(role_labels)) ? role_labels[r] : "?";
}

typedef struct role_word {
    const char *word;
    mps_role role;
} role_word;

/* Only the two real roles: callers treat a true answer as "owner or partner". */
static const role_word role_words[] = {
    {"owner", ROLE_OWNER},
    {"partner", ROLE_PARTNER},
};

bool role_parse(const char *word, mps_role *out)
{
    if (!word)
        return false;
    for (size_t i = 0; i < COUNT_OF(role_words); i++) {
        if (strcasecmp(word, role_words[i].word) == 0) {
            if (out)
                *out = role_words[i].role;
            return true;
        }
    }
    return false;
}

/* ---- actions ---------------------------------------------------------------------------- */

/* Each effect states the consequences Meta's MPS guide gives for the action ("Accept the
 * solution request", "Editing or Deactivating Solutions"), so a confirmation says them. */
static const action_info action_table[ACTION_COUNT] = {
    [ACTION_ACCEPT] = {ACTION_ACCEPT, "accept", "Accept solution request", "accept", true,
                       "The solution becomes Active and each app is granted the permissions "
                       "shown; it cannot be declined once accepted. Either partner can then use "
                       "its id to configure Embedded Signup.",
                       STATE_ACTIVE},
    [ACTION_REJECT] = {ACTION_REJECT, "reject", "Reject solution request", "reject", false,
                       "The request is declined and the solution becomes Inactive for good: "
                       "it cannot be accepted later, and the partner must send a new request "
                       "(they are notified by email and Meta Business Suite).",
                       STATE_INACTIVE},
    [ACTION_REQUEST_DEACTIVATION] = {ACTION_REQUEST_DEACTIVATION, "request-deactivation",
                                     "Request deactivation", "send_deactivation_request", false,
                                     "The partner is asked to approve deactivating the "
                                     "solution; it stays Active and can still onboard "
                                     "customers until they accept.",
                                     STATE_PENDING_DEACTIVATION},
    [ACTION_ACCEPT_DEACTIVATION] = {ACTION_ACCEPT_DEACTIVATION, "accept-deactivation",
                                    "Accept deactivation request", "accept_deactivation_request",
                                    false,
                                    "The solution is Deactivated and can no longer onboard "
                                    "customers: neither partner should still offer its "
                                    "Embedded Signup.",
                                    STATE_DEACTIVATED},
    [ACTION_REJECT_DEACTIVATION] = {ACTION_REJECT_DEACTIVATION, "reject-deactivation",
                                    "Reject deactivation request", "reject_deactivation_request",
                                    false,
                                    "The deactivation request is declined; the solution stays "
                                    "Active and can go on onboarding customers.",
                                    STATE_ACTIVE},
};

const action_info *action_get(mps_action a)
{
    return ((int)a >= 0 && a < ACTION_COUNT) ? &action_table[a] : NULL;
}

bool action_parse(const char *verb, mps_action *out)
{
    if (!verb)
        return false;
    for (int a = 0; a < ACTION_COUNT; a++) {
        if (strcasecmp(verb, action_table[a].verb) == 0 ||
            strcasecmp(verb, action_table[a].endpoint) == 0) {
            if (out)
                *out = (mps_action)a;
            return true;
        }
    }
    return false;
}

#define BIT(a) (1u << (a))

/* What each role may do in each state, and what to tell it when an action is not offered. */
typedef struct action_rule {
    unsigned offered;
    const char *why_not;
} action_rule;

static const action_rule owner_rules[STATE_COUNT] = {
    [STATE_PENDING] = {0, "waiting for the partner to accept or decline"},
    [STATE_ACTIVE] = {BIT(ACTION_REQUEST_DEACTIVATION),
                      "the solution is active: the owner may only request deactivation"},
    [STATE_PENDING_DEACTIVATION] = {0, "waiting for the partner to accept or reject the "
                                       "deactivation"},
    [STATE_DRAFT] = {0, "the solution is a draft: it has not been sent to the partner"},
    [STATE_INACTIVE] = {0, "the partner declined this solution"},
    [STATE_DEACTIVATED] = {0, "the solution is deactivated"},
    [STATE_OTHER] = {0, "unknown status: no action is offered"},
};

static const action_rule partner_rules[STATE_COUNT] = {
    [STATE_PENDING] = {BIT(ACTION_ACCEPT) | BIT(ACTION_REJECT),
                       "the request awaits your answer: accept or reject it"},
    [STATE_ACTIVE] = {0, "the solution is active: only the owner may request deactivation"},
    [STATE_PENDING_DEACTIVATION] = {BIT(ACTION_ACCEPT_DEACTIVATION) |
                                        BIT(ACTION_REJECT_DEACTIVATION),
                                    "a deactivation request awaits your answer"},
    [STATE_DRAFT] = {0, "the solution is a draft: the owner has not sent it yet"},
    [STATE_INACTIVE] = {0, "this solution was declined"},
    [STATE_DEACTIVATED] = {0, "the solution is deactivated"},
    [STATE_OTHER] = {0, "unknown status: no action is offered"},
};

static const char *const role_unknown_reason = "this app is neither owner nor partner";

bool action_offered(mps_action a, mps_state st, mps_role r, const char **why_not)
{
    const char *reason = role_unknown_reason;
    bool ok = false;
    if ((int)a < 0 || a >= ACTION_COUNT) {
        reason = "unknown action";
    } else if (r == ROLE_OWNER || r == ROLE_PARTNER) {
        const action_rule *rules = r == ROLE_OWNER ? owner_rules : partner_rules;
        const action_rule *rule = &rules[valid_state(st) ? st : STATE_OTHER];
        ok = (rule->offered & BIT(a)) != 0;
        reason = rule->why_not;
    }
    if (why_not)
        *why_not = ok ? NULL : reason;
    return ok;
}
