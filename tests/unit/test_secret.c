/* Unit tests for secret sources: environment (read once, then removed), private files (OpenSSH
 * permission rules) and commands (first line, exit status, timeout), never echoing a secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mpsdash/secret.h"

#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "test_tmpdir.h"

static char tmpdir[256];
static char err[2048];

static int setup(void **state)
{
    err[0] = '\0';
    return test_tmpdir_make(tmpdir, sizeof tmpdir, "secret");
}

static int teardown(void **state)
{
    test_tmpdir_remove(tmpdir);
    secret_env_forget();
    secret_set_command_timeout(0);
    unsetenv("MPSDASH_TEST_TOKEN");
    return 0;
}

static const char *write_file(const char *name, const char *text, mode_t mode)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
    return path;
}

static int load(secret_kind kind, const char *value, char **out)
{
    secret_source src = {kind, (char *)value};
    return secret_load(&src, "token", out, err, sizeof err);
}

static void assert_err_has(const char *frag)
{
    if (!strstr(err, frag))
        fail_msg("error \"%s\" lacks \"%s\"", err, frag);
}

static void token_file_0644_is_refused_like_openssh(void **state)
{
    const char *path = write_file("t", "EAAGsecretvalue123\n", 0644);
    char *tok = (char *)1;
    assert_int_equal(load(SECRET_FILE, path, &tok), -1);
    assert_null(tok);
    char want[1200];
    snprintf(want, sizeof want, "permissions 0644 for %s are too open; run chmod 600 %s", path,
             path);
    assert_err_has(want);
    assert_null(strstr(err, "EAAGsecretvalue123"));
}

static void token_file_group_readable_is_refused(void **state)
{
    const char *path = write_file("t", "tok\n", 0640);
    assert_int_equal(secret_check_file(path, err, sizeof err), -1);
    assert_err_has("0640");
    chmod(path, 0400);
    assert_int_equal(secret_check_file(path, err, sizeof err), 0);
}

static void token_file_0600_is_read_and_trimmed(void **state)
{
    const char *path = write_file("t", "  EAAGsecretvalue123 \r\nsecond line\n", 0600);
    char *tok = NULL;
    assert_int_equal(load(SECRET_FILE, path, &tok), 0);
    assert_string_equal(tok, "EAAGsecretvalue123");
    secret_free(tok);
}

static void token_file_must_be_a_regular_file(void **state)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/d", tmpdir);
    assert_int_equal(mkdir(dir, 0700), 0);
    char *tok = NULL;
    assert_int_equal(load(SECRET_FILE, dir, &tok), -1);
    assert_err_has("not a regular file");
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/fifo", tmpdir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(load(SECRET_FILE, fifo, &tok), -1); /* refused, and without hanging */
    assert_err_has("not a regular file");
}

static void missing_token_file_names_the_file(void **state)
{
    char path[512];
    snprintf(path, sizeof path, "%s/absent", tmpdir);
    char *tok = NULL;
    assert_int_equal(load(SECRET_FILE, path, &tok), -1);
    assert_err_has(path);
    assert_err_has("No such file");
}

static void empty_token_file_says_which_source(void **state)
{
    const char *path = write_file("t", " \n\n", 0600);
    char *tok = NULL;
    assert_int_equal(load(SECRET_FILE, path, &tok), -1);
    char want[600];
    snprintf(want, sizeof want, "token file %s is empty", path);
    assert_err_has(want);
}

static void token_with_inner_space_is_refused_without_echo(void **state)
{
    const char *path = write_file("t", "EAAG abcdefghijkl\n", 0600);
    char *tok = NULL;
    assert_int_equal(load(SECRET_FILE, path, &tok), -1);
    assert_err_has("cannot be in a secret");
    assert_null(strstr(err, "abcdefghijkl"));
    assert_null(strstr(err, "EAAG"));
}

/* The token pasted where a variable's name belongs (--as-user-token-env EAAG..., or --token
 * taken as an abbreviation) is refused without being echoed, in the error or the description. */
static void token_given_as_variable_name_is_not_echoed(void **state)
{
    static const char *const pasted[] = {
        "EAAGm0PX4ZCpsBAKZCZAsupersecret1234567890",
        "xk1a2b3c4d5e6f7g8h9i0j1k2l3m4n5o6p7q8r9s0t1u2v3w4x5y6z7a8b9c0d1e2f3",
        "EAAG/secret+with=chars",
    };
    for (size_t i = 0; i < sizeof pasted / sizeof pasted[0]; i++) {
        char *tok = (char *)1;
        err[0] = '\0';
        assert_int_equal(load(SECRET_ENV, pasted[i], &tok), -1);
        assert_null(tok);
        if (strstr(err, pasted[i]) || strstr(err, "supersecret") || strstr(err, "secret+"))
            fail_msg("the error echoes the value: %s", err);
        assert_err_has("never the token itself");
        char desc[256];
        secret_source src = {SECRET_ENV, (char *)pasted[i]};
        secret_source_describe(&src, "token", desc, sizeof desc);
        assert_null(strstr(desc, pasted[i]));
    }
    /* an ordinary name is still named */
    char *tok = NULL;
    assert_int_equal(load(SECRET_ENV, "MPSDASH_TEST_UNSET_VAR", &tok), -1);
    assert_err_has("environment variable MPSDASH_TEST_UNSET_VAR is not set");
}

static void env_token_is_read_then_unset(void **state)
{
    setenv("MPSDASH_TEST_TOKEN", " EAAGenvtoken42\n", 1);
    char *tok = NULL;
    assert_true(secret_env_present("MPSDASH_TEST_TOKEN"));
    assert_int_equal(load(SECRET_ENV, "MPSDASH_TEST_TOKEN", &tok), 0);
    assert_string_equal(tok, "EAAGenvtoken42");
    assert_null(getenv("MPSDASH_TEST_TOKEN"));
    /* Still available to this process (profile switching), not to its children. */
    assert_true(secret_env_present("MPSDASH_TEST_TOKEN"));
    secret_free(tok);
    assert_int_equal(load(SECRET_ENV, "MPSDASH_TEST_TOKEN", &tok), 0);
    assert_string_equal(tok, "EAAGenvtoken42");
    secret_free(tok);
    secret_env_forget();
    assert_false(secret_env_present("MPSDASH_TEST_TOKEN"));
}

static void env_token_is_not_inherited_by_commands(void **state)
{
    setenv("MPSDASH_TEST_TOKEN", "EAAGenvtoken42", 1);
    char *tok = NULL;
    assert_int_equal(load(SECRET_ENV, "MPSDASH_TEST_TOKEN", &tok), 0);
    secret_free(tok);
    assert_int_equal(load(SECRET_COMMAND, "echo \"${MPSDASH_TEST_TOKEN:-absent}\"", &tok), 0);
    assert_string_equal(tok, "absent");
    secret_free(tok);
}

static void env_unset_or_empty_is_an_error_naming_the_variable(void **state)
{
    char *tok = NULL;
    assert_int_equal(load(SECRET_ENV, "MPSDASH_TEST_TOKEN", &tok), -1);
    assert_err_has("environment variable MPSDASH_TEST_TOKEN is not set");
    setenv("MPSDASH_TEST_TOKEN", "  ", 1);
    assert_int_equal(load(SECRET_ENV, "MPSDASH_TEST_TOKEN", &tok), -1);
    assert_err_has("environment variable MPSDASH_TEST_TOKEN is empty");
}

static void token_command_gives_first_line_of_stdout(void **state)
{
    char *tok = NULL;
    assert_int_equal(
        load(SECRET_COMMAND, "printf 'EAAGcmdtoken9\\nmetadata: x\\n'; echo noise >&2", &tok), 0);
    assert_string_equal(tok, "EAAGcmdtoken9");
    secret_free(tok);
}

static void token_command_failure_reports_exit_status(void **state)
{
    char *tok = NULL;
    assert_int_equal(
        load(SECRET_COMMAND, "echo EAAGpartial; echo 'gpg: decryption failed' >&2; exit 3", &tok),
        -1);
    assert_null(tok);
    assert_err_has("token command failed with exit status 3");
    assert_err_has("gpg: decryption failed");
    assert_null(strstr(err, "EAAGpartial"));
}

static void token_command_empty_output_is_error(void **state)
{
    char *tok = NULL;
    assert_int_equal(load(SECRET_COMMAND, "true", &tok), -1);
    assert_err_has("the output of the token command is empty");
    assert_int_equal(load(SECRET_COMMAND, "cat", &tok), -1); /* stdin is /dev/null */
    assert_err_has("is empty");
}

static void token_command_is_killed_after_timeout(void **state)
{
    secret_set_command_timeout(300);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    char *tok = NULL;
    assert_int_equal(load(SECRET_COMMAND, "exec sleep 20", &tok), -1);
    clock_gettime(CLOCK_MONOTONIC, &b);
    assert_err_has("did not finish");
    assert_err_has("killed");
    assert_true(b.tv_sec - a.tv_sec < 5);
}

static void token_command_background_child_does_not_block(void **state)
{
    /* The grandchild keeps stdout open; the token is there as soon as sh exits. */
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    char *tok = NULL;
    assert_int_equal(load(SECRET_COMMAND, "echo EAAGbg1; sleep 3 &", &tok), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    assert_string_equal(tok, "EAAGbg1");
    assert_true(b.tv_sec - a.tv_sec < 3);
    secret_free(tok);
}

static void killed_command_names_the_signal(void **state)
{
    char *tok = NULL;
    assert_int_equal(load(SECRET_COMMAND, "kill -9 $$", &tok), -1);
    assert_err_has("killed by signal 9");
}

static void description_never_shows_command_text(void **state)
{
    char out[256];
    secret_source src = {SECRET_COMMAND, "curl -u admin:hunter2 https://vault/x"};
    secret_source_describe(&src, "token", out, sizeof out);
    assert_string_equal(out, "token command");
    secret_source env = {SECRET_ENV, "MPSDASH_TOKEN"};
    secret_source_describe(&env, "token", out, sizeof out);
    assert_string_equal(out, "environment variable MPSDASH_TOKEN");
}

static void no_source_is_an_error(void **state)
{
    char *tok = NULL;
    assert_int_equal(load(SECRET_NONE, NULL, &tok), -1);
    assert_err_has("no token source");
    secret_free(NULL);
}

/* Whether a process is gone: no /proc entry, or a zombie waiting for its reaper. */
static bool process_gone(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return true;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *close_paren = strrchr(buf, ')');
    return close_paren && close_paren[1] == ' ' && close_paren[2] == 'Z';
}

static void token_command_timeout_ends_its_whole_process_group(void **state)
{
    secret_set_command_timeout(500);
    char pidfile[600], cmd[800];
    snprintf(pidfile, sizeof pidfile, "%s/child.pid", tmpdir);
    /* sh starts a sleeping child and waits for it: killing sh alone would leave the child */
    snprintf(cmd, sizeof cmd, "sleep 30 & echo $! > %s; wait", pidfile);
    char *tok = NULL;
    assert_int_equal(load(SECRET_COMMAND, cmd, &tok), -1);
    assert_err_has("did not finish");
    FILE *f = fopen(pidfile, "r");
    assert_non_null(f);
    int child = 0;
    assert_int_equal(fscanf(f, "%d", &child), 1);
    fclose(f);
    bool gone = false;
    for (int i = 0; i < 100 && !gone; i++) { /* up to 2 s for the kill to land */
        gone = process_gone(child);
        if (!gone)
            usleep(20000);
    }
    if (!gone)
        kill(child, SIGKILL); /* do not leave it behind, then fail */
    assert_true(gone);
}

static void failing_token_command_stderr_is_scrubbed(void **state)
{
    char *tok = NULL;
    /* what it printed on stdout, repeated on stderr */
    assert_int_equal(load(SECRET_COMMAND,
                          "echo EAAGpartial9; echo 'refused EAAGpartial9 now' >&2; exit 2", &tok),
                     -1);
    assert_err_has("exit status 2");
    assert_err_has("refused *** now");
    assert_null(strstr(err, "EAAGpartial9"));
    /* a token-like word on stderr alone */
    assert_int_equal(load(SECRET_COMMAND,
                          "echo 'vault: token EAAGsecret0123456789abcdefghijklmnopqrstuvwxyz "
                          "expired' >&2; exit 1",
                          &tok),
                     -1);
    assert_err_has("vault: token *** expired");
    assert_null(strstr(err, "EAAGsecret"));
    assert_null(strstr(err, "0123456789abcdef"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(token_file_0644_is_refused_like_openssh, setup, teardown),
        cmocka_unit_test_setup_teardown(token_file_group_readable_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(token_file_0600_is_read_and_trimmed, setup, teardown),
        cmocka_unit_test_setup_teardown(token_file_must_be_a_regular_file, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_token_file_names_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_token_file_says_which_source, setup, teardown),
        cmocka_unit_test_setup_teardown(token_given_as_variable_name_is_not_echoed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(token_with_inner_space_is_refused_without_echo, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(env_token_is_read_then_unset, setup, teardown),
        cmocka_unit_test_setup_teardown(env_token_is_not_inherited_by_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(env_unset_or_empty_is_an_error_naming_the_variable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(token_command_gives_first_line_of_stdout, setup, teardown),
        cmocka_unit_test_setup_teardown(token_command_failure_reports_exit_status, setup, teardown),
        cmocka_unit_test_setup_teardown(token_command_empty_output_is_error, setup, teardown),
        cmocka_unit_test_setup_teardown(token_command_is_killed_after_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(token_command_timeout_ends_its_whole_process_group, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(failing_token_command_stderr_is_scrubbed, setup, teardown),
        cmocka_unit_test_setup_teardown(token_command_background_child_does_not_block, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(killed_command_names_the_signal, setup, teardown),
        cmocka_unit_test_setup_teardown(description_never_shows_command_text, setup, teardown),
        cmocka_unit_test_setup_teardown(no_source_is_an_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
