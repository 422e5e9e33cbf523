/* Text safety for the terminal: strict UTF-8 decoding, sanitising, display widths, truncation and
 * masking. */
#include "mpsdash/text.h"

#include <ctype.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "mpsdash/alloc.h"
#include "mpsdash/util.h"

#define BAD_CP TEXT_BAD_CP
#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */
#define ELLIPSIS "\xE2\x80\xA6"    /* U+2026, one column */
#define ELLIPSIS_LEN 3

/* ---- decoding --------------------------------------------------------------------------- */

/* Well-formed UTF-8 byte ranges (Unicode Table 3-7): the second byte's range depends on the
 * lead byte, which is what rules out overlong forms, surrogates and code points past U+10FFFF.
 * We decode ourselves rather than with mbrtowc so the verdict never depends on the locale. */
typedef struct lead_rule {
    unsigned char lo, hi;   /* lead byte range */
    unsigned char len;      /* sequence length */
    unsigned char lo2, hi2; /* allowed second byte */
} lead_rule;

static const lead_rule lead_rules[] = {
    {0xC2, 0xDF, 2, 0x80, 0xBF}, {0xE0, 0xE0, 3, 0xA0, 0xBF}, {0xE1, 0xEC, 3, 0x80, 0xBF},
    {0xED, 0xED, 3, 0x80, 0x9F}, {0xEE, 0xEF, 3, 0x80, 0xBF}, {0xF0, 0xF0, 4, 0x90, 0xBF},
    {0xF1, 0xF3, 4, 0x80, 0xBF}, {0xF4, 0xF4, 4, 0x80, 0x8F},
};

/* Decodes one code point from s[0..len). Returns the bytes consumed (>= 1 when len > 0) and
 * sets *cp, or BAD_CP for an ill-formed sequence: then the bytes consumed are its maximal
 * subpart, so each one becomes a single U+FFFD (the Unicode-recommended practice). */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (len == 0) {
        *cp = BAD_CP;
        return 0;
    }
    unsigned char b = s[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    const lead_rule *rule = NULL;
    for (size_t i = 0; i < COUNT_OF(lead_rules); i++)
        if (b >= lead_rules[i].lo && b <= lead_rules[i].hi)
            rule = &lead_rules[i];
    *cp = BAD_CP;
    if (!rule)
        return 1;
    uint32_t v = b & (0xFFu >> (rule->len + 1));
    for (size_t k = 1; k < rule->len; k++) {
        if (k >= len)
            return k; /* truncated at the end */
        unsigned char c = s[k];
        unsigned char lo = k == 1 ? rule->lo2 : 0x80, hi = k == 1 ? rule->hi2 : 0xBF;
        if (c < lo || c > hi)
            return k;
        v = (v << 6) | (c & 0x3Fu);
    }
    *cp = v;
    return rule->len;
}

size_t text_decode(const char *s, size_t len, uint32_t *cp)
{
    return utf8_decode((const unsigned char *)s, len, cp);
}

/* ---- what is unsafe --------------------------------------------------------------------- */

typedef struct cp_range {
    uint32_t lo, hi;
} cp_range;

/* Code points that move the cursor, start terminal sequences or reorder text (Trojan Source). */
static const cp_range unsafe_ranges[] = {
    {0x00, 0x1F},     /* C0, including ESC, CR, LF, TAB */
    {0x7F, 0x9F},     /* DEL and C1 (CSI, OSC, ST as single code points) */
    {0x061C, 0x061C}, /* ARABIC LETTER MARK */
    {0x200E, 0x200F}, /* LRM, RLM */
    {0x202A, 0x202E}, /* LRE, RLE, PDF, LRO, RLO */
    {0x2066, 0x2069}, /* LRI, RLI, FSI, PDI */
};

static bool cp_in(const cp_range *ranges, size_t n, uint32_t cp)
{
    for (size_t i = 0; i < n; i++)
        if (cp >= ranges[i].lo && cp <= ranges[i].hi)
            return true;
    return false;
}

static bool cp_unsafe(uint32_t cp, bool multi_line)
{
    if (cp == '\n' && multi_line)
        return false;
    return cp_in(unsafe_ranges, COUNT_OF(unsafe_ranges), cp);
}

/* ---- sanitising ------------------------------------------------------------------------- */

/* What cannot be shown (a bad byte; unsafe code points unless only repairing) becomes U+FFFD. */
static bool replaced(uint32_t cp, bool only_repair, bool multi_line)
{
    return cp == BAD_CP || (!only_repair && cp_unsafe(cp, multi_line));
}

static char *rewrite(const char *s, size_t len, bool only_repair, bool multi_line)
{
    if (!s)
        return NULL;
    const unsigned char *u = (const unsigned char *)s;
    /* Sized exactly: a list keeps several of these per solution. */
    size_t size = 1, i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(u + i, len - i, &cp);
        size += replaced(cp, only_repair, multi_line) ? 3 : n;
        i += n;
    }
    char *out = mps_xmalloc(size), *o = out;
    i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(u + i, len - i, &cp);
        if (replaced(cp, only_repair, multi_line)) {
            memcpy(o, REPLACEMENT, 3);
            o += 3;
        } else {
            memcpy(o, u + i, n);
            o += n;
        }
        i += n;
    }
    *o = '\0';
    return out;
}

char *text_sanitize(const char *s, size_t len, bool multi_line)
{
    return rewrite(s, len, false, multi_line);
}

char *text_repair_utf8(const char *s, size_t len)
{
    return rewrite(s, len, true, false);
}

bool text_is_safe(const char *s)
{
    return !s || text_is_safe_n(s, strlen(s));
}

bool text_is_safe_n(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(u + i, len - i, &cp);
        if (cp == BAD_CP || cp_unsafe(cp, false))
            return false;
        i += n;
    }
    return true;
}

/* ---- widths ----------------------------------------------------------------------------- */

/* Columns of one decoded code point. wcwidth follows LC_CTYPE (set by the caller); -1 means a
 * non-printable or, outside a UTF-8 locale, any non-ASCII character: one column either way,
 * which is also the width of the U+FFFD that sanitising puts in its place. */
static int cp_width(uint32_t cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return 1;
    /* Whatever sanitising replaces counts as its U+FFFD would (glibc gives bidi marks 0). */
    if (cp == BAD_CP || cp_unsafe(cp, false))
        return 1;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

/* Set once by the dashboard after asking its terminal; read by any thread that measures. */
static _Atomic bool zwj_joins;

void text_set_zwj_joins(bool joins)
{
    atomic_store_explicit(&zwj_joins, joins, memory_order_relaxed);
}

bool text_zwj_joins(void)
{
    return atomic_load_explicit(&zwj_joins, memory_order_relaxed);
}

/* Columns of the code point cp whose predecessor was prev: cp_width, except that where the
 * terminal joins, a non-ASCII character after U+200D is drawn inside the cluster before it. */
static int cp_width_after(uint32_t prev, uint32_t cp, bool joins)
{
    if (joins && prev == TEXT_ZWJ && cp >= 0x80 && cp != BAD_CP && !cp_unsafe(cp, false))
        return 0;
    return cp_width(cp);
}

size_t text_drop_zwj(char *s)
{
    size_t out = 0;
    for (size_t i = 0; s[i];) {
        /* U+200D is E2 80 8D; each test stops at the terminator. */
        if (s[i] == '\xe2' && s[i + 1] == '\x80' && s[i + 2] == '\x8d') {
            i += 3;
            continue;
        }
        s[out++] = s[i++];
    }
    s[out] = '\0';
    return out;
}

int text_width(const char *s)
{
    if (!s)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    long cols = 0;
    bool joins = text_zwj_joins();
    uint32_t prev = 0;
    while (i < len) {
        uint32_t cp;
        i += utf8_decode(u + i, len - i, &cp);
        cols += cp_width_after(prev, cp, joins);
        prev = cp;
    }
    return cols > 0x3FFFFFFF ? 0x3FFFFFFF : (int)cols;
}

/* The longest prefix of s[0..len) that fits max_cols columns while keeping
 *   prefix bytes + reserve + (max_cols - prefix columns) <= max_bytes,
 * i.e. leaving room for `reserve` bytes and one space of padding per unused column. */
static size_t fit_prefix(const char *s, size_t len, int max_cols, size_t max_bytes, size_t reserve,
                         int *cols_out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    int cols = 0;
    bool joins = text_zwj_joins();
    uint32_t prev = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(u + i, len - i, &cp);
        int w = cp_width_after(prev, cp, joins);
        if (cols + w > max_cols)
            break;
        if (i + n + reserve + (size_t)(max_cols - cols - w) > max_bytes)
            break;
        i += n;
        cols += w;
        prev = cp;
    }
    if (cols_out)
        *cols_out = cols;
    return i;
}

size_t text_prefix_fitting(const char *s, int max_cols, int *cols)
{
    if (!s) {
        if (cols)
            *cols = 0;
        return 0;
    }
    /* Zero-width marks at the start still fit in zero columns. */
    return fit_prefix(s, strlen(s), max_cols < 0 ? 0 : max_cols, SIZE_MAX / 2, 0, cols);
}

char *text_truncate(const char *s, int max_cols)
{
    if (!s)
        return mps_xstrdup("");
    if (text_width(s) <= max_cols) /* includes zero-width text at zero columns */
        return mps_xstrdup(s);
    if (max_cols <= 0)
        return mps_xstrdup("");
    int cols;
    size_t n = fit_prefix(s, strlen(s), max_cols - 1, SIZE_MAX / 2, 0, &cols);
    char *out = mps_xmalloc(n + ELLIPSIS_LEN + 1);
    memcpy(mempcpy(out, s, n), ELLIPSIS, ELLIPSIS_LEN + 1);
    return out;
}

size_t text_fit(char *buf, size_t buf_size, const char *s, int cols)
{
    if (!buf || buf_size == 0)
        return 0;
    buf[0] = '\0';
    if (cols <= 0)
        return 0;
    if (!s)
        s = "";
    size_t avail = buf_size - 1;
    if ((size_t)cols > avail) /* too small a buffer: fill what it can hold */
        cols = (int)avail;
    size_t len = strlen(s), n;
    int used;
    if (text_width(s) > cols && (size_t)cols - 1 + ELLIPSIS_LEN <= avail) {
        n = fit_prefix(s, len, cols - 1, avail, ELLIPSIS_LEN, &used);
        memcpy(buf, s, n);
        memcpy(buf + n, ELLIPSIS, ELLIPSIS_LEN);
        n += ELLIPSIS_LEN;
        used += 1;
    } else { /* it fits, or the buffer has no room for the ellipsis: what fits */
        n = fit_prefix(s, len, cols, avail, 0, &used);
        memcpy(buf, s, n);
    }
    while (used < cols && n < avail) {
        buf[n++] = ' ';
        used++;
    }
    buf[n] = '\0';
    return n;
}

/* ---- secrets ---------------------------------------------------------------------------- */

enum { MASK_SHOW = 4, MASK_MIN_CHARS = 12 };

char *text_mask_secret(const char *secret)
{
    if (!secret)
        return mps_xstrdup(ELLIPSIS);
    /* Sanitise first: a secret is still text that reaches a terminal. */
    char *clean = text_sanitize(secret, strlen(secret), false);
    const unsigned char *u = (const unsigned char *)clean;
    size_t len = strlen(clean), chars = 0, head_end = 0, i = 0;
    size_t starts[MASK_SHOW] = {0}; /* ring of the last MASK_SHOW character starts */
    while (i < len) {
        uint32_t cp;
        starts[chars % MASK_SHOW] = i;
        i += utf8_decode(u + i, len - i, &cp);
        chars++;
        if (chars == MASK_SHOW)
            head_end = i;
    }
    char *out;
    if (chars < MASK_MIN_CHARS) {
        out = mps_xstrdup(ELLIPSIS);
    } else {
        size_t tail_start = starts[chars % MASK_SHOW]; /* oldest of the last four */
        size_t tail_len = len - tail_start;
        out = mps_xmalloc(head_end + ELLIPSIS_LEN + tail_len + 1);
        char *p = mempcpy(mempcpy(out, clean, head_end), ELLIPSIS, ELLIPSIS_LEN);
        memcpy(p, clean + tail_start, tail_len + 1);
    }
    memset(clean, 0, len);
    free(clean);
    return out;
}

/* ---- JSON ------------------------------------------------------------------------------- */

/* JSON's own whitespace (TAB, LF, CR) stays so valid JSON stays valid; the rest of the unsafe
 * set can only sit inside strings, where \uXXXX means the same thing. */
static bool json_needs_escape(uint32_t cp)
{
    if (cp == '\t' || cp == '\n' || cp == '\r')
        return false;
    return cp_unsafe(cp, false);
}

char *text_json_inert(const char *json)
{
    if (!json)
        return NULL;
    const unsigned char *u = (const unsigned char *)json;
    size_t len = strlen(json), i = 0, size = 1;
    /* Sized exactly (an escape is 6 bytes): a list keeps one of these per solution. */
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(u + i, len - i, &cp);
        size += cp == BAD_CP || json_needs_escape(cp) ? 6 : n;
        i += n;
    }
    char *out = mps_xmalloc(size), *o = out;
    i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(u + i, len - i, &cp);
        if (cp == BAD_CP) {
            memcpy(o, "\\ufffd", 6);
            o += 6;
        } else if (json_needs_escape(cp)) {
            o += snprintf(o, 7, "\\u%04x", (unsigned)cp);
        } else {
            memcpy(o, u + i, n);
            o += n;
        }
        i += n;
    }
    *o = '\0';
    return out;
}

/* ---- search ----------------------------------------------------------------------------- */

/* Case folding needs Unicode's case tables, which libc has only in a UTF-8 locale: one C.UTF-8
 * locale object, whatever the process's locale is, so search does not depend on LANG. */
static locale_t fold_locale;
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void fold_locale_init(void)
{
    fold_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* s folded to lower case, one wchar_t a code point (an ill-formed byte kept as a value no
 * character has, so it still matches itself). New array, length in *n. */
static wchar_t *fold(const char *s, size_t *n)
{
    size_t len = strlen(s);
    wchar_t *out = mps_xmalloc((len + 1) * sizeof *out);
    const unsigned char *p = (const unsigned char *)s;
    size_t k = 0;
    while (len > 0) {
        uint32_t cp;
        size_t used = utf8_decode(p, len, &cp);
        if (cp == BAD_CP)
            out[k++] = (wchar_t)(0x110000 + *p), used = 1;
        else
            out[k++] = fold_locale ? (wchar_t)towlower_l((wint_t)cp, fold_locale)
                       : cp < 0x80 ? (wchar_t)tolower((int)cp)
                                   : (wchar_t)cp;
        p += used;
        len -= used;
    }
    out[k] = L'\0';
    *n = k;
    return out;
}

bool text_contains_ci(const char *haystack, const char *needle)
{
    if (!needle || !needle[0])
        return true;
    if (!haystack)
        return false;
    pthread_once(&fold_once, fold_locale_init);
    size_t hn, nn;
    wchar_t *h = fold(haystack, &hn);
    wchar_t *n = fold(needle, &nn);
    bool found = nn <= hn && wcsstr(h, n) != NULL;
    free(h);
    free(n);
    return found;
}

/* cp as UTF-8 at out (when not NULL); returns its length. */
static size_t utf8_put(uint32_t cp, char *out)
{
    unsigned char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp, n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6)), n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12)), n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18)), n = 4;
    }
    for (size_t i = 1; i < n; i++)
        b[i] = (unsigned char)(0x80 | ((cp >> (6 * (n - 1 - i))) & 0x3F));
    if (out)
        memcpy(out, b, n);
    return n;
}

size_t text_fold_case(const char *s, char *out)
{
    if (!s)
        return 0;
    pthread_once(&fold_once, fold_locale_init);
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), k = 0;
    while (len > 0) {
        if (*p < 0x80) { /* the common case, without a table */
            if (out)
                out[k] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
            k++, p++, len--;
            continue;
        }
        uint32_t cp;
        size_t used = utf8_decode(p, len, &cp);
        if (cp == BAD_CP) { /* kept as it is: it still matches itself */
            if (out)
                memcpy(out + k, p, used);
            k += used;
        } else {
            wint_t low = fold_locale ? towlower_l((wint_t)cp, fold_locale) : (wint_t)cp;
            /* a lower case outside Unicode or a surrogate is no case at all */
            if (low > 0x10FFFF || (low >= 0xD800 && low <= 0xDFFF))
                low = (wint_t)cp;
            k += utf8_put((uint32_t)low, out ? out + k : NULL);
        }
        p += used;
        len -= used;
    }
    return k;
}

void text_confirm_code(const char *id, char *out, size_t out_size)
{
    if (!out || out_size == 0)
        return;
    size_t len = id ? strlen(id) : 0;
    const char *tail = len > TEXT_CONFIRM_DIGITS ? id + len - TEXT_CONFIRM_DIGITS : id;
    size_t n = len > TEXT_CONFIRM_DIGITS ? TEXT_CONFIRM_DIGITS : len;
    bool typeable = n > 0;
    for (size_t i = 0; i < n && typeable; i++)
        typeable = tail[i] > 0x20 && tail[i] < 0x7f;
    if (!typeable) {
        tail = "yes";
        n = 3;
    }
    if (n >= out_size)
        n = out_size - 1;
    memcpy(out, tail, n);
    out[n] = '\0';
}

size_t text_prev_char(const char *s, size_t pos)
{
    /* Back over continuation bytes (10xxxxxx) to the lead byte. */
    while (pos > 0 && ((unsigned char)s[pos - 1] & 0xC0) == 0x80)
        pos--;
    return pos > 0 ? pos - 1 : 0;
}

size_t text_next_char(const char *s, size_t pos)
{
    if (!s[pos])
        return pos;
    /* Past the lead byte, then over its continuation bytes (10xxxxxx). */
    pos++;
    while (((unsigned char)s[pos] & 0xC0) == 0x80)
        pos++;
    return pos;
}

bool text_format(char *buf, size_t size, const char *fmt, ...)
{
    if (!size)
        return false;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    if (n < 0) {
        buf[0] = '\0';
        return false;
    }
    if ((size_t)n < size)
        return true;
    /* Room for the mark after the last whole character that leaves it room. */
    size_t end = size > ELLIPSIS_LEN ? size - ELLIPSIS_LEN : 1;
    end = text_prev_char(buf, end);
    if (end + ELLIPSIS_LEN < size)
        memcpy(buf + end, ELLIPSIS, ELLIPSIS_LEN + 1);
    else
        buf[end] = '\0';
    return false;
}

size_t text_char_count(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80; /* every byte but a continuation starts one */
    return n;
}
