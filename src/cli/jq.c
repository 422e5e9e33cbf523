/* --jq EXPR: a command's JSON output filtered through libjq, as `gh --jq` does. The command
 * writes its JSON to a temporary file in place of standard output; each JSON value in it goes
 * through the compiled expression. A string result is printed as text (sanitised, one a line),
 * anything else as compact JSON (made terminal-inert). */
#include <jq.h>
#include <jv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_internal.h"
#include "mpsdash/alloc.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

struct cli_jq {
    jq_state *jq;
    mps_errtext error;
    int saved_stdout; /* fd 1 as it was while the command writes to capture */
    FILE *capture;
};

static void on_jq_error(void *data, jv msg)
{
    cli_jq *j = data;
    jv text = jq_format_error(msg); /* consumes msg */
    if (jv_get_kind(text) == JV_KIND_STRING && !j->error[0]) {
        const char *m = jv_string_value(text);
        if (strncmp(m, "jq: error: ", 11) == 0)
            m += 11;
        snprintf(j->error, sizeof j->error, "%s", m);
        /* one line: jq puts the expression on a line of its own */
        for (char *p = j->error; *p; p++)
            if (*p == '\n')
                *p = ' ';
    }
    jv_free(text);
}

cli_jq *cli_jq_compile(const char *expr, char *err, size_t err_size)
{
    cli_jq *j = mps_xcalloc(1, sizeof *j);
    j->saved_stdout = -1;
    j->jq = jq_init();
    if (!j->jq)
        abort(); /* libjq allocates its state: a failure is running out of memory */
    jq_set_error_cb(j->jq, on_jq_error, j);
    if (!jq_compile(j->jq, expr)) {
        snprintf(err, err_size, "--jq: %s",
                 j->error[0] ? j->error : "the expression does not compile");
        cli_jq_free(j);
        return NULL;
    }
    return j;
}

int cli_jq_begin(cli_jq *j)
{
    fflush(stdout);
    j->capture = tmpfile();
    if (!j->capture)
        return -1;
    j->saved_stdout = dup(STDOUT_FILENO);
    if (j->saved_stdout < 0 || dup2(fileno(j->capture), STDOUT_FILENO) < 0)
        return -1;
    return 0;
}

/* Prints one result: a string as text, the rest as JSON. */
static void print_result(jv r)
{
    if (jv_get_kind(r) == JV_KIND_STRING) {
        char *safe =
            text_sanitize(jv_string_value(r), (size_t)jv_string_length_bytes(jv_copy(r)), false);
        puts(safe);
        free(safe);
        jv_free(r);
        return;
    }
    jv dumped = jv_dump_string(r, 0); /* consumes r */
    char *inert = text_json_inert(jv_string_value(dumped));
    puts(inert);
    free(inert);
    jv_free(dumped);
}

/* Runs every JSON value of text through the filter; EXIT_OK, or 1 with a message. */
static int filter_all(cli_jq *j, const char *text, size_t len)
{
    jv_parser *p = jv_parser_new(0);
    jv_parser_set_buf(p, text, (int)len, 0);
    int rc = EXIT_OK;
    while (rc == EXIT_OK) {
        jv value = jv_parser_next(p);
        if (!jv_is_valid(value)) {
            /* the end of the input, or text that is not JSON */
            if (jv_invalid_has_msg(jv_copy(value))) {
                jv msg = jv_invalid_get_msg(value);
                char *safe = cli_safe(jv_string_value(msg));
                cli_error("--jq: the command's output is not JSON: %s", safe);
                free(safe);
                jv_free(msg);
                rc = EXIT_FAILURE_GENERIC;
            } else {
                jv_free(value);
            }
            break;
        }
        jq_start(j->jq, value, 0); /* takes value */
        jv r;
        while (jv_is_valid(r = jq_next(j->jq)))
            print_result(r);
        if (jv_invalid_has_msg(jv_copy(r))) {
            jv msg = jv_invalid_get_msg(r);
            jv text_msg = jv_get_kind(msg) == JV_KIND_STRING ? msg : jv_dump_string(msg, 0);
            char *safe = cli_safe(jv_string_value(text_msg));
            cli_error("--jq: %s", safe);
            free(safe);
            jv_free(text_msg);
            rc = EXIT_FAILURE_GENERIC;
        } else {
            jv_free(r);
        }
    }
    jv_parser_free(p);
    return rc;
}

int cli_jq_end(cli_jq *j, int rc)
{
    if (j->saved_stdout < 0)
        return rc;
    fflush(stdout);
    dup2(j->saved_stdout, STDOUT_FILENO);
    close(j->saved_stdout);
    j->saved_stdout = -1;
    /* Whatever the command printed before failing is filtered too (a partial answer is not
     * passed off as whole: the command's exit status is kept). */
    long size = ftell(j->capture);
    char *text = NULL;
    if (size > 0) {
        text = mps_xmalloc((size_t)size + 1);
        rewind(j->capture);
        size_t got = fread(text, 1, (size_t)size, j->capture);
        text[got] = '\0';
        int frc = filter_all(j, text, got);
        if (rc == EXIT_OK)
            rc = frc;
    }
    free(text);
    return rc;
}

void cli_jq_free(cli_jq *j)
{
    if (!j)
        return;
    if (j->saved_stdout >= 0) {
        dup2(j->saved_stdout, STDOUT_FILENO);
        close(j->saved_stdout);
    }
    if (j->capture)
        fclose(j->capture);
    jq_teardown(&j->jq);
    free(j);
}
