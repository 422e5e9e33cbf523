/* Unit tests for text safety: sanitising hostile server strings, widths, truncation, masking. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mpsdash/alloc.h"
#include "mpsdash/text.h"
#include "mpsdash/util.h"

#define FFFD "\xEF\xBF\xBD"
#define ELL "\xE2\x80\xA6"

static void assert_sanitized(const char *in, size_t len, bool multi, const char *want)
{
    char *got = text_sanitize(in, len, multi);
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_true(text_is_safe(got) || multi);
    free(got);
}

#define SAN(lit, want) assert_sanitized(lit, sizeof(lit) - 1, false, want)

/* ---- sanitising ------------------------------------------------------------------------- */

static void sanitize_keeps_plain_and_unicode_text(void **state)
{
    (void)state;
    SAN("Lucky Shrub", "Lucky Shrub");
    SAN("caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80",
        "caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80");
    SAN("", "");
}

static void sanitize_neutralises_escape_sequences(void **state)
{
    (void)state;
    /* Colour change, clear screen, cursor movement: the ESC goes, the rest is inert text. */
    SAN("\x1b[31mred\x1b[0m", FFFD "[31mred" FFFD "[0m");
    SAN("\x1b[2J\x1b[H", FFFD "[2J" FFFD "[H");
    /* OSC 52 clipboard write and OSC 8 hyperlink, BEL and ST terminated. */
    SAN("\x1b]52;c;ZXZpbA==\x07", FFFD "]52;c;ZXZpbA==" FFFD);
    SAN("\x1b]8;;http://x\x1b\\link", FFFD "]8;;http://x" FFFD "\\link");
}

static void sanitize_replaces_c0_and_del(void **state)
{
    (void)state;
    SAN("a\rb\nc\td\be\x7f", "a" FFFD "b" FFFD "c" FFFD "d" FFFD "e" FFFD);
}

static void sanitize_replaces_c1_encoded_in_utf8(void **state)
{
    (void)state;
    /* U+009B is CSI and U+009D OSC for terminals that honour 8-bit controls. */
    SAN("x\xC2\x9B"
        "31my",
        "x" FFFD "31my");
    SAN("\xC2\x9D"
        "0;title\xC2\x9C",
        FFFD "0;title" FFFD);
    SAN("\xC2\x80\xC2\x9F\xC2\xA0", FFFD FFFD "\xC2\xA0"); /* U+00A0 is printable */
}

static void sanitize_replaces_bidi_controls(void **state)
{
    (void)state;
    SAN("abc\xE2\x80\xAE"
        "fdp.exe",
        "abc" FFFD "fdp.exe");                               /* U+202E RLO */
    SAN("\xD8\x9C\xE2\x80\x8E\xE2\x80\x8F", FFFD FFFD FFFD); /* U+061C, LRM, RLM */
    SAN("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", FFFD FFFD FFFD FFFD);
    SAN("\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9", FFFD FFFD FFFD FFFD);
    /* Neighbours of the bidi ranges are ordinary characters. */
    SAN("\xE2\x80\x90\xE2\x81\xA5", "\xE2\x80\x90\xE2\x81\xA5");
}

static void sanitize_replaces_invalid_utf8(void **state)
{
    (void)state;
    SAN("a\xFF"
        "b",
        "a" FFFD "b");
    SAN("\x80", FFFD);                   /* lone continuation */
    SAN("\xC0\xAF", FFFD FFFD);          /* overlong '/' */
    SAN("\xE0\x80\xAF", FFFD FFFD FFFD); /* overlong, 3 bytes */
    SAN("\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD);
    SAN("\xED\xA0\x80", FFFD FFFD FFFD);          /* surrogate U+D800 */
    SAN("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* past U+10FFFF */
    SAN("\xF5\x80", FFFD FFFD);
}

static void sanitize_replaces_truncated_sequence_at_end(void **state)
{
    (void)state;
    SAN("ok\xE4\xB8", "ok" FFFD); /* maximal subpart: one replacement */
    SAN("ok\xF0\x9F\x98", "ok" FFFD);
    SAN("\xC3", FFFD);
    /* A truncated lead followed by a valid character keeps the character. */
    SAN("\xE4\xB8"
        "A",
        FFFD "A");
}

static void sanitize_replaces_embedded_nul(void **state)
{
    (void)state;
    assert_sanitized("a\0b", 3, false, "a" FFFD "b");
}

static void sanitize_multi_line_keeps_only_lf(void **state)
{
    (void)state;
    assert_sanitized("one\ntwo\r\n\x1b[1m", 13, true, "one\ntwo" FFFD "\n" FFFD "[1m");
}

static void sanitize_of_null_is_null(void **state)
{
    (void)state;
    assert_null(text_sanitize(NULL, 0, false));
}

static void repair_keeps_controls_but_fixes_encoding(void **state)
{
    (void)state;
    char *got = text_repair_utf8("\x1b[1m\xC2\x9B\xFF", 7);
    assert_string_equal(got, "\x1b[1m\xC2\x9B" FFFD);
    free(got);
}

static void is_safe_rejects_what_sanitize_replaces(void **state)
{
    (void)state;
    assert_true(text_is_safe("Social OVD \xE4\xB8\xAD"));
    assert_false(text_is_safe("a\x1b"));
    assert_false(text_is_safe("a\n"));
    assert_false(text_is_safe("\xC2\x85"));
    assert_false(text_is_safe("\xE2\x80\xAE"));
    assert_false(text_is_safe("\xC3"));
    assert_false(text_is_safe("\xC0\x80"));
}

/* ---- widths ----------------------------------------------------------------------------- */

static void width_counts_cjk_and_emoji_as_two(void **state)
{
    (void)state;
    assert_int_equal(text_width("abc"), 3);
    assert_int_equal(text_width("\xE4\xB8\xAD\xE6\x96\x87"), 4); /* 中文 */
    assert_int_equal(text_width("\xF0\x9F\x98\x80"), 2);         /* 😀 */
    assert_int_equal(text_width("\xEF\xBD\xA1"), 1);             /* halfwidth ｡ */
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width(NULL), 0);
}

static void width_counts_combining_marks_as_zero(void **state)
{
    (void)state;
    assert_int_equal(text_width("e\xCC\x81"), 1);                 /* e + U+0301 */
    assert_int_equal(text_width("a\xCC\x81\xCC\xA3\xCC\x88"), 1); /* stacked marks */
}

static void width_counts_nonprintables_and_invalid_as_one(void **state)
{
    (void)state;
    assert_int_equal(text_width("\x1b"), 1);
    assert_int_equal(text_width("\xFF"), 1);
    assert_int_equal(text_width("\xE4\xB8"), 1);
}

static void width_equals_width_after_sanitizing(void **state)
{
    (void)state;
    const char *samples[] = {"\x1b[31m\xE4\xB8\xAD", "\xC0\xAF",    "\xED\xA0\x80x", "a\tb\r",
                             "\xC2\x9B\xE2\x80\xAE", "\xF0\x9F\x98"};
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        char *clean = text_sanitize(samples[i], strlen(samples[i]), false);
        int raw = text_width(samples[i]), safe = text_width(clean);
        free(clean);
        assert_int_equal(raw, safe);
    }
}

/* 👨‍👩‍👧: man, ZWJ, woman, ZWJ, girl. */
#define FAMILY "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"

static void width_of_joined_emoji_follows_the_terminal(void **state)
{
    (void)state;
    assert_false(text_zwj_joins()); /* the default: every part counted */
    assert_int_equal(text_width(FAMILY), 6);
    assert_int_equal(text_width("x" FAMILY "y"), 8);
    text_set_zwj_joins(true);
    assert_int_equal(text_width(FAMILY), 2);
    assert_int_equal(text_width("x" FAMILY "y"), 4);
    /* A joiner glues what a terminal glues: not ASCII, not what sanitising replaces. */
    assert_int_equal(text_width("a\xE2\x80\x8D"
                                "b"),
                     2);
    assert_int_equal(text_width("\xF0\x9F\x91\xA8\xE2\x80\x8D\xE2\x80\xAE"), 3);
    /* Never split: the whole family fits two columns, or none of it does. */
    int cols = -1;
    assert_int_equal(text_prefix_fitting(FAMILY "z", 2, &cols), strlen(FAMILY));
    assert_int_equal(cols, 2);
    assert_int_equal(text_prefix_fitting("a" FAMILY, 2, &cols), 1);
    char buf[64];
    assert_int_equal(text_fit(buf, sizeof buf, FAMILY " and friends", 5), strlen(FAMILY) + 5);
    assert_string_equal(buf, FAMILY " a\xE2\x80\xA6");
    char *t = text_truncate(FAMILY FAMILY FAMILY, 5);
    assert_string_equal(t, FAMILY FAMILY "\xE2\x80\xA6");
    free(t);
    text_set_zwj_joins(false);
    assert_int_equal(text_width(FAMILY), 6);
    char parts[] = "a" FAMILY "\xE2\x80";
    size_t kept = text_drop_zwj(parts);
    assert_int_equal(kept, strlen(parts));
    assert_string_equal(parts, "a\xF0\x9F\x91\xA8\xF0\x9F\x91\xA9\xF0\x9F\x91\xA7\xE2\x80");
}

static void prefix_fitting_never_splits_a_character(void **state)
{
    (void)state;
    int cols = -1;
    const char *s = "a\xE4\xB8\xAD"
                    "b"; /* a中b: widths 1,2,1 */
    assert_int_equal(text_prefix_fitting(s, 0, &cols), 0);
    assert_int_equal(cols, 0);
    assert_int_equal(text_prefix_fitting(s, 1, &cols), 1);
    assert_int_equal(cols, 1);
    assert_int_equal(text_prefix_fitting(s, 2, &cols), 1); /* 中 would straddle */
    assert_int_equal(cols, 1);
    assert_int_equal(text_prefix_fitting(s, 3, &cols), 4);
    assert_int_equal(cols, 3);
    assert_int_equal(text_prefix_fitting(s, 99, &cols), 5);
    assert_int_equal(cols, 4);
    /* Combining marks stay with their base character. */
    assert_int_equal(text_prefix_fitting("e\xCC\x81x", 1, &cols), 3);
    assert_int_equal(cols, 1);
}

/* Checks every property of text_truncate and text_fit for one string at one width. */
static void check_truncation(const char *s, int w)
{
    int full = text_width(s);
    char *t = text_truncate(s, w);
    assert_non_null(t);
    int tw = text_width(t);
    assert_true(tw <= (w < 0 ? 0 : w));
    char *repaired = text_repair_utf8(t, strlen(t));
    assert_string_equal(repaired, t); /* still valid UTF-8: nothing was split */
    free(repaired);
    if (full <= w) {
        assert_string_equal(t, s);
    } else if (w >= 1) {
        size_t n = strlen(t);
        assert_true(n >= 3);
        assert_memory_equal(t + n - 3, ELL, 3);
        assert_memory_equal(t, s, n - 3); /* a prefix of the original */
        assert_true(tw >= w - 1);         /* at most one column lost to a wide character */
    } else {
        assert_string_equal(t, "");
    }
    free(t);

    char buf[512];
    size_t n = text_fit(buf, sizeof buf, s, w);
    assert_int_equal(n, strlen(buf));
    assert_int_equal(text_width(buf), w < 0 ? 0 : w);
    repaired = text_repair_utf8(buf, n);
    assert_string_equal(repaired, buf);
    free(repaired);
}

static void truncate_and_fit_hold_at_every_width(void **state)
{
    (void)state;
    const char *samples[] = {
        "Social OVD with Lucky Shrub",
        "\xE4\xB8\xAD\xE6\x96\x87\xE5\x90\x8D\xE7\xA7\xB0\xE6\xB5\x8B\xE8\xAF\x95", /* 中文名称测试
                                                                                     */
        "a\xE4\xB8\xAD"
        "b\xE6\x96\x87"
        "c",
        "\xF0\x9F\x98\x80\xF0\x9F\x9A\x80 launch \xF0\x9F\x8E\x89",
        "e\xCC\x81"
        "e\xCC\x81"
        "e\xCC\x81"
        "e\xCC\x81",
        "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D world", /* Hebrew */
        "",
        "x",
        "\xCC\x81\xCC\x81", /* combining marks alone: zero columns */
    };
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++)
        for (int w = -1; w <= text_width(samples[i]) + 3; w++)
            check_truncation(samples[i], w);
}

static void truncate_leaves_out_a_straddling_wide_character(void **state)
{
    (void)state;
    char *t = text_truncate("ab\xE4\xB8\xAD\xE6\x96\x87", 4); /* ab中文 is 6 columns */
    assert_string_equal(t, "ab" ELL);                         /* 中 would need columns 3-4 */
    free(t);
    t = text_truncate("abcdef", 4);
    assert_string_equal(t, "abc" ELL);
    free(t);
}

static void fit_pads_with_spaces(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(text_fit(buf, sizeof buf, "ab", 5), 5);
    assert_string_equal(buf, "ab   ");
    text_fit(buf, sizeof buf, "ab\xE4\xB8\xAD\xE6\x96\x87", 5);
    assert_string_equal(buf, "ab\xE4\xB8\xAD" ELL);
    /* The wide character that would straddle the edge leaves a padded column. */
    text_fit(buf, sizeof buf, "ab\xE4\xB8\xAD\xE6\x96\x87", 4);
    assert_string_equal(buf, "ab" ELL " ");
    text_fit(buf, sizeof buf, NULL, 3);
    assert_string_equal(buf, "   ");
    assert_int_equal(text_fit(buf, sizeof buf, "abc", 0), 0);
    assert_string_equal(buf, "");
}

static void fit_never_overflows_a_small_buffer(void **state)
{
    (void)state;
    /* Fifty combining marks on one base: zero columns each, two bytes each. */
    char s[128] = "e";
    for (int i = 0; i < 50; i++)
        strcat(s, "\xCC\x81");
    char buf[4 * 3 + 4 + 1];
    memset(buf, 'Z', sizeof buf);
    size_t n = text_fit(buf, sizeof buf - 1, s, 3);
    assert_true(n < sizeof buf - 1);
    assert_int_equal(buf[sizeof buf - 1], 'Z');
    assert_int_equal(text_width(buf), 3);
    char *repaired = text_repair_utf8(buf, n);
    assert_string_equal(repaired, buf);
    free(repaired);
}

/* ---- secrets ---------------------------------------------------------------------------- */

static void mask_shows_first_and_last_four(void **state)
{
    (void)state;
    char *m = text_mask_secret("EAAGm0PX4ZCpsBAKZBqwertyx9Qz");
    assert_string_equal(m, "EAAG" ELL "x9Qz");
    free(m);
    m = text_mask_secret("abcdefghijkl"); /* exactly 12 */
    assert_string_equal(m, "abcd" ELL "ijkl");
    free(m);
}

static void mask_of_short_secret_reveals_nothing(void **state)
{
    (void)state;
    const char *shorts[] = {"", "a", "abcdefghijk", NULL};
    for (size_t i = 0; i < sizeof shorts / sizeof *shorts; i++) {
        char *m = text_mask_secret(shorts[i]);
        assert_string_equal(m, ELL);
        free(m);
    }
}

static void mask_never_splits_or_emits_controls(void **state)
{
    (void)state;
    char *m = text_mask_secret("\xE4\xB8\xAD\x1b"
                               "bcdefgh"
                               "ijk\xE6\x96\x87");
    assert_string_equal(m, "\xE4\xB8\xAD" FFFD "bc" ELL "ijk\xE6\x96\x87");
    assert_true(text_is_safe(m));
    free(m);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void json_inert_escapes_c1_and_bidi(void **state)
{
    (void)state;
    char *j = text_json_inert("{\"name\":\"a\xC2\x9B"
                              "b\xE2\x80\xAE"
                              "c\xE2\x81\xA6\"}");
    assert_string_equal(j, "{\"name\":\"a\\u009bb\\u202ec\\u2066\"}");
    free(j);
}

static void json_inert_replaces_invalid_bytes(void **state)
{
    (void)state;
    char *j = text_json_inert("[\"\xFF\xC0\xAF\xE4\xB8\"]");
    assert_string_equal(j, "[\"\\ufffd\\ufffd\\ufffd\\ufffd\"]");
    free(j);
}

static void json_inert_keeps_valid_text_and_whitespace(void **state)
{
    (void)state;
    const char *in = "{\n\t\"n\": \"\xE4\xB8\xAD \\u001b \xF0\x9F\x98\x80\"\r\n}";
    char *j = text_json_inert(in);
    assert_string_equal(j, in);
    free(j);
    j = text_json_inert("\"\x1b\x7f\"");
    assert_string_equal(j, "\"\\u001b\\u007f\"");
    free(j);
}

/* ---- search ----------------------------------------------------------------------------- */

static void contains_ci_ignores_ascii_case(void **state)
{
    (void)state;
    assert_true(text_contains_ci("Social OVD with Lucky Shrub", "lucky"));
    assert_true(text_contains_ci("Social OVD", "ovd"));
    assert_true(text_contains_ci("abc", ""));
    assert_true(text_contains_ci("\xE4\xB8\xAD\xE6\x96\x87", "\xE6\x96\x87"));
    assert_false(text_contains_ci("abc", "abcd"));
    assert_false(text_contains_ci("aab", "abb"));
    assert_false(text_contains_ci(NULL, "a"));
}

/* Whatever the process's locale (the test runs in "C": no setlocale), non-ASCII letters fold. */
static void contains_ci_folds_non_ascii_in_any_locale(void **state)
{
    (void)state;
    assert_true(text_contains_ci("CAF\xC3\x89 DU COIN", "caf\xC3\xA9"));
    assert_true(text_contains_ci("caf\xC3\xA9", "CAF\xC3\x89"));
    assert_true(text_contains_ci("\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90",
                                 "\xD0\xBC\xD0\xBE\xD1\x81")); /* МОСКВА / мос */
    assert_false(text_contains_ci("CAF\xC3\x89", "cafe"));
    /* ill-formed bytes match only themselves and never crash */
    assert_true(text_contains_ci("a\xFF"
                                 "b",
                                 "\xFF"
                                 "B"));
    assert_false(text_contains_ci("a\xFE"
                                  "b",
                                  "\xFF"));
}

/* ---- confirm = "typed" ------------------------------------------------------------------ */

/* Two solutions called "Social OVD with Lucky Shrub" share their first word: what is typed must
 * come from what tells them apart, the id. */
static void confirm_code_is_the_ids_last_digits(void **state)
{
    (void)state;
    char w[16];
    text_confirm_code("795033096057724", w, sizeof w);
    assert_string_equal(w, "7724");
    text_confirm_code("795033096051111", w, sizeof w);
    assert_string_equal(w, "1111");
    text_confirm_code("666", w, sizeof w); /* shorter than four: all of it */
    assert_string_equal(w, "666");
    /* Nothing typeable to ask for: a plain typed "yes". */
    text_confirm_code(NULL, w, sizeof w);
    assert_string_equal(w, "yes");
    text_confirm_code("", w, sizeof w);
    assert_string_equal(w, "yes");
    text_confirm_code("12\xEF\xBF\xBD", w, sizeof w);
    assert_string_equal(w, "yes");
    char tiny[3];
    text_confirm_code("795033096057724", tiny, sizeof tiny);
    assert_string_equal(tiny, "77");
}

static void prev_char_steps_back_one_whole_character(void **state)
{
    (void)state;
    const char *s = "a\xc3\xa9\xe6\xa8\xb1\xf0\x9f\x8c\xb5"; /* a é 樱 🌵 */
    assert_int_equal(text_prev_char(s, 10), 6);
    assert_int_equal(text_prev_char(s, 6), 3);
    assert_int_equal(text_prev_char(s, 3), 1);
    assert_int_equal(text_prev_char(s, 1), 0);
    assert_int_equal(text_prev_char(s, 0), 0);
    /* Stray continuation bytes at the start go as one. */
    assert_int_equal(text_prev_char("\x80\x80", 2), 0);
}

static void next_char_steps_over_one_whole_character(void **state)
{
    (void)state;
    const char *s = "a\xc3\xa9\xe6\xa8\xb1\xf0\x9f\x8c\xb5"; /* a é 樱 🌵 */
    assert_int_equal(text_next_char(s, 0), 1);
    assert_int_equal(text_next_char(s, 1), 3);
    assert_int_equal(text_next_char(s, 3), 6);
    assert_int_equal(text_next_char(s, 6), 10);
    assert_int_equal(text_next_char(s, 10), 10); /* at the end it stays */
    /* A lead byte's stray continuation bytes go with it. */
    assert_int_equal(text_next_char("\x80\x80x", 0), 2);
}

static void format_marks_a_cut_and_never_splits_a_character(void **state)
{
    (void)state;
    char b[12];
    assert_true(text_format(b, sizeof b, "%s %d", "ok", 42));
    assert_string_equal(b, "ok 42");
    /* 11 bytes of room: 8 of text and the 3 of "…". */
    assert_false(text_format(b, sizeof b, "%s", "abcdefghijklmnop"));
    assert_string_equal(b, "abcdefgh\xe2\x80\xa6");
    /* "樱" (3 bytes) would straddle the end: it goes whole. */
    assert_false(text_format(b, sizeof b, "abcdef%s", "\xe6\xa8\xb1\xe6\xa8\xb1"));
    assert_string_equal(b, "abcdef\xe2\x80\xa6");
    char tiny[3];
    assert_false(text_format(tiny, sizeof tiny, "%s", "abc"));
    assert_string_equal(tiny, "");
}

static void decode_takes_one_character_or_its_maximal_subpart(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(text_decode("a", 1, &cp), 1);
    assert_int_equal(cp, 'a');
    assert_int_equal(text_decode("\xf0\x9f\x8c\xb5", 4, &cp), 4);
    assert_int_equal(cp, 0x1F335);
    assert_int_equal(text_decode("\0x", 2, &cp), 1); /* a NUL is a character like another */
    assert_int_equal(cp, 0);
    /* Ill-formed: overlong, surrogate, past U+10FFFF, cut short; each takes its maximal subpart. */
    assert_int_equal(text_decode("\xc0\xaf", 2, &cp), 1);
    assert_int_equal(cp, TEXT_BAD_CP);
    assert_int_equal(text_decode("\xed\xa0\x80", 3, &cp), 1);
    assert_int_equal(cp, TEXT_BAD_CP);
    assert_int_equal(text_decode("\xf4\x90\x80\x80", 4, &cp), 1);
    assert_int_equal(cp, TEXT_BAD_CP);
    assert_int_equal(text_decode("\xe6\xa8", 2, &cp), 2);
    assert_int_equal(cp, TEXT_BAD_CP);
    assert_int_equal(text_decode("\xe6\xa8x", 3, &cp), 2);
    assert_int_equal(cp, TEXT_BAD_CP);
}

/* Folding writes what it measures, may change a character's length (U+023A is two bytes, its
 * lower case three), keeps ill-formed bytes and ASCII's order. */
static void fold_case_measures_and_writes_the_same(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"CAF\xC3\x89", "caf\xC3\xA9"},
        {"\xC8\xBA", "\xE2\xB1\xA5"}, /* Ⱥ -> ⱥ */
        {"\xCE\xA3\xCE\x9F\xCE\xA6", "\xCF\x83\xCE\xBF\xCF\x86"},
        {"A\xFF"
         "B",
         "a\xFF"
         "b"}, /* an ill-formed byte stays */
        {"", ""},
        {"already lower 123", "already lower 123"},
    };
    for (size_t i = 0; i < COUNT_OF(cases); i++) {
        char out[64];
        size_t n = text_fold_case(cases[i].in, NULL);
        assert_int_equal(n, strlen(cases[i].want));
        assert_int_equal(text_fold_case(cases[i].in, out), n);
        out[n] = '\0';
        assert_string_equal(out, cases[i].want);
    }
    assert_int_equal(text_fold_case(NULL, NULL), 0);
}

/* The secret loader copies a token with it: a prefix, NUL-terminated, never past the source. */
static void xstrndup_copies_at_most_n_bytes(void **state)
{
    (void)state;
    char *s = mps_xstrndup("token\nrest", 5);
    assert_string_equal(s, "token");
    free(s);
    s = mps_xstrndup("ab", 10);
    assert_string_equal(s, "ab");
    free(s);
    s = mps_xstrndup("ab", 0);
    assert_string_equal(s, "");
    free(s);
    assert_null(mps_xstrndup(NULL, 3));
}

int main(void)
{
    setlocale(LC_ALL, "");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xstrndup_copies_at_most_n_bytes),
        cmocka_unit_test(sanitize_keeps_plain_and_unicode_text),
        cmocka_unit_test(sanitize_neutralises_escape_sequences),
        cmocka_unit_test(sanitize_replaces_c0_and_del),
        cmocka_unit_test(sanitize_replaces_c1_encoded_in_utf8),
        cmocka_unit_test(sanitize_replaces_bidi_controls),
        cmocka_unit_test(sanitize_replaces_invalid_utf8),
        cmocka_unit_test(sanitize_replaces_truncated_sequence_at_end),
        cmocka_unit_test(sanitize_replaces_embedded_nul),
        cmocka_unit_test(sanitize_multi_line_keeps_only_lf),
        cmocka_unit_test(sanitize_of_null_is_null),
        cmocka_unit_test(repair_keeps_controls_but_fixes_encoding),
        cmocka_unit_test(is_safe_rejects_what_sanitize_replaces),
        cmocka_unit_test(width_counts_cjk_and_emoji_as_two),
        cmocka_unit_test(width_counts_combining_marks_as_zero),
        cmocka_unit_test(width_counts_nonprintables_and_invalid_as_one),
        cmocka_unit_test(width_equals_width_after_sanitizing),
        cmocka_unit_test(prefix_fitting_never_splits_a_character),
        cmocka_unit_test(width_of_joined_emoji_follows_the_terminal),
        cmocka_unit_test(truncate_and_fit_hold_at_every_width),
        cmocka_unit_test(truncate_leaves_out_a_straddling_wide_character),
        cmocka_unit_test(fit_pads_with_spaces),
        cmocka_unit_test(fit_never_overflows_a_small_buffer),
        cmocka_unit_test(mask_shows_first_and_last_four),
        cmocka_unit_test(mask_of_short_secret_reveals_nothing),
        cmocka_unit_test(mask_never_splits_or_emits_controls),
        cmocka_unit_test(confirm_code_is_the_ids_last_digits),
        cmocka_unit_test(json_inert_escapes_c1_and_bidi),
        cmocka_unit_test(json_inert_replaces_invalid_bytes),
        cmocka_unit_test(json_inert_keeps_valid_text_and_whitespace),
        cmocka_unit_test(contains_ci_ignores_ascii_case),
        cmocka_unit_test(prev_char_steps_back_one_whole_character),
        cmocka_unit_test(next_char_steps_over_one_whole_character),
        cmocka_unit_test(decode_takes_one_character_or_its_maximal_subpart),
        cmocka_unit_test(format_marks_a_cut_and_never_splits_a_character),
        cmocka_unit_test(contains_ci_folds_non_ascii_in_any_locale),
        cmocka_unit_test(fold_case_measures_and_writes_the_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
