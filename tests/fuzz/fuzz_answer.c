/* Fuzz harness for the graph client's whole answer path: libcurl's reading of status lines,
 * headers and bodies (chunked, gzip, cut short), the header callbacks (Retry-After, usage), the
 * error classification, retries, paging with its guard, the partners fallbacks, the POST with its
 * read-back, the parsers and the redacted trace.
 *
 * The input is what a server answers to one operation. Its first byte picks the operation; the
 * rest is split at each ANSWER_SEP line into the raw bytes sent on the 1st, 2nd... connection.
 * The fake transport is a loopback listener served from this thread between polls of the
 * client's engine: each new connection gets the next answer, then end of stream (a connection
 * with no answer left gets end of stream at once). "127.0.0.1:00000" in an answer becomes the
 * listener's address (same length), so paging links can point back at it. What the client sent
 * is read back to count its POSTs.
 *
 * Properties: the operation ends (no hang); an operation sends at most one mutating POST, none
 * when it says it posted none; every error and result text is safe to print; the access token
 * is in no error, no result and not in the trace. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "mpsdash/model.h"
#include "mpsdash/state.h"

#define ANSWER_SEP "\n--next-answer--\n"
#define MAX_CONNS 64
/* No operation may take this much of the thread's CPU against answers already sent in full. CPU
 * time, not wall time: the loop below polls without waiting, so a hang burns it, while a loaded
 * machine (which only delays the thread) does not. */
#define HANG_S 20

static const char token[] = "EAAFuzzAnswerPathToken0123456789abcdefSECRET";
static const char expected_json[] =
    "{\"id\":\"1234\",\"name\":\"Fuzz\",\"status\":\"INITIATED\","
    "\"status_for_pending_request\":\"PENDING_ACTIVATION\","
    "\"owner_app\":{\"id\":\"42\",\"name\":\"Owner\"},\"owner_permissions\":[\"MANAGE\"],"
    "\"partners\":{\"data\":[{\"id\":\"77\",\"status\":\"NOTIFICATION_SENT\","
    "\"partner_app\":{\"id\":\"21\",\"name\":\"Us\"},\"partner_permissions\":[\"DEVELOP\"]}]}}";

#define ADDR_PLACEHOLDER "127.0.0.1:00000"

static int listener = -1;
static char base_url[64];
static char addr[sizeof ADDR_PLACEHOLDER];
static char trace_path[64];
static int trace_fd = -1;
static mps_solution *expected;
static bool verbose;

static void remove_trace(void)
{
    unlink(trace_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setlocale(LC_ALL, "");
    CHECK(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK);
    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    CHECK(listener >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    CHECK(bind(listener, (struct sockaddr *)&a, sizeof a) == 0);
    CHECK(listen(listener, MAX_CONNS) == 0);
    CHECK(getsockname(listener, (struct sockaddr *)&a, &alen) == 0);
    unsigned port = ntohs(a.sin_port);
    CHECK(port <= 99999);
    snprintf(addr, sizeof addr, "127.0.0.1:%05u", port);
    snprintf(base_url, sizeof base_url, "http://%s", addr);
    verbose = getenv("FUZZ_ANSWER_VERBOSE") != NULL;
    /* In memory where there is /dev/shm: truncating a file on disk before every run cost more
     * than the run. (Not a /proc/self/fd link: the client never opens a trace through a link.) */
    snprintf(trace_path, sizeof trace_path, "%s/mpsdash-fuzz-trace-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    trace_fd = mkstemp(trace_path);
    CHECK(trace_fd >= 0);
    atexit(remove_trace);
    graph_parse_limits lim = {.max_bytes = 1 << 20, .max_depth = 32};
    graph_error err;
    CHECK(graph_parse_solution(expected_json, strlen(expected_json), &lim, &expected, &err));
    return 0;
}

/* ---- the fake server -------------------------------------------------------------------- */

typedef struct served {
    int fd[MAX_CONNS];
    size_t count;
    const uint8_t *answers; /* the input after the selector byte */
    size_t len;
    size_t pos; /* where the next answer starts; len + 1 when none is left */
    long posts; /* mutating POSTs the client sent (not the root's batch) */
} served;

/* The next answer, or NULL when none is left. */
static const uint8_t *next_answer(served *s, size_t *n)
{
    if (s->pos > s->len)
        return NULL;
    const uint8_t *start = s->answers + s->pos;
    size_t left = s->len - s->pos;
    const uint8_t *sep = memmem(start, left, ANSWER_SEP, strlen(ANSWER_SEP));
    *n = sep ? (size_t)(sep - start) : left;
    s->pos = sep ? s->pos + *n + strlen(ANSWER_SEP) : s->len + 1;
    return start;
}

static void serve_new_connections(served *s)
{
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        size_t n = 0;
        const uint8_t *at = next_answer(s, &n);
        uint8_t *copy = NULL;
        if (at && n > 0) {
            copy = malloc(n);
            CHECK(copy != NULL);
            memcpy(copy, at, n);
            size_t plen = strlen(ADDR_PLACEHOLDER);
            for (uint8_t *p = copy; (p = memmem(p, n - (size_t)(p - copy), ADDR_PLACEHOLDER, plen));
                 p += plen)
                memcpy(p, addr, plen);
        }
        const uint8_t *answer = copy;
        /* Large enough for any answer of -max_len; what does not fit is an answer cut short. */
        int big = 1 << 20;
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
        while (answer && n > 0) {
            ssize_t w = send(fd, answer, n, MSG_NOSIGNAL);
            if (w <= 0)
                break;
            answer += w;
            n -= (size_t)w;
        }
        free(copy);
        shutdown(fd, SHUT_WR);
        if (s->count == MAX_CONNS) {
            close(fd);
            continue;
        }
        s->fd[s->count++] = fd;
    }
}

/* Reads what the client sent on each connection and counts its mutating POSTs,
 * then closes them without TIME_WAIT (a million runs must not use up loopback ports). */
static void close_connections(served *s)
{
    for (size_t i = 0; i < s->count; i++) {
        char buf[65536];
        size_t len = 0;
        ssize_t r;
        while (len < sizeof buf - 1 && (r = recv(s->fd[i], buf + len, sizeof buf - 1 - len, 0)) > 0)
            len += (size_t)r;
        buf[len] = '\0';
        /* A request line starts the stream or follows the previous request's headers or
         * JSON body (a batch's form body goes to the root, which is not counted anyway). */
        for (const char *p = strstr(buf, "POST /"); p; p = strstr(p + 1, "POST /"))
            if ((p == buf || p[-1] == '\n' || p[-1] == '}') && !(p[6] == ' ' || p[6] == '?'))
                s->posts++;
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        setsockopt(s->fd[i], SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close(s->fd[i]);
    }
    s->count = 0;
}

/* ---- the operation -------------------------------------------------------------------- */

static graph_op *make_op(uint8_t pick)
{
    switch (pick % 12) {
    case 0:
        return graph_op_list_solutions(NULL);
    case 1:
        return graph_op_list_solutions("PARTNER");
    case 2:
        return graph_op_get_solution("1234");
    case 3:
        return graph_op_partners("1234");
    case 4:
        return graph_op_action(ACTION_ACCEPT, "1234", expected);
    case 5: {
        graph_op *op = graph_op_action(ACTION_REJECT, "1234", NULL);
        graph_op_set_reason(op, "not ours");
        return op;
    }
    case 6: {
        strlist owner = {0}, partner = {0};
        strlist_push(&owner, "MANAGE");
        strlist_push(&partner, "DEVELOP");
        graph_op *op = graph_op_create(NULL, "Fuzz solution", "21", &owner, &partner);
        strlist_clear(&owner);
        strlist_clear(&partner);
        return op;
    }
    case 7: {
        strlist ids = {0};
        strlist_push(&ids, "555");
        graph_op *op = graph_op_client_wabas("999", &ids);
        strlist_clear(&ids);
        return op;
    }
    case 8:
        return graph_op_waba_solutions("888");
    case 9:
        return graph_op_business_token("1234", "999");
    case 10:
        return graph_op_app_details();
    default:
        return graph_op_app(NULL);
    }
}

static bool mutates(uint8_t pick)
{
    int k = pick % 12;
    return k == 4 || k == 5 || k == 6;
}

static void check_no_token(const char *s)
{
    CHECK(!s || !strstr(s, token));
}

static void check_solution_out(const mps_solution *s)
{
    check_solution(s);
    check_no_token(s->name);
    check_no_token(s->json);
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check_trace(void)
{
    char buf[65536 + 1];
    off_t at = 0;
    ssize_t r;
    /* overlapping windows, so a token across a window's end is still seen */
    while ((r = pread(trace_fd, buf, sizeof buf - 1, at)) > 0) {
        buf[r] = '\0';
        CHECK(memmem(buf, (size_t)r, token, strlen(token)) == NULL);
        if ((size_t)r < sizeof buf - 1)
            break;
        at += r - (off_t)strlen(token);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    CHECK(ftruncate(trace_fd, 0) == 0);
    served s = {.answers = data + 1, .len = size - 1};
    graph_options o = {
        .base_url = base_url,
        .app_id = "21",
        .token = token,
        .app_secret = "fuzz-app-secret",
        .trace_path = trace_path,
        .connect_timeout_ms = 2000,
        .request_timeout_ms = 5000,
        .body_cap = 1 << 20,
        .json_depth = 32,
        .max_retries = 2,
        .backoff_base_ms = 1,
        .backoff_cap_ms = 2,
        .max_pages = 16,
        .max_items = 4096,
        .max_paged_bytes = 4 << 20,
    };
    graph_error err;
    graph_client *c = graph_client_new(&o, &err);
    CHECK(c != NULL);
    graph_op *op = make_op(data[0]);
    graph_client_start(c, op);
    double start = cpu_s();
    while (!graph_op_is_done(op)) {
        graph_client_poll(c, 0);
        serve_new_connections(&s);
        while (graph_client_next_event(c)) {
            mps_solution **page = NULL;
            size_t n = graph_op_take_page(op, &page);
            for (size_t i = 0; i < n; i++) {
                check_solution_out(page[i]);
                solution_free(page[i]);
            }
            free(page);
        }
        CHECK(cpu_s() - start < HANG_S);
    }

    const graph_error *e = graph_op_error(op);
    check_error(e);
    check_no_token(e->message);
    check_no_token(e->hint);
    check_no_token(e->fbtrace_id);
    graph_result *r = graph_op_result(op);
    for (size_t i = 0; i < r->solution_count; i++)
        if (r->solutions[i])
            check_solution_out(r->solutions[i]);
    for (size_t i = 0; i < r->partner_count; i++)
        check_partner(&r->partners[i]);
    for (size_t i = 0; i < r->waba_count; i++)
        check_waba(&r->wabas[i]);
    for (size_t i = 0; i < r->app_count; i++)
        check_app(&r->apps[i]);
    check_text(r->created_id);
    if (r->changes) { /* one change a line: each line safe */
        char *copy = strdup(r->changes), *save = NULL;
        CHECK(copy != NULL);
        for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            check_text(l);
        free(copy);
    }
    bool posted = r->posted;
    if (verbose) { /* FUZZ_ANSWER_VERBOSE=1: what each input did, to check seeds do what they say */
        char line[1024];
        graph_error_format(e, line, sizeof line);
        fprintf(stderr, "op %d: %d requests, %d pages, posted %d, %zu solutions: %s\n",
                data[0] % 12, r->requests, r->pages, posted, r->solution_count,
                e->cls == GRAPH_OK ? "ok" : line);
    }

    graph_op_free(op);
    graph_client_free(c); /* flushes the trace */
    serve_new_connections(&s);
    close_connections(&s);
    CHECK(s.posts <= 1);                     /* a POST is never sent twice */
    CHECK(posted || s.posts == 0);           /* nor sent without the op knowing */
    CHECK(mutates(data[0]) || s.posts == 0); /* and only by an op that mutates */
    check_trace();
    return 0;
}
