/* What every layer shares besides allocation (alloc.h): the element count of an array and the
 * text of an error. */
#ifndef MPSDASH_UTIL_H
#define MPSDASH_UTIL_H

/* Elements in array a (an array, not a pointer). */
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The text of an error a person reads (what failed, why, what to do), in the config, the
 * sandbox, the dashboard and the command line alike: one size, so a message handed up a layer
 * is not cut on the way. It holds a Graph error's message (512 bytes) with what was being done.
 * Functions take it as (char *err, size_t err_size); text_format marks a cut with "…". */
#define MPS_ERR_SIZE 1024
typedef char mps_errtext[MPS_ERR_SIZE];

#endif
