/* The audit log: one JSON line per mutating request, appended whole with a single write();
 * write-ahead intents and the reading back of those no outcome closed. */
#include "mpsdash/audit.h"
#include "mpsdash/alloc.h"
#include "mpsdash/paths.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* ---- who and where: the same for every line of a process ---- */

static struct {
    pthread_once_t once;
    char user[256]; /* "" when the uid has no name */
    long long uid;
    char host[256]; /* "" when unknown */
} self = {.once = PTHREAD_ONCE_INIT};

static void self_lookup(void)
{
    uid_t uid = getuid(); /* the real uid: who ran it, also under a set-id wrapper */
    self.uid = (long long)uid;
    struct passwd pw, *found = NULL;
    char buf[4096];
    if (getpwuid_r(uid, &pw, buf, sizeof buf, &found) == 0 && found && found->pw_name)
        snprintf(self.user, sizeof self.user, "%s", found->pw_name);
    if (gethostname(self.host, sizeof self.host) != 0)
        self.host[0] = '\0';
    self.host[sizeof self.host - 1] = '\0';
}

void audit_entry_init(audit_entry *e, const resolved_profile *rp)
{
    memset(e, 0, sizeof *e);
    if (rp) {
        e->profile = rp->name;
        e->app_id = rp->app_id;
        e->graph_url = rp->graph_url;
    }
    pthread_once(&self.once, self_lookup);
    e->who = true;
    e->user = self.user[0] ? self.user : NULL;
    e->uid = self.uid;
    e->host = self.host[0] ? self.host : NULL;
}

/* ---- the syslog sink ---- */

static const struct {
    const char *name;
    int facility;
} facilities[] = {
    {"user", LOG_USER},     {"authpriv", LOG_AUTHPRIV}, {"daemon", LOG_DAEMON},
    {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},     {"local2", LOG_LOCAL2},
    {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},     {"local5", LOG_LOCAL5},
    {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};
static bool to_syslog;

bool audit_syslog_facility_known(const char *facility)
{
    for (size_t i = 0; i < COUNT_OF(facilities); i++)
        if (strcmp(facilities[i].name, facility) == 0)
            return true;
    return false;
}

int audit_syslog(const char *facility)
{
    if (!facility) {
        if (to_syslog)
            closelog();
        to_syslog = false;
        return 0;
    }
    for (size_t i = 0; i < COUNT_OF(facilities); i++)
        if (strcmp(facilities[i].name, facility) == 0) {
            openlog("mpsdash", LOG_PID, facilities[i].facility);
            to_syslog = true;
            return 0;
        }
    return -1;
}

const char *audit_syslog_facilities(void)
{
    return "user, authpriv, daemon, local0 ... local7";
}

static int put(json_object *o, const char *key, const char *value)
{
    json_object *v = value ? json_object_new_string(value) : NULL;
    if (value && !v)
        return -1;
    return json_object_object_add(o, key, v);
}

/* The JSON text of one entry, with a trailing newline; NULL on failure. */
char *audit_format(const audit_entry *e)
{
    time_t t = e->time > 0 ? (time_t)e->time : time(NULL);
    struct tm tm;
    char stamp[32];
    if (!gmtime_r(&t, &tm) || strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return NULL;
    json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    /* Fixed key order: the log is read by people and by grep. Who and where follow the
     * record's own fields, the write-ahead ones come last. */
    const struct {
        const char *key;
        const char *value;
    } fields[] = {
        {"time", stamp},
        {"profile", e->profile},
        {"app_id", e->app_id},
        {"solution_id", e->solution_id},
        {"action", e->action},
        {"outcome", e->outcome},
        {"fbtrace_id", e->fbtrace_id},
        {"detail", e->detail},
        {"user", e->user},
        {"uid", NULL}, /* a number: added apart */
        {"host", e->host},
        {"graph_url", e->graph_url},
        {"intent", e->intent},
        {"phase", e->phase},
    };
    for (size_t i = 0; i < COUNT_OF(fields); i++) {
        bool whereabouts = i >= 8 && i < 12;
        int rc = 0;
        if (whereabouts && !e->who)
            continue;
        if (i == 9)
            rc = json_object_object_add(o, "uid", json_object_new_int64(e->uid));
        else if (fields[i].value || i < 12) /* intent and phase: write-ahead records only */
            rc = put(o, fields[i].key, fields[i].value);
        if (rc != 0) {
            json_object_put(o);
            return NULL;
        }
    }
    const char *json =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    /* json-c leaves C1 and bidi controls raw: make the line safe to cat on a terminal. */
    char *inert = json ? text_json_inert(json) : NULL;
    json_object_put(o);
    if (!inert)
        return NULL;
    size_t n = strlen(inert);
    char *line = mps_xrealloc(inert, n + 2);
    line[n] = '\n';
    line[n + 1] = '\0';
    return line;
}

static int parent_dir(const char *path, char *err, size_t err_size)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return 0;
    char *dir = mps_xstrndup(path, (size_t)(slash - path));
    struct stat st;
    int rc = 0;
    if (stat(dir, &st) != 0)
        rc = paths_mkdir_p(dir, 0700, err, err_size);
    free(dir);
    return rc;
}

struct audit_log {
    int fd;
    char *path;
};

/* Writes all of buf at the end of the file, or nothing: a short write is cut back off. Only
 * async-signal-safe calls. */
static int write_whole(int fd, const char *buf, size_t len, int *err_no)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        *err_no = errno;
        return -1;
    }
    ssize_t w;
    do
        w = write(fd, buf, len);
    while (w < 0 && errno == EINTR);
    if (w >= 0 && (size_t)w == len)
        return 0;
    *err_no = w < 0 ? errno : ENOSPC;
    if (w > 0) {
        /* Our bytes are the last ones (the caller holds the lock, or is the only writer left):
         * take them back so the next entry starts on a line of its own. */
        struct stat now;
        if (fstat(fd, &now) == 0 && now.st_size >= (off_t)w)
            (void)!ftruncate(fd, now.st_size - (off_t)w);
        else
            (void)!ftruncate(fd, st.st_size);
    }
    return -1;
}

static const char *open_error(int e)
{
    return e == ELOOP ? "a symbolic link: refused" : strerror(e);
}

audit_log *audit_log_open(const char *path, char *err, size_t err_size)
{
    if (!path || !*path) {
        snprintf(err, err_size, "audit log: no path (no home directory?)");
        return NULL;
    }
    if (parent_dir(path, err, err_size) != 0)
        return NULL;
    /* O_NONBLOCK: a FIFO put in the log's place must not hang the open. */
    int fd = open(
        path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0600);
    struct stat st;
    if (fd < 0 && errno != ENXIO) {
        snprintf(err, err_size, "audit log %s: %s", path, open_error(errno));
        return NULL;
    }
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, err_size, "audit log %s: not a regular file", path);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    fcntl(fd, F_SETFL, O_APPEND);
    /* A line torn by an earlier crash or full disk is ended here, under the lock. */
    int rc = 0;
    while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
        ;
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
        char last = '\n';
        int e = 0;
        if (pread(fd, &last, 1, st.st_size - 1) < 0) {
            /* a write-only descriptor cannot read: ask a read-only one */
            int rfd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
            if (rfd >= 0) {
                if (pread(rfd, &last, 1, st.st_size - 1) != 1)
                    last = '\n';
                close(rfd);
            }
        }
        if (last != '\n' && write_whole(fd, "\n", 1, &e) != 0) {
            snprintf(err, err_size, "audit log %s: %s", path, strerror(e));
            rc = -1;
        }
    }
    flock(fd, LOCK_UN);
    if (rc != 0) {
        close(fd);
        return NULL;
    }
    audit_log *log = mps_xcalloc(1, sizeof *log);
    log->path = mps_xstrdup(path);
    log->fd = fd;
    return log;
}

int audit_log_write_line(const audit_log *log, const char *line, size_t len)
{
    int e;
    return log ? write_whole(log->fd, line, len, &e) : -1;
}

int audit_log_write(audit_log *log, const audit_entry *e, char *err, size_t err_size)
{
    char *line = audit_format(e);
    if (!line) {
        snprintf(err, err_size, "audit log: cannot format the entry");
        return -1;
    }
    /* One write() under the lock: with O_APPEND, concurrent writers (two dashboards) never
     * interleave a line, and a short write can be taken back without cutting another's. */
    while (flock(log->fd, LOCK_EX) != 0 && errno == EINTR)
        ;
    int saved = 0;
    size_t len = strlen(line);
    int rc = write_whole(log->fd, line, len, &saved);
    flock(log->fd, LOCK_UN);
    /* the same line, without its newline, to the system log (it reports no failure: the file
     * stays the record that is checked) */
    if (to_syslog)
        syslog(LOG_NOTICE, "%.*s", (int)(len - 1), line);
    free(line);
    if (rc != 0)
        snprintf(err, err_size, "audit log %s: %s", log->path,
                 saved == ENOSPC || saved == EFBIG ? "the disk is full (nothing written)"
                                                   : strerror(saved));
    return rc;
}

void audit_log_close(audit_log *log)
{
    if (!log)
        return;
    close(log->fd);
    free(log->path);
    free(log);
}

int audit_append(const char *path, const audit_entry *e, char *err, size_t err_size)
{
    audit_log *log = audit_log_open(path, err, err_size);
    if (!log)
        return -1;
    int rc = audit_log_write(log, e, err, err_size);
    audit_log_close(log);
    return rc;
}

void audit_new_intent_id(char out[17])
{
    unsigned char b[8];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        /* no entropy source: time and pid still tell two intents apart */
        unsigned long long v = (unsigned long long)time(NULL) << 20 ^ (unsigned long long)getpid();
        memcpy(b, &v, sizeof b);
    }
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* ---- reading intents back ---- */

static char *dup_field(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return mps_xstrdup(json_object_get_string(v));
}

static void intent_clear(audit_intent *it)
{
    free(it->id);
    free(it->time);
    free(it->profile);
    free(it->app_id);
    free(it->solution_id);
    free(it->action);
    free(it->detail);
}

void audit_intents_free(audit_intent *v, size_t count)
{
    for (size_t i = 0; i < count; i++)
        intent_clear(&v[i]);
    free(v);
}

static size_t find_intent(const audit_intent *v, size_t n, const char *id)
{
    for (size_t i = n; i-- > 0;)
        if (strcmp(v[i].id, id) == 0)
            return i;
    return n;
}

int audit_open_intents(const char *path, audit_intent **out, size_t *count, char *err,
                       size_t err_size)
{
    *out = NULL;
    *count = 0;
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK) : -1;
    if (fd < 0) {
        if (!path || errno == ENOENT)
            return 0;
        snprintf(err, err_size, "audit log %s: %s", path, open_error(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { /* /dev/full would read forever */
        close(fd);
        snprintf(err, err_size, "audit log %s: not a regular file", path);
        return -1;
    }
    FILE *f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        snprintf(err, err_size, "audit log %s: %s", path, strerror(errno));
        return -1;
    }
    audit_intent *v = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t line_cap = 0;
    /* Open intents are few (one per mutation in flight when the program ended), so the list
     * of open ones stays short however long the log is. */
    while (getline(&line, &line_cap, f) > 0) {
        if (!strstr(line, "\"intent\""))
            continue;
        json_object *o = json_tokener_parse(line);
        char *id = o ? dup_field(o, "intent") : NULL;
        char *phase = o ? dup_field(o, "phase") : NULL;
        if (id && phase) {
            size_t at = find_intent(v, n, id);
            if (strcmp(phase, AUDIT_PHASE_INTENT) == 0 && at == n) {
                if (n == cap) {
                    cap = cap ? 2 * cap : 8;
                    v = mps_xreallocarray(v, cap, sizeof *v);
                }
                audit_intent *it = &v[n++];
                memset(it, 0, sizeof *it);
                it->id = id;
                id = NULL;
                it->time = dup_field(o, "time");
                it->profile = dup_field(o, "profile");
                it->app_id = dup_field(o, "app_id");
                it->solution_id = dup_field(o, "solution_id");
                it->action = dup_field(o, "action");
                it->detail = dup_field(o, "detail");
            } else if (at < n && strcmp(phase, AUDIT_PHASE_INTERRUPTED) == 0) {
                v[at].interrupted = true;
            } else if (at < n && (strcmp(phase, AUDIT_PHASE_OUTCOME) == 0 ||
                                  strcmp(phase, AUDIT_PHASE_RECONCILED) == 0)) {
                intent_clear(&v[at]);
                memmove(&v[at], &v[at + 1], (n - at - 1) * sizeof *v);
                n--;
            }
        }
        free(id);
        free(phase);
        json_object_put(o);
    }
    free(line);
    fclose(f);
    *out = v;
    *count = n;
    return 0;
}
