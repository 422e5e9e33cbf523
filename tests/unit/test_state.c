/* Unit tests for the status -> panel state mapping, roles and the state x role actions table. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mpsdash/state.h"

/* ---- states ----------------------------------------------------------------------------- */

typedef struct mapping_case {
    const char *status, *pending;
    mps_state want;
} mapping_case;

static void api_status_maps_to_panel_state(void **state)
{
    (void)state;
    static const mapping_case cases[] = {
        {"INITIATED", NULL, STATE_PENDING},
        {"PENDING", NULL, STATE_PENDING},
        {"INITIATED", "PENDING_ACTIVATION", STATE_PENDING},
        {"ACTIVE", NULL, STATE_ACTIVE},
        {"ACTIVE", "NONE", STATE_ACTIVE},
        {"ACTIVE", "PENDING_ACTIVATION", STATE_ACTIVE},
        {"ACTIVE", "PENDING_DEACTIVATION", STATE_PENDING_DEACTIVATION},
        /* a deactivation asked for before the solution went active: its answers apply */
        {"INITIATED", "PENDING_DEACTIVATION", STATE_PENDING_DEACTIVATION},
        {"PENDING", "PENDING_DEACTIVATION", STATE_PENDING_DEACTIVATION},
        {"PENDING_DEACTIVATION", NULL, STATE_PENDING_DEACTIVATION},
        {"DRAFT", NULL, STATE_DRAFT},
        {"REJECTED", NULL, STATE_INACTIVE},
        {"DEACTIVATED", NULL, STATE_DEACTIVATED},
        {"DEACTIVATED", "PENDING_DEACTIVATION", STATE_DEACTIVATED},
        {"SUSPENDED_BY_META", NULL, STATE_OTHER},
        {"", NULL, STATE_OTHER},
        {NULL, NULL, STATE_OTHER},
        {NULL, "PENDING_DEACTIVATION", STATE_OTHER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mps_state got = state_from_api(cases[i].status, cases[i].pending);
        if (got != cases[i].want)
            fail_msg("status %s / pending %s: got %s, want %s",
                     cases[i].status ? cases[i].status : "NULL",
                     cases[i].pending ? cases[i].pending : "NULL", state_key(got),
                     state_key(cases[i].want));
    }
}

static void every_state_has_label_short_label_and_key(void **state)
{
    (void)state;
    for (int st = 0; st < STATE_COUNT; st++) {
        assert_non_null(state_label((mps_state)st));
        assert_non_null(state_short_label((mps_state)st));
        assert_non_null(state_key((mps_state)st));
        /* The key parses back to the same state. */
        mps_state back = STATE_COUNT;
        bool all = true;
        assert_true(state_parse(state_key((mps_state)st), &back, &all));
        assert_int_equal(back, st);
        assert_false(all);
    }
    assert_string_equal(state_label(STATE_PENDING_DEACTIVATION), "Pending deactivation");
    assert_string_equal(state_short_label(STATE_PENDING_DEACTIVATION), "Pending deact.");
    assert_string_equal(state_key(STATE_PENDING_DEACTIVATION), "pending-deactivation");
    assert_string_equal(state_label(STATE_INACTIVE), "Inactive");
    assert_string_equal(state_label((mps_state)99), "Other");
}

static void filter_words_parse_in_any_spelling(void **state)
{
    (void)state;
    static const struct {
        const char *word;
        mps_state want;
    } cases[] = {
        {"pending", STATE_PENDING},
        {"PENDING", STATE_PENDING},
        {"Pending deact.", STATE_PENDING_DEACTIVATION},
        {"pending_deactivation", STATE_PENDING_DEACTIVATION},
        {"pending deactivation", STATE_PENDING_DEACTIVATION},
        {"inactive", STATE_INACTIVE},
        {"rejected", STATE_INACTIVE},
        {"initiated", STATE_PENDING},
        {"Deact.", STATE_DEACTIVATED},
        {"deactivated", STATE_DEACTIVATED},
        {"draft", STATE_DRAFT},
        {"other", STATE_OTHER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mps_state got = STATE_COUNT;
        bool all = true;
        if (!state_parse(cases[i].word, &got, &all))
            fail_msg("%s did not parse", cases[i].word);
        assert_int_equal(got, cases[i].want);
        assert_false(all);
    }
    bool all = false;
    assert_true(state_parse("All", NULL, &all));
    assert_true(all);
}

static void unknown_filter_word_is_refused(void **state)
{
    (void)state;
    mps_state st;
    bool all;
    assert_false(state_parse("pendin", &st, &all));
    assert_false(state_parse("", &st, &all));
    assert_false(state_parse(NULL, &st, &all));
    assert_false(state_parse("active;rm", &st, &all));
}

static void unknown_status_is_shown_raw(void **state)
{
    (void)state;
    mps_solution s = {0};
    s.status = "SUSPENDED_BY_META";
    assert_int_equal(solution_state(&s), STATE_OTHER);
    assert_string_equal(solution_state_text(&s), "SUSPENDED_BY_META");
    s.status = "ACTIVE";
    s.pending_request = "PENDING_DEACTIVATION";
    assert_string_equal(solution_state_text(&s), "Pending deactivation");
    s.status = NULL;
    s.pending_request = NULL;
    assert_string_equal(solution_state_text(&s), "Other");
}

/* ---- roles ------------------------------------------------------------------------------ */

static void role_follows_owner_and_partner_app_ids(void **state)
{
    (void)state;
    mps_partner partners[2] = {0};
    partners[0].app.id = "111";
    partners[1].app.id = "222";
    mps_solution s = {0};
    s.owner_app.id = "999";
    s.partners = partners;
    s.partner_count = 2;
    assert_int_equal(solution_role(&s, "999"), ROLE_OWNER);
    assert_int_equal(solution_role(&s, "222"), ROLE_PARTNER);
    assert_int_equal(solution_role(&s, "333"), ROLE_UNKNOWN);
    assert_int_equal(solution_role(&s, NULL), ROLE_UNKNOWN);
    assert_int_equal(solution_role(&s, ""), ROLE_UNKNOWN);
    s.owner_app.id = NULL;
    assert_int_equal(solution_role(&s, "999"), ROLE_UNKNOWN);
}

static void role_labels_and_words(void **state)
{
    (void)state;
    assert_string_equal(role_label(ROLE_OWNER), "owner");
    assert_string_equal(role_label(ROLE_PARTNER), "partner");
    assert_string_equal(role_label(ROLE_UNKNOWN), "?");
    mps_role r = ROLE_UNKNOWN;
    assert_true(role_parse("OWNER", &r));
    assert_int_equal(r, ROLE_OWNER);
    assert_true(role_parse("partner", &r));
    assert_int_equal(r, ROLE_PARTNER);
    /* "all"/"any" are the callers' words for no filter, not roles. */
    assert_false(role_parse("any", &r));
    assert_false(role_parse("all", &r));
    assert_false(role_parse("admin", &r));
    assert_false(role_parse(NULL, &r));
}

/* ---- actions ---------------------------------------------------------------------------- */

static void actions_table_names_endpoints_and_verbs(void **state)
{
    (void)state;
    static const struct {
        mps_action a;
        const char *verb, *endpoint;
    } want[] = {
        {ACTION_ACCEPT, "accept", "accept"},
        {ACTION_REJECT, "reject", "reject"},
        {ACTION_REQUEST_DEACTIVATION, "request-deactivation", "send_deactivation_request"},
        {ACTION_ACCEPT_DEACTIVATION, "accept-deactivation", "accept_deactivation_request"},
        {ACTION_REJECT_DEACTIVATION, "reject-deactivation", "reject_deactivation_request"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const action_info *ai = action_get(want[i].a);
        assert_non_null(ai);
        assert_int_equal(ai->action, want[i].a);
        assert_string_equal(ai->verb, want[i].verb);
        assert_string_equal(ai->endpoint, want[i].endpoint);
        assert_non_null(ai->title);
        assert_non_null(ai->effect);
        mps_action back = ACTION_COUNT;
        assert_true(action_parse(want[i].verb, &back));
        assert_int_equal(back, want[i].a);
    }
    assert_null(action_get(ACTION_COUNT));
    assert_false(action_parse("delete", NULL));
}

static void only_accept_is_irreversible(void **state)
{
    (void)state;
    for (int a = 0; a < ACTION_COUNT; a++)
        assert_int_equal(action_get((mps_action)a)->irreversible, a == ACTION_ACCEPT);
    assert_non_null(strstr(action_get(ACTION_ACCEPT)->effect, "cannot be declined once accepted"));
}

/* The guide's states table: Embedded Signup shows customers an error in every state but Active
 * (and Pending deactivation, which onboards until the partner accepts). */
static void embedded_signup_works_only_while_active(void **state)
{
    (void)state;
    for (int st = 0; st < STATE_COUNT; st++)
        assert_int_equal(state_signup_works((mps_state)st),
                         st == STATE_ACTIVE || st == STATE_PENDING_DEACTIVATION);
}

/* A confirmation states the consequence the guide gives for each action. */
static void effects_state_the_guides_consequences(void **state)
{
    (void)state;
    static const struct {
        mps_action a;
        const char *says;
    } want[] = {
        {ACTION_ACCEPT, "cannot be declined once accepted"},
        {ACTION_REJECT, "must send a new request"},
        {ACTION_REQUEST_DEACTIVATION, "can still onboard customers until they accept"},
        {ACTION_ACCEPT_DEACTIVATION, "can no longer onboard customers"},
        {ACTION_REJECT_DEACTIVATION, "stays Active"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(action_get(want[i].a)->effect, want[i].says))
            fail_msg("%s: \"%s\" lacks \"%s\"", action_get(want[i].a)->verb,
                     action_get(want[i].a)->effect, want[i].says);
}

/* The whole table, DESIGN §1: which (state, role) offers which actions. */
static void offered_actions_match_design_table(void **state)
{
    (void)state;
    typedef struct {
        mps_state st;
        mps_role r;
        unsigned offered; /* bit per action */
    } row;
#define B(a) (1u << (a))
    static const row rows[] = {
        {STATE_PENDING, ROLE_PARTNER, B(ACTION_ACCEPT) | B(ACTION_REJECT)},
        {STATE_PENDING, ROLE_OWNER, 0},
        {STATE_ACTIVE, ROLE_OWNER, B(ACTION_REQUEST_DEACTIVATION)},
        {STATE_ACTIVE, ROLE_PARTNER, 0},
        {STATE_PENDING_DEACTIVATION, ROLE_PARTNER,
         B(ACTION_ACCEPT_DEACTIVATION) | B(ACTION_REJECT_DEACTIVATION)},
        {STATE_PENDING_DEACTIVATION, ROLE_OWNER, 0},
    };
#undef B
    for (int st = 0; st < STATE_COUNT; st++) {
        for (int r = ROLE_UNKNOWN; r <= ROLE_PARTNER; r++) {
            unsigned want = 0;
            for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
                if (rows[i].st == (mps_state)st && rows[i].r == (mps_role)r)
                    want = rows[i].offered;
            for (int a = 0; a < ACTION_COUNT; a++) {
                const char *why = "unset";
                bool got = action_offered((mps_action)a, (mps_state)st, (mps_role)r, &why);
                bool exp = (want >> a) & 1u;
                if (got != exp)
                    fail_msg("%s as %s, %s: offered=%d, want %d", state_key((mps_state)st),
                             role_label((mps_role)r), action_get((mps_action)a)->verb, got, exp);
                if (got)
                    assert_null(why);
                else
                    assert_true(why && why[0]); /* every refusal explains itself */
            }
        }
    }
}

static void owner_of_pending_solution_is_told_to_wait(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_false(action_offered(ACTION_ACCEPT, STATE_PENDING, ROLE_OWNER, &why));
    assert_string_equal(why, "waiting for the partner to accept or decline");
    assert_false(
        action_offered(ACTION_ACCEPT_DEACTIVATION, STATE_PENDING_DEACTIVATION, ROLE_OWNER, &why));
    assert_non_null(strstr(why, "waiting for the partner"));
}

static void unknown_role_is_offered_nothing(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_false(action_offered(ACTION_ACCEPT, STATE_PENDING, ROLE_UNKNOWN, &why));
    assert_string_equal(why, "this app is neither owner nor partner");
    assert_false(action_offered(ACTION_REQUEST_DEACTIVATION, STATE_ACTIVE, ROLE_UNKNOWN, NULL));
}

static void terminal_states_give_distinct_reasons(void **state)
{
    (void)state;
    const char *draft, *inactive, *deact, *other;
    action_offered(ACTION_ACCEPT, STATE_DRAFT, ROLE_PARTNER, &draft);
    action_offered(ACTION_ACCEPT, STATE_INACTIVE, ROLE_PARTNER, &inactive);
    action_offered(ACTION_ACCEPT, STATE_DEACTIVATED, ROLE_PARTNER, &deact);
    action_offered(ACTION_ACCEPT, STATE_OTHER, ROLE_PARTNER, &other);
    assert_string_not_equal(draft, inactive);
    assert_string_not_equal(inactive, deact);
    assert_string_not_equal(deact, other);
    assert_string_not_equal(draft, other);
}

int main(void)
{
    setlocale(LC_ALL, "");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(api_status_maps_to_panel_state),
        cmocka_unit_test(every_state_has_label_short_label_and_key),
        cmocka_unit_test(filter_words_parse_in_any_spelling),
        cmocka_unit_test(unknown_filter_word_is_refused),
        cmocka_unit_test(unknown_status_is_shown_raw),
        cmocka_unit_test(role_follows_owner_and_partner_app_ids),
        cmocka_unit_test(role_labels_and_words),
        cmocka_unit_test(actions_table_names_endpoints_and_verbs),
        cmocka_unit_test(only_accept_is_irreversible),
        cmocka_unit_test(effects_state_the_guides_consequences),
        cmocka_unit_test(embedded_signup_works_only_while_active),
        cmocka_unit_test(offered_actions_match_design_table),
        cmocka_unit_test(owner_of_pending_solution_is_told_to_wait),
        cmocka_unit_test(unknown_role_is_offered_nothing),
        cmocka_unit_test(terminal_states_give_distinct_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
