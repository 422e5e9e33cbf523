/* `mpsdash sandbox`: runs the simulated Graph API in the foreground until SIGINT, SIGTERM or
 * SIGHUP. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_internal.h"
#include "mpsdash/sandbox.h"
#include "mpsdash/util.h"

/* Writes the port to path atomically (temp file + rename): a test waiting for the file never
 * reads it half written. The temporary name is unpredictable and opened O_EXCL|O_NOFOLLOW, so a
 * link planted in a shared directory cannot turn the write onto another file. */
static int write_port_file(const char *path, int port)
{
    size_t n = strlen(path) + 16;
    char *tmp = mps_xmalloc(n);
    snprintf(tmp, n, "%s.XXXXXX", path);
    /* mkostemp adds O_CREAT|O_EXCL itself. */
    int fd = mkostemp(tmp, O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
    int rc = -1;
    if (fd >= 0) {
        char buf[32];
        int len = snprintf(buf, sizeof buf, "%d\n", port);
        bool ok = fchmod(fd, 0644) == 0 && write(fd, buf, (size_t)len) == len;
        ok = close(fd) == 0 && ok;
        if (ok && rename(tmp, path) == 0)
            rc = 0;
        if (rc != 0) {
            int e = errno;
            unlink(tmp);
            errno = e;
        }
    }
    free(tmp);
    return rc;
}

int cli_serve_until_stopped(const char *who, const char *port_file, int port, const sigset_t *stop)
{
    if (port_file && write_port_file(port_file, port) != 0) {
        char *safe = cli_safe(port_file);
        cli_error("cannot write the port file %s: %s", safe, strerror(errno));
        free(safe);
        return EXIT_FAILURE_GENERIC;
    }
    int sig = 0;
    sigwait(stop, &sig);
    fprintf(stderr, "%s: stopping (%s)\n", who, strsignal(sig));
    return EXIT_OK;
}

int cli_cmd_sandbox(cli_ctx *ctx)
{
    sandbox_dialect dialect = SANDBOX_DIALECT_DEFAULT;
    if (ctx->dialect && !sandbox_dialect_parse(ctx->dialect, &dialect)) {
        char *safe = cli_safe(ctx->dialect);
        cli_error("sandbox: --dialect must be guide or openapi, not '%s'", safe);
        free(safe);
        return EXIT_USAGE;
    }
    sandbox_options o = {
        .dialect = dialect,
        .port = ctx->port,
        .scenario_path = ctx->scenario,
        .extra_solutions = ctx->solutions,
        .request_log_path = ctx->request_log,
        .events_path = ctx->events_file,
        .demo_activity = ctx->demo_activity,
        .demo_interval_ms = ctx->demo_interval_ms,
        .refuse_partner_fields = ctx->refuse_partner_fields,
        .latency_ms = ctx->latency_ms,
        .hostile_names = ctx->hostile_names,
        /* behind a TLS front (tests/bench): the origin its paging links must name */
        .public_url = getenv("MPSDASH_SANDBOX_PUBLIC_URL"),
    };
    /* Block the stop signals before the server's threads exist, so they inherit the mask and
     * only sigwait below receives them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    mps_errtext err;
    sandbox *sb = sandbox_start(&o, err, sizeof err);
    if (!sb) {
        char *safe = cli_safe(err);
        cli_error("sandbox: %s", safe);
        free(safe);
        return EXIT_FAILURE_GENERIC;
    }
    const char *url = sandbox_base_url(sb);
    printf("sandbox listening on %s (%s dialect)\n", url,
           sandbox_dialect_name(sandbox_get_dialect(sb)));
    printf("SANDBOX: a simulated Graph API on loopback; the demo tokens below are public "
           "strings, not secrets.\n"
           "  as %s (app %s):\n"
           "    export MPSDASH_TOKEN=%s\n"
           "    mpsdash --graph-url %s --app-id %s --token-env MPSDASH_TOKEN list\n"
           "  as %s (app %s):\n"
           "    export MPSDASH_TOKEN=%s\n"
           "    mpsdash --graph-url %s --app-id %s --token-env MPSDASH_TOKEN list\n"
           "Stop with Ctrl-C.\n",
           SANDBOX_APP_A_NAME, SANDBOX_APP_A_ID, SANDBOX_TOKEN_A, url, SANDBOX_APP_A_ID,
           SANDBOX_APP_B_NAME, SANDBOX_APP_B_ID, SANDBOX_TOKEN_B, url, SANDBOX_APP_B_ID);
    fflush(stdout);

    int rc = cli_serve_until_stopped("sandbox", ctx->port_file, sandbox_port(sb), &stop);
    sandbox_stop(sb);
    if (ctx->port_file)
        unlink(ctx->port_file);
    return rc;
}
