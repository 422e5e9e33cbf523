/* Tails the events file (webhook deliveries as JSON lines) and keeps the onboarding counter. */
#include "mpsdash/events.h"
#include "mpsdash/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mpsdash/alloc.h"
#include "mpsdash/graph.h"

#define READ_CHUNK 65536
/* A hostile file must not grow memory without bound: beyond this many onboardings in the
 * window the counter is far past the limit anyway. */
#define ONBOARDING_KEEP_MAX 100000

typedef struct onboarding {
    long long time;
    char *key; /* waba_id + solution_id: a redelivered webhook counts once; NULL: no key */
} onboarding;

struct events_feed {
    char *path;
    int fd;
    dev_t dev;
    ino_t ino;
    off_t offset;
    char *partial; /* bytes after the last newline, waiting for theirs */
    size_t partial_len;
    bool skipping; /* inside an over-long line: drop bytes up to the next newline */
    char error[512];
    bool has_error;

    mps_event *events;
    size_t count;
    size_t cap;
    size_t keep;
    size_t total;
    size_t lines;
    size_t bad;

    size_t bad_times;

    bool (*stop)(void *arg);
    void *stop_arg;
    bool interrupted; /* the last drain stopped before the end of the file */

    onboarding *onb;
    size_t onb_count;
    size_t onb_cap;
    strset onb_keys; /* the keys of onb (borrowed): a redelivery is found in constant time */
};

events_feed *events_open(const char *path)
{
    events_feed *f = mps_xcalloc(1, sizeof *f);
    f->path = mps_xstrdup(path ? path : "");
    f->fd = -1;
    f->keep = EVENTS_KEEP_DEFAULT;
    return f;
}

static void trim_events(events_feed *f)
{
    if (f->count <= f->keep)
        return;
    size_t drop = f->count - f->keep;
    for (size_t i = 0; i < drop; i++)
        event_clear(&f->events[i]);
    memmove(f->events, f->events + drop, f->keep * sizeof *f->events);
    f->count = f->keep;
}

void events_set_keep(events_feed *f, size_t max)
{
    f->keep = max ? max : EVENTS_KEEP_DEFAULT;
    trim_events(f);
}

void events_close(events_feed *f)
{
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    for (size_t i = 0; i < f->count; i++)
        event_clear(&f->events[i]);
    free(f->events);
    for (size_t i = 0; i < f->onb_count; i++)
        free(f->onb[i].key);
    free(f->onb);
    strset_clear(&f->onb_keys);
    free(f->partial);
    free(f->path);
    free(f);
}

static void set_error(events_feed *f, const char *what, int err)
{
    snprintf(f->error, sizeof f->error, "%s %s: %s", what, f->path, strerror(err));
    f->has_error = true;
}

bool events_is_onboarding(const mps_event *e)
{
    static const char *const kinds[] = {"PARTNER_ADDED", "PARTNER_APP_INSTALLED"};
    if (!e || !e->event)
        return false;
    for (size_t i = 0; i < COUNT_OF(kinds); i++)
        if (strcmp(e->event, kinds[i]) == 0)
            return true;
    return false;
}

/* The key set holds what onb holds: rebuilt (linear) whenever entries leave. */
static void reindex_onboardings(events_feed *f)
{
    strset_clear(&f->onb_keys);
    for (size_t i = 0; i < f->onb_count; i++)
        if (f->onb[i].key)
            strset_add(&f->onb_keys, f->onb[i].key);
}

static void count_onboarding(events_feed *f, const mps_event *e)
{
    char *key = NULL;
    if (e->waba_id) {
        key = mps_xasprintf("%s|%s", e->waba_id, e->solution_id ? e->solution_id : "");
        if (strset_has(&f->onb_keys, key)) {
            free(key);
            return;
        }
    }
    if (f->onb_count == ONBOARDING_KEEP_MAX) {
        /* Drop the oldest quarter at once: one move and one reindex per 25,000 additions,
         * not one per addition. */
        size_t drop = ONBOARDING_KEEP_MAX / 4;
        for (size_t i = 0; i < drop; i++)
            free(f->onb[i].key);
        memmove(f->onb, f->onb + drop, (f->onb_count - drop) * sizeof *f->onb);
        f->onb_count -= drop;
        reindex_onboardings(f);
    }
    if (f->onb_count == f->onb_cap) {
        f->onb_cap = f->onb_cap ? f->onb_cap * 2 : 64;
        f->onb = mps_xreallocarray(f->onb, f->onb_cap, sizeof *f->onb);
    }
    f->onb[f->onb_count++] = (onboarding){.time = e->time, .key = key};
    if (key)
        strset_add(&f->onb_keys, key); /* the string stays put when onb grows */
}

/* Forgets onboardings that left the window: they can never count again while time moves on. */
static void prune_onboardings(events_feed *f, long long now)
{
    size_t out = 0;
    for (size_t i = 0; i < f->onb_count; i++) {
        if (f->onb[i].time > now - EVENTS_ONBOARDING_WINDOW_S)
            f->onb[out++] = f->onb[i];
        else
            free(f->onb[i].key);
    }
    if (out != f->onb_count) {
        f->onb_count = out;
        reindex_onboardings(f);
    }
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r", s[i]))
            return false;
    return true;
}

/* Parses one complete line; returns the number of events it added. */
static int take_line(events_feed *f, const char *line, size_t len, long long now)
{
    if (blank(line, len))
        return 0;
    f->lines++;
    mps_event *got = NULL;
    size_t n = 0;
    graph_error err;
    memset(&err, 0, sizeof err);
    if (!graph_parse_webhook(line, len, &got, &n, &err)) {
        for (size_t i = 0; i < n; i++)
            event_clear(&got[i]);
        free(got);
        f->bad++;
        return 0;
    }
    if (f->count + n > f->cap) {
        while (f->count + n > f->cap)
            f->cap = f->cap ? f->cap * 2 : 64;
        f->events = mps_xrealloc(f->events, f->cap * sizeof *f->events);
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        /* A time that is not unix seconds, or later than a clock's drift could explain, would
         * count an onboarding for ever (and overflow the window's arithmetic): skipped. */
        if (got[i].time_invalid || got[i].time < 0 || got[i].time > now + EVENTS_FUTURE_SLACK_S) {
            event_clear(&got[i]);
            f->bad_times++;
            continue;
        }
        if (got[i].time == 0)
            got[i].time = now;
        if (events_is_onboarding(&got[i]))
            count_onboarding(f, &got[i]);
        f->events[f->count++] = got[i]; /* moved: the feed owns the strings now */
        kept++;
    }
    free(got);
    f->total += kept;
    /* A backlog far longer than what is kept is not held whole until the poll ends: trimmed
     * every `keep` events, one move each time. */
    if (f->count >= 2 * f->keep)
        trim_events(f);
    return (int)kept;
}

/* Splits buf into lines, joining with what an earlier read left over. */
static int take_bytes(events_feed *f, const char *buf, size_t len, long long now)
{
    int added = 0;
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\n')
            continue;
        if (f->skipping) {
            f->skipping = false;
        } else if (f->partial_len) {
            size_t n = i - start;
            f->partial = mps_xrealloc(f->partial, f->partial_len + n);
            memcpy(f->partial + f->partial_len, buf + start, n);
            added += take_line(f, f->partial, f->partial_len + n, now);
            f->partial_len = 0;
        } else {
            added += take_line(f, buf + start, i - start, now);
        }
        start = i + 1;
    }
    size_t rest = len - start;
    if (rest && !f->skipping) {
        if (f->partial_len + rest > (size_t)EVENTS_MAX_LINE) {
            f->lines++;
            f->bad++;
            f->skipping = true;
            f->partial_len = 0;
        } else {
            f->partial = mps_xrealloc(f->partial, f->partial_len + rest);
            memcpy(f->partial + f->partial_len, buf + start, rest);
            f->partial_len += rest;
        }
    }
    return added;
}

static void reset_position(events_feed *f)
{
    f->offset = 0;
    f->partial_len = 0;
    f->skipping = false;
}

/* Reads fd from the offset to its end. Returns events added or -1 on a read error. */
static int drain(events_feed *f, long long now)
{
    char buf[READ_CHUNK];
    int added = 0;
    f->interrupted = false;
    for (;;) {
        if (f->stop && f->stop(f->stop_arg)) {
            f->interrupted = true;
            return added;
        }
        ssize_t n = pread(f->fd, buf, sizeof buf, f->offset);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            set_error(f, "cannot read", errno);
            return -1;
        }
        if (n == 0)
            return added;
        f->offset += n;
        added += take_bytes(f, buf, (size_t)n, now);
    }
}

/* A writer that stopped mid-line before rotating will never finish it: try it as it is. */
static int flush_partial(events_feed *f, long long now)
{
    int added = 0;
    if (f->partial_len && !f->skipping)
        added = take_line(f, f->partial, f->partial_len, now);
    reset_position(f);
    return added;
}

static bool open_file(events_feed *f)
{
    int fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno != ENOENT)
            set_error(f, "cannot open", errno);
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        set_error(f, "cannot read", errno);
        close(fd);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        /* A FIFO or device would block or never end: the feed is a plain file. */
        set_error(f, "cannot read", S_ISDIR(st.st_mode) ? EISDIR : EINVAL);
        close(fd);
        return false;
    }
    f->fd = fd;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    reset_position(f);
    return true;
}

int events_poll(events_feed *f, long long now)
{
    f->has_error = false;
    f->error[0] = '\0';
    f->interrupted = false;
    int added = 0;

    if (f->fd >= 0) {
        struct stat by_path;
        bool replaced =
            stat(f->path, &by_path) == 0 && (by_path.st_ino != f->ino || by_path.st_dev != f->dev);
        if (replaced) {
            /* Rotation: finish the old file (lines written before the switch), then move on. */
            int n = drain(f, now);
            added += n > 0 ? n : 0;
            if (f->interrupted) { /* the next poll finishes it */
                prune_onboardings(f, now);
                trim_events(f);
                return added;
            }
            added += flush_partial(f, now);
            close(f->fd);
            f->fd = -1;
        } else {
            struct stat st;
            if (fstat(f->fd, &st) == 0 && st.st_size < f->offset)
                reset_position(f); /* truncated in place: read the new content from the start */
        }
    }
    if (f->fd < 0 && !open_file(f)) {
        prune_onboardings(f, now);
        trim_events(f);
        return f->has_error ? -1 : added;
    }
    int n = drain(f, now);
    prune_onboardings(f, now);
    trim_events(f);
    if (n < 0)
        return -1;
    return added + n;
}

void events_set_interrupt(events_feed *f, bool (*stop)(void *arg), void *arg)
{
    f->stop = stop;
    f->stop_arg = arg;
}

const char *events_path(const events_feed *f)
{
    return f->path;
}

bool events_interrupted(const events_feed *f)
{
    return f->interrupted;
}

bool events_present(const events_feed *f)
{
    return f->fd >= 0;
}

const char *events_error(const events_feed *f)
{
    return f->has_error ? f->error : NULL;
}

size_t events_count(const events_feed *f)
{
    return f->count;
}

const mps_event *events_get(const events_feed *f, size_t index)
{
    return index < f->count ? &f->events[index] : NULL;
}

size_t events_total(const events_feed *f)
{
    return f->total;
}

size_t events_lines(const events_feed *f)
{
    return f->lines;
}

size_t events_bad_lines(const events_feed *f)
{
    return f->bad;
}

size_t events_bad_times(const events_feed *f)
{
    return f->bad_times;
}

events_onboarding events_onboarding_status(const events_feed *f, long long now)
{
    events_onboarding o = {.limit = EVENTS_ONBOARDING_LIMIT};
    for (size_t i = 0; i < f->onb_count; i++) {
        long long t = f->onb[i].time;
        if (t <= now - EVENTS_ONBOARDING_WINDOW_S)
            continue;
        o.count++;
        long long expiry = t + EVENTS_ONBOARDING_WINDOW_S;
        if (o.next_expiry == 0 || expiry < o.next_expiry)
            o.next_expiry = expiry;
    }
    o.percent = (int)(o.count * 100 / o.limit);
    o.warn = o.percent >= EVENTS_ONBOARDING_WARN_PERCENT;
    o.reached = o.count >= o.limit;
    return o;
}

inbox_onboarding events_file_onboarding(const char *path, long long now, bool (*stop)(void *arg),
                                        void *arg)
{
    inbox_onboarding out = {0};
    if (!path || !path[0])
        return out;
    events_feed *f = events_open(path);
    events_set_interrupt(f, stop, arg);
    if (events_poll(f, now) >= 0 && events_present(f) && !events_interrupted(f)) {
        events_onboarding o = events_onboarding_status(f, now);
        out = (inbox_onboarding){.known = true,
                                 .count = o.count,
                                 .limit = o.limit,
                                 .percent = o.percent,
                                 .warn = o.warn,
                                 .reached = o.reached};
    }
    events_close(f);
    return out;
}
