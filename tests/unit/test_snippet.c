/* Pins the Embedded Signup snippet: the seed's slip fixed, ids set and escaped, valid JavaScript.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mpsdash/snippet.h"

/* Whether node is on PATH; the checks that need it skip explicitly when it is not. */
static int have_node(void)
{
    return system("command -v node >/dev/null 2>&1") == 0;
}

static char *write_temp(const char *prefix, const char *body, const char *suffix)
{
    char *path = strdup("/tmp/mpsdash-snippet-XXXXXX.js");
    int fd = mkstemps(path, 3);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(prefix, f);
    fputs(body, f);
    fputs(suffix, f);
    fclose(f);
    return path;
}

static int node_check(const char *js)
{
    char *path = write_temp("", js, "");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "node --check '%s' >/dev/null 2>&1", path);
    int rc = system(cmd);
    unlink(path);
    free(path);
    return rc;
}

/* Runs the snippet under node with a fake FB.login and returns what it received, as hex of the
 * UTF-8 bytes "config_id|solutionID". */
static char *node_run(const char *js)
{
    static const char prefix[] = "const FB = { login: (cb, o) => { process.stdout.write("
                                 "Buffer.from(o.config_id + '|' + o.extras.setup.solutionID, "
                                 "'utf8').toString('hex')); } };\n"
                                 "const fbLoginCallback = () => {};\n";
    char *path = write_temp(prefix, js, "\nlaunchWhatsAppSignup();\n");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "node '%s'", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *out = calloc(1, 65536);
    size_t n = fread(out, 1, 65535, p);
    out[n] = '\0';
    assert_int_equal(pclose(p), 0);
    unlink(path);
    free(path);
    return out;
}

static char *hex_of(const char *s)
{
    size_t n = strlen(s);
    char *h = malloc(n * 2 + 1);
    for (size_t i = 0; i < n; i++)
        sprintf(h + 2 * i, "%02x", (unsigned char)s[i]);
    h[2 * n] = '\0';
    return h;
}

static void snippet_sets_solution_id_in_extras_setup(void **state)
{
    (void)state;
    char *js = snippet_embedded_signup("795033096057724", "1234567890");
    assert_non_null(strstr(js, "setup: {\n        solutionID: '795033096057724'\n"));
    assert_non_null(strstr(js, "config_id: '1234567890',"));
    assert_non_null(strstr(js, "FB.login(fbLoginCallback, {"));
    assert_non_null(strstr(js, "sessionInfoVersion: '3'"));
    free(js);
}

static void snippet_fixes_the_seed_syntax_error(void **state)
{
    (void)state;
    char *js = snippet_embedded_signup("303610109049230", NULL);
    assert_null(strstr(js, "solutionID\""));
    assert_non_null(strstr(js, "solutionID: '303610109049230'"));
    free(js);
}

static void snippet_without_config_id_keeps_placeholder(void **state)
{
    (void)state;
    char *js = snippet_embedded_signup("1", "");
    assert_non_null(
        strstr(js, "config_id: '<CONFIGURATION_ID>', // your configuration ID goes here"));
    free(js);
    js = snippet_embedded_signup("1", NULL);
    assert_non_null(strstr(js, "'<CONFIGURATION_ID>'"));
    free(js);
}

static const char *const hostile_ids[] = {
    "it's",
    "back\\slash",
    "quote\"d",
    "line\nbreak",
    "cr\rhere",
    "</script><script>alert(1)",
    "\x1b]52;c;AAAA\x07",
    "tab\there",
    "\xe2\x80\xa8sep\xe2\x80\xa9",
    "rtl\xe2\x80\xaeoverride",
    "emoji \xf0\x9f\x98\x80",
    "c1 \xc2\x9b",
    "${x}`tick`",
    "*/ // x",
};

static void escape_output_is_printable_ascii_for_hostile_ids(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hostile_ids / sizeof hostile_ids[0]; i++) {
        char *js = snippet_embedded_signup(hostile_ids[i], hostile_ids[i]);
        for (const unsigned char *p = (const unsigned char *)js; *p; p++)
            assert_true(*p == '\n' || (*p >= 0x20 && *p < 0x7F));
        assert_null(strstr(js, "</script"));
        free(js);
    }
}

static void escape_invalid_utf8_becomes_replacement_char(void **state)
{
    (void)state;
    char *e = snippet_js_escape("a\xff"
                                "b\xc0\xaf"
                                "c\xed\xa0\x80");
    /* each invalid byte is one U+FFFD; the overlong and surrogate forms are invalid too */
    assert_string_equal(e, "a\\uFFFDb\\uFFFD\\uFFFDc\\uFFFD\\uFFFD\\uFFFD");
    free(e);
    e = snippet_js_escape("\xf0\x9f\x98\x80");
    assert_string_equal(e, "\\uD83D\\uDE00");
    free(e);
}

static void snippet_passes_node_check(void **state)
{
    (void)state;
    char *js = snippet_embedded_signup("795033096057724", NULL);
    assert_int_equal(node_check(js), 0);
    free(js);
    for (size_t i = 0; i < sizeof hostile_ids / sizeof hostile_ids[0]; i++) {
        js = snippet_embedded_signup(hostile_ids[i], hostile_ids[i]);
        assert_int_equal(node_check(js), 0);
        free(js);
    }
}

/* node --check would pass a broken check too if node accepted anything: prove it rejects the
 * seed's own slip, so the assertion above can fail. */
static void node_check_rejects_the_seed_snippet(void **state)
{
    (void)state;
    assert_int_not_equal(node_check("const f = () => { FB.login(cb, { extras: { setup: {\n"
                                    "  solutionID\" '<SOLUTION_ID>' // add solution ID here\n"
                                    "} } }); }\n"),
                         0);
}

static void snippet_delivers_ids_exactly_to_fb_login(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hostile_ids / sizeof hostile_ids[0]; i++) {
        char *js = snippet_embedded_signup(hostile_ids[i], "cfg'1");
        char *got = node_run(js);
        char expect_plain[256];
        snprintf(expect_plain, sizeof expect_plain, "cfg'1|%s", hostile_ids[i]);
        char *expect = hex_of(expect_plain);
        assert_string_equal(got, expect);
        free(expect);
        free(got);
        free(js);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(snippet_sets_solution_id_in_extras_setup),
        cmocka_unit_test(snippet_fixes_the_seed_syntax_error),
        cmocka_unit_test(snippet_without_config_id_keeps_placeholder),
        cmocka_unit_test(escape_output_is_printable_ascii_for_hostile_ids),
        cmocka_unit_test(escape_invalid_utf8_becomes_replacement_char),
    };
    /* These run the snippet in node: without node they are not run, and the test says so. */
    const struct CMUnitTest node_tests[] = {
        cmocka_unit_test(snippet_passes_node_check),
        cmocka_unit_test(node_check_rejects_the_seed_snippet),
        cmocka_unit_test(snippet_delivers_ids_exactly_to_fb_login),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (!have_node()) {
        printf("SKIP: node is not installed: the snippet was not run in node\n");
        return failed ? failed : 77; /* ctest: skipped (SKIP_RETURN_CODE) */
    }
    return failed + cmocka_run_group_tests(node_tests, NULL, NULL);
}
