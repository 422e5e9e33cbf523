/* Unit tests for the dashboard's key table: key names both ways, default bindings, remapping
 * from the config (and what it refuses), and the help text's key lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four above first. */
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "../../src/ui/ui-keys.h"

static int key_of(const char *spec)
{
    int k = -1;
    if (!ui_key_parse(spec, &k))
        fail_msg("cannot parse key spec '%s'", spec);
    return k;
}

static void key_specs_parse_and_name_round_trip(void **state)
{
    (void)state;
    static const char *specs[] = {"a",    "A",    "?",    "/",     "C-l",   "F5",  "S-Tab",
                                  "PgDn", "PgUp", "Esc",  "Enter", "Space", "Tab", "Home",
                                  "End",  "Up",   "Down", "é",     "樱"};
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        int k = key_of(specs[i]);
        char name[32];
        ui_key_name(k, name, sizeof name);
        assert_int_equal(key_of(name), k);
    }
    assert_int_equal(key_of("C-l"), 12);
    assert_int_equal(key_of("^L"), 12);
    assert_int_equal(key_of("c-L"), 12);
    assert_int_equal(key_of("PageDown"), key_of("PgDn"));
    assert_int_equal(key_of("Return"), UI_KEY_ENTER);
}

static void key_specs_that_mean_nothing_are_refused(void **state)
{
    (void)state;
    static const char *bad[] = {"",    "ab",   "C-",   "C-ab", "F0",
                                "F99", "\x01", "\x1b", "Ctrl", "\xff"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int k;
        assert_false(ui_key_parse(bad[i], &k));
    }
}

static void enter_backspace_and_function_keys_normalise(void **state)
{
    (void)state;
    assert_int_equal(ui_key_from_wch(OK, '\r'), UI_KEY_ENTER);
    assert_int_equal(ui_key_from_wch(KEY_CODE_YES, KEY_ENTER), UI_KEY_ENTER);
    assert_int_equal(ui_key_from_wch(OK, 127), UI_KEY_BACKSPACE);
    assert_int_equal(ui_key_from_wch(OK, 8), UI_KEY_BACKSPACE);
    assert_int_equal(ui_key_from_wch(KEY_CODE_YES, KEY_DOWN), UI_KEY_FN + KEY_DOWN);
    assert_int_equal(ui_key_from_wch(OK, 'j'), 'j');
}

static void request_table_is_in_enum_order_with_unique_names(void **state)
{
    (void)state;
    for (int r = 0; r < REQ_COUNT; r++) {
        const ui_request_info *ri = ui_request_get((ui_request)r);
        assert_int_equal(ri->req, r);
        if (r > 0)
            assert_int_equal(ui_request_parse(ri->name), r);
    }
    assert_int_equal(ui_request_parse("no-such-request"), REQ_NONE);
    assert_int_equal(ui_request_parse(NULL), REQ_NONE);
}

static void defaults_bind_every_request_that_lists_keys(void **state)
{
    (void)state;
    ui_keymap km = {0};
    ui_keymap_defaults(&km);
    for (int r = 1; r < REQ_COUNT; r++) {
        const ui_request_info *ri = ui_request_get((ui_request)r);
        for (size_t k = 0; k < 4 && ri->keys[k]; k++)
            assert_int_equal(
                ui_keymap_lookup_in(&km, ui_request_context((ui_request)r), key_of(ri->keys[k])),
                r);
    }
    assert_int_equal(ui_keymap_lookup(&km, 'a'), REQ_ACCEPT);
    assert_int_equal(ui_keymap_lookup(&km, 'q'), REQ_QUIT);
    assert_int_equal(ui_keymap_lookup(&km, UI_KEY_FN + KEY_BTAB), REQ_FILTER_PREV);
    ui_keymap_clear(&km);
}

static void no_default_puts_a_mutating_request_on_a_control_key(void **state)
{
    (void)state;
    ui_keymap km = {0};
    ui_keymap_defaults(&km);
    for (size_t i = 0; i < km.n; i++)
        if (ui_request_mutating(km.b[i].req))
            assert_false(ui_key_is_control(km.b[i].key));
    ui_keymap_clear(&km);
}

static void remap_replaces_the_requests_keys_and_moves_taken_ones(void **state)
{
    (void)state;
    ui_keymap km = {0};
    ui_keymap_defaults(&km);
    config_key keys[] = {
        {.request = "accept", .spec = "e", .line = 3},
        {.request = "refresh", .spec = "r", .line = 4},
        {.request = "refresh", .spec = "F7", .line = 4},
    };
    strlist problems = {0};
    ui_keymap_apply(&km, keys, 3, &problems);
    assert_int_equal(problems.count, 0);
    assert_int_equal(ui_keymap_lookup(&km, 'e'), REQ_ACCEPT);
    assert_int_equal(ui_keymap_lookup(&km, 'a'), REQ_NONE); /* accept's default is gone */
    assert_int_equal(ui_keymap_lookup(&km, 'r'), REQ_REFRESH);
    assert_int_equal(ui_keymap_lookup(&km, UI_KEY_FN + KEY_F(7)), REQ_REFRESH);
    assert_int_equal(ui_keymap_lookup(&km, 'R'), REQ_NONE);
    char buf[64];
    ui_keymap_describe(&km, REQ_SIGNUP_SNIPPET, 3, buf, sizeof buf);
    assert_string_equal(buf, ""); /* e moved to accept */
    ui_keymap_describe(&km, REQ_REFRESH, 3, buf, sizeof buf);
    assert_string_equal(buf, "r/F7");
    strlist_clear(&problems);
    ui_keymap_clear(&km);
}

static void remap_reports_unknown_requests_and_bad_specs_with_lines(void **state)
{
    (void)state;
    ui_keymap km = {0};
    ui_keymap_defaults(&km);
    config_key keys[] = {
        {.request = "acept", .spec = "z", .line = 12},
        {.request = "help", .spec = "Hyper-x", .line = 13},
    };
    strlist problems = {0};
    ui_keymap_apply(&km, keys, 2, &problems);
    assert_int_equal(problems.count, 2);
    assert_non_null(strstr(problems.items[0], "line 12"));
    assert_non_null(strstr(problems.items[0], "acept"));
    assert_non_null(strstr(problems.items[1], "line 13"));
    assert_non_null(strstr(problems.items[1], "Hyper-x"));
    assert_int_equal(ui_keymap_lookup(&km, 'z'), REQ_NONE);
    assert_int_equal(ui_keymap_lookup(&km, '?'), REQ_HELP); /* a refused binding keeps defaults */
    strlist_clear(&problems);
    ui_keymap_clear(&km);
}

static void mutating_requests_on_control_keys_are_refused(void **state)
{
    (void)state;
    ui_keymap km = {0};
    ui_keymap_defaults(&km);
    config_key keys[] = {
        {.request = "reject", .spec = "C-x", .line = 5},
        {.request = "accept", .spec = "Enter", .line = 6},
        {.request = "refresh", .spec = "C-r", .line = 7},
    };
    strlist problems = {0};
    ui_keymap_apply(&km, keys, 3, &problems);
    assert_int_equal(problems.count, 2);
    assert_int_equal(ui_keymap_lookup(&km, 'X' - '@'), REQ_NONE);
    assert_int_equal(ui_keymap_lookup(&km, 'x'), REQ_REJECT);
    assert_int_not_equal(ui_keymap_lookup(&km, UI_KEY_ENTER), REQ_ACCEPT);
    /* A Ctrl key for a request that changes nothing is fine. */
    assert_int_equal(ui_keymap_lookup(&km, 'R' - '@'), REQ_REFRESH);
    strlist_clear(&problems);
    ui_keymap_clear(&km);
}

static void describe_lists_at_most_the_keys_asked_for(void **state)
{
    (void)state;
    ui_keymap km = {0};
    ui_keymap_defaults(&km);
    char buf[64];
    ui_keymap_describe(&km, REQ_MOVE_DOWN, 3, buf, sizeof buf);
    assert_string_equal(buf, "j/Down");
    ui_keymap_describe(&km, REQ_MOVE_DOWN, 1, buf, sizeof buf);
    assert_string_equal(buf, "j");
    ui_keymap_describe(&km, REQ_REDRAW, 1, buf, sizeof buf);
    assert_string_equal(buf, "C-l");
    ui_keymap_clear(&km);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(key_specs_parse_and_name_round_trip),
        cmocka_unit_test(key_specs_that_mean_nothing_are_refused),
        cmocka_unit_test(enter_backspace_and_function_keys_normalise),
        cmocka_unit_test(request_table_is_in_enum_order_with_unique_names),
        cmocka_unit_test(defaults_bind_every_request_that_lists_keys),
        cmocka_unit_test(no_default_puts_a_mutating_request_on_a_control_key),
        cmocka_unit_test(remap_replaces_the_requests_keys_and_moves_taken_ones),
        cmocka_unit_test(remap_reports_unknown_requests_and_bad_specs_with_lines),
        cmocka_unit_test(mutating_requests_on_control_keys_are_refused),
        cmocka_unit_test(describe_lists_at_most_the_keys_asked_for),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
