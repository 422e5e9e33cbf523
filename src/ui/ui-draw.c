/* Drawing helpers: fitted text cells (widths from text.h) and the glyphs for UTF-8 or ASCII. */
#include "ui-draw.h"
#include "ui-internal.h"

#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

/* Terminals disagree on emoji joined with U+200D (tmux and kitty draw one 2-cell glyph, xterm
 * draws each part): without the joiner every terminal shows the parts, in the columns curses
 * counted. The widths do not change (the joiner has none). */
static size_t drop_zwj(char *buf, size_t n)
{
    static const char zwj[] = "\xe2\x80\x8d";
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        if (i + 3 <= n && memcmp(buf + i, zwj, 3) == 0) {
            i += 3;
            continue;
        }
        buf[out++] = buf[i++];
    }
    buf[out] = '\0';
    return out;
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
    n = drop_zwj(buf, n);
    set_attr(w, attr);
    waddnstr(w, buf, (int)n);
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
