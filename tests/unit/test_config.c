/* Unit tests for the config file: schema, errors with file and line, @include refusal, and
 * resolving profiles (defaults, overrides, the implicit "cli" profile, token source order). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mpsdash/config.h"
#include "mpsdash/paths.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_tmpdir.h"

static char tmpdir[256];
static char err[2048];

static int setup(void **state)
{
    if (test_tmpdir_make(tmpdir, sizeof tmpdir, "config") != 0)
        return -1;
    /* Every path lookup stays inside the temporary directory. */
    char buf[512];
    snprintf(buf, sizeof buf, "%s/xdg-config", tmpdir);
    setenv("XDG_CONFIG_HOME", buf, 1);
    snprintf(buf, sizeof buf, "%s/xdg-state", tmpdir);
    setenv("XDG_STATE_HOME", buf, 1);
    setenv("HOME", tmpdir, 1);
    err[0] = '\0';
    return 0;
}

static int teardown(void **state)
{
    test_tmpdir_remove(tmpdir);
    secret_env_forget();
    unsetenv("MPSDASH_TEST_TOKEN");
    unsetenv("MPSDASH_TEST_TOKEN2");
    unsetenv("MPSDASH_TEST_SECRET");
    return 0;
}

/* Writes `text` to tmpdir/name with `mode`; returns the path (static buffer per call slot). */
static const char *write_file(const char *name, const char *text, mode_t mode)
{
    static char paths[4][512];
    static int slot;
    char *path = paths[slot++ % 4];
    snprintf(path, 512, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
    return path;
}

static mps_config *parse_ok(const char *text)
{
    mps_config *cfg = NULL;
    int rc = config_parse_string(text, strlen(text), "test.conf", &cfg, err, sizeof err);
    if (rc != 0)
        fail_msg("unexpected error: %s", err);
    assert_non_null(cfg);
    return cfg;
}

/* Parses text that must fail; the message must hold every given fragment. */
static void parse_fails_with(const char *text, ...)
{
    mps_config *cfg = NULL;
    int rc = config_parse_string(text, strlen(text), "test.conf", &cfg, err, sizeof err);
    assert_int_equal(rc, -1);
    assert_null(cfg);
    va_list ap;
    va_start(ap, text);
    for (const char *frag; (frag = va_arg(ap, const char *));)
        if (!strstr(err, frag))
            fail_msg("error \"%s\" lacks \"%s\"", err, frag);
    va_end(ap);
}

static const char *full_example =
    "default_profile = \"prod\";\n"
    "theme = \"light\";\n"
    "confirm = \"typed\";\n"
    "refresh_interval = 90;\n"
    "mouse = true; emoji_joiners = \"split\";\n"
    "audit_log = \"~/audit/mps.log\";\n"
    "keys = { accept = \"a\"; reject = [ \"x\", \"d\" ]; };\n"
    "profiles = {\n"
    "  prod = { app_id = \"21202248997039\"; business_id = \"506914307656634\";\n"
    "           graph_url = \"https://graph.facebook.com/\"; api_version = \"v25.0\";\n"
    "           token_env = \"MPSDASH_TEST_TOKEN\"; token_file = \"~/prod.token\";\n"
    "           ca_file = \"/etc/ssl/ca.pem\"; events_file = \"~/events.jsonl\";\n"
    "           refresh_interval = 30;\n"
    "           partner_businesses = ( { app = \"637576208107267\"; business = "
    "\"520744086200222\"; } );\n"
    "  };\n"
    "  staging = { app_id = \"1\"; token_env = \"MPSDASH_TEST_TOKEN2\"; graph_url = "
    "\"http://127.0.0.1:8080\"; };\n"
    "};\n";

static void full_example_loads_every_field(void **state)
{
    mps_config *cfg = parse_ok(full_example);
    assert_string_equal(cfg->default_profile, "prod");
    assert_string_equal(cfg->theme, "light");
    assert_int_equal(cfg->confirm, CONFIG_CONFIRM_TYPED);
    assert_int_equal(cfg->refresh_interval, 90);
    assert_true(cfg->mouse);
    assert_int_equal(cfg->emoji_joiners, CONFIG_JOINERS_SPLIT);
    char want[600];
    snprintf(want, sizeof want, "%s/audit/mps.log", tmpdir);
    assert_string_equal(cfg->audit_log, want);
    assert_int_equal(cfg->profile_count, 2);
    const mps_profile *p = config_profile(cfg, NULL);
    assert_non_null(p);
    assert_string_equal(p->name, "prod");
    assert_string_equal(p->app_id, "21202248997039");
    assert_string_equal(p->business_id, "506914307656634");
    assert_string_equal(p->token_env, "MPSDASH_TEST_TOKEN");
    snprintf(want, sizeof want, "%s/prod.token", tmpdir);
    assert_string_equal(p->token_file, want);
    assert_int_equal(p->refresh_interval, 30);
    assert_int_equal(p->partner_count, 1);
    assert_string_equal(p->partners[0].app_id, "637576208107267");
    assert_string_equal(p->partners[0].business_id, "520744086200222");
    assert_int_equal(p->line, 9);
    const mps_profile *s = config_profile(cfg, "staging");
    assert_non_null(s);
    assert_int_equal(s->refresh_interval, -1);
    assert_null(config_profile(cfg, "nope"));
    config_free(cfg);
}

static void keys_are_triples_with_lines(void **state)
{
    mps_config *cfg = parse_ok(full_example);
    assert_int_equal(cfg->key_count, 3);
    assert_string_equal(cfg->keys[0].request, "accept");
    assert_string_equal(cfg->keys[0].spec, "a");
    assert_int_equal(cfg->keys[0].line, 7);
    assert_string_equal(cfg->keys[1].request, "reject");
    assert_string_equal(cfg->keys[1].spec, "x");
    assert_string_equal(cfg->keys[2].spec, "d");
    config_free(cfg);
}

static void empty_text_gives_defaults(void **state)
{
    mps_config *cfg = parse_ok("");
    assert_int_equal(cfg->confirm, CONFIG_CONFIRM_YES);
    assert_int_equal(cfg->refresh_interval, CONFIG_DEFAULT_REFRESH);
    assert_false(cfg->mouse);
    assert_int_equal(cfg->notify, CONFIG_NOTIFY_BELL); /* the bell by default */
    assert_int_equal(cfg->profile_count, 0);
    assert_null(config_profile(cfg, NULL));
    config_free(cfg);
}

static void syntax_error_names_file_and_line(void **state)
{
    parse_fails_with("theme = \"x\";\n\nrefresh_interval = = 3;\n", "test.conf:3:", "syntax error",
                     NULL);
}

static void include_refused_with_its_line(void **state)
{
    /* The included file exists: refusal must not depend on it being missing. */
    write_file("inc.conf", "mouse = true;\n", 0600);
    char text[600];
    snprintf(text, sizeof text, "theme = \"x\";\n  @include \"%s/inc.conf\"\n", tmpdir);
    parse_fails_with(text, "test.conf:2:", "@include is not allowed", NULL);
    parse_fails_with("mouse = false; @INCLUDE \"x\"\n", "test.conf:1:", "@include", NULL);
}

static void include_inside_string_or_comment_is_text(void **state)
{
    mps_config *cfg = parse_ok("# @include \"a\"\n/* @include \"b\"\n*/\n"
                               "theme = \"see @include \\\" here\"; // @include \"c\"\n");
    assert_string_equal(cfg->theme, "see @include \" here");
    config_free(cfg);
}

static void unknown_key_is_error_with_line_and_hint(void **state)
{
    parse_fails_with("mouse = true;\nrefesh_interval = 10;\n",
                     "test.conf:2:", "unknown setting 'refesh_interval'",
                     "did you mean 'refresh_interval'", NULL);
    parse_fails_with("colour = 1;\n", "test.conf:1:", "unknown setting 'colour'", NULL);
}

static void unknown_key_in_profile_names_profile(void **state)
{
    parse_fails_with("profiles = {\n prod = {\n  app_id = \"1\";\n  tokn_env = \"X\";\n };\n};\n",
                     "test.conf:4:", "'tokn_env' in profile 'prod'", "did you mean 'token_env'",
                     NULL);
}

static void wrong_type_is_error_with_line(void **state)
{
    parse_fails_with("\nrefresh_interval = \"60\";\n", "test.conf:2:", "'refresh_interval'",
                     "must be a number of seconds", "not a string", NULL);
    parse_fails_with("mouse = \"yes\";\n", "test.conf:1:", "true or false", NULL);
    parse_fails_with("theme = 3;\n", "test.conf:1:", "must be a string", NULL);
    parse_fails_with("profiles = { prod = \"x\"; };\n",
                     "test.conf:1:", "profile 'prod' must be a group", NULL);
    parse_fails_with("keys = { accept = 1; };\n", "test.conf:1:", "'accept'", NULL);
}

static void unquoted_long_id_is_refused(void **state)
{
    /* libconfig 1.5 would wrap this to a different number without a word. */
    parse_fails_with("profiles = { p = {\n app_id = 21202248997039;\n }; };\n",
                     "test.conf:2:", "'app_id' in profile 'p' must be written in quotes", NULL);
    parse_fails_with("profiles = { p = { app_id = \"12ab\"; }; };\n", "digits only", NULL);
}

/* notify: one way or a list of them; "none" alone turns every one off. */
static void notify_takes_a_way_or_a_list(void **state)
{
    mps_config *cfg = parse_ok("notify = \"osc9\";\n");
    assert_int_equal(cfg->notify, CONFIG_NOTIFY_OSC9);
    config_free(cfg);
    cfg = parse_ok("notify = [ \"bell\", \"osc777\" ];\n");
    assert_int_equal(cfg->notify, CONFIG_NOTIFY_BELL | CONFIG_NOTIFY_OSC777);
    config_free(cfg);
    cfg = parse_ok("notify = \"none\";\n");
    assert_int_equal(cfg->notify, 0);
    config_free(cfg);
    parse_fails_with("\nnotify = \"beep\";\n", "test.conf:2:", "not \"beep\"", NULL);
    parse_fails_with("notify = [ \"bell\", \"none\" ];\n", "not \"none\"", NULL);
    parse_fails_with("notify = 1;\n", "'notify' takes", NULL);
}

static void values_are_validated(void **state)
{
    parse_fails_with("profiles = { p = { graph_url = \"http://graph.facebook.com\"; }; };\n",
                     "test.conf:1:", "not loopback", NULL);
    parse_fails_with("profiles = { p = { graph_url = \"ftp://x\"; }; };\n", "https://", NULL);
    parse_fails_with("profiles = { p = { graph_url = \"https://user@x\"; }; };\n", "@", NULL);
    parse_fails_with("profiles = { p = { api_version = \"25\"; }; };\n", "v25.0", NULL);
    parse_fails_with("confirm = \"always\";\n", "\"yes\" or \"typed\"", NULL);
    parse_fails_with("emoji_joiners = \"glued\";\n", "\"auto\", \"joined\" or \"split\"", NULL);
    parse_fails_with("refresh_interval = -1;\n", "between 0", NULL);
    parse_fails_with(
        "profiles = { p = { token_env = \"EAAGm0PX4ZCpsBAKZCZAhUXwZD12345678\"; }; };\n",
        "not the secret itself", NULL);
    parse_fails_with("theme = \"a\\tb\";\n", "control character", NULL);
    parse_fails_with("profiles = { p = { partner_businesses = ( { app = \"1\"; } ); }; };\n",
                     "needs both app and business", NULL);
    parse_fails_with(
        "profiles = { p = { partner_businesses = ( { app = \"1\"; busines = \"2\"; } ); }; };\n",
        "unknown setting 'busines'", NULL);
}

static void loopback_http_is_accepted(void **state)
{
    mps_config *cfg = parse_ok("profiles = { a = { graph_url = \"http://127.0.0.1:9\"; };\n"
                               " b = { graph_url = \"http://[::1]:9/x\"; };\n"
                               " c = { graph_url = \"http://localhost\"; }; };\n");
    assert_int_equal(cfg->profile_count, 3);
    config_free(cfg);
}

static void default_profile_must_exist(void **state)
{
    parse_fails_with("profiles = { a = { app_id = \"1\"; }; };\ndefault_profile = \"b\";\n",
                     "test.conf:2:", "default_profile 'b'", NULL);
}

static void duplicate_setting_is_error(void **state)
{
    parse_fails_with("mouse = true;\nmouse = false;\n", "test.conf:2:", "duplicate", NULL);
}

static void nul_byte_is_refused(void **state)
{
    static const char text[] = "mouse = true;\ntheme = \"a\0b\";\n";
    mps_config *cfg = NULL;
    assert_int_equal(config_parse_string(text, sizeof text - 1, "test.conf", &cfg, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "test.conf:2: NUL"));
}

static void missing_default_file_is_empty_config(void **state)
{
    mps_config *cfg = NULL;
    assert_int_equal(config_load(NULL, &cfg, err, sizeof err), 0);
    assert_non_null(cfg);
    assert_null(cfg->path);
    assert_int_equal(cfg->profile_count, 0);
    config_free(cfg);
}

static void default_file_is_read_from_xdg_config_home(void **state)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/xdg-config/mpsdash", tmpdir);
    assert_int_equal(paths_mkdir_p(dir, 0700, err, sizeof err), 0);
    write_file("xdg-config/mpsdash/config", "theme = \"mono\";\n", 0600);
    mps_config *cfg = NULL;
    assert_int_equal(config_load(NULL, &cfg, err, sizeof err), 0);
    assert_string_equal(cfg->theme, "mono");
    char want[600];
    snprintf(want, sizeof want, "%s/config", dir);
    assert_string_equal(cfg->path, want);
    config_free(cfg);
}

static void missing_explicit_file_is_error(void **state)
{
    char path[512];
    snprintf(path, sizeof path, "%s/absent.conf", tmpdir);
    mps_config *cfg = NULL;
    assert_int_equal(config_load(path, &cfg, err, sizeof err), -1);
    assert_null(cfg);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "No such file"));
}

static void file_error_names_real_path_and_line(void **state)
{
    const char *path = write_file("bad.conf", "mouse = true;\n\nthme = \"x\";\n", 0600);
    mps_config *cfg = NULL;
    assert_int_equal(config_load(path, &cfg, err, sizeof err), -1);
    char want[600];
    snprintf(want, sizeof want, "%s:3: unknown setting 'thme'", path);
    assert_non_null(strstr(err, want));
}

static void group_writable_config_is_refused(void **state)
{
    const char *path = write_file("open.conf", "mouse = true;\n", 0664);
    mps_config *cfg = NULL;
    assert_int_equal(config_load(path, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "writable by group or others"));
    assert_non_null(strstr(err, "chmod go-w"));
    chmod(path, 0644);
    assert_int_equal(config_load(path, &cfg, err, sizeof err), 0);
    config_free(cfg);
}

/* ------------------------------------------------------------------ resolving */

static void override_only_profile_without_any_config_file(void **state)
{
    setenv("MPSDASH_TEST_TOKEN", "EAAGtesttoken1234", 1);
    profile_overrides ov = {
        .graph_url = "http://127.0.0.1:8080", .app_id = "12345", .token_env = "MPSDASH_TEST_TOKEN"};
    resolved_profile rp;
    assert_int_equal(profile_resolve(NULL, NULL, &ov, 0, &rp, err, sizeof err), 0);
    assert_true(rp.implicit);
    assert_string_equal(rp.name, CONFIG_IMPLICIT_PROFILE);
    assert_string_equal(rp.app_id, "12345");
    assert_string_equal(rp.graph_url, "http://127.0.0.1:8080");
    assert_string_equal(rp.api_version, MPS_DEFAULT_API_VERSION);
    assert_int_equal(rp.refresh_interval, CONFIG_DEFAULT_REFRESH);
    assert_string_equal(rp.token, "EAAGtesttoken1234");
    assert_int_equal(rp.token_source.kind, SECRET_ENV);
    assert_null(rp.app_secret);
    resolved_profile_clear(&rp);
    /* The same through an empty config (a missing default file). */
    mps_config *cfg = config_new_empty();
    assert_int_equal(profile_resolve(cfg, NULL, &ov, 0, &rp, err, sizeof err), 0);
    assert_true(rp.implicit);
    resolved_profile_clear(&rp);
    config_free(cfg);
}

static void cli_profile_by_name_beside_configured_ones(void **state)
{
    setenv("MPSDASH_TEST_TOKEN", "tok", 1);
    mps_config *cfg = parse_ok(full_example);
    profile_overrides ov = {.app_id = "777", .token_env = "MPSDASH_TEST_TOKEN"};
    resolved_profile rp;
    assert_int_equal(profile_resolve(cfg, "cli", &ov, 0, &rp, err, sizeof err), 0);
    assert_true(rp.implicit);
    assert_string_equal(rp.app_id, "777");
    assert_null(rp.business_id); /* nothing borrowed from the default profile */
    resolved_profile_clear(&rp);
    /* Without an app id there is nothing to make the profile from. */
    assert_int_equal(profile_resolve(cfg, "cli", NULL, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "no profile 'cli'"));
    config_free(cfg);
}

static void no_secrets_flag_picks_the_source_that_would_be_read(void **state)
{
    const char *tok = write_file("p.token", "file-token\n", 0600);
    char text[1024];
    snprintf(text, sizeof text,
             "profiles = { p = { app_id = \"1\"; token_env = \"MPSDASH_TEST_TOKEN\";"
             " token_file = \"%s\"; }; };\n",
             tok);
    mps_config *cfg = parse_ok(text);
    resolved_profile rp;
    assert_int_equal(
        profile_resolve(cfg, NULL, NULL, PROFILE_RESOLVE_NO_SECRETS, &rp, err, sizeof err), 0);
    assert_int_equal(rp.token_source.kind, SECRET_FILE);
    assert_string_equal(rp.token_source.value, tok);
    assert_null(rp.token);
    resolved_profile_clear(&rp);
    config_free(cfg);
}

static void no_profile_and_no_overrides_says_what_to_do(void **state)
{
    resolved_profile rp;
    assert_int_equal(profile_resolve(NULL, NULL, NULL, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "--app-id"));
    assert_null(rp.token);
}

static void override_values_are_checked(void **state)
{
    resolved_profile rp;
    profile_overrides ov = {.graph_url = "http://example.com", .app_id = "1", .token_env = "X"};
    assert_int_equal(profile_resolve(NULL, NULL, &ov, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "--graph-url"));
    profile_overrides ov2 = {.app_id = "1", .token_env = "EAAGm0PX4ZCpsBAKZCZAhUXwZD"};
    assert_int_equal(profile_resolve(NULL, NULL, &ov2, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "never the token itself"));
    assert_null(strstr(err, "EAAGm0PX4ZCpsBAKZCZAhUXwZD"));
}

static void overrides_win_over_profile_values(void **state)
{
    setenv("MPSDASH_TEST_TOKEN2", "tok-from-override-env", 1);
    setenv("MPSDASH_TEST_TOKEN", "tok-from-profile-env", 1);
    mps_config *cfg = parse_ok(full_example);
    profile_overrides ov = {.api_version = "v26.0", .token_env = "MPSDASH_TEST_TOKEN2"};
    resolved_profile rp;
    /* the profile named: its values give way to the overrides */
    assert_int_equal(profile_resolve(cfg, "prod", &ov, 0, &rp, err, sizeof err), 0);
    assert_string_equal(rp.name, "prod");
    assert_false(rp.implicit);
    assert_string_equal(rp.api_version, "v26.0");
    assert_string_equal(rp.graph_url, "https://graph.facebook.com"); /* trailing / dropped */
    assert_string_equal(rp.token, "tok-from-override-env");
    assert_int_equal(rp.refresh_interval, 30);
    assert_string_equal(resolved_partner_business(&rp, "637576208107267"), "520744086200222");
    assert_null(resolved_partner_business(&rp, "1"));
    resolved_profile_clear(&rp);
    config_free(cfg);
}

static void profile_without_own_interval_takes_global(void **state)
{
    setenv("MPSDASH_TEST_TOKEN2", "tok", 1);
    mps_config *cfg = parse_ok(full_example);
    resolved_profile rp;
    assert_int_equal(profile_resolve(cfg, "staging", NULL, 0, &rp, err, sizeof err), 0);
    assert_int_equal(rp.refresh_interval, 90);
    assert_string_equal(rp.graph_url, "http://127.0.0.1:8080");
    resolved_profile_clear(&rp);
    config_free(cfg);
}

static void unknown_profile_lists_the_known_ones(void **state)
{
    mps_config *cfg = parse_ok(full_example);
    resolved_profile rp;
    assert_int_equal(profile_resolve(cfg, "qa", NULL, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "no profile 'qa'"));
    assert_non_null(strstr(err, "prod, staging"));
    config_free(cfg);
}

static void several_profiles_without_default_ask_for_p(void **state)
{
    mps_config *cfg =
        parse_ok("profiles = { a = { app_id = \"1\"; }; b = { app_id = \"2\"; }; };\n");
    resolved_profile rp;
    assert_int_equal(profile_resolve(cfg, NULL, NULL, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "-p NAME"));
    config_free(cfg);
}

static void profile_without_app_id_names_its_line(void **state)
{
    mps_config *cfg = parse_ok("\nprofiles = {\n  p = { token_env = \"X\"; };\n};\n");
    resolved_profile rp;
    assert_int_equal(profile_resolve(cfg, NULL, NULL, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "test.conf:3: profile 'p' has no app_id"));
    config_free(cfg);
}

static void profile_without_token_source_says_so(void **state)
{
    mps_config *cfg = parse_ok("profiles = {\n  p = { app_id = \"1\"; };\n};\n");
    resolved_profile rp;
    assert_int_equal(profile_resolve(cfg, NULL, NULL, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "test.conf:2: profile 'p' has no token source"));
    config_free(cfg);
}

static void unset_env_falls_through_to_token_file(void **state)
{
    const char *tok = write_file("p.token", "  file-token-123\n", 0600);
    char text[1024];
    snprintf(text, sizeof text,
             "profiles = { p = { app_id = \"1\"; token_env = \"MPSDASH_TEST_TOKEN\";"
             " token_file = \"%s\"; token_command = \"echo never-used\"; }; };\n",
             tok);
    mps_config *cfg = parse_ok(text);
    resolved_profile rp;
    assert_int_equal(profile_resolve(cfg, NULL, NULL, 0, &rp, err, sizeof err), 0);
    assert_string_equal(rp.token, "file-token-123");
    assert_int_equal(rp.token_source.kind, SECRET_FILE);
    resolved_profile_clear(&rp);
    /* With the variable set, it comes first. */
    setenv("MPSDASH_TEST_TOKEN", "env-token-456", 1);
    assert_int_equal(profile_resolve(cfg, NULL, NULL, 0, &rp, err, sizeof err), 0);
    assert_string_equal(rp.token, "env-token-456");
    resolved_profile_clear(&rp);
    config_free(cfg);
}

static void broken_token_file_does_not_fall_through(void **state)
{
    const char *tok = write_file("p.token", "file-token\n", 0644);
    char text[1024];
    snprintf(text, sizeof text,
             "profiles = { p = { app_id = \"1\"; token_file = \"%s\";"
             " token_command = \"echo cmd-token\"; }; };\n",
             tok);
    mps_config *cfg = parse_ok(text);
    resolved_profile rp;
    assert_int_equal(profile_resolve(cfg, NULL, NULL, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "profile 'p': token:"));
    assert_non_null(strstr(err, "too open"));
    assert_null(rp.token);
    config_free(cfg);
}

static void explicit_token_env_does_not_fall_through(void **state)
{
    const char *tok = write_file("p.token", "file-token\n", 0600);
    char text[1024];
    snprintf(text, sizeof text, "profiles = { p = { app_id = \"1\"; token_file = \"%s\"; }; };\n",
             tok);
    mps_config *cfg = parse_ok(text);
    profile_overrides ov = {.token_env = "MPSDASH_TEST_TOKEN"};
    resolved_profile rp;
    assert_int_equal(profile_resolve(cfg, "p", &ov, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "MPSDASH_TEST_TOKEN is not set"));
    config_free(cfg);
}

/* Connection values with no profile named never take the default profile's secrets. */
static void overrides_without_a_profile_borrow_no_secret(void **state)
{
    setenv("MPSDASH_TEST_TOKEN", "tok-of-the-default-profile", 1);
    setenv("MPSDASH_TEST_TOKEN2", "tok-given", 1);
    mps_config *cfg = parse_ok(full_example);
    resolved_profile rp;
    profile_overrides url_only = {.graph_url = "https://graph.example.com"};
    assert_int_equal(profile_resolve(cfg, NULL, &url_only, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "-p"));
    profile_overrides all = {.app_id = "42", .token_env = "MPSDASH_TEST_TOKEN2"};
    assert_int_equal(profile_resolve(cfg, NULL, &all, 0, &rp, err, sizeof err), 0);
    assert_true(rp.implicit);
    assert_string_equal(rp.token, "tok-given");
    assert_null(rp.app_secret);
    assert_null(rp.business_id);
    resolved_profile_clear(&rp);
    config_free(cfg);
}

static void env_token_survives_a_second_resolve(void **state)
{
    setenv("MPSDASH_TEST_TOKEN", "env-token-789", 1);
    profile_overrides ov = {.app_id = "1", .token_env = "MPSDASH_TEST_TOKEN"};
    resolved_profile rp;
    assert_int_equal(profile_resolve(NULL, NULL, &ov, 0, &rp, err, sizeof err), 0);
    assert_null(getenv("MPSDASH_TEST_TOKEN"));
    resolved_profile_clear(&rp);
    /* :profile switching back resolves again after the variable is gone. */
    assert_int_equal(profile_resolve(NULL, NULL, &ov, 0, &rp, err, sizeof err), 0);
    assert_string_equal(rp.token, "env-token-789");
    resolved_profile_clear(&rp);
}

/* A token_command never inherits a secret variable, not even one only another profile reads
 * (and that profile still gets its token after the switch). */
static void token_command_inherits_no_profile_secret_variable(void **state)
{
    setenv("MPSDASH_TEST_TOKEN2", "other-profile-secret-4242", 1);
    setenv("MPSDASH_TEST_SECRET", "other-app-secret-4343", 1);
    char text[1024];
    snprintf(text, sizeof text,
             "profiles = { a = { app_id = \"1\"; token_command = \"env > %s/env.txt; echo "
             "cmd-token\"; };\n"
             " b = { app_id = \"2\"; token_env = \"MPSDASH_TEST_TOKEN2\";"
             " app_secret_env = \"MPSDASH_TEST_SECRET\"; }; };\n",
             tmpdir);
    mps_config *cfg = parse_ok(text);
    resolved_profile rp;
    assert_int_equal(profile_resolve(cfg, "a", NULL, 0, &rp, err, sizeof err), 0);
    assert_string_equal(rp.token, "cmd-token");
    resolved_profile_clear(&rp);
    char path[600];
    snprintf(path, sizeof path, "%s/env.txt", tmpdir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "PATH="));
    assert_null(strstr(buf, "other-profile-secret-4242"));
    assert_null(strstr(buf, "other-app-secret-4343"));
    assert_null(strstr(buf, "MPSDASH_TEST_TOKEN2"));
    assert_int_equal(profile_resolve(cfg, "b", NULL, 0, &rp, err, sizeof err), 0);
    assert_string_equal(rp.token, "other-profile-secret-4242");
    assert_string_equal(rp.app_secret, "other-app-secret-4343");
    resolved_profile_clear(&rp);
    config_free(cfg);
}

static void no_secrets_flag_reads_nothing(void **state)
{
    setenv("MPSDASH_TEST_TOKEN", "still-here", 1);
    mps_config *cfg =
        parse_ok("profiles = { p = { app_id = \"1\"; token_env = \"MPSDASH_TEST_TOKEN\";"
                 " app_secret_env = \"MPSDASH_TEST_SECRET\"; }; };\n");
    resolved_profile rp;
    assert_int_equal(
        profile_resolve(cfg, NULL, NULL, PROFILE_RESOLVE_NO_SECRETS, &rp, err, sizeof err), 0);
    assert_null(rp.token);
    assert_null(rp.app_secret);
    assert_int_equal(rp.token_source.kind, SECRET_ENV);
    assert_string_equal(rp.token_source.value, "MPSDASH_TEST_TOKEN");
    assert_int_equal(rp.app_secret_source.kind, SECRET_ENV);
    assert_string_equal(getenv("MPSDASH_TEST_TOKEN"), "still-here");
    resolved_profile_clear(&rp);
    config_free(cfg);
}

static void app_secret_is_loaded_and_required_when_configured(void **state)
{
    setenv("MPSDASH_TEST_TOKEN", "tok", 1);
    mps_config *cfg =
        parse_ok("profiles = { p = { app_id = \"1\"; token_env = \"MPSDASH_TEST_TOKEN\";"
                 " app_secret_env = \"MPSDASH_TEST_SECRET\"; }; };\n");
    resolved_profile rp;
    assert_int_equal(profile_resolve(cfg, NULL, NULL, 0, &rp, err, sizeof err), -1);
    assert_non_null(strstr(err, "app secret"));
    assert_non_null(strstr(err, "MPSDASH_TEST_SECRET is not set"));
    setenv("MPSDASH_TEST_SECRET", "0123456789abcdef", 1);
    assert_int_equal(profile_resolve(cfg, NULL, NULL, 0, &rp, err, sizeof err), 0);
    assert_string_equal(rp.app_secret, "0123456789abcdef");
    assert_string_equal(rp.token, "tok");
    resolved_profile_clear(&rp);
    assert_null(rp.token);
    config_free(cfg);
}

static void audit_log_path_defaults_to_xdg_state(void **state)
{
    mps_config *cfg = config_new_empty();
    char *p = config_audit_log_path(cfg);
    char want[600];
    snprintf(want, sizeof want, "%s/xdg-state/mpsdash/audit.log", tmpdir);
    assert_string_equal(p, want);
    free(p);
    config_free(cfg);
}

static void xdg_relative_value_is_ignored(void **state)
{
    setenv("XDG_CONFIG_HOME", "relative/dir", 1);
    char *d = paths_config_dir();
    char want[600];
    snprintf(want, sizeof want, "%s/.config/mpsdash", tmpdir);
    assert_string_equal(d, want);
    free(d);
    unsetenv("XDG_STATE_HOME");
    d = paths_state_dir();
    snprintf(want, sizeof want, "%s/.local/state/mpsdash", tmpdir);
    assert_string_equal(d, want);
    free(d);
}

static void mkdir_p_creates_private_directories(void **state)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/a/b/c", tmpdir);
    assert_int_equal(paths_mkdir_p(dir, 0700, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(paths_mkdir_p(dir, 0700, err, sizeof err), 0); /* already there: fine */
    const char *f = write_file("plain", "x", 0600);
    assert_int_equal(paths_mkdir_p(f, 0700, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a directory"));
}

int main(void)
{
    umask(022);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(full_example_loads_every_field, setup, teardown),
        cmocka_unit_test_setup_teardown(keys_are_triples_with_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_text_gives_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(syntax_error_names_file_and_line, setup, teardown),
        cmocka_unit_test_setup_teardown(include_refused_with_its_line, setup, teardown),
        cmocka_unit_test_setup_teardown(include_inside_string_or_comment_is_text, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_key_is_error_with_line_and_hint, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_key_in_profile_names_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(wrong_type_is_error_with_line, setup, teardown),
        cmocka_unit_test_setup_teardown(unquoted_long_id_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(notify_takes_a_way_or_a_list, setup, teardown),
        cmocka_unit_test_setup_teardown(values_are_validated, setup, teardown),
        cmocka_unit_test_setup_teardown(loopback_http_is_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(default_profile_must_exist, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_setting_is_error, setup, teardown),
        cmocka_unit_test_setup_teardown(nul_byte_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_default_file_is_empty_config, setup, teardown),
        cmocka_unit_test_setup_teardown(default_file_is_read_from_xdg_config_home, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_explicit_file_is_error, setup, teardown),
        cmocka_unit_test_setup_teardown(file_error_names_real_path_and_line, setup, teardown),
        cmocka_unit_test_setup_teardown(group_writable_config_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(override_only_profile_without_any_config_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(cli_profile_by_name_beside_configured_ones, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(no_secrets_flag_picks_the_source_that_would_be_read, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(no_profile_and_no_overrides_says_what_to_do, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(override_values_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(overrides_win_over_profile_values, setup, teardown),
        cmocka_unit_test_setup_teardown(profile_without_own_interval_takes_global, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_profile_lists_the_known_ones, setup, teardown),
        cmocka_unit_test_setup_teardown(several_profiles_without_default_ask_for_p, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(profile_without_app_id_names_its_line, setup, teardown),
        cmocka_unit_test_setup_teardown(profile_without_token_source_says_so, setup, teardown),
        cmocka_unit_test_setup_teardown(unset_env_falls_through_to_token_file, setup, teardown),
        cmocka_unit_test_setup_teardown(broken_token_file_does_not_fall_through, setup, teardown),
        cmocka_unit_test_setup_teardown(explicit_token_env_does_not_fall_through, setup, teardown),
        cmocka_unit_test_setup_teardown(overrides_without_a_profile_borrow_no_secret, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(env_token_survives_a_second_resolve, setup, teardown),
        cmocka_unit_test_setup_teardown(token_command_inherits_no_profile_secret_variable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(no_secrets_flag_reads_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(app_secret_is_loaded_and_required_when_configured, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(audit_log_path_defaults_to_xdg_state, setup, teardown),
        cmocka_unit_test_setup_teardown(xdg_relative_value_is_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(mkdir_p_creates_private_directories, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
