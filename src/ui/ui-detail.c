/* The detail pane: one solution in full, its permission matrix and the actions offered now. */
#include "ui-actions.h"
#include "ui-data.h"
#include "ui-draw.h"
#include "ui-internal.h"
#include "ui-keys.h"
#include "ui-panel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/text.h"
#include "mpsdash/util.h"

const char *const ui_permissions[] = {
    "MANAGE",
    "DEVELOP",
    "MANAGE_TEMPLATES",
    "MANAGE_PHONE",
    "VIEW_COST",
    "MANAGE_EXTENSIONS",
    "VIEW_PHONE_ASSETS",
    "MANAGE_PHONE_ASSETS",
    "VIEW_TEMPLATES",
    "VIEW_INSIGHTS",
    "RECEIVE_INCOMING_MESSAGES",
    "MANAGE_BILLING",
    "MANAGE_USERS",
    "MESSAGING",
    "FULL_CONTROL",
};

static const struct {
    mps_role role;
    const char *text;
} role_texts[] = {
    {ROLE_OWNER, "owner (your app created it)"},
    {ROLE_PARTNER, "partner (your app was invited)"},
    {ROLE_UNKNOWN, "? (neither owner nor partner app is this profile's app)"},
};

#define LABEL_W 12
#define MAX_MATRIX_COLS 4

/* Writes lines into a window region, skipping the ones scrolled off. */
typedef struct pane {
    ui *u;
    WINDOW *w;
    int y0, x0, width, height;
    int line, col, scroll;
} pane;

static bool pane_visible(const pane *p)
{
    int y = p->line - p->scroll;
    return y >= 0 && y < p->height;
}

static void pane_add(pane *p, const char *s, int max_cols, attr_t attr)
{
    int room = p->width - p->col;
    if (max_cols < 0 || max_cols > room)
        max_cols = room;
    int w = text_width(s);
    if (w > max_cols)
        w = max_cols;
    if (w <= 0)
        return;
    if (pane_visible(p))
        ui_put(p->w, p->y0 + p->line - p->scroll, p->x0 + p->col, s, w, attr);
    p->col += w;
}

/* Pads with blanks up to column col. */
static void pane_to(pane *p, int col, attr_t attr)
{
    if (col > p->width)
        col = p->width;
    if (col > p->col && pane_visible(p))
        ui_put(p->w, p->y0 + p->line - p->scroll, p->x0 + p->col, "", col - p->col, attr);
    if (col > p->col)
        p->col = col;
}

static void pane_nl(pane *p)
{
    pane_to(p, p->width, ui_theme_attr(&p->u->theme, THEME_LIST));
    p->line++;
    p->col = 0;
}

/* Word-wraps s from the current column; continuation lines start at indent. */
static void pane_wrap(pane *p, const char *s, int indent, attr_t attr)
{
    while (*s) {
        int room = p->width - p->col;
        if (room <= 0) {
            pane_nl(p);
            pane_to(p, indent, attr);
            continue;
        }
        int cols;
        size_t n = text_prefix_fitting(s, room, &cols);
        if (s[n] != '\0' && s[n] != ' ') {
            /* Mid-word: break after the last space that fits, when there is one. */
            size_t cut = n;
            while (cut > 0 && s[cut - 1] != ' ')
                cut--;
            if (cut > 0)
                n = cut;
        }
        if (n == 0) { /* not even one character fits here: go to the next line */
            if (p->col <= indent)
                n = 1;
            else {
                pane_nl(p);
                pane_to(p, indent, attr);
                continue;
            }
        }
        char chunk[1024];
        if (n >= sizeof chunk)
            n = sizeof chunk - 1;
        memcpy(chunk, s, n);
        chunk[n] = '\0';
        pane_add(p, chunk, -1, attr);
        s += n;
        if (*s) {
            pane_nl(p);
            pane_to(p, indent, attr);
            while (*s == ' ')
                s++;
        }
    }
}

static void field(pane *p, const char *label, const char *value, attr_t attr)
{
    attr_t dim = ui_theme_attr(&p->u->theme, THEME_DIM);
    pane_add(p, label, LABEL_W, dim);
    pane_to(p, LABEL_W, attr);
    pane_wrap(p, value ? value : "", LABEL_W, attr);
    pane_nl(p);
}

/* A value on one line, cut with … when too long: a URL wrapped mid-way cannot be read or
 * copied whole anyway, and one line keeps the matrix below in view. */
static void field_line(pane *p, const char *label, const char *value, attr_t attr)
{
    attr_t dim = ui_theme_attr(&p->u->theme, THEME_DIM);
    pane_add(p, label, LABEL_W, dim);
    pane_to(p, LABEL_W, attr);
    char *cut = text_truncate(value ? value : "", p->width - LABEL_W);
    pane_add(p, cut ? cut : "", -1, attr);
    free(cut);
    pane_nl(p);
}

static void app_text(const mps_app *a, char *buf, size_t size)
{
    if (a->name && a->id)
        snprintf(buf, size, "%s (%s)", a->name, a->id);
    else
        snprintf(buf, size, "%s", a->name ? a->name : a->id ? a->id : "?");
}

static void draw_matrix(pane *p, const mps_solution *s)
{
    ui *u = p->u;
    attr_t base = ui_theme_attr(&u->theme, THEME_LIST);
    attr_t dim = ui_theme_attr(&u->theme, THEME_DIM);
    attr_t title = ui_theme_attr(&u->theme, THEME_DETAIL_TITLE);
    if (!s->has_owner_permissions && !s->has_partners) {
        pane_add(p, "permissions", -1, title);
        pane_nl(p);
        pane_add(p, ui_idset_has(&u->detail_requested, s->id) ? "  loading\u2026" : "  not known",
                 -1, dim);
        pane_nl(p);
        return;
    }
    strlist perms = {0};
    /* ui_permissions' order first, then the others in the order they came */
    solution_permissions(s, ui_permissions, UI_PERMISSION_COUNT, &perms);

    /* Columns: the owner, then each partner (a name when there are several). */
    const char *heads[MAX_MATRIX_COLS];
    const strlist *sets[MAX_MATRIX_COLS];
    bool known[MAX_MATRIX_COLS];
    int ncols = 0;
    heads[ncols] = "owner";
    sets[ncols] = &s->owner_permissions;
    known[ncols++] = s->has_owner_permissions;
    for (size_t k = 0; k < s->partner_count && ncols < MAX_MATRIX_COLS; k++) {
        heads[ncols] = s->partner_count == 1     ? "partner"
                       : s->partners[k].app.name ? s->partners[k].app.name
                                                 : "partner";
        sets[ncols] = &s->partners[k].permissions;
        known[ncols++] = s->partners[k].has_permissions;
    }
    if (s->partner_count == 0) {
        heads[ncols] = "partner";
        sets[ncols] = NULL;
        known[ncols++] = false;
    }
    int col_w = 9;
    int name_w = 0;
    for (size_t i = 0; i < perms.count; i++) {
        int w = text_width(perms.items[i]);
        if (w > name_w)
            name_w = w;
    }
    if (name_w < 12)
        name_w = 12;
    if (name_w > p->width - ncols * col_w)
        name_w = p->width - ncols * col_w;
    if (name_w < 8)
        name_w = 8;

    /* Below the list the pane is short: when the matrix would not fit under what is drawn
     * already, it goes in two blocks side by side (read down, then across), width allowing. */
    int block_w = name_w + ncols * col_w, gap = 3, nblocks = 1;
    int room = p->height - (p->line - p->scroll) - 1;
    if (!u->detail_right && (int)perms.count > room && 2 * block_w + gap <= p->width)
        nblocks = 2;
    size_t rows = (perms.count + (size_t)nblocks - 1) / (size_t)nblocks;

    for (int b = 0; b < nblocks; b++) {
        pane_to(p, b * (block_w + gap), base);
        pane_add(p, "permission", name_w, title);
        pane_to(p, b * (block_w + gap) + name_w, base);
        for (int c = 0; c < ncols; c++) {
            char h[32];
            char *t = text_truncate(heads[c], col_w - 1);
            int pad = col_w - text_width(t);
            snprintf(h, sizeof h, "%*s%s", pad > 0 ? pad : 0, "", t);
            free(t);
            pane_add(p, h, col_w, title);
        }
    }
    pane_nl(p);
    strset held_by[MAX_MATRIX_COLS] = {{0}};
    for (int c = 0; c < ncols; c++)
        strset_add_list(&held_by[c], sets[c]);
    for (size_t r = 0; r < rows; r++) {
        for (int b = 0; b < nblocks; b++) {
            size_t i = (size_t)b * rows + r;
            if (i >= perms.count)
                break;
            int x0 = b * (block_w + gap);
            pane_to(p, x0, base);
            pane_add(p, perms.items[i], name_w, base);
            pane_to(p, x0 + name_w, base);
            for (int c = 0; c < ncols; c++) {
                bool held = strset_has(&held_by[c], perms.items[i]);
                const char *g = !known[c] ? "?" : held ? ui_glyph_check(u) : ui_glyph_dot(u);
                pane_to(p, p->col + col_w - 3, base);
                pane_add(p, g, 1,
                         held ? ui_theme_attr(&u->theme, THEME_PERM_YES)
                              : ui_theme_attr(&u->theme, THEME_PERM_NO));
                pane_to(p, p->col + 2, base);
            }
        }
        pane_nl(p);
    }
    for (int c = 0; c < ncols; c++)
        strset_clear(&held_by[c]);
    if (perms.count == 0) {
        pane_add(p, "  none on either side", -1, dim);
        pane_nl(p);
    }
    strlist_clear(&perms);
}

static void draw_actions(pane *p, const mps_solution *s)
{
    ui *u = p->u;
    attr_t base = ui_theme_attr(&u->theme, THEME_LIST);
    attr_t dim = ui_theme_attr(&u->theme, THEME_DIM);
    pane_add(p, "actions", -1, ui_theme_attr(&u->theme, THEME_DETAIL_TITLE));
    if (ui_action_in_flight(u, s->id))
        pane_add(p, "  (a request is in flight)", -1, dim);
    pane_nl(p);
    /* Offered ones one per line; the others grouped by their reason (one line per reason, as
     * the reason is the same for every action the state rules out). */
    struct {
        const char *why;
        char keys[48];
    } groups[ACTION_COUNT];
    int ngroups = 0;
    for (int r = 1; r < REQ_COUNT; r++) {
        const ui_request_info *ri = ui_request_get((ui_request)r);
        if (ri->action < 0)
            continue;
        const char *why = NULL;
        char keys[32];
        ui_keymap_describe(&u->keys, (ui_request)r, 1, keys, sizeof keys);
        if (ui_action_available(u, s, (mps_action)ri->action, &why)) {
            pane_add(p, "  ", -1, base);
            pane_add(p, keys[0] ? keys : "-", 4, base | A_BOLD);
            pane_to(p, 7, base);
            pane_add(p, ri->name, -1, base);
            pane_nl(p);
            continue;
        }
        if (!why)
            why = "not offered";
        int g = 0;
        while (g < ngroups && strcmp(groups[g].why, why) != 0)
            g++;
        if (g == ngroups) {
            if (ngroups == ACTION_COUNT)
                continue;
            groups[g].why = why;
            groups[g].keys[0] = '\0';
            ngroups++;
        }
        size_t n = strlen(groups[g].keys);
        snprintf(groups[g].keys + n, sizeof groups[g].keys - n, "%s%s", n ? " " : "",
                 keys[0] ? keys : "-");
    }
    for (int g = 0; g < ngroups; g++) {
        char line[512];
        snprintf(line, sizeof line, "not now: %s", groups[g].why);
        pane_add(p, "  ", -1, base);
        pane_add(p, groups[g].keys, -1, dim);
        pane_add(p, "  ", -1, base);
        pane_wrap(p, line, 4, dim);
        pane_nl(p);
    }
    char copy[32], snip[32], line[128];
    ui_keymap_describe(&u->keys, REQ_COPY_ID, 1, copy, sizeof copy);
    ui_keymap_describe(&u->keys, REQ_SIGNUP_SNIPPET, 1, snip, sizeof snip);
    snprintf(line, sizeof line, "  %s copy id   %s Embedded Signup snippet", copy[0] ? copy : "-",
             snip[0] ? snip : "-");
    pane_add(p, line, -1, dim);
    pane_nl(p);
}

static void draw_solution(pane *p, const mps_solution *s)
{
    ui *u = p->u;
    attr_t base = ui_theme_attr(&u->theme, THEME_LIST);
    char buf[1024];

    /* Below the list (80x24, the common ssh window) the pane is a few lines high: the name on
     * one line (the dialogs show it whole), the role beside the state, and what is to be
     * reviewed, the permissions and the actions, before the apps' details. */
    bool compact = !u->detail_right;
    attr_t title = ui_theme_attr(&u->theme, THEME_DETAIL_TITLE);
    if (compact) {
        char *cut = text_truncate(s->name ? s->name : "(no name)", p->width);
        pane_add(p, cut ? cut : "", -1, title);
        free(cut);
    } else {
        pane_wrap(p, s->name ? s->name : "(no name)", 0, title);
    }
    pane_nl(p);
    field(p, "id", s->id, base);

    mps_state st = solution_state(s);
    size_t n = (size_t)snprintf(buf, sizeof buf, "%s", solution_state_text(s));
    if (s->status && n < sizeof buf)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "  (status %s", s->status);
    if (s->status && s->pending_request && strcmp(s->pending_request, "NONE") != 0 &&
        n < sizeof buf)
        n += (size_t)snprintf(buf + n, sizeof buf - n, ", pending request %s", s->pending_request);
    if (s->status && n < sizeof buf)
        n += (size_t)snprintf(buf + n, sizeof buf - n, ")");

    mps_role role = solution_role(s, u->profile.app_id);
    const char *role_text = "?";
    for (size_t i = 0; i < COUNT_OF(role_texts); i++)
        if (role_texts[i].role == role)
            role_text = role_texts[i].text;
    if (compact) { /* "state  Pending  (status INITIATED)  · partner" on one line */
        (void)n;
        char role_part[64];
        snprintf(role_part, sizeof role_part, "  %s %s", ui_glyph_dot(u), role_label(role));
        pane_add(p, "state", LABEL_W, ui_theme_attr(&u->theme, THEME_DIM));
        pane_to(p, LABEL_W, base);
        pane_add(p, buf, p->width - LABEL_W - text_width(role_part),
                 ui_theme_attr(&u->theme, ui_theme_state_role(st)));
        pane_add(p, role_part, -1, base);
        pane_nl(p);
    } else {
        field(p, "state", buf, ui_theme_attr(&u->theme, ui_theme_state_role(st)));
        field(p, "role", role_text, base);
    }

    bool matrix_first = compact;
    if (matrix_first) {
        draw_matrix(p, s);
        pane_nl(p);
        draw_actions(p, s);
        pane_nl(p);
    }

    app_text(&s->owner_app, buf, sizeof buf);
    field(p, "owner app", buf, base);

    if (solution_partner_is_us(s, u->profile.app_id)) {
        mps_app us = {.id = u->profile.app_id, .name = u->app_name};
        app_text(&us, buf, sizeof buf);
        size_t used = strlen(buf);
        snprintf(buf + used, sizeof buf - used, ", your app");
        field(p, "partner app", buf, base);
        field(p, "  details", "status and permissions are not available from this server", base);
    } else if (s->partners_unavailable) {
        field(p, "partners", "partner details are not available from this server", base);
    } else if (!s->has_partners && s->partner_count == 0) {
        field(p, "partners",
              ui_idset_has(&u->detail_requested, s->id) ? "loading\u2026" : "not known", base);
    } else if (s->partner_count == 0) {
        field(p, "partners", "none", base);
    }
    for (size_t k = 0; k < s->partner_count; k++) {
        const mps_partner *pt = &s->partners[k];
        app_text(&pt->app, buf, sizeof buf);
        field(p, k == 0 ? "partner app" : "", buf, base);
        if (pt->status)
            field(p, "  status", pt->status, base);
        if (pt->app.link)
            field_line(p, "  link", pt->app.link, base);
    }
    if (!matrix_first) {
        pane_nl(p);
        draw_matrix(p, s);
        pane_nl(p);
        draw_actions(p, s);
    }
}

/* Draws the content and blanks the rest; returns the content's line count. */
static int draw_into(ui *u, pane *p, const mps_solution *s)
{
    if (s) {
        draw_solution(p, s);
    } else {
        pane_add(p, "no solution selected", -1, ui_theme_attr(&u->theme, THEME_DIM));
        pane_nl(p);
    }
    int content = p->line;
    while (p->line - p->scroll < p->height)
        pane_nl(p);
    return content;
}

void ui_detail_draw(ui *u)
{
    WINDOW *w = u->w_detail;
    if (!w)
        return;
    int h = getmaxy(w), wd = getmaxx(w);
    attr_t border = ui_theme_attr(&u->theme, THEME_BORDER);
    pane p = {.u = u, .w = w};
    ui_panel *panel = ui_panel_of(u);
    /* With the focus (Enter) the pane's edge is highlit and says so on its first line. */
    bool focus = panel->detail_focus;
    attr_t focus_attr = ui_theme_attr(&u->theme, THEME_TAB_ACTIVE);
    if (focus)
        border = focus_attr;
    char label[160] = "";
    if (focus) {
        char back[32], in[32];
        ui_keymap_describe(&u->keys, REQ_BACK, 1, back, sizeof back);
        ui_keymap_describe(&u->keys, REQ_ENTER, 1, in, sizeof in);
        snprintf(label, sizeof label, " detail %s %s partners %s %s list ", ui_glyph_dot(u), in,
                 ui_glyph_dot(u), back);
    }
    if (u->detail_right) {
        for (int y = 0; y < h; y++)
            ui_put(w, y, 0, ui_glyph_sep(u), 1, border);
        ui_put(w, 0, 1, "", 1, ui_theme_attr(&u->theme, THEME_LIST));
        p.y0 = 0;
        p.x0 = 2;
        p.width = wd - 3;
        p.height = h;
        for (int y = 0; y < h; y++)
            ui_put(w, y, wd - 1, "", 1, ui_theme_attr(&u->theme, THEME_LIST));
        for (int y = 1; y < h; y++)
            ui_put(w, y, 1, "", 1, ui_theme_attr(&u->theme, THEME_LIST));
        if (focus && h > 2) { /* the label takes the first line */
            ui_put(w, 0, 1, label, wd - 2, focus_attr);
            p.y0 = 1;
            p.height = h - 1;
        }
    } else {
        char rule[1024];
        size_t n = 0;
        const char *dash = u->utf8 ? "\u2500" : "-";
        for (int i = 0; i < wd && n + 4 < sizeof rule; i++)
            n += (size_t)snprintf(rule + n, sizeof rule - n, "%s", dash);
        ui_put(w, 0, 0, rule, wd, border);
        if (focus)
            ui_put(w, 0, 1, label, text_width(label) < wd - 2 ? text_width(label) : wd - 2,
                   focus_attr);
        p.y0 = 1;
        p.x0 = 1;
        p.width = wd - 2;
        p.height = h - 1;
        for (int y = 1; y < h; y++) {
            ui_put(w, y, 0, "", 1, ui_theme_attr(&u->theme, THEME_LIST));
            ui_put(w, y, wd - 1, "", 1, ui_theme_attr(&u->theme, THEME_LIST));
        }
    }
    if (p.width <= 0 || p.height <= 0)
        return;
    const mps_solution *s = ui_selected(u);
    int content = 0, max_scroll = 0;
    for (int pass = 0; pass < 2; pass++) {
        pane q = p;
        q.scroll = panel->detail_scroll;
        content = draw_into(u, &q, s);
        max_scroll = content > p.height ? content - p.height : 0;
        if (panel->detail_scroll <= max_scroll)
            break;
        panel->detail_scroll = max_scroll; /* the content shrank: scroll back and draw again */
    }
    panel->detail_lines = content;
    /* Scroll marks, so a long matrix does not look cut off: in the corners beside the list,
     * on the rule when below it (there the content's last line is often a matrix row). */
    attr_t dim = ui_theme_attr(&u->theme, THEME_DIM);
    char keys[32], down[64] = "", up[64] = "";
    if (panel->detail_scroll < max_scroll) {
        ui_keymap_describe(&u->keys, REQ_DETAIL_DOWN, 1, keys, sizeof keys);
        snprintf(down, sizeof down, " %s more %s ", u->utf8 ? "\u2193" : "v", keys);
    }
    if (panel->detail_scroll > 0) {
        ui_keymap_describe(&u->keys, REQ_DETAIL_UP, 1, keys, sizeof keys);
        snprintf(up, sizeof up, " %s %s ", u->utf8 ? "\u2191" : "^", keys);
    }
    int dw = text_width(down), uw = text_width(up);
    if (u->detail_right) {
        if (dw)
            ui_put(w, p.y0 + p.height - 1, p.x0 + p.width - dw, down, dw, dim | A_REVERSE);
        if (uw)
            ui_put(w, p.y0, p.x0 + p.width - uw, up, uw, dim | A_REVERSE);
    } else {
        if (dw)
            ui_put(w, 0, p.x0 + p.width - dw - 1, down, dw, dim | A_REVERSE);
        if (uw)
            ui_put(w, 0, p.x0 + p.width - dw - uw - 2, up, uw, dim | A_REVERSE);
    }
}
