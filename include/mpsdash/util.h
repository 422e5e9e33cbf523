/* What every layer shares besides allocation (alloc.h): the element count of an array. */
#ifndef MPSDASH_UTIL_H
#define MPSDASH_UTIL_H

/* Elements in array a (an array, not a pointer). */
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

#endif
