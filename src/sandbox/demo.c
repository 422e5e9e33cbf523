/* The demo's background activity: a fixed sequence of visible changes, one every few seconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbx.h"

/* The other party in demo changes: Social Overdrive when it exists, else any other calling app. */
static const sbx_app *counterpart(const sbx_world *w, const sbx_app *me)
{
    const sbx_app *b = sbx_app_find(w, SANDBOX_APP_B_ID);
    if (b && b != me)
        return b;
    for (size_t i = 0; i < w->napps; i++)
        if (w->apps[i].token && &w->apps[i] != me)
            return &w->apps[i];
    return NULL;
}

static void step_new_request(sandbox *sb, const sbx_app *me, const sbx_app *other, unsigned round)
{
    static const char *const perm_sets[][4] = {
        {"MANAGE", "DEVELOP", "VIEW_COST", NULL},
        {"MESSAGING", "VIEW_TEMPLATES", NULL, NULL},
        {"MANAGE_TEMPLATES", "VIEW_INSIGHTS", "MANAGE_PHONE", NULL},
    };
    strlist op = {0}, pp = {0};
    for (const char *const *p = perm_sets[round % 3]; *p; p++)
        strlist_push(&op, *p);
    for (const char *const *p = perm_sets[(round + 2) % 3]; *p; p++)
        if (strcmp(*p, "MESSAGING") != 0 || !strlist_contains(&op, "MESSAGING"))
            strlist_push(&pp, *p);
    char name[64];
    snprintf(name, sizeof name, "%s demo request #%u", other->name ? other->name : "Partner",
             round + 1);
    sbx_gerr e;
    sbx_create_solution(sb, other->id, name, me->id, &op, &pp, &e);
    strlist_clear(&op);
    strlist_clear(&pp);
}

static bool pending_deactivation(const sbx_solution *s)
{
    return s->status && strcmp(s->status, "ACTIVE") == 0 && s->pending &&
           strcmp(s->pending, "PENDING_DEACTIVATION") == 0;
}

/* The counterpart answers a deactivation request from us, or else asks for one itself. */
static void step_deactivation(sandbox *sb, const sbx_app *me, const sbx_app *other, unsigned round)
{
    sbx_gerr e;
    for (size_t i = 0; i < sb->world.nsols; i++) {
        sbx_solution *s = sb->world.sols[i];
        bool ours = sbx_is_owner(s, me->id) && sbx_is_partner(s, other->id);
        if (ours && pending_deactivation(s) && (!s->deact_by || strcmp(s->deact_by, me->id) == 0)) {
            sbx_action_apply(sb, s, round % 2 ? SBX_REJECT_DEACTIVATION : SBX_ACCEPT_DEACTIVATION,
                             other->id, &e);
            return;
        }
    }
    for (size_t i = 0; i < sb->world.nsols; i++) {
        sbx_solution *s = sb->world.sols[i];
        if (sbx_is_owner(s, other->id) && sbx_is_partner(s, me->id) && s->status &&
            strcmp(s->status, "ACTIVE") == 0 && (!s->pending || strcmp(s->pending, "NONE") == 0)) {
            sbx_action_apply(sb, s, SBX_SEND_DEACTIVATION, other->id, &e);
            return;
        }
    }
}

/* A customer completes Embedded Signup through one of our active solutions. */
static void step_onboarding(sandbox *sb, const sbx_app *me, const sbx_app *other, unsigned round)
{
    sbx_solution *active[64];
    size_t n = 0;
    for (size_t i = 0; i < sb->world.nsols && n < 64; i++) {
        sbx_solution *s = sb->world.sols[i];
        if ((sbx_is_owner(s, me->id) || sbx_is_partner(s, me->id)) && s->status &&
            strcmp(s->status, "ACTIVE") == 0)
            active[n++] = s;
    }
    if (!n || !me->business_id)
        return;
    sbx_solution *s = active[round % n];
    char *id = sbx_new_id(&sb->world);
    char name[48], owner[32];
    snprintf(name, sizeof name, "Demo Customer %u", round + 1);
    snprintf(owner, sizeof owner, "61437639%08u", round + 1);
    sbx_waba *w = sbx_waba_add(&sb->world, id, name);
    free(id);
    w->timezone_id = mps_xstrdup("7");
    w->business_type = mps_xstrdup("ent");
    w->namespace_ = mps_xstrdup("00000000_0000_0000_0000_000000000000");
    w->business_id = mps_xstrdup(me->business_id);
    w->owner_business_id = mps_xstrdup(owner);
    const char *other_app =
        sbx_is_owner(s, me->id) && s->npartners ? s->partners[0].app_id : s->owner_app_id;
    const sbx_app *oa = sbx_app_find(&sb->world, other_app);
    if (oa && oa->business_id)
        strlist_push(&w->partner_business_ids, oa->business_id);
    strlist_push(&w->solution_ids, s->id);
    sbx_event_partner_added(sb, w, s);
}

typedef void (*demo_fn)(sandbox *sb, const sbx_app *me, const sbx_app *other, unsigned round);
static const demo_fn steps[] = {step_new_request, step_deactivation, step_onboarding};
#define NSTEPS (COUNT_OF(steps))

void sbx_demo_step(sandbox *sb)
{
    const sbx_app *me = sbx_primary_app(&sb->world);
    const sbx_app *other = me ? counterpart(&sb->world, me) : NULL;
    unsigned step = sb->demo_step++;
    if (me && other)
        steps[step % NSTEPS](sb, me, other, step / NSTEPS);
}

static void *demo_main(void *arg)
{
    sandbox *sb = arg;
    long interval = sb->opts.demo_interval_ms > 0 ? sb->opts.demo_interval_ms : 10000;
    pthread_mutex_lock(&sb->mu);
    while (sbx_wait_ms(sb, interval))
        sbx_demo_step(sb);
    pthread_mutex_unlock(&sb->mu);
    return NULL;
}

void sbx_demo_start(sandbox *sb)
{
    sb->demo_running = pthread_create(&sb->demo_thread, NULL, demo_main, sb) == 0;
}
