/* Generates the Embedded Signup launch code for a solution, with both ids escaped as JS strings. */
#include "mpsdash/snippet.h"
#include "mpsdash/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable byte buffer; allocation failure aborts, as everywhere in core. */
typedef struct sbuf {
    char *data;
    size_t len;
    size_t cap;
} sbuf;

static void sbuf_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p)
            abort();
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void sbuf_puts(sbuf *b, const char *s)
{
    sbuf_add(b, s, strlen(s));
}

/* Decodes one UTF-8 sequence at s (n bytes left). Returns its length and sets *cp, or returns 1
 * with *cp = U+FFFD for an invalid, overlong, surrogate or truncated sequence. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    static const struct {
        unsigned char mask, lead;
        size_t len;
        uint32_t min;
    } forms[] = {
        {0x80, 0x00, 1, 0x0},
        {0xE0, 0xC0, 2, 0x80},
        {0xF0, 0xE0, 3, 0x800},
        {0xF8, 0xF0, 4, 0x10000},
    };
    for (size_t f = 0; f < COUNT_OF(forms); f++) {
        if ((s[0] & forms[f].mask) != forms[f].lead)
            continue;
        size_t len = forms[f].len;
        if (len > n)
            break;
        uint32_t v = s[0] & (uint32_t)(0x7F >> (len == 1 ? 0 : len));
        for (size_t i = 1; i < len; i++) {
            if ((s[i] & 0xC0) != 0x80) {
                *cp = 0xFFFD;
                return 1;
            }
            v = (v << 6) | (s[i] & 0x3F);
        }
        if (v < forms[f].min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            break;
        *cp = v;
        return len;
    }
    *cp = 0xFFFD;
    return 1;
}

char *snippet_js_escape(const char *s)
{
    sbuf b = {0};
    sbuf_add(&b, "", 0);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_next(p, n, &cp);
        p += len;
        n -= len;
        char esc[16];
        /* Letters, digits and harmless punctuation pass; everything that could end the literal,
         * the comment, the <script> block or upset a terminal is escaped. */
        if (cp < 0x80 && cp >= 0x20 && cp != 0x7F && !strchr("'\"\\<>&`", (int)cp)) {
            char c = (char)cp;
            sbuf_add(&b, &c, 1);
        } else if (cp < 0x100) {
            snprintf(esc, sizeof esc, "\\x%02X", (unsigned)cp);
            sbuf_puts(&b, esc);
        } else if (cp < 0x10000) {
            snprintf(esc, sizeof esc, "\\u%04X", (unsigned)cp);
            sbuf_puts(&b, esc);
        } else {
            uint32_t v = cp - 0x10000;
            snprintf(esc, sizeof esc, "\\u%04X\\u%04X", (unsigned)(0xD800 + (v >> 10)),
                     (unsigned)(0xDC00 + (v & 0x3FF)));
            sbuf_puts(&b, esc);
        }
    }
    return b.data;
}

char *snippet_embedded_signup(const char *solution_id, const char *config_id)
{
    char *sol = snippet_js_escape(solution_id);
    int have_config = config_id && *config_id;
    /* The placeholder is our own text: it stays readable, unescaped. */
    char *cfg = have_config ? snippet_js_escape(config_id) : NULL;
    sbuf b = {0};
    sbuf_puts(&b, "// Launch method and callback registration\n"
                  "const launchWhatsAppSignup = () => {\n"
                  "  FB.login(fbLoginCallback, {\n"
                  "    config_id: '");
    sbuf_puts(&b, have_config ? cfg : "<CONFIGURATION_ID>");
    sbuf_puts(&b, have_config ? "',\n" : "', // your configuration ID goes here\n");
    sbuf_puts(&b, "    response_type: 'code',\n"
                  "    override_default_response_type: true,\n"
                  "    extras: {\n"
                  "      setup: {\n"
                  "        solutionID: '");
    sbuf_puts(&b, sol);
    sbuf_puts(&b, "'\n"
                  "      },\n"
                  "      featureType: '',\n"
                  "      sessionInfoVersion: '3',\n"
                  "    }\n"
                  "  });\n"
                  "}\n");
    free(sol);
    free(cfg);
    return b.data;
}
