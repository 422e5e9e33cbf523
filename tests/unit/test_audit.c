/* Unit tests for the audit log: the exact line shape, private file modes, escaping of hostile
 * text, that no token ever reaches the file, whole lines on a full disk, write-ahead intents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mpsdash/audit.h"

#include <ftw.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_tmpdir.h"

static char tmpdir[256];
static char logpath[512];
static char err[2048];

static int setup(void **state)
{
    if (test_tmpdir_make(tmpdir, sizeof tmpdir, "audit") != 0)
        return -1;
    snprintf(logpath, sizeof logpath, "%s/state/mpsdash/audit.log", tmpdir);
    err[0] = '\0';
    return 0;
}

static int teardown(void **state)
{
    test_tmpdir_remove(tmpdir);
    secret_env_forget();
    unsetenv("MPSDASH_TEST_TOKEN");
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void line_has_the_documented_shape(void **state)
{
    audit_entry e = {.time = 1795428000, /* 2026-11-23T10:00:00Z */
                     .profile = "prod",
                     .app_id = "21202248997039",
                     .solution_id = "795033096057724",
                     .action = "accept",
                     .outcome = "ok",
                     .fbtrace_id = "AbCdEf123",
                     .detail = "accepted"};
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0);
    assert_string_equal(slurp(logpath),
                        "{\"time\":\"2026-11-23T10:00:00Z\",\"profile\":\"prod\","
                        "\"app_id\":\"21202248997039\",\"solution_id\":\"795033096057724\","
                        "\"action\":\"accept\",\"outcome\":\"ok\",\"fbtrace_id\":\"AbCdEf123\","
                        "\"detail\":\"accepted\"}\n");
}

/* Who and where: an entry made by audit_entry_init says which user on which host sent what to
 * which Graph URL, in fixed places after the record's own fields. */
static void entries_say_who_and_where(void **state)
{
    resolved_profile rp = {
        .name = "prod", .app_id = "21202248997039", .graph_url = "https://graph.facebook.com"};
    audit_entry e;
    audit_entry_init(&e, &rp);
    e.time = 1795428000;
    e.solution_id = "795033096057724";
    e.action = "accept";
    e.outcome = "ok";
    e.fbtrace_id = "AbCdEf123";
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0);
    char host[256] = "";
    assert_int_equal(gethostname(host, sizeof host), 0);
    const char *line = slurp(logpath);
    char *want_tail = NULL;
    assert_true(asprintf(&want_tail,
                         "\"detail\":null,\"user\":%s,\"uid\":%lld,\"host\":\"%s\","
                         "\"graph_url\":\"https://graph.facebook.com\"}\n",
                         e.user ? "\"" : "null", (long long)getuid(), host) > 0);
    /* the user's name (when the uid has one) sits between its quotes */
    if (e.user) {
        char *with_name = NULL;
        assert_true(asprintf(&with_name,
                             "\"detail\":null,\"user\":\"%s\",\"uid\":%lld,"
                             "\"host\":\"%s\",\"graph_url\":"
                             "\"https://graph.facebook.com\"}\n",
                             e.user, (long long)getuid(), host) > 0);
        free(want_tail);
        want_tail = with_name;
    }
    size_t n = strlen(line), m = strlen(want_tail);
    assert_true(n >= m);
    assert_string_equal(line + n - m, want_tail);
    assert_non_null(strstr(line, "\"outcome\":\"ok\",\"fbtrace_id\":\"AbCdEf123\""));
    free(want_tail);
}

/* The syslog setting names a facility syslog(3) knows, or nothing is sent there. */
static void syslog_facilities_are_checked(void **state)
{
    assert_true(audit_syslog_facility_known("user"));
    assert_true(audit_syslog_facility_known("local7"));
    assert_false(audit_syslog_facility_known("kern"));
    assert_false(audit_syslog_facility_known("local8"));
    assert_int_equal(audit_syslog("nonsense"), -1);
    assert_int_equal(audit_syslog(NULL), 0);
    mps_config *cfg = NULL;
    const char *bad = "audit_syslog = \"kern\";";
    assert_int_not_equal(config_parse_string(bad, strlen(bad), "t.conf", &cfg, err, sizeof err), 0);
    assert_non_null(strstr(err, "'audit_syslog' takes true, false or a syslog facility"));
    const char *on = "audit_syslog = true;";
    assert_int_equal(config_parse_string(on, strlen(on), "t.conf", &cfg, err, sizeof err), 0);
    assert_string_equal(cfg->audit_syslog, "user");
    config_free(cfg);
    const char *named = "audit_syslog = \"local3\";";
    assert_int_equal(config_parse_string(named, strlen(named), "t.conf", &cfg, err, sizeof err), 0);
    assert_string_equal(cfg->audit_syslog, "local3");
    config_free(cfg);
    const char *off = "audit_syslog = false;";
    assert_int_equal(config_parse_string(off, strlen(off), "t.conf", &cfg, err, sizeof err), 0);
    assert_null(cfg->audit_syslog);
    config_free(cfg);
}

static void missing_fields_are_null(void **state)
{
    audit_entry e = {.time = 1795428000, .action = "create", .outcome = "unknown"};
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0);
    assert_non_null(strstr(slurp(logpath), "\"solution_id\":null,"));
    assert_non_null(strstr(slurp(logpath), "\"fbtrace_id\":null,"));
}

static void file_is_private_and_directory_created(void **state)
{
    audit_entry e = {.action = "reject", .outcome = "ok"};
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(logpath, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/state/mpsdash", tmpdir);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
}

static void entries_are_appended_one_per_line(void **state)
{
    audit_entry e = {.action = "accept", .outcome = "ok"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0);
    const char *text = slurp(logpath);
    int lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 3);
}

static void hostile_text_is_escaped_and_survives(void **state)
{
    const char *hostile = "name\"\n\x1b[31mred\r\t\xe2\x80\xae"
                          "rtl \xc2\x9b"
                          "c1 \\ end";
    audit_entry e = {.time = 1,
                     .action = "accept",
                     .outcome = "error",
                     .detail = hostile,
                     .solution_id = "1\n{\"fake\":1}"};
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0);
    const char *text = slurp(logpath);
    /* One line, and nothing a terminal would act on. */
    assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1);
    assert_null(strchr(text, '\x1b'));
    assert_null(strchr(text, '\r'));
    assert_null(strstr(text, "\xe2\x80\xae"));
    assert_null(strstr(text, "\xc2\x9b"));
    /* Still the exact data for a JSON reader. */
    json_object *o = json_tokener_parse(text);
    assert_non_null(o);
    json_object *d;
    assert_true(json_object_object_get_ex(o, "detail", &d));
    assert_string_equal(json_object_get_string(d), hostile);
    json_object_put(o);
}

static void log_never_holds_the_token(void **state)
{
    setenv("MPSDASH_TEST_TOKEN", "EAAGsupersecrettoken0123456789", 1);
    profile_overrides ov = {.app_id = "21202248997039", .token_env = "MPSDASH_TEST_TOKEN"};
    resolved_profile rp;
    assert_int_equal(profile_resolve(NULL, NULL, &ov, 0, &rp, err, sizeof err), 0);
    assert_string_equal(rp.token, "EAAGsupersecrettoken0123456789");
    audit_entry e;
    audit_entry_init(&e, &rp);
    e.solution_id = "795033096057724";
    e.action = "accept";
    e.outcome = "ok";
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0);
    resolved_profile_clear(&rp);
    const char *text = slurp(logpath);
    assert_non_null(strstr(text, "\"profile\":\"cli\""));
    assert_non_null(strstr(text, "\"app_id\":\"21202248997039\""));
    assert_null(strstr(text, "EAAGsupersecrettoken0123456789"));
    assert_null(strstr(text, "supersecret"));
    assert_null(strstr(text, "token"));
}

static void symlinked_log_is_refused(void **state)
{
    char target[512], link[512];
    snprintf(target, sizeof target, "%s/elsewhere", tmpdir);
    snprintf(link, sizeof link, "%s/audit.log", tmpdir);
    FILE *f = fopen(target, "w");
    fclose(f);
    assert_int_equal(symlink(target, link), 0);
    audit_entry e = {.action = "accept", .outcome = "ok"};
    assert_int_equal(audit_append(link, &e, err, sizeof err), -1);
    assert_non_null(strstr(err, link));
    assert_string_equal(slurp(target), "");
}

static void unwritable_path_names_the_file(void **state)
{
    audit_entry e = {.action = "accept", .outcome = "ok"};
    assert_int_equal(audit_append(tmpdir, &e, err, sizeof err), -1); /* a directory */
    assert_non_null(strstr(err, tmpdir));
    assert_int_equal(audit_append("", &e, err, sizeof err), -1);
}

/* Every line of the file parses as JSON on its own: no torn line, nothing glued together. */
static size_t count_json_lines(const char *text)
{
    size_t n = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl); /* the file ends with a newline */
        char *one = strndup(p, (size_t)(nl - p));
        json_object *o = json_tokener_parse(one);
        if (!o)
            fail_msg("not a JSON line: %s", one);
        json_object_put(o);
        free(one);
        n++;
        p = nl + 1;
    }
    return n;
}

static void short_write_leaves_no_torn_line(void **state)
{
    audit_entry e = {
        .time = 1795428000, .action = "accept", .outcome = "ok", .solution_id = "795033096057724"};
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(logpath, &st), 0);
    /* A file size limit 20 bytes past the end: the next line is written only in part, the way
     * a full disk cuts it. */
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = (rlim_t)st.st_size + 20;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    e.action = "reject";
    int rc = audit_append(logpath, &e, err, sizeof err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, prev);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "full"));
    struct stat after;
    assert_int_equal(stat(logpath, &after), 0);
    assert_int_equal(after.st_size, st.st_size); /* the partial line was taken back */
    e.action = "request-deactivation";
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0);
    const char *text = slurp(logpath);
    assert_int_equal(count_json_lines(text), 2);
    assert_null(strstr(text, "\"reject\""));
}

static void torn_last_line_is_ended_before_the_next(void **state)
{
    audit_entry e = {.time = 1795428000, .action = "accept", .outcome = "ok"};
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0);
    FILE *f = fopen(logpath, "a");
    fputs("{\"time\":\"2026-11-23T10:00:00Z\",\"prof", f); /* an older version's torn line */
    fclose(f);
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0);
    const char *text = slurp(logpath);
    const char *torn = strstr(text, "\"prof\n");
    assert_non_null(torn); /* the torn line ends where it was cut ... */
    assert_int_equal(strncmp(torn + 6, "{\"time\"", 7), 0); /* ... the next starts afresh */
}

static void log_that_is_not_a_regular_file_is_refused(void **state)
{
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/fifo.log", tmpdir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    audit_log *log = audit_log_open(fifo, err, sizeof err);
    assert_null(log);
    assert_non_null(strstr(err, "not a regular file"));
}

static void open_intents_are_those_no_outcome_closed(void **state)
{
    audit_entry e = {.time = 1795428000,
                     .profile = "prod",
                     .action = "accept",
                     .solution_id = "1001",
                     .outcome = AUDIT_PENDING,
                     .intent = "aaaa",
                     .phase = AUDIT_PHASE_INTENT};
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0); /* closed below */
    e.intent = "bbbb";
    e.solution_id = "1002";
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0); /* killed: stays open */
    e.intent = "cccc";
    e.solution_id = "1003";
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0); /* interrupted */
    e.intent = "dddd";
    e.solution_id = "1004";
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0); /* reconciled */
    audit_entry o = {.time = 1795428001,
                     .action = "accept",
                     .outcome = AUDIT_OK,
                     .intent = "aaaa",
                     .phase = AUDIT_PHASE_OUTCOME};
    assert_int_equal(audit_append(logpath, &o, err, sizeof err), 0);
    o.intent = "cccc";
    o.outcome = AUDIT_UNKNOWN;
    o.phase = AUDIT_PHASE_INTERRUPTED;
    assert_int_equal(audit_append(logpath, &o, err, sizeof err), 0);
    o.intent = "dddd";
    o.phase = AUDIT_PHASE_RECONCILED;
    assert_int_equal(audit_append(logpath, &o, err, sizeof err), 0);
    audit_entry plain = {.action = "accept", .outcome = AUDIT_OK}; /* no intent: ignored */
    assert_int_equal(audit_append(logpath, &plain, err, sizeof err), 0);

    audit_intent *v = NULL;
    size_t n = 0;
    assert_int_equal(audit_open_intents(logpath, &v, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].id, "bbbb");
    assert_string_equal(v[0].solution_id, "1002");
    assert_string_equal(v[0].profile, "prod");
    assert_false(v[0].interrupted);
    assert_string_equal(v[1].id, "cccc");
    assert_true(v[1].interrupted);
    audit_intents_free(v, n);

    /* a missing log holds no intents */
    char missing[600];
    snprintf(missing, sizeof missing, "%s/none.log", tmpdir);
    assert_int_equal(audit_open_intents(missing, &v, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);
}

static void one_line_records_keep_their_shape(void **state)
{
    audit_entry e = {.time = 1795428000, .action = "accept", .outcome = "ok"};
    assert_int_equal(audit_append(logpath, &e, err, sizeof err), 0);
    assert_null(strstr(slurp(logpath), "intent"));
    assert_null(strstr(slurp(logpath), "phase"));
    char id[17];
    audit_new_intent_id(id);
    assert_int_equal(strlen(id), 16);
    char id2[17];
    audit_new_intent_id(id2);
    assert_string_not_equal(id, id2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(line_has_the_documented_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(entries_say_who_and_where, setup, teardown),
        cmocka_unit_test_setup_teardown(syslog_facilities_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_fields_are_null, setup, teardown),
        cmocka_unit_test_setup_teardown(file_is_private_and_directory_created, setup, teardown),
        cmocka_unit_test_setup_teardown(entries_are_appended_one_per_line, setup, teardown),
        cmocka_unit_test_setup_teardown(hostile_text_is_escaped_and_survives, setup, teardown),
        cmocka_unit_test_setup_teardown(log_never_holds_the_token, setup, teardown),
        cmocka_unit_test_setup_teardown(symlinked_log_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(unwritable_path_names_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(short_write_leaves_no_torn_line, setup, teardown),
        cmocka_unit_test_setup_teardown(torn_last_line_is_ended_before_the_next, setup, teardown),
        cmocka_unit_test_setup_teardown(log_that_is_not_a_regular_file_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(open_intents_are_those_no_outcome_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(one_line_records_keep_their_shape, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
