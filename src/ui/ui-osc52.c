/* Copying to the clipboard with OSC 52, which works through ssh and (configured) tmux. */
#include "ui-term.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mpsdash/alloc.h"

char *ui_base64(const unsigned char *data, size_t len)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t out_len = 4 * ((len + 2) / 3);
    char *out = mps_xmalloc(out_len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)data[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)data[i + 1] << 8;
        if (i + 2 < len)
            v |= data[i + 2];
        out[o++] = tbl[(v >> 18) & 63];
        out[o++] = tbl[(v >> 12) & 63];
        out[o++] = i + 1 < len ? tbl[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? tbl[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

char *ui_osc52_sequence(const char *text, bool tmux_passthrough)
{
    char *b64 = ui_base64((const unsigned char *)text, strlen(text));
    /* tmux passes a DCS "tmux;" payload through with every ESC doubled. */
    const char *pre = tmux_passthrough ? "\033Ptmux;\033\033]52;c;" : "\033]52;c;";
    const char *post = tmux_passthrough ? "\a\033\\" : "\a";
    size_t n = strlen(pre) + strlen(b64) + strlen(post) + 1;
    char *seq = mps_xmalloc(n);
    snprintf(seq, n, "%s%s%s", pre, b64, post);
    explicit_bzero(b64, strlen(b64)); /* the text may be a business token */
    free(b64);
    return seq;
}

bool ui_write_all(int fd, const char *s)
{
    size_t len = strlen(s);
    while (len > 0) {
        ssize_t w = write(fd, s, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        s += w;
        len -= (size_t)w;
    }
    return true;
}

bool ui_osc52_copy(int fd, const char *text, bool in_tmux)
{
    /* tmux 3.3 takes the plain sequence when set-clipboard is on, and the wrapped one when
     * allow-passthrough is on (both off by default); sending both covers either setting. */
    char *plain = ui_osc52_sequence(text, false);
    bool ok = ui_write_all(fd, plain);
    explicit_bzero(plain, strlen(plain));
    free(plain);
    if (in_tmux) {
        char *wrapped = ui_osc52_sequence(text, true);
        ok = ui_write_all(fd, wrapped) && ok;
        explicit_bzero(wrapped, strlen(wrapped));
        free(wrapped);
    }
    return ok;
}
