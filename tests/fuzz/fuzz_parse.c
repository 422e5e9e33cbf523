/* Fuzz harness for the Graph answer parsers: whatever a server sends, parsing never crashes, and
 * everything that reaches a model struct or an error line is safe to print. */
#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setlocale(LC_ALL, "");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    graph_parse_limits lim = {.max_bytes = 1 << 20, .max_depth = 32};
    graph_error err;

    mps_solution *sol = NULL;
    if (graph_parse_solution(body, size, &lim, &sol, &err))
        check_solution(sol);
    else
        check_error(&err);
    solution_free(sol);

    mps_solution **items = NULL;
    size_t count = 0;
    char *next = NULL;
    if (graph_parse_solution_page(body, size, &lim, &items, &count, &next, &err)) {
        for (size_t i = 0; i < count; i++)
            check_solution(items[i]);
        if (next)
            for (const char *p = next; *p; p++)
                CHECK(*p > 0x20 && *p < 0x7f);
    } else {
        check_error(&err);
        CHECK(count == 0 && next == NULL);
    }
    for (size_t i = 0; i < count; i++)
        solution_free(items[i]);
    free(items);
    free(next);

    mps_partner *partners = NULL;
    size_t pcount = 0;
    next = NULL;
    if (graph_parse_partner_page(body, size, &lim, &partners, &pcount, &next, &err))
        for (size_t i = 0; i < pcount; i++)
            check_partner(&partners[i]);
    for (size_t i = 0; i < pcount; i++)
        partner_clear(&partners[i]);
    free(partners);
    free(next);

    mps_waba *wabas = NULL;
    size_t wcount = 0;
    next = NULL;
    if (graph_parse_waba_page(body, size, &lim, &wabas, &wcount, &next, &err))
        for (size_t i = 0; i < wcount; i++)
            check_waba(&wabas[i]);
    for (size_t i = 0; i < wcount; i++)
        waba_clear(&wabas[i]);
    free(wabas);
    free(next);

    mps_app *apps = NULL;
    size_t acount = 0;
    next = NULL;
    if (graph_parse_app_page(body, size, &lim, &apps, &acount, &next, &err))
        for (size_t i = 0; i < acount; i++)
            check_app(&apps[i]);
    for (size_t i = 0; i < acount; i++)
        app_clear(&apps[i]);
    free(apps);
    free(next);

    bool success;
    sol = NULL;
    if (graph_parse_action(body, size, &lim, &success, &sol, &err) && sol)
        check_solution(sol);
    solution_free(sol);

    char *id = NULL;
    if (graph_parse_created(body, size, &lim, &id, &err))
        check_text(id);
    free(id);

    char *token = NULL;
    long long exp;
    if (graph_parse_token(body, size, &lim, &token, &exp, &err))
        check_text(token);
    free(token);

    if (graph_parse_error(body, size, 400, NULL, &err))
        check_error(&err);

    mps_event *events = NULL;
    size_t ecount = 0;
    if (graph_parse_webhook(body, size, &events, &ecount, &err))
        for (size_t i = 0; i < ecount; i++) {
            check_text(events[i].business_id);
            check_text(events[i].event);
            check_text(events[i].solution_id);
            check_text(events[i].waba_id);
        }
    for (size_t i = 0; i < ecount; i++)
        event_clear(&events[i]);
    free(events);

    /* headers and redaction take NUL-terminated text */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    graph_usage usage = {.max_percent = -1};
    graph_parse_usage_header("X-App-Usage", text, &usage);
    graph_parse_usage_header("X-Business-Use-Case-Usage", text, &usage);
    CHECK(usage.max_percent >= -1 && usage.max_percent <= 1000);
    char *red = graph_redact(text);
    CHECK(red != NULL);
    CHECK(strstr(red, "access_token=EAA") == NULL);
    free(red);
    free(text);
    return 0;
}
