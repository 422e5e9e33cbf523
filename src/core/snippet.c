/* Generates the Embedded Signup launch code for a solution, with both ids escaped as JS strings. */
#include "mpsdash/snippet.h"
#include "mpsdash/text.h"

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

char *snippet_js_escape(const char *s)
{
    sbuf b = {0};
    sbuf_add(&b, "", 0);
    const char *p = s ? s : "";
    size_t n = strlen(p);
    while (n > 0) {
        uint32_t cp;
        size_t len = text_decode(p, n, &cp);
        if (cp == TEXT_BAD_CP) { /* each byte of it one U+FFFD, not each maximal subpart */
            cp = 0xFFFD;
            len = 1;
        }
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
