/* Allocation that cannot fail, for every layer: running out of memory in an interactive tool
 * (or its test server) is not recoverable, so these stop loudly (abort) instead of limping on. */
#ifndef MPSDASH_ALLOC_H
#define MPSDASH_ALLOC_H

#include <stddef.h>

/* A zero size asks for one byte, so the result is never NULL. */
void *mps_xmalloc(size_t n);
void *mps_xcalloc(size_t n, size_t size);
void *mps_xrealloc(void *p, size_t n);
/* n elements of size bytes; a product that overflows stops like running out of memory. */
void *mps_xreallocarray(void *p, size_t n, size_t size);
/* A copy of s; NULL s gives NULL. */
char *mps_xstrdup(const char *s);
/* A copy of at most n bytes of s, NUL-terminated; NULL s gives NULL. */
char *mps_xstrndup(const char *s, size_t n);
/* A new string, formatted as printf would. */
char *mps_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
