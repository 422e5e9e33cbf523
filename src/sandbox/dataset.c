/* The sandbox's data: the built-in deterministic dataset, scenario files, and the state dump. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbx.h"

#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* ---- built-in apps and permission sets ---- */

#define APP_C_ID "348290571226301" /* Social Brew */
#define APP_D_ID "634974688087057" /* media_monsoon_prod, from the embedded-creation guide */
#define APP_E_ID "902114477563210" /* Jasper's Market */
#define APP_F_ID "556677889900112" /* Sakura Connect (CJK name) */
#define APP_G_ID "771234509876543" /* Sunrise Messages (Arabic name) */
#define APP_H_ID "781234509876544" /* Cactus Cloud (emoji name) */
#define APP_X_ID "666999000000001" /* hostile-named app */
#define BUSINESS_C_ID "116133292427920"

static const struct {
    const char *id, *name, *link, *token, *business;
} builtin_apps[] = {
    {SANDBOX_APP_A_ID, SANDBOX_APP_A_NAME, "https://www.facebook.com/games/?app_id=21202248997039",
     SANDBOX_TOKEN_A, SANDBOX_BUSINESS_A_ID},
    {SANDBOX_APP_B_ID, SANDBOX_APP_B_NAME, "https://www.socialoverdrive.com/", SANDBOX_TOKEN_B,
     SANDBOX_BUSINESS_B_ID},
    {APP_C_ID, "Social Brew", "https://www.socialbrew.example/", NULL, BUSINESS_C_ID},
    {APP_D_ID, "media_monsoon_prod", "www.mediamonsoon.com", NULL, "303012345678901"},
    {APP_E_ID, "Jasper's Market", "https://www.jaspersmarket.example/", NULL, "404012345678902"},
    {APP_F_ID, "樱花通讯 Sakura Connect", "https://sakura.example/", NULL, "505012345678903"},
    {APP_G_ID, "رسائل الشروق", "https://sunrise.example/", NULL, "606012345678904"},
    {APP_H_ID, "Cactus Cloud 🌵", "https://cactus.example/", NULL, "707012345678905"},
};

#define P(...) ((const char *const[]){__VA_ARGS__, NULL})
/* exactly the ten of the guide's GET example */
#define P10                                                                                        \
    P("MANAGE", "DEVELOP", "MANAGE_TEMPLATES", "MANAGE_PHONE", "VIEW_COST", "MANAGE_EXTENSIONS",   \
      "VIEW_PHONE_ASSETS", "MANAGE_PHONE_ASSETS", "VIEW_TEMPLATES", "VIEW_INSIGHTS")
#define PMSG P("MANAGE", "DEVELOP", "MESSAGING")
#define PBILL P("MANAGE", "MANAGE_BILLING", "VIEW_COST", "MANAGE_USERS")
#define PVIEW P("VIEW_TEMPLATES", "VIEW_INSIGHTS", "VIEW_PHONE_ASSETS", "VIEW_COST")
#define PRECV P("MESSAGING", "RECEIVE_INCOMING_MESSAGES", "VIEW_TEMPLATES")
#define PFULL P("FULL_CONTROL")
#define PFLOWS P("MANAGE", "DEVELOP", "MANAGE_FLOWS")
#define PDEV P("DEVELOP", "MANAGE_TEMPLATES", "MANAGE_EXTENSIONS")
#define PNONE ((const char *const[]){NULL})

#define A SANDBOX_APP_A_ID
#define B SANDBOX_APP_B_ID
#define INIT "INITIATED", "PENDING_ACTIVATION", "NOTIFICATION_SENT"
#define PEND "PENDING", "PENDING_ACTIVATION", "NOTIFICATION_SENT"
#define ACT "ACTIVE", "NONE", "ACCEPTED"
#define PDEACT "ACTIVE", "PENDING_DEACTIVATION", "ACCEPTED"
#define DRAFT "DRAFT", "NONE", "DRAFT"
#define REJ "REJECTED", "NONE", "REJECTED"
#define DEACT "DEACTIVATED", "NONE", "DEACTIVATED"

typedef struct sol_row {
    const char *id, *name, *owner, *partner, *status, *pending, *partner_status;
    const char *const *owner_perms, *const *partner_perms;
    const char *edge; /* NULL: the solution id + 4, as in the guide's example */
} sol_row;

/* The guide's examples first, then every state from both sides, names in many scripts. */
static const sol_row builtin_solutions[] = {
    {"795033096057724", "Social OVD with Lucky Shrub", B, A, INIT, P10, P10, "795033099391057"},
    {"19702253086782", "Social OVD with Lucky Shrub", B, A, INIT, P10, P10, NULL},
    {"17602267745700", "Social OVD with Social Brew", A, B, ACT, P10, P10, "17602267745704"},
    {"303610109049230", "Lucky Shrub Onboarding", B, A, ACT, PMSG, PDEV, NULL},
    {"774485461512159", "Social Overdrive × Lucky Shrub — EU", B, A, INIT, PDEV, PRECV, NULL},
    {"440100000000006", "Overdrive Retail Bundle", B, A, PEND, PBILL, PVIEW, NULL},
    {"440100000000007", "Overdrive Support Desk", B, A, ACT, P10, PVIEW, NULL},
    {"440100000000008", "Overdrive Flash Sales", B, A, ACT, PMSG, PDEV, NULL},
    {"440100000000009", "Overdrive Loyalty Club", B, A, PDEACT, P10, P10, NULL},
    {"440100000000010", "Overdrive Legacy Alerts", B, A, PDEACT, PBILL, PVIEW, NULL},
    {"440100000000011", "Overdrive Winter Campaign", B, A, REJ, P10, P10, NULL},
    {"440100000000012", "Overdrive Pilot 2024", B, A, DEACT, PDEV, PDEV, NULL},
    {"440100000000013", "Overdrive × Lucky Shrub 🚀 Launch", B, A, INIT, P10, PRECV, NULL},
    {"440100000000015", "Lucky Shrub Garden Alerts", A, B, INIT, P10, PDEV, NULL},
    {"440100000000016", "Lucky Shrub Plant Care Bot", A, B, INIT, PMSG, PVIEW, NULL},
    {"440100000000017", "Lucky Shrub Seed Club", A, B, PEND, PBILL, PBILL, NULL},
    {"440100000000018", "Lucky Shrub Orders", A, B, ACT, P10, P10, NULL},
    {"440100000000019", "Lucky Shrub Delivery Updates", A, B, ACT, PMSG, PDEV, NULL},
    {"440100000000020", "Lucky Shrub Greenhouse", A, B, ACT, PVIEW, PFULL, NULL},
    {"440100000000021", "Lucky Shrub Returns", A, B, PDEACT, P10, PVIEW, NULL},
    {"440100000000022", "Lucky Shrub Spring Promo", A, B, PDEACT, PDEV, PDEV, NULL},
    {"440100000000023", "Lucky Shrub Draft: Autumn", A, B, DRAFT, P10, P10, NULL},
    {"440100000000024", "Lucky Shrub Draft: B2B", A, B, DRAFT, PBILL, PNONE, NULL},
    {"440100000000025", "Lucky Shrub Wholesale", A, B, REJ, P10, P10, NULL},
    {"440100000000026", "Lucky Shrub Old Catalog", A, B, REJ, PVIEW, PVIEW, NULL},
    {"440100000000027", "Lucky Shrub 2023 Pilot", A, B, DEACT, P10, P10, NULL},
    {"440100000000028", "Lucky Shrub × Social Brew Cafés", A, APP_C_ID, ACT, P10, PVIEW, NULL},
    {"440100000000029", "Lucky Shrub × Jasper's Market", A, APP_E_ID, ACT, PMSG, PBILL, NULL},
    {"440100000000030", "幸运灌木 × 樱花通讯", A, APP_F_ID, ACT, PDEV, PRECV, NULL},
    {"440100000000031", "Lucky Shrub × Cactus Cloud 🌵", A, APP_H_ID, INIT, P10, PFLOWS, NULL},
    {"440100000000032", "شراكة الشروق مع لاكي شرب", A, APP_G_ID, INIT, PVIEW, PVIEW, NULL},
    {"440100000000033", "Lucky Shrub × media monsoon", A, APP_D_ID, REJ, P10, P10, NULL},
    {"440100000000034", "Lucky Shrub × Social Brew (old)", A, APP_C_ID, DEACT, PDEV, PDEV, NULL},
    {"440100000000035", "Lucky Shrub Review Queue", A, APP_E_ID, "UNDER_REVIEW", "NONE",
     "AWAITING_REVIEW", PFLOWS, P10, NULL},
    {"440100000000036", "Social Brew × Lucky Shrub Loyalty", APP_C_ID, A, INIT, PBILL, PDEV, NULL},
    {"440100000000037", "Jasper's Market Pickup Alerts", APP_E_ID, A, INIT, PMSG, PVIEW, NULL},
    {"440100000000038", "פתרון הודעות לקוחות", APP_G_ID, A, ACT, P10, P10, NULL},
    {"440100000000039", "Cafe\xcc\x81 Cre\xcc\x80me Partners", APP_E_ID, A, ACT, PVIEW, PDEV, NULL},
    {"440100000000040", "Sakura 樱花 × Lucky Shrub 🌸", APP_F_ID, A, PDEACT, P10, PVIEW, NULL},
    {"440100000000041", "Media Monsoon Broadcasts", APP_D_ID, A, "UNDER_REVIEW", "PENDING_REVIEW",
     "NOTIFICATION_SENT", PFLOWS, PFLOWS, NULL},
    {"440100000000042", "Media Monsoon Archive", APP_D_ID, A, DEACT, P10, P10, NULL},
    {"440100000000043", "Cactus Cloud 🌵 Night Shift 👩‍💻", APP_H_ID, A, REJ, PMSG, PVIEW,
     NULL},
    /* not Lucky Shrub's: Social Overdrive sees a different list */
    {"440100000000044", "Social Overdrive × Social Brew", B, APP_C_ID, ACT, P10, P10, NULL},
    {"440100000000045", "Social Brew asks Social Overdrive", APP_C_ID, B, INIT, PDEV, PBILL, NULL},
    {"440100000000046", "Social Overdrive Internal Draft", B, APP_E_ID, DRAFT, P10, PNONE, NULL},
};

/* Names that try to break a terminal: escape sequences, C1, bidi, CR/LF, invalid UTF-8. */
static const sol_row hostile_solutions[] = {
    {"666000000000001", "\x1b[2J\x1b[HScreen wiper", B, A, INIT, P10,
     P("MANAGE", "MANAGE\x1b[2J", "VIEW_COST"), NULL},
    {"666000000000002", "\x1b]0;pwned\x07Title setter", B, A, INIT, P10, P10, NULL},
    {"666000000000003",
     "C1 \xc2\x9b"
     "31m CSI red",
     B, A, ACT, PVIEW, PVIEW, NULL},
    {"666000000000004",
     "Bidi \xe2\x80\xae"
     "txet desrever",
     B, A, INIT, PDEV, PDEV, NULL},
    {"666000000000005", "Line one\r\nLine two", B, A, ACT, P10, P10, NULL},
    {"666000000000006", "Bad UTF-8 \xff\xfe\xc3( tail", B, A, INIT, PVIEW, PVIEW, NULL},
    {"666000000000007", "Tab\there\x7f DEL", APP_X_ID, A, "\x1b[5mBLINK", "NONE", "ACCEPTED", PDEV,
     PDEV, NULL},
    {"666000000000008", "全角文字の長い名前 🚀🚀🚀 テスト 漢字", B, A, ACT, P10, P10, NULL},
    {"666000000000009", "👨‍👩‍👧‍👦 family emoji ZWJ", B, A, PEND, PVIEW, PVIEW,
     NULL},
};

static void add_row(sbx_world *w, const sol_row *r)
{
    sbx_solution *s = sbx_sol_add(w, r->id, r->name, r->status, r->pending, r->owner);
    for (const char *const *p = r->owner_perms; *p; p++)
        strlist_push(&s->owner_perms, *p);
    char edge[32];
    if (!r->edge)
        snprintf(edge, sizeof edge, "%llu", strtoull(r->id, NULL, 10) + 4);
    sbx_partner *pt =
        sbx_sol_add_partner(w, s, r->edge ? r->edge : edge, r->partner, r->partner_status);
    for (const char *const *p = r->partner_perms; *p; p++)
        strlist_push(&pt->perms, *p);
    if (s->pending && strcmp(s->pending, "PENDING_DEACTIVATION") == 0)
        s->deact_by = mps_xstrdup(r->owner); /* only the owner can have asked */
}

static void add_builtin_apps(sbx_world *w)
{
    for (size_t i = 0; i < COUNT_OF(builtin_apps); i++)
        sbx_world_add_app(w, builtin_apps[i].id, builtin_apps[i].name, builtin_apps[i].link,
                          builtin_apps[i].token, builtin_apps[i].business);
}

static void add_details(sbx_world *w, const char *id, const char *name, const char *link)
{
    w->details = mps_xrealloc(w->details, (w->ndetails + 1) * sizeof *w->details);
    sbx_app *a = &w->details[w->ndetails++];
    memset(a, 0, sizeof *a);
    a->id = mps_xstrdup(id);
    a->name = mps_xstrdup(name);
    a->link = mps_xstrdup(link);
}

static sbx_waba *add_waba(sbx_world *w, const char *id, const char *name, const char *tz,
                          const char *type, const char *ns, const char *business,
                          const char *owner_business, const char *partner_business,
                          const char *solution)
{
    sbx_waba *x = sbx_waba_add(w, id, name);
    x->timezone_id = mps_xstrdup(tz);
    x->business_type = mps_xstrdup(type);
    x->namespace_ = mps_xstrdup(ns);
    x->business_id = mps_xstrdup(business);
    x->owner_business_id = mps_xstrdup(owner_business);
    strlist_push(&x->partner_business_ids, partner_business);
    if (solution)
        strlist_push(&x->solution_ids, solution);
    return x;
}

/* A namespace shaped like the guide's (8_4_4_4_12 hex), derived from the id. */
static void fake_namespace(const char *id, char *out, size_t size)
{
    unsigned long long a = sbx_fnv1a(id, 7), b = sbx_fnv1a(id, 11);
    snprintf(out, size, "%08llx_%04llx_%04llx_%04llx_%012llx", a >> 32, (a >> 16) & 0xffff,
             a & 0xffff, b >> 48, b & 0xffffffffffffULL);
}

static void add_builtin_wabas(sbx_world *w)
{
    add_waba(w, "102290129340398", "Cool New Customer 2", "7", "ent",
             "0add05f3_abbe_4a55_b6f5_e751fa4e1244", SANDBOX_BUSINESS_A_ID, "6143763655652543",
             SANDBOX_BUSINESS_B_ID, "17602267745700");
    add_waba(w, "112077945305052", "Cool New Customer 1", "7", "ent",
             "b2d0c901_b542_46a0_ab99_5939b75267d8", SANDBOX_BUSINESS_A_ID, "6143763655652544",
             SANDBOX_BUSINESS_B_ID, "17602267745700");
    static const char *const tz[] = {"7", "1", "42", "78", "101"};
    static const char *const shared[] = {"17602267745700", "440100000000018", "440100000000019"};
    char id[32], name[64], ns[64], owner[32];
    /* 230 client WABAs shared with Social Overdrive's business: three pages at limit 100 */
    for (int i = 3; i <= 230; i++) {
        snprintf(id, sizeof id, "10230000%07d", i);
        snprintf(name, sizeof name, i % 17 == 0 ? "顧客 %03d 株式会社" : "Customer %03d", i);
        snprintf(owner, sizeof owner, "61437636%08d", i);
        fake_namespace(id, ns, sizeof ns);
        add_waba(w, id, name, tz[i % 5], i % 4 == 0 ? "smb" : "ent", ns, SANDBOX_BUSINESS_A_ID,
                 owner, SANDBOX_BUSINESS_B_ID, shared[i % 3]);
    }
    for (int i = 1; i <= 5; i++) {
        snprintf(id, sizeof id, "10240000%07d", i);
        snprintf(name, sizeof name, "Social Brew Café %d", i);
        snprintf(owner, sizeof owner, "61437637%08d", i);
        fake_namespace(id, ns, sizeof ns);
        add_waba(w, id, name, "7", "ent", ns, SANDBOX_BUSINESS_A_ID, owner, BUSINESS_C_ID,
                 "440100000000028");
    }
    for (int i = 1; i <= 12; i++) {
        snprintf(id, sizeof id, "10250000%07d", i);
        snprintf(name, sizeof name, "Overdrive Client %02d", i);
        snprintf(owner, sizeof owner, "61437638%08d", i);
        fake_namespace(id, ns, sizeof ns);
        add_waba(w, id, name, tz[i % 5], "ent", ns, SANDBOX_BUSINESS_B_ID, owner,
                 SANDBOX_BUSINESS_A_ID, i % 2 ? "303610109049230" : "440100000000007");
    }
}

void sbx_dataset_builtin(sbx_world *w)
{
    add_builtin_apps(w);
    add_details(w, APP_D_ID, "media_monsoon_prod", "www.mediamonsoon.com");
    for (size_t i = 0; i < COUNT_OF(builtin_solutions); i++)
        add_row(w, &builtin_solutions[i]);
    add_builtin_wabas(w);
}

void sbx_dataset_hostile(sbx_world *w)
{
    sbx_world_add_app(w, APP_X_ID, "\x1b[31mRed\x1b[0m Apps \xe2\x80\xae",
                      "https://evil.example/\x1b]8;;x\x07", NULL, NULL);
    for (size_t i = 0; i < COUNT_OF(hostile_solutions); i++)
        if (!sbx_sol_find(w, hostile_solutions[i].id))
            add_row(w, &hostile_solutions[i]);
}

void sbx_dataset_extra(sbx_world *w, int n)
{
    static const struct {
        const char *status, *pending, *partner_status;
    } states[] = {{INIT}, {ACT}, {PDEACT}, {REJ}, {DEACT}, {DRAFT}};
    const sbx_app *primary = sbx_primary_app(w);
    const char *me = primary ? primary->id : SANDBOX_APP_A_ID;
    const char *other = strcmp(me, B) == 0 ? A : B;
    sbx_world_add_app(w, other, NULL, NULL, NULL, NULL);
    /* Generated ids are unique among themselves: only the solutions already there are checked
     * (a lookup over everything added so far would make 50,000 take minutes). */
    size_t existing = w->nsols;
    for (int i = 1; i <= n; i++) {
        char id[32], name[64];
        snprintf(id, sizeof id, "55%013d", i);
        snprintf(name, sizeof name, "Generated solution %04d", i);
        size_t k = (size_t)i % (COUNT_OF(states));
        sol_row r = {id,
                     name,
                     i % 2 ? other : me,
                     i % 2 ? me : other,
                     states[k].status,
                     states[k].pending,
                     states[k].partner_status,
                     i % 3 ? P10 : PVIEW,
                     i % 5 ? PVIEW : PMSG,
                     NULL};
        bool taken = false;
        for (size_t j = 0; j < existing && !taken; j++)
            taken = strcmp(w->sols[j]->id, id) == 0;
        if (!taken)
            add_row(w, &r);
    }
}

/* ---- scenario files ---- */

typedef struct loader {
    sbx_world *w;
    const char *path;
    char *err;
    size_t err_size;
} loader;

static bool fail(loader *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(loader *l, const char *fmt, ...)
{
    mps_errtext msg;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(l->err, l->err_size, "%s: %s", l->path, msg);
    return false;
}

/* A string member (optional unless required); numbers are accepted as ids. */
static bool get_str(loader *l, json_object *o, const char *key, const char *where, bool required,
                    const char **out)
{
    json_object *v;
    *out = NULL;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
        if (required)
            return fail(l, "%s.%s is required", where, key);
        return true;
    }
    if (!json_object_is_type(v, json_type_string) && !json_object_is_type(v, json_type_int))
        return fail(l, "%s.%s must be a string", where, key);
    *out = json_object_get_string(v);
    return true;
}

static bool get_strv(loader *l, json_object *o, const char *key, const char *where, strlist *out)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return true;
    if (!json_object_is_type(v, json_type_array))
        return fail(l, "%s.%s must be an array of strings", where, key);
    for (size_t i = 0; i < json_object_array_length(v); i++) {
        json_object *s = json_object_array_get_idx(v, i);
        if (!json_object_is_type(s, json_type_string) && !json_object_is_type(s, json_type_int))
            return fail(l, "%s.%s[%zu] must be a string", where, key, i);
        strlist_push(out, json_object_get_string(s));
    }
    return true;
}

static bool get_array(loader *l, json_object *root, const char *key, json_object **out)
{
    *out = NULL;
    if (!json_object_object_get_ex(root, key, out))
        return true;
    if (!json_object_is_type(*out, json_type_array))
        return fail(l, "\"%s\" must be an array", key);
    return true;
}

/* {"id":..,"name":..,"link":..} naming an app; unknown apps join the world without a token. */
static bool load_app_ref(loader *l, json_object *o, const char *where, const char **id_out)
{
    const char *id, *name, *link;
    *id_out = NULL; /* as get_str: the out value is set on every path, not only on success */
    if (!json_object_is_type(o, json_type_object))
        return fail(l, "%s must be an object", where);
    if (!get_str(l, o, "id", where, true, &id) || !get_str(l, o, "name", where, false, &name) ||
        !get_str(l, o, "link", where, false, &link))
        return false;
    *id_out = sbx_world_add_app(l->w, id, name, link, NULL, NULL)->id;
    return true;
}

static bool load_apps(loader *l, json_object *arr)
{
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *o = json_object_array_get_idx(arr, i);
        char where[32];
        snprintf(where, sizeof where, "apps[%zu]", i);
        const char *id, *name, *link, *token, *biz;
        if (!json_object_is_type(o, json_type_object))
            return fail(l, "%s must be an object", where);
        if (!get_str(l, o, "id", where, true, &id) || !get_str(l, o, "name", where, false, &name) ||
            !get_str(l, o, "link", where, false, &link) ||
            !get_str(l, o, "token", where, false, &token) ||
            !get_str(l, o, "business_id", where, false, &biz))
            return false;
        if (token && strcmp(token, SANDBOX_TOKEN_EXPIRED) == 0)
            return fail(l, "%s.token: %s is reserved for the expired identity", where,
                        SANDBOX_TOKEN_EXPIRED);
        const sbx_app *same = sbx_app_by_token(l->w, token);
        if (token && same && strcmp(same->id, id) != 0)
            return fail(l, "%s.token is already used by app %s", where, same->id);
        sbx_world_add_app(l->w, id, name, link, token, biz);
    }
    return true;
}

static bool load_details(loader *l, json_object *arr)
{
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *o = json_object_array_get_idx(arr, i);
        char where[48];
        snprintf(where, sizeof where, "application_details[%zu]", i);
        const char *id, *name, *link;
        if (!json_object_is_type(o, json_type_object))
            return fail(l, "%s must be an object", where);
        if (!get_str(l, o, "id", where, true, &id) || !get_str(l, o, "name", where, false, &name) ||
            !get_str(l, o, "link", where, false, &link))
            return false;
        add_details(l->w, id, name, link);
    }
    return true;
}

static bool load_partner(loader *l, sbx_solution *s, json_object *o, const char *where)
{
    json_object *app;
    const char *id, *status, *app_id;
    if (!json_object_is_type(o, json_type_object))
        return fail(l, "%s must be an object", where);
    if (!get_str(l, o, "id", where, false, &id) || !get_str(l, o, "status", where, false, &status))
        return false;
    if (!json_object_object_get_ex(o, "partner_app", &app))
        return fail(l, "%s.partner_app is required", where);
    char sub[96];
    text_format(sub, sizeof sub, "%s.partner_app", where);
    if (!load_app_ref(l, app, sub, &app_id))
        return false;
    char *gen = id ? NULL : sbx_new_id(l->w);
    sbx_partner *p = sbx_sol_add_partner(l->w, s, id ? id : gen, app_id, status);
    free(gen);
    return get_strv(l, o, "partner_permissions", where, &p->perms);
}

static bool load_solution(loader *l, json_object *o, size_t i)
{
    char where[48];
    snprintf(where, sizeof where, "solutions[%zu]", i);
    if (!json_object_is_type(o, json_type_object))
        return fail(l, "%s must be an object", where);
    const char *id, *name, *name_hex, *status, *pending, *deact_by, *owner_id, *rejection,
        *deactivation;
    if (!get_str(l, o, "id", where, true, &id) || !get_str(l, o, "name", where, false, &name) ||
        !get_str(l, o, "rejection_reason", where, false, &rejection) ||
        !get_str(l, o, "deactivation_reason", where, false, &deactivation) ||
        !get_str(l, o, "name_hex", where, false, &name_hex) ||
        !get_str(l, o, "status", where, false, &status) ||
        !get_str(l, o, "status_for_pending_request", where, false, &pending) ||
        !get_str(l, o, "deactivation_requested_by", where, false, &deact_by))
        return false;
    if (sbx_sol_find(l->w, id))
        return fail(l, "%s.id %s appears twice", where, id);
    char *raw = NULL;
    if (name_hex && !(raw = sbx_unhex(name_hex)))
        return fail(l, "%s.name_hex must be pairs of hex digits (no 00)", where);
    json_object *owner;
    if (!json_object_object_get_ex(o, "owner_app", &owner)) {
        free(raw);
        return fail(l, "%s.owner_app is required", where);
    }
    char sub[128];
    snprintf(sub, sizeof sub, "%s.owner_app", where);
    if (!load_app_ref(l, owner, sub, &owner_id)) {
        free(raw);
        return false;
    }
    sbx_solution *s = sbx_sol_add(l->w, id,
                                  raw    ? raw
                                  : name ? name
                                         : "",
                                  status, pending, owner_id);
    free(raw);
    s->rejection_reason = mps_xstrdup(rejection);
    s->deactivation_reason = mps_xstrdup(deactivation);
    if (deact_by)
        s->deact_by = mps_xstrdup(deact_by);
    else if (pending && strcmp(pending, "PENDING_DEACTIVATION") == 0)
        s->deact_by = mps_xstrdup(owner_id);
    if (!get_strv(l, o, "owner_permissions", where, &s->owner_perms))
        return false;
    json_object *partners, *data;
    if (!json_object_object_get_ex(o, "partners", &partners))
        return true;
    data = partners;
    if (json_object_is_type(partners, json_type_object) &&
        !json_object_object_get_ex(partners, "data", &data))
        return fail(l, "%s.partners must be {\"data\":[...]} or an array", where);
    if (!json_object_is_type(data, json_type_array))
        return fail(l, "%s.partners must be {\"data\":[...]} or an array", where);
    for (size_t j = 0; j < json_object_array_length(data); j++) {
        snprintf(sub, sizeof sub, "%s.partners[%zu]", where, j);
        if (!load_partner(l, s, json_object_array_get_idx(data, j), sub))
            return false;
    }
    return true;
}

static bool load_waba(loader *l, json_object *o, size_t i)
{
    char where[32];
    snprintf(where, sizeof where, "wabas[%zu]", i);
    if (!json_object_is_type(o, json_type_object))
        return fail(l, "%s must be an object", where);
    const char *id, *name, *tz, *type, *ns, *biz, *owner;
    if (!get_str(l, o, "id", where, true, &id) || !get_str(l, o, "name", where, false, &name) ||
        !get_str(l, o, "timezone_id", where, false, &tz) ||
        !get_str(l, o, "business_type", where, false, &type) ||
        !get_str(l, o, "message_template_namespace", where, false, &ns) ||
        !get_str(l, o, "business_id", where, true, &biz) ||
        !get_str(l, o, "owner_business_id", where, false, &owner))
        return false;
    if (sbx_waba_find(l->w, id))
        return fail(l, "%s.id %s appears twice", where, id);
    sbx_waba *x = sbx_waba_add(l->w, id, name);
    x->timezone_id = mps_xstrdup(tz);
    x->business_type = mps_xstrdup(type);
    x->namespace_ = mps_xstrdup(ns);
    x->business_id = mps_xstrdup(biz);
    x->owner_business_id = mps_xstrdup(owner);
    return get_strv(l, o, "partner_business_ids", where, &x->partner_business_ids) &&
           get_strv(l, o, "solutions", where, &x->solution_ids);
}

static char *read_file(const char *path, size_t *len, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return NULL;
    }
    strbuf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > (size_t)64 * 1024 * 1024) {
            snprintf(err, err_size, "%s: larger than 64 MiB", path);
            fclose(f);
            free(b.data);
            return NULL;
        }
        strbuf_add(&b, chunk, n);
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, err_size, "%s: read error", path);
        free(b.data);
        return NULL;
    }
    *len = b.len;
    return strbuf_take(&b);
}

bool sbx_dataset_load(sbx_world *w, const char *path, char *err, size_t err_size)
{
    size_t len = 0;
    char *text = read_file(path, &len, err, err_size);
    if (!text)
        return false;
    char why[128];
    json_object *root = sbx_json_parse(text, len, why, sizeof why);
    free(text);
    loader l = {w, path, err, err_size};
    if (!root)
        return fail(&l, "not valid JSON: %s", why);
    bool ok =
        json_object_is_type(root, json_type_object) || fail(&l, "the top level must be an object");
    json_object *apps = NULL, *details = NULL, *sols = NULL, *wabas = NULL, *dialect;
    if (ok && json_object_object_get_ex(root, "dialect", &dialect) &&
        (!json_object_is_type(dialect, json_type_string) ||
         !sandbox_dialect_parse(json_object_get_string(dialect), &w->dialect)))
        ok = fail(&l, "\"dialect\" must be \"guide\" or \"openapi\"");
    ok = ok && get_array(&l, root, "apps", &apps) &&
         get_array(&l, root, "application_details", &details) &&
         get_array(&l, root, "solutions", &sols) && get_array(&l, root, "wabas", &wabas);
    if (ok && !apps)
        add_builtin_apps(w);
    ok = ok && (!apps || load_apps(&l, apps));
    if (ok && !sbx_primary_app(w))
        ok = fail(&l, "no app has a token, so nobody could call the sandbox");
    if (ok && !details)
        add_details(w, APP_D_ID, "media_monsoon_prod", "www.mediamonsoon.com");
    ok = ok && (!details || load_details(&l, details));
    for (size_t i = 0; ok && sols && i < json_object_array_length(sols); i++)
        ok = load_solution(&l, json_object_array_get_idx(sols, i), i);
    for (size_t i = 0; ok && wabas && i < json_object_array_length(wabas); i++)
        ok = load_waba(&l, json_object_array_get_idx(wabas, i), i);
    json_object_put(root);
    return ok;
}

/* ---- dump ---- */

static void put(json_object *o, const char *k, const char *v)
{
    if (v)
        json_object_object_add(o, k, json_object_new_string(v));
}

static json_object *strv_array(const strlist *s)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < s->count; i++)
        json_object_array_add(a, json_object_new_string(s->items[i]));
    return a;
}

static json_object *app_ref(const sbx_world *w, const char *id)
{
    json_object *o = json_object_new_object();
    const sbx_app *a = sbx_app_find(w, id);
    put(o, "id", id);
    if (a) {
        put(o, "name", a->name);
        put(o, "link", a->link);
    }
    return o;
}

json_object *sbx_dataset_dump(const sbx_world *w)
{
    json_object *root = json_object_new_object(), *apps = json_object_new_array();
    for (size_t i = 0; i < w->napps; i++) {
        json_object *o = json_object_new_object();
        put(o, "id", w->apps[i].id);
        put(o, "name", w->apps[i].name);
        put(o, "link", w->apps[i].link);
        put(o, "business_id", w->apps[i].business_id);
        /* tokens stay out of dumps; say only that the app can call */
        json_object_object_add(o, "can_call", json_object_new_boolean(w->apps[i].token != NULL));
        json_object_array_add(apps, o);
    }
    json_object_object_add(root, "apps", apps);
    json_object *details = json_object_new_array();
    for (size_t i = 0; i < w->ndetails; i++)
        json_object_array_add(details, app_ref(w, w->details[i].id));
    json_object_object_add(root, "application_details", details);
    json_object *sols = json_object_new_array();
    for (size_t i = 0; i < w->nsols; i++) {
        const sbx_solution *s = w->sols[i];
        json_object *o = json_object_new_object();
        put(o, "id", s->id);
        put(o, "name", s->name);
        put(o, "status", s->status);
        put(o, "status_for_pending_request", s->pending);
        json_object_object_add(o, "owner_app", app_ref(w, s->owner_app_id));
        json_object_object_add(o, "owner_permissions", strv_array(&s->owner_perms));
        json_object *data = json_object_new_array();
        for (size_t j = 0; j < s->npartners; j++) {
            json_object *p = json_object_new_object();
            put(p, "id", s->partners[j].id);
            json_object_object_add(p, "partner_app", app_ref(w, s->partners[j].app_id));
            put(p, "status", s->partners[j].status);
            json_object_object_add(p, "partner_permissions", strv_array(&s->partners[j].perms));
            json_object_array_add(data, p);
        }
        json_object *partners = json_object_new_object();
        json_object_object_add(partners, "data", data);
        json_object_object_add(o, "partners", partners);
        put(o, "deactivation_requested_by", s->deact_by);
        put(o, "rejection_reason", s->rejection_reason);
        put(o, "deactivation_reason", s->deactivation_reason);
        json_object_array_add(sols, o);
    }
    json_object_object_add(root, "solutions", sols);
    json_object *wabas = json_object_new_array();
    for (size_t i = 0; i < w->nwabas; i++) {
        const sbx_waba *x = w->wabas[i];
        json_object *o = json_object_new_object();
        put(o, "id", x->id);
        put(o, "name", x->name);
        put(o, "timezone_id", x->timezone_id);
        put(o, "business_type", x->business_type);
        put(o, "message_template_namespace", x->namespace_);
        put(o, "business_id", x->business_id);
        put(o, "owner_business_id", x->owner_business_id);
        json_object_object_add(o, "partner_business_ids", strv_array(&x->partner_business_ids));
        json_object_object_add(o, "solutions", strv_array(&x->solution_ids));
        json_object_array_add(wabas, o);
    }
    json_object_object_add(root, "wabas", wabas);
    return root;
}
