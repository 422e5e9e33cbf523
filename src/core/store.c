/* The solution list's state: an id hash table over owned solutions and a lazily rebuilt filtered,
 * sorted view. */
#include "mpsdash/store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"

/* One owned solution plus what the view needs of it, computed once per upsert. */
typedef struct store_entry {
    mps_solution *s;
    mps_state state;
    mps_role role;
    const char *other_name; /* borrowed from s: the other party's app name, or NULL */
    /* One allocation holding ASCII-lowercased copies: the name and other app name (sort keys,
     * so a comparison is a plain strcmp) and every searchable field joined by SEARCH_SEP (so a
     * search keystroke is one strstr per row). */
    char *keys;
    const char *name_key, *other_key, *haystack;
    bool in_rows; /* placed in the visible rows by the last update */
    bool queued;  /* added or changed since the view was last brought up to date */
    /* The complete listing that last brought it back; 0 when only ever read alone. */
    uint32_t listing;
} store_entry;

struct store {
    char *our_app_id;

    store_entry *entries; /* dense, in no particular order */
    size_t count, cap;

    /* Open addressing with linear probing; slot = entry index + 1, 0 = empty. */
    size_t *slots;
    size_t slot_mask; /* slot count - 1; the count is a power of two, at least 2x entries */

    bool all_states;
    mps_state state_filter;
    mps_role role_filter;
    char *narrow_text; /* the narrowing filter as given; NULL: none */
    char *narrow;      /* its needle (lowercased as the haystacks); NULL: it matches nothing */
    store_sort sort_key;
    bool descending;

    /* The view is brought up to date on demand, so a bulk load of pages costs one update per
     * page, not one per solution. What a page added or changed is sorted alone and each of its
     * rows put in place by binary search (k log N comparisons and one pass of memmove for a
     * page of k), so loading N solutions in pages stays near N log N overall; a solution read
     * again that keeps its place in the order stays where it is. A new filter or order, or a
     * removal, rebuilds the view whole. Readers are logically const. */
    bool dirty;    /* the view must be rebuilt whole */
    size_t *queue; /* entry indices added or changed since the last update */
    size_t queue_count, queue_cap;
    size_t queued_in_rows; /* queued entries still in the rows, at their old place */
    size_t *visible;       /* entry indices, sorted */
    size_t visible_count, visible_cap;
    /* Kept up to date per upsert while the view is not dirty; recounted by a rebuild. */
    size_t counts[STATE_COUNT];
    size_t counts_all;

    /* The match count's cache: the rows of the visible ones matching match_needle, valid while
     * version is match_version (every change to the solutions, filters or order bumps it). */
    unsigned long version, match_version;
    char *match_needle;
    size_t *match_rows, match_count, match_cap;

    uint32_t listing; /* the listing under way (store_listing_begin), never 0 */
};

/* ---- hash table ------------------------------------------------------------------------- */

static uint64_t hash_id(const char *id)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

static const char *entry_id(const store *st, size_t slot_value)
{
    const char *id = st->entries[slot_value - 1].s->id;
    return id ? id : "";
}

/* The slot holding id, or the empty slot where it would go. */
static size_t slot_find(const store *st, const char *id)
{
    size_t i = (size_t)hash_id(id) & st->slot_mask;
    while (st->slots[i] && strcmp(entry_id(st, st->slots[i]), id) != 0)
        i = (i + 1) & st->slot_mask;
    return i;
}

static void slots_rebuild(store *st, size_t nslots)
{
    free(st->slots);
    st->slots = mps_xcalloc(nslots, sizeof *st->slots);
    st->slot_mask = nslots - 1;
    for (size_t e = 0; e < st->count; e++) {
        const char *id = st->entries[e].s->id ? st->entries[e].s->id : "";
        st->slots[slot_find(st, id)] = e + 1;
    }
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
static void slot_delete(store *st, size_t hole)
{
    st->slots[hole] = 0;
    size_t i = hole;
    for (;;) {
        i = (i + 1) & st->slot_mask;
        if (!st->slots[i])
            return;
        size_t home = (size_t)hash_id(entry_id(st, st->slots[i])) & st->slot_mask;
        /* Move it back when its home is not within (hole, i] cyclically. */
        bool stays = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
        if (!stays) {
            st->slots[hole] = st->slots[i];
            st->slots[i] = 0;
            hole = i;
        }
    }
}

static void entry_release(store_entry *e);
static int cmp_entries(const void *pa, const void *pb, void *ctx);
static bool entry_counted(const store *st, const store_entry *e);
static bool entry_visible(const store *st, const store_entry *e);
static long row_of(const store *st, size_t idx);

/* ---- lifetime --------------------------------------------------------------------------- */

store *store_new(const char *our_app_id)
{
    store *st = mps_xcalloc(1, sizeof *st);
    if (our_app_id) {
        size_t n = strlen(our_app_id) + 1;
        st->our_app_id = mps_xmalloc(n);
        memcpy(st->our_app_id, our_app_id, n);
    }
    st->all_states = true;
    st->role_filter = ROLE_UNKNOWN;
    st->sort_key = SORT_NAME;
    st->listing = 1;
    slots_rebuild(st, 16);
    st->dirty = true;
    return st;
}

void store_clear(store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->count; i++)
        entry_release(&st->entries[i]);
    st->count = 0;
    memset(st->slots, 0, (st->slot_mask + 1) * sizeof *st->slots);
    st->queue_count = 0;
    st->queued_in_rows = 0;
    st->dirty = true;
    st->version++;
}

void store_free(store *st)
{
    if (!st)
        return;
    store_clear(st);
    free(st->entries);
    free(st->slots);
    free(st->visible);
    free(st->queue);
    free(st->narrow);
    free(st->narrow_text);
    free(st->match_needle);
    free(st->match_rows);
    free(st->our_app_id);
    free(st);
}

/* ---- mutation --------------------------------------------------------------------------- */

#define SEARCH_SEP '\x1f' /* never in sanitised text, so no match spans two fields */

/* Appends s folded to lower case (text_fold_case), then `end`, at *pos. */
static void key_put(char **pos, const char *s, char end)
{
    char *start = *pos;
    *pos += text_fold_case(s, start);
    for (char *c = start; c < *pos; c++)
        if (*c == SEARCH_SEP)
            *c = ' ';
    *(*pos)++ = end;
}

static size_t key_len(const char *s)
{
    return text_fold_case(s, NULL) + 1;
}

static void entry_keys(store_entry *e)
{
    const mps_solution *s = e->s;
    size_t n = key_len(s->name) + key_len(e->other_name) + key_len(s->name) + key_len(s->id) +
               key_len(s->owner_app.name) + key_len(s->owner_app.id);
    for (size_t i = 0; i < s->partner_count; i++)
        n += key_len(s->partners[i].app.name) + key_len(s->partners[i].app.id);
    char *pos = e->keys = mps_xmalloc(n);
    e->name_key = pos;
    key_put(&pos, s->name, '\0');
    e->other_key = pos;
    key_put(&pos, e->other_name, '\0');
    e->haystack = pos;
    key_put(&pos, s->name, SEARCH_SEP);
    key_put(&pos, s->id, SEARCH_SEP);
    key_put(&pos, s->owner_app.name, SEARCH_SEP);
    key_put(&pos, s->owner_app.id, SEARCH_SEP);
    for (size_t i = 0; i < s->partner_count; i++) {
        key_put(&pos, s->partners[i].app.name, SEARCH_SEP);
        key_put(&pos, s->partners[i].app.id, SEARCH_SEP);
    }
    pos[-1] = '\0';
}

static void entry_release(store_entry *e)
{
    solution_free(e->s);
    free(e->keys);
    e->s = NULL;
    e->keys = NULL;
}

static void entry_fill(const store *st, store_entry *e, mps_solution *s)
{
    e->s = s;
    e->state = solution_state(s);
    e->role = solution_role(s, st->our_app_id);
    e->other_name = solution_other_app(s, st->our_app_id)->name;
    entry_keys(e);
}

/* Entry idx was added or changed: the next view update places it. */
static void queue_entry(store *st, size_t idx)
{
    store_entry *e = &st->entries[idx];
    if (e->queued)
        return;
    e->queued = true;
    if (e->in_rows)
        st->queued_in_rows++;
    if (st->queue_count == st->queue_cap) {
        st->queue_cap = st->queue_cap ? st->queue_cap * 2 : 128;
        st->queue = mps_xrealloc(st->queue, st->queue_cap * sizeof *st->queue);
    }
    st->queue[st->queue_count++] = idx;
}

/* The tab counts follow each upsert; while the view is dirty the next rebuild recounts. */
static void count_entry(store *st, const store_entry *e, int delta)
{
    if (st->dirty || !entry_counted(st, e))
        return;
    st->counts[e->state] += (size_t)(long)delta;
    st->counts_all += (size_t)(long)delta;
}

void store_upsert_take(store *st, mps_solution *s)
{
    if (!st || !s)
        return;
    st->version++;
    const char *id = s->id ? s->id : "";
    size_t slot = slot_find(st, id);
    if (st->slots[slot]) {
        size_t idx = st->slots[slot] - 1;
        store_entry *e = &st->entries[idx];
        /* Its row, found while its old keys still order it among the others. */
        long row = !st->dirty && !st->queued_in_rows && !e->queued ? row_of(st, idx) : -1;
        /* A solution read alone (after an action, say) keeps the role its listing gave it. */
        if (e->s != s && s->listed_role == ROLE_UNKNOWN)
            s->listed_role = e->s->listed_role;
        count_entry(st, e, -1);
        if (e->s != s)
            solution_free(e->s);
        free(e->keys);
        entry_fill(st, e, s);
        count_entry(st, e, +1);
        /* Still shown and still between its neighbours: the rows stay as they are. */
        if (row >= 0 && entry_visible(st, e) &&
            (row == 0 || cmp_entries(&st->visible[row - 1], &idx, st) < 0) &&
            ((size_t)row + 1 == st->visible_count ||
             cmp_entries(&idx, &st->visible[row + 1], st) < 0))
            return;
        queue_entry(st, idx);
        return;
    }
    if (st->count == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 64;
        st->entries = mps_xrealloc(st->entries, st->cap * sizeof *st->entries);
    }
    entry_fill(st, &st->entries[st->count], s);
    st->entries[st->count].queued = false;
    st->entries[st->count].in_rows = false;
    st->entries[st->count].listing = 0;
    count_entry(st, &st->entries[st->count], +1);
    st->count++;
    st->slots[slot] = st->count;
    if (st->count * 2 > st->slot_mask + 1)
        slots_rebuild(st, (st->slot_mask + 1) * 2);
    queue_entry(st, st->count - 1);
}

bool store_remove(store *st, const char *id)
{
    if (!st || !id)
        return false;
    size_t slot = slot_find(st, id);
    if (!st->slots[slot])
        return false;
    size_t idx = st->slots[slot] - 1, last = st->count - 1;
    slot_delete(st, slot);
    entry_release(&st->entries[idx]);
    if (idx != last) {
        /* Move the last entry into the gap and repoint its slot. */
        st->entries[idx] = st->entries[last];
        st->slots[slot_find(st, entry_id(st, last + 1))] = idx + 1;
    }
    st->count--;
    st->dirty = true;
    st->version++;
    return true;
}

/* ---- complete listings ------------------------------------------------------------------ */

void store_listing_begin(store *st)
{
    if (!st)
        return;
    if (++st->listing == 0) { /* wrapped: no mark may equal a later listing by chance */
        for (size_t i = 0; i < st->count; i++)
            if (st->entries[i].listing)
                st->entries[i].listing = 1;
        st->listing = 2;
    }
}

void store_listing_mark(store *st, const char *id)
{
    if (!st || !id)
        return;
    size_t slot = slot_find(st, id);
    if (st->slots[slot])
        st->entries[st->slots[slot] - 1].listing = st->listing;
}

size_t store_listing_sweep(store *st)
{
    if (!st)
        return 0;
    size_t removed = 0;
    /* Backwards, as a removal moves the last entry into the hole. */
    for (size_t i = st->count; i-- > 0;) {
        const store_entry *e = &st->entries[i];
        if (e->listing && e->listing != st->listing && store_remove(st, entry_id(st, i + 1)))
            removed++;
    }
    return removed;
}

const mps_solution *store_find(const store *st, const char *id)
{
    if (!st || !id)
        return NULL;
    size_t slot = slot_find(st, id);
    return st->slots[slot] ? st->entries[st->slots[slot] - 1].s : NULL;
}

size_t store_total(const store *st)
{
    return st ? st->count : 0;
}

/* ---- filters and sort ------------------------------------------------------------------- */

void store_set_state_filter(store *st, bool all_states, mps_state state)
{
    st->all_states = all_states || (int)state < 0 || state >= STATE_COUNT;
    st->state_filter = state;
    st->dirty = true;
    st->version++;
}

void store_set_role_filter(store *st, mps_role role)
{
    st->role_filter = role;
    st->dirty = true;
    st->version++;
}

/* The query as the haystacks hold it (folded to lower case), in small when it fits; NULL when
 * it holds SEARCH_SEP, which no sanitised field does, so it can match nothing. */
static char *needle_make(const char *query, char *small, size_t small_size)
{
    if (!query)
        query = "";
    if (strchr(query, SEARCH_SEP))
        return NULL;
    size_t len = text_fold_case(query, NULL);
    char *needle = len < small_size ? small : mps_xmalloc(len + 1);
    text_fold_case(query, needle);
    needle[len] = '\0';
    return needle;
}

void store_set_narrow(store *st, const char *query)
{
    free(st->narrow);
    free(st->narrow_text);
    st->narrow = st->narrow_text = NULL;
    if (query && query[0]) {
        st->narrow_text = mps_xstrdup(query);
        st->narrow = needle_make(query, NULL, 0); /* NULL: it matches nothing */
    }
    st->dirty = true;
    st->version++;
}

const char *store_narrow(const store *st)
{
    return st->narrow_text ? st->narrow_text : "";
}

mps_role store_role_filter(const store *st)
{
    return st->role_filter;
}

bool store_state_filter(const store *st, mps_state *state)
{
    if (st->all_states)
        return false;
    if (state)
        *state = st->state_filter;
    return true;
}

void store_set_sort(store *st, store_sort key, bool descending)
{
    if ((int)key < 0 || key >= SORT_COUNT)
        key = SORT_NAME;
    st->sort_key = key;
    st->descending = descending;
    st->dirty = true;
    st->version++;
}

store_sort store_sort_key(const store *st)
{
    return st->sort_key;
}

bool store_sort_descending(const store *st)
{
    return st->descending;
}

static const char *const sort_names[SORT_COUNT] = {
    [SORT_NAME] = "name",           [SORT_STATE] = "state", [SORT_ROLE] = "role",
    [SORT_OTHER_APP] = "other-app", [SORT_ID] = "id",
};

const char *store_sort_name(store_sort key)
{
    return ((int)key >= 0 && key < SORT_COUNT) ? sort_names[key] : "name";
}

bool store_sort_parse(const char *word, store_sort *out)
{
    if (!word)
        return false;
    for (int k = 0; k < SORT_COUNT; k++) {
        /* "other-app", "other_app" and "other app" alike. */
        const char *a = sort_names[k], *b = word;
        while (*a && *b) {
            char cb = *b == '_' || *b == ' ' ? '-' : *b;
            if (cb >= 'A' && cb <= 'Z')
                cb = (char)(cb - 'A' + 'a');
            if (cb != *a)
                break;
            a++, b++;
        }
        if (!*a && !*b) {
            if (out)
                *out = (store_sort)k;
            return true;
        }
    }
    return false;
}

/* ---- the view --------------------------------------------------------------------------- */

/* Numeric ids sort by value: a shorter digit string is smaller. */
static int cmp_id(const char *a, const char *b)
{
    a = a ? a : "";
    b = b ? b : "";
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    return strcmp(a, b);
}

/* Case-insensitive through the lowercased keys, then exact; missing text sorts last. */
static int cmp_keyed(const char *key_a, const char *a, const char *key_b, const char *b)
{
    if (!a || !b)
        return (a == NULL) - (b == NULL);
    int c = strcmp(key_a, key_b);
    return c ? c : strcmp(a, b);
}

/* Display order of roles: ours first. */
static const int role_rank[] = {[ROLE_OWNER] = 0, [ROLE_PARTNER] = 1, [ROLE_UNKNOWN] = 2};

static int cmp_primary(const store_entry *a, const store_entry *b, store_sort key)
{
    switch (key) {
    case SORT_STATE:
        return (int)a->state - (int)b->state;
    case SORT_ROLE:
        return role_rank[a->role] - role_rank[b->role];
    case SORT_OTHER_APP:
        return cmp_keyed(a->other_key, a->other_name, b->other_key, b->other_name);
    case SORT_ID:
        return cmp_id(a->s->id, b->s->id);
    case SORT_NAME:
    default:
        return cmp_keyed(a->name_key, a->s->name, b->name_key, b->s->name);
    }
}

static int cmp_entries(const void *pa, const void *pb, void *ctx)
{
    const store *st = ctx;
    const store_entry *a = &st->entries[*(const size_t *)pa];
    const store_entry *b = &st->entries[*(const size_t *)pb];
    int c = cmp_primary(a, b, st->sort_key);
    if (c)
        return st->descending ? -c : c;
    /* Ties: by name, then id, always ascending, so equal keys keep a stable order. */
    if (st->sort_key != SORT_NAME &&
        (c = cmp_keyed(a->name_key, a->s->name, b->name_key, b->s->name)) != 0)
        return c;
    return cmp_id(a->s->id, b->s->id);
}

/* The role filter and the narrowing filter: what the tabs count. */
static bool entry_counted(const store *st, const store_entry *e)
{
    if (st->role_filter != ROLE_UNKNOWN && e->role != st->role_filter)
        return false;
    return !st->narrow_text || (st->narrow && strstr(e->haystack, st->narrow));
}

static bool entry_visible(const store *st, const store_entry *e)
{
    return entry_counted(st, e) && (st->all_states || e->state == st->state_filter);
}

/* The tab counts: every solution of the role shown, by state. */
static void count_states(store *st)
{
    memset(st->counts, 0, sizeof st->counts);
    st->counts_all = 0;
    for (size_t i = 0; i < st->count; i++) {
        const store_entry *e = &st->entries[i];
        if (entry_counted(st, e)) {
            st->counts[e->state]++;
            st->counts_all++;
        }
    }
}

static void rows_reserve(store *st, size_t n)
{
    if (n <= st->visible_cap)
        return;
    size_t cap = st->visible_cap ? st->visible_cap : 64;
    while (cap < n)
        cap *= 2;
    st->visible = mps_xreallocarray(st->visible, cap, sizeof *st->visible);
    st->visible_cap = cap;
}

static void view_rebuild(store *st)
{
    rows_reserve(st, st->count ? st->count : 1);
    st->visible_count = 0;
    for (size_t i = 0; i < st->count; i++) {
        store_entry *e = &st->entries[i];
        e->queued = false;
        e->in_rows = entry_visible(st, e);
        if (e->in_rows)
            st->visible[st->visible_count++] = i;
    }
    st->queue_count = 0;
    st->queued_in_rows = 0;
    qsort_r(st->visible, st->visible_count, sizeof *st->visible, cmp_entries, st);
    count_states(st);
    st->dirty = false;
}

/* The first of rows[0, n) that sorts after entry idx (n when none does). */
static size_t rows_upper_bound(const store *st, const size_t *rows, size_t n, size_t idx)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_entries(&idx, &rows[mid], (void *)st) < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* What was added or changed since the last update, sorted alone and put in place. */
static void view_merge(store *st)
{
    /* A changed entry leaves its old row; it comes back from the queue at its new place. */
    if (st->queued_in_rows) {
        size_t kept = 0;
        for (size_t v = 0; v < st->visible_count; v++) {
            store_entry *e = &st->entries[st->visible[v]];
            if (e->queued)
                e->in_rows = false;
            else
                st->visible[kept++] = st->visible[v];
        }
        st->visible_count = kept;
        st->queued_in_rows = 0;
    }
    size_t added = 0;
    for (size_t q = 0; q < st->queue_count; q++) {
        store_entry *e = &st->entries[st->queue[q]];
        e->queued = false;
        if (entry_visible(st, e))
            st->queue[added++] = st->queue[q];
    }
    st->queue_count = 0;
    qsort_r(st->queue, added, sizeof *st->queue, cmp_entries, st);

    /* From the back: each new row's place by binary search, the rows after it moved once. */
    rows_reserve(st, st->visible_count + added);
    size_t *rows = st->visible;
    size_t old = st->visible_count, end = old + added;
    for (size_t j = added; j-- > 0;) {
        size_t idx = st->queue[j];
        size_t at = rows_upper_bound(st, rows, old, idx);
        size_t move = old - at;
        end -= move;
        memmove(rows + end, rows + at, move * sizeof *rows);
        rows[--end] = idx;
        st->entries[idx].in_rows = true;
        old = at;
    }
    st->visible_count += added;
}

/* The row of entry idx in an up-to-date view (binary search: the order is total), or -1. */
static long row_of(const store *st, size_t idx)
{
    if (!st->entries[idx].in_rows)
        return -1;
    size_t at = rows_upper_bound(st, st->visible, st->visible_count, idx);
    return at > 0 && st->visible[at - 1] == idx ? (long)at - 1 : -1;
}

/* The store is allocated by store_new, never a const object, so the cache may be refreshed. */
static const store *view(const store *cst)
{
    if (cst->dirty)
        view_rebuild((store *)cst);
    else if (cst->queue_count)
        view_merge((store *)cst);
    return cst;
}

size_t store_visible_count(const store *st)
{
    return st ? view(st)->visible_count : 0;
}

const mps_solution *store_visible(const store *st, size_t index)
{
    if (!st || index >= view(st)->visible_count)
        return NULL;
    return st->entries[st->visible[index]].s;
}

long store_visible_index(const store *st, const char *id)
{
    if (!st || !id)
        return -1;
    view(st);
    size_t slot = slot_find(st, id);
    return st->slots[slot] ? row_of(st, st->slots[slot] - 1) : -1;
}

void store_counts(const store *st, size_t counts[STATE_COUNT], size_t *all)
{
    view(st);
    if (counts)
        memcpy(counts, st->counts, sizeof st->counts);
    if (all)
        *all = st->counts_all;
}

/* ---- search ----------------------------------------------------------------------------- */

static bool app_matches(const mps_app *a, const char *query)
{
    return text_contains_ci(a->name, query) || text_contains_ci(a->id, query);
}

bool store_matches(const mps_solution *s, const char *query)
{
    if (!s)
        return false;
    if (!query || !query[0])
        return true;
    if (text_contains_ci(s->name, query) || text_contains_ci(s->id, query) ||
        app_matches(&s->owner_app, query))
        return true;
    for (size_t i = 0; i < s->partner_count; i++)
        if (app_matches(&s->partners[i].app, query))
            return true;
    return false;
}

static long search_rows(const store *st, const char *needle, long from, int dir, bool include_from,
                        long len)
{
    long step = dir < 0 ? -1 : 1;
    /* From outside the rows: begin at the edge the search moves away from, inclusive. */
    if (from < 0 || from >= len) {
        from = step > 0 ? 0 : len - 1;
        include_from = true;
    }
    /* Without include_from the last probe wraps back onto `from` itself. */
    long first = include_from ? 0 : 1, last = include_from ? len - 1 : len;
    for (long k = first; k <= last; k++) {
        long i = ((from + step * k) % len + len) % len;
        if (strstr(st->entries[st->visible[i]].haystack, needle))
            return i;
    }
    return -1;
}

long store_search(const store *st, const char *query, long from, int dir, bool include_from)
{
    size_t n = store_visible_count(st);
    if (n == 0)
        return -1;
    char small[128];
    char *needle = needle_make(query, small, sizeof small);
    if (!needle)
        return -1;
    long found = search_rows(st, needle, from, dir, include_from, (long)n);
    if (needle != small)
        free(needle);
    return found;
}

/* The visible rows matching needle, in order, into the cache (when not already there). */
static void match_rows_fill(store *st, const char *needle)
{
    if (st->match_needle && st->match_version == st->version &&
        strcmp(st->match_needle, needle) == 0)
        return;
    free(st->match_needle);
    st->match_needle = mps_xstrdup(needle);
    st->match_count = 0;
    for (size_t i = 0; i < st->visible_count; i++) {
        if (!strstr(st->entries[st->visible[i]].haystack, needle))
            continue;
        if (st->match_count == st->match_cap) {
            st->match_cap = st->match_cap ? st->match_cap * 2 : 64;
            st->match_rows =
                mps_xreallocarray(st->match_rows, st->match_cap, sizeof *st->match_rows);
        }
        st->match_rows[st->match_count++] = i;
    }
    st->match_version = st->version;
}

size_t store_match_count(const store *cst, const char *query, long row, size_t *rank)
{
    if (rank)
        *rank = 0;
    if (!cst || !query || !query[0])
        return 0;
    store *st = (store *)view(cst); /* the cache, as the view's, is refreshed by readers */
    char small[128];
    char *needle = needle_make(query, small, sizeof small);
    if (!needle)
        return 0;
    match_rows_fill(st, needle);
    if (needle != small)
        free(needle);
    if (rank && row >= 0) {
        /* The matching rows are in order: the row's place among them by binary search. */
        size_t lo = 0, hi = st->match_count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (st->match_rows[mid] < (size_t)row)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < st->match_count && st->match_rows[lo] == (size_t)row)
            *rank = lo + 1;
    }
    return st->match_count;
}
