/* The webhook receiver behind `mpsdash webhook serve`: a libmicrohttpd endpoint that answers
 * Meta's subscription check and takes signed partner_solutions / account_update deliveries,
 * appending each verified one to the events file the dashboard's feed tails.
 *
 * GET  any path  ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C
 *                -> 200 with C verbatim when T is the verify token (compared in constant time),
 *                   else 403.
 * POST any path  X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>
 *                -> 200 once the signature (constant-time compare) and the JSON (one object,
 *                   strict, depth <= 64) are good and the line is queued for the appender;
 *                   403 unsigned or mismatched; 413 over max_body; 400 not one JSON object;
 *                   408 (or the connection cut) when the request takes longer than
 *                   request_timeout_s; 503 when the append queue is full (Meta retries).
 *                A delivery already taken (same bytes) is answered 200 and not written again.
 * Anything else  -> 405.
 * Refused requests are counted and never written.
 *
 * The events file gets one line per delivery: the raw body with CR and LF replaced by spaces
 * (JSON allows neither inside a string, so nothing else changes), written with one write() on a
 * file opened O_APPEND, mode 0600; a short write is cut back so no half line stays. The appender
 * thread fdatasync()s after each batch it writes unless fsync is off. Past rotate_size bytes the
 * file is renamed to FILE.1 (FILE.1 to FILE.2 ..., up to rotate_keep) and a new FILE started: the
 * feed finishes the old inode and follows the new one. A file moved away by someone else
 * (logrotate) is noticed and reopened before the next write.
 *
 * Threads: libmicrohttpd's polling thread, the appender and a reaper that cuts connections whose
 * request runs past the deadline (headers or body trickled in). webhook_start/stop from one
 * thread. */
#ifndef MPSDASH_WEBHOOK_H
#define MPSDASH_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define WEBHOOK_DEFAULT_LISTEN "127.0.0.1"
#define WEBHOOK_DEFAULT_PORT 8089
#define WEBHOOK_DEFAULT_MAX_BODY (256 * 1024)
#define WEBHOOK_MAX_BODY_LIMIT (1024 * 1024 - 1) /* the feed skips longer lines */
#define WEBHOOK_DEFAULT_TIMEOUT_S 10
#define WEBHOOK_DEFAULT_ROTATE_SIZE (64LL * 1024 * 1024)
#define WEBHOOK_DEFAULT_ROTATE_KEEP 5
#define WEBHOOK_QUEUE_MAX 10000     /* lines waiting for the appender; beyond: 503 */
#define WEBHOOK_REPLAY_MEMORY 65536 /* deliveries remembered to spot a replay (at least) */

typedef struct webhook_options {
    const char *listen;       /* IPv4 or IPv6 literal; NULL: 127.0.0.1 */
    int port;                 /* 0: any free port */
    const char *app_secret;   /* required: the key of X-Hub-Signature-256 */
    const char *verify_token; /* required: hub.verify_token */
    const char *events_path;  /* required */
    const char *tls_cert;     /* PEM files, both or neither: serve HTTPS directly */
    const char *tls_key;
    size_t max_body;       /* 0: WEBHOOK_DEFAULT_MAX_BODY; at most WEBHOOK_MAX_BODY_LIMIT */
    int request_timeout_s; /* 0: WEBHOOK_DEFAULT_TIMEOUT_S */
    long long rotate_size; /* 0: WEBHOOK_DEFAULT_ROTATE_SIZE; < 0: never rotate */
    int rotate_keep;       /* 0: WEBHOOK_DEFAULT_ROTATE_KEEP */
    bool no_fsync;         /* skip the fdatasync after each batch */
    FILE *log;             /* one line per delivery taken or refused; NULL: none */
} webhook_options;

typedef struct webhook_stats {
    unsigned long accepted; /* verified and queued */
    unsigned long written;  /* lines the appender wrote */
    unsigned long replayed; /* verified, seen before: answered 200, not written */
    unsigned long verified; /* subscription checks answered with the challenge */
    unsigned long verify_refused;
    unsigned long unsigned_;     /* no X-Hub-Signature-256 */
    unsigned long bad_signature; /* present but not the body's HMAC (or malformed) */
    unsigned long oversized;
    unsigned long malformed;  /* signed, but not one JSON object */
    unsigned long slow;       /* past the request deadline */
    unsigned long overloaded; /* queue full: 503 */
    unsigned long bad_method;
    unsigned long write_errors;
    unsigned long rotations;
} webhook_stats;

typedef struct webhook_server webhook_server;

/* Starts listening. NULL with err (what is missing, bind failure, TLS files...). */
webhook_server *webhook_start(const webhook_options *opts, char *err, size_t err_size);
int webhook_port(const webhook_server *s);
webhook_stats webhook_get_stats(webhook_server *s);
/* "accepted 3, written 3, replayed 1, refused: 1 unsigned, 2 bad signature, ..." */
void webhook_stats_format(const webhook_stats *st, char *buf, size_t size);
/* Stops taking requests, writes what was queued, and frees everything; final (may be NULL)
 * gets the counters after the last write. NULL s is fine. */
void webhook_stop(webhook_server *s, webhook_stats *final);

/* Whether header ("sha256=<64 hex>") is the HMAC-SHA256 of body under app_secret. Constant
 * time in the digest comparison; false for a missing or malformed header. */
bool webhook_signature_ok(const char *app_secret, const void *body, size_t len, const char *header);

#endif
