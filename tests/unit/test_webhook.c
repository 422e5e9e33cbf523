/* Unit tests for the webhook receiver's pieces: the X-Hub-Signature-256 check, the replay memory,
 * the verify token settings of a profile, and the receiver in-process (appends, refuses, counts,
 * writes what it answered before it stops). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/webhook/wh.h"
#include "mpsdash/config.h"
#include "mpsdash/graph.h"
#include "mpsdash/webhook.h"
#include "test_tmpdir.h"

static char tmpdir[256];

static int setup(void **state)
{
    return test_tmpdir_make(tmpdir, sizeof tmpdir, "webhook");
}

static int teardown(void **state)
{
    test_tmpdir_remove(tmpdir);
    secret_env_forget();
    return 0;
}

/* RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
 */
static const char fox[] = "The quick brown fox jumps over the lazy dog";
static const char fox_mac[] = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";

static void signature_known_answer(void **state)
{
    char hex[65];
    graph_hmac_sha256_hex("key", fox, strlen(fox), hex);
    assert_string_equal(hex, fox_mac);
    char header[80];
    snprintf(header, sizeof header, "sha256=%s", fox_mac);
    assert_true(webhook_signature_ok("key", fox, strlen(fox), header));
}

static void signature_refuses_near_misses(void **state)
{
    char header[80];
    snprintf(header, sizeof header, "sha256=%s", fox_mac);
    header[strlen(header) - 1] = '9'; /* last digit changed */
    assert_false(webhook_signature_ok("key", fox, strlen(fox), header));
    snprintf(header, sizeof header, "sha256=%s", fox_mac);
    assert_false(webhook_signature_ok("other", fox, strlen(fox), header));
    assert_false(webhook_signature_ok("key", fox, strlen(fox) - 1, header));
    snprintf(header, sizeof header, "sha1=%s", fox_mac);
    assert_false(webhook_signature_ok("key", fox, strlen(fox), header));
    snprintf(header, sizeof header, "sha256=%.63s", fox_mac);
    assert_false(webhook_signature_ok("key", fox, strlen(fox), header));
    snprintf(header, sizeof header, "sha256=%s0", fox_mac);
    assert_false(webhook_signature_ok("key", fox, strlen(fox), header));
    snprintf(header, sizeof header, "sha256=%.63sg", fox_mac);
    assert_false(webhook_signature_ok("key", fox, strlen(fox), header));
    assert_false(webhook_signature_ok("key", fox, strlen(fox), NULL));
    assert_false(webhook_signature_ok("", fox, strlen(fox), header));
    /* Upper-case hex is the same digest. */
    snprintf(header, sizeof header, "sha256=%s", fox_mac);
    for (char *p = header + 7; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    assert_true(webhook_signature_ok("key", fox, strlen(fox), header));
}

static void replay_remembers_recent_deliveries(void **state)
{
    wh_replay *r = wh_replay_new(4);
    char buf[32];
    for (int i = 0; i < 4; i++) {
        snprintf(buf, sizeof buf, "delivery %d", i);
        assert_false(wh_replay_seen(r, buf, strlen(buf)));
        wh_replay_add(r, buf, strlen(buf));
        assert_true(wh_replay_seen(r, buf, strlen(buf)));
    }
    /* Four more: the first four move to the older generation and are still known. */
    for (int i = 4; i < 8; i++) {
        snprintf(buf, sizeof buf, "delivery %d", i);
        wh_replay_add(r, buf, strlen(buf));
    }
    for (int i = 0; i < 8; i++) {
        snprintf(buf, sizeof buf, "delivery %d", i);
        assert_true(wh_replay_seen(r, buf, strlen(buf)));
    }
    /* Another four: the oldest generation is dropped, memory stays fixed. */
    for (int i = 8; i < 13; i++) {
        snprintf(buf, sizeof buf, "delivery %d", i);
        wh_replay_add(r, buf, strlen(buf));
    }
    assert_false(wh_replay_seen(r, "delivery 0", strlen("delivery 0")));
    assert_true(wh_replay_seen(r, "delivery 12", strlen("delivery 12")));
    wh_replay_free(r);
}

static void profile_webhook_reads_verify_token_not_access_token(void **state)
{
    static const char text[] =
        "profiles = { hooks = { app_id = \"1\"; app_secret_env = \"WHT_SECRET\";\n"
        "  verify_token_env = \"WHT_VERIFY\"; events_file = \"/tmp/x.jsonl\"; }; };\n";
    mps_config *cfg = NULL;
    char err[1024];
    assert_int_equal(config_parse_string(text, strlen(text), "t.conf", &cfg, err, sizeof err), 0);
    setenv("WHT_SECRET", "the-app-secret", 1);
    setenv("WHT_VERIFY", "the-verify-token", 1);
    resolved_profile rp;
    /* No token source at all: fine for the receiver ... */
    assert_int_equal(
        profile_resolve(cfg, "hooks", NULL, PROFILE_RESOLVE_WEBHOOK, &rp, err, sizeof err), 0);
    assert_null(rp.token);
    assert_string_equal(rp.app_secret, "the-app-secret");
    assert_string_equal(rp.verify_token, "the-verify-token");
    assert_null(getenv("WHT_VERIFY")); /* taken out of the environment */
    resolved_profile_clear(&rp);
    /* ... but not for anything that calls the Graph API. */
    assert_int_equal(profile_resolve(cfg, "hooks", NULL, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "no token source"));
    config_free(cfg);
}

static void verify_token_setting_errors_name_the_line(void **state)
{
    static const char text[] = "profiles = { hooks = { app_id = \"1\";\n"
                               "  verify_token_env = \"EAAGabcdefghijklmnopqrstuvwxyz\"; }; };\n";
    mps_config *cfg = NULL;
    char err[1024];
    assert_int_equal(config_parse_string(text, strlen(text), "t.conf", &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "t.conf:2"));
    assert_null(strstr(err, "EAAGabcdefghijklmnopqrstuvwxyz"));
}

/* ---- the receiver in-process ---- */

static size_t discard(char *p, size_t s, size_t n, void *u)
{
    return s * n;
}

static long post(int port, const char *body, const char *signature)
{
    CURL *c = curl_easy_init();
    char url[64], hdr[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    if (signature) {
        snprintf(hdr, sizeof hdr, "X-Hub-Signature-256: %s", signature);
        h = curl_slist_append(h, hdr);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    long code = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return code;
}

static void sign(const char *body, char out[80])
{
    char hex[65];
    graph_hmac_sha256_hex("s3cret", body, strlen(body), hex);
    snprintf(out, 80, "sha256=%s", hex);
}

static size_t count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF)
        n += ch == '\n';
    fclose(f);
    return n;
}

static void receiver_writes_what_it_answered_and_counts_refusals(void **state)
{
    char path[512], err[512], sig[80];
    snprintf(path, sizeof path, "%s/events.jsonl", tmpdir);
    webhook_options o = {.app_secret = "s3cret", .verify_token = "vt", .events_path = path};
    webhook_server *s = webhook_start(&o, err, sizeof err);
    assert_non_null(s);
    int port = webhook_port(s);
    const char *good = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\","
                       "\"changes\":[{\"field\":\"partner_solutions\",\"value\":{}}]}]}";
    sign(good, sig);
    assert_int_equal(post(port, good, sig), 200);
    assert_int_equal(post(port, good, sig), 200); /* replayed */
    assert_int_equal(post(port, good, NULL), 403);
    assert_int_equal(post(port, good, "sha256=00"), 403);
    sign("{\"entry\":", sig);
    assert_int_equal(post(port, "{\"entry\":", sig), 400);
    webhook_stats st;
    webhook_stop(s, &st);
    /* Stopped: every delivery answered 200 is on disk, once. */
    assert_int_equal(count_lines(path), 1);
    assert_int_equal(st.accepted, 1);
    assert_int_equal(st.written, 1);
    assert_int_equal(st.replayed, 1);
    assert_int_equal(st.unsigned_, 1);
    assert_int_equal(st.bad_signature, 1);
    assert_int_equal(st.malformed, 1);
}

static void receiver_refuses_to_start_without_secrets(void **state)
{
    char err[512];
    webhook_options o = {.verify_token = "vt", .events_path = "/tmp/x"};
    assert_null(webhook_start(&o, err, sizeof err));
    assert_non_null(strstr(err, "app secret"));
    o.app_secret = "s";
    o.verify_token = NULL;
    assert_null(webhook_start(&o, err, sizeof err));
    assert_non_null(strstr(err, "verify token"));
    o.verify_token = "vt";
    o.listen = "example.com";
    assert_null(webhook_start(&o, err, sizeof err));
    assert_non_null(strstr(err, "example.com"));
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signature_known_answer),
        cmocka_unit_test(signature_refuses_near_misses),
        cmocka_unit_test(replay_remembers_recent_deliveries),
        cmocka_unit_test_setup_teardown(profile_webhook_reads_verify_token_not_access_token, setup,
                                        teardown),
        cmocka_unit_test(verify_token_setting_errors_name_the_line),
        cmocka_unit_test_setup_teardown(receiver_writes_what_it_answered_and_counts_refusals, setup,
                                        teardown),
        cmocka_unit_test(receiver_refuses_to_start_without_secrets),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
