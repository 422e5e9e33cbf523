/* The sandbox over real HTTP (libcurl easy): endpoints, the state machine, paging, faults, logs. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>
#include <cmocka.h>

#include "mpsdash/sandbox.h"

#define V "/v25.0"

/* ---- helpers ---- */

typedef struct resp {
    CURLcode rc;
    long status;
    char *body;
    size_t len;
    char *headers;
    size_t hlen;
    double secs;
} resp;

typedef struct sink {
    char *p;
    size_t len, cap;
} sink;

/* Grows by doubling: an 8 MiB answer in 16 KiB pieces would otherwise be copied 512 times
 * (gigabytes under ASan, whose realloc always copies). */
static size_t collect(char *p, size_t size, size_t n, void *userdata)
{
    sink *s = userdata;
    size_t add = size * n;
    if (s->len + add + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + add + 1)
            cap *= 2;
        char *nb = realloc(s->p, cap);
        assert_non_null(nb);
        s->p = nb;
        s->cap = cap;
    }
    memcpy(s->p + s->len, p, add);
    s->len += add;
    s->p[s->len] = '\0';
    return add;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One request; path is relative to the sandbox ("" + path) unless it starts with http. */
static resp http_ex(sandbox *sb, const char *method, const char *path, const char *token,
                    const char *body, const char *ctype, long timeout_ms)
{
    resp r = {0};
    sink b = {0}, h = {0};
    char url[4096];
    if (strncmp(path, "http", 4) == 0)
        snprintf(url, sizeof url, "%s", path);
    else
        snprintf(url, sizeof url, "%s%s", sandbox_base_url(sb), path);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    struct curl_slist *hdrs = NULL;
    char auth[256], ct[128];
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hdrs = curl_slist_append(hdrs, auth);
    }
    if (ctype) {
        snprintf(ct, sizeof ct, "Content-Type: %s", ctype);
        hdrs = curl_slist_append(hdrs, ct);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms ? timeout_ms : 20000L);
    if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
    }
    double t0 = now_s();
    r.rc = curl_easy_perform(c);
    r.secs = now_s() - t0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_easy_cleanup(c);
    curl_slist_free_all(hdrs);
    r.body = b.p ? b.p : strdup("");
    r.len = b.len;
    r.headers = h.p ? h.p : strdup("");
    r.hlen = h.len;
    return r;
}

static resp http(sandbox *sb, const char *method, const char *path, const char *token,
                 const char *body)
{
    return http_ex(sb, method, path, token, body, NULL, 0);
}

static void resp_free(resp *r)
{
    free(r->body);
    free(r->headers);
}

static json_object *parse(const resp *r)
{
    json_object *o = json_tokener_parse(r->body);
    if (!o)
        fail_msg("not JSON (HTTP %ld, curl %d): %.200s", r->status, r->rc, r->body);
    return o;
}

/* Follows "a.b.0.c" through objects and arrays. */
static json_object *jget(json_object *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ".", &save); tok && o; tok = strtok_r(NULL, ".", &save)) {
        if (json_object_is_type(o, json_type_array)) {
            char *end;
            long i = strtol(tok, &end, 10);
            o = *end || i < 0 || (size_t)i >= json_object_array_length(o)
                    ? NULL
                    : json_object_array_get_idx(o, (size_t)i);
        } else if (!json_object_object_get_ex(o, tok, &o)) {
            o = NULL;
        }
    }
    return o;
}

static const char *jstr(json_object *o, const char *path)
{
    json_object *v = jget(o, path);
    return v ? json_object_get_string(v) : NULL;
}

static int jint(json_object *o, const char *path)
{
    json_object *v = jget(o, path);
    return v ? json_object_get_int(v) : -1;
}

static size_t jlen(json_object *o, const char *path)
{
    json_object *v = path ? jget(o, path) : o;
    return v && json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
}

static sandbox *start(const sandbox_options *o)
{
    char err[256] = "";
    sandbox_options none = {0};
    sandbox *sb = sandbox_start(o ? o : &none, err, sizeof err);
    if (!sb)
        fail_msg("sandbox_start: %s", err);
    return sb;
}

/* Expects a Graph error with this HTTP status and code. */
static json_object *expect_error(resp *r, long status, int code)
{
    json_object *o = parse(r);
    if (r->status != status || jint(o, "error.code") != code)
        fail_msg("expected HTTP %ld code %d, got %ld: %s", status, code, r->status, r->body);
    assert_non_null(jstr(o, "error.message"));
    assert_non_null(jstr(o, "error.fbtrace_id"));
    assert_int_equal(strncmp(jstr(o, "error.fbtrace_id"), "SBX", 3), 0);
    return o;
}

static json_object *get_ok(sandbox *sb, const char *path, const char *token)
{
    resp r = http(sb, "GET", path, token, NULL);
    if (r.status != 200)
        fail_msg("GET %s: HTTP %ld %s", path, r.status, r.body);
    json_object *o = parse(&r);
    resp_free(&r);
    return o;
}

static void post_ok(sandbox *sb, const char *path, const char *token)
{
    resp r = http(sb, "POST", path, token, NULL);
    if (r.status != 200)
        fail_msg("POST %s: HTTP %ld %s", path, r.status, r.body);
    json_object *o = parse(&r);
    assert_true(json_object_get_boolean(jget(o, "success")));
    json_object_put(o);
    resp_free(&r);
}

static void control(sandbox *sb, const char *method, const char *what, const char *json)
{
    char path[128];
    snprintf(path, sizeof path, "/__sandbox/%s", what);
    resp r = http_ex(sb, method, path, NULL, json, "application/json", 0);
    if (r.status != 200)
        fail_msg("control %s: HTTP %ld %s", what, r.status, r.body);
    resp_free(&r);
}

static json_object *solution(sandbox *sb, const char *id, const char *token)
{
    char path[256];
    snprintf(path, sizeof path,
             V "/%s?fields=id,name,status,status_for_pending_request,owner_app,"
               "owner_permissions,partners%%7Bid,status,partner_app,partner_permissions%%7D",
             id);
    return get_ok(sb, path, token);
}

static char *tmp_path(const char *tag)
{
    char *p = malloc(128);
    snprintf(p, 128, "/tmp/mpsdash-test-sandbox-%s-%ld-%d", tag, (long)getpid(), rand());
    unlink(p);
    return p;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return strdup("");
    sink s = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        collect(buf, 1, n, &s);
    fclose(f);
    return s.p ? s.p : strdup("");
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static bool has_header(const resp *r, const char *needle)
{
    return strcasestr(r->headers, needle) != NULL;
}

/* ---- binding ---- */

static void binds_loopback_only(void **state)
{
    sandbox *sb = start(NULL);
    char want[64];
    snprintf(want, sizeof want, "http://127.0.0.1:%d", sandbox_port(sb));
    assert_string_equal(sandbox_base_url(sb), want);
    /* the kernel's table of listening sockets names 127.0.0.1 (0100007F) for our port */
    FILE *f = fopen("/proc/net/tcp", "r");
    assert_non_null(f);
    char line[512], needle[32];
    snprintf(needle, sizeof needle, ":%04X", sandbox_port(sb));
    bool found = false;
    while (fgets(line, sizeof line, f)) {
        unsigned addr, port, st;
        if (sscanf(line, " %*d: %8X:%4X %*8X:%*4X %2X", &addr, &port, &st) == 3 &&
            (int)port == sandbox_port(sb) && st == 0x0A) {
            assert_int_equal(addr, 0x0100007F);
            found = true;
        }
    }
    fclose(f);
    assert_true(found);
    /* and there is no IPv6 listener on the port either */
    f = fopen("/proc/net/tcp6", "r");
    if (f) {
        while (fgets(line, sizeof line, f)) {
            unsigned port, st;
            if (sscanf(line, " %*d: %*32[0-9A-F]:%4X %*32[0-9A-F]:%*4X %2X", &port, &st) == 2)
                assert_false((int)port == sandbox_port(sb) && st == 0x0A);
        }
        fclose(f);
    }
    sandbox_stop(sb);
}

static void port_in_use_is_an_error(void **state)
{
    sandbox *sb = start(NULL);
    sandbox_options o = {.port = sandbox_port(sb)};
    char err[256] = "";
    assert_null(sandbox_start(&o, err, sizeof err));
    assert_non_null(strstr(err, "127.0.0.1"));
    sandbox_stop(sb);
}

/* ---- auth ---- */

static void missing_token_refused(void **state)
{
    sandbox *sb = start(NULL);
    resp r = http(sb, "GET", V "/21202248997039/whatsapp_business_solutions", NULL, NULL);
    json_object_put(expect_error(&r, 400, 104));
    resp_free(&r);
    sandbox_stop(sb);
}

static void token_in_query_refused_and_not_logged(void **state)
{
    char *log = tmp_path("log");
    sandbox_options o = {.request_log_path = log};
    sandbox *sb = start(&o);
    resp r = http(sb, "GET",
                  V "/21202248997039/whatsapp_business_solutions?access_token=" SANDBOX_TOKEN_A,
                  SANDBOX_TOKEN_A, NULL);
    json_object *e = expect_error(&r, 400, 100);
    assert_non_null(strstr(jstr(e, "error.message"), "Authorization header"));
    json_object_put(e);
    resp_free(&r);
    resp l = http(sb, "GET", "/__sandbox/log", NULL, NULL);
    assert_null(strstr(l.body, SANDBOX_TOKEN_A));
    assert_non_null(strstr(l.body, "access_token"));
    resp_free(&l);
    sandbox_stop(sb);
    char *text = slurp(log);
    assert_true(count_lines(text) == 1);
    assert_null(strstr(text, SANDBOX_TOKEN_A));
    free(text);
    unlink(log);
    free(log);
}

static void expired_token_is_190_463(void **state)
{
    sandbox *sb = start(NULL);
    resp r = http(sb, "GET", V "/21202248997039/whatsapp_business_solutions", SANDBOX_TOKEN_EXPIRED,
                  NULL);
    json_object *e = expect_error(&r, 400, 190);
    assert_int_equal(jint(e, "error.error_subcode"), 463);
    assert_string_equal(jstr(e, "error.type"), "OAuthException");
    json_object_put(e);
    resp_free(&r);
    sandbox_stop(sb);
}

static void unknown_token_is_190_467(void **state)
{
    sandbox *sb = start(NULL);
    resp r = http(sb, "GET", V "/me", "EAAGnotarealtoken", NULL);
    json_object *e = expect_error(&r, 400, 190);
    assert_int_equal(jint(e, "error.error_subcode"), 467);
    json_object_put(e);
    resp_free(&r);
    sandbox_stop(sb);
}

/* ---- listing and paging ---- */

static json_object *find_by_id(json_object *data, const char *id)
{
    for (size_t i = 0; i < jlen(data, NULL); i++)
        if (strcmp(jstr(json_object_array_get_idx(data, i), "id"), id) == 0)
            return json_object_array_get_idx(data, i);
    return NULL;
}

static void list_default_fields_are_the_guides(void **state)
{
    sandbox *sb = start(NULL);
    json_object *o =
        get_ok(sb, V "/21202248997039/whatsapp_business_solutions?limit=100", SANDBOX_TOKEN_A);
    json_object *data = jget(o, "data");
    assert_true(jlen(data, NULL) >= 40);
    json_object *s = find_by_id(data, "19702253086782");
    assert_non_null(s);
    assert_string_equal(jstr(s, "name"), "Social OVD with Lucky Shrub");
    assert_string_equal(jstr(s, "status"), "INITIATED");
    assert_string_equal(jstr(s, "status_for_pending_request"), "PENDING_ACTIVATION");
    assert_int_equal(json_object_object_length(s), 4);
    s = find_by_id(data, "17602267745700");
    assert_string_equal(jstr(s, "status"), "ACTIVE");
    assert_string_equal(jstr(s, "status_for_pending_request"), "NONE");
    /* a solution between two other apps is not Lucky Shrub's to see */
    assert_null(find_by_id(data, "440100000000044"));
    json_object_put(o);
    sandbox_stop(sb);
}

static void list_has_every_state_and_unknown_values(void **state)
{
    sandbox *sb = start(NULL);
    json_object *o = get_ok(sb,
                            V "/21202248997039/whatsapp_business_solutions?limit=100&fields=status,"
                              "status_for_pending_request,owner_permissions,partners",
                            SANDBOX_TOKEN_A);
    const char *want[] = {"INITIATED", "PENDING",     "ACTIVE",      "DRAFT",
                          "REJECTED",  "DEACTIVATED", "UNDER_REVIEW"};
    bool seen[7] = {0}, pending_deact = false, flows = false;
    json_object *data = jget(o, "data");
    for (size_t i = 0; i < jlen(data, NULL); i++) {
        json_object *s = json_object_array_get_idx(data, i);
        for (size_t k = 0; k < 7; k++)
            seen[k] = seen[k] || strcmp(jstr(s, "status"), want[k]) == 0;
        pending_deact = pending_deact ||
                        strcmp(jstr(s, "status_for_pending_request"), "PENDING_DEACTIVATION") == 0;
        json_object *perms = jget(s, "owner_permissions");
        for (size_t k = 0; k < jlen(perms, NULL); k++)
            flows = flows || strcmp(json_object_get_string(json_object_array_get_idx(perms, k)),
                                    "MANAGE_FLOWS") == 0;
    }
    for (size_t k = 0; k < 7; k++)
        if (!seen[k])
            fail_msg("no solution in state %s", want[k]);
    assert_true(pending_deact);
    assert_true(flows);
    json_object_put(o);
    sandbox_stop(sb);
}

/* Walks paging.next to the end; returns the page sizes. */
static size_t walk_pages(sandbox *sb, const char *first, const char *token, size_t *sizes,
                         size_t max_pages)
{
    char *url = strdup(first);
    size_t pages = 0;
    while (url && pages < max_pages) {
        json_object *o = get_ok(sb, url, token);
        sizes[pages++] = jlen(o, "data");
        const char *next = jstr(o, "paging.next");
        free(url);
        url = NULL;
        if (next) {
            char prefix[64];
            snprintf(prefix, sizeof prefix, "%s/", sandbox_base_url(sb));
            assert_int_equal(strncmp(next, prefix, strlen(prefix)), 0);
            url = strdup(next);
        }
        json_object_put(o);
    }
    free(url);
    return pages;
}

static void paging_250_solutions_is_three_pages_of_100(void **state)
{
    char *scenario = tmp_path("scenario");
    FILE *f = fopen(scenario, "w");
    fputs("{\"solutions\":[]}", f);
    fclose(f);
    sandbox_options o = {.scenario_path = scenario, .extra_solutions = 250};
    sandbox *sb = start(&o);
    size_t sizes[10];
    size_t pages = walk_pages(
        sb,
        V "/21202248997039/"
          "whatsapp_business_solutions?limit=100&fields=id,name,partners%7Bpartner_app%7D",
        SANDBOX_TOKEN_A, sizes, 10);
    assert_int_equal(pages, 3);
    assert_int_equal(sizes[0], 100);
    assert_int_equal(sizes[1], 100);
    assert_int_equal(sizes[2], 50);
    /* default limit is 25; more than 100 is capped */
    json_object *a = get_ok(sb, V "/21202248997039/whatsapp_business_solutions", SANDBOX_TOKEN_A);
    assert_int_equal(jlen(a, "data"), 25);
    json_object *b =
        get_ok(sb, V "/21202248997039/whatsapp_business_solutions?limit=500", SANDBOX_TOKEN_A);
    assert_int_equal(jlen(b, "data"), 100);
    /* the next link keeps the other parameters, so page two has the same fields */
    assert_non_null(strstr(jstr(b, "paging.next"), "limit=100"));
    json_object_put(a);
    json_object_put(b);
    sandbox_stop(sb);
    unlink(scenario);
    free(scenario);
}

/* Behind a TLS front, paging links name the front (--public-url), not the sandbox's own port. */
static void paging_links_use_the_public_url(void **state)
{
    (void)state;
    sandbox_options o = {.public_url = "https://127.0.0.1:4433/"};
    sandbox *sb = start(&o);
    json_object *a =
        get_ok(sb, V "/21202248997039/whatsapp_business_solutions?limit=5", SANDBOX_TOKEN_A);
    const char *next = jstr(a, "paging.next");
    assert_non_null(next);
    static const char want[] = "https://127.0.0.1:4433" V "/";
    assert_int_equal(strncmp(next, want, strlen(want)), 0);
    json_object_put(a);
    sandbox_stop(sb);
}

static void paging_before_cursor_goes_back(void **state)
{
    sandbox *sb = start(NULL);
    json_object *p1 =
        get_ok(sb, V "/21202248997039/whatsapp_business_solutions?limit=10", SANDBOX_TOKEN_A);
    json_object *p2 = get_ok(sb, jstr(p1, "paging.next"), SANDBOX_TOKEN_A);
    assert_non_null(jstr(p2, "paging.previous"));
    assert_null(jstr(p1, "paging.previous"));
    json_object *back = get_ok(sb, jstr(p2, "paging.previous"), SANDBOX_TOKEN_A);
    assert_string_equal(jstr(back, "data.0.id"), jstr(p1, "data.0.id"));
    assert_string_equal(jstr(back, "data.9.id"), jstr(p1, "data.9.id"));
    resp r = http(sb, "GET", V "/21202248997039/whatsapp_business_solutions?after=bm9wZQ",
                  SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 100));
    resp_free(&r);
    json_object_put(p1);
    json_object_put(p2);
    json_object_put(back);
    sandbox_stop(sb);
}

/* A cursor holds its place in the list as a hint; when solutions before it are gone, the next
 * page still starts right after the cursor's solution. */
static void paging_after_a_removal_continues_after_the_cursor(void **state)
{
    sandbox *sb = start(NULL);
    json_object *whole =
        get_ok(sb, V "/21202248997039/whatsapp_business_solutions?limit=12", SANDBOX_TOKEN_A);
    json_object *p1 =
        get_ok(sb, V "/21202248997039/whatsapp_business_solutions?limit=10", SANDBOX_TOKEN_A);
    char body[128];
    snprintf(body, sizeof body, "{\"id\":\"%s\",\"remove\":true}", jstr(p1, "data.0.id"));
    control(sb, "POST", "mutate", body);
    snprintf(body, sizeof body, "{\"id\":\"%s\",\"remove\":true}", jstr(p1, "data.3.id"));
    control(sb, "POST", "mutate", body);
    json_object *p2 = get_ok(sb, jstr(p1, "paging.next"), SANDBOX_TOKEN_A);
    assert_string_equal(jstr(p2, "data.0.id"), jstr(whole, "data.10.id"));
    assert_string_equal(jstr(p2, "data.1.id"), jstr(whole, "data.11.id"));
    json_object_put(whole);
    json_object_put(p1);
    json_object_put(p2);
    sandbox_stop(sb);
}

static long listing_scans(sandbox *sb)
{
    json_object *st = get_ok(sb, "/__sandbox/state", NULL);
    json_object *v = jget(st, "listing_scans");
    assert_non_null(v);
    long n = (long)json_object_get_int64(v);
    json_object_put(st);
    return n;
}

/* The OWNER and PARTNER chains walked at once, page by page as a client does: both listings
 * are assembled from the world in one pass, not once per page (a page of 50,000 solutions used
 * to cost a pass over all of them) nor once per role; a change to the world is in the very
 * next page. */
static void role_chains_page_without_rebuilding_the_listing(void **state)
{
    (void)state;
    char *scenario = tmp_path("scenario");
    FILE *f = fopen(scenario, "w");
    fputs("{\"solutions\":[]}", f);
    fclose(f);
    sandbox_options o = {.scenario_path = scenario, .extra_solutions = 1000};
    sandbox *sb = start(&o);
    long before = listing_scans(sb);
    static const char *const roles[] = {"OWNER", "PARTNER"};
    char *url[2];
    size_t seen[2] = {0}, pages = 0;
    char *removed = NULL;
    for (int r = 0; r < 2; r++) {
        char first[160];
        snprintf(first, sizeof first,
                 V "/21202248997039/whatsapp_business_solutions?limit=100&role=%s&fields=id",
                 roles[r]);
        url[r] = strdup(first);
    }
    while (url[0] || url[1]) {
        for (int r = 0; r < 2; r++) {
            if (!url[r])
                continue;
            json_object *p = get_ok(sb, url[r], SANDBOX_TOKEN_A);
            pages++;
            json_object *data = jget(p, "data");
            for (size_t i = 0; i < jlen(data, NULL); i++) {
                const char *id = jstr(json_object_array_get_idx(data, i), "id");
                assert_true(!removed || strcmp(id, removed) != 0);
            }
            seen[r] += jlen(data, NULL);
            const char *next = jstr(p, "paging.next");
            free(url[r]);
            url[r] = next ? strdup(next) : NULL;
            /* halfway, the next OWNER page's first solution leaves the world */
            if (r == 0 && seen[0] == 200 && !removed) {
                json_object *peek = get_ok(sb, url[0], SANDBOX_TOKEN_A);
                pages++;
                removed = strdup(jstr(peek, "data.0.id"));
                json_object_put(peek);
                char body[128];
                snprintf(body, sizeof body, "{\"id\":\"%s\",\"remove\":true}", removed);
                control(sb, "POST", "mutate", body);
            }
            json_object_put(p);
        }
    }
    assert_int_equal(seen[0], 499);
    assert_int_equal(seen[1], 500);
    assert_true(pages >= 11);
    /* one pass for both roles before the removal, one after it */
    assert_int_equal(listing_scans(sb) - before, 2);
    free(removed);
    sandbox_stop(sb);
    unlink(scenario);
    free(scenario);
}

static void role_filter_selects_owner_or_partner(void **state)
{
    sandbox *sb = start(NULL);
    json_object *own = get_ok(
        sb, V "/21202248997039/whatsapp_business_solutions?limit=100&role=OWNER&fields=owner_app",
        SANDBOX_TOKEN_A);
    json_object *par = get_ok(
        sb, V "/21202248997039/whatsapp_business_solutions?limit=100&role=PARTNER&fields=owner_app",
        SANDBOX_TOKEN_A);
    json_object *all =
        get_ok(sb, V "/21202248997039/whatsapp_business_solutions?limit=100", SANDBOX_TOKEN_A);
    assert_true(jlen(own, "data") > 5);
    assert_true(jlen(par, "data") > 5);
    assert_int_equal(jlen(own, "data") + jlen(par, "data"), jlen(all, "data"));
    for (size_t i = 0; i < jlen(own, "data"); i++)
        assert_string_equal(jstr(json_object_array_get_idx(jget(own, "data"), i), "owner_app.id"),
                            SANDBOX_APP_A_ID);
    for (size_t i = 0; i < jlen(par, "data"); i++)
        assert_string_not_equal(
            jstr(json_object_array_get_idx(jget(par, "data"), i), "owner_app.id"),
            SANDBOX_APP_A_ID);
    resp r = http(sb, "GET", V "/21202248997039/whatsapp_business_solutions?role=BOSS",
                  SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 100));
    resp_free(&r);
    json_object_put(own);
    json_object_put(par);
    json_object_put(all);
    sandbox_stop(sb);
}

static void listing_another_apps_solutions_is_a_permission_error(void **state)
{
    sandbox *sb = start(NULL);
    resp r =
        http(sb, "GET", V "/637576208107267/whatsapp_business_solutions", SANDBOX_TOKEN_A, NULL);
    json_object *e = expect_error(&r, 400, 200);
    json_object_put(e);
    resp_free(&r);
    sandbox_stop(sb);
}

/* ---- one solution ---- */

static void get_solution_matches_the_guides_example(void **state)
{
    sandbox *sb = start(NULL);
    json_object *o = get_ok(
        sb,
        "/v21.0/"
        "795033096057724?fields=name,owner_permissions,partners{partner_permissions,partner_app}",
        SANDBOX_TOKEN_A);
    assert_string_equal(jstr(o, "name"), "Social OVD with Lucky Shrub");
    assert_string_equal(jstr(o, "id"), "795033096057724");
    const char *ten[] = {
        "MANAGE",         "DEVELOP",           "MANAGE_TEMPLATES",  "MANAGE_PHONE",
        "VIEW_COST",      "MANAGE_EXTENSIONS", "VIEW_PHONE_ASSETS", "MANAGE_PHONE_ASSETS",
        "VIEW_TEMPLATES", "VIEW_INSIGHTS"};
    assert_int_equal(jlen(o, "owner_permissions"), 10);
    assert_int_equal(jlen(o, "partners.data.0.partner_permissions"), 10);
    for (size_t i = 0; i < 10; i++) {
        assert_string_equal(
            json_object_get_string(json_object_array_get_idx(jget(o, "owner_permissions"), i)),
            ten[i]);
        assert_string_equal(json_object_get_string(json_object_array_get_idx(
                                jget(o, "partners.data.0.partner_permissions"), i)),
                            ten[i]);
    }
    assert_string_equal(jstr(o, "partners.data.0.partner_app.link"),
                        "https://www.facebook.com/games/?app_id=21202248997039");
    assert_string_equal(jstr(o, "partners.data.0.partner_app.name"), "Lucky Shrub");
    assert_string_equal(jstr(o, "partners.data.0.partner_app.id"), "21202248997039");
    assert_string_equal(jstr(o, "partners.data.0.id"), "795033099391057");
    assert_non_null(jstr(o, "partners.paging.cursors.after"));
    assert_null(jget(o, "status")); /* only what was asked for */
    json_object_put(o);
    sandbox_stop(sb);
}

static void get_solution_fields_partners_like_the_guide(void **state)
{
    sandbox *sb = start(NULL);
    json_object *o = get_ok(sb, V "/17602267745700?fields=name,status,partners", SANDBOX_TOKEN_A);
    assert_string_equal(jstr(o, "status"), "ACTIVE");
    assert_string_equal(jstr(o, "partners.data.0.partner_app.name"), "Social Overdrive");
    assert_string_equal(jstr(o, "partners.data.0.partner_app.id"), "637576208107267");
    assert_string_equal(jstr(o, "partners.data.0.partner_app.link"),
                        "https://www.socialoverdrive.com/");
    assert_string_equal(jstr(o, "partners.data.0.status"), "ACCEPTED");
    assert_string_equal(jstr(o, "partners.data.0.id"), "17602267745704");
    json_object_put(o);
    json_object *d = get_ok(sb, V "/17602267745700", SANDBOX_TOKEN_A);
    assert_int_equal(json_object_object_length(d), 4);
    json_object_put(d);
    sandbox_stop(sb);
}

static void percent_encoded_field_expansion_is_understood(void **state)
{
    sandbox *sb = start(NULL);
    json_object *o = get_ok(sb,
                            V "/795033096057724?fields=owner_app%7Bname%7D%2Cpartners.limit(5)%"
                              "7Bpartner_app%7Bname%7D%2Cstatus%7D",
                            SANDBOX_TOKEN_A);
    assert_string_equal(jstr(o, "owner_app.name"), "Social Overdrive");
    assert_null(jget(o, "owner_app.link"));
    assert_string_equal(jstr(o, "partners.data.0.partner_app.name"), "Lucky Shrub");
    assert_string_equal(jstr(o, "partners.data.0.status"), "NOTIFICATION_SENT");
    json_object_put(o);
    sandbox_stop(sb);
}

static void unknown_field_is_error_100(void **state)
{
    sandbox *sb = start(NULL);
    resp r = http(sb, "GET", V "/795033096057724?fields=name,created_time", SANDBOX_TOKEN_A, NULL);
    json_object *e = expect_error(&r, 400, 100);
    assert_non_null(strstr(jstr(e, "error.message"), "created_time"));
    json_object_put(e);
    resp_free(&r);
    r = http(sb, "GET", V "/795033096057724?fields=name,partners{", SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 100));
    resp_free(&r);
    sandbox_stop(sb);
}

static void refused_partner_fields_leave_the_partners_edge(void **state)
{
    sandbox_options o = {.refuse_partner_fields = true};
    sandbox *sb = start(&o);
    resp r = http(
        sb, "GET",
        V "/21202248997039/whatsapp_business_solutions?fields=id,name,partners%7Bpartner_app%7D",
        SANDBOX_TOKEN_A, NULL);
    json_object *e = expect_error(&r, 400, 100);
    assert_string_equal(jstr(e, "error.message"),
                        "(#100) Tried accessing nonexisting field (partners) on node type "
                        "(WhatsAppBusinessSolution)");
    json_object_put(e);
    resp_free(&r);
    json_object *p = get_ok(sb, V "/17602267745700/partners", SANDBOX_TOKEN_A);
    assert_string_equal(jstr(p, "data.0.partner_app.name"), "Social Overdrive");
    assert_string_equal(jstr(p, "data.0.status"), "ACCEPTED");
    json_object_put(p);
    json_object *d = get_ok(sb, V "/21202248997039/whatsapp_business_solutions", SANDBOX_TOKEN_A);
    assert_int_equal(jlen(d, "data"), 25);
    json_object_put(d);
    sandbox_stop(sb);
}

static void other_apps_solution_does_not_exist_for_you(void **state)
{
    sandbox *sb = start(NULL);
    resp r = http(sb, "GET", V "/440100000000044", SANDBOX_TOKEN_A, NULL);
    json_object *e = expect_error(&r, 400, 100);
    assert_int_equal(jint(e, "error.error_subcode"), 33);
    json_object_put(e);
    resp_free(&r);
    json_object *o = get_ok(sb, V "/440100000000044", SANDBOX_TOKEN_B);
    assert_string_equal(jstr(o, "status"), "ACTIVE");
    json_object_put(o);
    r = http(sb, "GET", V "/795033096057724/nonsense", SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 2500));
    resp_free(&r);
    sandbox_stop(sb);
}

/* ---- the state machine ---- */

static void accept_by_partner_activates(void **state)
{
    sandbox *sb = start(NULL);
    post_ok(sb, V "/795033096057724/accept", SANDBOX_TOKEN_A);
    json_object *s = solution(sb, "795033096057724", SANDBOX_TOKEN_A);
    assert_string_equal(jstr(s, "status"), "ACTIVE");
    assert_string_equal(jstr(s, "status_for_pending_request"), "NONE");
    assert_string_equal(jstr(s, "partners.data.0.status"), "ACCEPTED");
    json_object_put(s);
    resp r = http(sb, "POST", V "/795033096057724/accept", SANDBOX_TOKEN_A, NULL);
    json_object *e = expect_error(&r, 400, 100);
    assert_string_equal(jstr(e, "error.message"), "(#100) Solution is not pending; it is ACTIVE");
    json_object_put(e);
    resp_free(&r);
    sandbox_stop(sb);
}

static void accept_by_owner_refused(void **state)
{
    sandbox *sb = start(NULL);
    resp r = http(sb, "POST", V "/19702253086782/accept", SANDBOX_TOKEN_B, NULL);
    json_object_put(expect_error(&r, 400, 200));
    resp_free(&r);
    json_object *s = solution(sb, "19702253086782", SANDBOX_TOKEN_B);
    assert_string_equal(jstr(s, "status"), "INITIATED");
    json_object_put(s);
    r = http(sb, "POST", V "/19702253086782/accept", SANDBOX_TOKEN_EXPIRED, NULL);
    json_object_put(expect_error(&r, 400, 190));
    resp_free(&r);
    sandbox_stop(sb);
}

static void reject_by_partner_declines(void **state)
{
    sandbox *sb = start(NULL);
    post_ok(sb, V "/19702253086782/reject", SANDBOX_TOKEN_A);
    json_object *s = solution(sb, "19702253086782", SANDBOX_TOKEN_B);
    assert_string_equal(jstr(s, "status"), "REJECTED");
    assert_string_equal(jstr(s, "partners.data.0.status"), "REJECTED");
    json_object_put(s);
    resp r = http(sb, "POST", V "/19702253086782/accept", SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 100));
    resp_free(&r);
    sandbox_stop(sb);
}

static void deactivation_round_trip(void **state)
{
    sandbox *sb = start(NULL);
    const char *id = "440100000000007"; /* Social Overdrive owns, Lucky Shrub partners, ACTIVE */
    char path[128];
    snprintf(path, sizeof path, V "/%s/send_deactivation_request", id);
    resp r = http(sb, "POST", path, SANDBOX_TOKEN_A, NULL); /* the partner may not ask */
    json_object_put(expect_error(&r, 400, 200));
    resp_free(&r);
    post_ok(sb, path, SANDBOX_TOKEN_B);
    json_object *s = solution(sb, id, SANDBOX_TOKEN_A);
    assert_string_equal(jstr(s, "status"), "ACTIVE");
    assert_string_equal(jstr(s, "status_for_pending_request"), "PENDING_DEACTIVATION");
    json_object_put(s);
    r = http(sb, "POST", path, SANDBOX_TOKEN_B, NULL); /* twice is a state error */
    json_object_put(expect_error(&r, 400, 100));
    resp_free(&r);

    snprintf(path, sizeof path, V "/%s/accept_deactivation_request", id);
    r = http(sb, "POST", path, SANDBOX_TOKEN_B, NULL); /* the asker cannot answer itself */
    json_object_put(expect_error(&r, 400, 200));
    resp_free(&r);
    snprintf(path, sizeof path, V "/%s/reject_deactivation_request", id);
    post_ok(sb, path, SANDBOX_TOKEN_A);
    s = solution(sb, id, SANDBOX_TOKEN_A);
    assert_string_equal(jstr(s, "status"), "ACTIVE");
    assert_string_equal(jstr(s, "status_for_pending_request"), "NONE");
    json_object_put(s);
    r = http(sb, "POST", path, SANDBOX_TOKEN_A, NULL); /* nothing pending any more */
    json_object *e = expect_error(&r, 400, 100);
    assert_non_null(strstr(jstr(e, "error.message"), "no pending deactivation"));
    json_object_put(e);
    resp_free(&r);

    snprintf(path, sizeof path, V "/%s/send_deactivation_request", id);
    post_ok(sb, path, SANDBOX_TOKEN_B);
    snprintf(path, sizeof path, V "/%s/accept_deactivation_request", id);
    post_ok(sb, path, SANDBOX_TOKEN_A);
    s = solution(sb, id, SANDBOX_TOKEN_B);
    assert_string_equal(jstr(s, "status"), "DEACTIVATED");
    json_object_put(s);
    snprintf(path, sizeof path, V "/%s/send_deactivation_request", id);
    r = http(sb, "POST", path, SANDBOX_TOKEN_B, NULL);
    json_object_put(expect_error(&r, 400, 100));
    resp_free(&r);
    sandbox_stop(sb);
}

static void builtin_pending_deactivation_answerable_by_partner(void **state)
{
    sandbox *sb = start(NULL);
    /* Social Overdrive asked; Lucky Shrub answers */
    post_ok(sb, V "/440100000000009/accept_deactivation_request", SANDBOX_TOKEN_A);
    /* Lucky Shrub asked; it must wait for Social Overdrive */
    resp r =
        http(sb, "POST", V "/440100000000021/accept_deactivation_request", SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 200));
    resp_free(&r);
    post_ok(sb, V "/440100000000021/reject_deactivation_request", SANDBOX_TOKEN_B);
    sandbox_stop(sb);
}

static void actions_on_draft_rejected_deactivated_refused(void **state)
{
    sandbox *sb = start(NULL);
    const struct {
        const char *path, *token;
    } cases[] = {
        {V "/440100000000023/send_deactivation_request", SANDBOX_TOKEN_A}, /* draft */
        {V "/440100000000023/accept", SANDBOX_TOKEN_B},
        {V "/440100000000011/accept", SANDBOX_TOKEN_A}, /* rejected */
        {V "/440100000000012/reject", SANDBOX_TOKEN_A}, /* deactivated */
        {V "/440100000000041/accept", SANDBOX_TOKEN_A}, /* unknown status */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        resp r = http(sb, "POST", cases[i].path, cases[i].token, NULL);
        json_object_put(expect_error(&r, 400, 100));
        resp_free(&r);
    }
    resp r = http(sb, "GET", V "/795033096057724/accept", SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 100));
    resp_free(&r);
    sandbox_stop(sb);
}

/* ---- create ---- */

static void create_makes_an_initiated_solution_for_both(void **state)
{
    sandbox *sb = start(NULL);
    resp r = http(sb, "POST", V "/21202248997039/whatsapp_business_solution", SANDBOX_TOKEN_A,
                  "solution_name=Lucky%20Shrub%20x%20Overdrive&partner_app_id=637576208107267"
                  "&owner_permissions=%5B%22MESSAGING%22%5D&partner_permissions=%5B%22MANAGE%22%2C%"
                  "22DEVELOP%22%5D");
    assert_int_equal(r.status, 200);
    json_object *o = parse(&r);
    const char *id = jstr(o, "solution_id");
    assert_non_null(id);
    json_object *s = solution(sb, id, SANDBOX_TOKEN_B);
    assert_string_equal(jstr(s, "name"), "Lucky Shrub x Overdrive");
    assert_string_equal(jstr(s, "status"), "INITIATED");
    assert_string_equal(jstr(s, "owner_app.id"), SANDBOX_APP_A_ID);
    assert_string_equal(jstr(s, "partners.data.0.partner_app.id"), SANDBOX_APP_B_ID);
    assert_int_equal(jlen(s, "partners.data.0.partner_permissions"), 2);
    json_object_put(s);
    char path[128];
    snprintf(path, sizeof path, V "/%s/accept", id);
    post_ok(sb, path, SANDBOX_TOKEN_B);
    json_object_put(o);
    resp_free(&r);

    r = http_ex(sb, "POST", V "/637576208107267/whatsapp_business_solution", SANDBOX_TOKEN_B,
                "{\"solution_name\":\"JSON made\",\"partner_app_id\":\"21202248997039\","
                "\"owner_permissions\":[],\"partner_permissions\":[\"MESSAGING\"]}",
                "application/json", 0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    sandbox_stop(sb);
}

static void create_validates_like_the_api(void **state)
{
    sandbox *sb = start(NULL);
    const char *bad[] = {
        "solution_name=X&partner_app_id=637576208107267",          /* too short */
        "solution_name=Fine%20name&partner_app_id=21202248997039", /* ourselves */
        "solution_name=Fine%20name&partner_app_id=123",            /* unknown app */
        "solution_name=Fine%20name",                               /* no partner */
        "solution_name=Fine%20name&partner_app_id=637576208107267&owner_permissions=MANAGE", /* not
                                                                                                JSON
                                                                                              */
        "solution_name=Both%20message&partner_app_id=637576208107267&owner_permissions=%5B%"
        "22MESSAGING%22%5D"
        "&partner_permissions=%5B%22MESSAGING%22%5D",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        resp r = http(sb, "POST", V "/21202248997039/whatsapp_business_solution", SANDBOX_TOKEN_A,
                      bad[i]);
        json_object *e = expect_error(&r, 400, 100);
        if (i == 5)
            assert_non_null(strstr(jstr(e, "error.message"), "MESSAGING"));
        json_object_put(e);
        resp_free(&r);
    }
    char name[100];
    memset(name, 'n', 76);
    name[76] = '\0';
    char body[256];
    snprintf(body, sizeof body, "solution_name=%s&partner_app_id=637576208107267", name);
    resp r =
        http(sb, "POST", V "/21202248997039/whatsapp_business_solution", SANDBOX_TOKEN_A, body);
    json_object_put(expect_error(&r, 400, 100));
    resp_free(&r);
    r = http(sb, "POST", V "/637576208107267/whatsapp_business_solution", SANDBOX_TOKEN_A,
             "solution_name=Not%20mine&partner_app_id=348290571226301");
    json_object_put(expect_error(&r, 400, 200));
    resp_free(&r);
    sandbox_stop(sb);
}

/* ---- batch ---- */

static void batch_answers_each_item_in_order(void **state)
{
    sandbox *sb = start(NULL);
    resp r = http(sb, "POST", "/", SANDBOX_TOKEN_A,
                  "batch=%5B%7B%22method%22%3A%22GET%22%2C%22relative_url%22%3A%22v25.0%"
                  "2F795033096057724%3Ffields%3Dname%2Cstatus%22%7D"
                  "%2C%7B%22method%22%3A%22GET%22%2C%22relative_url%22%3A%22440100000000044%22%7D"
                  "%2C%7B%22method%22%3A%22POST%22%2C%22relative_url%22%3A%2219702253086782%"
                  "2Freject%22%7D%5D");
    assert_int_equal(r.status, 200);
    json_object *o = parse(&r);
    assert_int_equal(jlen(o, NULL), 3);
    assert_int_equal(jint(o, "0.code"), 200);
    json_object *b0 = json_tokener_parse(jstr(o, "0.body"));
    assert_string_equal(jstr(b0, "name"), "Social OVD with Lucky Shrub");
    assert_string_equal(jstr(b0, "status"), "INITIATED");
    json_object_put(b0);
    assert_true(jlen(o, "0.headers") >= 1);
    assert_int_equal(jint(o, "1.code"), 400);
    json_object *b1 = json_tokener_parse(jstr(o, "1.body"));
    assert_int_equal(jint(b1, "error.code"), 100);
    json_object_put(b1);
    assert_int_equal(jint(o, "2.code"), 200);
    json_object_put(o);
    resp_free(&r);
    json_object *s = solution(sb, "19702253086782", SANDBOX_TOKEN_A);
    assert_string_equal(jstr(s, "status"), "REJECTED");
    json_object_put(s);
    sandbox_stop(sb);
}

static void batch_over_50_refused(void **state)
{
    sandbox *sb = start(NULL);
    json_object *arr = json_object_new_array();
    for (int i = 0; i < 51; i++) {
        json_object *item = json_object_new_object();
        json_object_object_add(item, "method", json_object_new_string("GET"));
        json_object_object_add(item, "relative_url", json_object_new_string("me"));
        json_object_array_add(arr, item);
    }
    json_object *body = json_object_new_object();
    json_object_object_add(body, "batch", arr);
    resp r = http_ex(sb, "POST", "/", SANDBOX_TOKEN_A, json_object_to_json_string(body),
                     "application/json", 0);
    json_object *e = expect_error(&r, 400, 100);
    assert_non_null(strstr(jstr(e, "error.message"), "50"));
    json_object_put(e);
    resp_free(&r);
    json_object_array_del_idx(arr, 0, 1);
    r = http_ex(sb, "POST", "/", SANDBOX_TOKEN_A, json_object_to_json_string(body),
                "application/json", 0);
    assert_int_equal(r.status, 200);
    json_object *o = parse(&r);
    assert_int_equal(jlen(o, NULL), 50);
    json_object_put(o);
    resp_free(&r);
    json_object_put(body);
    sandbox_stop(sb);
}

/* ---- customers, WABAs, tokens, apps ---- */

static void client_wabas_filtered_by_partner_page_through_230(void **state)
{
    sandbox *sb = start(NULL);
    size_t sizes[10];
    size_t pages =
        walk_pages(sb,
                   V "/506914307656634/client_whatsapp_business_accounts?limit=100&filtering="
                     "%5B%7B%22field%22%3A%22partners%22%2C%20%22operator%22%3A%20%22ALL%22%2C%20"
                     "%22value%22%3A%20%5B%22520744086200222%22%5D%7D%5D",
                   SANDBOX_TOKEN_A, sizes, 10);
    assert_int_equal(pages, 3);
    assert_int_equal(sizes[0] + sizes[1] + sizes[2], 230);
    assert_int_equal(sizes[2], 30);
    json_object *o =
        get_ok(sb, V "/506914307656634/client_whatsapp_business_accounts?limit=2", SANDBOX_TOKEN_A);
    assert_string_equal(jstr(o, "data.0.id"), "102290129340398");
    assert_string_equal(jstr(o, "data.0.name"), "Cool New Customer 2");
    assert_string_equal(jstr(o, "data.0.timezone_id"), "7");
    assert_string_equal(jstr(o, "data.0.business_type"), "ent");
    assert_string_equal(jstr(o, "data.0.message_template_namespace"),
                        "0add05f3_abbe_4a55_b6f5_e751fa4e1244");
    assert_string_equal(jstr(o, "data.1.name"), "Cool New Customer 1");
    json_object_put(o);
    /* ANY with another partner finds the others */
    o = get_ok(sb,
               V "/506914307656634/client_whatsapp_business_accounts?limit=100&filtering="
                 "%5B%7B%22field%22%3A%22partners%22%2C%22operator%22%3A%22ANY%22%2C%22value%22%3A%"
                 "5B%22116133292427920%22%5D%7D%5D",
               SANDBOX_TOKEN_A);
    assert_int_equal(jlen(o, "data"), 5);
    json_object_put(o);
    sandbox_stop(sb);
}

static void client_wabas_malformed_filtering_is_100(void **state)
{
    sandbox *sb = start(NULL);
    const char *bad[] = {
        "%5B%7B%22field%22%3A", /* cut JSON */
        "%7B%7D",               /* not an array */
        "%5B%7B%22field%22%3A%22name%22%2C%22operator%22%3A%22ALL%22%2C%22value%22%3A%5B%5D%7D%5D",
        "%5B%7B%22field%22%3A%22partners%22%2C%22operator%22%3A%22NONE%22%2C%22value%22%3A%5B%5D%"
        "7D%5D",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[512];
        snprintf(path, sizeof path,
                 V "/506914307656634/client_whatsapp_business_accounts?filtering=%s", bad[i]);
        resp r = http(sb, "GET", path, SANDBOX_TOKEN_A, NULL);
        json_object_put(expect_error(&r, 400, 100));
        resp_free(&r);
    }
    resp r = http(sb, "GET", V "/520744086200222/client_whatsapp_business_accounts",
                  SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 100)); /* someone else's portfolio */
    resp_free(&r);
    sandbox_stop(sb);
}

static void waba_solutions_lists_the_onboarding_solution(void **state)
{
    sandbox *sb = start(NULL);
    json_object *o = get_ok(sb, V "/102290129340398/solutions", SANDBOX_TOKEN_A);
    assert_int_equal(jlen(o, "data"), 1);
    assert_string_equal(jstr(o, "data.0.id"), "17602267745700");
    assert_string_equal(jstr(o, "data.0.name"), "Social OVD with Social Brew");
    assert_string_equal(jstr(o, "data.0.status_for_pending_request"), "NONE");
    json_object_put(o);
    sandbox_stop(sb);
}

static void business_token_only_for_active_solutions(void **state)
{
    sandbox *sb = start(NULL);
    json_object *a =
        get_ok(sb, V "/17602267745700/access_token?business_id=2729063490586005", SANDBOX_TOKEN_A);
    json_object *b =
        get_ok(sb, V "/17602267745700/access_token?business_id=2729063490586005", SANDBOX_TOKEN_A);
    const char *tok = jstr(a, "data.0.access_token");
    assert_non_null(tok);
    assert_int_equal(strncmp(tok, "EAAB", 4), 0);
    assert_string_equal(tok, jstr(b, "data.0.access_token"));
    json_object_put(a);
    json_object_put(b);
    resp r = http(sb, "GET", V "/795033096057724/access_token?business_id=2729063490586005",
                  SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 100));
    resp_free(&r);
    r = http(sb, "GET", V "/17602267745700/access_token", SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 100));
    resp_free(&r);
    sandbox_stop(sb);
}

static void application_details_and_app_node(void **state)
{
    sandbox *sb = start(NULL);
    json_object *o = get_ok(sb, "/v20.0/me/application_details", SANDBOX_TOKEN_A);
    assert_string_equal(jstr(o, "data.0.name"), "media_monsoon_prod");
    assert_string_equal(jstr(o, "data.0.id"), "634974688087057");
    assert_string_equal(jstr(o, "data.0.link"), "www.mediamonsoon.com");
    json_object_put(o);
    o = get_ok(sb, V "/637576208107267?fields=id,name,link", SANDBOX_TOKEN_A);
    assert_string_equal(jstr(o, "name"), "Social Overdrive");
    assert_string_equal(jstr(o, "link"), "https://www.socialoverdrive.com/");
    json_object_put(o);
    o = get_ok(sb, V "/me", SANDBOX_TOKEN_B);
    assert_string_equal(jstr(o, "id"), SANDBOX_APP_B_ID);
    json_object_put(o);
    sandbox_stop(sb);
}

static void app_usage_header_rises_with_requests(void **state)
{
    sandbox *sb = start(NULL);
    int last = -1;
    for (int i = 0; i < 3; i++) {
        resp r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL);
        const char *h = strcasestr(r.headers, "X-App-Usage: ");
        assert_non_null(h);
        int n = -1;
        assert_int_equal(sscanf(h, "X-App-Usage: {\"call_count\":%d", &n), 1);
        assert_true(n > last);
        last = n;
        assert_true(has_header(&r, "X-Business-Use-Case-Usage"));
        resp_free(&r);
    }
    assert_int_equal(sandbox_request_count(sb), 3);
    sandbox_stop(sb);
}

/* ---- faults ---- */

static void fault_latency_delays_the_answer(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "fault", "{\"match\":\"GET /me\",\"kind\":\"latency\",\"ms\":300}");
    resp r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL);
    assert_int_equal(r.status, 200);
    assert_true(r.secs >= 0.29);
    resp_free(&r);
    r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL); /* times defaults to 1 */
    assert_true(r.secs < 0.29);
    resp_free(&r);
    sandbox_stop(sb);

    sandbox_options o = {.latency_ms = 200};
    sb = start(&o);
    r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL);
    assert_true(r.secs >= 0.19);
    resp_free(&r);
    sandbox_stop(sb);
}

static void fault_hang_holds_until_client_gives_up(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "fault", "{\"match\":\"POST /accept\",\"kind\":\"hang\",\"apply\":true}");
    resp r = http_ex(sb, "POST", V "/795033096057724/accept", SANDBOX_TOKEN_A, NULL, NULL, 400);
    assert_int_equal(r.rc, CURLE_OPERATION_TIMEDOUT);
    resp_free(&r);
    /* the change was made anyway: reconciliation finds it */
    json_object *s = solution(sb, "795033096057724", SANDBOX_TOKEN_A);
    assert_string_equal(jstr(s, "status"), "ACTIVE");
    json_object_put(s);
    sandbox_stop(sb);
}

typedef struct hang_arg {
    sandbox *sb;
    resp r;
} hang_arg;

static void *hang_client(void *p)
{
    hang_arg *a = p;
    a->r = http_ex(a->sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL, NULL, 30000);
    return NULL;
}

static void fault_hang_ends_when_sandbox_stops(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "fault", "{\"match\":\"GET /me\",\"kind\":\"hang\"}");
    hang_arg a = {sb, {0}};
    pthread_t t;
    pthread_create(&t, NULL, hang_client, &a);
    /* wait until the request is in (the log records it as it starts hanging) */
    for (int i = 0; i < 200; i++) {
        resp l = http(sb, "GET", "/__sandbox/log", NULL, NULL);
        bool in = strstr(l.body, "\"hang\"") != NULL;
        resp_free(&l);
        if (in)
            break;
        usleep(10000);
    }
    /* other requests are still answered while one hangs */
    resp r = http_ex(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL, NULL, 2000);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    double t0 = now_s();
    sandbox_stop(sb);
    assert_true(now_s() - t0 < 3.0);
    pthread_join(t, NULL);
    assert_int_not_equal(a.r.rc, CURLE_OK);
    assert_true(a.r.secs < 5.0);
    resp_free(&a.r);
}

static void fault_reset_closes_without_answer(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "fault", "{\"match\":\"POST /reject\",\"kind\":\"reset\"}");
    resp r = http(sb, "POST", V "/19702253086782/reject", SANDBOX_TOKEN_A, NULL);
    assert_int_not_equal(r.rc, CURLE_OK);
    assert_int_equal(r.status, 0);
    resp_free(&r);
    json_object *s = solution(sb, "19702253086782", SANDBOX_TOKEN_A);
    assert_string_equal(jstr(s, "status"), "INITIATED"); /* apply was false */
    json_object_put(s);
    control(sb, "POST", "fault", "{\"match\":\"POST /reject\",\"kind\":\"reset\",\"apply\":true}");
    r = http(sb, "POST", V "/19702253086782/reject", SANDBOX_TOKEN_A, NULL);
    assert_int_not_equal(r.rc, CURLE_OK);
    resp_free(&r);
    s = solution(sb, "19702253086782", SANDBOX_TOKEN_A);
    assert_string_equal(jstr(s, "status"), "REJECTED");
    json_object_put(s);
    sandbox_stop(sb);
}

static void fault_status503_is_transient(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "fault",
            "{\"match\":\"GET /whatsapp_business_solutions\",\"kind\":\"status503\",\"times\":2}");
    for (int i = 0; i < 2; i++) {
        resp r =
            http(sb, "GET", V "/21202248997039/whatsapp_business_solutions", SANDBOX_TOKEN_A, NULL);
        json_object *e = expect_error(&r, 503, 2);
        assert_true(json_object_get_boolean(jget(e, "error.is_transient")));
        json_object_put(e);
        resp_free(&r);
    }
    json_object_put(get_ok(sb, V "/21202248997039/whatsapp_business_solutions", SANDBOX_TOKEN_A));
    sandbox_stop(sb);
}

static void fault_skip_lets_the_first_through(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "fault",
            "{\"match\":\"GET\",\"kind\":\"status503\",\"skip\":1,\"times\":-1}");
    json_object_put(get_ok(sb, V "/me", SANDBOX_TOKEN_A));
    for (int i = 0; i < 3; i++) {
        resp r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL);
        assert_int_equal(r.status, 503);
        resp_free(&r);
    }
    control(sb, "DELETE", "fault", NULL);
    json_object_put(get_ok(sb, V "/me", SANDBOX_TOKEN_A));
    sandbox_stop(sb);
}

static void fault_truncate_cuts_the_body_short(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "fault", "{\"match\":\"*\",\"kind\":\"truncate\"}");
    resp r =
        http(sb, "GET", V "/21202248997039/whatsapp_business_solutions", SANDBOX_TOKEN_A, NULL);
    assert_int_equal(r.rc, CURLE_PARTIAL_FILE);
    assert_true(r.len > 0);
    resp_free(&r);
    sandbox_stop(sb);
}

static void fault_ratelimit_reports_full_usage(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "fault", "{\"match\":\"*\",\"kind\":\"ratelimit\",\"regain_minutes\":3}");
    resp r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 80007));
    const char *h = strcasestr(r.headers, "X-Business-Use-Case-Usage: ");
    assert_non_null(h);
    assert_non_null(strstr(h, "\"call_count\":100"));
    assert_non_null(strstr(h, "\"estimated_time_to_regain_access\":3"));
    assert_non_null(strstr(h, SANDBOX_BUSINESS_A_ID));
    resp_free(&r);
    sandbox_stop(sb);
}

static void fault_expired_answers_190(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "fault", "{\"match\":\"GET /me\",\"kind\":\"expired\"}");
    resp r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL);
    json_object *e = expect_error(&r, 400, 190);
    assert_int_equal(jint(e, "error.error_subcode"), 463);
    json_object_put(e);
    resp_free(&r);
    sandbox_stop(sb);
}

static void fault_huge_body_exceeds_8_mib(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "fault", "{\"match\":\"*\",\"kind\":\"huge\"}");
    resp r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL);
    assert_int_equal(r.rc, CURLE_OK);
    assert_int_equal(r.status, 200);
    assert_true(r.len > 8u * 1024 * 1024);
    assert_int_equal(strncmp(r.body, "{\"data\":[{", 10), 0);
    assert_int_equal(strcmp(r.body + r.len - 4, "\"}]}"), 0);
    resp_free(&r);
    sandbox_stop(sb);
}

static void fault_deep_nests_10000_arrays(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "fault", "{\"match\":\"*\",\"kind\":\"deep\"}");
    resp r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL);
    assert_int_equal(r.status, 200);
    size_t open = 0;
    for (size_t i = 0; i < r.len; i++)
        open += r.body[i] == '[';
    assert_int_equal(open, 10000);
    /* a depth-capped parser refuses it */
    json_tokener *tok = json_tokener_new_ex(64);
    assert_null(json_tokener_parse_ex(tok, r.body, (int)r.len));
    json_tokener_free(tok);
    resp_free(&r);
    sandbox_stop(sb);
}

static void fault_malformed_and_nonobject_bodies(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "fault", "{\"match\":\"*\",\"kind\":\"malformed\"}");
    resp r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.rc, CURLE_OK);
    assert_null(json_tokener_parse(r.body));
    resp_free(&r);
    control(sb, "POST", "fault", "{\"match\":\"*\",\"kind\":\"nonobject\"}");
    r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL);
    json_object *o = parse(&r);
    assert_true(json_object_is_type(o, json_type_array));
    json_object_put(o);
    resp_free(&r);
    sandbox_stop(sb);
}

static void fault_spec_errors_are_reported(void **state)
{
    sandbox *sb = start(NULL);
    const char *bad[] = {"{\"kind\":\"explode\"}", "{\"match\":\"*\"}", "[1]",
                         "{\"kind\":\"hang\",\"times\":\"x\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        resp r = http_ex(sb, "POST", "/__sandbox/fault", NULL, bad[i], "application/json", 0);
        assert_int_equal(r.status, 400);
        resp_free(&r);
    }
    sandbox_stop(sb);
}

/* ---- logs, events, control ---- */

static void request_log_has_one_line_per_request(void **state)
{
    char *log = tmp_path("reqlog");
    sandbox_options o = {.request_log_path = log};
    sandbox *sb = start(&o);
    json_object_put(get_ok(sb, V "/21202248997039/whatsapp_business_solutions?limit=5&fields=id",
                           SANDBOX_TOKEN_A));
    post_ok(sb, V "/795033096057724/accept", SANDBOX_TOKEN_A);
    resp r = http(sb, "GET", V "/me", "wrong", NULL);
    resp_free(&r);
    sandbox_stop(sb);
    char *text = slurp(log);
    assert_int_equal(count_lines(text), 3);
    assert_null(strstr(text, SANDBOX_TOKEN_A));
    char *line2 = strchr(text, '\n') + 1;
    json_object *l1 = json_tokener_parse(text);
    assert_string_equal(jstr(l1, "method"), "GET");
    assert_string_equal(jstr(l1, "path"), V "/21202248997039/whatsapp_business_solutions");
    assert_non_null(strstr(jstr(l1, "query"), "limit=5"));
    assert_int_equal(jint(l1, "status"), 200);
    assert_string_equal(jstr(l1, "app_id"), SANDBOX_APP_A_ID);
    json_object_put(l1);
    *strchr(line2, '\n') = '\0';
    json_object *l2 = json_tokener_parse(line2);
    assert_string_equal(jstr(l2, "method"), "POST");
    assert_string_equal(jstr(l2, "path"), V "/795033096057724/accept");
    json_object_put(l2);
    json_object *l3 = json_tokener_parse(line2 + strlen(line2) + 1);
    assert_int_equal(jint(l3, "status"), 400);
    assert_true(json_object_is_type(jget(l3, "app_id"), json_type_null));
    json_object_put(l3);
    free(text);
    unlink(log);
    free(log);
}

static void events_file_gets_a_delivery_per_change(void **state)
{
    char *ev = tmp_path("events");
    sandbox_options o = {.events_path = ev};
    sandbox *sb = start(&o);
    post_ok(sb, V "/795033096057724/accept", SANDBOX_TOKEN_A);
    resp r = http(sb, "POST", V "/21202248997039/whatsapp_business_solution", SANDBOX_TOKEN_A,
                  "solution_name=Evented&partner_app_id=637576208107267");
    json_object *c = parse(&r);
    char *created = strdup(jstr(c, "solution_id"));
    json_object_put(c);
    resp_free(&r);
    r = http(sb, "POST", V "/19702253086782/accept", SANDBOX_TOKEN_B, NULL); /* refused: no event */
    resp_free(&r);
    sandbox_stop(sb);
    char *text = slurp(ev);
    assert_int_equal(count_lines(text), 2);
    char *nl = strchr(text, '\n');
    *nl = '\0';
    json_object *e1 = json_tokener_parse(text), *e2 = json_tokener_parse(nl + 1);
    assert_string_equal(jstr(e1, "object"), "whatsapp_business_account");
    assert_string_equal(jstr(e1, "entry.0.id"), SANDBOX_BUSINESS_A_ID);
    assert_true(jint(e1, "entry.0.time") > 1600000000);
    assert_string_equal(jstr(e1, "entry.0.changes.0.field"), "partner_solutions");
    assert_string_equal(jstr(e1, "entry.0.changes.0.value.event"), "SOLUTION_UPDATED");
    assert_string_equal(jstr(e1, "entry.0.changes.0.value.solution_id"), "795033096057724");
    assert_string_equal(jstr(e1, "entry.0.changes.0.value.solution_status"), "ACTIVE");
    assert_string_equal(jstr(e2, "entry.0.changes.0.value.event"), "SOLUTION_CREATED");
    assert_string_equal(jstr(e2, "entry.0.changes.0.value.solution_id"), created);
    assert_string_equal(jstr(e2, "entry.0.changes.0.value.solution_status"), "INITIATED");
    json_object_put(e1);
    json_object_put(e2);
    free(created);
    free(text);
    unlink(ev);
    free(ev);
}

static void mutate_changes_what_clients_see(void **state)
{
    sandbox *sb = start(NULL);
    control(sb, "POST", "mutate",
            "{\"id\":\"795033096057724\",\"name\":\"Renamed\",\"partner_permissions\":[\"MANAGE\","
            "\"MESSAGING\"]}");
    json_object *s = solution(sb, "795033096057724", SANDBOX_TOKEN_A);
    assert_string_equal(jstr(s, "name"), "Renamed");
    assert_int_equal(jlen(s, "partners.data.0.partner_permissions"), 2);
    assert_int_equal(jlen(s, "owner_permissions"), 10);
    json_object_put(s);
    resp r =
        http_ex(sb, "POST", "/__sandbox/mutate", NULL, "{\"id\":\"1\"}", "application/json", 0);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    json_object *dump = get_ok(sb, "/__sandbox/state", NULL);
    assert_true(jlen(dump, "solutions") > 40);
    assert_true(jlen(dump, "wabas") >= 230);
    assert_null(strstr(json_object_to_json_string(dump), SANDBOX_TOKEN_A));
    json_object_put(dump);
    sandbox_stop(sb);
}

static void demo_steps_create_answer_and_onboard(void **state)
{
    char *ev = tmp_path("demo");
    sandbox_options o = {.events_path = ev};
    sandbox *sb = start(&o);
    json_object *before =
        get_ok(sb, V "/21202248997039/whatsapp_business_solutions?limit=100&role=PARTNER",
               SANDBOX_TOKEN_A);
    for (int i = 0; i < 3; i++)
        control(sb, "POST", "demo_step", NULL);
    json_object *after =
        get_ok(sb, V "/21202248997039/whatsapp_business_solutions?limit=100&role=PARTNER",
               SANDBOX_TOKEN_A);
    assert_int_equal(jlen(after, "data"), jlen(before, "data") + 1);
    json_object *newest = json_object_array_get_idx(jget(after, "data"), jlen(after, "data") - 1);
    assert_string_equal(jstr(newest, "status"), "INITIATED");
    json_object_put(before);
    json_object_put(after);
    sandbox_stop(sb);
    char *text = slurp(ev);
    assert_int_equal(count_lines(text), 3);
    assert_non_null(strstr(text, "SOLUTION_CREATED"));
    assert_non_null(strstr(text, "SOLUTION_UPDATED"));
    assert_non_null(strstr(text, "\"PARTNER_ADDED\""));
    assert_non_null(strstr(text, "\"account_update\""));
    free(text);
    unlink(ev);
    free(ev);
}

static void demo_thread_acts_and_stops_promptly(void **state)
{
    char *ev = tmp_path("demothread");
    sandbox_options o = {.events_path = ev, .demo_activity = true, .demo_interval_ms = 30};
    sandbox *sb = start(&o);
    for (int i = 0; i < 300; i++) {
        char *text = slurp(ev);
        size_t n = count_lines(text);
        free(text);
        if (n >= 3)
            break;
        usleep(10000);
    }
    double t0 = now_s();
    sandbox_stop(sb);
    assert_true(now_s() - t0 < 1.0);
    char *text = slurp(ev);
    assert_true(count_lines(text) >= 3);
    free(text);
    unlink(ev);
    free(ev);

    sandbox_options slow = {.demo_activity = true}; /* 10 s interval: stop must not wait for it */
    sb = start(&slow);
    t0 = now_s();
    sandbox_stop(sb);
    assert_true(now_s() - t0 < 1.0);
}

/* ---- hostile names and scenarios ---- */

static bool has_bytes(const resp *r, const char *bytes)
{
    return memmem(r->body, r->len, bytes, strlen(bytes)) != NULL;
}

static void check_hostile_answer(sandbox *sb)
{
    resp r = http(sb, "GET", V "/21202248997039/whatsapp_business_solutions?limit=100&fields=name",
                  SANDBOX_TOKEN_A, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has_bytes(&r, "\\u001b[2J")); /* ESC, escaped by JSON */
    assert_true(has_bytes(&r, "\\u001b]0;pwned\\u0007"));
    assert_true(has_bytes(&r, "\xc2\x9b"));     /* C1 CSI as raw UTF-8 */
    assert_true(has_bytes(&r, "\xe2\x80\xae")); /* RIGHT-TO-LEFT OVERRIDE */
    assert_true(has_bytes(&r, "\\r\\n"));
    assert_true(has_bytes(&r, "Bad UTF-8 \xff\xfe\xc3")); /* invalid UTF-8 sent as raw bytes */
    assert_true(has_bytes(&r, "全角文字"));
    json_object *o = parse(&r); /* json-c without UTF-8 validation still reads it */
    bool esc = false;
    for (size_t i = 0; i < jlen(o, "data"); i++)
        esc = esc || strstr(jstr(json_object_array_get_idx(jget(o, "data"), i), "name"),
                            "\x1b[2J") != NULL;
    assert_true(esc);
    json_object_put(o);
    resp_free(&r);
}

static void hostile_names_option_sends_raw_hostile_bytes(void **state)
{
    sandbox_options o = {.hostile_names = true};
    sandbox *sb = start(&o);
    check_hostile_answer(sb);
    sandbox_stop(sb);
}

static void hostile_scenario_fixture_loads(void **state)
{
    const char *dir = getenv("MPSDASH_FIXTURES");
    char path[1024];
    snprintf(path, sizeof path, "%s/scenario_hostile.json", dir ? dir : "tests/fixtures");
    sandbox_options o = {.scenario_path = path};
    sandbox *sb = start(&o);
    check_hostile_answer(sb);
    sandbox_stop(sb);
}

static void scenario_errors_name_the_file_and_problem(void **state)
{
    char err[256];
    sandbox_options o = {.scenario_path = "/nonexistent/scenario.json"};
    assert_null(sandbox_start(&o, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/scenario.json"));
    char *p = tmp_path("badscenario");
    const char *bad[][2] = {
        {"{\"solutions\":[{\"id\":\"1\"", "JSON"},
        {"{\"solutions\":[{\"id\":\"1\",\"name\":\"x\"}]}", "solutions[0].owner_app"},
        {"{\"solutions\":[{\"id\":\"1\",\"owner_app\":{\"id\":\"2\"},\"owner_permissions\":"
         "\"MANAGE\"}]}",
         "owner_permissions"},
        {"{\"apps\":[{\"id\":\"1\"}]}", "token"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FILE *f = fopen(p, "w");
        fputs(bad[i][0], f);
        fclose(f);
        o.scenario_path = p;
        err[0] = '\0';
        assert_null(sandbox_start(&o, err, sizeof err));
        if (!strstr(err, p) || !strstr(err, bad[i][1]))
            fail_msg("case %zu: %s", i, err);
    }
    unlink(p);
    free(p);
}

static void scenario_defines_apps_tokens_and_wabas(void **state)
{
    char *p = tmp_path("scenario2");
    FILE *f = fopen(p, "w");
    fputs(
        "{\"apps\":[{\"id\":\"111\",\"name\":\"One\",\"token\":\"t-one\",\"business_id\":\"900\"},"
        "{\"id\":\"222\",\"name\":\"Two\",\"token\":\"t-two\"}],"
        "\"solutions\":[{\"id\":\"5001\",\"name\":\"Hex "
        "\",\"name_hex\":\"48c3a9\",\"status\":\"INITIATED\","
        "\"status_for_pending_request\":\"PENDING_ACTIVATION\",\"owner_app\":{\"id\":\"222\"},"
        "\"owner_permissions\":[\"MANAGE\"],\"partners\":{\"data\":[{\"id\":\"5002\",\"partner_"
        "app\":{\"id\":\"111\"},"
        "\"status\":\"NOTIFICATION_SENT\",\"partner_permissions\":[\"DEVELOP\"]}]}}],"
        "\"wabas\":[{\"id\":\"7001\",\"name\":\"W\",\"business_id\":\"900\",\"partner_business_"
        "ids\":[\"901\"],"
        "\"solutions\":[\"5001\"]}]}",
        f);
    fclose(f);
    sandbox_options o = {.scenario_path = p};
    sandbox *sb = start(&o);
    json_object *l = get_ok(sb, V "/111/whatsapp_business_solutions", "t-one");
    assert_int_equal(jlen(l, "data"), 1);
    assert_string_equal(jstr(l, "data.0.name"), "H\xc3\xa9");
    json_object_put(l);
    json_object *w = get_ok(sb, V "/900/client_whatsapp_business_accounts", "t-one");
    assert_string_equal(jstr(w, "data.0.id"), "7001");
    json_object_put(w);
    post_ok(sb, V "/5001/accept", "t-one");
    resp r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL); /* built-in identities are gone */
    json_object_put(expect_error(&r, 400, 190));
    resp_free(&r);
    sandbox_stop(sb);
    unlink(p);
    free(p);
}

/* ---- dialects ---- */

static sandbox *start_openapi(void)
{
    sandbox_options o = {.dialect = SANDBOX_DIALECT_OPENAPI};
    return start(&o);
}

static resp post_json(sandbox *sb, const char *path, const char *token, const char *json)
{
    return http_ex(sb, "POST", path, token, json, json ? "application/json" : NULL, 0);
}

/* The sandbox's own record of a solution (GET /__sandbox/state). */
static json_object *state_of(sandbox *sb, const char *id)
{
    json_object *all = get_ok(sb, "/__sandbox/state", NULL), *found = NULL;
    for (size_t i = 0; i < jlen(all, "solutions"); i++) {
        json_object *s = json_object_array_get_idx(jget(all, "solutions"), i);
        if (strcmp(jstr(s, "id"), id) == 0)
            found = json_object_get(s);
    }
    json_object_put(all);
    assert_non_null(found);
    return found;
}

static void expect_status_of(sandbox *sb, const char *id, const char *status, const char *pending)
{
    json_object *s = state_of(sb, id);
    assert_string_equal(jstr(s, "status"), status);
    assert_string_equal(jstr(s, "status_for_pending_request"), pending);
    json_object_put(s);
}

/* An error whose message names what the caller must fix. */
static void expect_error_naming(resp *r, long status, int code, const char *needle)
{
    json_object *e = expect_error(r, status, code);
    if (!strstr(jstr(e, "error.message"), needle))
        fail_msg("the error does not name %s: %s", needle, jstr(e, "error.message"));
    json_object_put(e);
    resp_free(r);
}

static void openapi_has_no_partners_field_edge_or_batch(void **state)
{
    sandbox *sb = start_openapi();
    resp r =
        http(sb, "GET", V "/795033096057724?fields=id,partners%7Bid%7D", SANDBOX_TOKEN_A, NULL);
    expect_error_naming(&r, 400, 100, "nonexisting field (partners)");
    r = http(sb, "GET", V "/21202248997039/whatsapp_business_solutions?fields=id,partners",
             SANDBOX_TOKEN_A, NULL);
    expect_error_naming(&r, 400, 100, "nonexisting field (partners)");
    r = http(sb, "GET", V "/795033096057724/partners", SANDBOX_TOKEN_A, NULL);
    expect_error_naming(&r, 400, 100, "nonexisting field (partners)");
    r = http(sb, "POST", "/", SANDBOX_TOKEN_A,
             "batch=%5B%7B%22method%22%3A%22GET%22%2C%22relative_url%22%3A%22me%22%7D%5D");
    expect_error_naming(&r, 400, 100, "batch");
    /* what the spec has still answers */
    json_object *s =
        get_ok(sb,
               V "/795033096057724?fields=id,name,status,status_for_pending_request,owner_app,"
                 "owner_permissions",
               SANDBOX_TOKEN_A);
    assert_string_equal(jstr(s, "owner_app.id"), SANDBOX_APP_B_ID);
    assert_null(jget(s, "partners"));
    json_object_put(s);
    sandbox_stop(sb);

    sb = start(NULL); /* the guides' server has all three */
    json_object_put(get_ok(sb, V "/795033096057724/partners", SANDBOX_TOKEN_A));
    json_object_put(get_ok(sb, V "/795033096057724?fields=partners", SANDBOX_TOKEN_A));
    sandbox_stop(sb);
}

static void openapi_role_filter_is_honoured(void **state)
{
    sandbox *sb = start_openapi();
    json_object *all = get_ok(sb,
                              V "/21202248997039/whatsapp_business_solutions?limit=100&"
                                "fields=id,owner_app",
                              SANDBOX_TOKEN_A);
    json_object *own = get_ok(sb,
                              V "/21202248997039/whatsapp_business_solutions?limit=100&"
                                "role=OWNER&fields=id,owner_app",
                              SANDBOX_TOKEN_A);
    json_object *inv = get_ok(sb,
                              V "/21202248997039/whatsapp_business_solutions?limit=100&"
                                "role=PARTNER&fields=id,owner_app",
                              SANDBOX_TOKEN_A);
    assert_true(jlen(own, "data") > 0 && jlen(inv, "data") > 0);
    assert_int_equal(jlen(own, "data") + jlen(inv, "data"), jlen(all, "data"));
    char path[48];
    for (size_t i = 0; i < jlen(own, "data"); i++) {
        snprintf(path, sizeof path, "data.%zu.owner_app.id", i);
        assert_string_equal(jstr(own, path), SANDBOX_APP_A_ID);
    }
    for (size_t i = 0; i < jlen(inv, "data"); i++) {
        snprintf(path, sizeof path, "data.%zu.owner_app.id", i);
        assert_string_not_equal(jstr(inv, path), SANDBOX_APP_A_ID);
    }
    json_object_put(all);
    json_object_put(own);
    json_object_put(inv);
    resp r = http(sb, "GET", V "/21202248997039/whatsapp_business_solutions?role=BOTH",
                  SANDBOX_TOKEN_A, NULL);
    expect_error_naming(&r, 400, 100, "role");
    sandbox_stop(sb);
}

static void openapi_accept_needs_partner_app_id_and_answers_the_spec(void **state)
{
    sandbox *sb = start_openapi();
    const char *path = V "/795033096057724/accept";
    resp r = http(sb, "POST", path, SANDBOX_TOKEN_A, NULL); /* the guides' request */
    expect_error_naming(&r, 400, 100, "partner_app_id");
    r = http(sb, "POST", path, SANDBOX_TOKEN_A, "partner_app_id=21202248997039"); /* a form */
    expect_error_naming(&r, 400, 100, "JSON");
    r = post_json(sb, path, SANDBOX_TOKEN_A, "{\"partner_app_id\":21202248997039}");
    expect_error_naming(&r, 400, 100, "partner_app_id");
    r = post_json(sb, path, SANDBOX_TOKEN_A, "{\"partner_app_id\":\"637576208107267\"}");
    expect_error_naming(&r, 400, 100, "partner_app_id");
    expect_status_of(sb, "795033096057724", "INITIATED", "PENDING_ACTIVATION"); /* untouched */

    r = post_json(sb, path, SANDBOX_TOKEN_A, "{\"partner_app_id\":\"21202248997039\"}");
    assert_int_equal(r.status, 200);
    json_object *o = parse(&r);
    assert_string_equal(jstr(o, "solution_id"), "795033096057724");
    assert_string_equal(jstr(o, "partner_status"), "ACCEPTED");
    assert_true(json_object_get_boolean(jget(o, "success")));
    assert_non_null(jstr(o, "update_time"));
    json_object_put(o);
    resp_free(&r);
    expect_status_of(sb, "795033096057724", "ACTIVE", "NONE");
    r = post_json(sb, path, SANDBOX_TOKEN_A, "{\"partner_app_id\":\"21202248997039\"}");
    expect_error_naming(&r, 422, 100, "not pending");
    sandbox_stop(sb);
}

static void openapi_reject_needs_request_type_and_keeps_the_reason(void **state)
{
    sandbox *sb = start_openapi();
    const char *path = V "/19702253086782/reject";
    resp r = http(sb, "POST", path, SANDBOX_TOKEN_A, NULL);
    expect_error_naming(&r, 400, 100, "request_type");
    r = post_json(sb, path, SANDBOX_TOKEN_A, "{\"request_type\":\"PARTNERSHIP\"}");
    expect_error_naming(&r, 400, 100, "request_type");
    r = post_json(
        sb, path, SANDBOX_TOKEN_A,
        "{\"request_type\":\"PARTNERSHIP_REQUEST\",\"partner_app_id\":\"637576208107267\"}");
    expect_error_naming(&r, 400, 100, "partner_app_id"); /* the owner, not a partner */
    char big[700];
    snprintf(big, sizeof big,
             "{\"request_type\":\"PARTNERSHIP_REQUEST\",\"rejection_reason\":\"%0501d\"}", 0);
    r = post_json(sb, path, SANDBOX_TOKEN_A, big);
    expect_error_naming(&r, 400, 100, "rejection_reason");
    expect_status_of(sb, "19702253086782", "INITIATED", "PENDING_ACTIVATION");

    r = post_json(sb, path, SANDBOX_TOKEN_A,
                  "{\"request_type\":\"PARTNERSHIP_REQUEST\",\"partner_app_id\":\"21202248997039\","
                  "\"rejection_reason\":\"wrong permissions\"}");
    assert_int_equal(r.status, 200);
    json_object *o = parse(&r);
    assert_true(json_object_get_boolean(jget(o, "success")));
    assert_string_equal(jstr(o, "solution_id"), "19702253086782");
    assert_string_equal(jstr(o, "rejected_request_type"), "PARTNERSHIP_REQUEST");
    assert_string_equal(jstr(o, "partner_app_id"), SANDBOX_APP_A_ID);
    assert_non_null(jstr(o, "rejection_timestamp"));
    json_object_put(o);
    resp_free(&r);
    json_object *s = state_of(sb, "19702253086782");
    assert_string_equal(jstr(s, "status"), "REJECTED");
    assert_string_equal(jstr(s, "rejection_reason"), "wrong permissions");
    json_object_put(s);

    /* DEACTIVATION_REQUEST answers a pending deactivation (Social Overdrive asked) */
    r = post_json(sb, V "/440100000000009/reject", SANDBOX_TOKEN_A,
                  "{\"request_type\":\"DEACTIVATION_REQUEST\"}");
    assert_int_equal(r.status, 200);
    o = parse(&r);
    assert_string_equal(jstr(o, "rejected_request_type"), "DEACTIVATION_REQUEST");
    json_object_put(o);
    resp_free(&r);
    expect_status_of(sb, "440100000000009", "ACTIVE", "NONE");
    sandbox_stop(sb);
}

static void openapi_deactivation_answers_are_the_spec_shapes(void **state)
{
    sandbox *sb = start_openapi();
    const char *id = "440100000000007"; /* Social Overdrive owns, Lucky Shrub partners, ACTIVE */
    resp r = post_json(sb, V "/440100000000007/send_deactivation_request", SANDBOX_TOKEN_B,
                       "{\"reason\":\"winding down\"}");
    assert_int_equal(r.status, 200);
    json_object *o = parse(&r);
    assert_true(json_object_get_boolean(jget(o, "success")));
    assert_non_null(jstr(o, "message"));
    assert_non_null(jstr(o, "request_id"));
    json_object_put(o);
    resp_free(&r);
    json_object *s = state_of(sb, id);
    assert_string_equal(jstr(s, "deactivation_reason"), "winding down");
    json_object_put(s);

    const char *rej = V "/440100000000007/reject_deactivation_request";
    r = http(sb, "POST", rej, SANDBOX_TOKEN_A, NULL);
    expect_error_naming(&r, 400, 100, "reject_deactivation_request");
    r = post_json(sb, rej, SANDBOX_TOKEN_A, "{\"reject_deactivation_request\":false}");
    expect_error_naming(&r, 400, 100, "reject_deactivation_request");
    expect_status_of(sb, id, "ACTIVE", "PENDING_DEACTIVATION");
    r = post_json(sb, rej, SANDBOX_TOKEN_A, "{\"reject_deactivation_request\":true}");
    assert_int_equal(r.status, 200);
    o = parse(&r); /* the solution object, default fields */
    assert_string_equal(jstr(o, "id"), id);
    assert_string_equal(jstr(o, "status"), "ACTIVE");
    assert_string_equal(jstr(o, "status_for_pending_request"), "NONE");
    assert_non_null(jstr(o, "name"));
    json_object_put(o);
    resp_free(&r);

    r = post_json(sb, V "/440100000000007/send_deactivation_request", SANDBOX_TOKEN_B, NULL);
    assert_int_equal(r.status, 200); /* the body is optional */
    resp_free(&r);
    r = http(sb, "POST",
             V "/440100000000007/accept_deactivation_request?fields=id,status,owner_app",
             SANDBOX_TOKEN_A, NULL); /* so is this one's */
    assert_int_equal(r.status, 200);
    o = parse(&r);
    assert_string_equal(jstr(o, "status"), "DEACTIVATED");
    assert_string_equal(jstr(o, "owner_app.id"), SANDBOX_APP_B_ID);
    assert_null(jget(o, "success"));
    json_object_put(o);
    resp_free(&r);
    sandbox_stop(sb);
}

static void openapi_create_needs_the_spec_body(void **state)
{
    sandbox *sb = start_openapi();
    const char *path = V "/21202248997039/whatsapp_business_solution";
    resp r = http(sb, "POST", path, SANDBOX_TOKEN_A,
                  "solution_name=Form%20made&partner_app_id=637576208107267"
                  "&owner_permissions=%5B%5D&partner_permissions=%5B%22MESSAGING%22%5D");
    expect_error_naming(&r, 400, 100, "JSON");
    r = post_json(sb, path, SANDBOX_TOKEN_A,
                  "{\"solution_name\":\"No owner array\",\"partner_app_id\":\"637576208107267\","
                  "\"partner_permissions\":[\"MESSAGING\"]}");
    expect_error_naming(&r, 400, 100, "owner_permissions");
    r = post_json(sb, path, SANDBOX_TOKEN_A,
                  "{\"solution_name\":\"Managed\",\"partner_app_id\":\"637576208107267\","
                  "\"owner_permissions\":[],\"partner_permissions\":[\"MANAGE\"]}");
    expect_error_naming(&r, 400, 100, "partner_permissions");
    r = post_json(sb, path, SANDBOX_TOKEN_A,
                  "{\"solution_name\":\"Both\",\"partner_app_id\":\"637576208107267\","
                  "\"owner_permissions\":[\"MESSAGING\"],\"partner_permissions\":[\"MESSAGING\"]}");
    expect_error_naming(&r, 422, 100, "MESSAGING");
    r = post_json(sb, path, SANDBOX_TOKEN_A,
                  "{\"solution_name\":\"Neither\",\"partner_app_id\":\"637576208107267\","
                  "\"owner_permissions\":[],\"partner_permissions\":[]}");
    expect_error_naming(&r, 422, 100, "MESSAGING");
    r = post_json(sb, path, SANDBOX_TOKEN_A,
                  "{\"solution_name\":\"Spec made\",\"partner_app_id\":\"637576208107267\","
                  "\"owner_permissions\":[],\"partner_permissions\":[\"MESSAGING\"]}");
    assert_int_equal(r.status, 200);
    json_object *o = parse(&r);
    json_object *s = state_of(sb, jstr(o, "solution_id"));
    assert_string_equal(jstr(s, "name"), "Spec made");
    assert_string_equal(jstr(s, "status"), "INITIATED");
    json_object_put(s);
    json_object_put(o);
    resp_free(&r);
    sandbox_stop(sb);
}

static void openapi_business_token_has_expires_at(void **state)
{
    sandbox *sb = start_openapi();
    json_object *o =
        get_ok(sb, V "/17602267745700/access_token?business_id=2729063490586005", SANDBOX_TOKEN_A);
    assert_int_equal(strncmp(jstr(o, "access_token"), "EAAB", 4), 0);
    assert_true(json_object_get_int64(jget(o, "expires_at")) > (int64_t)time(NULL));
    assert_null(jget(o, "data"));
    json_object_put(o);
    sandbox_stop(sb);
}

static void openapi_error_statuses_are_the_specs(void **state)
{
    sandbox *sb = start_openapi();
    resp r = http(sb, "GET", V "/me", NULL, NULL);
    json_object_put(expect_error(&r, 401, 104));
    resp_free(&r);
    r = http(sb, "GET", V "/me", SANDBOX_TOKEN_EXPIRED, NULL);
    json_object_put(expect_error(&r, 401, 190));
    resp_free(&r);
    /* the owner may not accept: 403 (after the body passed) */
    r = post_json(sb, V "/19702253086782/accept", SANDBOX_TOKEN_B,
                  "{\"partner_app_id\":\"637576208107267\"}");
    json_object_put(expect_error(&r, 403, 200));
    resp_free(&r);
    r = http(sb, "GET", V "/99999999", SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 404, 803));
    resp_free(&r);
    r = http(sb, "POST", V "/440100000000023/send_deactivation_request", SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 422, 100)); /* a draft */
    resp_free(&r);
    control(sb, "POST", "fault", "{\"match\":\"GET\",\"kind\":\"ratelimit\"}");
    r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 429, 80007));
    resp_free(&r);
    control(sb, "POST", "fault", "{\"match\":\"GET\",\"kind\":\"status500\"}");
    r = http(sb, "GET", V "/me", SANDBOX_TOKEN_A, NULL);
    json_object *e = expect_error(&r, 500, 2);
    assert_true(json_object_get_boolean(jget(e, "error.is_transient")));
    json_object_put(e);
    resp_free(&r);
    sandbox_stop(sb);

    sb = start(NULL); /* the guides' server: Graph's HTTP 400 for all of these */
    r = http(sb, "GET", V "/99999999", SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 100));
    resp_free(&r);
    r = http(sb, "POST", V "/440100000000023/send_deactivation_request", SANDBOX_TOKEN_A, NULL);
    json_object_put(expect_error(&r, 400, 100));
    resp_free(&r);
    sandbox_stop(sb);
}

static void openapi_wabas_and_apps_are_the_specs(void **state)
{
    sandbox *sb = start_openapi();
    char path[256];
    snprintf(path, sizeof path, V "/%s/client_whatsapp_business_accounts?fields=id,business_type",
             SANDBOX_BUSINESS_A_ID);
    resp r = http(sb, "GET", path, SANDBOX_TOKEN_A, NULL);
    expect_error_naming(&r, 400, 100, "business_type");
    snprintf(path, sizeof path, V "/%s/client_whatsapp_business_accounts", SANDBOX_BUSINESS_A_ID);
    json_object *w = get_ok(sb, path, SANDBOX_TOKEN_A);
    assert_true(jlen(w, "data") > 0);
    assert_non_null(jstr(w, "data.0.timezone_id"));
    assert_null(jget(w, "data.0.business_type"));
    json_object_put(w);
    r = http(sb, "GET", V "/me/application_details", SANDBOX_TOKEN_A, NULL);
    expect_error_naming(&r, 400, 100, "application_details");
    json_object *a = get_ok(sb, V "/me/assigned_applications", SANDBOX_TOKEN_A);
    assert_string_equal(jstr(a, "data.0.id"), "634974688087057");
    json_object_put(a);
    sandbox_stop(sb);
}

static void guide_dialect_takes_the_spec_bodies_too(void **state)
{
    sandbox *sb = start(NULL);
    resp r = post_json(sb, V "/795033096057724/accept", SANDBOX_TOKEN_A,
                       "{\"partner_app_id\":\"21202248997039\"}");
    assert_int_equal(r.status, 200);
    json_object *o = parse(&r);
    assert_true(json_object_get_boolean(jget(o, "success")));
    assert_null(jget(o, "solution_id")); /* the guides' answer */
    json_object_put(o);
    resp_free(&r);
    r = post_json(sb, V "/19702253086782/reject", SANDBOX_TOKEN_A,
                  "{\"request_type\":\"PARTNERSHIP_REQUEST\",\"rejection_reason\":\"no thanks\"}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    json_object *s = state_of(sb, "19702253086782");
    assert_string_equal(jstr(s, "status"), "REJECTED");
    assert_string_equal(jstr(s, "rejection_reason"), "no thanks");
    json_object_put(s);
    r = post_json(sb, V "/440100000000009/reject_deactivation_request", SANDBOX_TOKEN_A,
                  "{\"reject_deactivation_request\":true}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    expect_status_of(sb, "440100000000009", "ACTIVE", "NONE");
    sandbox_stop(sb);
}

static void dialect_comes_from_option_then_scenario(void **state)
{
    sandbox_dialect d = SANDBOX_DIALECT_DEFAULT;
    assert_true(sandbox_dialect_parse("openapi", &d) && d == SANDBOX_DIALECT_OPENAPI);
    assert_true(sandbox_dialect_parse("guide", &d) && d == SANDBOX_DIALECT_GUIDE);
    assert_false(sandbox_dialect_parse("OpenAPI", &d) || sandbox_dialect_parse("", &d) ||
                 sandbox_dialect_parse(NULL, &d));
    sandbox *sb = start(NULL);
    assert_int_equal(sandbox_get_dialect(sb), SANDBOX_DIALECT_GUIDE);
    json_object *st = get_ok(sb, "/__sandbox/state", NULL);
    assert_string_equal(jstr(st, "dialect"), "guide");
    json_object_put(st);
    sandbox_stop(sb);

    char *p = tmp_path("dialect");
    FILE *f = fopen(p, "w");
    fputs("{\"dialect\":\"openapi\"}", f);
    fclose(f);
    sandbox_options o = {.scenario_path = p};
    sb = start(&o);
    assert_int_equal(sandbox_get_dialect(sb), SANDBOX_DIALECT_OPENAPI);
    st = get_ok(sb, "/__sandbox/state", NULL);
    assert_string_equal(jstr(st, "dialect"), "openapi");
    json_object_put(st);
    sandbox_stop(sb);
    o.dialect = SANDBOX_DIALECT_GUIDE; /* the command line wins */
    sb = start(&o);
    assert_int_equal(sandbox_get_dialect(sb), SANDBOX_DIALECT_GUIDE);
    sandbox_stop(sb);

    f = fopen(p, "w");
    fputs("{\"dialect\":\"swagger\"}", f);
    fclose(f);
    char err[256] = "";
    o.dialect = SANDBOX_DIALECT_DEFAULT;
    assert_null(sandbox_start(&o, err, sizeof err));
    assert_non_null(strstr(err, p));
    assert_non_null(strstr(err, "dialect"));
    unlink(p);
    free(p);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    srand((unsigned)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(binds_loopback_only),
        cmocka_unit_test(port_in_use_is_an_error),
        cmocka_unit_test(missing_token_refused),
        cmocka_unit_test(token_in_query_refused_and_not_logged),
        cmocka_unit_test(expired_token_is_190_463),
        cmocka_unit_test(unknown_token_is_190_467),
        cmocka_unit_test(list_default_fields_are_the_guides),
        cmocka_unit_test(list_has_every_state_and_unknown_values),
        cmocka_unit_test(paging_250_solutions_is_three_pages_of_100),
        cmocka_unit_test(paging_links_use_the_public_url),
        cmocka_unit_test(paging_before_cursor_goes_back),
        cmocka_unit_test(paging_after_a_removal_continues_after_the_cursor),
        cmocka_unit_test(role_filter_selects_owner_or_partner),
        cmocka_unit_test(role_chains_page_without_rebuilding_the_listing),
        cmocka_unit_test(listing_another_apps_solutions_is_a_permission_error),
        cmocka_unit_test(get_solution_matches_the_guides_example),
        cmocka_unit_test(get_solution_fields_partners_like_the_guide),
        cmocka_unit_test(percent_encoded_field_expansion_is_understood),
        cmocka_unit_test(unknown_field_is_error_100),
        cmocka_unit_test(refused_partner_fields_leave_the_partners_edge),
        cmocka_unit_test(other_apps_solution_does_not_exist_for_you),
        cmocka_unit_test(accept_by_partner_activates),
        cmocka_unit_test(accept_by_owner_refused),
        cmocka_unit_test(reject_by_partner_declines),
        cmocka_unit_test(deactivation_round_trip),
        cmocka_unit_test(builtin_pending_deactivation_answerable_by_partner),
        cmocka_unit_test(actions_on_draft_rejected_deactivated_refused),
        cmocka_unit_test(create_makes_an_initiated_solution_for_both),
        cmocka_unit_test(create_validates_like_the_api),
        cmocka_unit_test(batch_answers_each_item_in_order),
        cmocka_unit_test(batch_over_50_refused),
        cmocka_unit_test(client_wabas_filtered_by_partner_page_through_230),
        cmocka_unit_test(client_wabas_malformed_filtering_is_100),
        cmocka_unit_test(waba_solutions_lists_the_onboarding_solution),
        cmocka_unit_test(business_token_only_for_active_solutions),
        cmocka_unit_test(application_details_and_app_node),
        cmocka_unit_test(app_usage_header_rises_with_requests),
        cmocka_unit_test(fault_latency_delays_the_answer),
        cmocka_unit_test(fault_hang_holds_until_client_gives_up),
        cmocka_unit_test(fault_hang_ends_when_sandbox_stops),
        cmocka_unit_test(fault_reset_closes_without_answer),
        cmocka_unit_test(fault_status503_is_transient),
        cmocka_unit_test(fault_skip_lets_the_first_through),
        cmocka_unit_test(fault_truncate_cuts_the_body_short),
        cmocka_unit_test(fault_ratelimit_reports_full_usage),
        cmocka_unit_test(fault_expired_answers_190),
        cmocka_unit_test(fault_huge_body_exceeds_8_mib),
        cmocka_unit_test(fault_deep_nests_10000_arrays),
        cmocka_unit_test(fault_malformed_and_nonobject_bodies),
        cmocka_unit_test(fault_spec_errors_are_reported),
        cmocka_unit_test(request_log_has_one_line_per_request),
        cmocka_unit_test(events_file_gets_a_delivery_per_change),
        cmocka_unit_test(mutate_changes_what_clients_see),
        cmocka_unit_test(demo_steps_create_answer_and_onboard),
        cmocka_unit_test(demo_thread_acts_and_stops_promptly),
        cmocka_unit_test(hostile_names_option_sends_raw_hostile_bytes),
        cmocka_unit_test(hostile_scenario_fixture_loads),
        cmocka_unit_test(scenario_errors_name_the_file_and_problem),
        cmocka_unit_test(scenario_defines_apps_tokens_and_wabas),
        cmocka_unit_test(openapi_has_no_partners_field_edge_or_batch),
        cmocka_unit_test(openapi_role_filter_is_honoured),
        cmocka_unit_test(openapi_accept_needs_partner_app_id_and_answers_the_spec),
        cmocka_unit_test(openapi_reject_needs_request_type_and_keeps_the_reason),
        cmocka_unit_test(openapi_deactivation_answers_are_the_spec_shapes),
        cmocka_unit_test(openapi_create_needs_the_spec_body),
        cmocka_unit_test(openapi_business_token_has_expires_at),
        cmocka_unit_test(openapi_error_statuses_are_the_specs),
        cmocka_unit_test(openapi_wabas_and_apps_are_the_specs),
        cmocka_unit_test(guide_dialect_takes_the_spec_bodies_too),
        cmocka_unit_test(dialect_comes_from_option_then_scenario),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
