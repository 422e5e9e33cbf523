/* HMAC-SHA256 in lowercase hex: appsecret_proof (of the access token) and the webhook
 * signature (of a delivery's raw body) are both this, keyed with the app secret. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#include "graph_internal.h"

void graph_hmac_sha256_hex(const char *key, const void *msg, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    out[0] = '\0';
    if (!key || (!msg && len))
        return;
    static const unsigned char empty;
    if (!HMAC(EVP_sha256(), key, (int)strlen(key), msg ? msg : &empty, len, md, &md_len) ||
        md_len != 32)
        return;
    static const char hex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < md_len; i++) {
        out[2 * (size_t)i] = hex[md[i] >> 4];
        out[2 * (size_t)i + 1] = hex[md[i] & 0xf];
    }
    out[64] = '\0';
    explicit_bzero(md, sizeof md);
}

void graph_appsecret_proof(const char *app_secret, const char *token, char out[65])
{
    out[0] = '\0';
    if (!app_secret || !token)
        return;
    graph_hmac_sha256_hex(app_secret, token, strlen(token), out);
}
