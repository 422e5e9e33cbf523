/* The sandbox's world (apps, solutions, client WABAs) and the MPS state machine + webhooks. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mpsdash/text.h"
#include "sbx.h"

/* ---- the world ---- */

static void app_free(sbx_app *a)
{
    free(a->id);
    free(a->name);
    free(a->link);
    free(a->token);
    free(a->business_id);
}

static void sol_free(sbx_solution *s)
{
    free(s->id);
    free(s->name);
    free(s->status);
    free(s->pending);
    free(s->owner_app_id);
    free(s->deact_by);
    free(s->rejection_reason);
    free(s->deactivation_reason);
    strlist_clear(&s->owner_perms);
    for (size_t i = 0; i < s->npartners; i++) {
        free(s->partners[i].id);
        free(s->partners[i].app_id);
        free(s->partners[i].status);
        strlist_clear(&s->partners[i].perms);
    }
    free(s->partners);
    free(s);
}

static void waba_free(sbx_waba *w)
{
    free(w->id);
    free(w->name);
    free(w->timezone_id);
    free(w->business_type);
    free(w->namespace_);
    free(w->business_id);
    free(w->owner_business_id);
    strlist_clear(&w->partner_business_ids);
    strlist_clear(&w->solution_ids);
    free(w);
}

void sbx_listing_free(sbx_listing *l)
{
    free(l->sols);
    free(l->wabas);
    free(l->ids);
    memset(l, 0, sizeof *l);
}

void sbx_world_free(sbx_world *w)
{
    for (size_t i = 0; i < SBX_LISTING_CACHE; i++) {
        free(w->listings[i].caller);
        sbx_listing_free(&w->listings[i].l);
    }
    for (size_t i = 0; i < w->napps; i++)
        app_free(&w->apps[i]);
    free(w->apps);
    for (size_t i = 0; i < w->ndetails; i++)
        app_free(&w->details[i]);
    free(w->details);
    for (size_t i = 0; i < w->nsols; i++)
        sol_free(w->sols[i]);
    free(w->sols);
    for (size_t i = 0; i < w->nwabas; i++)
        waba_free(w->wabas[i]);
    free(w->wabas);
    memset(w, 0, sizeof *w);
}

sbx_app *sbx_world_add_app(sbx_world *w, const char *id, const char *name, const char *link,
                           const char *token, const char *business_id)
{
    for (size_t i = 0; i < w->napps; i++) {
        if (strcmp(w->apps[i].id, id) == 0) { /* a later definition completes an earlier one */
            sbx_app *a = &w->apps[i];
            if (name)
                sbx_set(&a->name, name);
            if (link)
                sbx_set(&a->link, link);
            if (token)
                sbx_set(&a->token, token);
            if (business_id)
                sbx_set(&a->business_id, business_id);
            return a;
        }
    }
    if (w->napps == w->capps) {
        w->capps = w->capps ? w->capps * 2 : 16;
        w->apps = mps_xrealloc(w->apps, w->capps * sizeof *w->apps);
    }
    sbx_app *a = &w->apps[w->napps++];
    a->id = mps_xstrdup(id);
    a->name = mps_xstrdup(name);
    a->link = mps_xstrdup(link);
    a->token = mps_xstrdup(token);
    a->business_id = mps_xstrdup(business_id);
    return a;
}

const sbx_app *sbx_app_find(const sbx_world *w, const char *id)
{
    for (size_t i = 0; id && i < w->napps; i++)
        if (strcmp(w->apps[i].id, id) == 0)
            return &w->apps[i];
    return NULL;
}

const sbx_app *sbx_app_by_token(const sbx_world *w, const char *token)
{
    for (size_t i = 0; token && i < w->napps; i++)
        if (w->apps[i].token && strcmp(w->apps[i].token, token) == 0)
            return &w->apps[i];
    return NULL;
}

const sbx_app *sbx_primary_app(const sbx_world *w)
{
    for (size_t i = 0; i < w->napps; i++)
        if (w->apps[i].token)
            return &w->apps[i];
    return NULL;
}

sbx_solution *sbx_sol_find(const sbx_world *w, const char *id)
{
    for (size_t i = 0; id && i < w->nsols; i++)
        if (strcmp(w->sols[i]->id, id) == 0)
            return w->sols[i];
    return NULL;
}

void sbx_sol_remove(sbx_world *w, sbx_solution *s)
{
    for (size_t i = 0; i < w->nsols; i++)
        if (w->sols[i] == s) {
            memmove(&w->sols[i], &w->sols[i + 1], (w->nsols - i - 1) * sizeof *w->sols);
            w->nsols--;
            w->generation++;
            sol_free(s);
            return;
        }
}

sbx_solution *sbx_sol_add(sbx_world *w, const char *id, const char *name, const char *status,
                          const char *pending, const char *owner_app_id)
{
    if (w->nsols == w->csols) {
        w->csols = w->csols ? w->csols * 2 : 64;
        w->sols = mps_xrealloc(w->sols, w->csols * sizeof *w->sols);
    }
    sbx_solution *s = mps_xcalloc(1, sizeof *s);
    s->id = mps_xstrdup(id);
    s->name = mps_xstrdup(name ? name : "");
    s->status = mps_xstrdup(status);
    s->pending = mps_xstrdup(pending);
    s->owner_app_id = mps_xstrdup(owner_app_id ? owner_app_id : "");
    w->sols[w->nsols++] = s;
    w->generation++;
    return s;
}

sbx_partner *sbx_sol_add_partner(sbx_world *w, sbx_solution *s, const char *id, const char *app_id,
                                 const char *status)
{
    w->generation++;
    s->partners = mps_xrealloc(s->partners, (s->npartners + 1) * sizeof *s->partners);
    sbx_partner *p = &s->partners[s->npartners++];
    memset(p, 0, sizeof *p);
    p->id = mps_xstrdup(id);
    p->app_id = mps_xstrdup(app_id);
    p->status = mps_xstrdup(status);
    return p;
}

sbx_waba *sbx_waba_find(const sbx_world *w, const char *id)
{
    for (size_t i = 0; id && i < w->nwabas; i++)
        if (strcmp(w->wabas[i]->id, id) == 0)
            return w->wabas[i];
    return NULL;
}

sbx_waba *sbx_waba_add(sbx_world *w, const char *id, const char *name)
{
    if (w->nwabas == w->cwabas) {
        w->cwabas = w->cwabas ? w->cwabas * 2 : 64;
        w->wabas = mps_xrealloc(w->wabas, w->cwabas * sizeof *w->wabas);
    }
    sbx_waba *x = mps_xcalloc(1, sizeof *x);
    x->id = mps_xstrdup(id);
    x->name = mps_xstrdup(name ? name : "");
    w->wabas[w->nwabas++] = x;
    return x;
}

bool sbx_is_owner(const sbx_solution *s, const char *app_id)
{
    return app_id && strcmp(s->owner_app_id, app_id) == 0;
}

bool sbx_is_partner(const sbx_solution *s, const char *app_id)
{
    for (size_t i = 0; app_id && i < s->npartners; i++)
        if (strcmp(s->partners[i].app_id, app_id) == 0)
            return true;
    return false;
}

char *sbx_new_id(sbx_world *w)
{
    if (!w->next_id)
        w->next_id = 880100000000001ULL;
    char buf[32];
    for (;;) {
        snprintf(buf, sizeof buf, "%llu", w->next_id++);
        if (!sbx_sol_find(w, buf) && !sbx_waba_find(w, buf) && !sbx_app_find(w, buf))
            return mps_xstrdup(buf);
    }
}

/* ---- events ---- */

void sbx_append_line(const char *path, const char *line)
{
    if (!path)
        return;
    size_t n = strlen(line);
    char *buf = mps_xmalloc(n + 1);
    /* A line for write(2), ended by its newline, not a C string. */
    memcpy(buf, line, n); /* NOLINT(bugprone-not-null-terminated-result) */
    buf[n] = '\n';
    /* One write per line with O_APPEND: a reader tailing the file never sees half a line.
     * O_NOFOLLOW: a link put where the log goes does not redirect it onto another file. */
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
    if (fd >= 0) {
        ssize_t w = write(fd, buf, n + 1);
        (void)w;
        close(fd);
    }
    free(buf);
}

/* The business portfolio a delivery is addressed to: the events file's app when it is a party. */
static const char *event_business(const sandbox *sb, const sbx_solution *s)
{
    const sbx_app *primary = sbx_primary_app(&sb->world);
    if (primary && primary->business_id &&
        (sbx_is_owner(s, primary->id) || sbx_is_partner(s, primary->id)))
        return primary->business_id;
    const sbx_app *owner = sbx_app_find(&sb->world, s->owner_app_id);
    if (owner && owner->business_id)
        return owner->business_id;
    return primary && primary->business_id ? primary->business_id : "0";
}

static void write_delivery(sandbox *sb, const char *business_id, const char *field,
                           json_object *value)
{
    json_object *change = json_object_new_object();
    json_object_object_add(change, "value", value);
    json_object_object_add(change, "field", json_object_new_string(field));
    json_object *changes = json_object_new_array();
    json_object_array_add(changes, change);
    json_object *entry = json_object_new_object();
    json_object_object_add(entry, "id", json_object_new_string(business_id));
    json_object_object_add(entry, "time", json_object_new_int64((int64_t)time(NULL)));
    json_object_object_add(entry, "changes", changes);
    json_object *entries = json_object_new_array();
    json_object_array_add(entries, entry);
    json_object *root = json_object_new_object();
    json_object_object_add(root, "object", json_object_new_string("whatsapp_business_account"));
    json_object_object_add(root, "entry", entries);
    sbx_append_line(sb->events_path, sbx_json_text(root));
    json_object_put(root);
}

void sbx_event_solution(sandbox *sb, const sbx_solution *s, const char *event)
{
    if (!sb->events_path)
        return;
    /* Webhooks report a pending deactivation as its own status (Meta's guide). */
    const char *status = s->status ? s->status : "";
    if (strcmp(status, "ACTIVE") == 0 && s->pending &&
        strcmp(s->pending, "PENDING_DEACTIVATION") == 0)
        status = "PENDING_DEACTIVATION";
    json_object *v = json_object_new_object();
    json_object_object_add(v, "event", json_object_new_string(event));
    json_object_object_add(v, "solution_id", json_object_new_string(s->id));
    json_object_object_add(v, "solution_status", json_object_new_string(status));
    write_delivery(sb, event_business(sb, s), "partner_solutions", v);
}

void sbx_event_partner_added(sandbox *sb, const sbx_waba *waba, const sbx_solution *s)
{
    if (!sb->events_path)
        return;
    json_object *info = json_object_new_object();
    json_object_object_add(info, "waba_id", json_object_new_string(waba->id));
    json_object_object_add(
        info, "owner_business_id",
        json_object_new_string(waba->owner_business_id ? waba->owner_business_id : ""));
    json_object_object_add(info, "solution_id", json_object_new_string(s->id));
    json_object *ids = json_object_new_array();
    const sbx_app *owner = sbx_app_find(&sb->world, s->owner_app_id);
    if (owner && owner->business_id)
        json_object_array_add(ids, json_object_new_string(owner->business_id));
    for (size_t i = 0; i < s->npartners; i++) {
        const sbx_app *p = sbx_app_find(&sb->world, s->partners[i].app_id);
        if (p && p->business_id)
            json_object_array_add(ids, json_object_new_string(p->business_id));
    }
    json_object_object_add(info, "solution_partner_business_ids", ids);
    json_object *v = json_object_new_object();
    json_object_object_add(v, "event", json_object_new_string("PARTNER_ADDED"));
    json_object_object_add(v, "waba_info", info);
    write_delivery(sb, event_business(sb, s), "account_update", v);
}

/* ---- the state machine ---- */

static bool eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool is_pending(const sbx_solution *s, const char *app_id)
{
    return eq(s->status, "INITIATED") || eq(s->status, "PENDING");
}

static bool is_pending_deactivation(const sbx_solution *s, const char *app_id)
{
    return (eq(s->status, "ACTIVE") && eq(s->pending, "PENDING_DEACTIVATION")) ||
           eq(s->status, "PENDING_DEACTIVATION");
}

static bool is_plain_active(const sbx_solution *s, const char *app_id)
{
    return eq(s->status, "ACTIVE") && (!s->pending || eq(s->pending, "NONE"));
}

static bool role_partner(const sbx_solution *s, const char *app_id)
{
    return sbx_is_partner(s, app_id);
}

static bool role_owner(const sbx_solution *s, const char *app_id)
{
    return sbx_is_owner(s, app_id);
}

/* The party that did not ask for the deactivation (the owner asks unless recorded otherwise). */
static bool role_answerer(const sbx_solution *s, const char *app_id)
{
    const char *asker = s->deact_by ? s->deact_by : s->owner_app_id;
    return strcmp(asker, app_id) != 0;
}

typedef bool (*sol_pred)(const sbx_solution *s, const char *app_id);

/* One row per action: who may act (and what to say otherwise), from which state, and what the
 * solution becomes. Role is checked first: the caller learns what it may never do before what
 * it may not do now. */
static const struct action_rule {
    const char *edge;
    sbx_action action;
    sol_pred may_act;
    const char *role_error; /* printf: the caller's app id */
    sol_pred in_state;
    const char *state_error; /* printf: the current state */
    const char *to_status;
    const char *to_pending;
    const char *to_partner_status; /* NULL: unchanged */
    bool only_callers_partner;     /* the partner status changes only for the caller's invitation */
} rules[SBX_ACTION_COUNT] = {
    {"accept", SBX_ACCEPT, role_partner,
     "(#200) Only the invited partner app can accept this solution; app %s is its owner",
     is_pending, "(#100) Solution is not pending; it is %s", "ACTIVE", "NONE", "ACCEPTED", true},
    {"reject", SBX_REJECT, role_partner,
     "(#200) Only the invited partner app can reject this solution; app %s is its owner",
     is_pending, "(#100) Solution is not pending; it is %s", "REJECTED", "NONE", "REJECTED", true},
    {"send_deactivation_request", SBX_SEND_DEACTIVATION, role_owner,
     "(#200) Only the owner app of this solution can request its deactivation; app %s is an "
     "invited partner",
     is_plain_active,
     "(#100) Only an active solution without a pending request can be deactivated; it is %s",
     "ACTIVE", "PENDING_DEACTIVATION", NULL, false},
    {"accept_deactivation_request", SBX_ACCEPT_DEACTIVATION, role_answerer,
     "(#200) App %s asked for this deactivation; only the other party can answer it",
     is_pending_deactivation, "(#100) Solution has no pending deactivation request; it is %s",
     "DEACTIVATED", "NONE", "DEACTIVATED", false},
    {"reject_deactivation_request", SBX_REJECT_DEACTIVATION, role_answerer,
     "(#200) App %s asked for this deactivation; only the other party can answer it",
     is_pending_deactivation, "(#100) Solution has no pending deactivation request; it is %s",
     "ACTIVE", "NONE", NULL, false},
};

bool sbx_action_by_edge(const char *edge, sbx_action *out)
{
    for (size_t i = 0; i < SBX_ACTION_COUNT; i++) {
        if (strcmp(rules[i].edge, edge) == 0) {
            *out = rules[i].action;
            return true;
        }
    }
    return false;
}

static void describe_state(const sbx_solution *s, char *out, size_t size)
{
    if (is_pending_deactivation(s, NULL))
        snprintf(out, size, "ACTIVE with a pending deactivation request");
    else
        snprintf(out, size, "%s", s->status ? s->status : "without a status");
}

bool sbx_action_apply(sandbox *sb, sbx_solution *s, sbx_action a, const char *app_id, sbx_gerr *e)
{
    const struct action_rule *r = &rules[a];
    if (!r->may_act(s, app_id)) {
        sbx_gerr_set(e, 400, 200, 0, r->role_error, app_id);
        return false;
    }
    if (!r->in_state(s, app_id)) {
        char state[96];
        describe_state(s, state, sizeof state);
        sbx_gerr_set(e, 400, 100, 0, r->state_error, state);
        e->unprocessable = true;
        return false;
    }
    sbx_set(&s->status, r->to_status);
    sbx_set(&s->pending, r->to_pending);
    sbx_set(&s->deact_by, a == SBX_SEND_DEACTIVATION ? app_id : NULL);
    for (size_t i = 0; r->to_partner_status && i < s->npartners; i++)
        if (!r->only_callers_partner || strcmp(s->partners[i].app_id, app_id) == 0)
            sbx_set(&s->partners[i].status, r->to_partner_status);
    sbx_event_solution(sb, s, "SOLUTION_UPDATED");
    return true;
}

/* The OpenAPI file's rule: MESSAGING may go to exactly one side. */
static bool messaging_ok(const strlist *owner, const strlist *partner)
{
    return !(strlist_contains(owner, "MESSAGING") && strlist_contains(partner, "MESSAGING"));
}

sbx_solution *sbx_create_solution(sandbox *sb, const char *owner_app_id, const char *name,
                                  const char *partner_app_id, const strlist *owner_perms,
                                  const strlist *partner_perms, sbx_gerr *e)
{
    if (!name || !*name) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) The parameter solution_name is required");
        return NULL;
    }
    size_t chars = text_char_count(name);
    if (chars < 2 || chars > 75) {
        sbx_gerr_set(e, 400, 100, 0,
                     "(#100) solution_name must be between 2 and 75 characters; it has %zu", chars);
        return NULL;
    }
    if (!partner_app_id || !*partner_app_id) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) The parameter partner_app_id is required");
        return NULL;
    }
    if (strcmp(partner_app_id, owner_app_id) == 0) {
        sbx_gerr_set(e, 400, 100, 0, "(#100) partner_app_id must be another app than the owner");
        return NULL;
    }
    if (!sbx_app_find(&sb->world, partner_app_id)) {
        sbx_gerr_set(e, 400, 100, 33, "(#100) partner_app_id %.40s is not a valid app id",
                     partner_app_id);
        return NULL;
    }
    for (size_t i = 0; i < owner_perms->count + partner_perms->count; i++) {
        const char *p = i < owner_perms->count ? owner_perms->items[i]
                                               : partner_perms->items[i - owner_perms->count];
        if (!*p) {
            sbx_gerr_set(e, 400, 100, 0, "(#100) Permissions must be non-empty strings");
            return NULL;
        }
    }
    if (!messaging_ok(owner_perms, partner_perms)) {
        sbx_gerr_set(e, 400, 100, 0,
                     "(#100) MESSAGING can be granted to exactly one side of a solution: "
                     "the owner or the partner, not both");
        e->unprocessable = true;
        return NULL;
    }
    char *id = sbx_new_id(&sb->world);
    char *edge = sbx_new_id(&sb->world);
    sbx_solution *s =
        sbx_sol_add(&sb->world, id, name, "INITIATED", "PENDING_ACTIVATION", owner_app_id);
    strlist_copy(&s->owner_perms, owner_perms);
    sbx_partner *p = sbx_sol_add_partner(&sb->world, s, edge, partner_app_id, "NOTIFICATION_SENT");
    strlist_copy(&p->perms, partner_perms);
    free(id);
    free(edge);
    sbx_event_solution(sb, s, "SOLUTION_CREATED");
    return s;
}
