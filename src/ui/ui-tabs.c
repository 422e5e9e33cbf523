/* The state tab bar with live counts; the current filter's tab is highlighted, the other
 * filters (role, narrowing) and the search are chips at its right: no hidden state. */
#include "ui-draw.h"
#include "ui-internal.h"
#include "ui-panel.h"

#include <stdio.h>
#include <string.h>

#include "mpsdash/text.h"

#define TAB_COUNT (1 + STATE_COUNT)

/* Narrow terminals get shorter labels and separators, tried in this order. */
static const char *tiny_labels[TAB_COUNT] = {"All",   "Pend",  "Act",   "PDeact",
                                             "Draft", "Inact", "Deact", "Other"};

/* The chips, right to left in this order of importance: the role filter, the narrowing, the
 * search. Each is " text " in the highlight; one blank between them. */
typedef struct chips {
    char text[3][96];
    int n, width; /* width: all of them with their gaps */
} chips;

typedef struct tab_layout {
    int count;
    int tab[TAB_COUNT]; /* 0 = All, 1 + state */
    char text[TAB_COUNT][48];
    int x[TAB_COUNT], w[TAB_COUNT]; /* x: -1 for a tab left out (place) */
    const char *sep;
    int sep_w; /* its columns: the gap between two tabs */
    int total;
    int first, last;     /* the tabs shown */
    int left_x, right_x; /* where "…" says tabs are left out; -1 for none */
    chips chips;
} tab_layout;

static int current_tab(const ui *u)
{
    mps_state st;
    return store_state_filter(u->st, &st) ? 1 + (int)st : 0;
}

#define CHIP_QUERY_COLS 20 /* a longer query is cut with … (the prompt shows it whole) */
/* The least a query is cut to for every tab to show: three characters and "…". Shorter tells
 * nothing ("6…"), so the tabs scroll instead and the query keeps its room. */
#define CHIP_QUERY_MIN 4

static void chip_add(const ui *u, chips *c, const char *label, const char *query, int query_cols)
{
    char cut[64];
    int used;
    size_t n = text_prefix_fitting(query, query_cols, &used);
    if (query[n]) {
        n = text_prefix_fitting(query, query_cols - 1, &used);
        snprintf(cut, sizeof cut, "%.*s%s", (int)n, query, u->utf8 ? "\u2026" : "~");
    } else {
        snprintf(cut, sizeof cut, "%s", query);
    }
    snprintf(c->text[c->n], sizeof c->text[c->n], " %s%s ", label, cut);
    c->width += text_width(c->text[c->n]) + 1;
    c->n++;
}

/* The chips with each query cut to query_cols columns (at least 1, then "…"). */
static void chips_build(const ui *u, chips *c, int query_cols)
{
    memset(c, 0, sizeof *c);
    mps_role role = store_role_filter(u->st);
    if (role != ROLE_UNKNOWN)
        chip_add(u, c, "role: ", role_label(role), CHIP_QUERY_COLS);
    if (store_narrow(u->st)[0])
        chip_add(u, c, "narrow: ", store_narrow(u->st), query_cols);
    const ui_panel *p = ui_panel_of(u);
    if (p && p->list.search[0])
        chip_add(u, c, "/", p->list.search, query_cols);
}

static bool tabs_fit(const ui *u, int width, tab_layout *lay);

/* Columns from tab a's start to tab b's end. */
static int span(const tab_layout *lay, int a, int b)
{
    return lay->x[b] + lay->w[b] - lay->x[a];
}

/* The tabs in room columns (from column 1): all of them when they fit, else a run that holds
 * the current tab, with "…" where tabs are left out, so the filter in force is never hidden
 * (at 60 columns "Other" would be past the edge). */
static void place(tab_layout *lay, int room, int cur, int mark_w)
{
    int ci = 0;
    for (int i = 0; i < lay->count; i++)
        if (lay->tab[i] == cur)
            ci = i;
    int gap = lay->sep_w;
    lay->first = 0;
    lay->last = lay->count - 1;
    lay->left_x = lay->right_x = -1;
    if (lay->total <= room)
        return;
    int first = 0, last = 0;
    for (first = 0; first <= ci; first++) {
        int lead = first > 0 ? mark_w + gap : 0;
        for (last = lay->count - 1; last > first; last--) {
            int trail = last < lay->count - 1 ? gap + mark_w : 0;
            if (1 + lead + span(lay, first, last) + trail <= room)
                break;
        }
        if (last >= ci)
            break;
    }
    if (first > ci) /* the current tab alone is wider than the room: it, cut */
        first = last = ci;
    int shift = lay->x[first] - 1 - (first > 0 ? mark_w + gap : 0);
    if (first > 0)
        lay->left_x = 1;
    for (int i = 0; i < lay->count; i++)
        lay->x[i] = i >= first && i <= last ? lay->x[i] - shift : -1;
    if (last < lay->count - 1)
        lay->right_x = lay->x[last] + lay->w[last] + gap;
    lay->first = first;
    lay->last = last;
    lay->total = lay->right_x >= 0 ? lay->right_x + mark_w : lay->x[last] + lay->w[last];
}

/* The least room for the tabs when they scroll: the current tab with a mark each side. */
static int scroll_room(const tab_layout *lay, int cur, int mark_w)
{
    int gap = lay->sep_w;
    for (int i = 0; i < lay->count; i++)
        if (lay->tab[i] == cur)
            return 1 + 2 * (mark_w + gap) + lay->w[i];
    return 1;
}

/* The tabs, then the chips in what they leave. Every tab shows while the queries can be cut to
 * make room, down to CHIP_QUERY_MIN (at 80 columns a 15-digit id searched for would otherwise
 * hide the last two tabs);
 * past that the tabs scroll, keeping the current one, and the chips keep their queries as far
 * as the current tab leaves room (at 60 columns, or a search and a narrowing at 80). */
static void build(const ui *u, int width, tab_layout *lay)
{
    int cur = current_tab(u), mark_w = u->utf8 ? 1 : 3;
    chips full;
    chips_build(u, &full, CHIP_QUERY_COLS);
    if (tabs_fit(u, width - full.width, lay)) {
        lay->chips = full;
        place(lay, width - full.width, cur, mark_w);
        return;
    }
    tabs_fit(u, 0, lay); /* fits nothing: lay holds the shortest labels */
    for (int q = CHIP_QUERY_COLS - 1; q >= CHIP_QUERY_MIN; q--) {
        chips_build(u, &lay->chips, q);
        if (lay->total + lay->chips.width <= width) {
            place(lay, width - lay->chips.width, cur, mark_w);
            return;
        }
    }
    int least = scroll_room(lay, cur, mark_w);
    for (int q = CHIP_QUERY_COLS; q >= 2; q--) {
        chips_build(u, &lay->chips, q);
        if (width - lay->chips.width >= least)
            break;
    }
    int room = width - lay->chips.width;
    place(lay, room >= least ? room : width, cur, mark_w); /* too narrow: chips over the tabs */
}

static bool tabs_fit(const ui *u, int width, tab_layout *lay)
{
    size_t counts[STATE_COUNT], all = 0;
    store_counts(u->st, counts, &all);
    int cur = current_tab(u);
    /* (label set, separator): full labels with bars first. */
    for (int variant = 0; variant < 3; variant++) {
        memset(lay, 0, sizeof *lay);
        lay->sep = variant == 0 ? (u->utf8 ? "\u2502" : "|") : "";
        lay->sep_w = text_width(lay->sep);
        int x = 1;
        for (int t = 0; t < TAB_COUNT; t++) {
            size_t n = t == 0 ? all : counts[t - 1];
            /* Other is there only when something is in it (or it is the filter). */
            if (t == 1 + STATE_OTHER && n == 0 && cur != t)
                continue;
            const char *label = variant == 2 ? tiny_labels[t]
                                : t == 0     ? "All"
                                             : state_short_label((mps_state)(t - 1));
            /* A new request not yet looked at: marked until its tab is shown. */
            bool unseen = t > 0 && u->tab_unseen[t - 1];
            int i = lay->count++;
            lay->tab[i] = t;
            snprintf(lay->text[i], sizeof lay->text[i], " %s %zu%s ", label, n,
                     unseen ? (u->utf8 ? " \u25cf" : " *") : "");
            lay->w[i] = text_width(lay->text[i]);
            if (i > 0)
                x += lay->sep_w;
            lay->x[i] = x;
            x += lay->w[i];
        }
        lay->total = x;
        if (x <= width)
            return true;
    }
    return false;
}

/* "…" where tabs [from, to) are left out, or the new-request mark when one of them has an
 * unseen request (so that it is not missed because the tab is off screen). */
static void put_mark(const ui *u, WINDOW *w, const tab_layout *lay, int x, int from, int to,
                     attr_t base)
{
    bool unseen = false;
    for (int i = from; i < to; i++)
        unseen |= lay->tab[i] > 0 && u->tab_unseen[lay->tab[i] - 1];
    const char *mark = unseen ? (u->utf8 ? "\u25cf" : " * ") : u->utf8 ? "\u2026" : "...";
    ui_put(w, 0, x, mark, text_width(mark),
           unseen ? ui_theme_attr(&u->theme, THEME_TAB_ACTIVE) : base);
}

void ui_tabs_draw(ui *u)
{
    WINDOW *w = u->w_tabs;
    if (!w)
        return;
    int cols = getmaxx(w);
    int cur = current_tab(u);
    if (cur > 0)
        u->tab_unseen[cur - 1] = false; /* shown now: seen */
    tab_layout lay;
    build(u, cols, &lay);
    attr_t base = ui_theme_attr(&u->theme, THEME_TABS);
    attr_t active = ui_theme_attr(&u->theme, THEME_TAB_ACTIVE);
    int sw = lay.sep_w;
    ui_put(w, 0, 0, "", cols, base);
    if (lay.left_x >= 0)
        put_mark(u, w, &lay, lay.left_x, 0, lay.first, base);
    for (int i = lay.first; i <= lay.last; i++) {
        if (i > lay.first || lay.left_x >= 0)
            ui_put(w, 0, lay.x[i] - sw, lay.sep, sw, base);
        ui_put(w, 0, lay.x[i], lay.text[i], lay.w[i], lay.tab[i] == cur ? active : base);
    }
    if (lay.right_x >= 0) {
        ui_put(w, 0, lay.right_x - sw, lay.sep, sw, base);
        put_mark(u, w, &lay, lay.right_x, lay.last + 1, lay.count, base);
    }
    int x;
    /* The chips at the right end (over the tabs' only when the line is too short for both). */
    const chips c = lay.chips;
    x = cols;
    for (int i = 0; i < c.n; i++) {
        int cw = text_width(c.text[i]);
        if (x - cw < 1)
            break;
        x -= cw;
        ui_put(w, 0, x, c.text[i], cw, active);
        if (x > 1) {
            x--;
            ui_put(w, 0, x, " ", 1, base);
        }
    }
}

int ui_tabs_hit(ui *u, int x)
{
    if (!u->w_tabs)
        return -1;
    tab_layout lay;
    build(u, getmaxx(u->w_tabs), &lay);
    for (int i = 0; i < lay.count; i++)
        if (lay.x[i] >= 0 && x >= lay.x[i] && x < lay.x[i] + lay.w[i])
            return lay.tab[i];
    return -1;
}
