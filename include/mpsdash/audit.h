/* The audit log: one JSON line per mutating request (a write-ahead intent, then its outcome),
 * read back to reconcile what was in flight. Part of mps_config. */
#ifndef MPSDASH_AUDIT_H
#define MPSDASH_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/config.h" /* resolved_profile */

/* One mutating request. NULL strings are written as null. There is deliberately no token field. */
/* Audit outcomes: one word each, the same from the dashboard and the command line. */
#define AUDIT_OK "ok"             /* the server carried it out */
#define AUDIT_REFUSED "refused"   /* the server answered success:false */
#define AUDIT_ERROR "error"       /* the server answered with an error */
#define AUDIT_UNKNOWN "unknown"   /* no answer to the POST: what the server holds was read back */
#define AUDIT_CHANGED "changed"   /* not sent: the re-check found the solution changed */
#define AUDIT_NOT_SENT "not-sent" /* not sent for another reason (e.g. the re-check failed) */
#define AUDIT_PENDING "pending"   /* write-ahead: about to be sent, the outcome follows */

/* Write-ahead phases: a mutation is written as an intent before anything is sent, then closed
 * by a line with the same "intent" id: its outcome, or, when a signal ended the program while
 * it waited, an "interrupted" line that the next start reconciles by reading the server. */
#define AUDIT_PHASE_INTENT "intent"
#define AUDIT_PHASE_OUTCOME "outcome"
#define AUDIT_PHASE_INTERRUPTED "interrupted"
#define AUDIT_PHASE_RECONCILED "reconciled"

typedef struct audit_entry {
    long long time; /* unix seconds; 0 = now */
    const char *profile;
    const char *app_id;
    const char *solution_id;
    const char *action;  /* "accept", "reject", "request-deactivation", "create", ... */
    const char *outcome; /* one of the AUDIT_* words below */
    const char *fbtrace_id;
    const char *detail; /* free text: the Graph message, what changed, ... */
    const char *intent; /* write-ahead id joining the lines of one mutation; NULL: none */
    const char *phase;  /* AUDIT_PHASE_*; NULL (and not written) for a one-line record */
    /* Who and where, so that a team's shared trail tells people and machines apart; written
     * (null where unknown) when `who` is set, as audit_entry_init does. */
    bool who;
    const char *user; /* the login name of the process's real uid; NULL: none */
    long long uid;
    const char *host;      /* the host name */
    const char *graph_url; /* the Graph base URL the request went to */
} audit_entry;

/* Zeroes e, fills profile, app_id and graph_url from rp (borrowed: rp must outlive e) and who
 * and where from the process (user, uid, host; looked up once). */
void audit_entry_init(audit_entry *e, const resolved_profile *rp);

/* Every audit line written from now on also goes to syslog(3) with ident "mpsdash" and this
 * facility ("user", "authpriv", "daemon", "local0" ... "local7"), priority notice: journald
 * and rsyslog read it from /dev/log. NULL: the file only. Returns -1 for an unknown facility.
 * A line a signal handler writes (audit_log_write_line) goes to the file only: syslog(3) is
 * not async-signal-safe; the record that settles it at the next start goes to both. */
int audit_syslog(const char *facility);
/* The facility names audit_syslog knows, for messages: "user, authpriv, ...". */
const char *audit_syslog_facilities(void);
bool audit_syslog_facility_known(const char *facility);
/* Appends one JSON line {"time":"2026-11-23T10:00:00Z","profile":..,"app_id":..,
 * "solution_id":..,"action":..,"outcome":..,"fbtrace_id":..,"detail":..} (then "intent" and
 * "phase" when set) through audit_log_open/audit_log_write. Returns 0, or -1 with err. */
int audit_append(const char *path, const audit_entry *e, char *err, size_t err_size);

/* An audit log held open across one mutation, so that its outcome (or, from a signal handler,
 * its interruption) can still be written when the disk or the directory has changed. */
typedef struct audit_log audit_log;
/* Opens path O_APPEND|O_CREAT (mode 0600, the directory made 0700 if missing), refusing a
 * symbolic link or anything but a regular file. A last line left torn by an earlier crash is
 * ended, so that the next entry is never glued to it. NULL with err on failure. */
audit_log *audit_log_open(const char *path, char *err, size_t err_size);
/* Writes e as one whole line with a single write() under an exclusive lock; a short write
 * (full disk, file size limit) is cut back off, so the log never holds a torn line.
 * Returns 0, or -1 with err. */
int audit_log_write(audit_log *log, const audit_entry *e, char *err, size_t err_size);
/* The line e would be (with its newline), to write later with audit_log_write_line; NULL on
 * failure. Free with free(). */
char *audit_format(const audit_entry *e);
/* Writes a line made by audit_format whole or not at all. Async-signal-safe (no lock, no
 * allocation): for a signal handler. Returns 0 or -1. */
int audit_log_write_line(const audit_log *log, const char *line, size_t len);
void audit_log_close(audit_log *log);

/* A write-ahead intent that no outcome closed (the program was killed, or a signal ended it
 * while it waited for the answer). */
typedef struct audit_intent {
    char *id;
    char *time;
    char *profile;
    char *app_id;
    char *solution_id; /* NULL for a create */
    char *action;
    char *detail;     /* the intent's detail (a create's name) */
    bool interrupted; /* an "interrupted" line says which signal ended it */
} audit_intent;
/* The intents in the log at path left without an outcome, oldest first. A missing log has
 * none. Returns 0 with *out (free with audit_intents_free) and *count, or -1 with err. */
int audit_open_intents(const char *path, audit_intent **out, size_t *count, char *err,
                       size_t err_size);
void audit_intents_free(audit_intent *v, size_t count);
/* A fresh id for an intent: 16 hex digits. */
void audit_new_intent_id(char out[17]);

#endif
