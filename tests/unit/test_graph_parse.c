/* Graph answer parsers: the seeds' exact example payloads field by field, and hostile answers.
 * Fixtures are the seeds' examples copied verbatim; client_wabas.json drops the example's
 * "..." elision line (not JSON), webhook payloads carry the documented example values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <cmocka.h>

#include "mpsdash/graph.h"
#include "mpsdash/text.h"

static char *read_fixture(const char *name, size_t *len)
{
    const char *dir = getenv("MPSDASH_FIXTURES");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/fixtures", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open fixture %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static const char *const seed_permissions[] = {
    "MANAGE",         "DEVELOP",           "MANAGE_TEMPLATES",  "MANAGE_PHONE",
    "VIEW_COST",      "MANAGE_EXTENSIONS", "VIEW_PHONE_ASSETS", "MANAGE_PHONE_ASSETS",
    "VIEW_TEMPLATES", "VIEW_INSIGHTS",
};

static void assert_seed_permissions(const strlist *l)
{
    assert_int_equal(l->count, 10);
    for (size_t i = 0; i < 10; i++)
        assert_string_equal(l->items[i], seed_permissions[i]);
}

/* The JSON kept in ->json must be the server's object, exactly. */
static void assert_json_same(const char *kept, const char *original)
{
    json_object *a = json_tokener_parse(kept);
    json_object *b = json_tokener_parse(original);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(json_object_equal(a, b));
    json_object_put(a);
    json_object_put(b);
}

static void seed_solution_with_partners_parses_every_field(void **state)
{
    (void)state;
    size_t len;
    char *body = read_fixture("solution_get_partners.json", &len);
    mps_solution *s = NULL;
    graph_error err;
    assert_true(graph_parse_solution(body, len, NULL, &s, &err));
    assert_int_equal(err.cls, GRAPH_OK);
    assert_string_equal(s->id, "795033096057724");
    assert_string_equal(s->name, "Social OVD with Lucky Shrub");
    assert_null(s->status);
    assert_null(s->pending_request);
    assert_null(s->owner_app.id);
    assert_true(s->has_owner_permissions);
    assert_seed_permissions(&s->owner_permissions);
    assert_true(s->has_partners);
    assert_int_equal(s->partner_count, 1);
    mps_partner *p = &s->partners[0];
    assert_string_equal(p->id, "795033099391057");
    assert_null(p->status);
    assert_true(p->has_permissions);
    assert_seed_permissions(&p->permissions);
    assert_string_equal(p->app.id, "21202248997039");
    assert_string_equal(p->app.name, "Lucky Shrub");
    assert_string_equal(p->app.link, "https://www.facebook.com/games/?app_id=21202248997039");
    assert_json_same(s->json, body);
    solution_free(s);
    free(body);
}

static void seed_solution_with_status_parses_partner_status(void **state)
{
    (void)state;
    size_t len;
    char *body = read_fixture("solution_get_status.json", &len);
    mps_solution *s = NULL;
    graph_error err;
    assert_true(graph_parse_solution(body, len, NULL, &s, &err));
    assert_string_equal(s->id, "17602267745700");
    assert_string_equal(s->name, "Social OVD with Lucky Shrub");
    assert_string_equal(s->status, "ACTIVE");
    assert_false(s->has_owner_permissions);
    assert_int_equal(s->partner_count, 1);
    assert_string_equal(s->partners[0].status, "ACCEPTED");
    assert_string_equal(s->partners[0].id, "17602267745704");
    assert_string_equal(s->partners[0].app.name, "Social Overdrive");
    assert_string_equal(s->partners[0].app.id, "637576208107267");
    assert_string_equal(s->partners[0].app.link, "https://www.socialoverdrive.com/");
    assert_false(s->partners[0].has_permissions);
    solution_free(s);
    free(body);
}

static void seed_list_page_parses_both_solutions_and_no_next(void **state)
{
    (void)state;
    size_t len;
    char *body = read_fixture("solutions_list.json", &len);
    mps_solution **items = NULL;
    size_t count = 0;
    char *next = (char *)"sentinel";
    graph_error err;
    assert_true(graph_parse_solution_page(body, len, NULL, &items, &count, &next, &err));
    assert_int_equal(count, 2);
    assert_null(next);
    assert_string_equal(items[0]->id, "19702253086782");
    assert_string_equal(items[0]->name, "Social OVD with Lucky Shrub");
    assert_string_equal(items[0]->status, "INITIATED");
    assert_string_equal(items[0]->pending_request, "PENDING_ACTIVATION");
    assert_false(items[0]->has_partners);
    assert_string_equal(items[1]->id, "17602267745700");
    assert_string_equal(items[1]->name, "Social OVD with Social Brew");
    assert_string_equal(items[1]->status, "ACTIVE");
    assert_string_equal(items[1]->pending_request, "NONE");
    assert_string_equal(solution_state_text(items[0]), "Pending");
    for (size_t i = 0; i < count; i++)
        solution_free(items[i]);
    free(items);
    free(body);
}

static void seed_waba_solutions_page_parses(void **state)
{
    (void)state;
    size_t len;
    char *body = read_fixture("waba_solutions.json", &len);
    mps_solution **items = NULL;
    size_t count = 0;
    char *next = NULL;
    graph_error err;
    assert_true(graph_parse_solution_page(body, len, NULL, &items, &count, &next, &err));
    assert_int_equal(count, 1);
    assert_null(next);
    assert_string_equal(items[0]->id, "17602267745700");
    assert_string_equal(items[0]->name, "Social OVD with Social Brew");
    assert_string_equal(items[0]->status, "ACTIVE");
    assert_string_equal(items[0]->pending_request, "NONE");
    solution_free(items[0]);
    free(items);
    free(body);
}

static void seed_partners_page_parses(void **state)
{
    (void)state;
    size_t len;
    char *body = read_fixture("partners.json", &len);
    mps_partner *items = NULL;
    size_t count = 0;
    char *next = NULL;
    graph_error err;
    assert_true(graph_parse_partner_page(body, len, NULL, &items, &count, &next, &err));
    assert_int_equal(count, 1);
    assert_null(next);
    assert_string_equal(items[0].id, "17602267745704");
    assert_string_equal(items[0].status, "ACCEPTED");
    assert_string_equal(items[0].app.link, "https://www.socialoverdrive.com");
    assert_string_equal(items[0].app.name, "Social Overdrive");
    assert_string_equal(items[0].app.id, "637576208107267");
    partner_clear(&items[0]);
    free(items);
    free(body);
}

static void seed_client_wabas_page_parses_with_next(void **state)
{
    (void)state;
    size_t len;
    char *body = read_fixture("client_wabas.json", &len);
    mps_waba *items = NULL;
    size_t count = 0;
    char *next = NULL;
    graph_error err;
    assert_true(graph_parse_waba_page(body, len, NULL, &items, &count, &next, &err));
    assert_int_equal(count, 2);
    assert_string_equal(next, "https://graph.facebook.com/v21.0/50691...");
    assert_string_equal(items[0].id, "102290129340398");
    assert_string_equal(items[0].name, "Cool New Customer 2");
    assert_string_equal(items[0].timezone_id, "7");
    assert_string_equal(items[0].business_type, "ent");
    assert_string_equal(items[0].template_namespace, "0add05f3_abbe_4a55_b6f5_e751fa4e1244");
    assert_string_equal(items[1].id, "112077945305052");
    assert_string_equal(items[1].name, "Cool New Customer 1");
    assert_string_equal(items[1].template_namespace, "b2d0c901_b542_46a0_ab99_5939b75267d8");
    assert_non_null(strstr(items[1].json, "\"b2d0c901_b542_46a0_ab99_5939b75267d8\""));
    for (size_t i = 0; i < count; i++)
        waba_clear(&items[i]);
    free(items);
    free(next);
    free(body);
}

static void seed_success_answer_is_success(void **state)
{
    (void)state;
    size_t len;
    char *body = read_fixture("success.json", &len);
    bool success = false;
    mps_solution *s = (mps_solution *)1;
    graph_error err;
    assert_true(graph_parse_action(body, len, NULL, &success, &s, &err));
    assert_true(success);
    assert_null(s);
    free(body);
}

static void action_success_false_is_not_success(void **state)
{
    (void)state;
    const char *body = "{\"success\":false}";
    bool success = true;
    graph_error err;
    assert_true(graph_parse_action(body, strlen(body), NULL, &success, NULL, &err));
    assert_false(success);
}

static void action_answer_may_be_the_solution_object(void **state)
{
    (void)state;
    const char *body = "{\"id\":\"17602267745700\",\"name\":\"S\",\"status\":\"DEACTIVATED\"}";
    bool success = false;
    mps_solution *s = NULL;
    graph_error err;
    assert_true(graph_parse_action(body, strlen(body), NULL, &success, &s, &err));
    assert_true(success);
    assert_non_null(s);
    assert_string_equal(s->status, "DEACTIVATED");
    solution_free(s);
}

static void action_openapi_shape_reads_success(void **state)
{
    (void)state;
    const char *body = "{\"solution_id\":\"1\",\"partner_status\":\"ACCEPTED\",\"success\":true}";
    bool success = false;
    mps_solution *s = NULL;
    graph_error err;
    assert_true(graph_parse_action(body, strlen(body), NULL, &success, &s, &err));
    assert_true(success);
    assert_null(s);
}

static void seed_token_answer_parses(void **state)
{
    (void)state;
    size_t len;
    char *body = read_fixture("token.json", &len);
    char *token = NULL;
    long long exp = -1;
    graph_error err;
    assert_true(graph_parse_token(body, len, NULL, &token, &exp, &err));
    assert_string_equal(token, "<CUSTOMER_BUSINESS_TOKEN>");
    assert_int_equal(exp, 0);
    free(token);
    free(body);
}

static void token_openapi_shape_parses_with_expiry(void **state)
{
    (void)state;
    const char *body = "{\"access_token\":\"EAAGabc123x9Qz\",\"expires_at\":1767225600}";
    char *token = NULL;
    long long exp = 0;
    graph_error err;
    assert_true(graph_parse_token(body, strlen(body), NULL, &token, &exp, &err));
    assert_string_equal(token, "EAAGabc123x9Qz");
    assert_int_equal(exp, 1767225600LL);
    free(token);
}

static void token_missing_is_protocol_error(void **state)
{
    (void)state;
    const char *body = "{\"data\":[]}";
    char *token = NULL;
    graph_error err;
    assert_false(graph_parse_token(body, strlen(body), NULL, &token, NULL, &err));
    assert_null(token);
    assert_int_equal(err.cls, GRAPH_ERR_PROTOCOL);
}

static void seed_created_answer_parses(void **state)
{
    (void)state;
    size_t len;
    char *body = read_fixture("created.json", &len);
    char *id = NULL;
    graph_error err;
    assert_true(graph_parse_created(body, len, NULL, &id, &err));
    assert_string_equal(id, "<SOLUTION_ID>");
    free(id);
    free(body);
}

static void seed_app_details_parses(void **state)
{
    (void)state;
    size_t len;
    char *body = read_fixture("app_details.json", &len);
    mps_app *apps = NULL;
    size_t count = 0;
    char *next = NULL;
    graph_error err;
    assert_true(graph_parse_app_page(body, len, NULL, &apps, &count, &next, &err));
    assert_int_equal(count, 1);
    assert_string_equal(apps[0].link, "www.mediamonsoon.com");
    assert_string_equal(apps[0].name, "media_monsoon_prod");
    assert_string_equal(apps[0].id, "634974688087057");
    app_clear(&apps[0]);
    free(apps);
    free(body);
}

static void single_app_parses(void **state)
{
    (void)state;
    const char *body =
        "{\"id\":\"21202248997039\",\"name\":\"Lucky Shrub\",\"link\":\"https://x\"}";
    mps_app app;
    graph_error err;
    assert_true(graph_parse_app(body, strlen(body), NULL, &app, &err));
    assert_string_equal(app.id, "21202248997039");
    assert_string_equal(app.name, "Lucky Shrub");
    app_clear(&app);
}

static void seed_account_update_webhook_parses(void **state)
{
    (void)state;
    size_t len;
    char *body = read_fixture("webhook_account_update.json", &len);
    mps_event *ev = NULL;
    size_t count = 0;
    graph_error err;
    assert_true(graph_parse_webhook(body, len, &ev, &count, &err));
    assert_int_equal(count, 1);
    assert_int_equal(ev[0].time, 1690592557LL);
    assert_string_equal(ev[0].business_id, "506914307656634");
    assert_string_equal(ev[0].field, "account_update");
    assert_string_equal(ev[0].event, "PARTNER_ADDED");
    assert_string_equal(ev[0].solution_id, "303610109049230");
    assert_null(ev[0].status);
    assert_string_equal(ev[0].waba_id, "102290129340398");
    assert_string_equal(ev[0].owner_business_id, "6143763655652543");
    assert_int_equal(ev[0].partner_business_ids.count, 2);
    assert_string_equal(ev[0].partner_business_ids.items[0], "506914307656634");
    assert_string_equal(ev[0].partner_business_ids.items[1], "116133292427920");
    event_clear(&ev[0]);
    free(ev);
    free(body);
}

static void seed_partner_solutions_webhook_parses(void **state)
{
    (void)state;
    size_t len;
    char *body = read_fixture("webhook_partner_solutions.json", &len);
    mps_event *ev = NULL;
    size_t count = 0;
    graph_error err;
    assert_true(graph_parse_webhook(body, len, &ev, &count, &err));
    assert_int_equal(count, 1);
    assert_int_equal(ev[0].time, 1718143652LL);
    assert_string_equal(ev[0].business_id, "506914307656634");
    assert_string_equal(ev[0].field, "partner_solutions");
    assert_string_equal(ev[0].event, "SOLUTION_CREATED");
    assert_string_equal(ev[0].solution_id, "774485461512159");
    assert_string_equal(ev[0].status, "INITIATED");
    assert_null(ev[0].waba_id);
    event_clear(&ev[0]);
    free(ev);
    free(body);
}

static void webhook_without_entry_is_refused(void **state)
{
    (void)state;
    const char *line = "{\"object\":\"page\"}";
    mps_event *ev = NULL;
    size_t count = 0;
    graph_error err;
    assert_false(graph_parse_webhook(line, strlen(line), &ev, &count, &err));
    assert_int_equal(count, 0);
    assert_int_equal(err.cls, GRAPH_ERR_PROTOCOL);
}

/* ---- hostile answers ---- */

static void expect_protocol(const char *body, size_t len, const char *fragment)
{
    mps_solution *s = (mps_solution *)1;
    graph_error err;
    assert_false(graph_parse_solution(body, len, NULL, &s, &err));
    assert_null(s);
    assert_int_equal(err.cls, GRAPH_ERR_PROTOCOL);
    if (fragment && !strstr(err.message, fragment))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, fragment);
}

static void malformed_json_is_protocol_error(void **state)
{
    (void)state;
    const char *b = "{\"id\":\"1\",}";
    expect_protocol(b, strlen(b), "malformed");
    const char *single = "{'id':'1'}";
    expect_protocol(single, strlen(single), "malformed");
}

static void truncated_json_is_protocol_error(void **state)
{
    (void)state;
    const char *b = "{\"id\":\"1\",\"name\":\"Soc";
    expect_protocol(b, strlen(b), "truncated");
    expect_protocol("", 0, "empty");
}

static void non_object_roots_are_refused(void **state)
{
    (void)state;
    const char *roots[] = {"[{\"id\":\"1\"}]", "\"text\"", "true", "null", "12 "};
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
        expect_protocol(roots[i], strlen(roots[i]), NULL);
    const char *arr = "[{\"id\":\"1\"}]";
    expect_protocol(arr, strlen(arr), "not a JSON object");
}

static void trailing_junk_is_refused_but_whitespace_is_not(void **state)
{
    (void)state;
    const char *junk = "{\"id\":\"1\"} {\"id\":\"2\"}";
    expect_protocol(junk, strlen(junk), NULL);
    const char nul_after[] = "{\"id\":\"1\"}\0{\"id\":\"2\"}";
    expect_protocol(nul_after, sizeof nul_after - 1, "junk");
    const char raw_nul[] = "{\"id\":\"1\",\"name\":\"a\0b\"}";
    expect_protocol(raw_nul, sizeof raw_nul - 1, NULL);
    const char *ws = "{\"id\":\"1\"}\r\n  \n";
    mps_solution *s = NULL;
    graph_error err;
    assert_true(graph_parse_solution(ws, strlen(ws), NULL, &s, &err));
    solution_free(s);
}

static void ten_thousand_deep_nesting_is_refused(void **state)
{
    (void)state;
    size_t depth = 10000;
    char *b = malloc(depth * 2 + 16);
    size_t k = 0;
    b[k++] = '{';
    memcpy(b + k, "\"x\":", 4);
    k += 4;
    for (size_t i = 0; i < depth; i++)
        b[k++] = '[';
    for (size_t i = 0; i < depth; i++)
        b[k++] = ']';
    b[k++] = '}';
    expect_protocol(b, k, "deeper");
    free(b);
}

static void body_over_cap_is_refused(void **state)
{
    (void)state;
    graph_parse_limits lim = {.max_bytes = 64, .max_depth = 0};
    char body[200];
    memset(body, ' ', sizeof body);
    memcpy(body, "{\"id\":\"1\"}", 10);
    mps_solution *s = NULL;
    graph_error err;
    assert_false(graph_parse_solution(body, sizeof body, &lim, &s, &err));
    assert_int_equal(err.cls, GRAPH_ERR_PROTOCOL);
    assert_non_null(strstr(err.message, "larger than 64 bytes"));
}

static void wrong_types_are_ignored_not_fatal(void **state)
{
    (void)state;
    const char *b = "{\"id\":\"5\",\"name\":42,\"status\":[\"ACTIVE\"],\"owner_app\":\"x\","
                    "\"owner_permissions\":[\"MANAGE\",7,null,{\"a\":1},\"DEVELOP\"],"
                    "\"partners\":\"none\"}";
    mps_solution *s = NULL;
    graph_error err;
    assert_true(graph_parse_solution(b, strlen(b), NULL, &s, &err));
    assert_string_equal(s->id, "5");
    assert_string_equal(s->name, "42"); /* an integer becomes its digits */
    assert_null(s->status);
    assert_null(s->owner_app.id);
    assert_int_equal(s->owner_permissions.count, 2);
    assert_string_equal(s->owner_permissions.items[1], "DEVELOP");
    assert_false(s->has_partners);
    solution_free(s);
}

static void solution_without_id_is_refused(void **state)
{
    (void)state;
    const char *b = "{\"name\":\"x\"}";
    expect_protocol(b, strlen(b), "no id");
    const char *obj = "{\"id\":{\"x\":1}}";
    expect_protocol(obj, strlen(obj), "no id");
}

static void page_without_data_is_refused(void **state)
{
    (void)state;
    const char *b = "{\"paging\":{}}";
    mps_solution **items = NULL;
    size_t count = 0;
    char *next = NULL;
    graph_error err;
    assert_false(graph_parse_solution_page(b, strlen(b), NULL, &items, &count, &next, &err));
    assert_int_equal(count, 0);
    assert_int_equal(err.cls, GRAPH_ERR_PROTOCOL);
}

static void page_with_bad_next_link_is_refused(void **state)
{
    (void)state;
    const char *b = "{\"data\":[],\"paging\":{\"next\":\"https://x/\\u001b[2J\"}}";
    mps_solution **items = NULL;
    size_t count = 0;
    char *next = NULL;
    graph_error err;
    assert_false(graph_parse_solution_page(b, strlen(b), NULL, &items, &count, &next, &err));
    assert_null(next);
}

static void empty_page_with_next_reports_next(void **state)
{
    (void)state;
    const char *b =
        "{\"data\":[],\"paging\":{\"next\":\"https://graph.facebook.com/v25.0/1/x?after=A\"}}";
    mps_solution **items = NULL;
    size_t count = 0;
    char *next = NULL;
    graph_error err;
    assert_true(graph_parse_solution_page(b, strlen(b), NULL, &items, &count, &next, &err));
    assert_int_equal(count, 0);
    assert_string_equal(next, "https://graph.facebook.com/v25.0/1/x?after=A");
    free(next);
    free(items);
}

static void nul_in_strings_becomes_replacement(void **state)
{
    (void)state;
    const char *b = "{\"id\":\"1\",\"name\":\"a\\u0000b\"}";
    mps_solution *s = NULL;
    graph_error err;
    assert_true(graph_parse_solution(b, strlen(b), NULL, &s, &err));
    assert_string_equal(s->name, "a\xEF\xBF\xBD"
                                 "b");
    assert_non_null(strstr(s->json, "a\\u0000b"));
    solution_free(s);
}

static void control_c1_and_bidi_in_names_are_sanitised_and_json_stays_exact(void **state)
{
    (void)state;
    /* ESC [2J, a raw C1 (U+0085), RLO (U+202E) and invalid UTF-8 (0xFF) in the name. */
    const char *b = "{\"id\":\"1\",\"name\":\"A\\u001b[2J\xC2\x85"
                    "B\xE2\x80\xAE"
                    "C\xFF"
                    "D\","
                    "\"status\":\"SOMETHING_NEW\",\"owner_permissions\":[\"FUTURE_PERM\"]}";
    mps_solution *s = NULL;
    graph_error err;
    assert_true(graph_parse_solution(b, strlen(b), NULL, &s, &err));
    assert_true(text_is_safe(s->name));
    assert_null(strchr(s->name, '\x1b'));
    assert_non_null(strstr(s->name, "[2J"));
    assert_null(strstr(s->name, "\xE2\x80\xAE"));
    assert_null(strstr(s->name, "\xC2\x85"));
    /* unknown enum values are kept as given */
    assert_string_equal(s->status, "SOMETHING_NEW");
    assert_string_equal(s->owner_permissions.items[0], "FUTURE_PERM");
    /* the JSON copy is inert: no raw ESC, C1 or bidi, but the escapes keep the data */
    assert_null(strchr(s->json, '\x1b'));
    assert_null(strstr(s->json, "\xC2\x85"));
    assert_null(strstr(s->json, "\xE2\x80\xAE"));
    assert_non_null(strstr(s->json, "\\u001b[2J"));
    assert_non_null(strstr(s->json, "\\u0085"));
    assert_non_null(strstr(s->json, "\\u202e"));
    solution_free(s);
}

static void graph_error_in_a_200_answer_is_reported(void **state)
{
    (void)state;
    const char *b = "{\"error\":{\"message\":\"(#100) Tried accessing nonexisting field "
                    "(partners)\",\"type\":\"OAuthException\",\"code\":100,"
                    "\"fbtrace_id\":\"AbC123\"}}";
    mps_solution *s = NULL;
    graph_error err;
    assert_false(graph_parse_solution(b, strlen(b), NULL, &s, &err));
    assert_int_equal(err.cls, GRAPH_ERR_BAD_REQUEST);
    assert_int_equal(err.code, 100);
    assert_string_equal(err.fbtrace_id, "AbC123");
}

static void usage_headers_give_highest_percentage(void **state)
{
    (void)state;
    graph_usage u = {.max_percent = -1, .regain_minutes = 0};
    graph_parse_usage_header("X-App-Usage",
                             "{\"call_count\":28,\"total_time\":25,\"total_cputime\":37}", &u);
    assert_int_equal(u.max_percent, 37);
    graph_parse_usage_header(
        "x-business-use-case-usage",
        "{\"506914307656634\":[{\"type\":\"whatsapp_business_management\",\"call_count\":91,"
        "\"total_cputime\":3,\"total_time\":4,\"estimated_time_to_regain_access\":12}]}",
        &u);
    assert_int_equal(u.max_percent, 91);
    assert_int_equal(u.regain_minutes, 12);
    graph_parse_usage_header("X-App-Usage", "not json", &u);
    graph_parse_usage_header("Content-Type", "{\"call_count\":99}", &u);
    assert_int_equal(u.max_percent, 91);
}

/* --json prints numbers exactly as the server wrote them: no Infinity for 1e400, no
 * 18446744073709551615 for a 30-digit integer, in a solution and in a list page. */
static void numbers_pass_through_exactly(void **state)
{
    (void)state;
    static const char *const texts[] = {"1e400",
                                        "-1e400",
                                        "1e-400",
                                        "123456789012345678901234567890",
                                        "-123456789012345678901234567890",
                                        "18446744073709551616",
                                        "9223372036854775808",
                                        "-9223372036854775809",
                                        "0.10",
                                        "1E+2",
                                        "5e0",
                                        "12345678901234567890e0",
                                        "42"};
    char body[2048];
    int n = snprintf(body, sizeof body, "{\"id\":\"1\",\"name\":\"n\",\"x\":[");
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        n += snprintf(body + n, sizeof body - (size_t)n, "%s%s", i ? "," : "", texts[i]);
    snprintf(body + n, sizeof body - (size_t)n, "],\"s\":\"123456789012345678901234567890\"}");
    mps_solution *s = NULL;
    graph_error err;
    assert_true(graph_parse_solution(body, strlen(body), NULL, &s, &err));
    char want[2048];
    n = snprintf(want, sizeof want, "\"x\":[");
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        n += snprintf(want + n, sizeof want - (size_t)n, "%s%s", i ? "," : "", texts[i]);
    snprintf(want + n, sizeof want - (size_t)n, "]");
    assert_non_null(strstr(s->json, want));
    assert_non_null(strstr(s->json, "\"s\":\"123456789012345678901234567890\""));
    assert_null(strstr(s->json, "Infinity"));
    solution_free(s);

    const char *page = "{\"data\":[{\"id\":\"2\",\"v\":99999999999999999999999}]}";
    mps_solution **items = NULL;
    size_t count = 0;
    char *next = NULL;
    assert_true(graph_parse_solution_page(page, strlen(page), NULL, &items, &count, &next, &err));
    assert_int_equal(count, 1);
    assert_non_null(strstr(items[0]->json, "\"v\":99999999999999999999999"));
    solution_free(items[0]);
    free(items);
}

/* What every solution of a page repeats (apps, permissions) is held once, sanitised as any
 * other text; freeing the solutions gives it all back. */
static void a_page_holds_repeated_apps_and_permissions_once(void **state)
{
    (void)state;
    size_t base = strpool_count();
    const char *b =
        "{\"data\":["
        "{\"id\":\"1\",\"name\":\"One\",\"owner_app\":{\"id\":\"100\",\"name\":\"Social\"},"
        "\"owner_permissions\":[\"MANAGE\",\"DEVELOP\",7],\"partners\":{\"data\":[{\"id\":\"p1\","
        "\"partner_app\":{\"id\":200,\"name\":\"Bad\\u001b[31m\"},\"partner_permissions\":"
        "[\"MANAGE\"]}]}},"
        "{\"id\":\"2\",\"name\":\"Two\",\"owner_app\":{\"id\":\"100\",\"name\":\"Social\"},"
        "\"owner_permissions\":[\"DEVELOP\",\"MANAGE\"],\"partners\":{\"data\":[{\"id\":\"p2\","
        "\"partner_app\":{\"id\":\"200\",\"name\":\"Bad\\u001b[31m\"},\"partner_permissions\":[]}]}"
        "}"
        "]}";
    mps_solution **items = NULL;
    size_t count = 0;
    graph_error err;
    assert_true(graph_parse_solution_page(b, strlen(b), NULL, &items, &count, NULL, &err));
    assert_int_equal(count, 2);
    mps_solution *x = items[0], *y = items[1];
    assert_ptr_equal(x->owner_app.name, y->owner_app.name);
    assert_ptr_equal(x->owner_app.id, y->owner_app.id);
    assert_int_equal(x->owner_permissions.count, 2); /* the 7 is not a permission */
    assert_ptr_equal(x->owner_permissions.items[0], y->owner_permissions.items[1]);
    assert_ptr_equal(x->partners[0].permissions.items[0], x->owner_permissions.items[0]);
    /* the id given as a number and as a string is the same text */
    assert_ptr_equal(x->partners[0].app.id, y->partners[0].app.id);
    assert_string_equal(x->partners[0].app.id, "200");
    assert_true(y->partners[0].has_permissions);
    assert_int_equal(y->partners[0].permissions.count, 0);
    /* sanitised before interning */
    assert_true(text_is_safe(x->partners[0].app.name));
    assert_ptr_equal(x->partners[0].app.name, y->partners[0].app.name);
    /* the distinct texts: 100, Social, MANAGE, DEVELOP, 200, the sanitised name */
    assert_int_equal(strpool_count(), base + 6);
    solution_free(x);
    assert_string_equal(y->owner_permissions.items[1], "MANAGE");
    solution_free(y);
    free(items);
    assert_int_equal(strpool_count(), base);
}

/* A client that never prints the server's JSON (the dashboard) gets solutions without it, and
 * everything else the same. */
static void solutions_come_without_json_text_when_not_wanted(void **state)
{
    (void)state;
    const char *b = "{\"data\":[{\"id\":\"1\",\"name\":\"One\",\"status\":\"ACTIVE\","
                    "\"owner_app\":{\"id\":\"100\"},\"owner_permissions\":[\"MANAGE\"]}]}";
    graph_parse_limits with = {0}, without = {.no_json = true};
    mps_solution **items = NULL;
    size_t count = 0;
    graph_error err;
    assert_true(graph_parse_solution_page(b, strlen(b), &with, &items, &count, NULL, &err));
    assert_true(graph_parse_solution_page(b, strlen(b), &without, &items, &count, NULL, &err));
    assert_int_equal(count, 2);
    assert_non_null(items[0]->json);
    assert_null(items[1]->json);
    assert_string_equal(items[1]->name, "One");
    assert_string_equal(items[1]->owner_app.id, "100");
    assert_int_equal(items[1]->owner_permissions.count, 1);
    free(items[1]->json);
    items[1]->json = strdup(items[0]->json); /* then they are the same */
    char diff[256];
    assert_false(solution_diff(items[0], items[1], diff, sizeof diff));
    const char *one = "{\"id\":\"7\",\"name\":\"Seven\"}";
    mps_solution *s = NULL;
    assert_true(graph_parse_solution(one, strlen(one), &without, &s, &err));
    assert_null(s->json);
    assert_string_equal(s->name, "Seven");
    solution_free(s);
    solution_free(items[0]);
    solution_free(items[1]);
    free(items);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_solution_with_partners_parses_every_field),
        cmocka_unit_test(seed_solution_with_status_parses_partner_status),
        cmocka_unit_test(seed_list_page_parses_both_solutions_and_no_next),
        cmocka_unit_test(seed_waba_solutions_page_parses),
        cmocka_unit_test(seed_partners_page_parses),
        cmocka_unit_test(seed_client_wabas_page_parses_with_next),
        cmocka_unit_test(seed_success_answer_is_success),
        cmocka_unit_test(action_success_false_is_not_success),
        cmocka_unit_test(action_answer_may_be_the_solution_object),
        cmocka_unit_test(action_openapi_shape_reads_success),
        cmocka_unit_test(seed_token_answer_parses),
        cmocka_unit_test(token_openapi_shape_parses_with_expiry),
        cmocka_unit_test(token_missing_is_protocol_error),
        cmocka_unit_test(seed_created_answer_parses),
        cmocka_unit_test(seed_app_details_parses),
        cmocka_unit_test(single_app_parses),
        cmocka_unit_test(seed_account_update_webhook_parses),
        cmocka_unit_test(seed_partner_solutions_webhook_parses),
        cmocka_unit_test(webhook_without_entry_is_refused),
        cmocka_unit_test(malformed_json_is_protocol_error),
        cmocka_unit_test(truncated_json_is_protocol_error),
        cmocka_unit_test(non_object_roots_are_refused),
        cmocka_unit_test(trailing_junk_is_refused_but_whitespace_is_not),
        cmocka_unit_test(ten_thousand_deep_nesting_is_refused),
        cmocka_unit_test(body_over_cap_is_refused),
        cmocka_unit_test(wrong_types_are_ignored_not_fatal),
        cmocka_unit_test(solution_without_id_is_refused),
        cmocka_unit_test(page_without_data_is_refused),
        cmocka_unit_test(page_with_bad_next_link_is_refused),
        cmocka_unit_test(empty_page_with_next_reports_next),
        cmocka_unit_test(nul_in_strings_becomes_replacement),
        cmocka_unit_test(control_c1_and_bidi_in_names_are_sanitised_and_json_stays_exact),
        cmocka_unit_test(graph_error_in_a_200_answer_is_reported),
        cmocka_unit_test(usage_headers_give_highest_percentage),
        cmocka_unit_test(numbers_pass_through_exactly),
        cmocka_unit_test(a_page_holds_repeated_apps_and_permissions_once),
        cmocka_unit_test(solutions_come_without_json_text_when_not_wanted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
