/* appsecret_proof: HMAC-SHA256 of the access token keyed with the app secret, in lowercase hex. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#include "graph_internal.h"

void graph_appsecret_proof(const char *app_secret, const char *token, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    out[0] = '\0';
    if (!app_secret || !token)
        return;
    if (!HMAC(EVP_sha256(), app_secret, (int)strlen(app_secret), (const unsigned char *)token,
              strlen(token), md, &md_len) ||
        md_len != 32)
        return;
    static const char hex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < md_len; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0xf];
    }
    out[64] = '\0';
    explicit_bzero(md, sizeof md);
}
