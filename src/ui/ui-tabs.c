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
    int x[TAB_COUNT], w[TAB_COUNT];
    const char *sep;
    int total;
    chips chips;
} tab_layout;

static int current_tab(const ui *u)
{
    mps_state st;
    return store_state_filter(u->st, &st) ? 1 + (int)st : 0;
}

#define CHIP_QUERY_COLS 20 /* a longer query is cut with … (the prompt shows it whole) */

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

/* The tabs, then the chips in what they leave: the queries are cut shorter before a tab is
 * covered (at 80 columns a 15-digit id searched for would hide the last two tabs). Only when
 * even two columns of query do not fit do the chips go over the tabs' right end. */
static void build(const ui *u, int width, tab_layout *lay)
{
    chips full;
    chips_build(u, &full, CHIP_QUERY_COLS);
    if (tabs_fit(u, width - full.width, lay)) {
        lay->chips = full;
        return;
    }
    tabs_fit(u, width, lay); /* the shortest labels that fit the line alone */
    for (int q = CHIP_QUERY_COLS - 1; q >= 2; q--) {
        chips_build(u, &lay->chips, q);
        if (lay->total + lay->chips.width <= width)
            return;
    }
    lay->chips = full;
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
        int sep_w = text_width(lay->sep);
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
                x += sep_w;
            lay->x[i] = x;
            x += lay->w[i];
        }
        lay->total = x;
        if (x <= width)
            return true;
    }
    return false;
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
    ui_put(w, 0, 0, "", 1, base);
    int x = 1;
    for (int i = 0; i < lay.count && x < cols; i++) {
        if (i > 0) {
            int sw = text_width(lay.sep);
            ui_put(w, 0, x, lay.sep, sw, base);
            x += sw;
        }
        ui_put(w, 0, x, lay.text[i], lay.w[i], lay.tab[i] == cur ? active : base);
        x += lay.w[i];
    }
    if (x < cols)
        ui_put(w, 0, x, "", cols - x, base);
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
        if (x >= lay.x[i] && x < lay.x[i] + lay.w[i])
            return lay.tab[i];
    return -1;
}
