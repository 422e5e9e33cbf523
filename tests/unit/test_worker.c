/* Unit tests for the worker thread against the in-process sandbox over real HTTP: page-by-page
 * delivery, generations and tags, the result fd, concurrency, cancellation and quitting with
 * requests in flight (ASan checks that nothing leaks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the four above first. */
#include <cmocka.h>

#include <curl/curl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpsdash/graph.h"
#include "mpsdash/sandbox.h"
#include "mpsdash/worker.h"

#define BUILTIN_FOR_A 42 /* solutions the built-in dataset shows Lucky Shrub */

static sandbox *sb;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static sandbox *start_sandbox(int extra, int latency_ms)
{
    sandbox_options so = {0};
    so.extra_solutions = extra;
    so.latency_ms = latency_ms;
    char err[512];
    sandbox *s = sandbox_start(&so, err, sizeof err);
    if (!s)
        fail_msg("sandbox_start: %s", err);
    return s;
}

static worker *start_worker(sandbox *s)
{
    graph_options go = {
        .base_url = sandbox_base_url(s),
        .app_id = SANDBOX_APP_A_ID,
        .token = SANDBOX_TOKEN_A,
        .max_retries = -1,
    };
    graph_error err;
    worker *w = worker_new(&go, &err);
    if (!w)
        fail_msg("worker_new: %s", err.message);
    return w;
}

/* Waits on the worker's fd (as the UI does) for the next result. NULL after timeout_ms. */
static worker_result *next_result(worker *w, int timeout_ms)
{
    double end = now_s() + timeout_ms / 1000.0;
    for (;;) {
        worker_result *r = worker_next_result(w);
        if (r)
            return r;
        int left = (int)((end - now_s()) * 1000);
        if (left <= 0)
            return NULL;
        struct pollfd p = {.fd = worker_fd(w), .events = POLLIN};
        poll(&p, 1, left);
    }
}

static int group_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    curl_global_cleanup();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sandbox_stop(sb);
    sb = NULL;
    return 0;
}

static void list_arrives_page_by_page_with_generation_and_tag(void **state)
{
    (void)state;
    sb = start_sandbox(250, 0); /* 292 solutions: three pages of 100 */
    worker *w = start_worker(sb);
    unsigned long job = worker_submit(w, graph_op_list_solutions(NULL), 7, 3);
    assert_int_not_equal(job, 0);
    assert_int_equal(worker_pending(w), 1);

    size_t pages = 0, total = 0;
    worker_result *r;
    for (;;) {
        r = next_result(w, 10000);
        assert_non_null(r);
        assert_int_equal(r->job, job);
        assert_int_equal(r->generation, 7);
        assert_int_equal(r->tag, 3);
        assert_int_equal(r->kind, GRAPH_OP_LIST_SOLUTIONS);
        if (r->data.solution_count) {
            pages++;
            total += r->data.solution_count;
            for (size_t i = 0; i < r->data.solution_count; i++)
                assert_non_null(r->data.solutions[i]->id);
        }
        if (r->done)
            break;
        worker_result_free(r);
    }
    assert_int_equal(r->error.cls, GRAPH_OK);
    worker_result_free(r);
    /* rows can be shown before the last page is in (two cursor chains of two pages each: the
     * first pages of both may come in one result) */
    assert_true(pages >= 2);
    assert_int_equal(total, 250 + BUILTIN_FOR_A);
    assert_int_equal(worker_pending(w), 0);
    worker_free(w);
}

static void fd_is_readable_only_while_results_wait(void **state)
{
    (void)state;
    sb = start_sandbox(0, 0);
    worker *w = start_worker(sb);
    struct pollfd p = {.fd = worker_fd(w), .events = POLLIN};
    assert_int_equal(poll(&p, 1, 0), 0);
    worker_submit(w, graph_op_get_solution("795033096057724"), 1, 1);
    assert_int_equal(poll(&p, 1, 10000), 1);
    worker_result *r = next_result(w, 10000);
    assert_non_null(r);
    assert_true(r->done);
    assert_int_equal(r->error.cls, GRAPH_OK);
    assert_int_equal(r->data.solution_count, 1);
    assert_string_equal(r->data.solutions[0]->name, "Social OVD with Lucky Shrub");
    /* The sandbox answers with X-App-Usage: the worker hands the usage over with results. */
    assert_true(r->usage.max_percent >= 0);
    worker_result_free(r);
    assert_null(worker_next_result(w));
    assert_int_equal(poll(&p, 1, 0), 0);
    worker_free(w);
}

static void several_jobs_run_at_once(void **state)
{
    (void)state;
    sb = start_sandbox(0, 400);
    worker *w = start_worker(sb);
    static const char *ids[] = {"795033096057724", "19702253086782", "17602267745700",
                                "303610109049230"};
    double start = now_s();
    for (size_t i = 0; i < 4; i++)
        worker_submit(w, graph_op_get_solution(ids[i]), 1, (int)i);
    for (size_t i = 0; i < 4; i++) {
        worker_result *r = next_result(w, 10000);
        assert_non_null(r);
        assert_true(r->done);
        assert_int_equal(r->error.cls, GRAPH_OK);
        worker_result_free(r);
    }
    double took = now_s() - start;
    /* One after another would take 4 x 400 ms. */
    assert_true(took < 1.3);
    worker_free(w);
}

static void cancel_ends_a_job_as_cancelled(void **state)
{
    (void)state;
    sb = start_sandbox(0, 5000);
    worker *w = start_worker(sb);
    unsigned long job = worker_submit(w, graph_op_list_solutions(NULL), 1, 1);
    worker_cancel(w, job);
    double start = now_s();
    worker_result *r = next_result(w, 3000);
    assert_non_null(r);
    assert_int_equal(r->job, job);
    assert_true(r->done);
    assert_int_equal(r->error.cls, GRAPH_ERR_CANCELLED);
    assert_true(now_s() - start < 2.0);
    worker_result_free(r);
    assert_int_equal(worker_pending(w), 0);
    worker_free(w);
}

static void cancel_older_stops_only_older_generations(void **state)
{
    (void)state;
    sb = start_sandbox(0, 1500);
    worker *w = start_worker(sb);
    unsigned long old_job = worker_submit(w, graph_op_get_solution("795033096057724"), 1, 1);
    unsigned long new_job = worker_submit(w, graph_op_get_solution("19702253086782"), 2, 1);
    worker_cancel_older(w, 2);
    worker_result *r = next_result(w, 3000);
    assert_non_null(r);
    assert_int_equal(r->job, old_job);
    assert_int_equal(r->error.cls, GRAPH_ERR_CANCELLED);
    worker_result_free(r);
    r = next_result(w, 10000);
    assert_non_null(r);
    assert_int_equal(r->job, new_job);
    assert_int_equal(r->error.cls, GRAPH_OK);
    worker_result_free(r);
    worker_free(w);
}

static void quit_with_requests_in_flight_is_prompt(void **state)
{
    (void)state;
    sb = start_sandbox(0, 10000);
    worker *w = start_worker(sb);
    worker_submit(w, graph_op_list_solutions(NULL), 1, 1);
    worker_submit(w, graph_op_get_solution("795033096057724"), 1, 2);
    worker_submit(w, graph_op_app(SANDBOX_APP_A_ID), 1, 3);
    /* Let the requests reach the server before quitting. */
    double until = now_s() + 0.3;
    while (now_s() < until)
        assert_null(next_result(w, 50));
    double start = now_s();
    worker_free(w); /* cancel, join, free: ASan reports anything left behind */
    assert_true(now_s() - start < 2.0);
}

static void unread_results_are_freed_with_the_worker(void **state)
{
    (void)state;
    sb = start_sandbox(0, 0);
    worker *w = start_worker(sb);
    worker_submit(w, graph_op_list_solutions(NULL), 1, 1);
    struct pollfd p = {.fd = worker_fd(w), .events = POLLIN};
    assert_int_equal(poll(&p, 1, 10000), 1);
    worker_free(w); /* the page and the final result were never taken */
}

static void action_result_holds_the_state_after(void **state)
{
    (void)state;
    sb = start_sandbox(0, 0);
    worker *w = start_worker(sb);
    worker_submit(w, graph_op_get_solution("795033096057724"), 1, 1);
    worker_result *r = next_result(w, 10000);
    assert_non_null(r);
    assert_int_equal(r->error.cls, GRAPH_OK);
    mps_solution *shown = r->data.solutions[0];
    r->data.solutions[0] = NULL;
    worker_result_free(r);

    worker_submit(w, graph_op_action(ACTION_ACCEPT, shown->id, shown), 2, 9);
    r = next_result(w, 10000);
    assert_non_null(r);
    assert_true(r->done);
    assert_int_equal(r->kind, GRAPH_OP_ACTION);
    assert_int_equal(r->error.cls, GRAPH_OK);
    assert_true(r->data.posted);
    assert_true(r->data.success);
    if (r->data.solution_count)
        assert_int_equal(solution_state(r->data.solutions[0]), STATE_ACTIVE);
    worker_result_free(r);
    solution_free(shown);
    worker_free(w);
}

static size_t discard_body(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

/* Adds a fault through the sandbox's control API, as the tmux tests do. */
static void add_fault(const char *spec)
{
    char url[256];
    snprintf(url, sizeof url, "%s/__sandbox/fault", sandbox_base_url(sb));
    CURL *e = curl_easy_init();
    assert_non_null(e);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, spec);
    curl_easy_setopt(e, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard_body);
    assert_int_equal(curl_easy_perform(e), CURLE_OK);
    curl_slist_free_all(h);
    curl_easy_cleanup(e);
}

/* A retried GET reaches the UI thread as progress_only results through the result queue, in
 * order with the pages: attempt 2 while the retry runs, then the rows and the end. */
static void a_retry_is_posted_as_progress(void **state)
{
    (void)state;
    sb = start_sandbox(0, 0);
    add_fault("{\"match\":\"GET /795033096057724\",\"kind\":\"status503\",\"times\":1}");
    graph_options go = {
        .base_url = sandbox_base_url(sb),
        .app_id = SANDBOX_APP_A_ID,
        .token = SANDBOX_TOKEN_A,
        .max_retries = 2,
        .backoff_base_ms = 10,
    };
    graph_error err;
    worker *w = worker_new(&go, &err);
    assert_non_null(w);
    unsigned long job = worker_submit(w, graph_op_get_solution("795033096057724"), 4, 2);
    worker_result *r = next_result(w, 10000);
    assert_non_null(r);
    assert_int_equal(r->job, job);
    assert_int_equal(r->generation, 4);
    assert_int_equal(r->tag, 2);
    assert_true(r->progress_only);
    assert_false(r->done);
    assert_int_equal(r->data.solution_count, 0);
    assert_int_equal(r->progress.attempt, 2);
    assert_int_equal(r->progress.of, 3);
    assert_int_equal(r->progress.why, GRAPH_ERR_TRANSIENT);
    assert_false(r->progress.posted);
    assert_int_equal(worker_pending(w), 1); /* progress does not end the job */
    worker_result_free(r);
    r = next_result(w, 10000);
    assert_non_null(r);
    assert_false(r->progress_only);
    assert_true(r->done);
    assert_int_equal(r->error.cls, GRAPH_OK);
    assert_int_equal(r->data.solution_count, 1);
    assert_int_equal(worker_pending(w), 0);
    worker_result_free(r);
    worker_free(w);
}

/* Runs one job to its end and returns the last result (the caller frees it); pages before it
 * are checked to carry the same identity. */
static worker_result *run_as(worker *w, unsigned long identity, graph_op *op, size_t *items)
{
    unsigned long job = worker_submit_as(w, identity, op, 1, 5);
    *items = 0;
    for (;;) {
        worker_result *r = next_result(w, 10000);
        assert_non_null(r);
        assert_int_equal(r->job, job);
        assert_int_equal(r->identity, identity);
        *items += r->data.solution_count;
        if (r->done)
            return r;
        worker_result_free(r);
    }
}

/* Whether app is the solution's owner or one of its partners. */
static bool party_to(const mps_solution *s, const char *app)
{
    if (s->owner_app.id && strcmp(s->owner_app.id, app) == 0)
        return true;
    for (size_t i = 0; i < s->partner_count; i++)
        if (s->partners[i].app.id && strcmp(s->partners[i].app.id, app) == 0)
            return true;
    return false;
}

static void identities_run_under_their_own_token(void **state)
{
    (void)state;
    sb = start_sandbox(0, 0);
    worker *w = start_worker(sb); /* Lucky Shrub's own */
    graph_options gb = {.base_url = sandbox_base_url(sb),
                        .app_id = SANDBOX_APP_B_ID,
                        .token = SANDBOX_TOKEN_B,
                        .max_retries = -1};
    graph_options gx = gb;
    gx.app_id = "123456789012345";
    gx.token = SANDBOX_TOKEN_EXPIRED;
    graph_error err;
    unsigned long b = worker_add_identity(w, &gb, &err);
    unsigned long x = worker_add_identity(w, &gx, &err);
    assert_true(b > 0 && x > 0 && b != x);

    /* The same listing as two apps: each sees its own solutions, B's all name B. */
    size_t n_own = 0, n_b = 0, n_x = 0;
    worker_result *r = run_as(w, 0, graph_op_list_solutions(NULL), &n_own);
    assert_int_equal(r->error.cls, GRAPH_OK);
    worker_result_free(r);
    assert_int_equal(n_own, BUILTIN_FOR_A);
    unsigned long job = worker_submit_as(w, b, graph_op_list_solutions(NULL), 1, 5);
    for (;;) {
        r = next_result(w, 10000);
        assert_non_null(r);
        assert_int_equal(r->job, job);
        assert_int_equal(r->identity, b);
        for (size_t i = 0; i < r->data.solution_count; i++)
            assert_true(party_to(r->data.solutions[i], SANDBOX_APP_B_ID));
        n_b += r->data.solution_count;
        if (r->done)
            break;
        worker_result_free(r);
    }
    assert_int_equal(r->error.cls, GRAPH_OK);
    worker_result_free(r);
    assert_true(n_b > 0);

    /* The expired identity fails as itself; the others are untouched by it. */
    r = run_as(w, x, graph_op_list_solutions(NULL), &n_x);
    assert_int_equal(r->error.cls, GRAPH_ERR_TOKEN);
    worker_result_free(r);

    /* An identity never added sends nothing and says so. */
    r = run_as(w, 99, graph_op_get_solution("795033096057724"), &n_x);
    assert_int_equal(r->error.cls, GRAPH_ERR_USAGE);
    worker_result_free(r);
    assert_int_equal(worker_pending(w), 0);

    /* Refused options make no identity. */
    graph_options bad = gb;
    bad.base_url = "ftp://example.com";
    assert_int_equal(worker_add_identity(w, &bad, &err), 0);
    assert_int_equal(err.cls, GRAPH_ERR_USAGE);
    worker_free(w); /* frees the shared clients before the engine: ASan checks */
}

/* ---- tasks ------------------------------------------------------------------------------- */

typedef struct task_ctx {
    pthread_t caller;
    bool other_thread;   /* run on a thread that is not the caller's */
    atomic_bool release; /* a held task waits for it (or a stop) */
    bool saw_stop;
    int *freed; /* discard counts here */
} task_ctx;

static void held_task(void *arg, const worker_task *t)
{
    task_ctx *c = arg;
    c->other_thread = !pthread_equal(pthread_self(), c->caller);
    while (!atomic_load(&c->release)) {
        if (worker_task_stopping(t)) {
            c->saw_stop = true;
            return;
        }
        struct timespec step = {0, 5 * 1000 * 1000};
        nanosleep(&step, NULL);
    }
}

static void discard_ctx(void *arg)
{
    task_ctx *c = arg;
    (*c->freed)++;
    free(c);
}

static task_ctx *new_ctx(int *freed)
{
    task_ctx *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->caller = pthread_self();
    atomic_init(&c->release, false);
    c->freed = freed;
    return c;
}

/* A task (reading a file, say) runs on a thread of its own: a list load submitted after it
 * completes while the task is still held, and the task's ctx comes back in its result. */
static void task_runs_beside_requests_and_hands_its_ctx_back(void **state)
{
    (void)state;
    sb = start_sandbox(0, 0);
    worker *w = start_worker(sb);
    int freed = 0;
    task_ctx *c = new_ctx(&freed);
    unsigned long tj = worker_submit_task(w, held_task, c, discard_ctx, 5, 9);
    unsigned long lj = worker_submit(w, graph_op_list_solutions(NULL), 6, 1);
    assert_int_equal(worker_pending(w), 2);
    worker_result *r;
    while ((r = next_result(w, 10000)) && !r->done)
        worker_result_free(r);
    assert_non_null(r);
    assert_int_equal(r->job, lj);
    assert_int_equal(r->error.cls, GRAPH_OK);
    assert_false(r->task);
    worker_result_free(r);
    assert_int_equal(worker_pending(w), 1);

    atomic_store(&c->release, true);
    r = next_result(w, 10000);
    assert_non_null(r);
    assert_int_equal(r->job, tj);
    assert_int_equal(r->generation, 5);
    assert_int_equal(r->tag, 9);
    assert_true(r->done);
    assert_true(r->task);
    assert_int_equal(r->error.cls, GRAPH_OK);
    assert_ptr_equal(r->task_ctx, c);
    assert_true(c->other_thread);
    r->task_ctx = NULL; /* taken */
    worker_result_free(r);
    assert_int_equal(freed, 0);
    assert_int_equal(worker_pending(w), 0);
    free(c);
    worker_free(w);
}

/* Cancelled by id or by generation, a task ends as cancelled; a ctx nobody takes is discarded. */
static void task_stops_when_cancelled(void **state)
{
    (void)state;
    sb = start_sandbox(0, 0);
    worker *w = start_worker(sb);
    int freed = 0;
    task_ctx *a = new_ctx(&freed), *b = new_ctx(&freed), *keep = new_ctx(&freed);
    unsigned long ja = worker_submit_task(w, held_task, a, discard_ctx, 1, 1);
    unsigned long jb = worker_submit_task(w, held_task, b, discard_ctx, 2, 1);
    unsigned long jk = worker_submit_task(w, held_task, keep, discard_ctx, 3, 1);
    worker_cancel(w, ja);
    worker_cancel_older(w, 3);
    for (int i = 0; i < 2; i++) {
        worker_result *r = next_result(w, 10000);
        assert_non_null(r);
        assert_true(r->job == ja || r->job == jb);
        assert_int_equal(r->error.cls, GRAPH_ERR_CANCELLED);
        assert_true(((task_ctx *)r->task_ctx)->saw_stop);
        worker_result_free(r); /* ctx not taken: discarded */
    }
    assert_int_equal(freed, 2);
    /* the newer one was not stopped */
    assert_null(next_result(w, 200));
    atomic_store(&keep->release, true);
    worker_result *r = next_result(w, 10000);
    assert_non_null(r);
    assert_int_equal(r->job, jk);
    assert_int_equal(r->error.cls, GRAPH_OK);
    worker_result_free(r);
    assert_int_equal(freed, 3);
    worker_free(w);
}

/* Quitting stops and joins a task still running and discards its ctx (ASan: nothing leaks). */
static void quit_stops_a_running_task(void **state)
{
    (void)state;
    sb = start_sandbox(0, 0);
    worker *w = start_worker(sb);
    int freed = 0;
    worker_submit_task(w, held_task, new_ctx(&freed), discard_ctx, 1, 1);
    double start = now_s();
    worker_free(w);
    assert_true(now_s() - start < 2.0);
    assert_int_equal(freed, 1);
}

static void bad_options_fail_with_a_reason(void **state)
{
    (void)state;
    graph_options go = {.base_url = "ftp://example.com", .app_id = "1", .token = "t"};
    graph_error err;
    assert_null(worker_new(&go, &err));
    assert_int_equal(err.cls, GRAPH_ERR_USAGE);
    assert_true(err.message[0] != '\0');
    worker_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(list_arrives_page_by_page_with_generation_and_tag, teardown),
        cmocka_unit_test_teardown(fd_is_readable_only_while_results_wait, teardown),
        cmocka_unit_test_teardown(several_jobs_run_at_once, teardown),
        cmocka_unit_test_teardown(cancel_ends_a_job_as_cancelled, teardown),
        cmocka_unit_test_teardown(cancel_older_stops_only_older_generations, teardown),
        cmocka_unit_test_teardown(quit_with_requests_in_flight_is_prompt, teardown),
        cmocka_unit_test_teardown(unread_results_are_freed_with_the_worker, teardown),
        cmocka_unit_test_teardown(action_result_holds_the_state_after, teardown),
        cmocka_unit_test_teardown(a_retry_is_posted_as_progress, teardown),
        cmocka_unit_test_teardown(identities_run_under_their_own_token, teardown),
        cmocka_unit_test_teardown(task_runs_beside_requests_and_hands_its_ctx_back, teardown),
        cmocka_unit_test_teardown(task_stops_when_cancelled, teardown),
        cmocka_unit_test_teardown(quit_stops_a_running_task, teardown),
        cmocka_unit_test(bad_options_fail_with_a_reason),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
