/* Unit tests for the model: string sets, deep copies, the other party, and the re-check diff. */
#include <locale.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mpsdash/model.h"
#include "mpsdash/state.h"

static char *dup_str(const char *s)
{
    return s ? strcpy(malloc(strlen(s) + 1), s) : NULL;
}

static void push_all(strlist *l, const char *csv)
{
    char *copy = dup_str(csv), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        strlist_push(l, tok);
    free(copy);
}

/* A solution owned by app 100 with one partner app 200, as the seed's examples look. */
static mps_solution *sample_solution(void)
{
    mps_solution *s = solution_new();
    s->id = dup_str("795033096057724");
    s->name = dup_str("Social OVD with Lucky Shrub");
    s->status = strpool_intern("INITIATED");
    s->pending_request = strpool_intern("PENDING_ACTIVATION");
    s->owner_app.id = dup_str("100");
    s->owner_app.name = dup_str("Social Overdrive");
    push_all(&s->owner_permissions, "MANAGE,DEVELOP,MANAGE_TEMPLATES");
    s->has_owner_permissions = true;
    mps_partner p = {0};
    p.id = "p1";
    p.app.id = "200";
    p.app.name = "Lucky Shrub";
    p.app.link = "https://example.com/app";
    p.status = "NOTIFICATION_SENT";
    push_all(&p.permissions, "MANAGE,DEVELOP");
    p.has_permissions = true;
    solution_set_partners(s, &p, 1);
    strlist_clear(&p.permissions);
    s->has_partners = true;
    s->json = dup_str("{\"id\":\"795033096057724\"}");
    return s;
}

static void replace(char **field, const char *value)
{
    free(*field);
    *field = dup_str(value);
}

/* The status fields are strpool references. */
static void replace_status(const char **field, const char *value)
{
    strpool_release(*field);
    *field = strpool_intern(value);
}

/* ---- strlist ---------------------------------------------------------------------------- */

static void strlist_push_copies_and_contains(void **state)
{
    (void)state;
    strlist l = {0};
    char buf[16] = "MANAGE";
    strlist_push(&l, buf);
    strcpy(buf, "XXXXXX");
    for (int i = 0; i < 40; i++)
        strlist_push(&l, "DEVELOP"); /* growth past the first block */
    assert_int_equal(l.count, 41);
    assert_true(strlist_contains(&l, "MANAGE"));
    assert_false(strlist_contains(&l, "XXXXXX"));
    assert_false(strlist_contains(&l, "manage"));
    strlist_clear(&l);
    assert_int_equal(l.count, 0);
    assert_null(l.items);
    strlist_clear(&l); /* twice is fine */
}

static void strlist_equal_ignores_order(void **state)
{
    (void)state;
    strlist a = {0}, b = {0}, c = {0};
    push_all(&a, "MANAGE,DEVELOP,VIEW_COST");
    push_all(&b, "VIEW_COST,MANAGE,DEVELOP");
    push_all(&c, "MANAGE,DEVELOP");
    assert_true(strlist_equal(&a, &b));
    assert_false(strlist_equal(&a, &c));
    assert_false(strlist_equal(&c, &a));
    strlist d = {0};
    strlist_copy(&d, &a);
    assert_true(strlist_equal(&a, &d));
    assert_ptr_not_equal(d.items[0], a.items[0]);
    strlist empty1 = {0}, empty2 = {0};
    assert_true(strlist_equal(&empty1, &empty2));
    strlist_clear(&a);
    strlist_clear(&b);
    strlist_clear(&c);
    strlist_clear(&d);
}

/* ---- copies ----------------------------------------------------------------------------- */

static void solution_dup_is_deep(void **state)
{
    (void)state;
    mps_solution *s = sample_solution();
    mps_solution *d = solution_dup(s);
    assert_ptr_not_equal(d->name, s->name);
    assert_ptr_not_equal(d->partners, s->partners);
    assert_ptr_not_equal(d->partners[0].app.name, s->partners[0].app.name);
    assert_string_equal(d->partners[0].app.link, "https://example.com/app");
    assert_string_equal(d->partners[0].status, "NOTIFICATION_SENT");
    assert_true(d->partners[0].has_permissions);
    assert_true(strlist_equal(&d->owner_permissions, &s->owner_permissions));
    assert_string_equal(d->json, s->json);
    assert_true(d->has_partners);
    char diff[256];
    assert_false(solution_diff(s, d, diff, sizeof diff));
    assert_string_equal(diff, "");
    solution_free(s); /* the copy outlives the original */
    assert_string_equal(d->partners[0].app.name, "Lucky Shrub");
    solution_free(d);
    solution_free(NULL);
    assert_null(solution_dup(NULL));
}

static void set_partners_accepts_its_own_array(void **state)
{
    (void)state;
    mps_solution *s = sample_solution();
    solution_set_partners(s, s->partners, s->partner_count);
    assert_int_equal(s->partner_count, 1);
    assert_string_equal(s->partners[0].app.name, "Lucky Shrub");
    solution_set_partners(s, NULL, 0);
    assert_int_equal(s->partner_count, 0);
    assert_null(s->partners);
    solution_free(s);
}

static void clears_free_and_zero_everything(void **state)
{
    (void)state;
    mps_waba w = {dup_str("1"), dup_str("n"),  dup_str("tz"),
                  dup_str("t"), dup_str("ns"), dup_str("{}")};
    waba_clear(&w);
    assert_null(w.id);
    assert_null(w.json);
    mps_event e = {0};
    e.time = 5;
    e.business_id = dup_str("b");
    e.event = dup_str("PARTNER_ADDED");
    e.solution_id = dup_str("s");
    strlist_push(&e.partner_business_ids, "x");
    event_clear(&e);
    assert_int_equal(e.time, 0);
    assert_null(e.event);
    assert_int_equal(e.partner_business_ids.count, 0);
    mps_app a = {dup_str("1"), dup_str("n"), NULL, false}, b;
    app_copy(&b, &a);
    app_clear(&a);
    assert_string_equal(b.name, "n");
    assert_null(b.link);
    app_clear(&b);
}

/* ---- the other party -------------------------------------------------------------------- */

static void other_app_depends_on_role(void **state)
{
    (void)state;
    mps_solution *s = sample_solution();
    assert_string_equal(solution_other_app(s, "100")->name, "Lucky Shrub");      /* owner */
    assert_string_equal(solution_other_app(s, "200")->name, "Social Overdrive"); /* partner */
    assert_string_equal(solution_other_app(s, "300")->name, "Lucky Shrub");      /* unknown */
    solution_set_partners(s, NULL, 0);
    assert_string_equal(solution_other_app(s, "300")->name, "Social Overdrive");
    /* An owner with no partner known yet gets an empty app, never NULL. */
    const mps_app *none = solution_other_app(s, "100");
    assert_non_null(none);
    assert_null(none->name);
    solution_free(s);
}

/* ---- solution_diff ---------------------------------------------------------------------- */

static void diff_reports_name_change(void **state)
{
    (void)state;
    mps_solution *shown = sample_solution(), *now = sample_solution();
    replace(&now->name, "Social OVD with Lucky Shrub 2");
    char out[256];
    assert_true(solution_diff(shown, now, out, sizeof out));
    assert_string_equal(
        out, "name: \"Social OVD with Lucky Shrub\" -> \"Social OVD with Lucky Shrub 2\"");
    solution_free(shown);
    solution_free(now);
}

static void diff_reports_state_change_by_panel_state(void **state)
{
    (void)state;
    mps_solution *shown = sample_solution(), *now = sample_solution();
    replace_status(&now->status, "PENDING"); /* INITIATED and PENDING are both Pending */
    char out[256];
    assert_false(solution_diff(shown, now, out, sizeof out));
    replace_status(&now->status, "ACTIVE");
    assert_true(solution_diff(shown, now, out, sizeof out));
    assert_string_equal(out, "state: Pending -> Active");
    /* Two different unknown statuses are a change too. */
    replace_status(&shown->status, "FROZEN");
    replace_status(&now->status, "THAWED");
    assert_true(solution_diff(shown, now, out, sizeof out));
    assert_string_equal(out, "state: FROZEN -> THAWED");
    solution_free(shown);
    solution_free(now);
}

static void diff_reports_partner_permission_changes(void **state)
{
    (void)state;
    mps_solution *shown = sample_solution(), *now = sample_solution();
    strlist_clear(&now->partners[0].permissions);
    push_all(&now->partners[0].permissions, "MANAGE,MANAGE_BILLING");
    char out[256];
    assert_true(solution_diff(shown, now, out, sizeof out));
    assert_string_equal(out, "partner permissions: +MANAGE_BILLING -DEVELOP");
    solution_free(shown);
    solution_free(now);
}

static void diff_ignores_permission_order(void **state)
{
    (void)state;
    mps_solution *shown = sample_solution(), *now = sample_solution();
    strlist_clear(&now->owner_permissions);
    push_all(&now->owner_permissions, "MANAGE_TEMPLATES,DEVELOP,MANAGE");
    assert_false(solution_diff(shown, now, NULL, 0));
    solution_free(shown);
    solution_free(now);
}

static void diff_reports_owner_permissions_and_owner_app(void **state)
{
    (void)state;
    mps_solution *shown = sample_solution(), *now = sample_solution();
    strlist_push(&now->owner_permissions, "VIEW_COST");
    replace(&now->owner_app.id, "101");
    char out[256];
    assert_true(solution_diff(shown, now, out, sizeof out));
    assert_string_equal(out, "owner app: 100 -> 101\nowner permissions: +VIEW_COST");
    solution_free(shown);
    solution_free(now);
}

static void diff_reports_partner_app_swapped(void **state)
{
    (void)state;
    mps_solution *shown = sample_solution(), *now = sample_solution();
    replace(&now->partners[0].app.id, "201");
    replace(&now->partners[0].app.name, "Lucky Shrub Clone");
    char out[256];
    assert_true(solution_diff(shown, now, out, sizeof out));
    assert_non_null(strstr(out, "partner app removed: \"Lucky Shrub\" (200)"));
    assert_non_null(strstr(out, "partner app added: \"Lucky Shrub Clone\" (201)"));
    solution_free(shown);
    solution_free(now);
}

static void diff_reports_partner_app_renamed(void **state)
{
    (void)state;
    mps_solution *shown = sample_solution(), *now = sample_solution();
    replace(&now->partners[0].app.name, "Lucky Shrub Pro");
    char out[256];
    assert_true(solution_diff(shown, now, out, sizeof out));
    assert_string_equal(out, "partner app name: \"Lucky Shrub\" -> \"Lucky Shrub Pro\"");
    solution_free(shown);
    solution_free(now);
}

static void diff_treats_missing_fields_in_answer_as_change(void **state)
{
    (void)state;
    mps_solution *shown = sample_solution(), *now = sample_solution();
    now->has_partners = false;
    now->has_owner_permissions = false;
    char out[256];
    assert_true(solution_diff(shown, now, out, sizeof out));
    assert_non_null(strstr(out, "owner permissions: missing"));
    assert_non_null(strstr(out, "partners: missing"));
    solution_free(shown);
    solution_free(now);
}

static void diff_compares_only_what_was_shown(void **state)
{
    (void)state;
    mps_solution *shown = sample_solution(), *now = sample_solution();
    shown->has_partners = false;
    shown->has_owner_permissions = false;
    strlist_push(&now->owner_permissions, "VIEW_COST");
    strlist_push(&now->partners[0].permissions, "VIEW_COST");
    assert_false(solution_diff(shown, now, NULL, 0));
    solution_free(shown);
    solution_free(now);
}

static void diff_output_is_cut_on_a_character_boundary(void **state)
{
    (void)state;
    mps_solution *shown = sample_solution(), *now = sample_solution();
    replace(&now->name, "\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD");
    for (size_t size = 1; size < 90; size++) {
        char out[96];
        memset(out, 'Z', sizeof out);
        assert_true(solution_diff(shown, now, out, size));
        size_t n = strlen(out);
        assert_true(n < size);
        assert_int_equal(out[size], 'Z');
        /* Never half a character at the end. */
        if (n > 0 && ((unsigned char)out[n - 1] & 0x80)) {
            size_t k = n;
            while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
                k--;
            assert_true(k > 0);
            assert_int_equal(n - (k - 1), 3); /* a complete 3-byte 中 */
        }
    }
    solution_free(shown);
    solution_free(now);
}

static void diff_of_vanished_solution(void **state)
{
    (void)state;
    mps_solution *shown = sample_solution();
    char out[64];
    assert_true(solution_diff(shown, NULL, out, sizeof out));
    assert_non_null(strstr(out, "gone"));
    solution_free(shown);
}

/* ---- interning ---------------------------------------------------------------------------- */

static void interning_holds_each_text_once_until_the_last_release(void **state)
{
    (void)state;
    size_t base = strpool_count();
    char buf[] = "MANAGE_TEMPLATES";
    const char *a = strpool_intern(buf);
    buf[0] = 'X'; /* the pool kept its own copy */
    const char *b = strpool_intern("MANAGE_TEMPLATES");
    assert_ptr_equal(a, b);
    assert_string_equal(a, "MANAGE_TEMPLATES");
    assert_int_equal(strpool_count(), base + 1);
    const char *c = strpool_ref(a);
    assert_ptr_equal(c, a);
    /* n bytes, a NUL among them: not the same text as its prefix */
    const char *d = strpool_intern_n("AB\0C", 4);
    const char *e = strpool_intern("AB");
    assert_ptr_not_equal(d, e);
    assert_memory_equal(d, "AB\0C", 5);
    assert_int_equal(strpool_count(), base + 3);
    strpool_release(a);
    strpool_release(b);
    assert_int_equal(strpool_count(), base + 3); /* c still holds it */
    assert_string_equal(c, "MANAGE_TEMPLATES");
    strpool_release(c);
    strpool_release(d);
    strpool_release(e);
    strpool_release(NULL);
    assert_null(strpool_intern(NULL));
    assert_int_equal(strpool_count(), base);
}

static void interning_grows_past_many_distinct_texts(void **state)
{
    (void)state;
    size_t base = strpool_count();
    enum { N = 5000 };
    static const char *held[N];
    char buf[32];
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "PERM_%05d", i);
        held[i] = strpool_intern(buf);
    }
    assert_int_equal(strpool_count(), base + N);
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "PERM_%05d", i);
        const char *again = strpool_intern(buf);
        assert_ptr_equal(again, held[i]);
        strpool_release(again);
    }
    for (int i = 0; i < N; i += 2) /* half gone, the rest still found */
        strpool_release(held[i]);
    assert_int_equal(strpool_count(), base + N / 2);
    for (int i = 1; i < N; i += 2) {
        snprintf(buf, sizeof buf, "PERM_%05d", i);
        const char *again = strpool_intern(buf);
        assert_ptr_equal(again, held[i]);
        strpool_release(again);
        strpool_release(held[i]);
    }
    assert_int_equal(strpool_count(), base);
}

static void *intern_and_release_many(void *arg)
{
    const char *text = arg;
    for (int i = 0; i < 20000; i++)
        strpool_release(strpool_intern(text));
    return NULL;
}

/* The worker thread interns what it parses while the UI thread frees solutions. */
static void interning_is_safe_across_threads(void **state)
{
    (void)state;
    size_t base = strpool_count();
    const char *keep = strpool_intern("shared");
    pthread_t t[3];
    char *texts[] = {"shared", "other", "shared"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, intern_and_release_many, texts[i]), 0);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(strpool_count(), base + 1);
    strpool_release(keep);
    assert_int_equal(strpool_count(), base);
}

/* An interned list shares its items with its copies; clearing gives every reference back. An
 * owned list (the default) still copies. */
static void interned_lists_and_apps_share_their_text(void **state)
{
    (void)state;
    size_t base = strpool_count();
    strlist perms = {.interned = true}, copy = {0}, owned = {0};
    strlist_push(&perms, "MANAGE");
    strlist_push(&perms, "DEVELOP");
    strlist_copy(&copy, &perms);
    assert_true(copy.interned);
    assert_ptr_equal(copy.items[1], perms.items[1]);
    assert_true(strlist_equal(&copy, &perms));
    strlist_push(&owned, "MANAGE");
    assert_ptr_not_equal(owned.items[0], perms.items[0]);
    assert_int_equal(strpool_count(), base + 2);
    strlist_clear(&perms);
    assert_string_equal(copy.items[0], "MANAGE");
    strlist_clear(&copy);
    strlist_clear(&owned);
    assert_int_equal(strpool_count(), base);

    mps_app a = {(char *)strpool_intern("100"), (char *)strpool_intern("Social Overdrive"), NULL,
                 true},
            b;
    app_copy(&b, &a);
    assert_true(b.interned);
    assert_ptr_equal(b.name, a.name);
    app_clear(&a);
    assert_string_equal(b.name, "Social Overdrive");
    app_clear(&b);
    assert_int_equal(strpool_count(), base);

    /* A solution with interned parts: dup shares them, free gives them back. */
    mps_solution *s = solution_new();
    s->id = strdup("1");
    s->owner_app = (mps_app){(char *)strpool_intern("100"), NULL, NULL, true};
    s->owner_permissions.interned = true;
    strlist_push(&s->owner_permissions, "MANAGE");
    mps_partner p = {0};
    p.app = s->owner_app;
    p.permissions = s->owner_permissions;
    solution_set_partners(s, &p, 1);
    mps_solution *d = solution_dup(s);
    assert_ptr_equal(d->partners[0].permissions.items[0], s->owner_permissions.items[0]);
    assert_ptr_equal(d->owner_app.id, s->owner_app.id);
    solution_free(s);
    assert_string_equal(d->partners[0].app.id, "100");
    solution_free(d);
    assert_int_equal(strpool_count(), base);
}

int main(void)
{
    setlocale(LC_ALL, "");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strlist_push_copies_and_contains),
        cmocka_unit_test(strlist_equal_ignores_order),
        cmocka_unit_test(solution_dup_is_deep),
        cmocka_unit_test(set_partners_accepts_its_own_array),
        cmocka_unit_test(clears_free_and_zero_everything),
        cmocka_unit_test(other_app_depends_on_role),
        cmocka_unit_test(diff_reports_name_change),
        cmocka_unit_test(diff_reports_state_change_by_panel_state),
        cmocka_unit_test(diff_reports_partner_permission_changes),
        cmocka_unit_test(diff_ignores_permission_order),
        cmocka_unit_test(diff_reports_owner_permissions_and_owner_app),
        cmocka_unit_test(diff_reports_partner_app_swapped),
        cmocka_unit_test(diff_reports_partner_app_renamed),
        cmocka_unit_test(diff_treats_missing_fields_in_answer_as_change),
        cmocka_unit_test(diff_compares_only_what_was_shown),
        cmocka_unit_test(diff_output_is_cut_on_a_character_boundary),
        cmocka_unit_test(diff_of_vanished_solution),
        cmocka_unit_test(interning_holds_each_text_once_until_the_last_release),
        cmocka_unit_test(interning_grows_past_many_distinct_texts),
        cmocka_unit_test(interning_is_safe_across_threads),
        cmocka_unit_test(interned_lists_and_apps_share_their_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
