/* Graph error classification and hints, error formatting, redaction, appsecret_proof and the
 * client's refusal of unsafe settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mpsdash/graph.h"
#include "mpsdash/text.h"

typedef struct class_case {
    int code, subcode;
    bool transient;
    long http;
    graph_error_class want;
} class_case;

static const class_case class_cases[] = {
    {190, 463, false, 400, GRAPH_ERR_TOKEN},
    {190, 460, false, 400, GRAPH_ERR_TOKEN},
    {190, 0, false, 401, GRAPH_ERR_TOKEN},
    {102, 0, false, 400, GRAPH_ERR_TOKEN},
    {4, 0, false, 400, GRAPH_ERR_RATE_LIMIT},
    {17, 0, false, 400, GRAPH_ERR_RATE_LIMIT},
    {32, 0, false, 400, GRAPH_ERR_RATE_LIMIT},
    {341, 0, false, 400, GRAPH_ERR_RATE_LIMIT},
    {613, 0, false, 400, GRAPH_ERR_RATE_LIMIT},
    {80007, 0, false, 400, GRAPH_ERR_RATE_LIMIT},
    {80008, 0, false, 400, GRAPH_ERR_RATE_LIMIT},
    {10, 0, false, 403, GRAPH_ERR_PERMISSION},
    {200, 0, false, 403, GRAPH_ERR_PERMISSION},
    {299, 0, false, 403, GRAPH_ERR_PERMISSION},
    {100, 33, false, 400, GRAPH_ERR_BAD_REQUEST},
    {368, 0, false, 400, GRAPH_ERR_POLICY},
    {1, 0, false, 500, GRAPH_ERR_TRANSIENT},
    {2, 0, false, 503, GRAPH_ERR_TRANSIENT},
    {131000, 0, true, 500, GRAPH_ERR_TRANSIENT},
    {131000, 0, false, 400, GRAPH_ERR_API},
    /* the class follows the code, not the HTTP status: a token error as HTTP 500 is a token
     * error, a transient error as HTTP 400 is transient */
    {190, 0, false, 500, GRAPH_ERR_TOKEN},
    {2, 0, false, 400, GRAPH_ERR_TRANSIENT},
    /* no Graph error at all: only then does the HTTP status decide */
    {0, 0, false, 200, GRAPH_OK},
    {0, 0, false, 429, GRAPH_ERR_RATE_LIMIT},
    {0, 0, false, 502, GRAPH_ERR_TRANSIENT},
    {0, 0, false, 404, GRAPH_ERR_PROTOCOL},
    {0, 0, true, 400, GRAPH_ERR_TRANSIENT},
};

static void classification_follows_code_subcode_and_transient(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof class_cases / sizeof class_cases[0]; i++) {
        const class_case *c = &class_cases[i];
        graph_error_class got = graph_classify(c->code, c->subcode, c->transient, c->http);
        if (got != c->want)
            fail_msg("code %d/%d transient %d HTTP %ld: got %s, want %s", c->code, c->subcode,
                     c->transient, c->http, graph_error_class_name(got),
                     graph_error_class_name(c->want));
    }
}

static void class_names_cover_every_class(void **state)
{
    (void)state;
    for (int i = 0; i < GRAPH_ERR_CLASS_COUNT; i++) {
        const char *n = graph_error_class_name((graph_error_class)i);
        assert_non_null(n);
        assert_string_not_equal(n, "unknown");
    }
    assert_string_equal(graph_error_class_name(GRAPH_ERR_RATE_LIMIT), "rate limit");
    assert_string_equal(graph_error_class_name(GRAPH_ERR_CLASS_COUNT), "unknown");
}

static graph_error parse_err(const char *body, long http)
{
    graph_error err;
    memset(&err, 0x55, sizeof err);
    assert_true(graph_parse_error(body, strlen(body), http, NULL, &err));
    return err;
}

static void expired_token_says_what_to_do(void **state)
{
    (void)state;
    graph_error e =
        parse_err("{\"error\":{\"message\":\"Error validating access token: The token expired on "
                  "Friday.\",\"type\":\"OAuthException\",\"code\":190,\"error_subcode\":463,"
                  "\"fbtrace_id\":\"A1b2C3d4E5f\"}}",
                  400);
    assert_int_equal(e.cls, GRAPH_ERR_TOKEN);
    assert_int_equal(e.code, 190);
    assert_int_equal(e.subcode, 463);
    assert_int_equal(e.http_status, 400);
    assert_string_equal(e.fbtrace_id, "A1b2C3d4E5f");
    assert_string_equal(e.hint,
                        "the access token has expired: generate a new one and update the token "
                        "source");
    char line[1024];
    graph_error_format(&e, line, sizeof line);
    assert_non_null(strstr(line, "The token expired on Friday."));
    assert_non_null(strstr(line, "code 190/463"));
    assert_non_null(strstr(line, "fbtrace_id A1b2C3d4E5f"));
    assert_non_null(strstr(line, "generate a new one"));
    /* The advice first: a status line cut at 80 columns still says what to do. */
    assert_true(strncmp(line, "the access token has expired: generate a new one", 48) == 0);
    char status[81];
    graph_error_format(&e, status, sizeof status);
    assert_non_null(strstr(status, "update the token source"));
}

typedef struct hint_case {
    int code, subcode;
    const char *fragment;
} hint_case;

static void token_subcodes_each_get_their_own_hint(void **state)
{
    (void)state;
    static const hint_case cases[] = {
        {190, 460, "password"},   {190, 458, "not installed"},
        {190, 467, "logged out"}, {190, 492, "left the business"},
        {190, 493, "inactivity"}, {102, 0, "login has expired"},
        {10, 0, "permission"},    {200, 0, "permission"},
        {368, 0, "policy"},       {100, 0, "invalid"},
        {2, 0, "temporary"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[256];
        snprintf(body, sizeof body,
                 "{\"error\":{\"message\":\"m\",\"code\":%d,\"error_subcode\":%d,"
                 "\"fbtrace_id\":\"T\"}}",
                 cases[i].code, cases[i].subcode);
        graph_error e = parse_err(body, 400);
        if (!strstr(e.hint, cases[i].fragment))
            fail_msg("%d/%d: hint \"%s\" lacks \"%s\"", cases[i].code, cases[i].subcode, e.hint,
                     cases[i].fragment);
    }
}

static void rate_limit_keeps_wait_and_says_so(void **state)
{
    (void)state;
    graph_error e = parse_err("{\"error\":{\"message\":\"(#80007) There have been too many calls "
                              "to this WhatsApp Business account.\",\"type\":\"OAuthException\","
                              "\"code\":80007,\"fbtrace_id\":\"Fb1\"}}",
                              400);
    assert_int_equal(e.cls, GRAPH_ERR_RATE_LIMIT);
    assert_non_null(strstr(e.hint, "rate limited"));
}

static void transient_flag_is_read(void **state)
{
    (void)state;
    graph_error e = parse_err("{\"error\":{\"message\":\"An unknown error occurred\","
                              "\"code\":131000,\"is_transient\":true,\"fbtrace_id\":\"x\"}}",
                              500);
    assert_true(e.transient);
    assert_int_equal(e.cls, GRAPH_ERR_TRANSIENT);
}

static void user_message_joins_message(void **state)
{
    (void)state;
    graph_error e =
        parse_err("{\"error\":{\"message\":\"Invalid parameter\",\"code\":100,"
                  "\"error_user_title\":\"Messaging\",\"error_user_msg\":\"Only one side may hold "
                  "MESSAGING.\",\"fbtrace_id\":\"z\"}}",
                  400);
    assert_non_null(strstr(e.message, "Invalid parameter"));
    assert_non_null(strstr(e.message, "Messaging: Only one side may hold MESSAGING."));
}

static void server_text_in_errors_is_sanitised(void **state)
{
    (void)state;
    graph_error e = parse_err("{\"error\":{\"message\":\"bad \\u001b]0;pwned\\u0007 \\u202e "
                              "name\",\"code\":100,\"fbtrace_id\":\"a\\u001b[31m\"}}",
                              400);
    assert_true(text_is_safe(e.message));
    assert_true(text_is_safe(e.fbtrace_id));
    char line[1024];
    graph_error_format(&e, line, sizeof line);
    assert_true(text_is_safe(line));
}

static void non_graph_bodies_are_not_errors(void **state)
{
    (void)state;
    graph_error e;
    const char *html = "<html><body>502 Bad Gateway</body></html>";
    assert_false(graph_parse_error(html, strlen(html), 502, NULL, &e));
    const char *obj = "{\"data\":[]}";
    assert_false(graph_parse_error(obj, strlen(obj), 200, NULL, &e));
    const char *str_error = "{\"error\":\"nope\"}";
    assert_false(graph_parse_error(str_error, strlen(str_error), 400, NULL, &e));
}

static void format_fits_small_buffers(void **state)
{
    (void)state;
    graph_error e = parse_err("{\"error\":{\"message\":\"The token expired\",\"code\":190,"
                              "\"error_subcode\":463,\"fbtrace_id\":\"A\"}}",
                              400);
    char small[16];
    graph_error_format(&e, small, sizeof small);
    assert_int_equal(strlen(small), 15);
}

/* ---- redaction ---- */

static void redact_masks_query_secrets(void **state)
{
    (void)state;
    char *r = graph_redact("https://graph.facebook.com/v25.0/1/x?after=QV&access_token=EAAGsecret"
                           "123&limit=100&appsecret_proof=abcdef0123");
    assert_null(strstr(r, "EAAGsecret123"));
    assert_null(strstr(r, "abcdef0123"));
    assert_non_null(strstr(r, "access_token=***&limit=100"));
    assert_non_null(strstr(r, "appsecret_proof=***"));
    assert_non_null(strstr(r, "after=QV"));
    free(r);
}

static void redact_masks_bearer_and_json_tokens(void **state)
{
    (void)state;
    char *r = graph_redact("Authorization: Bearer EAAGsecret\n{\"data\":[{\"access_token\" : "
                           "\"EAAN6tcBz\\\"AUBO\",\"id\":\"1\"}]}");
    assert_null(strstr(r, "EAAGsecret"));
    assert_null(strstr(r, "EAAN6tcBz"));
    assert_null(strstr(r, "AUBO"));
    assert_non_null(strstr(r, "Bearer ***"));
    assert_non_null(strstr(r, "\"access_token\":\"***\",\"id\":\"1\""));
    free(r);
}

static void redact_leaves_other_text_alone(void **state)
{
    (void)state;
    const char *t = "GET /v25.0/123/whatsapp_business_solutions?fields=id%2Cname&my_token=1";
    char *r = graph_redact(t);
    assert_string_equal(r, t);
    free(r);
}

/* ---- appsecret_proof: HMAC-SHA256 (RFC 4231 vectors) ---- */

static void appsecret_proof_matches_rfc4231_vectors(void **state)
{
    (void)state;
    char out[65];
    graph_appsecret_proof("Jefe", "what do ya want for nothing?", out);
    assert_string_equal(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    char key[21];
    memset(key, 0x0b, 20);
    key[20] = '\0';
    graph_appsecret_proof(key, "Hi There", out);
    assert_string_equal(out, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

/* ---- client settings ---- */

static graph_error client_refusal(const char *url, const char *version)
{
    graph_options o = {.base_url = url, .api_version = version, .token = "EAAGtest"};
    graph_error err;
    graph_client *c = graph_client_new(&o, &err);
    if (c) {
        graph_client_free(c);
        err.cls = GRAPH_OK;
    }
    return err;
}

static void plain_http_is_refused_except_to_loopback(void **state)
{
    (void)state;
    assert_int_equal(client_refusal("http://graph.facebook.com", NULL).cls, GRAPH_ERR_USAGE);
    assert_int_equal(client_refusal("http://10.0.0.1:8080", NULL).cls, GRAPH_ERR_USAGE);
    assert_int_equal(client_refusal("ftp://127.0.0.1", NULL).cls, GRAPH_ERR_USAGE);
    assert_int_equal(client_refusal("https://graph.facebook.com?access_token=x", NULL).cls,
                     GRAPH_ERR_USAGE);
    assert_int_equal(client_refusal("http://127.0.0.1:8080", NULL).cls, GRAPH_OK);
    assert_int_equal(client_refusal("http://localhost:8080/", NULL).cls, GRAPH_OK);
    assert_int_equal(client_refusal("http://[::1]:8080", NULL).cls, GRAPH_OK);
    assert_int_equal(client_refusal("https://graph.facebook.com", NULL).cls, GRAPH_OK);
    assert_int_equal(client_refusal(NULL, NULL).cls, GRAPH_OK);
}

/* Look-alike and userinfo tricks: plain http goes to this machine or nowhere. */
static void loopback_look_alikes_are_refused(void **state)
{
    (void)state;
    static const char *const refused[] = {
        "http://127.0.0.1.evil.com",
        "http://127.0.0.1.evil.com:8080",
        "http://localhost.evil.com",
        "http://localhost@evil.com",
        "http://127.0.0.1@evil.com",
        "http://127.0.0.1:8080@evil.com",
        "http://user:pw@127.0.0.1:8080",
        "http://:pw@127.0.0.1:8080",
        "https://user@graph.facebook.com",
        "http://evil.com#@127.0.0.1",
        "http://evil.com?@127.0.0.1",
        "http://evil.com\\@127.0.0.1",
        "http://127.0.0.1 .evil.com",
        "http://[::1].evil.com",
        "http://[::2]:8080",
        "http://127.0.0.2:8080",
        "file:///etc/passwd",
        "gopher://127.0.0.1",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        graph_error err = client_refusal(refused[i], NULL);
        if (err.cls == GRAPH_OK)
            fail_msg("accepted %s", refused[i]);
    }
}

static void bad_api_version_is_refused(void **state)
{
    (void)state;
    assert_int_equal(client_refusal(NULL, "25.0").cls, GRAPH_ERR_USAGE);
    assert_int_equal(client_refusal(NULL, "v25.0/../x").cls, GRAPH_ERR_USAGE);
    assert_int_equal(client_refusal(NULL, "v21.0").cls, GRAPH_OK);
}

static void missing_token_is_refused_without_echoing_secrets(void **state)
{
    (void)state;
    graph_options o = {.token = NULL};
    graph_error err;
    assert_null(graph_client_new(&o, &err));
    assert_int_equal(err.cls, GRAPH_ERR_USAGE);
    graph_options bad = {.token = "EAAGsecret\r\nX-Injected: 1"};
    assert_null(graph_client_new(&bad, &err));
    assert_null(strstr(err.message, "EAAGsecret"));
}

static void op_with_hostile_id_is_refused_before_sending(void **state)
{
    (void)state;
    graph_options o = {.base_url = "http://127.0.0.1:9", .token = "EAAGtest", .app_id = "1"};
    graph_client *c = graph_client_new(&o, NULL);
    assert_non_null(c);
    graph_op *op = graph_op_get_solution("1/../../me?x=");
    graph_error err;
    assert_false(graph_run(c, op, &err));
    assert_int_equal(err.cls, GRAPH_ERR_USAGE);
    assert_int_equal(graph_op_result(op)->requests, 0);
    assert_int_equal(graph_client_requests(c), 0);
    graph_op_free(op);
    op = graph_op_list_solutions("admin");
    assert_false(graph_run(c, op, &err));
    assert_int_equal(err.cls, GRAPH_ERR_USAGE);
    graph_op_free(op);
    graph_client_free(c);
}

/* A 200-character token, as Meta's are: longer than fbtrace_id's buffer, and placed where the
 * message buffer cuts it. */
static void long_token(char *out, size_t size)
{
    for (size_t i = 0; i + 1 < size; i++)
        out[i] = "EAAGm0PX4ZCpsBAKZCZAlongtokenpiece"[i % 34];
    memcpy(out, "EAAG", 4);
    out[size - 1] = '\0';
}

/* No 10-byte piece of secret anywhere in text. */
static void assert_no_piece(const char *text, const char *secret, const char *where)
{
    size_t n = strlen(secret);
    for (size_t i = 0; i + 10 <= n; i++) {
        char piece[11];
        memcpy(piece, secret + i, 10);
        piece[10] = '\0';
        if (strstr(text, piece))
            fail_msg("%s holds '%s' (offset %zu of the token): %s", where, piece, i, text);
    }
}

static void secrets_are_masked_before_the_cut(void **state)
{
    (void)state;
    char token[201];
    long_token(token, sizeof token);
    graph_error probe;
    size_t room = sizeof probe.message - 1;
    /* cuts at 20, 100 and 199 bytes into the token, through message and user message */
    const size_t keep[] = {20, 100, 199};
    for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++) {
        size_t filler = room - keep[k];
        char *msg = malloc(filler + sizeof token);
        assert_non_null(msg);
        memset(msg, 'x', filler);
        strcpy(msg + filler, token);
        for (int joined = 0; joined < 2; joined++) {
            /* the long text as the message (the user message is the same), or as the user
             * message joined after a short one */
            char *body = NULL;
            assert_true(asprintf(&body,
                                 "{\"error\":{\"message\":\"%s\",\"error_user_msg\":\"%s\","
                                 "\"code\":100,\"fbtrace_id\":\"%s\"}}",
                                 joined ? "s" : msg, msg, token) > 0);
            graph_error e;
            assert_true(graph_parse_error(body, strlen(body), 400, token, &e));
            assert_no_piece(e.message, token, "message");
            assert_no_piece(e.fbtrace_id, token, "fbtrace_id");
            assert_non_null(strstr(e.message, "xxxx"));
            char line[2048];
            graph_error_format(&e, line, sizeof line);
            assert_no_piece(line, token, "the formatted line");
            /* without the secret the cut piece stays: the test can tell */
            if (k == 0 && !joined) {
                assert_true(graph_parse_error(body, strlen(body), 400, NULL, &e));
                assert_non_null(strstr(e.fbtrace_id, "EAAGm0PX4Z"));
            }
            free(body);
        }
        free(msg);
    }
}

static void a_data_field_equal_to_the_token_is_masked(void **state)
{
    (void)state;
    const char *token = "sandbox-token-lucky-shrub";
    const char *body = "{\"id\":\"795033096057724\",\"name\":\"sandbox-token-lucky-shrub\","
                       "\"status\":\"ACTIVE\",\"owner_app\":{\"id\":\"1\","
                       "\"name\":\"by sandbox-token-lucky-shrub\"}}";
    graph_parse_limits lim = {.secret = token};
    mps_solution *s = NULL;
    graph_error e;
    assert_true(graph_parse_solution(body, strlen(body), &lim, &s, &e));
    assert_string_equal(s->name, "***");
    assert_null(strstr(s->json, token));
    assert_non_null(strstr(s->json, "by ***"));
    solution_free(s);
    graph_parse_limits plain = {0};
    assert_true(graph_parse_solution(body, strlen(body), &plain, &s, &e));
    assert_string_equal(s->name, token);
    solution_free(s);
}

/* The token echoed anywhere in an answer, in a member's name as well as in a value, is masked
 * before the solution (and its raw JSON for --json) leaves the parser. */
static void token_in_an_answer_key_or_value_is_masked(void **state)
{
    (void)state;
    const char *token = "EAAGkeytoken0123456789";
    const char *body = "{\"id\":\"1\",\"name\":\"x EAAGkeytoken0123456789 y\","
                       "\"owner_app\":{\"id\":\"2\"},"
                       "\"x_EAAGkeytoken0123456789_y\":{\"EAAGkeytoken0123456789\":[1]}}";
    graph_parse_limits lim = {.secret = token};
    mps_solution *s = NULL;
    graph_error e;
    assert_true(graph_parse_solution(body, strlen(body), &lim, &s, &e));
    assert_non_null(s);
    assert_null(strstr(s->name, token));
    assert_non_null(s->json);
    assert_null(strstr(s->json, token));
    assert_non_null(strstr(s->json, "\"x_***_y\""));
    solution_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(classification_follows_code_subcode_and_transient),
        cmocka_unit_test(class_names_cover_every_class),
        cmocka_unit_test(expired_token_says_what_to_do),
        cmocka_unit_test(token_subcodes_each_get_their_own_hint),
        cmocka_unit_test(rate_limit_keeps_wait_and_says_so),
        cmocka_unit_test(transient_flag_is_read),
        cmocka_unit_test(user_message_joins_message),
        cmocka_unit_test(server_text_in_errors_is_sanitised),
        cmocka_unit_test(non_graph_bodies_are_not_errors),
        cmocka_unit_test(format_fits_small_buffers),
        cmocka_unit_test(redact_masks_query_secrets),
        cmocka_unit_test(redact_masks_bearer_and_json_tokens),
        cmocka_unit_test(redact_leaves_other_text_alone),
        cmocka_unit_test(appsecret_proof_matches_rfc4231_vectors),
        cmocka_unit_test(plain_http_is_refused_except_to_loopback),
        cmocka_unit_test(loopback_look_alikes_are_refused),
        cmocka_unit_test(bad_api_version_is_refused),
        cmocka_unit_test(missing_token_is_refused_without_echoing_secrets),
        cmocka_unit_test(op_with_hostile_id_is_refused_before_sending),
        cmocka_unit_test(secrets_are_masked_before_the_cut),
        cmocka_unit_test(a_data_field_equal_to_the_token_is_masked),
        cmocka_unit_test(token_in_an_answer_key_or_value_is_masked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
