/* The inbox across apps: sources (profiles) and the pending requests they hold. */
#include "mpsdash/inbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"

inbox *inbox_new(void)
{
    return mps_xcalloc(1, sizeof(inbox));
}

void inbox_free(inbox *ib)
{
    if (!ib)
        return;
    for (size_t i = 0; i < ib->nsources; i++) {
        free(ib->sources[i].profile);
        free(ib->sources[i].app_id);
        free(ib->sources[i].app_name);
        free(ib->sources[i].error);
        free(ib->sources[i].error_kind);
    }
    for (size_t i = 0; i < ib->nrows; i++)
        solution_free(ib->rows[i].solution);
    free(ib->sources);
    free(ib->rows);
    free(ib);
}

size_t inbox_add_source(inbox *ib, const char *profile, const char *app_id)
{
    ib->sources = mps_xrealloc(ib->sources, (ib->nsources + 1) * sizeof *ib->sources);
    inbox_source *s = &ib->sources[ib->nsources];
    memset(s, 0, sizeof *s);
    s->profile = mps_xstrdup(profile ? profile : "");
    s->app_id = mps_xstrdup(app_id);
    s->status = INBOX_LOADING;
    return ib->nsources++;
}

static void drop_rows(inbox *ib, size_t source)
{
    size_t out = 0;
    for (size_t i = 0; i < ib->nrows; i++) {
        if (ib->rows[i].source == source)
            solution_free(ib->rows[i].solution);
        else
            ib->rows[out++] = ib->rows[i];
    }
    ib->nrows = out;
    ib->sources[source].pending = 0;
}

void inbox_fail(inbox *ib, size_t source, const char *kind, const char *error)
{
    if (source >= ib->nsources)
        return;
    inbox_source *s = &ib->sources[source];
    drop_rows(ib, source);
    free(s->error);
    free(s->error_kind);
    s->error = mps_xstrdup(error ? error : "failed");
    s->error_kind = mps_xstrdup(kind ? kind : "error");
    s->status = INBOX_FAILED;
}

bool inbox_is_pending(const mps_solution *s)
{
    mps_state st = solution_state(s);
    return st == STATE_PENDING || st == STATE_PENDING_DEACTIVATION;
}

/* Our app's name as the server spells it, from a solution that names our app. */
static void learn_name(inbox_source *src, const mps_solution *s)
{
    if (src->app_name || !src->app_id)
        return;
    const char *name = NULL;
    if (s->owner_app.id && strcmp(s->owner_app.id, src->app_id) == 0)
        name = s->owner_app.name;
    for (size_t i = 0; !name && i < s->partner_count; i++)
        if (s->partners[i].app.id && strcmp(s->partners[i].app.id, src->app_id) == 0)
            name = s->partners[i].app.name;
    if (name && *name)
        src->app_name = mps_xstrdup(name);
}

void inbox_take(inbox *ib, size_t source, mps_solution **items, size_t n)
{
    if (source >= ib->nsources) {
        for (size_t i = 0; i < n; i++)
            solution_free(items[i]);
        return;
    }
    inbox_source *src = &ib->sources[source];
    for (size_t i = 0; i < n; i++) {
        mps_solution *s = items[i];
        src->solutions++;
        learn_name(src, s);
        if (src->status == INBOX_FAILED || !inbox_is_pending(s)) {
            solution_free(s);
            continue;
        }
        ib->rows = mps_xrealloc(ib->rows, (ib->nrows + 1) * sizeof *ib->rows);
        ib->rows[ib->nrows++] = (inbox_row){.source = source,
                                            .solution = s,
                                            .state = solution_state(s),
                                            .role = solution_role(s, src->app_id)};
        src->pending++;
    }
}

void inbox_loaded(inbox *ib, size_t source)
{
    if (source < ib->nsources && ib->sources[source].status == INBOX_LOADING)
        ib->sources[source].status = INBOX_LOADED;
}

static int cmp_rows(const void *a, const void *b)
{
    const inbox_row *x = a, *y = b;
    if (x->source != y->source)
        return x->source < y->source ? -1 : 1;
    if (x->state != y->state)
        return x->state < y->state ? -1 : 1;
    const char *nx = x->solution->name ? x->solution->name : "";
    const char *ny = y->solution->name ? y->solution->name : "";
    int c = strcmp(nx, ny);
    if (c)
        return c;
    return strcmp(x->solution->id ? x->solution->id : "", y->solution->id ? y->solution->id : "");
}

void inbox_sort(inbox *ib)
{
    if (ib->nrows > 1)
        qsort(ib->rows, ib->nrows, sizeof *ib->rows, cmp_rows);
}

bool inbox_complete(const inbox *ib)
{
    for (size_t i = 0; i < ib->nsources; i++)
        if (ib->sources[i].status == INBOX_LOADING)
            return false;
    return true;
}

size_t inbox_failed_count(const inbox *ib)
{
    size_t n = 0;
    for (size_t i = 0; i < ib->nsources; i++)
        n += ib->sources[i].status == INBOX_FAILED;
    return n;
}

size_t inbox_row_actions(const inbox_row *r, mps_action out[ACTION_COUNT])
{
    size_t n = 0;
    for (int a = 0; a < ACTION_COUNT; a++)
        if (action_offered((mps_action)a, r->state, r->role, NULL))
            out[n++] = (mps_action)a;
    return n;
}

void inbox_row_actions_text(const inbox_row *r, char *buf, size_t size)
{
    mps_action acts[ACTION_COUNT];
    size_t n = inbox_row_actions(r, acts);
    if (n == 0) {
        snprintf(buf, size, "(waits for the %s)", r->role == ROLE_OWNER ? "partner" : "owner");
        return;
    }
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used + 1 < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", action_get(acts[i])->verb);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

const char *inbox_source_app(const inbox_source *s)
{
    return s->app_name ? s->app_name : s->app_id ? s->app_id : "?";
}
