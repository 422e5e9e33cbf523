/* The worker: the one thread besides the UI. It owns a graph_client (one curl multi handle for
 * its whole life), runs the graph operations the UI submits concurrently, and hands results back
 * as plain model structs through a queue whose file descriptor the UI poll()s. Tasks (work that
 * is not a graph operation, such as reading a file) are jobs too, each on a short-lived thread
 * of its own so that a slow disk never holds up the requests in flight.
 *
 * Threading contract: every function here is called from the UI thread. Operations are built
 * by the UI (graph_op_* constructors touch no network and no JSON) and belong to the worker from
 * worker_submit on; the worker frees them. JSON trees never leave the worker thread. */
#ifndef MPSDASH_WORKER_H
#define MPSDASH_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include "mpsdash/graph.h"

typedef struct worker worker;

/* What one job produced, owned by the receiver (worker_result_free). A list job posts one result
 * per page as pages arrive (done false, solutions = the page) and a last one with done true.
 * Any job may also post progress_only results (done false, no data) when the client starts or
 * ends retrying one of its GETs: they come through the same queue, in order with the rest. */
typedef struct worker_result {
    unsigned long job;        /* the id worker_submit returned */
    unsigned long generation; /* as given to worker_submit */
    int tag;                  /* as given to worker_submit: what the caller wanted it for */
    unsigned long identity;   /* whose app and token the job ran as: 0 the worker's own */
    graph_op_kind kind;
    bool done;               /* the job is over; error is valid */
    graph_error error;       /* cls GRAPH_OK on success */
    graph_usage usage;       /* the client's API usage when the result was posted */
    graph_result data;       /* everything the op produced, moved out of it */
    bool progress_only;      /* carries nothing but a change of progress (not done) */
    graph_progress progress; /* when progress_only: the job's attempt n of m (a GET retried) */
    bool task;               /* a task's result (worker_submit_task); kind means nothing then */
    void *task_ctx;          /* the task's ctx, handed back: set it NULL when taking it */
    void (*task_discard)(void *ctx); /* frees a task_ctx left in the result */
} worker_result;

/* Starts the thread with a new graph client for opts (strings copied; the token is copied and
 * zeroed on free). NULL with err filled when the client cannot be made (bad URL...). */
worker *worker_new(const graph_options *opts, graph_error *err);
/* Cancels every job still running, joins the thread and frees everything, queued results
 * included. Returns promptly even with requests in flight. NULL is fine. */
void worker_free(worker *w);

/* Hands op to the worker (which frees it). Returns the job id (never 0). */
unsigned long worker_submit(worker *w, graph_op *op, unsigned long generation, int tag);

/* Another profile's identity (URL, app, token, app secret) whose jobs run on this worker's one
 * engine and connection pool beside its own: the inbox across profiles. opts is copied (the
 * token zeroed on free); the identity lives as long as the worker. Returns its id (> 0), or 0
 * with err when the options are refused. */
unsigned long worker_add_identity(worker *w, const graph_options *opts, graph_error *err);
/* worker_submit, run as identity (0: the worker's own). A job always carries the identity it was
 * submitted with: nothing falls back to another profile's token. An unknown identity completes
 * the job at once with GRAPH_ERR_USAGE, nothing sent. */
unsigned long worker_submit_as(worker *w, unsigned long identity, graph_op *op,
                               unsigned long generation, int tag);
/* Stops a job: it completes with GRAPH_ERR_CANCELLED unless it already finished. */
void worker_cancel(worker *w, unsigned long job);
/* Stops every job submitted with a generation below `generation`. */
void worker_cancel_older(worker *w, unsigned long generation);

/* A task: run(ctx, task) on a thread of its own; its one result (done, GRAPH_OK or
 * GRAPH_ERR_CANCELLED when it was asked to stop) hands ctx back as task_ctx. ctx belongs to the
 * task from here on (the UI thread must not touch it) until the result gives it back; discard
 * (may be NULL) frees it when the result is freed still holding it. Tasks count as pending,
 * take worker_cancel / worker_cancel_older and are stopped and joined by worker_free. */
typedef struct worker_task worker_task;
typedef void (*worker_task_fn)(void *ctx, const worker_task *task);
unsigned long worker_submit_task(worker *w, worker_task_fn run, void *ctx,
                                 void (*discard)(void *ctx), unsigned long generation, int tag);
/* Whether the task was asked to stop: a long task checks it between steps (any thread). */
bool worker_task_stopping(const worker_task *task);

/* Readable while results are waiting: poll() it beside stdin. */
int worker_fd(const worker *w);
/* The next result (the caller owns it), or NULL when none is waiting. Clears the fd's
 * readiness once the queue is empty. */
worker_result *worker_next_result(worker *w);
void worker_result_free(worker_result *r);

/* Jobs submitted and not yet delivered as done. */
size_t worker_pending(const worker *w);

#endif
