/* The data model's lifetimes (new, copy, clear) and the comparison behind the re-check before a
 * POST. */
#include "mpsdash/model.h"
#include "mpsdash/util.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "mpsdash/state.h"
#include "mpsdash/text.h"

static bool str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* ---- strpool: chained hash table of reference-counted strings, under one lock ----------- */

typedef struct pool_str {
    struct pool_str *next;
    size_t refs;
    size_t hash;
    size_t len;
    char text[];
} pool_str;

static struct {
    pthread_mutex_t lock;
    pool_str **buckets;
    size_t mask; /* buckets - 1; 0 before the first string */
    size_t count;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER};

static size_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return (size_t)(h ^ (h >> 29));
}

static pool_str *pool_str_of(const char *interned)
{
    return (pool_str *)(void *)(interned - offsetof(pool_str, text));
}

/* Twice the buckets at one string a bucket on average; the lock is held. */
static void pool_grow(void)
{
    size_t nb = pool.buckets ? (pool.mask + 1) * 2 : 64;
    pool_str **b = mps_xcalloc(nb, sizeof *b);
    for (size_t i = 0; pool.buckets && i <= pool.mask; i++) {
        for (pool_str *p = pool.buckets[i], *next; p; p = next) {
            next = p->next;
            p->next = b[p->hash & (nb - 1)];
            b[p->hash & (nb - 1)] = p;
        }
    }
    free(pool.buckets);
    pool.buckets = b;
    pool.mask = nb - 1;
}

const char *strpool_intern_n(const char *s, size_t n)
{
    if (!s)
        return NULL;
    size_t h = hash_bytes(s, n);
    pthread_mutex_lock(&pool.lock);
    if (!pool.buckets || pool.count >= pool.mask + 1)
        pool_grow();
    pool_str **head = &pool.buckets[h & pool.mask], *p = *head;
    while (p && !(p->hash == h && p->len == n && memcmp(p->text, s, n) == 0))
        p = p->next;
    if (p) {
        p->refs++;
    } else {
        p = mps_xmalloc(sizeof *p + n + 1);
        p->refs = 1;
        p->hash = h;
        p->len = n;
        memcpy(p->text, s, n);
        p->text[n] = '\0';
        p->next = *head;
        *head = p;
        pool.count++;
    }
    pthread_mutex_unlock(&pool.lock);
    return p->text;
}

const char *strpool_intern(const char *s)
{
    return s ? strpool_intern_n(s, strlen(s)) : NULL;
}

const char *strpool_ref(const char *interned)
{
    if (!interned)
        return NULL;
    pthread_mutex_lock(&pool.lock);
    pool_str_of(interned)->refs++;
    pthread_mutex_unlock(&pool.lock);
    return interned;
}

void strpool_release(const char *interned)
{
    if (!interned)
        return;
    pool_str *p = pool_str_of(interned);
    pthread_mutex_lock(&pool.lock);
    if (--p->refs == 0) {
        pool_str **at = &pool.buckets[p->hash & pool.mask];
        while (*at != p)
            at = &(*at)->next;
        *at = p->next;
        pool.count--;
        free(p);
        if (pool.count == 0) { /* nothing interned: nothing held */
            free(pool.buckets);
            pool.buckets = NULL;
            pool.mask = 0;
        }
    }
    pthread_mutex_unlock(&pool.lock);
}

size_t strpool_count(void)
{
    pthread_mutex_lock(&pool.lock);
    size_t n = pool.count;
    pthread_mutex_unlock(&pool.lock);
    return n;
}

/* A copy of s as an item of list: interned or owned, as the list holds them. */
static char *item_of(const strlist *list, const char *s)
{
    return list->interned ? (char *)strpool_intern(s) : mps_xstrdup(s);
}

static void item_free(const strlist *list, char *item)
{
    if (list->interned)
        strpool_release(item);
    else
        free(item);
}

/* ---- strlist ---------------------------------------------------------------------------- */

static void strlist_append(strlist *list, char *item)
{
    if (list->count == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 8;
        list->items = mps_xrealloc(list->items, list->cap * sizeof *list->items);
    }
    list->items[list->count++] = item;
}

void strlist_push(strlist *list, const char *s)
{
    strlist_append(list, item_of(list, s ? s : ""));
}

bool strlist_contains(const strlist *list, const char *s)
{
    if (!list || !s)
        return false;
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i], s) == 0)
            return true;
    return false;
}

void strlist_copy(strlist *dst, const strlist *src)
{
    if (!src)
        return;
    dst->interned = src->interned;
    if (src->count && dst->cap < src->count) {
        dst->cap = src->count; /* exactly: a copy does not grow */
        dst->items = mps_xreallocarray(dst->items, dst->cap, sizeof *dst->items);
    }
    for (size_t i = 0; i < src->count; i++)
        strlist_append(dst, src->interned ? (char *)strpool_ref(src->items[i])
                                          : mps_xstrdup(src->items[i]));
}

bool strlist_equal(const strlist *a, const strlist *b)
{
    strset sa = {0}, sb = {0};
    strset_add_list(&sa, a);
    strset_add_list(&sb, b);
    bool same = sa.count == sb.count;
    for (size_t i = 0; same && i < a->count; i++)
        same = strset_has(&sb, a->items[i]);
    strset_clear(&sa);
    strset_clear(&sb);
    return same;
}

void strlist_clear(strlist *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        item_free(list, list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = list->cap = 0; /* the kind stays: a cleared list is refilled alike */
}

/* ---- strset: open addressing, linear probing, FNV-1a ---------------------------------- */

static size_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return (size_t)(h ^ (h >> 29));
}

/* The slot holding s, or the empty slot where it would go (the table is never full). */
static size_t strset_slot(const strset *set, const char *s)
{
    size_t i = str_hash(s) & set->mask;
    while (set->keys[i] && strcmp(set->keys[i], s) != 0)
        i = (i + 1) & set->mask;
    return i;
}

static void strset_grow(strset *set)
{
    size_t nslots = set->keys ? (set->mask + 1) * 2 : 16;
    strset bigger = {mps_xcalloc(nslots, sizeof *bigger.keys),
                     mps_xcalloc(nslots, sizeof *bigger.order), nslots - 1, set->count};
    for (size_t i = 0; set->keys && i <= set->mask; i++) {
        if (set->keys[i]) {
            size_t j = strset_slot(&bigger, set->keys[i]);
            bigger.keys[j] = set->keys[i];
            bigger.order[j] = set->order[i];
        }
    }
    free(set->keys);
    free(set->order);
    *set = bigger;
}

bool strset_add(strset *set, const char *s)
{
    if (!s)
        return false;
    if (!set->keys || (set->count + 1) * 2 > set->mask + 1) /* at most half full */
        strset_grow(set);
    size_t i = strset_slot(set, s);
    if (set->keys[i])
        return false;
    set->keys[i] = s;
    set->order[i] = set->count++;
    return true;
}

bool strset_find(const strset *set, const char *s, size_t *order)
{
    if (!s || !set->keys)
        return false;
    size_t i = strset_slot(set, s);
    if (!set->keys[i])
        return false;
    if (order)
        *order = set->order[i];
    return true;
}

bool strset_has(const strset *set, const char *s)
{
    return strset_find(set, s, NULL);
}

void strset_add_list(strset *set, const strlist *list)
{
    for (size_t i = 0; list && i < list->count; i++)
        strset_add(set, list->items[i]);
}

void strset_clear(strset *set)
{
    free(set->keys);
    free(set->order);
    memset(set, 0, sizeof *set);
}

/* ---- apps, partners, solutions ---------------------------------------------------------- */

void app_clear(mps_app *a)
{
    if (!a)
        return;
    char *fields[] = {a->id, a->name, a->link};
    for (size_t i = 0; i < COUNT_OF(fields); i++) {
        if (a->interned)
            strpool_release(fields[i]);
        else
            free(fields[i]);
    }
    a->id = a->name = a->link = NULL;
}

static char *app_field_copy(const mps_app *src, const char *field)
{
    return src->interned ? (char *)strpool_ref(field) : mps_xstrdup(field);
}

void app_copy(mps_app *dst, const mps_app *src)
{
    dst->interned = src->interned;
    dst->id = app_field_copy(src, src->id);
    dst->name = app_field_copy(src, src->name);
    dst->link = app_field_copy(src, src->link);
}

void partner_clear(mps_partner *p)
{
    if (!p)
        return;
    free(p->id);
    app_clear(&p->app);
    strpool_release(p->status);
    strlist_clear(&p->permissions);
    memset(p, 0, sizeof *p);
}

static void partner_copy(mps_partner *dst, const mps_partner *src)
{
    memset(dst, 0, sizeof *dst);
    dst->id = mps_xstrdup(src->id);
    app_copy(&dst->app, &src->app);
    dst->status = strpool_intern(src->status);
    strlist_copy(&dst->permissions, &src->permissions);
    dst->has_permissions = src->has_permissions;
}

mps_solution *solution_new(void)
{
    mps_solution *s = mps_xmalloc(sizeof *s);
    memset(s, 0, sizeof *s);
    return s;
}

static void solution_free_partners(mps_solution *s)
{
    for (size_t i = 0; i < s->partner_count; i++)
        partner_clear(&s->partners[i]);
    free(s->partners);
    s->partners = NULL;
    s->partner_count = 0;
}

void solution_set_partners(mps_solution *s, const mps_partner *partners, size_t count)
{
    /* Copy first: partners may point into s's own array. */
    mps_partner *copy = NULL;
    if (count) {
        copy = mps_xmalloc(count * sizeof *copy);
        for (size_t i = 0; i < count; i++)
            partner_copy(&copy[i], &partners[i]);
    }
    solution_free_partners(s);
    s->partners = copy;
    s->partner_count = count;
}

mps_solution *solution_dup(const mps_solution *s)
{
    if (!s)
        return NULL;
    mps_solution *d = solution_new();
    d->id = mps_xstrdup(s->id);
    d->name = mps_xstrdup(s->name);
    d->status = strpool_intern(s->status);
    d->pending_request = strpool_intern(s->pending_request);
    app_copy(&d->owner_app, &s->owner_app);
    strlist_copy(&d->owner_permissions, &s->owner_permissions);
    d->has_owner_permissions = s->has_owner_permissions;
    solution_set_partners(d, s->partners, s->partner_count);
    d->has_partners = s->has_partners;
    d->partners_unavailable = s->partners_unavailable;
    d->listed_role = s->listed_role;
    d->json = mps_xstrdup(s->json);
    return d;
}

void solution_free(mps_solution *s)
{
    if (!s)
        return;
    free(s->id);
    free(s->name);
    strpool_release(s->status);
    strpool_release(s->pending_request);
    app_clear(&s->owner_app);
    strlist_clear(&s->owner_permissions);
    solution_free_partners(s);
    free(s->json);
    free(s);
}

/* Never NULL, so a list cell can always read ->name; its fields are NULL when nobody is known. */
static const mps_app no_app;

const mps_app *solution_other_app(const mps_solution *s, const char *our_app_id)
{
    if (!s)
        return &no_app;
    const mps_app *first_partner = s->partner_count ? &s->partners[0].app : NULL;
    switch (solution_role(s, our_app_id)) {
    case ROLE_OWNER:
        return first_partner ? first_partner : &no_app;
    case ROLE_PARTNER:
        return &s->owner_app;
    case ROLE_UNKNOWN:
    default:
        return first_partner ? first_partner : &s->owner_app;
    }
}

/* ---- solution_diff ---------------------------------------------------------------------- */

/* An appender that never overflows and never leaves half a UTF-8 character at the cut. */
typedef struct out_buf {
    char *buf;
    size_t size;
    size_t len;
    bool full;
} out_buf;

static void out_add(out_buf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out_add(out_buf *o, const char *fmt, ...)
{
    if (!o->buf || o->size == 0 || o->full)
        return;
    char *piece = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&piece, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    size_t len = (size_t)n, room = o->size - 1 - o->len;
    if (len > room) {
        /* Cut before the character that straddles the end, not through it. */
        len = text_prev_char(piece, room + 1);
        o->full = true;
    }
    memcpy(o->buf + o->len, piece, len);
    o->len += len;
    o->buf[o->len] = '\0';
    free(piece);
}

static void out_line(out_buf *o)
{
    if (o->len > 0)
        out_add(o, "\n");
}

static const char *or_none(const char *s)
{
    return s ? s : "(none)";
}

void solution_permissions(const mps_solution *s, const char *const *first, size_t nfirst,
                          strlist *out)
{
    strset held = {0}, added = {0}; /* borrow s's strings and first[] */
    if (nfirst) {
        strset_add_list(&held, &s->owner_permissions);
        for (size_t k = 0; k < s->partner_count; k++)
            strset_add_list(&held, &s->partners[k].permissions);
    }
    for (size_t i = 0; i < nfirst; i++)
        if (strset_has(&held, first[i]) && strset_add(&added, first[i]))
            strlist_push(out, first[i]);
    for (size_t i = 0; i < s->owner_permissions.count; i++)
        if (strset_add(&added, s->owner_permissions.items[i]))
            strlist_push(out, s->owner_permissions.items[i]);
    for (size_t k = 0; k < s->partner_count; k++) {
        const strlist *l = &s->partners[k].permissions;
        for (size_t i = 0; i < l->count; i++)
            if (strset_add(&added, l->items[i]))
                strlist_push(out, l->items[i]);
    }
    strset_clear(&held);
    strset_clear(&added);
}

/* "+ADDED -REMOVED" between two permission sets; false when they hold the same members. */
static bool diff_perm_sets(out_buf *o, const char *label, const strlist *was, const strlist *now)
{
    strset in_was = {0}, in_now = {0};
    strset_add_list(&in_was, was);
    strset_add_list(&in_now, now);
    bool same = in_was.count == in_now.count;
    for (size_t i = 0; same && i < now->count; i++)
        same = strset_has(&in_was, now->items[i]);
    if (!same) {
        out_line(o);
        out_add(o, "%s:", label);
        for (size_t i = 0; i < now->count && !o->full; i++)
            if (!strset_has(&in_was, now->items[i]))
                out_add(o, " +%s", now->items[i]);
        for (size_t i = 0; i < was->count && !o->full; i++)
            if (!strset_has(&in_now, was->items[i]))
                out_add(o, " -%s", was->items[i]);
    }
    strset_clear(&in_was);
    strset_clear(&in_now);
    return !same;
}

/* Partners by app id, so matching two solutions' partners stays linear. A partner without an
 * app id matches the first such partner on the other side, as before. */
typedef struct partner_index {
    strset ids;
    size_t *at; /* ids order -> partner index */
    const mps_partner *no_id;
} partner_index;

static void partner_index_build(partner_index *ix, const mps_solution *s)
{
    memset(ix, 0, sizeof *ix);
    ix->at = mps_xcalloc(s->partner_count + 1, sizeof *ix->at);
    for (size_t i = 0; i < s->partner_count; i++) {
        const char *id = s->partners[i].app.id;
        if (!id) {
            if (!ix->no_id)
                ix->no_id = &s->partners[i];
        } else if (strset_add(&ix->ids, id)) {
            ix->at[ix->ids.count - 1] = i;
        }
    }
}

static const mps_partner *partner_index_find(const partner_index *ix, const mps_solution *s,
                                             const char *app_id)
{
    size_t order;
    if (!app_id)
        return ix->no_id;
    return strset_find(&ix->ids, app_id, &order) ? &s->partners[ix->at[order]] : NULL;
}

static void partner_index_clear(partner_index *ix)
{
    strset_clear(&ix->ids);
    free(ix->at);
}

static bool diff_partners(out_buf *o, const mps_solution *shown, const mps_solution *now)
{
    if (!now->has_partners) {
        out_line(o);
        out_add(o, "partners: missing from the server's answer");
        return true;
    }
    bool changed = false;
    bool many = shown->partner_count > 1 || now->partner_count > 1;
    partner_index in_shown, in_now;
    partner_index_build(&in_shown, shown);
    partner_index_build(&in_now, now);
    for (size_t i = 0; i < shown->partner_count; i++) {
        const mps_partner *was = &shown->partners[i];
        const mps_partner *is = partner_index_find(&in_now, now, was->app.id);
        if (!is) {
            out_line(o);
            out_add(o, "partner app removed: \"%s\" (%s)", or_none(was->app.name),
                    or_none(was->app.id));
            changed = true;
            continue;
        }
        if (!str_eq(was->app.name, is->app.name)) {
            out_line(o);
            out_add(o, "partner app name: \"%s\" -> \"%s\"", or_none(was->app.name),
                    or_none(is->app.name));
            changed = true;
        }
        if (was->has_permissions) {
            char label[96];
            if (many)
                snprintf(label, sizeof label, "partner permissions (%.60s)",
                         or_none(was->app.name));
            else
                snprintf(label, sizeof label, "partner permissions");
            if (!is->has_permissions) {
                out_line(o);
                out_add(o, "%s: missing from the server's answer", label);
                changed = true;
            } else if (diff_perm_sets(o, label, &was->permissions, &is->permissions)) {
                changed = true;
            }
        }
    }
    for (size_t i = 0; i < now->partner_count; i++) {
        const mps_partner *is = &now->partners[i];
        if (!partner_index_find(&in_shown, shown, is->app.id)) {
            out_line(o);
            out_add(o, "partner app added: \"%s\" (%s)", or_none(is->app.name),
                    or_none(is->app.id));
            changed = true;
        }
    }
    partner_index_clear(&in_shown);
    partner_index_clear(&in_now);
    return changed;
}

bool solution_diff(const mps_solution *shown, const mps_solution *now, char *out, size_t out_size)
{
    out_buf o = {out, out_size, 0, false};
    if (out && out_size)
        out[0] = '\0';
    if (!shown)
        return false;
    if (!now) {
        out_add(&o, "the solution is gone from the server");
        return true;
    }
    bool changed = false;

    if (shown->name && !str_eq(shown->name, now->name)) {
        out_line(&o);
        out_add(&o, "name: \"%s\" -> \"%s\"", shown->name, or_none(now->name));
        changed = true;
    }
    if (shown->status || shown->pending_request) {
        mps_state was = solution_state(shown), is = solution_state(now);
        /* Two unknown statuses differ when their raw text does. */
        bool differ = was != is || (was == STATE_OTHER && !str_eq(shown->status, now->status));
        if (differ) {
            out_line(&o);
            out_add(&o, "state: %s -> %s", solution_state_text(shown), solution_state_text(now));
            changed = true;
        }
    }
    if (shown->owner_app.id && !str_eq(shown->owner_app.id, now->owner_app.id)) {
        out_line(&o);
        out_add(&o, "owner app: %s -> %s", shown->owner_app.id, or_none(now->owner_app.id));
        changed = true;
    }
    if (shown->has_owner_permissions) {
        if (!now->has_owner_permissions) {
            out_line(&o);
            out_add(&o, "owner permissions: missing from the server's answer");
            changed = true;
        } else if (diff_perm_sets(&o, "owner permissions", &shown->owner_permissions,
                                  &now->owner_permissions)) {
            changed = true;
        }
    }
    if (shown->has_partners && diff_partners(&o, shown, now))
        changed = true;
    return changed;
}

/* ---- WABAs and events ------------------------------------------------------------------- */

void waba_clear(mps_waba *w)
{
    if (!w)
        return;
    free(w->id);
    free(w->name);
    free(w->timezone_id);
    free(w->business_type);
    free(w->template_namespace);
    free(w->json);
    memset(w, 0, sizeof *w);
}

void event_clear(mps_event *e)
{
    if (!e)
        return;
    free(e->business_id);
    free(e->field);
    free(e->event);
    free(e->solution_id);
    free(e->status);
    free(e->waba_id);
    free(e->owner_business_id);
    strlist_clear(&e->partner_business_ids);
    memset(e, 0, sizeof *e);
}

/* ---- API versions ----------------------------------------------------------------------- */

bool api_version_ok(const char *v)
{
    if (v[0] != 'v' || !isdigit((unsigned char)v[1]))
        return false;
    const char *p = v + 1;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p++ != '.' || !isdigit((unsigned char)*p))
        return false;
    while (isdigit((unsigned char)*p))
        p++;
    return *p == '\0' && strlen(v) < 16;
}
