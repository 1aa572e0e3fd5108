/*
 * Validation of a parsed Prisma schema, following Prisma's rules: configuration blocks, names,
 * field types, attributes and their arguments, defaults, indexes and keys, and relations. Every
 * problem is reported as a diagnostic and checking continues, so one run shows them all.
 */
#include "prisma/prisma.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

typedef struct vctx {
    rorm__pconfig *cfg;
    const rorm__pschema *ps;
    rorm_diagnostics *d;
    const char *ds_name; /* the datasource block's name: the prefix of native types */
    const rorm__block *ds;
    const rorm__expr *schemas; /* datasource `schemas` array or NULL */
    size_t errors;
} vctx;

#define ERR(c, at, ...)                        \
    do {                                       \
        rorm__perr((c)->d, (at), __VA_ARGS__); \
        (c)->errors++;                         \
    } while (0)
#define WARN(c, at, ...) rorm__pwarn((c)->d, (at), __VA_ARGS__)

/* ---- Lookups shared with the mapping --------------------------------------------------------- */

unsigned rorm__prisma_scalar_type(const char *name)
{
    static const struct {
        const char *name;
        unsigned type;
    } scalars[] = {
        { "String", RORM_FIELD_STRING },     { "Int", RORM_FIELD_INT },
        { "BigInt", RORM_FIELD_BIGINT },     { "Float", RORM_FIELD_FLOAT },
        { "Decimal", RORM_FIELD_DECIMAL },   { "Boolean", RORM_FIELD_BOOL },
        { "DateTime", RORM_FIELD_DATETIME }, { "Json", RORM_FIELD_JSON },
        { "Bytes", RORM_FIELD_BYTES },       { "Unsupported", RORM_FIELD_UNSUPPORTED },
    };
    for (size_t i = 0; name && i < sizeof scalars / sizeof scalars[0]; i++) {
        if (strcmp(name, scalars[i].name) == 0) {
            return scalars[i].type;
        }
    }
    return 0;
}

const rorm__block *rorm__pschema_find(const rorm__pschema *ps, const char *name)
{
    for (size_t i = 0; name && i < ps->blocks.len; i++) {
        const rorm__block *b = ps->blocks.ptr[i];
        if (b->name && b->kind != RORM_BLOCK_DATASOURCE && b->kind != RORM_BLOCK_GENERATOR &&
            strcmp(b->name, name) == 0) {
            return b;
        }
    }
    return NULL;
}

const rorm__pfield *rorm__block_field(const rorm__block *b, const char *name)
{
    for (size_t i = 0; name && i < b->fields.len; i++) {
        if (strcmp(b->fields.ptr[i].name, name) == 0) {
            return &b->fields.ptr[i];
        }
    }
    return NULL;
}

static bool is_model_like(const rorm__block *b)
{
    return b && (b->kind == RORM_BLOCK_MODEL || b->kind == RORM_BLOCK_VIEW);
}

/* The related block when @p f is a relation field, else NULL. */
const rorm__block *rorm__field_relation_target(const rorm__pschema *ps, const rorm__pfield *f)
{
    const rorm__block *t = rorm__pschema_find(ps, f->type_name);
    return is_model_like(t) ? t : NULL;
}

/* The relation name given in @relation("name") or @relation(name: "name"), or NULL. */
const char *rorm__field_relation_name(const rorm__pfield *f)
{
    const rorm__attr *a = rorm__attr_find(&f->attrs, "relation");
    if (!a) {
        return NULL;
    }
    const rorm__arg *arg = rorm__args_find(&a->args, "name", 0);
    return arg && arg->value.kind == RORM_EXPR_STRING ? arg->value.text : NULL;
}

static bool same_name(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

const rorm__pfield *rorm__relation_opposite(const rorm__pschema *ps,
                                            const rorm__block *b,
                                            const rorm__pfield *f,
                                            const rorm__block **ob_out)
{
    const rorm__block *ob = rorm__field_relation_target(ps, f);
    *ob_out = ob;
    if (!ob) {
        return NULL;
    }
    const char *rn = rorm__field_relation_name(f);
    for (size_t i = 0; i < ob->fields.len; i++) {
        const rorm__pfield *g = &ob->fields.ptr[i];
        if (g == f || !g->type_name || strcmp(g->type_name, b->name) != 0) {
            continue;
        }
        if (same_name(rn, rorm__field_relation_name(g))) {
            return g;
        }
    }
    return NULL;
}

/* The field names of a `fields:`/`references:` style array, or of an index field list. */
static size_t expr_names(const rorm__expr *e, const char **out, size_t max)
{
    size_t n = 0;
    if (!e || e->kind != RORM_EXPR_ARRAY) {
        return 0;
    }
    for (size_t i = 0; i < e->args.len && n < max; i++) {
        const rorm__expr *it = &e->args.items[i].value;
        if (it->kind == RORM_EXPR_CONST || it->kind == RORM_EXPR_CALL) {
            out[n++] = it->text;
        }
    }
    return n;
}

static const rorm__expr *attr_arg(const rorm__attr *a, const char *name, int pos)
{
    const rorm__arg *arg = a ? rorm__args_find(&a->args, name, pos) : NULL;
    return arg ? &arg->value : NULL;
}

/* ---- Configuration --------------------------------------------------------------------------- */

static bool expr_is_env(const rorm__expr *e)
{
    return e->kind == RORM_EXPR_CALL && strcmp(e->text, "env") == 0;
}

/* A string or env("X") value; @p key gets a comparable form ("env:X" or the literal). */
static bool check_url(vctx *c, const rorm__pfield *p, char *key, size_t keysize)
{
    const rorm__expr *e = &p->value;
    key[0] = '\0';
    if (e->kind == RORM_EXPR_STRING) {
        snprintf(key, keysize, "s:%s", e->text ? e->text : "");
        return true;
    }
    if (expr_is_env(e)) {
        if (e->args.len != 1 || e->args.items[0].value.kind != RORM_EXPR_STRING) {
            ERR(c, e->span, "The env function expects one string argument: env(\"DATABASE_URL\").");
            return false;
        }
        if (e->args.items[0].name) {
            WARN(c, e->args.items[0].span,
                 "The env function doesn't expect named arguments: write env(\"%s\").",
                 e->args.items[0].value.text);
        }
        snprintf(key, keysize, "e:%s", e->args.items[0].value.text);
        return true;
    }
    ERR(c, e->span, "The `%s` property expects a string or env(\"...\").", p->name);
    return false;
}

static const char *normalise_provider(const char *p)
{
    if (strcmp(p, "postgres") == 0) {
        return "postgresql";
    }
    return p;
}

static void check_datasource(vctx *c, const rorm__block *b)
{
    if (c->ds) {
        ERR(c, b->name_span,
            "You defined more than one datasource. This is not allowed yet because support for "
            "multiple databases has not been implemented yet.");
        return;
    }
    c->ds = b;
    c->ds_name = b->name;
    const rorm__pfield *provider = NULL, *url = NULL, *shadow = NULL, *direct = NULL;
    const rorm__pfield *mode = NULL, *integrity = NULL;
    char url_key[512] = "", shadow_key[512] = "", direct_key[512] = "";
    for (size_t i = 0; i < b->fields.len; i++) {
        const rorm__pfield *p = &b->fields.ptr[i];
        for (size_t j = 0; j < i; j++) {
            if (strcmp(b->fields.ptr[j].name, p->name) == 0) {
                ERR(c, p->name_span, "Key \"%s\" is already defined in datasource \"%s\".", p->name,
                    b->name);
            }
        }
        if (strcmp(p->name, "provider") == 0) {
            provider = p;
        } else if (strcmp(p->name, "url") == 0) {
            url = p;
            check_url(c, p, url_key, sizeof url_key);
        } else if (strcmp(p->name, "shadowDatabaseUrl") == 0) {
            shadow = p;
            check_url(c, p, shadow_key, sizeof shadow_key);
        } else if (strcmp(p->name, "directUrl") == 0) {
            direct = p;
            check_url(c, p, direct_key, sizeof direct_key);
        } else if (strcmp(p->name, "relationMode") == 0) {
            mode = p;
        } else if (strcmp(p->name, "referentialIntegrity") == 0) {
            integrity = p;
            WARN(c, p->span,
                 "The `referentialIntegrity` attribute is deprecated. Please use `relationMode` "
                 "instead.");
        } else if (strcmp(p->name, "schemas") == 0) {
            c->schemas = &p->value;
            c->cfg->has_schemas = true;
            c->cfg->schemas = &p->value;
            if (p->value.kind != RORM_EXPR_ARRAY) {
                ERR(c, p->value.span, "The `schemas` property expects a list of strings.");
                c->schemas = NULL;
                c->cfg->schemas = NULL;
            } else {
                for (size_t k = 0; k < p->value.args.len; k++) {
                    const rorm__expr *e = &p->value.args.items[k].value;
                    if (e->kind == RORM_EXPR_NUMBER) {
                        ERR(c, e->span, "Expected a string value, but received numeric value `%s`.",
                            e->text);
                    } else if (e->kind != RORM_EXPR_STRING) {
                        ERR(c, e->span, "Expected a string value in `schemas`.");
                    }
                }
            }
        } else if (strcmp(p->name, "extensions") == 0) {
            if (p->value.kind != RORM_EXPR_ARRAY) {
                ERR(c, p->value.span, "The `extensions` property expects a list.");
            }
        } else {
            ERR(c, p->name_span,
                "Property not known: \"%s\". A datasource accepts provider, url, directUrl, "
                "shadowDatabaseUrl, relationMode, extensions and schemas.",
                p->name);
        }
    }
    if (!provider) {
        ERR(c, b->name_span, "The datasource \"%s\" needs a `provider` property.", b->name);
    } else if (provider->value.kind != RORM_EXPR_STRING) {
        ERR(c, provider->value.span,
            "The provider must be a string such as \"postgresql\", \"mysql\" or \"sqlite\".");
    } else {
        const char *pv = normalise_provider(provider->value.text);
        c->cfg->provider = pv;
        c->cfg->provider_span = provider->value.span;
        c->cfg->sql_provider = strcmp(pv, "sqlite") == 0 || strcmp(pv, "postgresql") == 0 ||
                               strcmp(pv, "mysql") == 0 || strcmp(pv, "cockroachdb") == 0;
        if (!c->cfg->sql_provider && strcmp(pv, "mongodb") != 0 && strcmp(pv, "sqlserver") != 0) {
            ERR(c, provider->value.span,
                "Datasource provider not known: \"%s\". Use \"postgresql\", \"mysql\", "
                "\"sqlite\" or \"cockroachdb\".",
                pv);
        }
    }
    if (url && shadow && url_key[0] && strcmp(url_key, shadow_key) == 0) {
        ERR(c, url->value.span,
            "shadowDatabaseUrl is the same as url for datasource \"%s\". Please specify a "
            "different database as shadow database to avoid data loss.",
            b->name);
    }
    if (direct && shadow && direct_key[0] && strcmp(direct_key, shadow_key) == 0) {
        ERR(c, direct->value.span,
            "shadowDatabaseUrl is the same as directUrl for datasource \"%s\". Please specify a "
            "different database as shadow database to avoid data loss.",
            b->name);
    }
    const rorm__pfield *m = mode ? mode : integrity;
    if (mode && integrity) {
        ERR(c, integrity->span,
            "The `referentialIntegrity` and `relationMode` attributes cannot be used together. "
            "Please use only `relationMode` instead.");
    }
    if (m) {
        if (m->value.kind != RORM_EXPR_STRING ||
            (strcmp(m->value.text, "prisma") != 0 && strcmp(m->value.text, "foreignKeys") != 0)) {
            ERR(c, m->value.span,
                "Invalid relation mode: use \"foreignKeys\" (the default) or \"prisma\".");
        } else {
            c->cfg->relation_mode_prisma = strcmp(m->value.text, "prisma") == 0;
        }
    }
    if (c->cfg->has_schemas && c->cfg->provider && strcmp(c->cfg->provider, "postgresql") != 0 &&
        strcmp(c->cfg->provider, "cockroachdb") != 0 &&
        strcmp(c->cfg->provider, "sqlserver") != 0) {
        const rorm__pfield *s = NULL;
        for (size_t i = 0; i < b->fields.len; i++) {
            if (strcmp(b->fields.ptr[i].name, "schemas") == 0) {
                s = &b->fields.ptr[i];
            }
        }
        ERR(c, s ? s->span : b->name_span,
            "The `schemas` property is not supported on the current connector (%s).",
            c->cfg->provider);
    }
}

static void check_generator(vctx *c, const rorm__block *b)
{
    bool has_provider = false;
    for (size_t i = 0; i < b->fields.len; i++) {
        const rorm__pfield *p = &b->fields.ptr[i];
        if (strcmp(p->name, "provider") == 0) {
            has_provider = true;
        } else if (strcmp(p->name, "previewFeatures") == 0) {
            if (p->value.kind != RORM_EXPR_ARRAY) {
                ERR(c, p->value.span, "`previewFeatures` expects a list of strings.");
                continue;
            }
            for (size_t k = 0; k < p->value.args.len; k++) {
                const rorm__expr *e = &p->value.args.items[k].value;
                if (e->kind != RORM_EXPR_STRING) {
                    ERR(c, e->span, "Expected a string value in `previewFeatures`.");
                } else if (strcmp(e->text, "views") == 0) {
                    c->cfg->views_enabled = true;
                }
            }
        }
    }
    if (!has_provider) {
        ERR(c, b->name_span, "The generator \"%s\" needs a `provider` property.", b->name);
    }
}

/* ---- Models, views, types, enums ------------------------------------------------------------- */

static const char *kind_name(const rorm__block *b)
{
    return rorm__block_kind_name(b->kind);
}

static bool known_field_attr(const char *name)
{
    static const char *const names[] = { "id",       "default", "unique",   "updatedAt", "map",
                                         "relation", "ignore",  "shardKey", NULL };
    for (size_t i = 0; names[i]; i++) {
        if (strcmp(names[i], name) == 0) {
            return true;
        }
    }
    return false;
}

static bool known_block_attr(int kind, const char *name)
{
    static const char *const model_attrs[] = { "id",     "unique",   "index",    "map", "ignore",
                                               "schema", "fulltext", "shardKey", NULL };
    if (kind == RORM_BLOCK_ENUM) {
        return strcmp(name, "map") == 0 || strcmp(name, "schema") == 0;
    }
    if (kind == RORM_BLOCK_TYPE) {
        return false;
    }
    for (size_t i = 0; model_attrs[i]; i++) {
        if (strcmp(model_attrs[i], name) == 0) {
            return true;
        }
    }
    return false;
}

static bool is_integer_text(const char *s)
{
    if (!s) {
        return false;
    }
    if (*s == '-') {
        s++;
    }
    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
    }
    return true;
}

static const char *type_label(const rorm__pfield *f)
{
    return f->type_name ? f->type_name : "?";
}

/* One literal default value against the field's type. */
static void check_default_literal(vctx *c, const rorm__pfield *f, unsigned t, const rorm__expr *v)
{
    const rorm__block *eb = rorm__pschema_find(c->ps, f->type_name);
    if (eb && eb->kind == RORM_BLOCK_ENUM) {
        if (v->kind != RORM_EXPR_CONST || !rorm__block_field(eb, v->text)) {
            ERR(c, v->span,
                "Error parsing attribute \"@default\": The defined default value `%s` is not a "
                "valid value of the enum `%s` specified for the field.",
                v->text ? v->text : "?", eb->name);
        }
        return;
    }
    bool ok = true;
    switch (t) {
    case RORM_FIELD_STRING:
    case RORM_FIELD_JSON:
    case RORM_FIELD_BYTES:
    case RORM_FIELD_DATETIME:
        ok = v->kind == RORM_EXPR_STRING;
        break;
    case RORM_FIELD_INT:
    case RORM_FIELD_BIGINT:
        ok = v->kind == RORM_EXPR_NUMBER && is_integer_text(v->text);
        break;
    case RORM_FIELD_FLOAT:
        ok = v->kind == RORM_EXPR_NUMBER;
        break;
    case RORM_FIELD_DECIMAL:
        ok = v->kind == RORM_EXPR_NUMBER || v->kind == RORM_EXPR_STRING;
        break;
    case RORM_FIELD_BOOL:
        ok = v->kind == RORM_EXPR_CONST &&
             (strcmp(v->text, "true") == 0 || strcmp(v->text, "false") == 0);
        break;
    default:
        break;
    }
    if (!ok) {
        ERR(c, v->span,
            "Error parsing attribute \"@default\": `%s` is not a valid default for a field of "
            "type `%s`.",
            v->text ? v->text : "[...]", type_label(f));
    }
}

/*
 * `sequence(...)` is CockroachDB's: elsewhere it is an unknown function. Its arguments are
 * named: `virtual` (a boolean) and `cache`, `increment`, `minValue`, `maxValue`, `start`
 * (integers). Returns false when the function is not available at all.
 */
static bool check_sequence(vctx *c, const rorm__expr *v)
{
    static const char *const ints[] = { "cache", "increment", "minValue", "maxValue", "start" };
    if (!c->cfg->provider || strcmp(c->cfg->provider, "cockroachdb") != 0) {
        ERR(c, v->span,
            "Error parsing attribute \"@default\": Unknown function in @default(): `sequence` "
            "is only available on CockroachDB.");
        return false;
    }
    for (size_t i = 0; i < v->args.len; i++) {
        const rorm__arg *arg = &v->args.items[i];
        bool is_int = false;
        for (size_t k = 0; arg->name && k < 5; k++) {
            is_int = is_int || strcmp(arg->name, ints[k]) == 0;
        }
        if (arg->name && strcmp(arg->name, "virtual") == 0) {
            if (arg->value.kind != RORM_EXPR_CONST ||
                (strcmp(arg->value.text, "true") != 0 && strcmp(arg->value.text, "false") != 0)) {
                ERR(c, arg->value.span, "Expected a boolean value for `virtual` in `sequence()`.");
            }
        } else if (is_int) {
            if (arg->value.kind != RORM_EXPR_NUMBER || !is_integer_text(arg->value.text)) {
                ERR(c, arg->value.span, "Expected an integer value for `%s` in `sequence()`.",
                    arg->name);
            }
        } else {
            ERR(c, arg->span,
                "Unexpected argument in `sequence()` function call: it takes virtual, cache, "
                "increment, minValue, maxValue and start.");
        }
    }
    return true;
}

static void check_default(vctx *c, const rorm__pfield *f, unsigned t, const rorm__attr *a)
{
    const rorm__expr *v = attr_arg(a, "value", 0);
    if (!v) {
        ERR(c, a->span, "Error parsing attribute \"@default\": a default value is missing.");
        return;
    }
    for (size_t i = 0; i < a->args.len; i++) {
        const rorm__arg *arg = &a->args.items[i];
        if (arg->name && strcmp(arg->name, "map") != 0 && strcmp(arg->name, "value") != 0) {
            ERR(c, arg->name_span, "Error parsing attribute \"@default\": unknown argument `%s`.",
                arg->name);
        }
    }
    if (v->kind == RORM_EXPR_CALL) {
        const char *fn = v->text;
        const char *need = NULL; // the field type the function requires
        bool ok_type = true;
        if (strcmp(fn, "autoincrement") == 0) {
            ok_type = t == RORM_FIELD_INT || t == RORM_FIELD_BIGINT;
            need = "Int or BigInt";
        } else if (strcmp(fn, "sequence") == 0) {
            ok_type = t == RORM_FIELD_INT || t == RORM_FIELD_BIGINT;
            need = "Int or BigInt";
            if (!check_sequence(c, v)) {
                return;
            }
        } else if (strcmp(fn, "now") == 0) {
            ok_type = t == RORM_FIELD_DATETIME;
            need = "DateTime";
        } else if (strcmp(fn, "uuid") == 0 || strcmp(fn, "cuid") == 0 ||
                   strcmp(fn, "nanoid") == 0 || strcmp(fn, "ulid") == 0) {
            ok_type = t == RORM_FIELD_STRING;
            need = "String";
            const rorm__expr *ver = v->args.len > 0 ? &v->args.items[0].value : NULL;
            if (ver && (ver->kind != RORM_EXPR_NUMBER ||
                        (strcmp(fn, "uuid") == 0 && strcmp(ver->text, "4") != 0 &&
                         strcmp(ver->text, "7") != 0) ||
                        (strcmp(fn, "cuid") == 0 && strcmp(ver->text, "1") != 0 &&
                         strcmp(ver->text, "2") != 0) ||
                        strcmp(fn, "ulid") == 0)) {
                ERR(c, ver->span,
                    "Error parsing attribute \"@default\": invalid argument for `%s()`: uuid "
                    "takes 4 or 7, cuid takes 1 or 2, nanoid takes a length.",
                    fn);
            }
        } else if (strcmp(fn, "dbgenerated") == 0) {
            if (v->args.len > 1 ||
                (v->args.len == 1 && v->args.items[0].value.kind != RORM_EXPR_STRING)) {
                ERR(c, v->span, "`dbgenerated()` takes one string: the SQL expression.");
            }
        } else if (strcmp(fn, "auto") == 0) {
            ERR(c, v->span,
                "Error parsing attribute \"@default\": The function `auto()` is only supported "
                "on MongoDB.");
            return;
        } else {
            ERR(c, v->span,
                "Error parsing attribute \"@default\": Unknown function in @default(): `%s` is "
                "not known. Use autoincrement(), now(), uuid(), cuid(), nanoid(), ulid(), "
                "dbgenerated() or sequence().",
                fn);
            return;
        }
        if (!ok_type && t != RORM_FIELD_UNSUPPORTED) {
            ERR(c, v->span,
                "Error parsing attribute \"@default\": The function `%s()` cannot be used on "
                "fields of type `%s` (it needs %s).",
                fn, type_label(f), need);
        }
        if (f->arity == RORM_ARITY_LIST && strcmp(fn, "dbgenerated") != 0) {
            ERR(c, v->span, "The function `%s()` cannot be the default of a list field.", fn);
        }
        return;
    }
    if (f->arity == RORM_ARITY_LIST) {
        if (v->kind != RORM_EXPR_ARRAY) {
            ERR(c, v->span,
                "Error parsing attribute \"@default\": a list field needs a list default such "
                "as `[]`.");
            return;
        }
        for (size_t i = 0; i < v->args.len; i++) {
            check_default_literal(c, f, t, &v->args.items[i].value);
        }
        return;
    }
    if (v->kind == RORM_EXPR_ARRAY) {
        ERR(c, v->span,
            "Error parsing attribute \"@default\": a list default needs a list field (`%s[]`).",
            type_label(f));
        return;
    }
    check_default_literal(c, f, t, v);
}

/* Checks the `map:`, `length:`, `sort:`, `clustered:` arguments of @id/@unique/@@... */
static void check_index_args(vctx *c, const rorm__attr *a, bool field_level)
{
    const char *label = a->name;
    for (size_t i = 0; i < a->args.len; i++) {
        const rorm__arg *arg = &a->args.items[i];
        if (!arg->name) {
            continue;
        }
        if (strcmp(arg->name, "clustered") == 0 && c->cfg->provider &&
            strcmp(c->cfg->provider, "sqlserver") != 0) {
            ERR(c, arg->span,
                "Error parsing attribute \"%s%s\": Defining clustering is not supported in the "
                "current connector.",
                a->block ? "@@" : "@", label);
        }
        if (field_level && strcmp(arg->name, "length") == 0 && c->cfg->provider &&
            strcmp(c->cfg->provider, "mysql") != 0) {
            ERR(c, arg->span,
                "Error parsing attribute \"@%s\": The length argument is not supported in an "
                "index definition with the current connector.",
                label);
        }
        if (strcmp(arg->name, "map") == 0 && arg->value.kind != RORM_EXPR_STRING) {
            ERR(c, arg->value.span, "The `map` argument expects a string.");
        }
    }
}

/* Is there a native type attribute like @db.Text on @p f? Returns its type name or NULL. */
static const char *native_type_of(const vctx *c, const rorm__pfield *f, const rorm__attr **out)
{
    for (size_t i = 0; i < f->attrs.len; i++) {
        const char *n = f->attrs.ptr[i].name;
        const char *dot = strchr(n, '.');
        if (dot && c->ds_name && strncmp(n, c->ds_name, (size_t)(dot - n)) == 0 &&
            strlen(c->ds_name) == (size_t)(dot - n)) {
            if (out) {
                *out = &f->attrs.ptr[i];
            }
            return dot + 1;
        }
    }
    return NULL;
}

static bool is_mysql_text_type(const char *nt)
{
    static const char *const texts[] = { "Text",     "TinyText",   "MediumText", "LongText", "Blob",
                                         "TinyBlob", "MediumBlob", "LongBlob",   NULL };
    for (size_t i = 0; nt && texts[i]; i++) {
        if (strcmp(texts[i], nt) == 0) {
            return true;
        }
    }
    return false;
}

static const char *scalar_name(unsigned t)
{
    static const char *const names[] = { "?",       "String",  "Int",      "BigInt", "Float",
                                         "Decimal", "Boolean", "DateTime", "Json",   "Bytes" };
    return t < sizeof names / sizeof names[0] ? names[t] : "?";
}

/* The "String or Bytes" list of the scalar types a native type fits. */
static void scalar_list(char *buf, size_t size, unsigned mask)
{
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned t = RORM_FIELD_STRING; t <= RORM_FIELD_BYTES; t++) {
        if (mask & (1u << t)) {
            n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s", n ? " or " : "",
                                  scalar_name(t));
        }
    }
}

/*
 * `@db.Name(args)` on a field: the provider must know the type, the arguments must be numbers
 * in the count and range the type takes, and the type must fit the field's scalar type.
 */
static void check_native_type(vctx *c,
                              const rorm__pfield *f,
                              unsigned t,
                              const rorm__block *tb,
                              const rorm__attr *a,
                              const char *name)
{
    const char *pv = c->cfg->provider;
    if (!pv || !c->cfg->sql_provider) {
        return;
    }
    if (strcmp(pv, "sqlite") == 0) {
        ERR(c, a->span, "Native types are not supported with %s connector.", pv);
        return;
    }
    const rorm__native_type *nt = rorm__prisma_native_type(pv, name);
    if (!nt) {
        ERR(c, a->name_span, "Native type %s is not supported for %s connector.", name, pv);
        return;
    }
    if (t == 0 || t == RORM_FIELD_UNSUPPORTED) {
        ERR(c, a->span,
            "Native type %s cannot be used on field `%s` of type `%s`: native types apply to "
            "scalar fields (String, Int, ...) only.",
            name, f->name, tb ? tb->name : type_label(f));
        return;
    }
    size_t n = a->args.len;
    if (n > nt->nargs || (n > 0 && n < nt->nargs) || (nt->required && n == 0)) {
        ERR(c, a->span, "Native type %s takes %u %sargument%s, but received %zu.", name,
            (unsigned)nt->nargs, nt->required ? "" : "optional ", nt->nargs == 1 ? "" : "s", n);
        return;
    }
    unsigned long v[2] = { 0, 0 };
    for (size_t i = 0; i < n; i++) {
        const rorm__expr *e = &a->args.items[i].value;
        const char *txt = e->text ? e->text : "";
        bool digits = e->kind == RORM_EXPR_NUMBER && *txt && strlen(txt) <= 9;
        for (const char *p = txt; digits && *p; p++) {
            digits = *p >= '0' && *p <= '9';
        }
        if (!digits || a->args.items[i].name) {
            ERR(c, e->span,
                "Expected a numeric value, but failed while parsing \"%s\": native type "
                "arguments are non-negative integers.",
                e->kind == RORM_EXPR_ERROR ? "" : txt);
            return;
        }
        v[i] = strtoul(txt, NULL, 10);
    }
    bool my = strcmp(pv, "mysql") == 0;
    const char *range = NULL;
    if (strcmp(name, "Decimal") == 0 && n == 2) {
        if (v[1] > v[0]) {
            ERR(c, a->span,
                "Argument S is out of range for native type `%s(%lu,%lu)` of %s: the scale must "
                "not be larger than the precision.",
                name, v[0], v[1], pv);
            return;
        }
        if (my && v[0] > 65) {
            range = "Precision can range from 1 to 65.";
        } else if (my && v[1] > 30) {
            range = "Scale can range from 0 to 30.";
        } else if (!my && (v[0] == 0 || v[0] > 1000)) {
            range = "Precision must be positive with a maximum value of 1000.";
        }
    } else if (n == 1 && my) {
        if (strcmp(name, "Bit") == 0 && (v[0] == 0 || v[0] > 64)) {
            range = "M can range from 1 to 64.";
        } else if (strcmp(name, "Bit") == 0 && v[0] > 1 && t == RORM_FIELD_BOOL) {
            range = "only Bit(1) can be used as Boolean.";
        } else if ((strcmp(name, "Char") == 0 || strcmp(name, "Binary") == 0) && v[0] > 255) {
            range = "M can range from 0 to 255.";
        } else if ((strcmp(name, "VarChar") == 0 || strcmp(name, "VarBinary") == 0) &&
                   v[0] > 65535) {
            range = "M can range from 0 to 65,535.";
        } else if ((strcmp(name, "Time") == 0 || strcmp(name, "DateTime") == 0 ||
                    strcmp(name, "Timestamp") == 0) &&
                   v[0] > 6) {
            range = "M can range from 0 to 6.";
        }
    } else if (n == 1) {
        if ((strcmp(name, "Bit") == 0 || strcmp(name, "VarBit") == 0) && v[0] == 0) {
            range = "M must be a positive integer.";
        } else if (strncmp(name, "Time", 4) == 0 && v[0] > 6) {
            range = "M can range from 0 to 6.";
        }
    }
    if (range) {
        char shown[64];
        if (n == 2) {
            snprintf(shown, sizeof shown, "%s(%lu,%lu)", name, v[0], v[1]);
        } else {
            snprintf(shown, sizeof shown, "%s(%lu)", name, v[0]);
        }
        ERR(c, a->span, "Argument M is out of range for native type `%s` of %s: %s", shown, pv,
            range);
        return;
    }
    if (!(nt->scalars & (1u << t))) {
        char expected[64];
        scalar_list(expected, sizeof expected, nt->scalars);
        ERR(c, a->span,
            "Native type %s is not compatible with declared field type %s, expected field type "
            "%s.",
            name, type_label(f), expected);
    }
}

static void check_field(vctx *c, const rorm__block *b, const rorm__pfield *f)
{
    unsigned t = rorm__prisma_scalar_type(f->type_name);
    const rorm__block *tb = t ? NULL : rorm__pschema_find(c->ps, f->type_name);
    bool relation = is_model_like(tb);
    if (t == RORM_FIELD_UNSUPPORTED) {
        if (!f->type_has_args || f->type_args.len != 1 ||
            f->type_args.items[0].value.kind != RORM_EXPR_STRING) {
            ERR(c, f->type_span, "`Unsupported` takes one string: Unsupported(\"geometry\").");
        }
    } else if (f->type_has_args) {
        ERR(c, f->type_span, "Only `Unsupported(\"...\")` takes arguments in a field type.");
    }
    if (!t && !tb) {
        ERR(c, f->type_span,
            "Type \"%s\" is neither a built-in type, nor refers to another model, composite "
            "type, or enum.",
            f->type_name);
    } else if (tb && tb->kind == RORM_BLOCK_TYPE && c->cfg->provider && c->cfg->sql_provider) {
        ERR(c, f->type_span,
            "Composite type \"%s\" is not supported on %s: composite types are only available "
            "with MongoDB. Use a Json field or a related model.",
            tb->name, c->cfg->provider);
    }
    if (relation && b->kind == RORM_BLOCK_TYPE) {
        ERR(c, f->type_span, "A composite type cannot have relation fields.");
    }
    if (f->arity == RORM_ARITY_LIST && t && t != RORM_FIELD_UNSUPPORTED && c->cfg->provider &&
        (strcmp(c->cfg->provider, "sqlite") == 0 || strcmp(c->cfg->provider, "mysql") == 0)) {
        ERR(c, f->type_span,
            "Field \"%s\" in %s \"%s\" can't be a list. The current connector does not support "
            "lists of primitive types.",
            f->name, kind_name(b), b->name);
    }
    bool has_id = false;
    const rorm__attr *native_seen = NULL;
    for (size_t i = 0; i < f->attrs.len; i++) {
        const rorm__attr *a = &f->attrs.ptr[i];
        for (size_t j = 0; j < i; j++) {
            if (strcmp(f->attrs.ptr[j].name, a->name) == 0 && strchr(a->name, '.') == NULL) {
                ERR(c, a->span, "Attribute \"@%s\" can only be defined once.", a->name);
            }
        }
        const char *dot = strchr(a->name, '.');
        if (dot) {
            if (!c->ds_name || strlen(c->ds_name) != (size_t)(dot - a->name) ||
                strncmp(a->name, c->ds_name, (size_t)(dot - a->name)) != 0) {
                ERR(c, a->name_span,
                    "The prefix of native type attribute \"@%s\" must be the datasource name "
                    "(\"%s\").",
                    a->name, c->ds_name ? c->ds_name : "no datasource is defined");
            } else if (relation) {
                ERR(c, a->name_span, "Native types cannot be used on relation fields.");
            } else if (native_seen) {
                ERR(c, a->span,
                    "A field takes one native type attribute: `@%s` and `@%s` are both on field "
                    "`%s`.",
                    native_seen->name, a->name, f->name);
            } else {
                native_seen = a;
                check_native_type(c, f, t, tb, a, dot + 1);
            }
            continue;
        }
        if (b->kind == RORM_BLOCK_TYPE && strcmp(a->name, "relation") == 0) {
            ERR(c, a->span,
                "Error validating: Defining `@relation` attribute for a field in a composite "
                "type is not allowed.");
            continue;
        }
        if (!known_field_attr(a->name)) {
            ERR(c, a->name_span, "Attribute not known: \"@%s\".", a->name);
            continue;
        }
        if (strcmp(a->name, "id") == 0) {
            has_id = true;
            if (b->kind == RORM_BLOCK_VIEW) {
                ERR(c, a->span, "Error validating: Views cannot have primary keys.");
            }
            if (f->arity != RORM_ARITY_REQUIRED) {
                ERR(c, a->span,
                    "Error parsing attribute \"@id\": Fields that are marked as id must be "
                    "required (remove `?` or `[]`).");
            }
            if (relation) {
                ERR(c, a->span, "A relation field cannot be the id; mark the scalar field.");
            }
            check_index_args(c, a, true);
            const char *nt = native_type_of(c, f, NULL);
            if (c->cfg->provider && strcmp(c->cfg->provider, "mysql") == 0 &&
                is_mysql_text_type(nt) && !attr_arg(a, "length", -1)) {
                ERR(c, a->span,
                    "You cannot define a primary key on fields with native type `%s` of MySQL. "
                    "Please use the `length` argument to the field in the index definition to "
                    "allow this.",
                    nt);
            }
        } else if (strcmp(a->name, "unique") == 0) {
            if (relation) {
                ERR(c, a->span,
                    "Error parsing attribute \"@unique\": The attribute cannot be used on "
                    "relation fields; put it on the scalar field instead.");
            }
            check_index_args(c, a, true);
            const char *nt = native_type_of(c, f, NULL);
            if (c->cfg->provider && strcmp(c->cfg->provider, "mysql") == 0 &&
                is_mysql_text_type(nt) && !attr_arg(a, "length", -1)) {
                ERR(c, a->span,
                    "Native type `%s` cannot be unique in MySQL. Please use the `length` "
                    "argument to the field in the index definition to allow this.",
                    nt);
            }
        } else if (strcmp(a->name, "default") == 0) {
            if (relation) {
                ERR(c, a->span, "A relation field cannot have a default value.");
            } else if (t || (tb && tb->kind == RORM_BLOCK_ENUM)) {
                check_default(c, f, t, a);
            }
        } else if (strcmp(a->name, "updatedAt") == 0) {
            if (t != RORM_FIELD_DATETIME) {
                ERR(c, a->span,
                    "Error parsing attribute \"@updatedAt\": Fields that are marked with "
                    "@updatedAt must be of type DateTime (this one is `%s`).",
                    type_label(f));
            }
        } else if (strcmp(a->name, "map") == 0) {
            if (relation) {
                ERR(c, a->span,
                    "Error parsing attribute \"@map\": The attribute `@map` cannot be used on "
                    "relation fields.");
            }
            const rorm__expr *v = attr_arg(a, "name", 0);
            if (!v || v->kind != RORM_EXPR_STRING) {
                ERR(c, a->span, "Error parsing attribute \"@map\": expects a string: @map(\"x\").");
            }
        } else if (strcmp(a->name, "relation") == 0) {
            if (!relation) {
                ERR(c, a->span,
                    "Error parsing attribute \"@relation\": it can only be used on relation "
                    "fields, and `%s` is not a model.",
                    type_label(f));
            }
        }
    }
    (void)has_id;
}

/*
 * `type:` (the index method) and per-field `ops:`/`sort:` of a block index: PostgreSQL knows
 * BTree, Hash, Gist, Gin, SpGist and Brin, CockroachDB BTree and Gin, MySQL and SQLite BTree
 * only; a Hash index takes no sort order; operator classes belong to @@index; and the client
 * name of a compound key (`a_b`) must not be a field's name.
 */
static void check_index_method(vctx *c, const rorm__block *b, const rorm__attr *a)
{
    static const char *const methods[] = { "BTree", "Hash", "Gist", "Gin", "SpGist", "Brin" };
    const char *pv = c->cfg->provider ? c->cfg->provider : "";
    const rorm__arg *type = rorm__args_find(&a->args, "type", -1);
    const rorm__expr *fl = attr_arg(a, "fields", 0);
    bool hash = false;
    if (type) {
        int m = -1;
        for (int i = 0; i < 6 && type->value.kind == RORM_EXPR_CONST; i++) {
            if (strcmp(type->value.text, methods[i]) == 0) {
                m = i;
            }
        }
        bool pg = strcmp(pv, "postgresql") == 0;
        bool crdb = strcmp(pv, "cockroachdb") == 0;
        if (strcmp(a->name, "index") != 0) {
            ERR(c, type->span,
                "Error parsing attribute \"@@%s\": The `type` argument is only allowed on "
                "@@index.",
                a->name);
        } else if (m < 0) {
            ERR(c, type->value.span,
                "Error parsing attribute \"@@index\": Unknown index type `%s`: use BTree, Hash, "
                "Gist, Gin, SpGist or Brin.",
                type->value.text ? type->value.text : "?");
        } else if (!(m == 0 || pg || (crdb && m == 3))) {
            ERR(c, type->span,
                "Error parsing attribute \"@@index\": The given index type is not supported "
                "with the current connector");
        }
        hash = m == 1 && pg;
    }
    const char *names[64];
    size_t n = 0;
    for (size_t i = 0; fl && fl->kind == RORM_EXPR_ARRAY && i < fl->args.len; i++) {
        const rorm__expr *e = &fl->args.items[i].value;
        if (e->kind == RORM_EXPR_CONST || e->kind == RORM_EXPR_CALL) {
            if (n < 64) {
                names[n++] = e->text;
            }
        }
        if (e->kind != RORM_EXPR_CALL) {
            continue;
        }
        if (rorm__args_find(&e->args, "ops", -1) && strcmp(a->name, "index") != 0) {
            ERR(c, a->span,
                "Error parsing attribute \"@@%s\": Operator classes can only be defined to "
                "fields in an @@index attribute.",
                a->name);
        }
        if (hash && rorm__args_find(&e->args, "sort", -1)) {
            ERR(c, a->span,
                "Error parsing attribute \"@@index\": Hash type does not support sort option.");
        }
    }
    if ((strcmp(a->name, "unique") == 0 || strcmp(a->name, "id") == 0) && n > 1 &&
        !rorm__args_find(&a->args, "name", -1)) {
        char joined[512];
        size_t len = 0;
        joined[0] = '\0';
        for (size_t i = 0; i < n && len < sizeof joined; i++) {
            len +=
                (size_t)snprintf(joined + len, sizeof joined - len, "%s%s", i ? "_" : "", names[i]);
        }
        if (len < sizeof joined && rorm__block_field(b, joined)) {
            ERR(c, a->span,
                "Error validating %s \"%s\": The field `%s` clashes with the `@@%s` name. "
                "Please resolve the conflict by providing a custom id name: `@@%s([...], name: "
                "\"custom_name\")`",
                kind_name(b), b->name, joined, a->name, a->name);
        }
    }
}

/* The fields of an @@id/@@unique/@@index/@@fulltext. Returns how many names were found. */
static size_t check_block_index(vctx *c, const rorm__block *b, const rorm__attr *a)
{
    const rorm__expr *fl = attr_arg(a, "fields", 0);
    if (!fl || fl->kind != RORM_EXPR_ARRAY) {
        ERR(c, a->span, "Error parsing attribute \"@@%s\": expects a list of fields: @@%s([a, b]).",
            a->name, a->name);
        return 0;
    }
    if (fl->args.len == 0) {
        ERR(c, fl->span, "Error parsing attribute \"@@%s\": the list of fields is empty.", a->name);
    }
    size_t n = 0;
    for (size_t i = 0; i < fl->args.len; i++) {
        const rorm__expr *e = &fl->args.items[i].value;
        if (e->kind == RORM_EXPR_STRING) {
            ERR(c, e->span,
                "Expected a constant literal value, but received string value `\"%s\"`.", e->text);
            continue;
        }
        if (e->kind != RORM_EXPR_CONST && e->kind != RORM_EXPR_CALL) {
            ERR(c, e->span, "Error parsing attribute \"@@%s\": expected a field name.", a->name);
            continue;
        }
        n++;
        const rorm__pfield *f = rorm__block_field(b, e->text);
        if (!f) {
            ERR(c, e->span,
                "Error validating %s \"%s\": The %s definition refers to the unknown field `%s`.",
                kind_name(b), b->name, strcmp(a->name, "id") == 0 ? "id" : "index", e->text);
            continue;
        }
        if (rorm__field_relation_target(c->ps, f)) {
            ERR(c, e->span,
                "Error validating %s \"%s\": The %s definition refers to the relation field "
                "`%s`. Index definitions must reference only scalar fields.",
                kind_name(b), b->name, strcmp(a->name, "id") == 0 ? "id" : "index", e->text);
            continue;
        }
        if (strcmp(a->name, "id") == 0 && f->arity != RORM_ARITY_REQUIRED) {
            ERR(c, e->span, "The id field `%s` must be required (remove `?`).", f->name);
        }
        const char *nt = native_type_of(c, f, NULL);
        bool has_length = e->kind == RORM_EXPR_CALL && rorm__args_find(&e->args, "length", -1);
        if (c->cfg->provider && strcmp(c->cfg->provider, "mysql") == 0 && is_mysql_text_type(nt) &&
            !has_length && strcmp(a->name, "fulltext") != 0) {
            ERR(c, e->span,
                "You cannot define an index on fields with native type `%s` of MySQL. Please "
                "use the `length` argument to the field in the index definition to allow this.",
                nt);
        }
        if (has_length && c->cfg->provider && strcmp(c->cfg->provider, "mysql") != 0) {
            ERR(c, e->span,
                "Error parsing attribute \"@@%s\": The length argument is not supported in an "
                "index definition with the current connector.",
                a->name);
        }
    }
    check_index_args(c, a, false);
    check_index_method(c, b, a);
    return n;
}

static bool schema_declared(const vctx *c, const char *name)
{
    for (size_t i = 0; c->schemas && i < c->schemas->args.len; i++) {
        const rorm__expr *e = &c->schemas->args.items[i].value;
        if (e->kind == RORM_EXPR_STRING && strcmp(e->text, name) == 0) {
            return true;
        }
    }
    return false;
}

static void check_schema_attr(vctx *c, const rorm__block *b)
{
    const rorm__attr *sa = rorm__attr_find(&b->attrs, "schema");
    if (sa) {
        const rorm__expr *v = attr_arg(sa, "name", 0);
        if (!c->cfg->has_schemas) {
            ERR(c, sa->span,
                "@@schema is not supported here: declare the schemas in the datasource with "
                "`schemas = [...]` (PostgreSQL and CockroachDB only).");
        } else if (!v || v->kind != RORM_EXPR_STRING) {
            ERR(c, sa->span, "@@schema expects a string: @@schema(\"public\").");
        } else if (!schema_declared(c, v->text)) {
            ERR(c, v->span,
                "This schema is not defined in the datasource. Read more on `@@schema` at "
                "https://pris.ly/d/multi-schema");
        }
    } else if (c->cfg->has_schemas && c->schemas && b->kind != RORM_BLOCK_TYPE) {
        ERR(c, b->name_span,
            "Error validating %s \"%s\": This %s is missing an `@@schema` attribute.", kind_name(b),
            b->name, kind_name(b));
    }
}

static bool fields_unique_in(const vctx *c, const rorm__block *b, const char **names, size_t n);

static void check_model(vctx *c, const rorm__block *b)
{
    if (b->kind == RORM_BLOCK_VIEW && !c->cfg->views_enabled) {
        ERR(c, b->kw_span,
            "Error validating: View definitions are only available with the `views` preview "
            "feature: add previewFeatures = [\"views\"] to the generator block.");
    }
    for (size_t i = 0; i < b->fields.len; i++) {
        const rorm__pfield *f = &b->fields.ptr[i];
        for (size_t j = 0; j < i; j++) {
            if (strcmp(b->fields.ptr[j].name, f->name) == 0) {
                ERR(c, f->name_span, "Field \"%s\" is already defined on %s \"%s\".", f->name,
                    kind_name(b), b->name);
                break;
            }
        }
        check_field(c, b, f);
    }
    size_t ids = 0;
    const rorm__attr *block_id = NULL;
    for (size_t i = 0; i < b->fields.len; i++) {
        if (rorm__attr_find(&b->fields.ptr[i].attrs, "id")) {
            ids++;
        }
    }
    if (ids > 1) {
        ERR(c, b->name_span,
            "Error validating %s \"%s\": At most one field must be marked as the id field with "
            "the `@id` attribute; use @@id([a, b]) for a compound key.",
            kind_name(b), b->name);
    }
    bool has_unique_criterion = ids > 0;
    for (size_t i = 0; i < b->attrs.len; i++) {
        const rorm__attr *a = &b->attrs.ptr[i];
        if (!known_block_attr(b->kind, a->name)) {
            ERR(c, a->name_span, "Attribute not known: \"@@%s\".", a->name);
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            const char *n = b->attrs.ptr[j].name;
            if (strcmp(n, a->name) == 0 && (strcmp(n, "id") == 0 || strcmp(n, "map") == 0 ||
                                            strcmp(n, "schema") == 0 || strcmp(n, "ignore") == 0)) {
                ERR(c, a->span, "Attribute \"@@%s\" can only be defined once.", a->name);
            }
        }
        if (strcmp(a->name, "id") == 0) {
            block_id = a;
            if (b->kind == RORM_BLOCK_VIEW) {
                ERR(c, a->span, "Error validating: Views cannot have primary keys.");
            }
            if (ids > 0) {
                ERR(c, a->span,
                    "Error validating %s \"%s\": Each model must have at most one id criteria. "
                    "You can't have `@id` and `@@id` at the same time.",
                    kind_name(b), b->name);
            }
            if (check_block_index(c, b, a) > 0) {
                has_unique_criterion = true;
            }
        } else if (strcmp(a->name, "unique") == 0 || strcmp(a->name, "index") == 0 ||
                   strcmp(a->name, "fulltext") == 0) {
            check_block_index(c, b, a);
            if (strcmp(a->name, "fulltext") == 0 && c->cfg->provider &&
                strcmp(c->cfg->provider, "mysql") != 0) {
                ERR(c, a->span,
                    "@@fulltext is only supported on MySQL (and MongoDB); use @@index on %s.",
                    c->cfg->provider);
            }
            if (strcmp(a->name, "unique") == 0) {
                const rorm__expr *fl = attr_arg(a, "fields", 0);
                const char *names[64];
                size_t n = expr_names(fl, names, 64);
                bool all_required = n > 0;
                for (size_t k = 0; k < n; k++) {
                    const rorm__pfield *f = rorm__block_field(b, names[k]);
                    all_required = all_required && f && f->arity == RORM_ARITY_REQUIRED;
                }
                has_unique_criterion = has_unique_criterion || all_required;
            }
        } else if (strcmp(a->name, "map") == 0) {
            const rorm__expr *v = attr_arg(a, "name", 0);
            if (!v || v->kind != RORM_EXPR_STRING) {
                ERR(c, a->span, "@@map expects a string: @@map(\"table_name\").");
            }
        }
    }
    (void)block_id;
    for (size_t i = 0; i < b->fields.len && !has_unique_criterion; i++) {
        const rorm__pfield *f = &b->fields.ptr[i];
        if (f->arity == RORM_ARITY_REQUIRED && rorm__attr_find(&f->attrs, "unique") &&
            !rorm__field_relation_target(c->ps, f)) {
            has_unique_criterion = true;
        }
    }
    if (b->kind == RORM_BLOCK_MODEL && !has_unique_criterion &&
        !rorm__attr_find(&b->attrs, "ignore")) {
        ERR(c, b->name_span,
            "Error validating model \"%s\": Each model must have at least one unique criteria "
            "that has only required fields. Either mark a single field with `@id`, `@unique` or "
            "add a multi field criterion with `@@id([])` or `@@unique([])` to the model.",
            b->name);
    }
    check_schema_attr(c, b);
    (void)fields_unique_in;
}

static void check_enum(vctx *c, const rorm__block *b)
{
    if (b->fields.len == 0) {
        ERR(c, b->name_span, "An enum must have at least one value.");
    }
    for (size_t i = 0; i < b->fields.len; i++) {
        const rorm__pfield *f = &b->fields.ptr[i];
        for (size_t j = 0; j < i; j++) {
            if (strcmp(b->fields.ptr[j].name, f->name) == 0) {
                ERR(c, f->name_span, "Value \"%s\" is already defined on enum \"%s\".", f->name,
                    b->name);
                break;
            }
        }
        for (size_t k = 0; k < f->attrs.len; k++) {
            const rorm__attr *a = &f->attrs.ptr[k];
            if (strcmp(a->name, "map") != 0) {
                ERR(c, a->name_span, "Attribute not known on an enum value: \"@%s\".", a->name);
            } else {
                const rorm__expr *v = attr_arg(a, "name", 0);
                if (!v || v->kind != RORM_EXPR_STRING) {
                    ERR(c, a->span, "@map expects a string: @map(\"db_value\").");
                }
            }
        }
    }
    for (size_t i = 0; i < b->attrs.len; i++) {
        const rorm__attr *a = &b->attrs.ptr[i];
        if (!known_block_attr(b->kind, a->name)) {
            ERR(c, a->name_span, "Attribute not known on an enum: \"@@%s\".", a->name);
        }
    }
    check_schema_attr(c, b);
}

static void check_type(vctx *c, const rorm__block *b)
{
    for (size_t i = 0; i < b->fields.len; i++) {
        const rorm__pfield *f = &b->fields.ptr[i];
        for (size_t j = 0; j < i; j++) {
            if (strcmp(b->fields.ptr[j].name, f->name) == 0) {
                ERR(c, f->name_span, "Field \"%s\" is already defined on type \"%s\".", f->name,
                    b->name);
                break;
            }
        }
        check_field(c, b, f);
    }
    for (size_t i = 0; i < b->attrs.len; i++) {
        ERR(c, b->attrs.ptr[i].name_span, "A composite type cannot have block attributes.");
    }
}

/* ---- Names across blocks --------------------------------------------------------------------- */

static const char *db_name_of(const rorm__block *b, const char **schema_out)
{
    const rorm__expr *m = attr_arg(rorm__attr_find(&b->attrs, "map"), "name", 0);
    const rorm__expr *s = attr_arg(rorm__attr_find(&b->attrs, "schema"), "name", 0);
    *schema_out = s && s->kind == RORM_EXPR_STRING ? s->text : "";
    return m && m->kind == RORM_EXPR_STRING ? m->text : b->name;
}

static void check_names(vctx *c)
{
    const rorm__pschema *ps = c->ps;
    for (size_t i = 0; i < ps->blocks.len; i++) {
        const rorm__block *b = ps->blocks.ptr[i];
        if (!b->name) {
            continue;
        }
        bool config = b->kind == RORM_BLOCK_DATASOURCE || b->kind == RORM_BLOCK_GENERATOR;
        for (size_t j = 0; j < i; j++) {
            const rorm__block *o = ps->blocks.ptr[j];
            bool oconfig = o->kind == RORM_BLOCK_DATASOURCE || o->kind == RORM_BLOCK_GENERATOR;
            if (!o->name || config != oconfig || strcmp(o->name, b->name) != 0) {
                continue;
            }
            if (config && o->kind != b->kind) {
                continue;
            }
            ERR(c, b->name_span,
                "The %s \"%s\" cannot be defined because a %s with that name already exists.",
                kind_name(b), b->name, kind_name(o));
            break;
        }
        if (!config && rorm__prisma_scalar_type(b->name)) {
            ERR(c, b->name_span, "The %s name \"%s\" is reserved for a built-in type.",
                kind_name(b), b->name);
        }
        if (!is_model_like(b) || rorm__attr_find(&b->attrs, "ignore")) {
            continue;
        }
        const char *sch, *osch;
        const char *dbn = db_name_of(b, &sch);
        for (size_t j = 0; j < i; j++) {
            const rorm__block *o = ps->blocks.ptr[j];
            if (!is_model_like(o) || !o->name || strcmp(o->name, b->name) == 0 ||
                rorm__attr_find(&o->attrs, "ignore")) {
                continue;
            }
            const char *odbn = db_name_of(o, &osch);
            if (strcmp(dbn, odbn) == 0 && strcmp(sch, osch) == 0) {
                const rorm__attr *m = rorm__attr_find(&b->attrs, "map");
                ERR(c, m ? m->span : b->name_span,
                    "The %s with database name \"%s\" could not be defined because another model "
                    "or view with this name exists: \"%s\"",
                    kind_name(b), dbn, o->name);
                break;
            }
        }
    }
}

/* ---- Relations ------------------------------------------------------------------------------- */

/* True when @p names (n of them) are exactly the fields of an id or unique criterion of @p b. */
static bool fields_unique_in(const vctx *c, const rorm__block *b, const char **names, size_t n)
{
    (void)c;
    if (n == 1) {
        const rorm__pfield *f = rorm__block_field(b, names[0]);
        if (f && (rorm__attr_find(&f->attrs, "id") || rorm__attr_find(&f->attrs, "unique"))) {
            return true;
        }
    }
    for (size_t i = 0; i < b->attrs.len; i++) {
        const rorm__attr *a = &b->attrs.ptr[i];
        if (strcmp(a->name, "id") != 0 && strcmp(a->name, "unique") != 0) {
            continue;
        }
        const char *crit[64];
        size_t m = expr_names(attr_arg(a, "fields", 0), crit, 64);
        if (m != n) {
            continue;
        }
        bool all = true;
        for (size_t k = 0; k < m && all; k++) {
            bool found = false;
            for (size_t j = 0; j < n; j++) {
                found = found || strcmp(crit[k], names[j]) == 0;
            }
            all = found;
        }
        if (all) {
            return true;
        }
    }
    return false;
}

/* True when some index, unique or id of @p b starts with the fields @p names. */
static bool fields_indexed_in(const rorm__block *b, const char **names, size_t n)
{
    if (n == 1) {
        const rorm__pfield *f = rorm__block_field(b, names[0]);
        if (f && (rorm__attr_find(&f->attrs, "id") || rorm__attr_find(&f->attrs, "unique"))) {
            return true;
        }
    }
    for (size_t i = 0; i < b->attrs.len; i++) {
        const rorm__attr *a = &b->attrs.ptr[i];
        if (strcmp(a->name, "id") != 0 && strcmp(a->name, "unique") != 0 &&
            strcmp(a->name, "index") != 0) {
            continue;
        }
        const char *crit[64];
        size_t m = expr_names(attr_arg(a, "fields", 0), crit, 64);
        if (m < n) {
            continue;
        }
        bool prefix = true;
        for (size_t k = 0; k < n && prefix; k++) {
            prefix = strcmp(crit[k], names[k]) == 0;
        }
        if (prefix) {
            return true;
        }
    }
    return false;
}

static bool has_single_id(const rorm__block *b)
{
    for (size_t i = 0; i < b->fields.len; i++) {
        if (rorm__attr_find(&b->fields.ptr[i].attrs, "id")) {
            return true;
        }
    }
    return false;
}

static int action_of(const char *s)
{
    static const char *const names[] = { "Cascade", "Restrict", "NoAction", "SetNull",
                                         "SetDefault" };
    for (int i = 0; i < 5; i++) {
        if (strcmp(names[i], s) == 0) {
            return i + 1;
        }
    }
    return 0;
}

static void check_actions(vctx *c,
                          const rorm__block *b,
                          const rorm__pfield *f,
                          const rorm__attr *rel,
                          const char **fk,
                          size_t nfk)
{
    static const char *const which[] = { "onDelete", "onUpdate" };
    for (int w = 0; w < 2; w++) {
        const rorm__arg *arg = rorm__args_find(&rel->args, which[w], -1);
        if (!arg) {
            continue;
        }
        if (arg->value.kind != RORM_EXPR_CONST || !action_of(arg->value.text)) {
            ERR(c, arg->span,
                "Invalid referential action for `%s`. Allowed values: (`Cascade`, `Restrict`, "
                "`NoAction`, `SetNull`, `SetDefault`).",
                which[w]);
            continue;
        }
        int act = action_of(arg->value.text);
        if (c->cfg->relation_mode_prisma && act == 5) {
            ERR(c, arg->span,
                "Error validating: Invalid referential action: `SetDefault`. Allowed values: "
                "(`Cascade`, `Restrict`, `NoAction`, `SetNull`)");
            continue;
        }
        if (c->cfg->relation_mode_prisma && act == 3 && c->cfg->provider &&
            (strcmp(c->cfg->provider, "postgresql") == 0 ||
             strcmp(c->cfg->provider, "sqlite") == 0)) {
            ERR(c, arg->span,
                "Error validating: Invalid referential action: `NoAction`. Allowed values: "
                "(`Cascade`, `Restrict`, `SetNull`). `NoAction` is not implemented for %s when "
                "using `relationMode = \"prisma\"`, you could try using `Restrict` instead. Learn "
                "more at https://pris.ly/d/relation-mode",
                strcmp(c->cfg->provider, "sqlite") == 0 ? "sqlite" : "Postgres");
            continue;
        }
        if (act == 5 && c->cfg->provider && strcmp(c->cfg->provider, "mysql") == 0) {
            WARN(c, arg->span,
                 "MySQL does not actually support the `SetDefault` referential action, so using "
                 "it may result in unexpected errors. Read more at "
                 "https://pris.ly/d/mysql-set-default");
        }
        if (act == 4 && w == 0) {
            bool any_required = false;
            for (size_t k = 0; k < nfk; k++) {
                const rorm__pfield *ff = rorm__block_field(b, fk[k]);
                any_required = any_required || (ff && ff->arity == RORM_ARITY_REQUIRED);
            }
            if (any_required) {
                bool pg = c->cfg->provider && (strcmp(c->cfg->provider, "postgresql") == 0 ||
                                               strcmp(c->cfg->provider, "cockroachdb") == 0);
                if (pg && !c->cfg->relation_mode_prisma) {
                    WARN(c, arg->span,
                         "The `onDelete` referential action of a relation should not be set to "
                         "`SetNull` when a referenced field is required. We recommend either to "
                         "choose another referential action, or to make the referenced fields "
                         "optional.");
                } else {
                    ERR(c, arg->span,
                        "Error parsing attribute \"@relation\": The `onDelete` referential "
                        "action of a relation must not be set to `SetNull` when a referenced "
                        "field is required. Either choose another referential action, or make "
                        "the referenced fields optional.");
                }
            }
        }
    }
    (void)f;
}

static void check_relation_side(vctx *c,
                                const rorm__block *b,
                                const rorm__pfield *f,
                                const rorm__block *ob,
                                const rorm__pfield *of)
{
    const rorm__attr *rel = rorm__attr_find(&f->attrs, "relation");
    const rorm__expr *fields = attr_arg(rel, "fields", -1);
    const rorm__expr *refs = attr_arg(rel, "references", -1);
    for (size_t i = 0; rel && i < rel->args.len; i++) {
        const rorm__arg *arg = &rel->args.items[i];
        static const char *const known[] = { "name",     "fields",   "references",
                                             "onDelete", "onUpdate", "map" };
        bool ok = !arg->name && i == 0;
        for (size_t k = 0; arg->name && k < 6; k++) {
            ok = ok || strcmp(arg->name, known[k]) == 0;
        }
        if (!ok) {
            ERR(c, arg->span, "Error parsing attribute \"@relation\": unknown argument%s%s.",
                arg->name ? " " : "", arg->name ? arg->name : "");
        }
    }
    bool list = f->arity == RORM_ARITY_LIST;
    bool olist = of->arity == RORM_ARITY_LIST;
    if (list && olist) {
        if (b->kind == RORM_BLOCK_VIEW || ob->kind == RORM_BLOCK_VIEW) {
            ERR(c, f->span,
                "Error validating: Implicit many-to-many relations are not supported for views.");
        } else if (!has_single_id(ob)) {
            ERR(c, f->span,
                "Error validating field `%s` in %s `%s`: The relation field `%s` references `%s` "
                "which does not have an `@id` field. Models without `@id` cannot be part of a "
                "many to many relation. Use an explicit intermediate Model to represent this "
                "relationship.",
                f->name, kind_name(b), b->name, f->name, ob->name);
        }
        if (fields || refs) {
            ERR(c, rel->span,
                "Implicit many-to-many relation fields must not set `fields` or `references`; "
                "use an explicit join model to control the columns.");
        }
        return;
    }
    if (list) {
        if (fields || refs) {
            ERR(c, rel->span,
                "The relation field `%s` on %s `%s` is a list: `fields` and `references` belong "
                "on the other side, `%s.%s`.",
                f->name, kind_name(b), b->name, ob->name, of->name);
        }
        return;
    }
    const rorm__attr *orel = rorm__attr_find(&of->attrs, "relation");
    bool ofields = attr_arg(orel, "fields", -1) != NULL;
    if (!fields && !refs) {
        if (olist) {
            if (!rorm__attr_find(&f->attrs, "ignore") && !rorm__attr_find(&b->attrs, "ignore")) {
                ERR(c, f->span,
                    "Error parsing attribute \"@relation\": The relation field `%s` on %s `%s` "
                    "must specify the `fields` argument in the @relation attribute. You can run "
                    "`prisma format` to fix this automatically.",
                    f->name, kind_name(b), b->name);
            }
        } else if (!ofields && (b < ob || (b == ob && f < of))) {
            ERR(c, f->span,
                "Error parsing attribute \"@relation\": The relation fields `%s` on %s `%s` and "
                "`%s` on %s `%s` do not provide the `fields` argument in the @relation attribute. "
                "You have to provide it on one of the two fields.",
                f->name, kind_name(b), b->name, of->name, kind_name(ob), ob->name);
        } else if (ofields && f->arity == RORM_ARITY_REQUIRED && !olist) {
            ERR(c, f->span,
                "Error parsing attribute \"@relation\": The relation field `%s` on %s `%s` is "
                "required. This is not valid because it's not possible to enforce this "
                "constraint on the database level. Please change the field type from `%s` to "
                "`%s?` to fix this.",
                f->name, kind_name(b), b->name, f->type_name, f->type_name);
        }
        return;
    }
    if (!fields || !refs) {
        ERR(c, rel->span,
            "Error parsing attribute \"@relation\": `fields` and `references` must be given "
            "together.");
        return;
    }
    if (!olist && ofields && (b < ob || (b == ob && f < of))) {
        ERR(c, rel->span,
            "The relation fields `%s` on %s `%s` and `%s` on %s `%s` both provide the "
            "`fields` argument. Provide it on only one side of a one-to-one relation.",
            f->name, kind_name(b), b->name, of->name, kind_name(ob), ob->name);
    }
    if (fields->kind != RORM_EXPR_ARRAY || refs->kind != RORM_EXPR_ARRAY) {
        ERR(c, rel->span, "`fields` and `references` expect lists of field names: [a, b].");
        return;
    }
    const char *fk[64], *rk[64];
    size_t nfk = expr_names(fields, fk, 64);
    size_t nrk = expr_names(refs, rk, 64);
    if (nfk != fields->args.len || nrk != refs->args.len) {
        ERR(c, rel->span, "`fields` and `references` expect field names, not strings.");
        return;
    }
    if (nfk != nrk) {
        ERR(c, rel->span,
            "Error parsing attribute \"@relation\": You must specify the same number of fields "
            "in `fields` and `references`.");
        return;
    }
    if (nfk == 0) {
        ERR(c, rel->span, "`fields` and `references` must not be empty.");
        return;
    }
    bool ok = true;
    for (size_t k = 0; k < nfk; k++) {
        const rorm__pfield *ff = rorm__block_field(b, fk[k]);
        const rorm__pfield *rf = rorm__block_field(ob, rk[k]);
        if (!ff || rorm__field_relation_target(c->ps, ff)) {
            ERR(c, fields->args.items[k].span,
                "Error validating: The argument fields must refer only to existing scalar "
                "fields. The following fields do not exist in this model: %s",
                fk[k]);
            ok = false;
            continue;
        }
        if (!rf || rorm__field_relation_target(c->ps, rf)) {
            ERR(c, refs->args.items[k].span,
                "Error validating: The argument `references` must refer only to existing "
                "scalar fields in the related model `%s`. The following fields do not exist in "
                "the related model: %s",
                ob->name, rk[k]);
            ok = false;
            continue;
        }
        if (strcmp(ff->type_name, rf->type_name) != 0) {
            ERR(c, fields->args.items[k].span,
                "The type of the field `%s` in the %s `%s` is not matching the type of the "
                "referenced field `%s` in %s `%s`.",
                ff->name, kind_name(b), b->name, rf->name, kind_name(ob), ob->name);
            ok = false;
        }
    }
    if (!ok) {
        return;
    }
    if (!fields_unique_in(c, ob, rk, nrk) && ob->kind != RORM_BLOCK_VIEW) {
        ERR(c, refs->span,
            "Error parsing attribute \"@relation\": The argument `references` must refer to a "
            "unique criterion in the related model. Consider adding an `@unique` attribute to "
            "the field%s `%s` in the model `%s`.",
            nrk > 1 ? "s" : "", rk[0], ob->name);
    }
    if (!olist && !fields_unique_in(c, b, fk, nfk)) {
        ERR(c, fields->span,
            "Error parsing attribute \"@relation\": A one-to-one relation must use unique fields "
            "on the defining side. Either add an `@unique` attribute to the field `%s`, or "
            "change the relation to one-to-many.",
            fk[0]);
    }
    if (c->cfg->relation_mode_prisma && !fields_indexed_in(b, fk, nfk)) {
        WARN(c, rel->span,
             "With `relationMode = \"prisma\"`, no foreign keys are used, so relation fields "
             "will not benefit from the index usually created by the relational database under "
             "the hood. This can lead to poor performance when querying these fields. We "
             "recommend adding an index manually.");
    }
    check_actions(c, b, f, rel, fk, nfk);
}

static void check_relations(vctx *c)
{
    const rorm__pschema *ps = c->ps;
    for (size_t i = 0; i < ps->blocks.len; i++) {
        const rorm__block *b = ps->blocks.ptr[i];
        if (!is_model_like(b) || !b->name) {
            continue;
        }
        for (size_t j = 0; j < b->fields.len; j++) {
            const rorm__pfield *f = &b->fields.ptr[j];
            const rorm__block *ob;
            if (!rorm__field_relation_target(ps, f)) {
                continue;
            }
            const rorm__pfield *of = rorm__relation_opposite(ps, b, f, &ob);
            const char *rn = rorm__field_relation_name(f);
            /* Ambiguity: another field of b to ob with the same relation name. */
            bool ambiguous = false;
            for (size_t k = 0; k < b->fields.len; k++) {
                const rorm__pfield *g = &b->fields.ptr[k];
                if (g == f || !g->type_name || strcmp(g->type_name, ob->name) != 0 ||
                    !same_name(rn, rorm__field_relation_name(g))) {
                    continue;
                }
                /* A self-relation has exactly two fields sharing the name: both sides. */
                if (b == ob) {
                    size_t same = 0;
                    for (size_t m = 0; m < b->fields.len; m++) {
                        const rorm__pfield *h = &b->fields.ptr[m];
                        same += h->type_name && strcmp(h->type_name, b->name) == 0 &&
                                same_name(rn, rorm__field_relation_name(h));
                    }
                    if (same <= 2) {
                        continue;
                    }
                }
                ambiguous = true;
                if (k > j) {
                    ERR(c, f->span,
                        "Error validating model \"%s\": Ambiguous relation detected. The fields "
                        "`%s` and `%s` in %s `%s` both refer to `%s`. Please provide different "
                        "relation names for them by adding `@relation(<name>)`.",
                        b->name, f->name, g->name, kind_name(b), b->name, ob->name);
                }
                break;
            }
            if (ambiguous) {
                continue;
            }
            if (!of) {
                if (rorm__attr_find(&f->attrs, "ignore") || rorm__attr_find(&ob->attrs, "ignore") ||
                    rorm__attr_find(&b->attrs, "ignore")) {
                    continue;
                }
                ERR(c, f->span,
                    "Error validating field `%s` in %s `%s`: The relation field `%s` on %s `%s` "
                    "is missing an opposite relation field on the %s `%s`. Either run `prisma "
                    "format` or add it manually.",
                    f->name, kind_name(b), b->name, f->name, kind_name(b), b->name, kind_name(ob),
                    ob->name);
                continue;
            }
            check_relation_side(c, b, f, ob, of);
        }
    }
}

/* ---- Constraint names ------------------------------------------------------------------------ */

/*
 * Databases keep constraint names in namespaces, and Prisma checks each name against the
 * namespaces of the provider: on PostgreSQL primary keys, indexes and unique constraints share
 * one namespace per database schema, and a table's foreign keys may not reuse a name of its own
 * keys or indexes; CockroachDB checks only the per-table namespace; MySQL has foreign-key names
 * global per database and index names per table; SQLite has index names global per database.
 * Names are the database names, given with `map:` or Prisma's defaults.
 */

#define CN_PK    1u
#define CN_INDEX 2u
#define CN_FK    4u

typedef struct cname {
    char *name;
    unsigned kind; /* CN_* */
    const rorm__block *b;
    const char *schema; /* @@schema or "" */
    const char *attr;   /* "id", "unique", "relation" ... for the message */
    bool block;         /* @@attr */
    rorm__span at;      /* the `map:` argument, else the attribute */
} cname;

typedef struct cscope {
    unsigned contents; /* the kinds of names in the namespace */
    unsigned checks;   /* the kinds of names checked against it */
    bool global;       /* per database schema; else per model */
    const char *what;  /* the namespace in the message, after "global" or "on model `M`" */
} cscope;

static const cscope scope_global_index = { CN_INDEX, CN_INDEX, true,
                                           "for indexes and unique constraints" };
static const cscope scope_global_fk = { CN_FK, CN_FK, true, "for foreign keys" };
static const cscope scope_global_pk_index = { CN_PK | CN_INDEX, CN_PK | CN_INDEX, true,
                                              "for primary key, indexes and unique constraints" };
static const cscope scope_model_index = { CN_INDEX, CN_INDEX, false,
                                          "for indexes and unique constraints" };
static const cscope scope_model_all = {
    CN_PK | CN_INDEX | CN_FK, CN_PK | CN_FK, false,
    "for primary key, indexes, unique constraints and foreign keys"
};

typedef rorm_vec(cname) cname_vec;

/* The database column of field @p name in @p b (its @map, else the name). */
static const char *column_name(const rorm__block *b, const char *name)
{
    const rorm__pfield *f = rorm__block_field(b, name);
    const rorm__expr *m = f ? attr_arg(rorm__attr_find(&f->attrs, "map"), "name", 0) : NULL;
    return m && m->kind == RORM_EXPR_STRING ? m->text : name;
}

/* Add the name of a constraint: `map:` of @p a if given, else Prisma's default. */
static bool add_cname(vctx *c,
                      cname_vec *v,
                      const rorm__block *b,
                      const rorm__attr *a,
                      unsigned kind,
                      const char *const *cols,
                      size_t ncols,
                      const char *suffix,
                      rorm__span fallback)
{
    const char *schema;
    const char *table = db_name_of(b, &schema);
    const rorm__arg *map = a ? rorm__args_find(&a->args, "map", -1) : NULL;
    bool given = map && map->value.kind == RORM_EXPR_STRING;
    if (given) {
        /* A name the database would refuse or cut: PostgreSQL allows 63 bytes, MySQL 64. */
        const char *pv = c->cfg->provider;
        size_t limit = strcmp(pv, "mysql") == 0 ? 64 : strcmp(pv, "sqlite") == 0 ? 10000 : 63;
        size_t len = strlen(map->value.text);
        if (len == 0) {
            ERR(c, map->span,
                "Error parsing attribute \"%s%s\": The `map` argument cannot be an empty string.",
                a->block ? "@@" : "@", a->name);
        } else if (len > limit) {
            ERR(c, map->span,
                "Error parsing attribute \"%s%s\": The constraint name '%s' specified in the "
                "`map` argument is too long for your chosen provider. The maximum allowed length "
                "is %zu bytes.",
                a->block ? "@@" : "@", a->name, map->value.text, limit);
        }
    }
    char *name = given ? rorm__strdup(map->value.text)
                       : rorm__prisma_constraint_name(c->cfg->provider, table, cols, ncols, suffix);
    if (!name || rorm_vec_reserve(v, 1) != RORM_OK) {
        rorm__free(name);
        return false;
    }
    cname *e = &v->ptr[v->len++];
    e->name = name;
    e->kind = kind;
    e->b = b;
    e->schema = schema;
    e->attr = kind == CN_FK ? "relation" : a ? a->name : "id";
    e->block = a && a->block;
    const rorm__arg *api = a && kind != CN_FK ? rorm__args_find(&a->args, "name", -1) : NULL;
    e->at = given ? map->span : api ? api->span : a ? a->span : fallback;
    return true;
}

static bool collect_cnames(vctx *c, cname_vec *v, const rorm__block *b)
{
    bool pg =
        strcmp(c->cfg->provider, "postgresql") == 0 || strcmp(c->cfg->provider, "cockroachdb") == 0;
    for (size_t i = 0; i < b->fields.len; i++) {
        const rorm__pfield *f = &b->fields.ptr[i];
        const char *col = column_name(b, f->name);
        const rorm__attr *id = rorm__attr_find(&f->attrs, "id");
        const rorm__attr *uq = rorm__attr_find(&f->attrs, "unique");
        const rorm__attr *rel = rorm__attr_find(&f->attrs, "relation");
        if (id && pg && !add_cname(c, v, b, id, CN_PK, NULL, 0, "pkey", f->span)) {
            return false;
        }
        if (uq && !add_cname(c, v, b, uq, CN_INDEX, &col, 1, "key", f->span)) {
            return false;
        }
        const rorm__expr *fl = attr_arg(rel, "fields", -1);
        if (fl && !c->cfg->relation_mode_prisma && rorm__field_relation_target(c->ps, f)) {
            const char *names[64], *cols[64];
            size_t n = expr_names(fl, names, 64);
            for (size_t k = 0; k < n; k++) {
                cols[k] = column_name(b, names[k]);
            }
            if (n > 0 && !add_cname(c, v, b, rel, CN_FK, cols, n, "fkey", f->span)) {
                return false;
            }
        }
    }
    for (size_t i = 0; i < b->attrs.len; i++) {
        const rorm__attr *a = &b->attrs.ptr[i];
        bool id = strcmp(a->name, "id") == 0;
        bool unique = strcmp(a->name, "unique") == 0;
        if (!(id && pg) && !unique && strcmp(a->name, "index") != 0 &&
            strcmp(a->name, "fulltext") != 0) {
            continue;
        }
        const char *names[64], *cols[64];
        size_t n = expr_names(attr_arg(a, "fields", 0), names, 64);
        for (size_t k = 0; k < n; k++) {
            cols[k] = column_name(b, names[k]);
        }
        if (n > 0 && !add_cname(c, v, b, a, id ? CN_PK : CN_INDEX, id ? NULL : cols, id ? 0 : n,
                                id       ? "pkey"
                                : unique ? "key"
                                         : "idx",
                                a->span)) {
            return false;
        }
    }
    return true;
}

static void check_scope(vctx *c, const cname_vec *v, const cscope *sc)
{
    for (size_t i = 0; i < v->len; i++) {
        const cname *e = &v->ptr[i];
        if (!(sc->checks & e->kind)) {
            continue;
        }
        size_t same = 0;
        for (size_t j = 0; j < v->len && same < 2; j++) {
            const cname *o = &v->ptr[j];
            bool ns = sc->global ? strcmp(o->schema, e->schema) == 0 : o->b == e->b;
            same += (sc->contents & o->kind) && ns && strcmp(o->name, e->name) == 0;
        }
        if (same > 1) {
            ERR(c, e->at,
                "Error parsing attribute \"%s%s\": The given constraint name `%s` has to be "
                "unique in the following namespace: %s%s%s %s. Please provide a different name "
                "using the `map` argument.",
                e->block ? "@@" : "@", e->attr, e->name, sc->global ? "global" : "on model `",
                sc->global ? "" : e->b->name, sc->global ? "" : "`", sc->what);
        }
    }
}

/* The `name:` of @@id and @@unique becomes a client API name: unique per model. */
static void check_custom_names(vctx *c, const rorm__block *b)
{
    for (size_t i = 0; i < b->attrs.len; i++) {
        const rorm__attr *a = &b->attrs.ptr[i];
        const rorm__arg *n = rorm__args_find(&a->args, "name", -1);
        if ((strcmp(a->name, "id") != 0 && strcmp(a->name, "unique") != 0) || !n ||
            n->value.kind != RORM_EXPR_STRING) {
            continue;
        }
        for (size_t j = 0; j < b->attrs.len; j++) {
            const rorm__attr *o = &b->attrs.ptr[j];
            const rorm__arg *on = rorm__args_find(&o->args, "name", -1);
            if (j != i && (strcmp(o->name, "id") == 0 || strcmp(o->name, "unique") == 0) && on &&
                on->value.kind == RORM_EXPR_STRING && strcmp(on->value.text, n->value.text) == 0) {
                ERR(c, n->span,
                    "Error parsing attribute \"@@%s\": The given custom name `%s` has to be "
                    "unique on the model. Please provide a different name for the `name` "
                    "argument.",
                    a->name, n->value.text);
                break;
            }
        }
    }
}

/*
 * MySQL and SQLite do not name primary keys (MySQL's is always PRIMARY), and SQLite does not
 * name foreign keys: a `map:` on those is an error, as in Prisma.
 */
static void check_named_keys(vctx *c, const rorm__block *b)
{
    bool sqlite = strcmp(c->cfg->provider, "sqlite") == 0;
    bool pk_map = false;
    if (!sqlite && strcmp(c->cfg->provider, "mysql") != 0) {
        return;
    }
    for (size_t i = 0; i < b->attrs.len; i++) {
        const rorm__attr *a = &b->attrs.ptr[i];
        pk_map = pk_map || (strcmp(a->name, "id") == 0 && rorm__args_find(&a->args, "map", -1));
    }
    for (size_t i = 0; i < b->fields.len; i++) {
        const rorm__pfield *f = &b->fields.ptr[i];
        const rorm__attr *id = rorm__attr_find(&f->attrs, "id");
        const rorm__attr *rel = rorm__attr_find(&f->attrs, "relation");
        const rorm__arg *fk_map = rel ? rorm__args_find(&rel->args, "map", -1) : NULL;
        pk_map = pk_map || (id && rorm__args_find(&id->args, "map", -1));
        if (sqlite && fk_map && rorm__field_relation_target(c->ps, f)) {
            ERR(c, fk_map->span,
                "Error parsing attribute \"@relation\": Your provider does not support named "
                "foreign keys.");
        }
    }
    if (pk_map) {
        ERR(c, b->name_span,
            "Error validating %s \"%s\": You defined a database name for the primary key on the "
            "model. This is not supported by the provider.",
            kind_name(b), b->name);
    }
}

static void check_constraint_names(vctx *c)
{
    const char *pv = c->cfg->provider;
    const cscope *scopes[2] = { NULL, NULL };
    if (!pv || !c->cfg->sql_provider) {
        return;
    }
    if (strcmp(pv, "postgresql") == 0) {
        scopes[0] = &scope_global_pk_index;
        scopes[1] = &scope_model_all;
    } else if (strcmp(pv, "cockroachdb") == 0) {
        scopes[0] = &scope_model_all;
    } else if (strcmp(pv, "mysql") == 0) {
        scopes[0] = &scope_global_fk;
        scopes[1] = &scope_model_index;
    } else {
        scopes[0] = &scope_global_index;
    }
    cname_vec v = { 0 };
    bool ok = true;
    for (size_t i = 0; i < c->ps->blocks.len && ok; i++) {
        const rorm__block *b = c->ps->blocks.ptr[i];
        if (is_model_like(b) && b->name) {
            ok = collect_cnames(c, &v, b);
            check_custom_names(c, b);
            check_named_keys(c, b);
        }
    }
    if (!ok) {
        rorm__diag_set_oom(c->d);
    }
    for (size_t k = 0; k < 2 && ok; k++) {
        if (scopes[k]) {
            check_scope(c, &v, scopes[k]);
        }
    }
    for (size_t i = 0; i < v.len; i++) {
        rorm__free(v.ptr[i].name);
    }
    rorm_vec_free(&v);
}

size_t rorm__prisma_validate(rorm__pconfig *cfg, const rorm__pschema *ps, rorm_diagnostics *d)
{
    vctx c;
    memset(&c, 0, sizeof c);
    memset(cfg, 0, sizeof *cfg);
    c.cfg = cfg;
    c.ps = ps;
    c.d = d;
    for (size_t i = 0; i < ps->blocks.len; i++) {
        const rorm__block *b = ps->blocks.ptr[i];
        if (b->kind == RORM_BLOCK_DATASOURCE && b->name) {
            check_datasource(&c, b);
        }
    }
    for (size_t i = 0; i < ps->blocks.len; i++) {
        const rorm__block *b = ps->blocks.ptr[i];
        if (b->kind == RORM_BLOCK_GENERATOR && b->name) {
            check_generator(&c, b);
        }
    }
    if (cfg->provider && !cfg->sql_provider) {
        /* MongoDB and SQL Server schemas follow other rules; the loader rejects them anyway. */
        return c.errors;
    }
    check_names(&c);
    for (size_t i = 0; i < ps->blocks.len; i++) {
        const rorm__block *b = ps->blocks.ptr[i];
        if (!b->name) {
            continue;
        }
        switch (b->kind) {
        case RORM_BLOCK_MODEL:
        case RORM_BLOCK_VIEW:
            check_model(&c, b);
            break;
        case RORM_BLOCK_ENUM:
            check_enum(&c, b);
            break;
        case RORM_BLOCK_TYPE:
            check_type(&c, b);
            break;
        default:
            break;
        }
    }
    check_relations(&c);
    check_constraint_names(&c);
    return c.errors;
}
