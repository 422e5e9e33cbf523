/* Drawing helpers: fitted text cells (widths from text.h) and the glyphs for UTF-8 or ASCII. */
#include "ui-draw.h"
#include "ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* Emoji joined with U+200D (👨‍👩‍👧): how they are drawn follows the terminal (text.h,
 * text_set_zwj_joins). Split: the joiners are left out, so every terminal shows the parts in the
 * columns curses counted. Joined: the whole sequence goes into one curses cell, whose width is
 * its first part's, as the terminal draws it. */
/* A joined sequence longer than a curses cell holds (CCHARW_MAX code points: a family of four
 * is seven) is drawn whole past curses after each frame, where curses still shows its cell. */
typedef struct long_cluster {
    int y, x;                 /* on the screen */
    wchar_t head[CCHARW_MAX]; /* what the curses cell holds */
    char *bytes;              /* the whole sequence */
} long_cluster;

static struct {
    long_cluster *items;
    size_t n, cap;
} long_clusters;

static void long_cluster_note(int y, int x, const wchar_t *head, const char *bytes, size_t len)
{
    for (size_t i = 0; i < long_clusters.n; i++) {
        long_cluster *c = &long_clusters.items[i];
        if (c->y == y && c->x == x) { /* redrawn: the newest sequence there counts */
            free(c->bytes);
            c->bytes = mps_xstrndup(bytes, len);
            memcpy(c->head, head, sizeof c->head);
            return;
        }
    }
    if (long_clusters.n == long_clusters.cap) {
        long_clusters.cap = long_clusters.cap ? long_clusters.cap * 2 : 8;
        long_clusters.items =
            mps_xreallocarray(long_clusters.items, long_clusters.cap, sizeof *long_clusters.items);
    }
    long_cluster *c = &long_clusters.items[long_clusters.n++];
    c->y = y;
    c->x = x;
    memcpy(c->head, head, sizeof c->head);
    c->bytes = mps_xstrndup(bytes, len);
}

/* Where a joined sequence starting at buf[i] ends: its first character, then joiners with the
 * character each glues, and zero-width marks (U+FE0F); i itself when nothing is glued. */
static size_t joined_end(const char *buf, size_t n, size_t i)
{
    uint32_t cp;
    size_t end = i + text_decode(buf + i, n - i, &cp), k = end;
    bool glued = false;
    while (k < n) {
        size_t len = text_decode(buf + k, n - k, &cp);
        if (cp == TEXT_ZWJ) {
            k += len;
            if (k < n && (unsigned char)buf[k] >= 0x80) { /* what text_width glues */
                k += text_decode(buf + k, n - k, &cp);
                glued = true;
            }
        } else if (cp != TEXT_BAD_CP && cp >= 0x80 && wcwidth((wchar_t)cp) == 0) {
            k += len;
        } else {
            break;
        }
        end = k;
    }
    return glued ? end : i;
}

/* Draws buf[i..end), one joined sequence, as one curses cell (its first CCHARW_MAX code
 * points; the rest is drawn by ui_draw_after_update). */
static void put_joined(WINDOW *w, const char *buf, size_t i, size_t end)
{
    wchar_t chars[CCHARW_MAX] = {0};
    size_t count = 0;
    for (size_t k = i; k < end;) {
        uint32_t cp;
        k += text_decode(buf + k, end - k, &cp);
        if (count < CCHARW_MAX)
            chars[count] = (wchar_t)cp;
        count++;
    }
    wchar_t first[2] = {chars[0], L'\0'};
    cchar_t cell;
    if (setcchar(&cell, first, A_NORMAL, 0, NULL) == ERR)
        return;
    /* setcchar keeps only non-spacing characters after the first; a joined sequence's parts
     * are spacing, and curses writes every character a cell holds. */
    memcpy(cell.chars, chars, sizeof cell.chars);
    int y = getbegy(w) + getcury(w), x = getbegx(w) + getcurx(w);
    if (wadd_wch(w, &cell) == OK && count > CCHARW_MAX)
        long_cluster_note(y, x, chars, buf + i, end - i);
}

/* Writes the n bytes of buf at the cursor. */
static void put_text(WINDOW *w, char *buf, size_t n)
{
    if (!text_zwj_joins()) {
        n = text_drop_zwj(buf);
        waddnstr(w, buf, (int)n);
        return;
    }
    size_t run = 0;
    for (size_t i = 0; i < n;) {
        size_t end = joined_end(buf, n, i);
        if (end == i) {
            i = text_next_char(buf, i);
            continue;
        }
        if (i > run)
            waddnstr(w, buf + run, (int)(i - run));
        put_joined(w, buf, i, end);
        i = run = end;
    }
    if (n > run)
        waddnstr(w, buf + run, (int)(n - run));
}

void ui_draw_after_update(void)
{
    if (!long_clusters.n)
        return;
    int cury, curx;
    getyx(curscr, cury, curx);
    size_t kept = 0;
    bool wrote = false;
    for (size_t i = 0; i < long_clusters.n; i++) {
        long_cluster c = long_clusters.items[i];
        cchar_t now;
        wchar_t chars[CCHARW_MAX + 1] = {0};
        attr_t attr = A_NORMAL;
        short pair = 0;
        int ext_pair = 0;
        /* Gone (covered by a dialog, scrolled away, redrawn as something else): forgotten. */
        if (mvwin_wch(curscr, c.y, c.x, &now) == ERR ||
            memcmp(now.chars, c.head, sizeof c.head) != 0 ||
            getcchar(&now, chars, &attr, &pair, &ext_pair) == ERR) {
            free(c.bytes);
            continue;
        }
        long_clusters.items[kept++] = c;
        /* Absolute moves: curses learns where the cursor is from each one. */
        mvcur(-1, -1, c.y, c.x);
        vid_attr(attr & ~A_COLOR, 0, &ext_pair);
        fputs(c.bytes, stdout);
        wrote = true;
    }
    long_clusters.n = kept;
    wmove(curscr, cury, curx);
    if (wrote) {
        vid_attr(A_NORMAL, 0, NULL);
        mvcur(-1, -1, cury, curx);
        fflush(stdout);
    }
}

void ui_draw_forget(void)
{
    for (size_t i = 0; i < long_clusters.n; i++)
        free(long_clusters.items[i].bytes);
    free(long_clusters.items);
    memset(&long_clusters, 0, sizeof long_clusters);
}

/* wattrset() with attr_t, colour pair included: wattrset's own parameter is an int. */
static void set_attr(WINDOW *w, attr_t attr)
{
    wattr_set(w, A_NORMAL, 0, NULL);
    wattr_on(w, attr, NULL);
}

/* Writes s fitted to exactly cols columns at the cursor. */
static void put_fitted(WINDOW *w, const char *s, int cols, attr_t attr)
{
    if (cols <= 0)
        return;
    char stack[2048];
    size_t need = (size_t)cols * 4 + 4 + 4;
    char *buf = need <= sizeof stack ? stack : mps_xmalloc(need);
    size_t n = text_fit(buf, need, s, cols);
    set_attr(w, attr);
    put_text(w, buf, n);
    set_attr(w, A_NORMAL);
    if (buf != stack)
        free(buf);
}

void ui_frame(WINDOW *w, const char *title, attr_t border, attr_t title_attr)
{
    set_attr(w, border);
    box(w, 0, 0);
    set_attr(w, A_NORMAL);
    char t[300];
    snprintf(t, sizeof t, " %s ", title);
    int tw = text_width(t), room = getmaxx(w) - 4;
    ui_put(w, 0, 2, t, tw < room ? tw : room, title_attr);
}

void ui_put(WINDOW *w, int y, int x, const char *s, int cols, attr_t attr)
{
    if (!w || cols <= 0)
        return;
    int maxx = getmaxx(w);
    if (x >= maxx || y < 0 || y >= getmaxy(w))
        return;
    if (x + cols > maxx)
        cols = maxx - x;
    wmove(w, y, x);
    put_fitted(w, s, cols, attr);
}

int ui_add(WINDOW *w, const char *s, int max_cols, attr_t attr)
{
    if (!w || !s || max_cols <= 0)
        return 0;
    int room = getmaxx(w) - getcurx(w);
    if (max_cols > room)
        max_cols = room;
    int cols = text_width(s);
    if (cols > max_cols)
        cols = max_cols;
    put_fitted(w, s, cols, attr);
    return cols;
}

const char *ui_glyph_check(const ui *u)
{
    return u->utf8 ? "\u2713" : "x";
}

const char *ui_glyph_dot(const ui *u)
{
    return u->utf8 ? "\u00b7" : "-";
}

const char *ui_glyph_sep(const ui *u)
{
    return u->utf8 ? "\u2502" : "|";
}

const char *ui_glyph_refresh(const ui *u)
{
    return u->utf8 ? "\u27f3" : "@";
}

const char *ui_spinner_frame(const ui *u)
{
    static const char *braille[] = {"\u280b", "\u2819", "\u2839", "\u2838", "\u283c",
                                    "\u2834", "\u2826", "\u2827", "\u2807", "\u280f"};
    static const char *ascii[] = {"|", "/", "-", "\\"};
    if (u->utf8)
        return braille[u->spinner % (COUNT_OF(braille))];
    return ascii[u->spinner % (COUNT_OF(ascii))];
}

void ui_lines_push(ui_lines *l, const char *text, attr_t attr)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->items = mps_xreallocarray(l->items, l->cap, sizeof *l->items);
    }
    l->items[l->n].text = mps_xstrdup(text ? text : "");
    l->items[l->n].attr = attr;
    l->n++;
}

void ui_lines_wrap(ui_lines *l, const char *text, int width, int indent, attr_t attr)
{
    if (width < 1)
        width = 1;
    if (indent >= width)
        indent = 0;
    /* Each '\n' starts a new paragraph; paragraphs wrap at spaces. */
    const char *p = text ? text : "";
    do {
        const char *nl = strchr(p, '\n');
        size_t plen = nl ? (size_t)(nl - p) : strlen(p);
        char *para = mps_xstrndup(p, plen);
        const char *s = para;
        bool first = true;
        if (!*s)
            ui_lines_push(l, "", attr);
        while (*s) {
            int room = first ? width : width - indent;
            int cols;
            size_t n = text_prefix_fitting(s, room, &cols);
            if (s[n] && s[n] != ' ') { /* mid-word: break after the last space that fits */
                size_t cut = n;
                while (cut > 0 && s[cut - 1] != ' ')
                    cut--;
                if (cut > 0)
                    n = cut;
            }
            if (n == 0)
                n = strlen(s) > 0 ? 1 : 0; /* a character wider than the room: keep going */
            char *line = mps_xmalloc((size_t)indent + n + 1);
            int pad = first ? 0 : indent;
            memset(line, ' ', (size_t)pad);
            memcpy(line + pad, s, n);
            line[pad + (int)n] = '\0';
            for (size_t e = (size_t)pad + n; e > (size_t)pad && line[e - 1] == ' '; e--)
                line[e - 1] = '\0'; /* no trailing blanks from the break */
            ui_lines_push(l, line, attr);
            free(line);
            s += n;
            while (*s == ' ')
                s++;
            first = false;
        }
        free(para);
        p = nl ? nl + 1 : NULL;
    } while (p);
}

void ui_lines_clear(ui_lines *l)
{
    /* zeroed: the business token view wraps a revealed token into these lines */
    for (size_t i = 0; i < l->n; i++) {
        explicit_bzero(l->items[i].text, strlen(l->items[i].text));
        free(l->items[i].text);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
