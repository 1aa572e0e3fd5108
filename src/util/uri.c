/*
 * Parsing database URIs into a rorm_config. All strings of one parse are decoded into a single
 * buffer owned by the rorm_uri: decoding never lengthens a component, so twice the URI length
 * (components plus their terminators) always suffices. Errors quote the URI with its password
 * masked.
 */
#include "util/uri.h"

#include <assert.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

/* ---- Masking ----------------------------------------------------------------------------- */

typedef struct bounded {
    char *buf;
    size_t size, len;
    bool truncated;
} bounded;

static void bput(bounded *b, char c)
{
    if (b->len + 1 < b->size) {
        unsigned char u = (unsigned char)c;
        b->buf[b->len++] = u < 0x20 || u == 0x7f ? '?' : c;
    } else {
        b->truncated = true;
    }
}

static void bputs(bounded *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !b->truncated; i++) {
        bput(b, s[i]);
    }
}

/* Terminate, and end with "..." when something was cut off. */
static void bfinish(bounded *b)
{
    b->buf[b->len] = '\0';
    if (b->truncated && b->size >= 4) {
        memcpy(b->buf + (b->len >= 3 ? b->len - 3 : 0), "...", 4);
    }
}

/*
 * The bytes [*from, *to) of @p uri that are masked as a password: from the first ':' after the
 * "://" (or the start) to the last '@'; both 0 when there is none. The userinfo ends at the
 * last '@' so that a password with an unencoded '/', '?' or '@' cannot leak into a message:
 * deliberately more generous than the parser.
 */
static void password_range(const char *uri, size_t len, size_t *from, size_t *to)
{
    const char *sep = strstr(uri, "://");
    size_t start = sep ? (size_t)(sep - uri) + 3 : 0;
    *from = *to = 0;
    for (size_t i = len; i > start; i--) {
        if (uri[i - 1] == '@') {
            const char *colon = memchr(uri + start, ':', i - 1 - start);
            if (colon != NULL) {
                *from = (size_t)(colon - uri) + 1;
                *to = i - 1;
            }
            return;
        }
    }
}

void rorm__uri_mask(char *buf, size_t size, const char *uri)
{
    if (buf == NULL || size == 0) {
        return;
    }
    bounded b = { buf, size, 0, false };
    if (uri == NULL) {
        bputs(&b, "(null)", 6);
        bfinish(&b);
        return;
    }
    size_t len = strlen(uri);
    size_t from, to, i = 0;
    password_range(uri, len, &from, &to);
    if (to > 0) {
        bputs(&b, uri, from);
        bputs(&b, "****", 4);
        i = to;
    }
    while (i < len && !b.truncated) {
        /* A password given as a query parameter is masked as well. */
        if ((uri[i] == '?' || uri[i] == '&') && strncmp(uri + i + 1, "password=", 9) == 0) {
            bputs(&b, uri + i, 10);
            bputs(&b, "****", 4);
            i += 10;
            while (i < len && uri[i] != '&') {
                i++;
            }
            continue;
        }
        bput(&b, uri[i++]);
    }
    bfinish(&b);
}

/* ---- Parsing ----------------------------------------------------------------------------- */

typedef struct parse_ctx {
    rorm_uri *u;
    const char *uri;
    rorm_error *err;
    char *w;           /* next free byte of u->buf */
    size_t params_cap; /* allocated entries of u->params */
    size_t mask_from;  /* the bytes of uri shown as "****" in messages */
    size_t mask_to;
} parse_ctx;

/* A piece of the URI quoted in a message: bounded, and with the password masked. */
typedef struct quoted {
    char text[48];
} quoted;

static quoted quote(const parse_ctx *c, const char *p, size_t n)
{
    quoted q;
    bounded b = { q.text, sizeof q.text, 0, false };
    size_t off = (size_t)(p - c->uri);
    bool masked = false;
    for (size_t i = 0; i < n && !b.truncated; i++) {
        if (off + i >= c->mask_from && off + i < c->mask_to) {
            if (!masked) {
                bputs(&b, "****", 4);
                masked = true;
            }
            continue;
        }
        bput(&b, p[i]);
    }
    bfinish(&b);
    return q;
}

static int bad(parse_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(parse_ctx *c, const char *fmt, ...)
{
    char masked[128];
    char reason[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    rorm__uri_mask(masked, sizeof masked, c->uri);
    return rorm__error(c->err, RORM_EPARSE, "invalid database URI '%s': %s", masked, reason);
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

/* Copy @p n bytes at @p p into the buffer, literally or percent-decoded; *out is the copy. */
static int store(parse_ctx *c, const char *p, size_t n, bool decode, const char *what, char **out)
{
    char *dst = c->w;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (decode && ch == '%') {
            int hi = i + 2 < n ? hexval(p[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(p[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                return bad(c, "bad percent-encoding in the %s", what);
            }
            ch = (char)(hi * 16 + lo);
            if (ch == '\0') {
                return bad(c, "%%00 in the %s", what);
            }
            i += 2;
        }
        dst[k++] = ch;
    }
    dst[k] = '\0';
    c->w = dst + k + 1;
    *out = dst;
    return RORM_OK;
}

/* A decimal number without sign or spaces, at most @p max. */
static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    if (*s == '\0') {
        return false;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10) {
            return false;
        }
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static bool equals_ci(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') {
            x = (char)(x - 'A' + 'a');
        }
        if (y >= 'A' && y <= 'Z') {
            y = (char)(y - 'A' + 'a');
        }
        if (x != y) {
            return false;
        }
    }
    return *a == *b;
}

/* Keep a recognised parameter without a config field; a repeated key keeps its last value. */
static void keep_param(parse_ctx *c, const char *key, const char *value)
{
    rorm_uri *u = c->u;
    for (size_t i = 0; i < u->nparams; i++) {
        if (strcmp(u->params[i].key, key) == 0) {
            u->params[i].value = value;
            return;
        }
    }
    /* params_cap counts every '&'-separated piece, so there is always room. */
    assert(u->nparams < c->params_cap);
    u->params[u->nparams].key = key;
    u->params[u->nparams].value = value;
    u->nparams++;
}

static bool valid_sslmode(const char *v)
{
    static const char *const modes[] = {
        "disable",  "allow",     "prefer",   "require",   "verify-ca",       "verify-full",
        "disabled", "preferred", "required", "verify_ca", "verify_identity",
    };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        if (equals_ci(v, modes[i])) {
            return true;
        }
    }
    return false;
}

/*
 * Apply parameter @p key = @p value (both decoded). Messages quote @p raw_key and @p raw_value,
 * the text as written.
 */
static int apply_param(parse_ctx *c,
                       const char *key,
                       const char *value,
                       const quoted *raw_key,
                       const quoted *raw_value)
{
    rorm_config *cfg = &c->u->config;
    bool sqlite = cfg->type == RORM_DB_SQLITE;
    unsigned long n;
    if (strcmp(key, "connection_limit") == 0) {
        if (!parse_uint(value, UINT_MAX, &n) || n == 0) {
            return bad(c, "connection_limit must be a positive integer, not '%s'", raw_value->text);
        }
        cfg->max_connections = (unsigned)n;
        return RORM_OK;
    }
    if (sqlite) {
        if (strcmp(key, "busy_timeout") == 0) {
            if (!parse_uint(value, UINT_MAX, &n)) {
                return bad(c, "busy_timeout must be a number of milliseconds, not '%s'",
                           raw_value->text);
            }
            cfg->busy_timeout_ms = (unsigned)n;
            return RORM_OK;
        }
        return bad(c, "unknown parameter '%s'", raw_key->text);
    }
    if (strcmp(key, "pool_timeout") == 0) {
        if (!parse_uint(value, UINT_MAX / 1000, &n)) {
            return bad(c, "pool_timeout must be a number of seconds, not '%s'", raw_value->text);
        }
        cfg->busy_timeout_ms = (unsigned)n * 1000u;
        return RORM_OK;
    }
    if (strcmp(key, "host") == 0 || strcmp(key, "socket") == 0) {
        if (*value == '\0') {
            return bad(c, "empty value for '%s'", raw_key->text);
        }
        cfg->host = value;
        return RORM_OK;
    }
    if (strcmp(key, "sslmode") == 0) {
        if (!valid_sslmode(value)) {
            return bad(c, "unknown sslmode '%s'", raw_value->text);
        }
    } else if (strcmp(key, "connect_timeout") == 0) {
        if (!parse_uint(value, UINT_MAX, &n)) {
            return bad(c, "connect_timeout must be a number of seconds, not '%s'", raw_value->text);
        }
    } else if (strcmp(key, "schema") == 0) {
        if (*value == '\0') {
            return bad(c, "empty value for '%s'", raw_key->text);
        }
    } else if (strcmp(key, "charset") == 0) {
        /* Handed to the client library as a name: letters, digits and '_' only. */
        size_t len = strlen(value);
        if (len == 0 ||
            strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
                len) {
            return bad(c, "charset must be a character set name (letters, digits, '_'), not '%s'",
                       raw_value->text);
        }
    } else {
        return bad(c, "unknown parameter '%s'", raw_key->text);
    }
    keep_param(c, key, value);
    return RORM_OK;
}

/* Parse the query string @p q (without '?') of @p n bytes. */
static int parse_query(parse_ctx *c, const char *q, size_t n)
{
    size_t pieces = 1;
    for (size_t i = 0; i < n; i++) {
        pieces += q[i] == '&';
    }
    if (c->u->config.type != RORM_DB_SQLITE) {
        c->u->params = rorm__calloc(pieces, sizeof *c->u->params);
        if (c->u->params == NULL) {
            return rorm__error_oom(c->err);
        }
        c->params_cap = pieces;
    }
    size_t i = 0;
    while (i < n) {
        const char *piece = q + i;
        const char *amp = memchr(piece, '&', n - i);
        size_t plen = amp ? (size_t)(amp - piece) : n - i;
        i += plen + 1;
        if (plen == 0) {
            continue; /* "?&a=1" or a trailing '&' */
        }
        const char *eq = memchr(piece, '=', plen);
        if (eq == NULL) {
            return bad(c, "parameter '%s' has no value", quote(c, piece, plen).text);
        }
        char *key, *value;
        size_t klen = (size_t)(eq - piece);
        int rc = store(c, piece, klen, true, "parameter name", &key);
        if (rc == RORM_OK) {
            rc = store(c, eq + 1, plen - klen - 1, true, "parameter value", &value);
        }
        if (rc == RORM_OK) {
            quoted raw_key = quote(c, piece, klen);
            quoted raw_value = quote(c, eq + 1, plen - klen - 1);
            rc = apply_param(c, key, value, &raw_key, &raw_value);
        }
        if (rc != RORM_OK) {
            return rc;
        }
    }
    return RORM_OK;
}

static int parse_sqlite(parse_ctx *c, const char *rest)
{
    const char *q = strchr(rest, '?');
    size_t plen = q ? (size_t)(q - rest) : strlen(rest);
    char *path;
    if (plen == 0) {
        return bad(c, "empty path (use sqlite://./file.db, sqlite:///abs/path.db or "
                      "sqlite://:memory:)");
    }
    int rc = store(c, rest, plen, false, "path", &path);
    if (rc != RORM_OK) {
        return rc;
    }
    c->u->config.path = path;
    return q ? parse_query(c, q + 1, strlen(q + 1)) : RORM_OK;
}

static bool host_char(unsigned char ch)
{
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) {
        return true;
    }
    return ch >= 0x80 || strchr("-._~%!$'()*+,;=", ch) != NULL;
}

static int parse_port(parse_ctx *c, const char *p, size_t n)
{
    char digits[8];
    unsigned long port;
    if (n == 0 || n >= sizeof digits) {
        return bad(c, "bad port '%s'", quote(c, p, n).text);
    }
    memcpy(digits, p, n);
    digits[n] = '\0';
    if (!parse_uint(digits, 65535, &port) || port == 0) {
        return bad(c, "bad port '%s'", quote(c, p, n).text);
    }
    c->u->config.port = (unsigned)port;
    return RORM_OK;
}

static int parse_host(parse_ctx *c, const char *p, size_t n)
{
    size_t hlen = n;
    const char *port = NULL;
    char *host;
    int rc;
    if (n > 0 && p[0] == '[') {
        const char *close = memchr(p, ']', n);
        if (close == NULL) {
            return bad(c, "unterminated IPv6 address");
        }
        size_t alen = (size_t)(close - p) - 1;
        bool colon = false;
        for (size_t i = 1; i <= alen; i++) {
            char ch = p[i];
            colon |= ch == ':';
            if (!(hexval(ch) >= 0 || ch == ':' || ch == '.')) {
                return bad(c, "invalid IPv6 address '%s'", quote(c, p + 1, alen).text);
            }
        }
        if (!colon) {
            return bad(c, "invalid IPv6 address '%s'", quote(c, p + 1, alen).text);
        }
        size_t after = (size_t)(close - p) + 1;
        if (after < n && p[after] != ':') {
            return bad(c, "unexpected '%s' after the IPv6 address", quote(c, p + after, 1).text);
        }
        if (after < n) {
            rc = parse_port(c, p + after + 1, n - after - 1);
            if (rc != RORM_OK) {
                return rc;
            }
        }
        rc = store(c, p + 1, alen, false, "host", &host);
        if (rc == RORM_OK) {
            c->u->config.host = host;
        }
        return rc;
    }
    const char *colon = memchr(p, ':', n);
    if (colon != NULL) {
        hlen = (size_t)(colon - p);
        port = colon + 1;
    }
    for (size_t i = 0; i < hlen; i++) {
        if (!host_char((unsigned char)p[i])) {
            return bad(c, "invalid character '%s' in the host", quote(c, p + i, 1).text);
        }
    }
    if (port != NULL) {
        rc = parse_port(c, port, n - hlen - 1);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    if (hlen == 0) {
        return RORM_OK;
    }
    rc = store(c, p, hlen, true, "host", &host);
    if (rc == RORM_OK) {
        c->u->config.host = host;
    }
    return rc;
}

static int parse_server(parse_ctx *c, const char *rest)
{
    char *s;
    int rc;
    if (strchr(rest, '#') != NULL) {
        return bad(c, "unexpected '#' (percent-encode it as %%23)");
    }
    size_t alen = strcspn(rest, "/?");
    const char *auth = rest;

    /* userinfo@host:port; the userinfo ends at the last '@' of the authority. */
    const char *at = NULL;
    for (size_t i = alen; i > 0; i--) {
        if (auth[i - 1] == '@') {
            at = auth + i - 1;
            break;
        }
    }
    if (at != NULL) {
        size_t ulen = (size_t)(at - auth);
        const char *colon = memchr(auth, ':', ulen);
        size_t namelen = colon ? (size_t)(colon - auth) : ulen;
        if (namelen > 0) {
            rc = store(c, auth, namelen, true, "user name", &s);
            if (rc != RORM_OK) {
                return rc;
            }
            c->u->config.user = s;
        }
        if (colon != NULL) {
            rc = store(c, colon + 1, ulen - namelen - 1, true, "password", &s);
            if (rc != RORM_OK) {
                return rc;
            }
            c->u->config.password = s;
        }
        rc = parse_host(c, at + 1, alen - ulen - 1);
    } else {
        rc = parse_host(c, auth, alen);
    }
    if (rc != RORM_OK) {
        return rc;
    }

    const char *p = rest + alen;
    if (*p == '/') {
        p++;
        size_t dlen = strcspn(p, "?");
        if (memchr(p, '/', dlen) != NULL) {
            return bad(c, "invalid database name '%s'", quote(c, p, dlen).text);
        }
        if (dlen > 0) {
            rc = store(c, p, dlen, true, "database name", &s);
            if (rc != RORM_OK) {
                return rc;
            }
            c->u->config.database = s;
        }
        p += dlen;
    }
    if (*p == '?') {
        rc = parse_query(c, p + 1, strlen(p + 1));
        if (rc != RORM_OK) {
            return rc;
        }
    }
    if (c->u->config.host == NULL) {
        return bad(c, "missing host (give one, or a host= or socket= parameter)");
    }
    return RORM_OK;
}

static const struct {
    const char *name;
    unsigned type;
} schemes[] = {
    { "sqlite", RORM_DB_SQLITE },     { "postgresql", RORM_DB_POSTGRES },
    { "postgres", RORM_DB_POSTGRES }, { "mysql", RORM_DB_MYSQL },
    { "mariadb", RORM_DB_MYSQL },
};

static int parse(parse_ctx *c)
{
    const char *uri = c->uri;
    size_t len = strlen(uri);
    if (len == 0) {
        return bad(c, "empty URI (expected e.g. sqlite://./app.db)");
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)uri[i];
        if (ch < 0x20 || ch == 0x7f) {
            return bad(c, "control character at offset %zu", i);
        }
    }

    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
    size_t slen = 0;
    while (slen < len) {
        char ch = uri[slen];
        bool alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
        bool other = (ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == '.';
        if (!alpha && !(slen > 0 && other)) {
            break;
        }
        slen++;
    }
    if (slen == 0 || uri[slen] != ':') {
        return bad(c, "missing scheme (expected e.g. sqlite://./app.db or postgresql://host/db)");
    }
    char scheme[16];
    unsigned type = RORM_DB_NONE;
    if (slen < sizeof scheme) {
        for (size_t i = 0; i <= slen; i++) {
            char ch = i < slen ? uri[i] : '\0';
            scheme[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
        }
        for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
            if (strcmp(scheme, schemes[i].name) == 0) {
                type = schemes[i].type;
                c->u->scheme = schemes[i].name;
            }
        }
    }
    if (type == RORM_DB_NONE) {
        char masked[128];
        rorm__uri_mask(masked, sizeof masked, uri);
        return rorm__error(c->err, RORM_EPARSE,
                           "unknown database scheme '%.*s' in '%s' (expected sqlite, postgresql, "
                           "postgres, mysql or mariadb)",
                           (int)(slen > 32 ? 32 : slen), uri, masked);
    }
    if (strncmp(uri + slen, "://", 3) != 0) {
        return bad(c, "expected '//' after '%s:'", c->u->scheme);
    }
    c->u->config.type = type;

    size_t size;
    if (!rorm__mul_ok(&size, len, 2) || !rorm__add_ok(&size, size, 16)) {
        return rorm__error_oom(c->err);
    }
    c->u->buf = rorm__malloc(size);
    if (c->u->buf == NULL) {
        return rorm__error_oom(c->err);
    }
    c->w = c->u->buf;
    const char *rest = uri + slen + 3;
    return type == RORM_DB_SQLITE ? parse_sqlite(c, rest) : parse_server(c, rest);
}

static void reset(rorm_uri *u)
{
    memset(u, 0, sizeof *u);
    u->config = (rorm_config)RORM_CONFIG_INIT;
}

int rorm__uri_parse(rorm_uri *out, const char *uri, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    reset(out);
    RORM_CHECK_ARG(uri != NULL, err);
    parse_ctx c = { out, uri, err, NULL, 0, 0, 0 };
    password_range(uri, strlen(uri), &c.mask_from, &c.mask_to);
    int rc = parse(&c);
    if (rc != RORM_OK) {
        rorm__uri_dispose(out);
    }
    return rc;
}

void rorm__uri_dispose(rorm_uri *u)
{
    if (u == NULL) {
        return;
    }
    rorm__free(u->buf);
    rorm__free(u->params);
    reset(u);
}

const char *rorm__uri_param(const rorm_uri *u, const char *key)
{
    if (u == NULL || key == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < u->nparams; i++) {
        if (strcmp(u->params[i].key, key) == 0) {
            return u->params[i].value;
        }
    }
    return NULL;
}
