/* Deliveries per second the webhook receiver sustains with signature checking: the receiver runs
 * in this process (as `mpsdash webhook serve` runs it: HMAC check, strict JSON, replay memory,
 * appender thread with fdatasync per batch), and a libcurl multi client keeps C connections
 * alive and POSTs N distinct signed account_update deliveries (signed before the clock starts).
 * Prints deliveries/s for the answers and for the lines on disk.
 *   bench_webhook [N=20000] [C=8] [--no-fsync] */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mpsdash/graph.h"
#include "mpsdash/webhook.h"

#define SECRET "bench-app-secret"

typedef struct item {
    char *body;
    struct curl_slist *headers;
} item;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t discard(char *p, size_t s, size_t n, void *u)
{
    return s * n;
}

static void start(CURLM *m, CURL *e, const char *url, item *it, long index)
{
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, it->headers);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, it->body);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)index);
    curl_multi_add_handle(m, e);
}

int main(int argc, char **argv)
{
    long n = 20000, conns = 8;
    bool no_fsync = false;
    int pos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-fsync") == 0)
            no_fsync = true;
        else if (pos++ == 0)
            n = atol(argv[i]);
        else
            conns = atol(argv[i]);
    }
    if (n < 1 || conns < 1) {
        fprintf(stderr, "usage: bench_webhook [N] [C] [--no-fsync]\n");
        return 2;
    }
    char dir[] = "/tmp/mpsdash-bench-webhook-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char path[128];
    snprintf(path, sizeof path, "%s/events.jsonl", dir);

    item *items = calloc((size_t)n, sizeof *items);
    for (long i = 0; i < n; i++) {
        char body[1024];
        snprintf(body, sizeof body,
                 "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"506914307656634\","
                 "\"time\":1795392000,\"changes\":[{\"value\":{\"event\":\"PARTNER_ADDED\","
                 "\"waba_info\":{\"waba_id\":\"1023%011ld\",\"owner_business_id\":"
                 "\"6143763655652543\",\"solution_id\":\"303610109049230\","
                 "\"solution_partner_business_ids\":[\"506914307656634\",\"520744086200222\"]}},"
                 "\"field\":\"account_update\"}]}]}",
                 i);
        char hex[65], hdr[100];
        graph_hmac_sha256_hex(SECRET, body, strlen(body), hex);
        snprintf(hdr, sizeof hdr, "X-Hub-Signature-256: sha256=%s", hex);
        items[i].body = strdup(body);
        items[i].headers = curl_slist_append(NULL, "Content-Type: application/json");
        items[i].headers = curl_slist_append(items[i].headers, hdr);
    }

    char err[512];
    webhook_options o = {.app_secret = SECRET,
                         .verify_token = "bench",
                         .events_path = path,
                         .rotate_size = -1,
                         .no_fsync = no_fsync};
    webhook_server *s = webhook_start(&o, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bench_webhook: %s\n", err);
        return 1;
    }
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/webhook", webhook_port(s));

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *m = curl_multi_init();
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, conns);
    CURL **easy = calloc((size_t)conns, sizeof *easy);
    long next = 0, done = 0, ok = 0, connects = 0;
    double t0 = now_s();
    for (long c = 0; c < conns && next < n; c++, next++) {
        easy[c] = curl_easy_init();
        start(m, easy[c], url, &items[next], next);
    }
    while (done < n) {
        int running = 0;
        curl_multi_perform(m, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            CURL *e = msg->easy_handle;
            long code = 0;
            curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
            long k = 0;
            curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &k); /* new connections this transfer */
            connects += k;
            ok += msg->data.result == CURLE_OK && code == 200;
            done++;
            curl_multi_remove_handle(m, e);
            /* The same easy handle again: its connection is kept alive and reused. */
            if (next < n) {
                start(m, e, url, &items[next], next);
                next++;
            }
        }
        if (done < n)
            curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    double answered = now_s() - t0;
    webhook_stats st;
    webhook_stop(s, &st); /* returns once every line is on disk */
    double written = now_s() - t0;
    for (long c = 0; c < conns; c++)
        curl_easy_cleanup(easy[c]);
    curl_multi_cleanup(m);
    curl_global_cleanup();

    printf("webhook receiver, %ld signed deliveries over %ld keep-alive connections%s:\n", n, conns,
           no_fsync ? " (--no-fsync)" : " (fdatasync per batch)");
    printf("  answered 200: %ld of %ld in %.2f s = %.0f deliveries/s\n", ok, n, answered,
           (double)ok / answered);
    printf("  written:      %lu lines in %.2f s = %.0f deliveries/s\n", st.written, written,
           (double)st.written / written);
    printf("  refused %lu, write errors %lu, connections opened by the client: %ld\n",
           st.unsigned_ + st.bad_signature + st.malformed + st.oversized + st.slow + st.overloaded,
           st.write_errors, connects);

    for (long i = 0; i < n; i++) {
        free(items[i].body);
        curl_slist_free_all(items[i].headers);
    }
    free(items);
    free(easy);
    unlink(path);
    rmdir(dir);
    return ok == n && (long)st.written == n ? 0 : 1;
}
