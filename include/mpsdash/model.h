/* The data model: solutions, partners, apps, client WABAs and webhook events as plain structs.
 *
 * Every char * field here holds display-safe text: the graph layer sanitises server strings once,
 * at ingest (text_sanitize), so views and the human CLI print them as they are. The exact server
 * data survives only in the `json` fields, which are inert JSON text for --json output. */
#ifndef MPSDASH_MODEL_H
#define MPSDASH_MODEL_H

#include <stdbool.h>
#include <stddef.h>

/* Interned text: one shared, immutable, reference-counted copy of each distinct string, for
 * what a long list repeats in every solution (app ids, names and links, permissions), so 50,000
 * solutions hold each of them once. Thread-safe (the worker parses, the UI frees). */
const char *strpool_intern(const char *s);             /* a new reference; NULL s gives NULL */
const char *strpool_intern_n(const char *s, size_t n); /* n bytes of s, which may hold NUL */
const char *strpool_ref(const char *interned);         /* one more reference; NULL gives NULL */
void strpool_release(const char *interned);            /* drops one reference; NULL is fine */
size_t strpool_count(void);                            /* distinct strings held now */

/* A growable list of strings (permissions, business ids...). Zero-initialised is empty and
 * owns copies of its items; with `interned` set before the first push (the parser does so for
 * permissions), its items are strpool references instead. Either way strlist_push, _copy and
 * _clear keep the ownership right; never free or replace an item by hand. */
typedef struct strlist {
    char **items;
    size_t count;
    size_t cap;
    bool interned;
} strlist;

void strlist_push(strlist *list, const char *s); /* copies (or interns) s */
bool strlist_contains(const strlist *list, const char *s);
void strlist_copy(strlist *dst, const strlist *src);    /* dst must be empty; it takes src's kind */
bool strlist_equal(const strlist *a, const strlist *b); /* same members, any order */
void strlist_clear(strlist *list);

/* A hash set of strings it borrows (they must outlive it), for membership tests inside loops:
 * strlist_contains is linear, and a server may send 100,000 permissions. Zero-initialised is
 * empty. Each key keeps the position at which it was first added. */
typedef struct strset {
    const char **keys;
    size_t *order;
    size_t mask; /* slots - 1; 0 with no slots */
    size_t count;
} strset;

bool strset_add(strset *set, const char *s); /* true when s was not in the set yet */
bool strset_has(const strset *set, const char *s);
/* *order = how many distinct keys were added before s; false when s is absent. */
bool strset_find(const strset *set, const char *s, size_t *order);
void strset_add_list(strset *set, const strlist *list);
void strset_clear(strset *set);

/* An app's fields are owned copies, or strpool references when `interned` (as the parser makes
 * them); app_copy and app_clear follow the flag. */
typedef struct mps_app {
    char *id;
    char *name;
    char *link;
    bool interned;
} mps_app;

typedef struct mps_partner {
    char *id; /* the partner edge's id */
    mps_app app;
    /* Raw partner status: ACCEPTED, NOTIFICATION_SENT, ... (open set); a strpool reference,
     * as the few values repeat across every solution. */
    const char *status;
    strlist permissions;
    bool has_permissions; /* partner_permissions was present in the answer */
} mps_partner;

/* Our app's part in a solution (state.h derives it). */
typedef enum mps_role { ROLE_UNKNOWN, ROLE_OWNER, ROLE_PARTNER } mps_role;

typedef struct mps_solution {
    char *id;
    char *name;
    /* Raw status and status_for_pending_request (open sets), NULL when absent: strpool
     * references (solution_free releases them), as a handful of values repeat N times. */
    const char *status;
    const char *pending_request;
    mps_app owner_app; /* fields NULL when not known */
    strlist owner_permissions;
    bool has_owner_permissions;
    mps_partner *partners;
    size_t partner_count;
    bool has_partners; /* partners were fetched (possibly zero of them) */
    /* The server has no partners data at all (refuses the field, has no edge): a role comes
     * from listed_role or owner_app, and partner details are not available. */
    bool partners_unavailable;
    mps_role listed_role; /* from a role=OWNER|PARTNER listing; ROLE_UNKNOWN otherwise */
    char *json;           /* the server's object, inert JSON text; NULL when not kept */
} mps_solution;

mps_solution *solution_new(void);
mps_solution *solution_dup(const mps_solution *s);
void solution_free(mps_solution *s);
void app_clear(mps_app *a);
void app_copy(mps_app *dst, const mps_app *src);
void partner_clear(mps_partner *p);
/* Replaces s's partners with a deep copy of the given ones. */
void solution_set_partners(mps_solution *s, const mps_partner *partners, size_t count);
/* The first partner's app name, or the owner app's, whichever is "the other party" for app_id:
 * owner -> first partner's app; partner -> owner app; neither -> first partner's app, else the
 * owner app. Never NULL: an app with NULL fields when the other party is not known. */
const mps_app *solution_other_app(const mps_solution *s, const char *our_app_id);

/* What a confirmation dialog showed against what the server holds now.
 * Writes a human description of every difference (name, state, partner app, permissions) into
 * out and returns true when anything that was shown differs. */
/* Every permission either side holds, once each, appended to out: the held ones of first[] in
 * that order, then the rest as they came (owner, then each partner). Linear in the total. */
void solution_permissions(const mps_solution *s, const char *const *first, size_t nfirst,
                          strlist *out);
bool solution_diff(const mps_solution *shown, const mps_solution *now, char *out, size_t out_size);

/* An onboarded customer's WhatsApp Business Account (client WABA). */
typedef struct mps_waba {
    char *id;
    char *name;
    char *timezone_id;
    char *business_type;
    char *template_namespace;
    char *json;
} mps_waba;
void waba_clear(mps_waba *w);

/* One change from a webhook delivery (one line of the events file may hold several). */
typedef struct mps_event {
    long long time;          /* entry[].time, unix seconds; 0 when absent */
    bool time_invalid;       /* entry[].time is there but is not unix seconds (1e400, "soon") */
    char *business_id;       /* entry[].id */
    char *field;             /* partner_solutions, account_update, or anything else */
    char *event;             /* SOLUTION_CREATED, SOLUTION_UPDATED, PARTNER_ADDED, ... */
    char *solution_id;       /* value.solution_id or value.waba_info.solution_id */
    char *status;            /* value.solution_status */
    char *waba_id;           /* value.waba_info.waba_id */
    char *owner_business_id; /* value.waba_info.owner_business_id */
    strlist partner_business_ids; /* value.waba_info.solution_partner_business_ids */
} mps_event;
void event_clear(mps_event *e);

/* The Graph API that the config, the client and the dashboard talk to when nothing names
 * another: the one place these two are written. */
#define MPS_DEFAULT_GRAPH_URL "https://graph.facebook.com"
#define MPS_DEFAULT_API_VERSION "v25.0"

/* A Graph API version as it goes into a URL: "v", digits, ".", digits ("v25.0"), under 16
 * bytes. The config file and the client both refuse anything else. */
bool api_version_ok(const char *v);

#endif
