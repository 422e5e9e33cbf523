/* The dashboard's data side: the profile, its worker, list loads and the routing of results
 * (by tag, dropping those of a stale generation) into the store. */
#include "ui-data.h"
#include "ui-actions.h"
#include "ui-feed.h"
#include "ui-internal.h"
#include "ui-panel.h"
#include "ui-views.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mpsdash/alloc.h"
#include "mpsdash/cli.h"
#include "mpsdash/sandbox.h"
#include "mpsdash/util.h"

#define DEMO_REFRESH_S 10
#define PAUSED_RETRY_S 300

/* ---- id sets ----------------------------------------------------------------------------- */

void ui_idset_add(ui_idset *s, const char *id)
{
    if (!id || strset_has(&s->index, id))
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->ids = mps_xreallocarray(s->ids, s->cap, sizeof *s->ids);
    }
    s->ids[s->n] = mps_xstrdup(id);
    strset_add(&s->index, s->ids[s->n]); /* the copy stays put when ids grows */
    s->n++;
}

bool ui_idset_has(const ui_idset *s, const char *id)
{
    return strset_has(&s->index, id);
}

void ui_idset_clear(ui_idset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->ids[i]);
    free(s->ids);
    strset_clear(&s->index);
    memset(s, 0, sizeof *s);
}

/* ---- jobs -------------------------------------------------------------------------------- */

bool ui_busy(const ui *u)
{
    return u->w && worker_pending(u->w) > 0;
}

unsigned long ui_data_submit(ui *u, graph_op *op, ui_tag tag)
{
    return ui_data_submit_as(u, 0, op, tag);
}

unsigned long ui_data_submit_as(ui *u, unsigned long identity, graph_op *op, ui_tag tag)
{
    if (!u->w || !op) {
        graph_op_free(op);
        return 0;
    }
    unsigned long job = worker_submit_as(u->w, identity, op, ++u->gen, (int)tag);
    ui_dirty(u, UI_DIRTY_STATUS);
    return job;
}

unsigned long ui_data_submit_task(ui *u, worker_task_fn run, void *ctx, void (*discard)(void *),
                                  ui_tag tag)
{
    if (!u->w)
        return 0;
    unsigned long job = worker_submit_task(u->w, run, ctx, discard, ++u->gen, (int)tag);
    ui_dirty(u, UI_DIRTY_STATUS);
    return job;
}

bool ui_task_stopping(void *task)
{
    return worker_task_stopping(task);
}

double ui_refresh_interval_effective(const ui *u)
{
    /* Slow down as the API budget is used up; pause near the limit. */
    static const struct {
        int above;
        double factor;
    } slowdown[] = {{90, 0}, {75, 4}, {50, 2}};
    double base = u->refresh_interval;
    if (base <= 0)
        return 0;
    for (size_t i = 0; i < COUNT_OF(slowdown); i++)
        if (u->usage.max_percent > slowdown[i].above)
            return base * slowdown[i].factor;
    return base;
}

void ui_schedule_refresh(ui *u)
{
    if (u->refresh_interval <= 0) {
        u->next_refresh = 0;
        return;
    }
    double every = ui_refresh_interval_effective(u);
    if (every <= 0) {
        /* Paused: one polite try later, so the usage figure can fall again. */
        double regain = u->usage.regain_minutes * 60.0;
        every = regain > PAUSED_RETRY_S ? regain : PAUSED_RETRY_S;
    }
    u->next_refresh = ui_now() + every;
}

void ui_refresh(ui *u)
{
    if (!u->w)
        return;
    /* A newer load supersedes the one in flight: its late pages are dropped by generation. */
    if (u->list_loading)
        worker_cancel(u->w, u->list_job);
    store_listing_begin(u->st);
    u->list_job = ui_data_submit(u, graph_op_list_solutions(NULL), UI_TAG_LIST);
    u->list_gen = u->gen;
    u->list_loading = true;
    u->list_load_started = ui_now();
    u->list_progress = (graph_progress){0};
    u->next_refresh = 0;
    ui_dirty(u, UI_DIRTY_HEADER | UI_DIRTY_STATUS | UI_DIRTY_LIST);
}

void ui_data_want_detail(ui *u)
{
    const mps_solution *s = ui_selected(u);
    if (!s || !s->id || !u->w)
        return;
    /* a server without partners data has nothing more to give than the list did */
    if ((s->has_partners || s->partners_unavailable) && s->has_owner_permissions)
        return;
    if (ui_idset_has(&u->detail_requested, s->id))
        return;
    ui_idset_add(&u->detail_requested, s->id);
    ui_data_submit(u, graph_op_get_solution(s->id), UI_TAG_DETAIL);
}

/* ---- results ----------------------------------------------------------------------------- */

static void take_solutions(ui *u, worker_result *r, bool listing)
{
    for (size_t i = 0; i < r->data.solution_count; i++) {
        mps_solution *s = r->data.solutions[i];
        r->data.solutions[i] = NULL;
        if (!s || !s->id) {
            solution_free(s);
            continue;
        }
        /* The exact server JSON is for --json output; the dashboard never shows it. */
        free(s->json);
        s->json = NULL;
        ui_notify_note(u, store_find(u->st, s->id), s);
        const char *id = s->id;
        store_upsert_take(u->st, s);
        if (listing)
            store_listing_mark(u->st, id);
    }
    r->data.solution_count = 0;
}

static void error_message(ui *u, const char *what, const graph_error *e)
{
    char buf[900];
    graph_error_format(e, buf, sizeof buf);
    ui_message(u, UI_MSG_ERROR, "%s: %s", what, buf);
}

static void on_list(ui *u, worker_result *r)
{
    if (r->generation != u->list_gen)
        return; /* a superseded load */
    /* While the first load comes in page by page (or chain by chain), rows sorted above the
     * first one would push a cursor nobody moved down the list: it stays on the top row. */
    bool keep_top = !u->list_loaded && ui_panel_of(u)->list.sel == 0;
    take_solutions(u, r, true);
    if (r->done) {
        u->list_loading = false;
        if (r->error.cls == GRAPH_OK) {
            /* Solutions the complete load did not bring back are gone from the server. */
            store_listing_sweep(u->st);
            u->last_refresh = ui_now();
            u->list_loaded = true;
            ui_idset_clear(&u->detail_requested);
            if (u->message_level == UI_MSG_ERROR && strncmp(u->message, "loading", 7) == 0)
                ui_message_clear(u);
        } else if (r->error.cls != GRAPH_ERR_CANCELLED) {
            error_message(u, "loading the solutions", &r->error);
        }
        ui_schedule_refresh(u);
    }
    if (keep_top)
        ui_select_index(u, 0);
    else
        ui_selection_sync(u);
    ui_dirty(u, UI_DIRTY_BODY | UI_DIRTY_STATUS | UI_DIRTY_HEADER);
}

static void on_app(ui *u, worker_result *r)
{
    if (!r->done || r->error.cls != GRAPH_OK || r->data.app_count == 0)
        return; /* the header keeps the id; the list load reports what went wrong */
    const mps_app *a = &r->data.apps[0];
    if (a->name) {
        free(u->app_name);
        u->app_name = mps_xstrdup(a->name);
        ui_dirty(u, UI_DIRTY_HEADER);
    }
}

static void on_detail(ui *u, worker_result *r)
{
    if (!r->done)
        return;
    if (r->error.cls == GRAPH_OK)
        take_solutions(u, r, false);
    else if (r->error.cls != GRAPH_ERR_CANCELLED)
        error_message(u, "loading the solution", &r->error);
    ui_selection_sync(u);
    ui_dirty(u, UI_DIRTY_BODY);
}

static const struct {
    ui_tag tag;
    void (*handle)(ui *u, worker_result *r);
} handlers[] = {
    {UI_TAG_LIST, on_list},
    {UI_TAG_APP, on_app},
    {UI_TAG_DETAIL, on_detail},
    {UI_TAG_ACTION, ui_action_result},
    {UI_TAG_FEED_GET, ui_feed_result},
    {UI_TAG_FEED_BACKLOG, ui_feed_backlog_result},
};

void ui_data_poll(ui *u)
{
    if (!u->w)
        return;
    worker_result *r;
    while ((r = worker_next_result(u->w))) {
        /* The header's usage is the dashboard's app's; another profile's is not. */
        if (r->identity == 0 && r->usage.max_percent >= 0 &&
            (r->usage.max_percent != u->usage.max_percent ||
             r->usage.regain_minutes != u->usage.regain_minutes)) {
            u->usage = r->usage;
            ui_dirty(u, UI_DIRTY_HEADER);
        }
        if (r->progress_only) { /* no data: only the status line wants it */
            if (r->generation >= u->profile_gen)
                ui_status_progress(u, r);
        } else if (r->generation >= u->profile_gen) {
            for (size_t i = 0; i < COUNT_OF(handlers); i++)
                if (handlers[i].tag == (ui_tag)r->tag)
                    handlers[i].handle(u, r);
            /* The views' jobs: the registry routes them. */
            const ui_view_kind *kind = ui_view_kind_of_tag(r->tag);
            if (kind && kind->result)
                kind->result(u, r);
        }
        worker_result_free(r);
    }
    ui_dirty(u, UI_DIRTY_STATUS); /* the spinner stops when the last job is in */
}

/* ---- profiles ---------------------------------------------------------------------------- */

void ui_data_graph_options(const ui *u, const resolved_profile *rp, graph_options *go)
{
    *go = (graph_options){
        .base_url = rp->graph_url,
        .api_version = rp->api_version,
        .app_id = rp->app_id,
        .token = rp->token,
        .app_secret = rp->app_secret,
        .ca_file = rp->ca_file,
        .trace_path = u->opts && u->opts->globals ? u->opts->globals->trace_path : NULL,
        .deadline_ms = (long)ui_deadline_s(u) * 1000,
        .no_json = true, /* the dashboard never shows the server's JSON text */
    };
}

int ui_deadline_s(const ui *u)
{
    return config_timeout_s(u->opts ? u->opts->config : NULL,
                            u->opts && u->opts->globals ? u->opts->globals->timeout_s : 0);
}

static worker *start_worker(const ui *u, const resolved_profile *rp, char *err, size_t err_size)
{
    graph_options go;
    ui_data_graph_options(u, rp, &go);
    graph_error ge;
    worker *w = worker_new(&go, &ge);
    if (!w) {
        char buf[700];
        graph_error_format(&ge, buf, sizeof buf);
        snprintf(err, err_size, "%s", buf);
    }
    return w;
}

/* The header says SANDBOX for the demo and for plain http on loopback (Meta is https only). */
static bool looks_like_sandbox(const char *url)
{
    static const char *prefixes[] = {"http://127.", "http://localhost", "http://[::1]"};
    for (size_t i = 0; url && i < COUNT_OF(prefixes); i++)
        if (strncmp(url, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

/* Puts rp in place with its worker and starts loading (rp's strings move into u). */
static void adopt(ui *u, resolved_profile *rp, worker *w)
{
    resolved_profile_clear(&u->profile);
    u->profile = *rp;
    memset(rp, 0, sizeof *rp);
    u->profile_ok = true;
    u->w = w;
    u->on_sandbox = u->demo || looks_like_sandbox(u->profile.graph_url);
    free(u->app_name);
    u->app_name = NULL;
    u->refresh_interval = u->profile.refresh_interval;
    if (u->demo && (u->refresh_interval <= 0 || u->refresh_interval > DEMO_REFRESH_S))
        u->refresh_interval = DEMO_REFRESH_S;
    u->usage.max_percent = -1;
    u->usage.regain_minutes = 0;

    /* Keep the view settings across a switch; the data belongs to the old app. */
    mps_state st;
    bool filtered = u->st && store_state_filter(u->st, &st);
    store_sort key = u->st ? store_sort_key(u->st) : SORT_NAME;
    bool desc = u->st && store_sort_descending(u->st);
    mps_role role = u->st ? store_role_filter(u->st) : ROLE_UNKNOWN;
    store_free(u->st);
    u->st = store_new(u->profile.app_id);
    store_set_state_filter(u->st, !filtered, filtered ? st : STATE_PENDING);
    store_set_sort(u->st, key, desc);
    store_set_role_filter(u->st, role);
    ui_panel_reset(u);
    ui_idset_clear(&u->detail_requested);
    u->list_loading = false;
    u->list_loaded = false;
    u->last_refresh = 0;
    memset(u->tab_unseen, 0, sizeof u->tab_unseen); /* another app's news is not this one's */
    u->notify_count = 0;

    /* Everything submitted from here on is this profile's. */
    u->profile_gen = u->gen + 1;
    ui_views_profile_changed(u);
    /* The list first: it takes the connection being set up, so the first row comes after the
     * handshake and one round trip; the app name follows (multiplexed over HTTP/2). */
    ui_refresh(u);
    ui_data_submit(u, graph_op_app(u->profile.app_id), UI_TAG_APP);
    ui_dirty(u, UI_DIRTY_ALL & ~UI_DIRTY_LAYOUT);
}

bool ui_data_connect(ui *u, const char *profile_name, const profile_overrides *ov, char *err,
                     size_t err_size)
{
    resolved_profile rp;
    memset(&rp, 0, sizeof rp);
    if (profile_resolve(u->config, profile_name, ov, 0, &rp, err, err_size) != 0)
        return false;
    worker *w = start_worker(u, &rp, err, err_size);
    if (!w) {
        resolved_profile_clear(&rp);
        return false;
    }
    if (u->w) {
        ui_actions_abandon(u, "profile switched while the request was in flight");
        worker_free(u->w);
        u->w = NULL;
    }
    adopt(u, &rp, w);
    /* readonly follows the profile (readonly = true), unless the command line said either way */
    const cli_globals *g = u->opts ? u->opts->globals : NULL;
    u->readonly = (g && g->readonly) || (u->profile.readonly && !(g && g->no_readonly));
    return true;
}

void ui_data_disconnect(ui *u)
{
    if (u->w) {
        ui_actions_abandon(u, "the dashboard quit while the request was in flight");
        worker_free(u->w);
        u->w = NULL;
    }
    ui_views_shutdown(u);
    store_free(u->st);
    u->st = NULL;
    resolved_profile_clear(&u->profile);
    u->profile_ok = false;
    free(u->app_name);
    u->app_name = NULL;
    ui_idset_clear(&u->detail_requested);
}

bool ui_profile_switch(ui *u, const char *name)
{
    if (u->demo) {
        ui_message(u, UI_MSG_WARNING, "the demo has one profile; run mpsdash without --demo");
        return false;
    }
    mps_errtext err;
    /* The command line's overrides were for the starting profile, not for the one asked for. */
    profile_overrides none = {0};
    bool ok = ui_data_connect(u, name, &none, err, sizeof err);
    if (!ok) {
        ui_message(u, UI_MSG_ERROR, "profile %s: %s", name, err);
        return false;
    }
    ui_message(u, UI_MSG_INFO, "profile %s (app %s)", u->profile.name ? u->profile.name : name,
               u->profile.app_id ? u->profile.app_id : "?");
    return true;
}

/* ---- the demo ---------------------------------------------------------------------------- */

bool ui_data_start_demo(ui *u, char *err, size_t err_size)
{
    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/mpsdash-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        snprintf(err, err_size, "cannot make a private directory for the demo: %s",
                 strerror(errno));
        return false;
    }
    u->demo_dir = mps_xstrdup(dir);
    char events[600];
    snprintf(events, sizeof events, "%s/events.jsonl", dir);
    sandbox_options so = {0};
    so.events_path = events;
    so.demo_activity = true;
    so.dialect = (sandbox_dialect)u->opts->demo_dialect;
    u->sb = sandbox_start(&so, err, err_size);
    if (!u->sb) {
        ui_data_stop_demo(u);
        return false;
    }
    resolved_profile rp;
    memset(&rp, 0, sizeof rp);
    rp.name = mps_xstrdup("demo");
    rp.implicit = true;
    rp.app_id = mps_xstrdup(SANDBOX_APP_A_ID);
    rp.business_id = mps_xstrdup(SANDBOX_BUSINESS_A_ID);
    rp.graph_url = mps_xstrdup(sandbox_base_url(u->sb));
    rp.api_version = mps_xstrdup(MPS_DEFAULT_API_VERSION);
    rp.events_file = mps_xstrdup(events);
    rp.token = mps_xstrdup(SANDBOX_TOKEN_A);
    rp.refresh_interval = u->config ? u->config->refresh_interval : DEMO_REFRESH_S;
    worker *w = start_worker(u, &rp, err, err_size);
    if (!w) {
        resolved_profile_clear(&rp);
        ui_data_stop_demo(u);
        return false;
    }
    adopt(u, &rp, w);
    return true;
}

void ui_data_stop_demo(ui *u)
{
    sandbox_stop(u->sb);
    u->sb = NULL;
    if (u->demo_dir) {
        char events[600];
        snprintf(events, sizeof events, "%s/events.jsonl", u->demo_dir);
        unlink(events);
        rmdir(u->demo_dir);
        free(u->demo_dir);
        u->demo_dir = NULL;
    }
}
