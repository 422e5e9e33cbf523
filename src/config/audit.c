/* The audit log: one JSON line per mutating request, appended with a single write(). */
#include "mpsdash/config.h"
#include "mpsdash/text.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void audit_entry_init(audit_entry *e, const resolved_profile *rp)
{
    memset(e, 0, sizeof *e);
    if (rp) {
        e->profile = rp->name;
        e->app_id = rp->app_id;
    }
}

static int put(json_object *o, const char *key, const char *value)
{
    json_object *v = value ? json_object_new_string(value) : NULL;
    if (value && !v)
        return -1;
    return json_object_object_add(o, key, v);
}

/* The JSON text of one entry, with a trailing newline; NULL on failure. */
static char *audit_line(const audit_entry *e)
{
    time_t t = e->time > 0 ? (time_t)e->time : time(NULL);
    struct tm tm;
    char stamp[32];
    if (!gmtime_r(&t, &tm) || strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return NULL;
    json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    /* Fixed key order: the log is read by people and by grep. */
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
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (put(o, fields[i].key, fields[i].value) != 0) {
            json_object_put(o);
            return NULL;
        }
    const char *json =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    /* json-c leaves C1 and bidi controls raw: make the line safe to cat on a terminal. */
    char *inert = json ? text_json_inert(json) : NULL;
    json_object_put(o);
    if (!inert)
        return NULL;
    size_t n = strlen(inert);
    char *line = realloc(inert, n + 2);
    if (!line) {
        free(inert);
        return NULL;
    }
    line[n] = '\n';
    line[n + 1] = '\0';
    return line;
}

static int parent_dir(const char *path, char *err, size_t err_size)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return 0;
    char *dir = strndup(path, (size_t)(slash - path));
    if (!dir) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    struct stat st;
    int rc = 0;
    if (stat(dir, &st) != 0)
        rc = paths_mkdir_p(dir, 0700, err, err_size);
    free(dir);
    return rc;
}

int audit_append(const char *path, const audit_entry *e, char *err, size_t err_size)
{
    if (!path || !*path) {
        snprintf(err, err_size, "audit log: no path (no home directory?)");
        return -1;
    }
    char *line = audit_line(e);
    if (!line) {
        snprintf(err, err_size, "audit log: cannot format the entry");
        return -1;
    }
    if (parent_dir(path, err, err_size) != 0) {
        free(line);
        return -1;
    }
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
    if (fd < 0) {
        snprintf(err, err_size, "audit log %s: %s", path, strerror(errno));
        free(line);
        return -1;
    }
    size_t len = strlen(line);
    /* One write(): with O_APPEND, concurrent writers (two dashboards) never interleave a line. */
    ssize_t w;
    do
        w = write(fd, line, len);
    while (w < 0 && errno == EINTR);
    int saved = errno;
    free(line);
    if (w < 0 || (size_t)w != len) {
        snprintf(err, err_size, "audit log %s: %s", path,
                 w < 0 ? strerror(saved) : "short write (disk full?)");
        close(fd);
        return -1;
    }
    if (close(fd) != 0) {
        snprintf(err, err_size, "audit log %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}
