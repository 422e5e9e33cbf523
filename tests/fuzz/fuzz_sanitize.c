/* Fuzz harness for text safety: whatever bytes a server sends, what we print is safe and
 * well-formed. */
#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/text.h"

/* A property failure must stop the run loudly, in the replay driver as under libFuzzer. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_sanitize: %s:%d: %s\n", __FILE__, __LINE__, #cond);              \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setlocale(LC_ALL, "");
    return 0;
}

static bool is_valid_utf8(const char *s)
{
    char *r = text_repair_utf8(s, strlen(s));
    bool same = strcmp(r, s) == 0;
    free(r);
    return same;
}

/* Nothing a terminal acts on: no C0 but TAB/LF/CR (JSON whitespace), no DEL, C1 or bidi. */
static bool json_is_inert(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7F)
            return false;
        if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            return false;
        if (p[0] == 0xE2 && p[1] == 0x80 &&
            ((p[2] >= 0x8E && p[2] <= 0x8F) || (p[2] >= 0xAA && p[2] <= 0xAE)))
            return false;
        if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
            return false;
        if (p[0] == 0xD8 && p[1] == 0x9C)
            return false;
    }
    return true;
}

static void check_truncation(const char *s)
{
    int full = text_width(s);
    int top = full < 40 ? full + 2 : 40;
    for (int w = 0; w <= top; w++) {
        char *t = text_truncate(s, w);
        CHECK(text_width(t) <= w);
        CHECK(is_valid_utf8(t));
        if (full <= w)
            CHECK(strcmp(t, s) == 0);
        free(t);

        size_t size = (size_t)w * 4 + 4;
        char *buf = malloc(size);
        size_t n = text_fit(buf, size, s, w);
        CHECK(n < size && n == strlen(buf));
        CHECK(text_width(buf) == w);
        CHECK(is_valid_utf8(buf));
        free(buf);
    }
    int cols = -1;
    size_t n = text_prefix_fitting(s, full / 2, &cols);
    CHECK(n <= strlen(s) && cols <= full / 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) /* widths are quadratic in the truncation checks */
        return 0;
    const char *raw = (const char *)data;

    char *one = text_sanitize(raw, size, false);
    CHECK(one && text_is_safe(one) && is_valid_utf8(one));
    CHECK(strlen(one) <= size * 3);

    char *multi = text_sanitize(raw, size, true);
    CHECK(multi && is_valid_utf8(multi));
    for (char *p = multi; *p; p++)
        CHECK(*p != '\r' && *p != '\x1b' && *p != '\t');
    /* Splitting the multi-line form at LF gives single-line-safe pieces. */
    char *copy = strdup(multi), *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        CHECK(text_is_safe(line));
    free(copy);

    /* The rest takes C strings: use the input up to its first NUL. */
    char *cstr = malloc(size + 1);
    memcpy(cstr, data, size);
    cstr[size] = '\0';
    size_t clen = strlen(cstr);

    char *repaired = text_repair_utf8(cstr, clen);
    CHECK(is_valid_utf8(repaired));
    char *again = text_sanitize(repaired, strlen(repaired), false);
    char *direct = text_sanitize(cstr, clen, false);
    CHECK(strcmp(again, direct) == 0); /* repairing first changes nothing */
    CHECK(text_width(cstr) == text_width(direct));
    CHECK(text_is_safe(cstr) == (strcmp(cstr, direct) == 0));

    check_truncation(direct);

    char *inert = text_json_inert(cstr);
    CHECK(is_valid_utf8(inert) && json_is_inert(inert));
    char *masked = text_mask_secret(cstr);
    CHECK(text_is_safe(masked) && text_width(masked) <= 17);
    CHECK(text_contains_ci(cstr, "") && text_contains_ci(cstr, cstr));

    free(masked);
    free(inert);
    free(direct);
    free(again);
    free(repaired);
    free(cstr);
    free(multi);
    free(one);
    return 0;
}
