/* Private declarations of the webhook receiver: the appender (sink.c) and the replay memory
 * (replay.c) that the HTTP side (server.c) uses. Nothing outside src/webhook includes it. */
#ifndef MPSDASH_WH_H
#define MPSDASH_WH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* ---- sink.c: the appender thread ---- */
typedef struct wh_sink wh_sink;
typedef struct wh_sink_options {
    const char *path;
    long long rotate_size; /* < 0: never */
    int rotate_keep;
    bool no_fsync;
    FILE *log;
} wh_sink_options;

wh_sink *wh_sink_open(const wh_sink_options *o, char *err, size_t err_size);
/* Queues one line (without its newline; copied). False when the queue is full. */
bool wh_sink_push(wh_sink *s, const char *line, size_t len);
/* Writes what is queued, stops the thread, frees; the final counts go to the pointers when
 * written is not NULL (then all three must be given). */
void wh_sink_close(wh_sink *s, unsigned long *written, unsigned long *errors,
                   unsigned long *rotations);
void wh_sink_counts(wh_sink *s, unsigned long *written, unsigned long *errors,
                    unsigned long *rotations);
/* Calls fn for every line of the current file (startup: remembering what was written). */
void wh_file_lines(const char *path, size_t max_line, void (*fn)(void *, const char *, size_t),
                   void *cls);

/* ---- replay.c: which deliveries were taken already (two generations of hashes) ---- */
typedef struct wh_replay wh_replay;
wh_replay *wh_replay_new(size_t per_generation);
void wh_replay_free(wh_replay *r);
/* Whether these bytes were remembered. */
bool wh_replay_seen(const wh_replay *r, const void *data, size_t len);
void wh_replay_add(wh_replay *r, const void *data, size_t len);

/* "2026-12-01T14:00:00Z" for log lines. */
void wh_timestamp(char *buf, size_t size);

#endif
