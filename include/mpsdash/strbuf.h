/* The one growable byte buffer, for every layer: answers read off the network, request bodies,
 * JSON and text built piece by piece. */
#ifndef MPSDASH_STRBUF_H
#define MPSDASH_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

/* Zero-initialised is empty (data NULL); after any add, data is NUL-terminated at len. It grows
 * by doubling and never fails (alloc.h). The owner frees it with strbuf_free or takes data. */
typedef struct strbuf {
    char *data;
    size_t len;
    size_t cap;
} strbuf;

/* Appends n bytes (which may hold NUL). */
void strbuf_add(strbuf *b, const void *data, size_t n);
void strbuf_adds(strbuf *b, const char *s);
void strbuf_addf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text, NUL-terminated ("" when nothing was added); the caller frees it, b is left empty. */
char *strbuf_take(strbuf *b);
/* Frees the bytes; with secret, wipes them first (a token, a body that carried one). */
void strbuf_free(strbuf *b, bool secret);

#endif
