/*
 * JSON text for values: rendering a rorm_value as JSON (rorm_value_to_json) and parsing JSON
 * text into owned values (rorm__json_parse). Both follow RFC 8259; the writer never fails on
 * odd content (bad UTF-8 becomes U+FFFD, non-finite doubles become null), the parser is strict.
 */
#include "core/json.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/map.h"
#include "util/vec.h"

/*
 * Length of the UTF-8 sequence starting at @p p (@p n > 0 bytes available). When it is not
 * well-formed (overlong, surrogate, above U+10FFFF, truncated), *ok is false and the length is
 * that of the maximal invalid subpart, at least 1.
 */
static size_t utf8_sequence(const unsigned char *p, size_t n, bool *ok)
{
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t need;
    *ok = false;
    if (c < 0x80) {
        *ok = true;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c == 0xE0) {
        need = 2;
        lo = 0xA0;
    } else if (c >= 0xE1 && c <= 0xEF) {
        need = 2;
        if (c == 0xED) {
            hi = 0x9F;
        }
    } else if (c == 0xF0) {
        need = 3;
        lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
        need = 3;
    } else if (c == 0xF4) {
        need = 3;
        hi = 0x8F;
    } else {
        return 1;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= n) {
            return i;
        }
        unsigned char b = p[i];
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) {
            return i;
        }
    }
    *ok = true;
    return need + 1;
}

bool rorm__utf8_valid(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        bool ok;
        i += utf8_sequence(u + i, n - i, &ok);
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool rorm__value_utf8_valid(const rorm_value *v)
{
    switch (v->type) {
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
    case RORM_TYPE_JSON:
        return rorm__utf8_valid(v->u.s.ptr, v->u.s.len);
    case RORM_TYPE_ARRAY:
        for (size_t i = 0; i < v->u.arr.len; i++) {
            if (!rorm__value_utf8_valid(&v->u.arr.items[i])) {
                return false;
            }
        }
        return true;
    case RORM_TYPE_OBJECT:
        for (size_t i = 0; i < v->u.obj.len; i++) {
            const rorm_member *m = &v->u.obj.items[i];
            if (!rorm__utf8_valid(m->key, strlen(m->key)) || !rorm__value_utf8_valid(&m->value)) {
                return false;
            }
        }
        return true;
    default:
        return true;
    }
}

int rorm__json_param_check(const rorm_value *v, size_t index, rorm_error *err)
{
    if (!rorm__value_utf8_valid(v)) {
        return rorm__error(err, RORM_EINVAL,
                           "parameter %zu: text in a list or object is not valid UTF-8 (it is "
                           "sent as JSON, which cannot hold it)",
                           index);
    }
    return RORM_OK;
}

/* ---- Writer ------------------------------------------------------------------------------ */

static const char hex_digits[] = "0123456789abcdef";

int rorm__json_write_string(rorm_str *s, const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t i = 0;
    rorm__str_putc(s, '"');
    while (i < n) {
        size_t run = i;
        /* Copy plain ASCII in one go. */
        while (run < n && u[run] >= 0x20 && u[run] < 0x80 && u[run] != '"' && u[run] != '\\') {
            run++;
        }
        if (run > i) {
            rorm__str_put(s, p + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = u[i];
        if (c >= 0x80) {
            bool ok;
            size_t len = utf8_sequence(u + i, n - i, &ok);
            if (ok) {
                rorm__str_put(s, p + i, len);
            } else {
                rorm__str_puts(s, "\\ufffd");
            }
            i += len;
            continue;
        }
        switch (c) {
        case '"':
            rorm__str_puts(s, "\\\"");
            break;
        case '\\':
            rorm__str_puts(s, "\\\\");
            break;
        case '\b':
            rorm__str_puts(s, "\\b");
            break;
        case '\f':
            rorm__str_puts(s, "\\f");
            break;
        case '\n':
            rorm__str_puts(s, "\\n");
            break;
        case '\r':
            rorm__str_puts(s, "\\r");
            break;
        case '\t':
            rorm__str_puts(s, "\\t");
            break;
        default: {
            char esc[7] = { '\\', 'u', '0', '0', hex_digits[c >> 4], hex_digits[c & 15], 0 };
            rorm__str_put(s, esc, 6);
            break;
        }
        }
        i++;
    }
    return rorm__str_putc(s, '"');
}

static void write_double(rorm_str *s, double d)
{
    char buf[40];
    if (!isfinite(d)) {
        rorm__str_puts(s, "null");
        return;
    }
    /* The shortest of 15, 16 and 17 significant digits that reads back as the same double. */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (prec == 17 || strtod(buf, NULL) == d) {
            break;
        }
    }
    /* printf follows the C locale's decimal point; JSON always wants '.'. */
    char out[48];
    size_t n = 0;
    for (const char *p = buf; *p && n < sizeof out - 1; p++) {
        char c = *p;
        if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e') {
            out[n++] = c;
        } else if (n == 0 || out[n - 1] != '.') {
            out[n++] = '.';
        }
    }
    rorm__str_put(s, out, n);
}

static void write_base64(rorm_str *s, const uint8_t *p, size_t n)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char quad[4];
    rorm__str_putc(s, '"');
    for (size_t i = 0; i < n; i += 3) {
        uint32_t b = (uint32_t)p[i] << 16;
        if (i + 1 < n) {
            b |= (uint32_t)p[i + 1] << 8;
        }
        if (i + 2 < n) {
            b |= p[i + 2];
        }
        quad[0] = alphabet[(b >> 18) & 63];
        quad[1] = alphabet[(b >> 12) & 63];
        quad[2] = i + 1 < n ? alphabet[(b >> 6) & 63] : '=';
        quad[3] = i + 2 < n ? alphabet[b & 63] : '=';
        rorm__str_put(s, quad, 4);
    }
    rorm__str_putc(s, '"');
}

static int write_value(rorm_str *s, const rorm_value *v, int depth)
{
    char buf[48];
    int rc;
    switch (v->type) {
    case RORM_TYPE_NULL:
        rorm__str_puts(s, "null");
        break;
    case RORM_TYPE_BOOL:
        rorm__str_puts(s, v->u.b ? "true" : "false");
        break;
    case RORM_TYPE_INT:
        rorm__str_put_int(s, v->u.i);
        break;
    case RORM_TYPE_DOUBLE:
        write_double(s, v->u.d);
        break;
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
        if (v->u.s.ptr == NULL) {
            rorm__str_puts(s, "\"\"");
        } else {
            rorm__json_write_string(s, v->u.s.ptr, v->u.s.len);
        }
        break;
    case RORM_TYPE_JSON:
        if (v->u.s.ptr == NULL || v->u.s.len == 0) {
            rorm__str_puts(s, "null");
        } else {
            rorm__str_put(s, v->u.s.ptr, v->u.s.len);
        }
        break;
    case RORM_TYPE_DATETIME: {
        size_t n = rorm_datetime_format(buf, sizeof buf, v->u.ms);
        rorm__str_putc(s, '"');
        rorm__str_put(s, buf, n);
        rorm__str_putc(s, '"');
        break;
    }
    case RORM_TYPE_BYTES:
        write_base64(s, v->u.bytes.ptr, v->u.bytes.ptr ? v->u.bytes.len : 0);
        break;
    case RORM_TYPE_ARRAY:
        if (depth >= RORM_JSON_MAX_DEPTH) {
            return RORM_EINVAL;
        }
        rorm__str_putc(s, '[');
        for (size_t i = 0; i < v->u.arr.len; i++) {
            if (i > 0) {
                rorm__str_putc(s, ',');
            }
            rc = write_value(s, &v->u.arr.items[i], depth + 1);
            if (rc != RORM_OK) {
                return rc;
            }
        }
        rorm__str_putc(s, ']');
        break;
    case RORM_TYPE_OBJECT:
        if (depth >= RORM_JSON_MAX_DEPTH) {
            return RORM_EINVAL;
        }
        rorm__str_putc(s, '{');
        for (size_t i = 0; i < v->u.obj.len; i++) {
            const rorm_member *m = &v->u.obj.items[i];
            const char *key = m->key ? m->key : "";
            if (i > 0) {
                rorm__str_putc(s, ',');
            }
            rorm__json_write_string(s, key, strlen(key));
            rorm__str_putc(s, ':');
            rc = write_value(s, &m->value, depth + 1);
            if (rc != RORM_OK) {
                return rc;
            }
        }
        rorm__str_putc(s, '}');
        break;
    default:
        return RORM_EINVAL;
    }
    return rorm__str_oom(s) ? RORM_ENOMEM : RORM_OK;
}

int rorm__json_write(rorm_str *s, const rorm_value *v)
{
    if (s == NULL || v == NULL) {
        return RORM_EINVAL;
    }
    return write_value(s, v, 0);
}

int rorm_value_to_json(char **out, size_t *len_out, const rorm_value *v)
{
    if (len_out != NULL) {
        *len_out = 0;
    }
    if (out == NULL) {
        return RORM_EINVAL;
    }
    *out = NULL;
    if (v == NULL) {
        return RORM_EINVAL;
    }
    rorm_str s = RORM_STR_INIT;
    int rc = write_value(&s, v, 0);
    if (rc != RORM_OK) {
        rorm__str_dispose(&s);
        return rc;
    }
    size_t len = s.len;
    char *text = rorm__str_detach(&s);
    if (text == NULL) {
        return RORM_ENOMEM;
    }
    *out = text;
    if (len_out != NULL) {
        *len_out = len;
    }
    return RORM_OK;
}

/* ---- Parser ------------------------------------------------------------------------------ */

typedef struct parser {
    const char *text;
    size_t len;
    size_t pos;
    rorm_error *err;
} parser;

static int fail_at(parser *p, size_t at, const char *what)
{
    return rorm__error(p->err, RORM_EPARSE, "invalid JSON at offset %zu: %s", at, what);
}

/* Report the character at the current position as unexpected. */
static int unexpected(parser *p)
{
    if (p->pos >= p->len) {
        return fail_at(p, p->pos, "unexpected end of input");
    }
    unsigned char c = (unsigned char)p->text[p->pos];
    if (c > 0x20 && c < 0x7f) {
        return rorm__error(p->err, RORM_EPARSE,
                           "invalid JSON at offset %zu: unexpected character '%c'", p->pos, c);
    }
    return rorm__error(p->err, RORM_EPARSE, "invalid JSON at offset %zu: unexpected byte 0x%02x",
                       p->pos, c);
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        char c = p->text[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            break;
        }
        p->pos++;
    }
}

static int peek(const parser *p)
{
    return p->pos < p->len ? (unsigned char)p->text[p->pos] : -1;
}

static int oom(parser *p)
{
    return rorm__error_oom(p->err);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Read the four hex digits of a \u escape at @p at; -1 when malformed. */
static long read_hex4(const parser *p, size_t at)
{
    long v = 0;
    if (p->len - at < 4 || at > p->len) {
        return -1;
    }
    for (size_t i = 0; i < 4; i++) {
        int h = hex_value(p->text[at + i]);
        if (h < 0) {
            return -1;
        }
        v = v * 16 + h;
    }
    return v;
}

static size_t put_utf8(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * Parse the string literal at the current position ('"') into a freshly allocated,
 * NUL-terminated buffer. Decoding never makes a string longer than its source, so the buffer
 * is sized from the source.
 */
static int parse_string(parser *p, char **out, size_t *len_out)
{
    const unsigned char *u = (const unsigned char *)p->text;
    size_t start = p->pos + 1;
    size_t i = start;
    bool escapes = false;
    *out = NULL;
    for (;;) {
        if (i >= p->len) {
            return fail_at(p, p->pos, "unterminated string");
        }
        unsigned char c = u[i];
        if (c == '"') {
            break;
        }
        if (c == '\\') {
            escapes = true;
            i += 2;
            continue;
        }
        if (c < 0x20) {
            return fail_at(p, i, "control character in string");
        }
        if (c >= 0x80) {
            bool ok;
            size_t n = utf8_sequence(u + i, p->len - i, &ok);
            if (!ok) {
                return fail_at(p, i, "invalid UTF-8 in string");
            }
            i += n;
            continue;
        }
        i++;
    }
    size_t raw = i - start;
    char *buf = rorm__malloc(raw + 1);
    if (buf == NULL) {
        return oom(p);
    }
    size_t n = 0;
    if (!escapes) {
        memcpy(buf, p->text + start, raw);
        n = raw;
    } else {
        size_t j = start;
        while (j < i) {
            char c = p->text[j];
            if (c != '\\') {
                buf[n++] = c;
                j++;
                continue;
            }
            char e = p->text[j + 1];
            const char *simple = "\"\\/bfnrt";
            const char *mapped = "\"\\/\b\f\n\r\t";
            const char *hit = strchr(simple, e);
            if (e != '\0' && hit != NULL) {
                buf[n++] = mapped[hit - simple];
                j += 2;
                continue;
            }
            if (e != 'u') {
                rorm__free(buf);
                return fail_at(p, j, "invalid escape in string");
            }
            long cp = read_hex4(p, j + 2);
            if (cp < 0 || j + 6 > i) {
                rorm__free(buf);
                return fail_at(p, j, "invalid \\u escape in string");
            }
            j += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = -1;
                if (j + 6 <= i && p->text[j] == '\\' && p->text[j + 1] == 'u') {
                    lo = read_hex4(p, j + 2);
                }
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    j += 6;
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            n += put_utf8(buf + n, (unsigned long)cp);
        }
    }
    buf[n] = '\0';
    p->pos = i + 1;
    *out = buf;
    *len_out = n;
    return RORM_OK;
}

/* Convert the number text [start, end) that has a fraction or exponent with strtod. */
static int number_to_double(parser *p, size_t start, size_t end, double *out)
{
    /* strtod follows the C locale's decimal point, so put that one in place of '.'. */
    const char *dp = localeconv()->decimal_point;
    size_t dplen = dp && *dp ? strlen(dp) : 1;
    size_t n = end - start;
    size_t size;
    char small[128];
    char *buf = small;
    if (!rorm__add_ok(&size, n, dplen + 1)) {
        return oom(p);
    }
    if (size > sizeof small) {
        buf = rorm__malloc(size);
        if (buf == NULL) {
            return oom(p);
        }
    }
    size_t k = 0;
    for (size_t i = start; i < end; i++) {
        if (p->text[i] == '.' && dp && *dp) {
            memcpy(buf + k, dp, dplen);
            k += dplen;
        } else {
            buf[k++] = p->text[i];
        }
    }
    buf[k] = '\0';
    errno = 0;
    double d = strtod(buf, NULL);
    int saved = errno;
    if (buf != small) {
        rorm__free(buf);
    }
    if (saved == ERANGE && isinf(d)) {
        return fail_at(p, start, "number out of range");
    }
    *out = d;
    return RORM_OK;
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int parse_number(parser *p, rorm_value *out)
{
    size_t start = p->pos;
    bool negative = false, integral = true;
    if (peek(p) == '-') {
        negative = true;
        p->pos++;
    }
    if (peek(p) == '0') {
        p->pos++;
    } else if (is_digit(peek(p))) {
        while (is_digit(peek(p))) {
            p->pos++;
        }
    } else {
        return p->pos >= p->len ? unexpected(p) : fail_at(p, start, "invalid number");
    }
    size_t int_end = p->pos;
    if (peek(p) == '.') {
        integral = false;
        p->pos++;
        if (!is_digit(peek(p))) {
            return fail_at(p, start, "invalid number");
        }
        while (is_digit(peek(p))) {
            p->pos++;
        }
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        integral = false;
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-') {
            p->pos++;
        }
        if (!is_digit(peek(p))) {
            return fail_at(p, start, "invalid number");
        }
        while (is_digit(peek(p))) {
            p->pos++;
        }
    }
    if (!integral) {
        double d = 0;
        int rc = number_to_double(p, start, p->pos, &d);
        if (rc == RORM_OK) {
            *out = (rorm_value){ .type = RORM_TYPE_DOUBLE, .u.d = d };
        }
        return rc;
    }
    /* Accumulate the magnitude; beyond int64 the exact digits are kept as a decimal. */
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t mag = 0;
    bool fits = true;
    for (size_t i = start + (negative ? 1 : 0); i < int_end; i++) {
        unsigned digit = (unsigned)(p->text[i] - '0');
        if (mag > (limit - digit) / 10) {
            fits = false;
            break;
        }
        mag = mag * 10 + digit;
    }
    if (!fits) {
        if (rorm_value_set_decimal(out, p->text + start, p->pos - start) != RORM_OK) {
            return oom(p);
        }
        return RORM_OK;
    }
    if (negative && mag == 0) {
        /* "-0" is negative zero, as JavaScript reads it; an int64 cannot hold the sign. */
        *out = (rorm_value){ .type = RORM_TYPE_DOUBLE, .u.d = -0.0 };
        return RORM_OK;
    }
    int64_t i64;
    if (negative) {
        i64 = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
    } else {
        i64 = (int64_t)mag;
    }
    *out = (rorm_value){ .type = RORM_TYPE_INT, .u.i = i64 };
    return RORM_OK;
}

static int parse_literal(parser *p, rorm_value *out)
{
    static const struct {
        const char *word;
        rorm_value value;
    } literals[] = {
        { "true", { .type = RORM_TYPE_BOOL, .u.b = true } },
        { "false", { .type = RORM_TYPE_BOOL, .u.b = false } },
        { "null", { .type = RORM_TYPE_NULL } },
    };
    for (size_t k = 0; k < sizeof literals / sizeof literals[0]; k++) {
        const char *w = literals[k].word;
        if (w[0] != p->text[p->pos]) {
            continue;
        }
        size_t n = strlen(w);
        for (size_t i = 0; i < n; i++) {
            if (p->pos + i >= p->len || p->text[p->pos + i] != w[i]) {
                p->pos += i;
                return unexpected(p);
            }
        }
        p->pos += n;
        *out = literals[k].value;
        return RORM_OK;
    }
    return unexpected(p);
}

static int parse_value(parser *p, rorm_value *out, int depth);

static int parse_array(parser *p, rorm_value *out, int depth)
{
    int rc;
    rorm_value_init_array(out);
    p->pos++; /* '[' */
    skip_ws(p);
    if (peek(p) == ']') {
        p->pos++;
        return RORM_OK;
    }
    for (;;) {
        rorm_value item;
        rc = parse_value(p, &item, depth);
        if (rc != RORM_OK) {
            break;
        }
        rc = rorm_value_array_push_take(out, &item);
        if (rc != RORM_OK) {
            rc = oom(p);
            break;
        }
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
            continue;
        }
        if (peek(p) == ']') {
            p->pos++;
            return RORM_OK;
        }
        rc = p->pos >= p->len ? unexpected(p) : fail_at(p, p->pos, "expected ',' or ']'");
        break;
    }
    rorm_value_dispose(out);
    return rc;
}

/*
 * Finding repeated keys: a linear scan for small objects, an open-addressing table of member
 * indexes once an object grows past a few members (a JSON object may have thousands).
 */
#define KEY_INDEX_MIN 16

typedef struct key_index {
    uint32_t *slots; /* member index + 1; 0 is empty */
    size_t nslots;   /* power of two */
} key_index;

static uint64_t key_hash(const char *key)
{
    return rorm__hash(key, strlen(key));
}

static int key_index_rebuild(key_index *ix, const rorm_value *obj, size_t nslots)
{
    if (nslots > UINT32_MAX) {
        return RORM_ENOMEM;
    }
    uint32_t *slots = rorm__calloc(nslots, sizeof *slots);
    if (slots == NULL) {
        return RORM_ENOMEM;
    }
    for (size_t k = 0; k < obj->u.obj.len; k++) {
        size_t i = (size_t)key_hash(obj->u.obj.items[k].key) & (nslots - 1);
        while (slots[i] != 0) {
            i = (i + 1) & (nslots - 1);
        }
        slots[i] = (uint32_t)(k + 1);
    }
    rorm__free(ix->slots);
    ix->slots = slots;
    ix->nslots = nslots;
    return RORM_OK;
}

/* Return the member named @p key, or NULL and (with an index) the free slot in *slot_out. */
static rorm_member *
key_lookup(const key_index *ix, const rorm_value *obj, const char *key, size_t *slot_out)
{
    if (ix->slots == NULL) {
        for (size_t k = 0; k < obj->u.obj.len; k++) {
            if (strcmp(obj->u.obj.items[k].key, key) == 0) {
                return &obj->u.obj.items[k];
            }
        }
        return NULL;
    }
    size_t i = (size_t)key_hash(key) & (ix->nslots - 1);
    while (ix->slots[i] != 0) {
        rorm_member *m = &obj->u.obj.items[ix->slots[i] - 1];
        if (strcmp(m->key, key) == 0) {
            return m;
        }
        i = (i + 1) & (ix->nslots - 1);
    }
    *slot_out = i;
    return NULL;
}

/* Add member @p key (taken) = @p val (taken) to @p obj; both are freed on failure. */
static int add_member(key_index *ix, rorm_value *obj, char *key, rorm_value *val)
{
    size_t slot = 0;
    int rc = RORM_OK;
    if (ix->slots == NULL && obj->u.obj.len >= KEY_INDEX_MIN) {
        rc = key_index_rebuild(ix, obj, 64);
    } else if (ix->slots != NULL && (obj->u.obj.len + 1) * 2 > ix->nslots) {
        rc = key_index_rebuild(ix, obj, ix->nslots * 2);
    }
    if (rc != RORM_OK) {
        goto fail;
    }
    rorm_member *m = key_lookup(ix, obj, key, &slot);
    if (m != NULL) {
        rorm_value_dispose(&m->value);
        m->value = *val;
        rorm__free(key);
        return RORM_OK;
    }
    void *items = obj->u.obj.items;
    rc = rorm__vec_grow(&items, &obj->u.obj.cap, obj->u.obj.len, 1, sizeof(rorm_member));
    obj->u.obj.items = items;
    if (rc != RORM_OK) {
        goto fail;
    }
    m = &obj->u.obj.items[obj->u.obj.len++];
    m->key = key;
    m->value = *val;
    if (ix->slots != NULL) {
        ix->slots[slot] = (uint32_t)obj->u.obj.len;
    }
    return RORM_OK;
fail:
    rorm__free(key);
    rorm_value_dispose(val);
    return RORM_ENOMEM;
}

static int parse_object(parser *p, rorm_value *out, int depth)
{
    int rc;
    key_index ix = { NULL, 0 };
    rorm_value_init_object(out);
    p->pos++; /* '{' */
    skip_ws(p);
    if (peek(p) == '}') {
        p->pos++;
        return RORM_OK;
    }
    for (;;) {
        char *key;
        size_t keylen;
        rorm_value val;
        skip_ws(p);
        if (peek(p) != '"') {
            rc = p->pos >= p->len ? unexpected(p) : fail_at(p, p->pos, "expected a string key");
            break;
        }
        size_t key_at = p->pos;
        rc = parse_string(p, &key, &keylen);
        if (rc != RORM_OK) {
            break;
        }
        if (strlen(key) != keylen) {
            rorm__free(key);
            rc = fail_at(p, key_at, "object key contains \\u0000");
            break;
        }
        skip_ws(p);
        if (peek(p) != ':') {
            rorm__free(key);
            rc = p->pos >= p->len ? unexpected(p) : fail_at(p, p->pos, "expected ':'");
            break;
        }
        p->pos++;
        rc = parse_value(p, &val, depth);
        if (rc != RORM_OK) {
            rorm__free(key);
            break;
        }
        rc = add_member(&ix, out, key, &val);
        if (rc != RORM_OK) {
            rc = oom(p);
            break;
        }
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
            continue;
        }
        if (peek(p) == '}') {
            p->pos++;
            rorm__free(ix.slots);
            return RORM_OK;
        }
        rc = p->pos >= p->len ? unexpected(p) : fail_at(p, p->pos, "expected ',' or '}'");
        break;
    }
    rorm__free(ix.slots);
    rorm_value_dispose(out);
    return rc;
}

static int parse_value(parser *p, rorm_value *out, int depth)
{
    rorm_value_init(out);
    skip_ws(p);
    switch (peek(p)) {
    case '{':
    case '[':
        if (depth >= RORM_JSON_MAX_DEPTH) {
            return rorm__error(p->err, RORM_EPARSE,
                               "invalid JSON at offset %zu: nesting deeper than %d levels", p->pos,
                               RORM_JSON_MAX_DEPTH);
        }
        return peek(p) == '{' ? parse_object(p, out, depth + 1) : parse_array(p, out, depth + 1);
    case '"': {
        char *s;
        size_t n;
        int rc = parse_string(p, &s, &n);
        if (rc == RORM_OK) {
            out->type = RORM_TYPE_TEXT;
            out->u.s.ptr = s;
            out->u.s.len = n;
        }
        return rc;
    }
    case 't':
    case 'f':
    case 'n':
        return parse_literal(p, out);
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        return parse_number(p, out);
    default:
        return unexpected(p);
    }
}

int rorm__json_parse(rorm_value *out, const char *text, size_t len, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    rorm_value_init(out);
    RORM_CHECK_ARG(text != NULL || len == 0, err);
    parser p = { text ? text : "", len, 0, err };
    int rc = parse_value(&p, out, 0);
    if (rc != RORM_OK) {
        rorm_value_init(out);
        return rc;
    }
    skip_ws(&p);
    if (p.pos != p.len) {
        rorm_value_dispose(out);
        return fail_at(&p, p.pos, "unexpected data after the value");
    }
    return RORM_OK;
}
