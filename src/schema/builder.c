/*
 * The native C schema API: adding enums and models, either step by step (rorm_schema_new_model
 * and the rorm_model_* calls) or from a rorm_model_def table, which is built with those same
 * calls. Each call either succeeds completely or leaves the schema as it was. Names are kept as
 * written here; validate.c resolves them into pointers and fills in generated constraint names.
 */
#include "schema/schema.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

#define KNOWN_FLAGS                                                                     \
    (RORM_PRIMARY_KEY | RORM_AUTOINCREMENT | RORM_UNIQUE | RORM_NULLABLE | RORM_INDEX | \
     RORM_LIST | RORM_UPDATED_AT | RORM_IGNORED)

static int check_mutable(const rorm_schema *s, rorm_error *err)
{
    if (s->frozen) {
        return rorm__error(err, RORM_ESTATE,
                           "schema is frozen: it was validated or registered and cannot change");
    }
    return RORM_OK;
}

/*
 * Length of the well-formed UTF-8 sequence for one non-ASCII code point at @p s, or 0 when the
 * bytes are not one (stray continuation bytes, overlong forms, surrogates, beyond U+10FFFF).
 */
static size_t utf8_char_len(const unsigned char *s)
{
    size_t n;
    unsigned cp;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2;
        cp = s[0] & 0x1Fu;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
        cp = s[0] & 0x0Fu;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return n;
}

/*
 * A name for a model, enum, field or relation: a letter or '_' first, then letters, digits and
 * '_'. As in Prisma, letters include non-ASCII ones (`model Café`): any well-formed UTF-8
 * sequence for a code point above U+007F counts as a letter.
 */
static bool is_identifier(const char *name)
{
    const unsigned char *s = (const unsigned char *)name;
    if (s == NULL || *s == '\0' || (*s >= '0' && *s <= '9')) {
        return false;
    }
    while (*s) {
        unsigned char c = *s;
        if (c >= 0x80) {
            size_t n = utf8_char_len(s);
            if (n == 0) {
                return false;
            }
            s += n;
            continue;
        }
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_')) {
            return false;
        }
        s++;
    }
    return true;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void free_names(char **names, size_t n)
{
    if (names) {
        for (size_t i = 0; i < n; i++) {
            rorm__free(names[i]);
        }
        rorm__free(names);
    }
}

/*
 * Split the comma-separated @p list ("title, authorId") into trimmed copies. Empty items are an
 * error; @p what names the list in the message.
 */
static int
split_list(char ***out, size_t *n_out, const char *list, const char *what, rorm_error *err)
{
    size_t n = 1;
    *out = NULL;
    *n_out = 0;
    for (const char *p = list; *p; p++) {
        n += *p == ',';
    }
    char **names = rorm__calloc(n, sizeof *names);
    if (names == NULL) {
        return rorm__error_oom(err);
    }
    const char *p = list;
    for (size_t i = 0; i < n; i++) {
        const char *end = strchr(p, ',');
        if (end == NULL) {
            end = p + strlen(p);
        }
        const char *a = p, *b = end;
        while (a < b && is_space(*a)) {
            a++;
        }
        while (b > a && is_space(b[-1])) {
            b--;
        }
        if (a == b) {
            free_names(names, n);
            return rorm__error(err, RORM_EINVAL, "empty field name in %s '%s'", what, list);
        }
        names[i] = rorm__strndup(a, (size_t)(b - a));
        if (names[i] == NULL) {
            free_names(names, n);
            return rorm__error_oom(err);
        }
        p = *end ? end + 1 : end;
    }
    *out = names;
    *n_out = n;
    return RORM_OK;
}

/* ---- Default literals -------------------------------------------------------------------------
 */

static bool parse_int64(int64_t *out, const char *s, size_t len)
{
    size_t i = 0;
    bool neg = false;
    uint64_t v = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    }
    if (i == len) {
        return false;
    }
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (limit - d) / 10) {
            return false;
        }
        v = v * 10 + d;
    }
    *out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return true;
}

/* Exact decimal digits: [+-] digits [. digits], at least one digit. */
static bool is_decimal(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        i++;
    }
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        digits++;
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            digits++;
        }
    }
    return i == len && digits > 0;
}

/* Returns RORM_OK, RORM_ENOMEM, or RORM_ESCHEMA when the literal is not a finite number. */
static int parse_double(double *out, const char *s, size_t len)
{
    char buf[64];
    char *text = buf;
    int rc = RORM_ESCHEMA;
    size_t mantissa = 0;
    while (mantissa < len && s[mantissa] != 'e' && s[mantissa] != 'E') {
        mantissa++;
    }
    /* strtod() also reads hex, "inf" and "nan": allow only decimal digits before an exponent. */
    if (!is_decimal(s, mantissa)) {
        return RORM_ESCHEMA;
    }
    if (len >= sizeof buf) {
        text = rorm__strndup(s, len);
        if (text == NULL) {
            return RORM_ENOMEM;
        }
    } else {
        memcpy(buf, s, len);
        buf[len] = '\0';
    }
    char *end;
    double d = strtod(text, &end);
    if (*end == '\0' && isfinite(d)) {
        *out = d;
        rc = RORM_OK;
    }
    if (text != buf) {
        rorm__free(text);
    }
    return rc;
}

static int base64_value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

/* Decode standard base64 (padding optional) into a BYTES value. */
static int parse_base64(rorm_value *out, const char *s, size_t len)
{
    while (len > 0 && s[len - 1] == '=') {
        len--;
    }
    if (len % 4 == 1) {
        return RORM_ESCHEMA;
    }
    uint8_t *buf = rorm__malloc(len / 4 * 3 + 3);
    if (buf == NULL) {
        return RORM_ENOMEM;
    }
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = base64_value(s[i]);
        if (v < 0) {
            rorm__free(buf);
            return RORM_ESCHEMA;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[n++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    int rc = rorm_value_set_bytes(out, buf, n) == RORM_OK ? RORM_OK : RORM_ENOMEM;
    rorm__free(buf);
    return rc;
}

/*
 * Parse one literal of @p type. Returns RORM_OK, RORM_ENOMEM, or RORM_ESCHEMA when it does not
 * parse; the caller writes the message.
 */
static int parse_scalar(rorm_value *out, unsigned type, const char *s, size_t len)
{
    int64_t i;
    rorm_value_init(out);
    switch (type) {
    case RORM_FIELD_INT:
        if (!parse_int64(&i, s, len) || i < INT32_MIN || i > INT32_MAX) {
            return RORM_ESCHEMA;
        }
        *out = RORM_INT(i);
        return RORM_OK;
    case RORM_FIELD_BIGINT:
        if (!parse_int64(&i, s, len)) {
            return RORM_ESCHEMA;
        }
        *out = RORM_INT(i);
        return RORM_OK;
    case RORM_FIELD_FLOAT: {
        double d;
        int rc = parse_double(&d, s, len);
        if (rc == RORM_OK) {
            *out = RORM_DOUBLE(d);
        }
        return rc;
    }
    case RORM_FIELD_DECIMAL:
        if (!is_decimal(s, len)) {
            return RORM_ESCHEMA;
        }
        return rorm_value_set_decimal(out, s, len) == RORM_OK ? RORM_OK : RORM_ENOMEM;
    case RORM_FIELD_BOOL:
        if (len == 4 && memcmp(s, "true", 4) == 0) {
            *out = RORM_BOOL(true);
        } else if (len == 5 && memcmp(s, "false", 5) == 0) {
            *out = RORM_BOOL(false);
        } else {
            return RORM_ESCHEMA;
        }
        return RORM_OK;
    case RORM_FIELD_DATETIME: {
        int64_t ms;
        if (rorm_datetime_parse(&ms, s, len) != RORM_OK) {
            return RORM_ESCHEMA;
        }
        *out = RORM_DATETIME(ms);
        return RORM_OK;
    }
    case RORM_FIELD_JSON: {
        size_t k = 0;
        while (k < len && is_space(s[k])) {
            k++;
        }
        if (k == len) {
            return RORM_ESCHEMA;
        }
        return rorm_value_set_json(out, s, len) == RORM_OK ? RORM_OK : RORM_ENOMEM;
    }
    case RORM_FIELD_BYTES:
        return parse_base64(out, s, len);
    default:
        /* String, Enum (membership is checked by validation) and Unsupported keep the text. */
        return rorm_value_set_text(out, s, len) == RORM_OK ? RORM_OK : RORM_ENOMEM;
    }
}

/* Copy the quoted item [s, s+len) without its quotes and backslash escapes. */
static char *unquote(const char *s, size_t len, size_t *len_out)
{
    char *out = rorm__malloc(len);
    size_t n = 0;
    if (out == NULL) {
        return NULL;
    }
    for (size_t i = 1; i + 1 < len; i++) {
        if (s[i] == '\\' && i + 2 < len) {
            i++;
        }
        out[n++] = s[i];
    }
    out[n] = '\0';
    *len_out = n;
    return out;
}

/* Parse "[a, b, ...]" into an ARRAY of @p type; quoted items lose their quotes. */
static int parse_list(rorm_value *out, unsigned type, const char *s, size_t len)
{
    while (len > 0 && is_space(*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_space(s[len - 1])) {
        len--;
    }
    if (len < 2 || s[0] != '[' || s[len - 1] != ']') {
        return RORM_ESCHEMA;
    }
    s++;
    len -= 2;
    rorm_value_init_array(out);
    size_t pos = 0;
    bool any = false;
    for (size_t k = 0; k < len; k++) {
        any = any || !is_space(s[k]);
    }
    while (any && pos <= len) {
        /* Find the end of this item: a comma outside quotes and brackets. */
        size_t end = pos;
        int depth = 0;
        bool quoted = false;
        for (; end < len; end++) {
            char c = s[end];
            if (quoted) {
                if (c == '\\') {
                    end++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
        }
        size_t a = pos, b = end < len ? end : len;
        while (a < b && is_space(s[a])) {
            a++;
        }
        while (b > a && is_space(s[b - 1])) {
            b--;
        }
        if (a == b) {
            rorm_value_dispose(out);
            return RORM_ESCHEMA;
        }
        const char *item = s + a;
        size_t item_len = b - a;
        char *copy = NULL;
        if (item_len >= 2 && item[0] == '"' && item[item_len - 1] == '"' &&
            type != RORM_FIELD_JSON) {
            copy = unquote(item, item_len, &item_len);
            if (copy == NULL) {
                rorm_value_dispose(out);
                return RORM_ENOMEM;
            }
            item = copy;
        }
        rorm_value v;
        int rc = parse_scalar(&v, type, item, item_len);
        rorm__free(copy);
        if (rc == RORM_OK && rorm_value_array_push_take(out, &v) != RORM_OK) {
            rorm_value_dispose(&v);
            rc = RORM_ENOMEM;
        }
        if (rc != RORM_OK) {
            rorm_value_dispose(out);
            return rc;
        }
        pos = end + 1;
    }
    return RORM_OK;
}

static int parse_default(rorm_field *f, const rorm_model *m, const char *text, rorm_error *err)
{
    int rc;
    if (text == NULL) {
        return rorm__error(err, RORM_ESCHEMA,
                           "field '%s.%s' has RORM_DEFAULT_VALUE but no default_text", m->name,
                           f->name);
    }
    if (f->flags & RORM_LIST) {
        rc = parse_list(&f->def.value, f->type, text, strlen(text));
    } else {
        rc = parse_scalar(&f->def.value, f->type, text, strlen(text));
    }
    if (rc == RORM_ENOMEM) {
        return rorm__error_oom(err);
    }
    if (rc != RORM_OK) {
        return rorm__error(err, RORM_ESCHEMA, "default '%s' of field '%s.%s' is not a valid %s%s",
                           text, m->name, f->name, rorm_field_type_name(f->type),
                           f->flags & RORM_LIST ? "[]" : "");
    }
    return RORM_OK;
}

/* ---- Enums and models -------------------------------------------------------------------------
 */

int rorm_schema_add_enum(rorm_schema *schema,
                         const char *name,
                         const char *const *values,
                         size_t nvalues,
                         rorm_error *err)
{
    int error;
    RORM_CHECK_ARG(schema != NULL, err);
    if ((error = check_mutable(schema, err)) != RORM_OK) {
        return error;
    }
    if (!is_identifier(name)) {
        return rorm__error(err, RORM_EINVAL, "invalid enum name '%s'", name ? name : "(null)");
    }
    if (nvalues == 0 && values != NULL) {
        while (values[nvalues] != NULL) {
            nvalues++;
        }
    }
    RORM_CHECK_ARG(values != NULL || nvalues == 0, err);
    for (size_t i = 0; i < nvalues; i++) {
        if (values[i] == NULL || values[i][0] == '\0') {
            return rorm__error(err, RORM_EINVAL, "empty value in enum '%s'", name);
        }
    }
    rorm_enum *e = rorm__calloc(1, sizeof *e);
    if (e == NULL) {
        return rorm__error_oom(err);
    }
    e->name = rorm__strdup(name);
    e->db_name = rorm__strdup(name);
    if (e->name == NULL || e->db_name == NULL || rorm_vec_reserve(&e->values, nvalues) ||
        rorm_vec_reserve(&e->db_values, nvalues)) {
        goto oom;
    }
    for (size_t i = 0; i < nvalues; i++) {
        char *v = rorm__strdup(values[i]);
        char *dbv = rorm__strdup(values[i]);
        if (v == NULL || dbv == NULL) {
            rorm__free(v);
            rorm__free(dbv);
            goto oom;
        }
        e->values.ptr[e->values.len++] = v;
        e->db_values.ptr[e->db_values.len++] = dbv;
    }
    if (rorm_vec_reserve(&schema->enums, 1) != RORM_OK) {
        goto oom;
    }
    /* A duplicate name stays out of the map; validation reports it. */
    if (!rorm__map_has(&schema->enum_map, name, strlen(name)) &&
        rorm__map_set(&schema->enum_map, name, strlen(name), e) != RORM_OK) {
        goto oom;
    }
    schema->enums.ptr[schema->enums.len++] = e;
    return RORM_OK;
oom:
    rorm__enum_free(e);
    return rorm__error_oom(err);
}

int rorm_schema_set_relation_mode(rorm_schema *schema, unsigned mode, rorm_error *err)
{
    RORM_CHECK_ARG(schema != NULL, err);
    int rc = check_mutable(schema, err);
    if (rc != RORM_OK) {
        return rc;
    }
    if (mode != RORM_RELATION_MODE_FOREIGN_KEYS && mode != RORM_RELATION_MODE_PRISMA) {
        return rorm__error(err, RORM_EINVAL, "unknown relation mode %u", mode);
    }
    schema->relation_mode_prisma = mode == RORM_RELATION_MODE_PRISMA;
    return RORM_OK;
}

unsigned rorm_schema_relation_mode(const rorm_schema *schema)
{
    return schema && schema->relation_mode_prisma ? RORM_RELATION_MODE_PRISMA
                                                  : RORM_RELATION_MODE_FOREIGN_KEYS;
}

int rorm_schema_new_model(rorm_model **out, rorm_schema *schema, const char *name, rorm_error *err)
{
    int error;
    RORM_CHECK_ARG(out != NULL && schema != NULL, err);
    *out = NULL;
    if ((error = check_mutable(schema, err)) != RORM_OK) {
        return error;
    }
    if (!is_identifier(name)) {
        return rorm__error(err, RORM_EINVAL, "invalid model name '%s'", name ? name : "(null)");
    }
    rorm_model *m = rorm__calloc(1, sizeof *m);
    if (m == NULL) {
        return rorm__error_oom(err);
    }
    rorm__map_init(&m->field_map, NULL);
    m->schema = schema;
    m->index = schema->models.len;
    m->name = rorm__strdup(name);
    m->table = schema->naming == RORM_NAMING_NATIVE ? rorm__table_name(name) : rorm__strdup(name);
    if (m->name == NULL || m->table == NULL || rorm_vec_reserve(&schema->models, 1) != RORM_OK) {
        goto oom;
    }
    /* A duplicate name stays out of the map; validation reports it. */
    if (!rorm__map_has(&schema->model_map, name, strlen(name)) &&
        rorm__map_set(&schema->model_map, name, strlen(name), m) != RORM_OK) {
        goto oom;
    }
    schema->models.ptr[schema->models.len++] = m;
    *out = m;
    return RORM_OK;
oom:
    rorm__model_free(m);
    return rorm__error_oom(err);
}

int rorm_model_set_table(rorm_model *model, const char *table, rorm_error *err)
{
    int error;
    RORM_CHECK_ARG(model != NULL, err);
    if ((error = check_mutable(model->schema, err)) != RORM_OK) {
        return error;
    }
    if (table == NULL || table[0] == '\0') {
        return rorm__error(err, RORM_EINVAL, "empty table name for model '%s'", model->name);
    }
    char *copy = rorm__strdup(table);
    if (copy == NULL) {
        return rorm__error_oom(err);
    }
    rorm__free(model->table);
    model->table = copy;
    return RORM_OK;
}

/* A copy of a database schema name for a setter: NULL stays NULL; "" is refused. */
static int schema_copy(char **out, const char *db_schema, const char *what, rorm_error *err)
{
    *out = NULL;
    if (db_schema != NULL && db_schema[0] == '\0') {
        return rorm__error(err, RORM_EINVAL, "empty database schema name for %s", what);
    }
    if (db_schema != NULL && (*out = rorm__strdup(db_schema)) == NULL) {
        return rorm__error_oom(err);
    }
    return RORM_OK;
}

int rorm_schema_set_enum_schema(rorm_schema *schema,
                                const char *name,
                                const char *db_schema,
                                rorm_error *err)
{
    int error;
    RORM_CHECK_ARG(schema != NULL && name != NULL, err);
    if ((error = check_mutable(schema, err)) != RORM_OK) {
        return error;
    }
    rorm_enum *e = rorm__map_get(&schema->enum_map, name, strlen(name));
    if (e == NULL) {
        return rorm__error(err, RORM_ENOTFOUND, "unknown enum '%s'", name);
    }
    char *copy = NULL;
    if ((error = schema_copy(&copy, db_schema, name, err)) != RORM_OK) {
        return error;
    }
    rorm__free(e->schema_name);
    e->schema_name = copy;
    return RORM_OK;
}

int rorm_model_set_schema(rorm_model *model, const char *schema, rorm_error *err)
{
    int error;
    RORM_CHECK_ARG(model != NULL, err);
    if ((error = check_mutable(model->schema, err)) != RORM_OK) {
        return error;
    }
    char *copy = NULL;
    if ((error = schema_copy(&copy, schema, model->name, err)) != RORM_OK) {
        return error;
    }
    rorm__free(model->schema_name);
    model->schema_name = copy;
    return RORM_OK;
}

/* A single-field index made by RORM_UNIQUE or RORM_INDEX; its name is generated by validation. */
static rorm_index *flag_index(rorm_field *f, unsigned kind)
{
    rorm_index *ix = rorm__calloc(1, sizeof *ix);
    if (ix == NULL) {
        return NULL;
    }
    ix->kind = kind;
    ix->fields = rorm__calloc(1, sizeof *ix->fields);
    if (ix->fields == NULL) {
        rorm__free(ix);
        return NULL;
    }
    ix->nfields = 1;
    ix->fields[0].field = f;
    ix->fields[0].name = rorm__strdup(f->name);
    if (ix->fields[0].name == NULL) {
        rorm__index_free(ix);
        return NULL;
    }
    return ix;
}

static int check_field_def(const rorm_model *m, const rorm_field_def *def, rorm_error *err)
{
    if (!is_identifier(def->name)) {
        return rorm__error(err, RORM_EINVAL, "invalid field name '%s' on model '%s'",
                           def->name ? def->name : "(null)", m->name);
    }
    if (def->type == RORM_FIELD_RELATION) {
        return rorm__error(err, RORM_EINVAL,
                           "field '%s.%s' has type Relation: add it with rorm_model_add_relation",
                           m->name, def->name);
    }
    if (def->type < RORM_FIELD_STRING || def->type > RORM_FIELD_UNSUPPORTED) {
        return rorm__error(err, RORM_EINVAL, "field '%s.%s' has unknown type %u", m->name,
                           def->name, def->type);
    }
    if (def->flags & ~KNOWN_FLAGS) {
        return rorm__error(err, RORM_EINVAL, "field '%s.%s' has unknown flags 0x%x", m->name,
                           def->name, def->flags & ~KNOWN_FLAGS);
    }
    if (def->default_kind > RORM_DEFAULT_SEQUENCE) {
        return rorm__error(err, RORM_EINVAL, "field '%s.%s' has unknown default kind %u", m->name,
                           def->name, def->default_kind);
    }
    if (def->column != NULL && def->column[0] == '\0') {
        return rorm__error(err, RORM_EINVAL, "empty column name for field '%s.%s'", m->name,
                           def->name);
    }
    if ((def->flags & RORM_AUTOINCREMENT) && def->default_kind != RORM_DEFAULT_NONE &&
        def->default_kind != RORM_DEFAULT_AUTOINCREMENT) {
        return rorm__error(err, RORM_ESCHEMA,
                           "field '%s.%s' has RORM_AUTOINCREMENT and another default", m->name,
                           def->name);
    }
    return RORM_OK;
}

int rorm_model_add_field(rorm_model *model, const rorm_field_def *def, rorm_error *err)
{
    int error;
    RORM_CHECK_ARG(model != NULL && def != NULL, err);
    if ((error = check_mutable(model->schema, err)) != RORM_OK ||
        (error = check_field_def(model, def, err)) != RORM_OK) {
        return error;
    }
    rorm_index *unique = NULL, *plain = NULL;
    rorm_field *f = rorm__calloc(1, sizeof *f);
    if (f == NULL) {
        return rorm__error_oom(err);
    }
    f->type = def->type;
    f->flags = def->flags;
    f->def.kind = def->default_kind;
    /* RORM_AUTOINCREMENT and RORM_DEFAULT_AUTOINCREMENT say the same thing: keep both. */
    if ((f->flags & RORM_AUTOINCREMENT) || f->def.kind == RORM_DEFAULT_AUTOINCREMENT) {
        f->flags |= RORM_AUTOINCREMENT;
        f->def.kind = RORM_DEFAULT_AUTOINCREMENT;
    }
    f->model = model;
    f->index = model->fields.len;
    f->name = rorm__strdup(def->name);
    if (def->column) {
        f->column = rorm__strdup(def->column);
    } else if (model->schema->naming == RORM_NAMING_NATIVE) {
        f->column = rorm__snake_case(def->name);
    } else {
        f->column = rorm__strdup(def->name);
    }
    if (f->name == NULL || f->column == NULL) {
        goto oom;
    }
    if ((def->enum_name && (f->enum_name = rorm__strdup(def->enum_name)) == NULL) ||
        (def->native_type && (f->native_type = rorm__strdup(def->native_type)) == NULL) ||
        (def->doc && (f->doc = rorm__strdup(def->doc)) == NULL)) {
        goto oom;
    }
    if (f->def.kind == RORM_DEFAULT_VALUE) {
        if ((error = parse_default(f, model, def->default_text, err)) != RORM_OK) {
            rorm__field_free(f);
            return error;
        }
    } else if ((f->def.kind == RORM_DEFAULT_DBGENERATED || f->def.kind == RORM_DEFAULT_SEQUENCE) &&
               def->default_text != NULL) {
        if ((f->def.expr = rorm__strdup(def->default_text)) == NULL) {
            goto oom;
        }
    }
    if (((f->flags & RORM_UNIQUE) && (unique = flag_index(f, RORM_INDEX_UNIQUE)) == NULL) ||
        ((f->flags & RORM_INDEX) && (plain = flag_index(f, RORM_INDEX_PLAIN)) == NULL)) {
        goto oom;
    }
    /* Reserve everything first so that nothing can fail once the model starts to change. */
    if (rorm_vec_reserve(&model->fields, 1) != RORM_OK ||
        rorm_vec_reserve(&model->indexes, 2) != RORM_OK) {
        goto oom;
    }
    /* A duplicate name stays out of the map; validation reports it. */
    if (!rorm__map_has(&model->field_map, f->name, strlen(f->name)) &&
        rorm__map_set(&model->field_map, f->name, strlen(f->name), f) != RORM_OK) {
        goto oom;
    }
    model->fields.ptr[model->fields.len++] = f;
    if (unique) {
        model->indexes.ptr[model->indexes.len++] = unique;
    }
    if (plain) {
        model->indexes.ptr[model->indexes.len++] = plain;
    }
    return RORM_OK;
oom:
    rorm__index_free(unique);
    rorm__index_free(plain);
    rorm__field_free(f);
    return rorm__error_oom(err);
}

int rorm_model_set_primary_key(rorm_model *model, const char *fields, rorm_error *err)
{
    int error;
    char **names;
    size_t n;
    RORM_CHECK_ARG(model != NULL && fields != NULL, err);
    if ((error = check_mutable(model->schema, err)) != RORM_OK ||
        (error = split_list(&names, &n, fields, "primary key", err)) != RORM_OK) {
        return error;
    }
    if (rorm_vec_reserve(&model->pk_names, n) != RORM_OK) {
        free_names(names, n);
        return rorm__error_oom(err);
    }
    for (size_t i = 0; i < model->pk_names.len; i++) {
        rorm__free(model->pk_names.ptr[i]);
    }
    memcpy(model->pk_names.ptr, names, n * sizeof *names);
    model->pk_names.len = n;
    rorm__free(names);
    return RORM_OK;
}

int rorm_model_add_index(rorm_model *model, const rorm_index_def *def, rorm_error *err)
{
    int error;
    char **names;
    size_t n;
    RORM_CHECK_ARG(model != NULL && def != NULL && def->fields != NULL, err);
    if ((error = check_mutable(model->schema, err)) != RORM_OK) {
        return error;
    }
    if (def->name != NULL && def->name[0] == '\0') {
        return rorm__error(err, RORM_EINVAL, "empty index name on model '%s'", model->name);
    }
    if ((error = split_list(&names, &n, def->fields, "index", err)) != RORM_OK) {
        return error;
    }
    rorm_index *ix = rorm__calloc(1, sizeof *ix);
    if (ix == NULL) {
        free_names(names, n);
        return rorm__error_oom(err);
    }
    ix->kind = def->unique ? RORM_INDEX_UNIQUE : RORM_INDEX_PLAIN;
    ix->fields = rorm__calloc(n, sizeof *ix->fields);
    if (ix->fields == NULL) {
        free_names(names, n);
        rorm__free(ix);
        return rorm__error_oom(err);
    }
    ix->nfields = n;
    for (size_t i = 0; i < n; i++) {
        ix->fields[i].name = names[i];
    }
    rorm__free(names);
    if ((def->name && (ix->name = rorm__strdup(def->name)) == NULL) ||
        rorm_vec_push(&model->indexes, ix) != RORM_OK) {
        rorm__index_free(ix);
        return rorm__error_oom(err);
    }
    return RORM_OK;
}

int rorm_model_add_relation(rorm_model *model, const rorm_relation_def *def, rorm_error *err)
{
    int error;
    RORM_CHECK_ARG(model != NULL && def != NULL, err);
    if ((error = check_mutable(model->schema, err)) != RORM_OK) {
        return error;
    }
    if (!is_identifier(def->name)) {
        return rorm__error(err, RORM_EINVAL, "invalid relation name '%s' on model '%s'",
                           def->name ? def->name : "(null)", model->name);
    }
    if (!is_identifier(def->model)) {
        return rorm__error(err, RORM_EINVAL, "relation '%s' on model '%s' has invalid model '%s'",
                           def->name, model->name, def->model ? def->model : "(null)");
    }
    if (def->kind > RORM_MANY_TO_MANY) {
        return rorm__error(err, RORM_EINVAL, "relation '%s' on model '%s' has unknown kind %u",
                           def->name, model->name, def->kind);
    }
    if (def->on_delete > RORM_ACTION_SET_DEFAULT || def->on_update > RORM_ACTION_SET_DEFAULT) {
        return rorm__error(err, RORM_EINVAL,
                           "relation '%s' on model '%s' has an unknown referential action",
                           def->name, model->name);
    }
    if (def->relation_name != NULL && def->relation_name[0] == '\0') {
        return rorm__error(err, RORM_EINVAL, "empty relation_name on relation '%s.%s'", model->name,
                           def->name);
    }
    rorm_field *f = rorm__calloc(1, sizeof *f);
    rorm_relation *r = rorm__calloc(1, sizeof *r);
    if (f == NULL || r == NULL) {
        rorm__free(f);
        rorm__free(r);
        return rorm__error_oom(err);
    }
    f->relation = r;
    f->type = RORM_FIELD_RELATION;
    f->model = model;
    f->index = model->fields.len;
    if (def->kind == RORM_ONE_TO_MANY || def->kind == RORM_MANY_TO_MANY) {
        f->flags |= RORM_LIST;
    }
    r->kind = def->kind;
    r->on_delete = def->on_delete;
    r->on_update = def->on_update;
    if ((def->fields &&
         (error = split_list(&r->field_names, &r->nfields, def->fields, "relation fields", err))) ||
        (def->references && (error = split_list(&r->reference_names, &r->nreferences,
                                                def->references, "relation references", err)))) {
        rorm__field_free(f);
        return error;
    }
    f->name = rorm__strdup(def->name);
    r->model_name = rorm__strdup(def->model);
    if (f->name == NULL || r->model_name == NULL ||
        (def->relation_name && (r->name = rorm__strdup(def->relation_name)) == NULL) ||
        (r->nfields && (r->fields = rorm__calloc(r->nfields, sizeof *r->fields)) == NULL) ||
        (r->nreferences &&
         (r->references = rorm__calloc(r->nreferences, sizeof *r->references)) == NULL) ||
        rorm_vec_reserve(&model->fields, 1) != RORM_OK) {
        goto oom;
    }
    if (!rorm__map_has(&model->field_map, f->name, strlen(f->name)) &&
        rorm__map_set(&model->field_map, f->name, strlen(f->name), f) != RORM_OK) {
        goto oom;
    }
    model->fields.ptr[model->fields.len++] = f;
    return RORM_OK;
oom:
    rorm__field_free(f);
    return rorm__error_oom(err);
}

/* Take the last model (the one being built) out of the schema again. */
static void remove_last_model(rorm_schema *schema, rorm_model *m)
{
    schema->models.len--;
    if (rorm__map_get(&schema->model_map, m->name, strlen(m->name)) == m) {
        rorm__map_remove(&schema->model_map, m->name, strlen(m->name));
    }
    rorm__model_free(m);
}

int rorm_schema_add_model(rorm_schema *schema, const rorm_model_def *def, rorm_error *err)
{
    rorm_model *m;
    int error;
    RORM_CHECK_ARG(schema != NULL && def != NULL, err);
    if ((error = rorm_schema_new_model(&m, schema, def->name, err)) != RORM_OK) {
        return error;
    }
    if (def->table && (error = rorm_model_set_table(m, def->table, err)) != RORM_OK) {
        goto done;
    }
    if (def->doc && (m->doc = rorm__strdup(def->doc)) == NULL) {
        error = rorm__error_oom(err);
        goto done;
    }
    /* A count of 0 with an array reads up to the terminating {0} entry. */
    for (size_t i = 0;
         def->fields && (def->nfields ? i < def->nfields : def->fields[i].name != NULL); i++) {
        if ((error = rorm_model_add_field(m, &def->fields[i], err)) != RORM_OK) {
            goto done;
        }
    }
    if (def->primary_key &&
        (error = rorm_model_set_primary_key(m, def->primary_key, err)) != RORM_OK) {
        goto done;
    }
    for (size_t i = 0;
         def->indexes && (def->nindexes ? i < def->nindexes : def->indexes[i].fields != NULL);
         i++) {
        if ((error = rorm_model_add_index(m, &def->indexes[i], err)) != RORM_OK) {
            goto done;
        }
    }
    for (size_t i = 0;
         def->relations && (def->nrelations ? i < def->nrelations : def->relations[i].name != NULL);
         i++) {
        if ((error = rorm_model_add_relation(m, &def->relations[i], err)) != RORM_OK) {
            goto done;
        }
    }
done:
    if (error != RORM_OK) {
        remove_last_model(schema, m);
    }
    return error;
}
