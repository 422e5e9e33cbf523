/* `mpsdash webhook serve`: the webhook receiver in the foreground until SIGINT, SIGTERM or
 * SIGHUP, with the profile's app secret and verify token. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_internal.h"
#include "mpsdash/util.h"
#include "mpsdash/webhook.h"

int cli_check_webhook(cli_ctx *ctx)
{
    if (strcmp(ctx->args[0], "serve") != 0) {
        char *safe = cli_safe(ctx->args[0]);
        cli_error("unknown webhook command '%s' (there is: serve)", safe);
        free(safe);
        fprintf(stderr, "Try 'mpsdash --help' for more information.\n");
        return EXIT_USAGE;
    }
    if (!ctx->tls_cert != !ctx->tls_key) {
        cli_error("--tls-cert and --tls-key go together");
        fprintf(stderr, "Try 'mpsdash --help' for more information.\n");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* A secret the receiver cannot do without: the message says which settings give it. */
static int need(const cli_ctx *ctx, const char *value, const char *what, const char *settings)
{
    if (value)
        return EXIT_OK;
    char *name = cli_safe(ctx->rp.name);
    cli_error("profile '%s' has no %s: set %s", name, what, settings);
    free(name);
    return EXIT_CONFIG;
}

int cli_cmd_webhook(cli_ctx *ctx)
{
    int rc = cli_resolve_profile(ctx, PROFILE_RESOLVE_WEBHOOK);
    if (rc)
        return rc;
    const char *events = ctx->events_file ? ctx->events_file : ctx->rp.events_file;
    if ((rc = need(ctx, ctx->rp.app_secret, "app secret (the key deliveries are signed with)",
                   "app_secret_env, app_secret_file or app_secret_command")) ||
        (rc = need(ctx, ctx->rp.verify_token, "verify token (hub.verify_token)",
                   "verify_token_env, verify_token_file or verify_token_command")) ||
        (rc = need(ctx, events, "events file", "events_file, or pass --events-file F")))
        return rc;

    /* Block the stop signals before any thread exists, so only sigwait below takes them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    webhook_options o = {
        .listen = ctx->listen,
        .port = (ctx->given & OPT_PORT) ? ctx->port : WEBHOOK_DEFAULT_PORT,
        .app_secret = ctx->rp.app_secret,
        .verify_token = ctx->rp.verify_token,
        .events_path = events,
        .tls_cert = ctx->tls_cert,
        .tls_key = ctx->tls_key,
        .max_body = (size_t)ctx->max_body,
        .request_timeout_s = ctx->request_timeout,
        .rotate_size =
            (ctx->given & OPT_ROTATE_SIZE) ? (ctx->rotate_size ? ctx->rotate_size : -1) : 0,
        .no_fsync = ctx->no_fsync,
        .log = stderr,
    };
    mps_errtext err;
    webhook_server *s = webhook_start(&o, err, sizeof err);
    if (!s) {
        char *safe = cli_safe(err);
        cli_error("webhook: %s", safe);
        free(safe);
        return EXIT_FAILURE_GENERIC;
    }
    char *where = cli_safe(events);
    char *addr = cli_safe(ctx->listen ? ctx->listen : WEBHOOK_DEFAULT_LISTEN);
    printf("webhook receiver listening on %s://%s:%d, appending deliveries to %s\n",
           ctx->tls_cert ? "https" : "http", addr, webhook_port(s), where);
    fflush(stdout);
    free(addr);
    free(where);

    if (rc == EXIT_OK)
        rc = cli_serve_until_stopped("webhook", ctx->port_file, webhook_port(s), &stop);
    webhook_stats st;
    webhook_stop(s, &st);
    char line[768];
    webhook_stats_format(&st, line, sizeof line);
    fprintf(stderr, "webhook: %s\n", line);
    if (ctx->port_file)
        unlink(ctx->port_file);
    return rc;
}
