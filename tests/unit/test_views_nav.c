/* Unit tests for what the views beyond the panel share: moving a selection over a table
 * (clamping, paging with the page, first/last, empty tables), the keys that go back, and the
 * default keys that open the views. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four above first. */
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "../../src/ui/ui-keys.h"
#include "../../src/ui/ui-table.h"
#include "../../src/ui/ui-views.h"

static void moves_stay_within_the_rows(void **state)
{
    (void)state;
    ui_table n = {.sel = 0, .top = 0};
    assert_true(ui_table_move(&n, REQ_MOVE_UP, 10, 4));
    assert_int_equal(n.sel, 0);
    for (int i = 0; i < 20; i++)
        ui_table_move(&n, REQ_MOVE_DOWN, 10, 4);
    assert_int_equal(n.sel, 9);
    assert_int_equal(n.top, 6); /* the last row is on screen, the page is full */
    assert_true(ui_table_move(&n, REQ_FIRST, 10, 4));
    assert_int_equal(n.sel, 0);
    assert_int_equal(n.top, 0);
    assert_true(ui_table_move(&n, REQ_LAST, 10, 4));
    assert_int_equal(n.sel, 9);
}

static void page_down_scrolls_the_page_with_the_selection(void **state)
{
    (void)state;
    ui_table n = {.sel = 1, .top = 0};
    assert_true(ui_table_move(&n, REQ_PAGE_DOWN, 230, 20));
    assert_int_equal(n.sel, 21);
    assert_int_equal(n.top, 20);
    assert_true(ui_table_move(&n, REQ_PAGE_UP, 230, 20));
    assert_int_equal(n.sel, 1);
    assert_int_equal(n.top, 0);
    /* Near the end the page stops at the last full page. */
    n.sel = 225;
    n.top = 215;
    ui_table_move(&n, REQ_PAGE_DOWN, 230, 20);
    assert_int_equal(n.sel, 229);
    assert_int_equal(n.top, 210);
}

static void an_empty_table_keeps_row_zero(void **state)
{
    (void)state;
    ui_table n = {.sel = 5, .top = 3};
    ui_table_clamp(&n, 0, 10);
    assert_int_equal(n.sel, 0);
    assert_int_equal(n.top, 0);
    assert_true(ui_table_move(&n, REQ_LAST, 0, 10));
    assert_int_equal(n.sel, 0);
}

static void a_shrunk_table_pulls_the_selection_back(void **state)
{
    (void)state;
    ui_table n = {.sel = 40, .top = 35};
    ui_table_clamp(&n, 12, 10);
    assert_int_equal(n.sel, 11);
    assert_int_equal(n.top, 2);
}

static void other_requests_are_not_moves(void **state)
{
    (void)state;
    ui_table n = {.sel = 3, .top = 0};
    assert_false(ui_table_move(&n, REQ_ACCEPT, 10, 4));
    assert_false(ui_table_move(&n, REQ_CUSTOMERS, 10, 4));
    assert_int_equal(n.sel, 3);
}

static void esc_h_q_left_and_backspace_go_back(void **state)
{
    (void)state;
    ui_keymap km = {0};
    ui_keymap_defaults(&km);
    assert_true(ui_back_request(ui_keymap_lookup(&km, UI_KEY_ESC)));
    assert_true(ui_back_request(ui_keymap_lookup(&km, 'h')));
    assert_true(ui_back_request(ui_keymap_lookup(&km, 'q')));
    assert_true(ui_back_request(ui_keymap_lookup(&km, UI_KEY_FN + KEY_LEFT)));
    assert_true(ui_back_request(ui_keymap_lookup(&km, UI_KEY_BACKSPACE)));
    assert_false(ui_back_request(ui_keymap_lookup(&km, 'j')));
    assert_false(ui_back_request(ui_keymap_lookup(&km, UI_KEY_ENTER)));
    ui_keymap_clear(&km);
}

static void view_keys_open_their_views_and_clash_with_nothing(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        ui_request req;
        const char *name;
    } views[] = {
        {"p", REQ_PARTNERS, "partners"},
        {"C", REQ_CUSTOMERS, "customers"},
        {"E", REQ_EVENTS, "events"},
        {"c", REQ_CREATE, "create"},
        {"b", REQ_BUSINESS_TOKEN, "business-token"},
        {"P", REQ_PROFILES, "profiles"},
    };
    ui_keymap km = {0};
    ui_keymap_defaults(&km);
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
        int k = -1;
        assert_true(ui_key_parse(views[i].key, &k));
        assert_int_equal(ui_keymap_lookup(&km, k), views[i].req);
        assert_int_equal(ui_request_parse(views[i].name), views[i].req);
        assert_int_equal(ui_request_get(views[i].req)->group, UI_GROUP_VIEWS);
        assert_false(ui_request_mutating(views[i].req));
    }
    /* No other request lost a key to them: every default key maps to its own request. */
    for (int r = 1; r < REQ_COUNT; r++) {
        const ui_request_info *ri = ui_request_get((ui_request)r);
        for (size_t k = 0; k < 4 && ri->keys[k]; k++) {
            int key = -1;
            assert_true(ui_key_parse(ri->keys[k], &key));
            assert_int_equal(ui_keymap_lookup_in(&km, ui_request_context((ui_request)r), key), r);
        }
    }
    ui_keymap_clear(&km);
}

int main(void)
{
    setlocale(LC_ALL, "");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(moves_stay_within_the_rows),
        cmocka_unit_test(page_down_scrolls_the_page_with_the_selection),
        cmocka_unit_test(an_empty_table_keeps_row_zero),
        cmocka_unit_test(a_shrunk_table_pulls_the_selection_back),
        cmocka_unit_test(other_requests_are_not_moves),
        cmocka_unit_test(esc_h_q_left_and_backspace_go_back),
        cmocka_unit_test(view_keys_open_their_views_and_clash_with_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
