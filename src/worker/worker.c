/* The worker thread: drives graph operations on one client and queues their results for the UI. */
#include "mpsdash/worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "mpsdash/alloc.h"

typedef struct worker_job {
    unsigned long id;
    unsigned long generation;
    int tag;
    unsigned long identity;
    graph_client *client; /* the one that drives op: the engine or an identity's */
    graph_op *op;
    struct worker_job *next;
} worker_job;

/* Another profile's client, sharing the engine (graph_client_new_shared). */
typedef struct worker_identity {
    unsigned long id;
    graph_client *client;
} worker_identity;

/* A task's thread and what it runs. The record lives on the UI thread's list until the thread
 * is joined; only the stop flag is shared. */
struct worker_task {
    worker *w;
    unsigned long id;
    unsigned long generation;
    int tag;
    worker_task_fn run;
    void *ctx;
    void (*discard)(void *ctx);
    atomic_bool stop;
    pthread_t thread;
    bool started; /* a thread runs it (else it ran on the caller's) */
    struct worker_task *next;
};

typedef struct result_node {
    worker_result *r;
    struct result_node *next;
} result_node;

struct worker {
    graph_client *client;
    pthread_t thread;
    int efd;

    /* UI thread only. */
    unsigned long next_id;
    size_t pending;
    worker_task *tasks; /* not yet joined */

    /* Appended by the UI thread under lock, read by the worker under lock; freed after the
     * join. */
    worker_identity *identities;
    size_t identity_count;

    /* Shared, under lock. */
    pthread_mutex_t lock;
    bool stop;
    worker_job *incoming, *incoming_tail;
    unsigned long *cancels;
    size_t cancel_count, cancel_cap;
    unsigned long cancel_below;
    result_node *results, *results_tail;

    /* Worker thread only: the jobs the client drives. */
    worker_job *running;
};

void worker_result_free(worker_result *r)
{
    if (!r)
        return;
    if (r->task_ctx && r->task_discard)
        r->task_discard(r->task_ctx);
    graph_result_clear(&r->data);
    free(r);
}

/* ---- worker thread ------------------------------------------------------------------------ */

static void post(worker *w, worker_result *r)
{
    result_node *n = mps_xcalloc(1, sizeof *n);
    n->r = r;
    pthread_mutex_lock(&w->lock);
    if (w->results_tail)
        w->results_tail->next = n;
    else
        w->results = n;
    w->results_tail = n;
    pthread_mutex_unlock(&w->lock);
    uint64_t one = 1;
    /* The counter only saturates after 2^64-1 posts; a failed write just means it is set. */
    ssize_t wr = write(w->efd, &one, sizeof one);
    (void)wr;
}

static worker_result *result_for(worker *w, const worker_job *job)
{
    worker_result *r = mps_xcalloc(1, sizeof *r);
    r->job = job->id;
    r->generation = job->generation;
    r->tag = job->tag;
    r->identity = job->identity;
    r->kind = graph_op_get_kind(job->op);
    r->usage = graph_client_usage(job->client ? job->client : w->client);
    return r;
}

/* Posts a result for a job that never reached the client. */
static void post_cancelled(worker *w, const worker_job *job)
{
    worker_result *r = result_for(w, job);
    r->done = true;
    r->error.cls = GRAPH_ERR_CANCELLED;
    snprintf(r->error.message, sizeof r->error.message, "cancelled");
    post(w, r);
}

/* Moves the op's freshly parsed page into a result. */
static void post_page(worker *w, worker_job *job)
{
    mps_solution **items = NULL;
    size_t n = graph_op_take_page(job->op, &items);
    if (n == 0) {
        free(items);
        return;
    }
    worker_result *r = result_for(w, job);
    r->data.solutions = items;
    r->data.solution_count = n;
    post(w, r);
}

static void post_done(worker *w, worker_job *job)
{
    if (graph_op_get_kind(job->op) == GRAPH_OP_LIST_SOLUTIONS)
        post_page(w, job);
    worker_result *r = result_for(w, job);
    r->done = true;
    const graph_error *e = graph_op_error(job->op);
    if (e)
        r->error = *e;
    graph_result *res = graph_op_result(job->op);
    if (res) {
        r->data = *res;
        /* Ownership moved: the op must not free what the result now holds. */
        memset(res, 0, sizeof *res);
    }
    post(w, r);
}

static void job_free(worker_job *job)
{
    if (!job)
        return;
    graph_op_free(job->op);
    free(job);
}

static worker_job *unlink_running(worker *w, graph_op *op)
{
    for (worker_job **pp = &w->running; *pp; pp = &(*pp)->next) {
        if ((*pp)->op == op) {
            worker_job *job = *pp;
            *pp = job->next;
            job->next = NULL;
            return job;
        }
    }
    return NULL;
}

static bool cancel_wanted(const unsigned long *ids, size_t n, unsigned long below,
                          const worker_job *job)
{
    if (job->generation < below)
        return true;
    for (size_t i = 0; i < n; i++)
        if (ids[i] == job->id)
            return true;
    return false;
}

/* The client of an identity (0: the engine); NULL when no such identity was added. */
static graph_client *client_of(worker *w, unsigned long identity)
{
    if (identity == 0)
        return w->client;
    graph_client *c = NULL;
    pthread_mutex_lock(&w->lock);
    for (size_t i = 0; i < w->identity_count && !c; i++)
        if (w->identities[i].id == identity)
            c = w->identities[i].client;
    pthread_mutex_unlock(&w->lock);
    return c;
}

/* Takes what the UI queued: new jobs start, cancelled ones stop. Returns whether to stop. */
static bool take_requests(worker *w)
{
    pthread_mutex_lock(&w->lock);
    bool stop = w->stop;
    worker_job *jobs = w->incoming;
    w->incoming = w->incoming_tail = NULL;
    unsigned long *ids = w->cancels;
    size_t nids = w->cancel_count;
    w->cancels = NULL;
    w->cancel_count = w->cancel_cap = 0;
    unsigned long below = w->cancel_below;
    pthread_mutex_unlock(&w->lock);

    while (jobs) {
        worker_job *job = jobs;
        jobs = job->next;
        job->next = NULL;
        if (stop || cancel_wanted(ids, nids, below, job)) {
            post_cancelled(w, job);
            job_free(job);
            continue;
        }
        job->client = client_of(w, job->identity);
        if (!job->client) {
            worker_result *r = result_for(w, job);
            r->done = true;
            r->error.cls = GRAPH_ERR_USAGE;
            snprintf(r->error.message, sizeof r->error.message,
                     "no such identity (%lu): nothing was sent", job->identity);
            post(w, r);
            job_free(job);
            continue;
        }
        graph_op_set_user(job->op, job);
        job->next = w->running;
        w->running = job;
        graph_client_start(job->client, job->op);
    }
    /* A cancelled op leaves the client at once (no event follows): report it here. */
    for (worker_job **pp = &w->running; *pp;) {
        worker_job *job = *pp;
        if (!cancel_wanted(ids, nids, below, job) || graph_op_is_done(job->op)) {
            pp = &job->next;
            continue;
        }
        graph_client_cancel(job->client, job->op);
        *pp = job->next;
        job->next = NULL;
        post_done(w, job);
        job_free(job);
    }
    free(ids);
    return stop;
}

/* A retry begun or over: the UI's status line says "attempt n of m" while it runs. The
 * figures are copied into the result here, so the UI thread never reads the op. */
static void post_progress(worker *w, worker_job *job)
{
    graph_progress p;
    if (!graph_op_take_progress(job->op, &p))
        return;
    worker_result *r = result_for(w, job);
    r->progress_only = true;
    r->progress = p;
    post(w, r);
}

static void deliver_events(worker *w)
{
    graph_op *op;
    while ((op = graph_client_next_event(w->client))) {
        worker_job *job = graph_op_user(op);
        if (!job)
            continue;
        if (!graph_op_is_done(op)) {
            post_page(w, job);
            post_progress(w, job);
            continue;
        }
        unlink_running(w, op);
        post_done(w, job);
        job_free(job);
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    for (;;) {
        if (take_requests(w))
            break;
        deliver_events(w);
        /* Long timeout: graph_client_wakeup ends the wait as soon as the UI asks for anything. */
        graph_client_poll(w->client, 1000);
        deliver_events(w);
    }
    /* Quit with requests in flight: stop every transfer, then free what is left. */
    for (worker_job *job = w->running; job; job = job->next)
        if (!graph_op_is_done(job->op))
            graph_client_cancel(job->client, job->op);
    while (graph_client_next_event(w->client))
        ;
    while (w->running) {
        worker_job *job = w->running;
        w->running = job->next;
        job_free(job);
    }
    return NULL;
}

/* ---- tasks ------------------------------------------------------------------------------- */

static void *task_main(void *arg)
{
    worker_task *t = arg;
    t->run(t->ctx, t);
    worker_result *r = mps_xcalloc(1, sizeof *r);
    r->job = t->id;
    r->generation = t->generation;
    r->tag = t->tag;
    r->done = true;
    r->task = true;
    r->task_ctx = t->ctx;
    r->task_discard = t->discard;
    r->usage.max_percent = -1; /* the client's figure is the worker thread's to read */
    if (atomic_load(&t->stop)) {
        r->error.cls = GRAPH_ERR_CANCELLED;
        snprintf(r->error.message, sizeof r->error.message, "cancelled");
    }
    post(t->w, r);
    return NULL;
}

unsigned long worker_submit_task(worker *w, worker_task_fn run, void *ctx,
                                 void (*discard)(void *ctx), unsigned long generation, int tag)
{
    worker_task *t = mps_xcalloc(1, sizeof *t);
    t->w = w;
    t->id = w->next_id++;
    t->generation = generation;
    t->tag = tag;
    t->run = run;
    t->ctx = ctx;
    t->discard = discard;
    atomic_init(&t->stop, false);
    pthread_mutex_lock(&w->lock);
    bool stale = generation < w->cancel_below;
    pthread_mutex_unlock(&w->lock);
    if (stale)
        atomic_store(&t->stop, true);
    w->pending++;
    unsigned long id = t->id;
    t->started = pthread_create(&t->thread, NULL, task_main, t) == 0;
    if (!t->started)
        task_main(t); /* no thread to be had: late, but done */
    t->next = w->tasks;
    w->tasks = t;
    return id;
}

bool worker_task_stopping(const worker_task *t)
{
    return atomic_load(&((worker_task *)t)->stop);
}

static void stop_tasks(worker *w, unsigned long job, unsigned long below)
{
    for (worker_task *t = w->tasks; t; t = t->next)
        if (t->id == job || t->generation < below)
            atomic_store(&t->stop, true);
}

/* Joins the task whose done result was taken (its thread has posted and is ending). */
static void reap_task(worker *w, unsigned long job)
{
    for (worker_task **pp = &w->tasks; *pp; pp = &(*pp)->next) {
        worker_task *t = *pp;
        if (t->id != job)
            continue;
        if (t->started)
            pthread_join(t->thread, NULL);
        *pp = t->next;
        free(t);
        return;
    }
}

/* ---- UI thread ---------------------------------------------------------------------------- */

worker *worker_new(const graph_options *opts, graph_error *err)
{
    graph_error local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    graph_client *c = graph_client_new(opts, err);
    if (!c)
        return NULL;
    worker *w = mps_xcalloc(1, sizeof *w);
    w->client = c;
    w->next_id = 1;
    w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (w->efd < 0) {
        err->cls = GRAPH_ERR_USAGE;
        snprintf(err->message, sizeof err->message, "cannot make the worker's event fd: %s",
                 strerror(errno));
        goto fail;
    }
    pthread_mutex_init(&w->lock, NULL);
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        pthread_mutex_destroy(&w->lock);
        err->cls = GRAPH_ERR_USAGE;
        snprintf(err->message, sizeof err->message, "cannot start the worker thread");
        goto fail;
    }
    return w;
fail:
    if (w->efd >= 0)
        close(w->efd);
    graph_client_free(c);
    free(w);
    return NULL;
}

void worker_free(worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_mutex_unlock(&w->lock);
    graph_client_wakeup(w->client);
    pthread_join(w->thread, NULL);
    /* Tasks check their stop flag between steps; what they post is freed below. */
    for (worker_task *t = w->tasks; t; t = t->next)
        atomic_store(&t->stop, true);
    while (w->tasks) {
        worker_task *t = w->tasks;
        w->tasks = t->next;
        if (t->started)
            pthread_join(t->thread, NULL);
        free(t);
    }

    /* Jobs queued after the thread's last look, and results nobody took. */
    while (w->incoming) {
        worker_job *job = w->incoming;
        w->incoming = job->next;
        job_free(job);
    }
    while (w->results) {
        result_node *n = w->results;
        w->results = n->next;
        worker_result_free(n->r);
        free(n);
    }
    free(w->cancels);
    /* Shared clients before the engine they ran on. */
    for (size_t i = 0; i < w->identity_count; i++)
        graph_client_free(w->identities[i].client);
    free(w->identities);
    graph_client_free(w->client);
    pthread_mutex_destroy(&w->lock);
    close(w->efd);
    free(w);
}

unsigned long worker_add_identity(worker *w, const graph_options *opts, graph_error *err)
{
    graph_error local;
    if (!err)
        err = &local;
    /* Making a shared client reads only the engine's own (fixed) address: safe beside the
     * running thread; it is driven on the worker thread only. */
    graph_client *c = graph_client_new_shared(w->client, opts, err);
    if (!c)
        return 0;
    pthread_mutex_lock(&w->lock);
    w->identities = mps_xreallocarray(w->identities, w->identity_count + 1, sizeof *w->identities);
    unsigned long id = (unsigned long)w->identity_count + 1;
    w->identities[w->identity_count++] = (worker_identity){.id = id, .client = c};
    pthread_mutex_unlock(&w->lock);
    return id;
}

unsigned long worker_submit(worker *w, graph_op *op, unsigned long generation, int tag)
{
    return worker_submit_as(w, 0, op, generation, tag);
}

unsigned long worker_submit_as(worker *w, unsigned long identity, graph_op *op,
                               unsigned long generation, int tag)
{
    worker_job *job = mps_xcalloc(1, sizeof *job);
    job->id = w->next_id++;
    job->generation = generation;
    job->tag = tag;
    job->identity = identity;
    job->op = op;
    /* Read before the hand-over: the worker may finish and free the job at once. */
    unsigned long id = job->id;
    pthread_mutex_lock(&w->lock);
    if (w->incoming_tail)
        w->incoming_tail->next = job;
    else
        w->incoming = job;
    w->incoming_tail = job;
    pthread_mutex_unlock(&w->lock);
    w->pending++;
    graph_client_wakeup(w->client);
    return id;
}

void worker_cancel(worker *w, unsigned long job)
{
    pthread_mutex_lock(&w->lock);
    if (w->cancel_count == w->cancel_cap) {
        size_t cap = w->cancel_cap ? w->cancel_cap * 2 : 8;
        w->cancels = mps_xreallocarray(w->cancels, cap, sizeof *w->cancels);
        w->cancel_cap = cap;
    }
    w->cancels[w->cancel_count++] = job;
    pthread_mutex_unlock(&w->lock);
    stop_tasks(w, job, 0);
    graph_client_wakeup(w->client);
}

void worker_cancel_older(worker *w, unsigned long generation)
{
    pthread_mutex_lock(&w->lock);
    if (generation > w->cancel_below)
        w->cancel_below = generation;
    pthread_mutex_unlock(&w->lock);
    stop_tasks(w, 0, generation);
    graph_client_wakeup(w->client);
}

int worker_fd(const worker *w)
{
    return w->efd;
}

worker_result *worker_next_result(worker *w)
{
    pthread_mutex_lock(&w->lock);
    result_node *n = w->results;
    if (n) {
        w->results = n->next;
        if (!w->results)
            w->results_tail = NULL;
    }
    if (!w->results) {
        uint64_t v;
        ssize_t rd = read(w->efd, &v, sizeof v);
        (void)rd; /* EAGAIN: nothing was signalled since the last read */
    }
    pthread_mutex_unlock(&w->lock);
    if (!n)
        return NULL;
    worker_result *r = n->r;
    free(n);
    if (r->done && w->pending > 0)
        w->pending--;
    if (r->task)
        reap_task(w, r->job);
    return r;
}

size_t worker_pending(const worker *w)
{
    return w->pending;
}
