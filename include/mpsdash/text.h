/* Text safety for anything a person sees: sanitising server strings, display widths,
 * truncation that never splits a character, and secret masking. Requires setlocale() with a
 * UTF-8 LC_CTYPE for wcwidth; falls back to 1 column per code point otherwise. */
#ifndef MPSDASH_TEXT_H
#define MPSDASH_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What text_decode gives for an ill-formed sequence. */
#define TEXT_BAD_CP UINT32_MAX

/* The one UTF-8 decoder: strict (no overlong forms, surrogates or code points past U+10FFFF)
 * and the same in every locale. Decodes the character at the start of s (len bytes, which may
 * hold NUL): returns the bytes it takes, at least 1 when len > 0, and sets *cp; for an
 * ill-formed sequence *cp is TEXT_BAD_CP and the bytes taken are its maximal subpart. */
size_t text_decode(const char *s, size_t len, uint32_t *cp);

/* Returns a new valid-UTF-8 string in which invalid UTF-8, C0 controls (ESC, CR, LF, TAB ...),
 * DEL, C1 controls (U+0080-U+009F) and bidi controls (U+061C, U+200E/F, U+202A-U+202E,
 * U+2066-U+2069) are each replaced by U+FFFD. s may hold NULs within len (each one replaced).
 * With multi_line, LF is kept (for message bodies); everything else still goes.
 * Each ill-formed sequence (its maximal subpart) becomes one U+FFFD. NULL s gives NULL. */
char *text_sanitize(const char *s, size_t len, bool multi_line);
/* Only repairs invalid UTF-8 (-> U+FFFD); keeps every valid code point. */
char *text_repair_utf8(const char *s, size_t len);
/* True when s is valid UTF-8 and free of everything text_sanitize would replace (NULL: true). */
bool text_is_safe(const char *s);
/* The same for len bytes that may hold NUL (text_sanitize replaces a NUL, so: false). */
bool text_is_safe_n(const char *s, size_t len);

/* U+200D ZERO WIDTH JOINER, which glues emoji into one (a family from its members). */
#define TEXT_ZWJ 0x200Du

/* Terminals disagree on a joined sequence such as 👨‍👩‍👧: some (tmux from 3.3 on) draw
 * one glyph in the columns of its first part, others (xterm) draw each part. With joins true (the
 * dashboard asks its terminal), a non-ASCII character after U+200D counts no columns; false (the
 * default, right for pipes and for what wcwidth says) counts every part. Process-wide: the widths
 * below follow it. */
void text_set_zwj_joins(bool joins);
bool text_zwj_joins(void);
/* Removes every U+200D from s in place, so that any terminal draws the parts of a joined
 * sequence side by side, in the columns wcwidth gives them. Returns the new length. */
size_t text_drop_zwj(char *s);

/* Display columns of a sanitised UTF-8 string (wcwidth; non-printables count 1; joined
 * sequences as text_set_zwj_joins says). Anything text_sanitize would replace counts 1, so the
 * width is the same before and after sanitising. */
int text_width(const char *s);
/* Byte length of the longest prefix of s that fits in max_cols columns. *cols gets its width. */
size_t text_prefix_fitting(const char *s, int max_cols, int *cols);
/* A new string of at most max_cols columns: s itself when it fits, else a prefix + "…".
 * Never splits a character (a wide character that would straddle the edge is left out). */
char *text_truncate(const char *s, int max_cols);
/* Writes s truncated/padded with spaces to exactly cols columns into buf (NUL-terminated).
 * Returns bytes written; buf_size must allow cols*4+4 bytes. */
size_t text_fit(char *buf, size_t buf_size, const char *s, int cols);
/* Where the character that ends at byte pos of UTF-8 s starts (0 when pos is 0): what a
 * backspace removes. */
size_t text_prev_char(const char *s, size_t pos);
/* Where the character after the one that starts at byte pos starts (pos at the NUL: pos). */
size_t text_next_char(const char *s, size_t pos);
/* Characters (code points) in UTF-8 s, NULL counting 0. */
size_t text_char_count(const char *s);

/* snprintf for text a person reads (an error, a status line): what does not fit in size bytes
 * is cut before a whole character and the cut marked with "…", so a shortened message says so.
 * Returns false when it was cut. Always NUL-terminated when size > 0. */
bool text_format(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "EAAG…x9Qz": first 4 and last 4 characters of a secret; secrets under 12 characters (and
 * NULL) become "…". The result is sanitised. */
char *text_mask_secret(const char *secret);

/* Makes JSON text inert for a terminal: rewrites C1 and bidi code points that json-c leaves as
 * raw UTF-8 into \uXXXX escapes, and invalid UTF-8 into \ufffd. Input must be JSON text. */
char *text_json_inert(const char *json);

/* Case-insensitive substring search in UTF-8 text, folding every letter libc's C.UTF-8 tables
 * know (Café finds CAFÉ), whatever the process's locale. */
bool text_contains_ci(const char *haystack, const char *needle);

/* s folded to lower case as text_contains_ci folds it, so that a plain strstr or strcmp over
 * folded text is case-insensitive in every script. Written at out unless out is NULL; returns
 * the bytes written (or that would be), without a terminator. NULL s: 0. */
size_t text_fold_case(const char *s, char *out);

/* How many trailing characters of a solution's id confirm = "typed" asks for. */
#define TEXT_CONFIRM_DIGITS 4

/* What confirm = "typed" asks for: the last TEXT_CONFIRM_DIGITS characters of the solution's id
 * (the whole id when shorter). A name's first word is shared by half a list ("Social ..."); the
 * id's tail tells same-named solutions apart. "yes" when the id is missing or its tail holds
 * anything but printable ASCII. Always NUL-terminated. */
void text_confirm_code(const char *id, char *out, size_t out_size);

#endif
