/* Properties every fuzz harness checks on what reaches a person: texts are safe to print, error
 * lines too, the inert JSON copies parse back. A failure stops the run loudly (abort), in the
 * replay driver as under libFuzzer. */
#ifndef MPSDASH_FUZZ_CHECK_H
#define MPSDASH_FUZZ_CHECK_H

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/graph.h"
#include "mpsdash/text.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);                             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static inline void check_text(const char *s)
{
    CHECK(!s || text_is_safe(s));
}

static inline void check_error(const graph_error *err)
{
    CHECK(err->cls >= GRAPH_OK && err->cls < GRAPH_ERR_CLASS_COUNT);
    check_text(err->message);
    check_text(err->fbtrace_id);
    check_text(err->hint);
    char line[1024];
    graph_error_format(err, line, sizeof line);
    check_text(line);
}

/* The inert JSON copy parses back and carries no raw terminal controls. */
static inline void check_json(const char *json)
{
    if (!json)
        return;
    for (const unsigned char *p = (const unsigned char *)json; *p; p++)
        CHECK(*p >= 0x20 && *p != 0x7f);
    CHECK(strstr(json, "\xC2\x85") == NULL && strstr(json, "\xE2\x80\xAE") == NULL);
    json_object *o = json_tokener_parse(json);
    CHECK(o != NULL);
    json_object_put(o);
}

static inline void check_app(const mps_app *a)
{
    check_text(a->id);
    check_text(a->name);
    check_text(a->link);
}

static inline void check_partner(const mps_partner *p)
{
    check_text(p->id);
    check_text(p->status);
    check_app(&p->app);
    for (size_t i = 0; i < p->permissions.count; i++)
        check_text(p->permissions.items[i]);
}

static inline void check_solution(const mps_solution *s)
{
    CHECK(s->id && s->id[0]);
    check_text(s->id);
    check_text(s->name);
    check_text(s->status);
    check_text(s->pending_request);
    check_app(&s->owner_app);
    for (size_t i = 0; i < s->owner_permissions.count; i++)
        check_text(s->owner_permissions.items[i]);
    for (size_t i = 0; i < s->partner_count; i++)
        check_partner(&s->partners[i]);
    check_json(s->json);
    solution_state_text(s);
}

static inline void check_waba(const mps_waba *w)
{
    check_text(w->id);
    check_text(w->name);
    check_text(w->timezone_id);
    check_json(w->json);
}

#endif
