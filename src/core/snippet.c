/* Generates the Embedded Signup launch code for a solution, with both ids escaped as JS strings. */
#include "mpsdash/snippet.h"
#include "mpsdash/strbuf.h"
#include "mpsdash/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *snippet_js_escape(const char *s)
{
    strbuf b = {0};
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
            strbuf_add(&b, &c, 1);
        } else if (cp < 0x100) {
            snprintf(esc, sizeof esc, "\\x%02X", (unsigned)cp);
            strbuf_adds(&b, esc);
        } else if (cp < 0x10000) {
            snprintf(esc, sizeof esc, "\\u%04X", (unsigned)cp);
            strbuf_adds(&b, esc);
        } else {
            uint32_t v = cp - 0x10000;
            snprintf(esc, sizeof esc, "\\u%04X\\u%04X", (unsigned)(0xD800 + (v >> 10)),
                     (unsigned)(0xDC00 + (v & 0x3FF)));
            strbuf_adds(&b, esc);
        }
    }
    return strbuf_take(&b);
}

char *snippet_embedded_signup(const char *solution_id, const char *config_id)
{
    char *sol = snippet_js_escape(solution_id);
    int have_config = config_id && *config_id;
    /* The placeholder is our own text: it stays readable, unescaped. */
    char *cfg = have_config ? snippet_js_escape(config_id) : NULL;
    strbuf b = {0};
    strbuf_adds(&b, "// Launch method and callback registration\n"
                    "const launchWhatsAppSignup = () => {\n"
                    "  FB.login(fbLoginCallback, {\n"
                    "    config_id: '");
    strbuf_adds(&b, have_config ? cfg : "<CONFIGURATION_ID>");
    strbuf_adds(&b, have_config ? "',\n" : "', // your configuration ID goes here\n");
    strbuf_adds(&b, "    response_type: 'code',\n"
                    "    override_default_response_type: true,\n"
                    "    extras: {\n"
                    "      setup: {\n"
                    "        solutionID: '");
    strbuf_adds(&b, sol);
    strbuf_adds(&b, "'\n"
                    "      },\n"
                    "      featureType: '',\n"
                    "      sessionInfoVersion: '3',\n"
                    "    }\n"
                    "  });\n"
                    "}\n");
    free(sol);
    free(cfg);
    return strbuf_take(&b);
}
