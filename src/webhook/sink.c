/* The appender: a thread that writes queued deliveries to the events file, one write() per
 * line, fdatasync per batch, rotating by size. The HTTP side answers before this runs. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mpsdash/alloc.h"
#include "mpsdash/util.h"
#include "mpsdash/webhook.h"
#include "wh.h"

typedef struct wh_line {
    char *text; /* with its newline */
    size_t len;
    struct wh_line *next;
} wh_line;

struct wh_sink {
    wh_sink_options o;
    char *path;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    wh_line *head, *tail;
    size_t queued;

    /* appender thread only */
    int fd;
    dev_t dev;
    ino_t ino;
    long long size;

    /* under mu */
    unsigned long written, errors, rotations;
};

void wh_timestamp(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void sink_log(wh_sink *s, const char *fmt, const char *a, const char *b)
{
    if (!s->o.log)
        return;
    char ts[32];
    wh_timestamp(ts, sizeof ts);
    fprintf(s->o.log, "%s webhook: ", ts);
    fprintf(s->o.log, fmt, a, b);
    fputc('\n', s->o.log);
    fflush(s->o.log);
}

static int open_events(wh_sink *s, char *err, size_t err_size)
{
    int fd = open(s->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = fd < 0 ? errno : EINVAL;
        snprintf(err, err_size, "cannot append to %s: %s", s->path,
                 fd >= 0 ? "not a regular file" : strerror(e));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    s->fd = fd;
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    s->size = (long long)st.st_size;
    return 0;
}

/* FILE.k -> FILE.k+1 down to FILE -> FILE.1, then a new FILE. The oldest falls off. */
static void rotate(wh_sink *s)
{
    size_t n = strlen(s->path) + 16;
    char *from = mps_xmalloc(n), *to = mps_xmalloc(n);
    for (int k = s->o.rotate_keep - 1; k >= 1; k--) {
        snprintf(from, n, "%s.%d", s->path, k);
        snprintf(to, n, "%s.%d", s->path, k + 1);
        rename(from, to); /* ENOENT: that generation does not exist yet */
    }
    snprintf(to, n, "%s.1", s->path);
    if (rename(s->path, to) != 0)
        sink_log(s, "cannot rotate %s: %s", s->path, strerror(errno));
    free(from);
    free(to);
    close(s->fd);
    s->fd = -1;
    pthread_mutex_lock(&s->mu);
    s->rotations++;
    pthread_mutex_unlock(&s->mu);
}

/* Reopens when the file was moved or removed under us, or when the last open failed. */
static bool ensure_open(wh_sink *s)
{
    if (s->fd >= 0) {
        struct stat st;
        if (stat(s->path, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)
            return true;
        close(s->fd);
        s->fd = -1;
    }
    mps_errtext err;
    if (open_events(s, err, sizeof err) != 0) {
        sink_log(s, "%s%s", err, "");
        return false;
    }
    return true;
}

static void write_line(wh_sink *s, const wh_line *l)
{
    if (!ensure_open(s))
        goto failed;
    if (s->o.rotate_size > 0 && s->size > 0 && s->size + (long long)l->len > s->o.rotate_size) {
        rotate(s);
        if (!ensure_open(s))
            goto failed;
    }
    ssize_t w;
    do
        w = write(s->fd, l->text, l->len);
    while (w < 0 && errno == EINTR);
    if (w == (ssize_t)l->len) {
        s->size += (long long)w;
        pthread_mutex_lock(&s->mu);
        s->written++;
        pthread_mutex_unlock(&s->mu);
        return;
    }
    /* Half a line would glue itself to the next one: cut the file back to where it was. */
    int e = w < 0 ? errno : ENOSPC;
    if (w > 0 && ftruncate(s->fd, (off_t)s->size) != 0)
        sink_log(s, "cannot cut back a short write to %s: %s", s->path, strerror(errno));
    sink_log(s, "lost a delivery: write to %s failed: %s", s->path, strerror(e));
    goto count;
failed:
    sink_log(s, "lost a delivery: %s is not writable%s", s->path, "");
count:
    pthread_mutex_lock(&s->mu);
    s->errors++;
    pthread_mutex_unlock(&s->mu);
}

static void *appender(void *arg)
{
    wh_sink *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->head && !s->stop)
            pthread_cond_wait(&s->cv, &s->mu);
        if (!s->head && s->stop)
            break;
        wh_line *batch = s->head;
        s->head = s->tail = NULL;
        s->queued = 0;
        pthread_mutex_unlock(&s->mu);
        while (batch) {
            wh_line *l = batch;
            batch = l->next;
            write_line(s, l);
            free(l->text);
            free(l);
        }
        /* One flush per batch: under load many lines share it (group commit). */
        if (!s->o.no_fsync && s->fd >= 0 && fdatasync(s->fd) != 0)
            sink_log(s, "fdatasync %s: %s", s->path, strerror(errno));
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

wh_sink *wh_sink_open(const wh_sink_options *o, char *err, size_t err_size)
{
    wh_sink *s = mps_xcalloc(1, sizeof *s);
    s->o = *o;
    s->path = mps_xstrdup(o->path);
    s->o.path = s->path;
    s->fd = -1;
    if (open_events(s, err, err_size) != 0) {
        free(s->path);
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->thread, NULL, appender, s) != 0) {
        snprintf(err, err_size, "cannot start the appender thread");
        close(s->fd);
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        free(s->path);
        free(s);
        return NULL;
    }
    return s;
}

bool wh_sink_push(wh_sink *s, const char *line, size_t len)
{
    pthread_mutex_lock(&s->mu);
    if (s->queued >= WEBHOOK_QUEUE_MAX || s->stop) {
        pthread_mutex_unlock(&s->mu);
        return false;
    }
    wh_line *l = mps_xmalloc(sizeof *l);
    l->text = mps_xmalloc(len + 1);
    memcpy(l->text, line, len);
    l->text[len] = '\n';
    l->len = len + 1;
    l->next = NULL;
    if (s->tail)
        s->tail->next = l;
    else
        s->head = l;
    s->tail = l;
    s->queued++;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return true;
}

void wh_sink_counts(wh_sink *s, unsigned long *written, unsigned long *errors,
                    unsigned long *rotations)
{
    pthread_mutex_lock(&s->mu);
    *written = s->written;
    *errors = s->errors;
    *rotations = s->rotations;
    pthread_mutex_unlock(&s->mu);
}

void wh_sink_close(wh_sink *s, unsigned long *written, unsigned long *errors,
                   unsigned long *rotations)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    if (written)
        wh_sink_counts(s, written, errors, rotations);
    if (s->fd >= 0)
        close(s->fd);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s->path);
    free(s);
}

void wh_file_lines(const char *path, size_t max_line, void (*fn)(void *, const char *, size_t),
                   void *cls)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return;
    struct stat st;
    FILE *f = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? fdopen(fd, "r") : NULL;
    if (!f) {
        close(fd);
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            n--;
        if (n > 0 && (size_t)n <= max_line)
            fn(cls, line, (size_t)n);
    }
    free(line);
    fclose(f);
}
