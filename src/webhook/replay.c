/* Remembers the deliveries taken (a SHA-256 of each line) so that a replay, or Meta sending the
 * same delivery again, is answered without being written twice. Two generations of an
 * open-addressing set: when the current one is full the older is dropped, so memory stays fixed
 * and at least `per_generation` recent deliveries are always remembered. */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "mpsdash/alloc.h"
#include "wh.h"

#define KEY_BYTES 16 /* half a SHA-256: collisions stay out of reach at these counts */

typedef struct generation {
    unsigned char *slots; /* cap * KEY_BYTES; all zero = empty */
    size_t cap, count;
} generation;

struct wh_replay {
    generation gen[2]; /* [0] current, [1] older */
    size_t per_generation;
};

static void key_of(const void *data, size_t len, unsigned char key[KEY_BYTES])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL))
        abort();
    memcpy(key, md, KEY_BYTES);
    key[0] |= 1; /* never all zero: that marks an empty slot */
}

static size_t slot_of(const generation *g, const unsigned char key[KEY_BYTES])
{
    size_t h;
    memcpy(&h, key + 1, sizeof h);
    return h & (g->cap - 1);
}

static bool gen_has(const generation *g, const unsigned char key[KEY_BYTES])
{
    static const unsigned char empty[KEY_BYTES];
    for (size_t i = slot_of(g, key);; i = (i + 1) & (g->cap - 1)) {
        const unsigned char *s = g->slots + i * KEY_BYTES;
        if (memcmp(s, empty, KEY_BYTES) == 0)
            return false;
        if (memcmp(s, key, KEY_BYTES) == 0)
            return true;
    }
}

static void gen_put(generation *g, const unsigned char key[KEY_BYTES])
{
    static const unsigned char empty[KEY_BYTES];
    for (size_t i = slot_of(g, key);; i = (i + 1) & (g->cap - 1)) {
        unsigned char *s = g->slots + i * KEY_BYTES;
        if (memcmp(s, key, KEY_BYTES) == 0)
            return;
        if (memcmp(s, empty, KEY_BYTES) == 0) {
            memcpy(s, key, KEY_BYTES);
            g->count++;
            return;
        }
    }
}

wh_replay *wh_replay_new(size_t per_generation)
{
    wh_replay *r = mps_xcalloc(1, sizeof *r);
    r->per_generation = per_generation ? per_generation : 1;
    size_t cap = 16;
    while (cap < r->per_generation * 2) /* at most half full: probes stay short */
        cap *= 2;
    for (int i = 0; i < 2; i++) {
        r->gen[i].cap = cap;
        r->gen[i].slots = mps_xcalloc(cap, KEY_BYTES);
    }
    return r;
}

void wh_replay_free(wh_replay *r)
{
    if (!r)
        return;
    free(r->gen[0].slots);
    free(r->gen[1].slots);
    free(r);
}

bool wh_replay_seen(const wh_replay *r, const void *data, size_t len)
{
    unsigned char key[KEY_BYTES];
    key_of(data, len, key);
    return gen_has(&r->gen[0], key) || gen_has(&r->gen[1], key);
}

void wh_replay_add(wh_replay *r, const void *data, size_t len)
{
    unsigned char key[KEY_BYTES];
    key_of(data, len, key);
    if (gen_has(&r->gen[0], key) || gen_has(&r->gen[1], key))
        return;
    if (r->gen[0].count >= r->per_generation) {
        generation old = r->gen[1];
        r->gen[1] = r->gen[0];
        memset(old.slots, 0, old.cap * KEY_BYTES);
        old.count = 0;
        r->gen[0] = old;
    }
    gen_put(&r->gen[0], key);
}
