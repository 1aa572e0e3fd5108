/*
 * Schema validation. rorm_schema_validate() checks a whole schema (names, keys, indexes,
 * defaults, relations) and resolves the names written by the builder into pointers: index and
 * key fields, enums, related models, foreign-key and referenced fields and the opposite side of
 * each relation. It then fills in the constraint names nobody gave (Prisma's conventions:
 * users_pkey, posts_title_idx, users_email_key, posts_author_id_fkey, _CategoryToPost) and
 * freezes the schema.
 *
 * It runs in two phases. The first checks and resolves pointers and may stop at any problem;
 * running it again simply resolves again. The second allocates every generated name before it
 * assigns any, so a failure there changes nothing.
 */
#include "schema/schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/str.h"

/* Defined in schema.c; see the note in builder.c. */
const char *rorm__suggest(const rorm_map *names, const char *name);

typedef struct pending_name {
    char **slot;
    char *value;
} pending_name;

/* References that default to the related model's primary key. */
typedef struct pending_refs {
    rorm_relation *rel;
    char **names;
    rorm_field **fields;
    size_t n;
} pending_refs;

typedef struct validator {
    rorm_schema *s;
    rorm_error *err;
    rorm_vec(pending_name) names;
    rorm_vec(pending_refs) refs;
} validator;

static void validator_dispose(validator *v)
{
    for (size_t i = 0; i < v->names.len; i++) {
        rorm__free(v->names.ptr[i].value);
    }
    rorm_vec_free(&v->names);
    for (size_t i = 0; i < v->refs.len; i++) {
        pending_refs *p = &v->refs.ptr[i];
        for (size_t k = 0; p->names && k < p->n; k++) {
            rorm__free(p->names[k]);
        }
        rorm__free(p->names);
        rorm__free(p->fields);
    }
    rorm_vec_free(&v->refs);
}

/* Report a schema problem; @p line is the Prisma source line when known, else 0. */
__attribute__((format(printf, 3, 4))) static int fail(validator *v, int line, const char *fmt, ...)
{
    if (v->err) {
        va_list ap;
        rorm__error(v->err, RORM_ESCHEMA, "%s", "");
        va_start(ap, fmt);
        vsnprintf(v->err->message, sizeof v->err->message, fmt, ap);
        va_end(ap);
        v->err->line = line;
    }
    return RORM_ESCHEMA;
}

/* " (did you mean 'x'?)" for the name of @p names closest to @p name, or "". */
static const char *did_you_mean(char *buf, size_t size, const rorm_map *names, const char *name)
{
    const char *near = rorm__suggest(names, name);
    buf[0] = '\0';
    if (near) {
        snprintf(buf, size, " (did you mean '%s'?)", near);
    }
    return buf;
}

static int line_of(const rorm_field *f)
{
    return f->line ? f->line : f->model->line;
}

/* ---- Enums and models -------------------------------------------------------------------------
 */

static int check_enums(validator *v)
{
    rorm_schema *s = v->s;
    for (size_t i = 0; i < s->enums.len; i++) {
        rorm_enum *e = s->enums.ptr[i];
        if (rorm__map_get(&s->enum_map, e->name, strlen(e->name)) != e) {
            return fail(v, e->line, "duplicate enum '%s'", e->name);
        }
        if (rorm__map_has(&s->model_map, e->name, strlen(e->name))) {
            return fail(v, e->line, "enum '%s' has the same name as a model", e->name);
        }
        if (e->values.len == 0) {
            return fail(v, e->line, "enum '%s' has no values", e->name);
        }
        for (size_t a = 0; a < e->values.len; a++) {
            for (size_t b = 0; b < a; b++) {
                if (strcmp(e->values.ptr[a], e->values.ptr[b]) == 0) {
                    return fail(v, e->line, "duplicate value '%s' in enum '%s'", e->values.ptr[a],
                                e->name);
                }
            }
        }
    }
    return RORM_OK;
}

static bool enum_has(const rorm_enum *e, const char *value)
{
    for (size_t i = 0; value && i < e->values.len; i++) {
        if (strcmp(e->values.ptr[i], value) == 0) {
            return true;
        }
    }
    return false;
}

static const char *generator_name(unsigned kind)
{
    switch (kind) {
    case RORM_DEFAULT_UUID:
        return "uuid()";
    case RORM_DEFAULT_CUID:
        return "cuid()";
    case RORM_DEFAULT_UUID7:
        return "uuid(7)";
    case RORM_DEFAULT_CUID2:
        return "cuid(2)";
    case RORM_DEFAULT_NANOID:
        return "nanoid()";
    case RORM_DEFAULT_ULID:
        return "ulid()";
    default:
        return NULL;
    }
}

static int check_default(validator *v, rorm_field *f)
{
    const char *m = f->model->name;
    unsigned kind = f->def.kind;
    if (kind == RORM_DEFAULT_NOW && f->type != RORM_FIELD_DATETIME) {
        return fail(v, line_of(f), "default now() on field '%s.%s' which is not DateTime", m,
                    f->name);
    }
    if (generator_name(kind) && f->type != RORM_FIELD_STRING) {
        return fail(v, line_of(f), "default %s on field '%s.%s' which is not String",
                    generator_name(kind), m, f->name);
    }
    if (kind == RORM_DEFAULT_VALUE && f->type == RORM_FIELD_ENUM) {
        const rorm_value *val = &f->def.value;
        size_t n = val->type == RORM_TYPE_ARRAY ? rorm_value_len(val) : 1;
        for (size_t i = 0; i < n; i++) {
            const rorm_value *item =
                val->type == RORM_TYPE_ARRAY ? rorm_value_array_at(val, i) : val;
            const char *text = rorm_value_as_text(item);
            if (!enum_has(f->enumeration, text)) {
                return fail(v, line_of(f),
                            "default '%s' of field '%s.%s' is not a member of enum '%s'",
                            text ? text : "", m, f->name, f->enumeration->name);
            }
        }
    }
    return RORM_OK;
}

static int check_field(validator *v, rorm_model *model, rorm_field *f)
{
    char hint[96];
    const char *m = model->name;
    if (rorm__map_get(&model->field_map, f->name, strlen(f->name)) != f) {
        return fail(v, line_of(f), "duplicate field '%s' in model '%s'", f->name, m);
    }
    if (f->type == RORM_FIELD_RELATION) {
        return RORM_OK;
    }
    for (size_t i = 0; i < f->index; i++) {
        rorm_field *g = model->fields.ptr[i];
        if (g->column && strcmp(g->column, f->column) == 0) {
            return fail(v, line_of(f), "duplicate column '%s' in model '%s' (fields '%s' and '%s')",
                        f->column, m, g->name, f->name);
        }
    }
    f->enumeration = NULL;
    if (f->type == RORM_FIELD_ENUM) {
        if (f->enum_name == NULL) {
            return fail(v, line_of(f), "field '%s.%s' of type Enum has no enum_name", m, f->name);
        }
        f->enumeration = rorm__map_get(&v->s->enum_map, f->enum_name, strlen(f->enum_name));
        if (f->enumeration == NULL) {
            return fail(v, line_of(f), "field '%s.%s' refers to unknown enum '%s'%s", m, f->name,
                        f->enum_name,
                        did_you_mean(hint, sizeof hint, &v->s->enum_map, f->enum_name));
        }
    }
    if ((f->flags & RORM_AUTOINCREMENT) || f->def.kind == RORM_DEFAULT_AUTOINCREMENT) {
        if (f->type != RORM_FIELD_INT && f->type != RORM_FIELD_BIGINT) {
            return fail(v, line_of(f), "autoincrement on field '%s.%s' which is not Int or BigInt",
                        m, f->name);
        }
        if (f->flags & RORM_LIST) {
            return fail(v, line_of(f), "autoincrement on field '%s.%s' which is a list", m,
                        f->name);
        }
    }
    if ((f->flags & RORM_UPDATED_AT) && f->type != RORM_FIELD_DATETIME) {
        return fail(v, line_of(f), "RORM_UPDATED_AT on field '%s.%s' which is not DateTime", m,
                    f->name);
    }
    return check_default(v, f);
}

static bool name_in(char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0) {
            return true;
        }
    }
    return false;
}

/* True when some unique index of @p m covers only required fields (Prisma's unique criteria). */
static bool has_required_unique(const rorm_model *m)
{
    for (size_t i = 0; i < m->indexes.len; i++) {
        const rorm_index *ix = m->indexes.ptr[i];
        bool ok = ix->kind == RORM_INDEX_UNIQUE;
        for (size_t k = 0; ok && k < ix->nfields; k++) {
            const rorm_field *f =
                rorm__map_get(&m->field_map, ix->fields[k].name, strlen(ix->fields[k].name));
            ok = f && !(f->flags & (RORM_NULLABLE | RORM_LIST)) && f->type != RORM_FIELD_RELATION;
        }
        if (ok) {
            return true;
        }
    }
    return false;
}

static int check_primary_key(validator *v, rorm_model *m)
{
    char hint[96];
    m->pk.len = 0;
    if (m->pk_names.len > 0) {
        for (size_t i = 0; i < m->pk_names.len; i++) {
            const char *name = m->pk_names.ptr[i];
            rorm_field *f = rorm__map_get(&m->field_map, name, strlen(name));
            if (f == NULL) {
                return fail(v, m->line, "primary key of model '%s' names unknown field '%s'%s",
                            m->name, name, did_you_mean(hint, sizeof hint, &m->field_map, name));
            }
            if (name_in(m->pk_names.ptr, i, name)) {
                return fail(v, m->line, "primary key of model '%s' names field '%s' twice", m->name,
                            name);
            }
            if (rorm_vec_push(&m->pk, f) != RORM_OK) {
                return rorm__error_oom(v->err);
            }
        }
        for (size_t i = 0; i < m->fields.len; i++) {
            rorm_field *f = m->fields.ptr[i];
            if ((f->flags & RORM_PRIMARY_KEY) &&
                !name_in(m->pk_names.ptr, m->pk_names.len, f->name)) {
                return fail(
                    v, line_of(f),
                    "field '%s.%s' is marked RORM_PRIMARY_KEY but is not in primary_key of model '%s'",
                    m->name, f->name, m->name);
            }
        }
    } else {
        for (size_t i = 0; i < m->fields.len; i++) {
            rorm_field *f = m->fields.ptr[i];
            if ((f->flags & RORM_PRIMARY_KEY) && rorm_vec_push(&m->pk, f) != RORM_OK) {
                return rorm__error_oom(v->err);
            }
        }
    }
    if (m->pk.len == 0) {
        /* Prisma accepts a required unique instead of an id; views and ignored models need none. */
        if (m->is_view || m->ignored ||
            (v->s->naming == RORM_NAMING_PRISMA && has_required_unique(m))) {
            return RORM_OK;
        }
        return fail(
            v, m->line,
            "model '%s' has no primary key: mark a field RORM_PRIMARY_KEY or set primary_key",
            m->name);
    }
    for (size_t i = 0; i < m->pk.len; i++) {
        rorm_field *f = m->pk.ptr[i];
        if (f->type == RORM_FIELD_RELATION) {
            return fail(v, line_of(f), "primary key of model '%s' names relation field '%s'",
                        m->name, f->name);
        }
        if (f->flags & RORM_NULLABLE) {
            return fail(v, line_of(f), "primary key field '%s.%s' cannot be RORM_NULLABLE", m->name,
                        f->name);
        }
        if (f->flags & RORM_LIST) {
            return fail(v, line_of(f), "primary key field '%s.%s' cannot be a list", m->name,
                        f->name);
        }
    }
    return RORM_OK;
}

/* "(a, b)" or "'name'" for messages about an index. */
static const char *index_label(char *buf, size_t size, const rorm_index *ix)
{
    if (ix->name) {
        snprintf(buf, size, "'%s'", ix->name);
        return buf;
    }
    size_t n = (size_t)snprintf(buf, size, "(");
    for (size_t i = 0; i < ix->nfields && n < size; i++) {
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", ix->fields[i].name);
    }
    if (n < size) {
        snprintf(buf + n, size - n, ")");
    }
    return buf;
}

static int check_indexes(validator *v, rorm_model *m)
{
    char hint[96], label[128];
    for (size_t i = 0; i < m->indexes.len; i++) {
        rorm_index *ix = m->indexes.ptr[i];
        for (size_t k = 0; k < ix->nfields; k++) {
            const char *name = ix->fields[k].name;
            rorm_field *f = rorm__map_get(&m->field_map, name, strlen(name));
            ix->fields[k].field = f;
            if (f == NULL) {
                return fail(v, ix->line ? ix->line : m->line,
                            "index %s on model '%s' names unknown field '%s'%s",
                            index_label(label, sizeof label, ix), m->name, name,
                            did_you_mean(hint, sizeof hint, &m->field_map, name));
            }
            if (f->type == RORM_FIELD_RELATION) {
                return fail(v, ix->line ? ix->line : m->line,
                            "index %s on model '%s' names relation field '%s'",
                            index_label(label, sizeof label, ix), m->name, name);
            }
            for (size_t j = 0; j < k; j++) {
                if (ix->fields[j].field == f) {
                    return fail(v, ix->line ? ix->line : m->line,
                                "index %s on model '%s' names field '%s' twice",
                                index_label(label, sizeof label, ix), m->name, name);
                }
            }
        }
    }
    return RORM_OK;
}

static int check_models(validator *v)
{
    rorm_schema *s = v->s;
    int error;
    for (size_t i = 0; i < s->models.len; i++) {
        rorm_model *m = s->models.ptr[i];
        if (rorm__map_get(&s->model_map, m->name, strlen(m->name)) != m) {
            return fail(v, m->line, "duplicate model '%s'", m->name);
        }
        for (size_t j = 0; j < i; j++) {
            rorm_model *o = s->models.ptr[j];
            bool same_schema =
                o->schema_name == m->schema_name ||
                (o->schema_name && m->schema_name && strcmp(o->schema_name, m->schema_name) == 0);
            if (same_schema && strcmp(o->table, m->table) == 0) {
                return fail(v, m->line, "duplicate table '%s' (models '%s' and '%s')", m->table,
                            o->name, m->name);
            }
        }
        for (size_t k = 0; k < m->fields.len; k++) {
            if ((error = check_field(v, m, m->fields.ptr[k])) != RORM_OK) {
                return error;
            }
        }
        if ((error = check_primary_key(v, m)) != RORM_OK ||
            (error = check_indexes(v, m)) != RORM_OK) {
            return error;
        }
    }
    return RORM_OK;
}

/* ---- Relations --------------------------------------------------------------------------------
 */

static unsigned complement(unsigned kind)
{
    switch (kind) {
    case RORM_MANY_TO_ONE:
        return RORM_ONE_TO_MANY;
    case RORM_ONE_TO_MANY:
        return RORM_MANY_TO_ONE;
    default:
        return kind;
    }
}

/*
 * The kind of a relation field. RORM_RELATION_NONE (used by the Prisma front end) is inferred
 * from the other side's kind, or from which sides are lists.
 */
static unsigned effective_kind(const rorm_field *f)
{
    const rorm_relation *r = f->relation;
    const rorm_field *o = r->opposite;
    if (r->kind != RORM_RELATION_NONE) {
        return r->kind;
    }
    if (o && o->relation->kind != RORM_RELATION_NONE) {
        return complement(o->relation->kind);
    }
    bool list = (f->flags & RORM_LIST) != 0;
    if (o == NULL) {
        return list ? RORM_MANY_TO_MANY : RORM_MANY_TO_ONE;
    }
    bool other_list = (o->flags & RORM_LIST) != 0;
    if (list) {
        return other_list ? RORM_MANY_TO_MANY : RORM_ONE_TO_MANY;
    }
    return other_list ? RORM_MANY_TO_ONE : RORM_ONE_TO_ONE;
}

static const char *kind_name(unsigned kind)
{
    switch (kind) {
    case RORM_ONE_TO_ONE:
        return "one-to-one";
    case RORM_ONE_TO_MANY:
        return "one-to-many";
    case RORM_MANY_TO_ONE:
        return "many-to-one";
    case RORM_MANY_TO_MANY:
        return "many-to-many";
    default:
        return "unknown";
    }
}

static bool same_name(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static int resolve_targets(validator *v)
{
    char hint[96];
    rorm_schema *s = v->s;
    for (size_t i = 0; i < s->models.len; i++) {
        rorm_model *m = s->models.ptr[i];
        for (size_t k = 0; k < m->fields.len; k++) {
            rorm_field *f = m->fields.ptr[k];
            rorm_relation *r = f->relation;
            if (r == NULL) {
                continue;
            }
            r->opposite = NULL;
            r->model = rorm__map_get(&s->model_map, r->model_name, strlen(r->model_name));
            if (r->model == NULL) {
                return fail(v, line_of(f),
                            "relation '%s' on model '%s' refers to unknown model '%s'%s", f->name,
                            m->name, r->model_name,
                            did_you_mean(hint, sizeof hint, &s->model_map, r->model_name));
            }
        }
    }
    return RORM_OK;
}

/* Find the back-relation of each relation field: same relation name, pointing back. */
static int resolve_opposites(validator *v)
{
    rorm_schema *s = v->s;
    for (size_t i = 0; i < s->models.len; i++) {
        rorm_model *m = s->models.ptr[i];
        for (size_t k = 0; k < m->fields.len; k++) {
            rorm_field *f = m->fields.ptr[k];
            if (f->relation == NULL) {
                continue;
            }
            rorm_model *t = f->relation->model;
            size_t found = 0;
            for (size_t j = 0; j < t->fields.len; j++) {
                rorm_field *g = t->fields.ptr[j];
                if (g != f && g->relation && g->relation->model == m &&
                    same_name(g->relation->name, f->relation->name)) {
                    f->relation->opposite = g;
                    found++;
                }
            }
            if (found > 1) {
                f->relation->opposite = NULL;
                return fail(
                    v, line_of(f),
                    "ambiguous relation '%s' on model '%s': model '%s' has %zu relations back to it; give each pair the same relation_name",
                    f->name, m->name, t->name, found);
            }
        }
    }
    return RORM_OK;
}

/* True when the fields @p set (order ignored) are the primary key or a unique index of @p m. */
static bool is_unique_set(rorm_field *const *set, size_t n, const rorm_model *m)
{
    bool match = m->pk.len == n;
    for (size_t i = 0; match && i < n; i++) {
        bool in = false;
        for (size_t k = 0; k < n; k++) {
            in = in || m->pk.ptr[k] == set[i];
        }
        match = in;
    }
    if (match) {
        return true;
    }
    for (size_t x = 0; x < m->indexes.len; x++) {
        const rorm_index *ix = m->indexes.ptr[x];
        match = ix->kind == RORM_INDEX_UNIQUE && ix->nfields == n;
        for (size_t i = 0; match && i < n; i++) {
            bool in = false;
            for (size_t k = 0; k < n; k++) {
                in = in || ix->fields[k].field == set[i];
            }
            match = in;
        }
        if (match) {
            return true;
        }
    }
    return false;
}

static const char *field_list(char *buf, size_t size, rorm_field *const *fields, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++) {
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", fields[i]->name);
    }
    return buf;
}

/* Resolve the foreign-key and referenced fields of an owning side and check them. */
static int check_foreign_key(validator *v, rorm_field *f, unsigned kind)
{
    char hint[96], list[128];
    rorm_relation *r = f->relation;
    rorm_model *m = f->model, *t = r->model;
    for (size_t i = 0; i < r->nfields; i++) {
        const char *name = r->field_names[i];
        rorm_field *fk = rorm__map_get(&m->field_map, name, strlen(name));
        r->fields[i] = fk;
        if (fk == NULL) {
            return fail(v, line_of(f), "relation '%s' on model '%s' names unknown field '%s'%s",
                        f->name, m->name, name,
                        did_you_mean(hint, sizeof hint, &m->field_map, name));
        }
        if (fk->type == RORM_FIELD_RELATION) {
            return fail(v, line_of(f),
                        "relation '%s' on model '%s' names relation field '%s' as a foreign key",
                        f->name, m->name, name);
        }
    }
    rorm_field **refs = r->references;
    size_t nrefs = r->nreferences;
    if (nrefs == 0) {
        /* Without references the foreign key points at the related model's primary key. */
        if (t->pk.len == 0) {
            return fail(
                v, line_of(f),
                "relation '%s' on model '%s' has no references and model '%s' has no primary key",
                f->name, m->name, t->name);
        }
        refs = t->pk.ptr;
        nrefs = t->pk.len;
    }
    for (size_t i = 0; i < r->nreferences; i++) {
        const char *name = r->reference_names[i];
        rorm_field *ref = rorm__map_get(&t->field_map, name, strlen(name));
        r->references[i] = ref;
        if (ref == NULL) {
            return fail(v, line_of(f),
                        "relation '%s' on model '%s' references unknown field '%s' on model '%s'%s",
                        f->name, m->name, name, t->name,
                        did_you_mean(hint, sizeof hint, &t->field_map, name));
        }
        if (ref->type == RORM_FIELD_RELATION) {
            return fail(v, line_of(f),
                        "relation '%s' on model '%s' references relation field '%s.%s'", f->name,
                        m->name, t->name, name);
        }
    }
    if (r->nfields != nrefs) {
        return fail(v, line_of(f), "relation '%s' on model '%s' has %zu fields but %zu references",
                    f->name, m->name, r->nfields, nrefs);
    }
    for (size_t i = 0; i < nrefs; i++) {
        if (r->fields[i]->type != refs[i]->type) {
            return fail(
                v, line_of(f),
                "relation '%s' on model '%s': field '%s' is %s but referenced field '%s.%s' is %s",
                f->name, m->name, r->fields[i]->name, rorm_field_type_name(r->fields[i]->type),
                t->name, refs[i]->name, rorm_field_type_name(refs[i]->type));
        }
    }
    if (!is_unique_set(refs, nrefs, t)) {
        return fail(
            v, line_of(f),
            "relation '%s' on model '%s' references (%s) on model '%s' which is neither the primary key nor unique",
            f->name, m->name, field_list(list, sizeof list, refs, nrefs), t->name);
    }
    if (kind == RORM_ONE_TO_ONE && !is_unique_set(r->fields, r->nfields, m)) {
        return fail(v, line_of(f),
                    "one-to-one relation '%s' on model '%s' needs its fields (%s) to be unique",
                    f->name, m->name, field_list(list, sizeof list, r->fields, r->nfields));
    }
    if (r->nreferences == 0) {
        pending_refs p = { r, NULL, NULL, nrefs };
        if (rorm_vec_reserve(&v->refs, 1) != RORM_OK) {
            return rorm__error_oom(v->err);
        }
        p.names = rorm__calloc(nrefs, sizeof *p.names);
        p.fields = rorm__calloc(nrefs, sizeof *p.fields);
        v->refs.ptr[v->refs.len++] = p;
        if (p.names == NULL || p.fields == NULL) {
            return rorm__error_oom(v->err);
        }
        for (size_t i = 0; i < nrefs; i++) {
            p.fields[i] = refs[i];
            if ((p.names[i] = rorm__strdup(refs[i]->name)) == NULL) {
                return rorm__error_oom(v->err);
            }
        }
    }
    return RORM_OK;
}

static int check_relation(validator *v, rorm_field *f)
{
    rorm_relation *r = f->relation;
    rorm_model *m = f->model, *t = r->model;
    rorm_field *o = r->opposite;
    unsigned kind = effective_kind(f);
    int line = line_of(f);
    if (o && effective_kind(o) != complement(kind)) {
        return fail(
            v, line, "relation '%s' on model '%s' is %s but its back-relation '%s.%s' is %s",
            f->name, m->name, kind_name(kind), t->name, o->name, kind_name(effective_kind(o)));
    }
    if (r->nreferences > 0 && r->nfields == 0) {
        return fail(v, line, "relation '%s' on model '%s' has references but no fields", f->name,
                    m->name);
    }
    switch (kind) {
    case RORM_MANY_TO_ONE:
        if (r->nfields == 0) {
            return fail(
                v, line,
                "relation '%s' on model '%s' has no fields: a many-to-one relation holds the foreign key",
                f->name, m->name);
        }
        break;
    case RORM_ONE_TO_MANY:
        if (r->nfields > 0) {
            return fail(
                v, line,
                "relation '%s' on model '%s' is one-to-many and cannot have fields: the foreign key is on model '%s'",
                f->name, m->name, t->name);
        }
        if (o == NULL) {
            return fail(
                v, line,
                "relation '%s' on model '%s' has no back-relation on model '%s' holding the foreign key",
                f->name, m->name, t->name);
        }
        break;
    case RORM_ONE_TO_ONE:
        if (o && r->nfields > 0 && o->relation->nfields > 0) {
            return fail(
                v, line,
                "both sides of one-to-one relation '%s' on model '%s' have fields; only one side holds the foreign key",
                f->name, m->name);
        }
        if (r->nfields == 0 && (o == NULL || o->relation->nfields == 0)) {
            return fail(
                v, line,
                "neither side of one-to-one relation '%s' on model '%s' has fields (the foreign key)",
                f->name, m->name);
        }
        break;
    case RORM_MANY_TO_MANY:
        if (r->nfields > 0) {
            return fail(
                v, line,
                "many-to-many relation '%s' on model '%s' cannot have fields: it uses a join table",
                f->name, m->name);
        }
        if (m->pk.len != 1 || t->pk.len != 1) {
            return fail(
                v, line,
                "many-to-many relation '%s' on model '%s' needs a single-field primary key on model '%s'",
                f->name, m->name, m->pk.len != 1 ? m->name : t->name);
        }
        break;
    default:
        break;
    }
    if (r->nfields > 0) {
        return check_foreign_key(v, f, kind);
    }
    return RORM_OK;
}

static int check_relations(validator *v)
{
    int error;
    rorm_schema *s = v->s;
    if ((error = resolve_targets(v)) != RORM_OK || (error = resolve_opposites(v)) != RORM_OK) {
        return error;
    }
    for (size_t i = 0; i < s->models.len; i++) {
        rorm_model *m = s->models.ptr[i];
        for (size_t k = 0; k < m->fields.len; k++) {
            if (m->fields.ptr[k]->relation &&
                (error = check_relation(v, m->fields.ptr[k])) != RORM_OK) {
                return error;
            }
        }
    }
    return RORM_OK;
}

/* ---- Generated names --------------------------------------------------------------------------
 */

/* Queue @p value (built in @p str) for @p slot; RORM_ENOMEM when building or queueing failed. */
static int queue_name(validator *v, char **slot, rorm_str *str)
{
    char *value = rorm__str_detach(str);
    if (value == NULL || rorm_vec_reserve(&v->names, 1) != RORM_OK) {
        rorm__free(value);
        return RORM_ENOMEM;
    }
    v->names.ptr[v->names.len++] = (pending_name){ slot, value };
    return RORM_OK;
}

static int queue_model_names(validator *v, rorm_model *m)
{
    rorm_str str = RORM_STR_INIT;
    if (m->pk.len > 0 && m->pk_name == NULL) {
        rorm__str_printf(&str, "%s_pkey", m->table);
        if (queue_name(v, &m->pk_name, &str) != RORM_OK) {
            return RORM_ENOMEM;
        }
    }
    for (size_t i = 0; i < m->indexes.len; i++) {
        rorm_index *ix = m->indexes.ptr[i];
        if (ix->name) {
            continue;
        }
        rorm__str_puts(&str, m->table);
        for (size_t k = 0; k < ix->nfields; k++) {
            rorm__str_printf(&str, "_%s", ix->fields[k].field->column);
        }
        rorm__str_puts(&str, ix->kind == RORM_INDEX_UNIQUE ? "_key" : "_idx");
        if (queue_name(v, &ix->name, &str) != RORM_OK) {
            return RORM_ENOMEM;
        }
    }
    for (size_t k = 0; k < m->fields.len; k++) {
        rorm_field *f = m->fields.ptr[k];
        rorm_relation *r = f->relation;
        if (r == NULL) {
            continue;
        }
        if (r->nfields > 0 && r->fk_name == NULL && rorm__schema_has_fks(m->schema)) {
            rorm__str_puts(&str, m->table);
            for (size_t i = 0; i < r->nfields; i++) {
                rorm__str_printf(&str, "_%s", r->fields[i]->column);
            }
            rorm__str_puts(&str, "_fkey");
            if (queue_name(v, &r->fk_name, &str) != RORM_OK) {
                return RORM_ENOMEM;
            }
        }
        if (effective_kind(f) == RORM_MANY_TO_MANY && r->join_table == NULL) {
            /* Prisma's implicit join table: _<relation name>, or _<A>To<B> sorted byte-wise. */
            const char *a = m->name, *b = r->model->name;
            if (r->name) {
                rorm__str_printf(&str, "_%s", r->name);
            } else if (strcmp(a, b) <= 0) {
                rorm__str_printf(&str, "_%sTo%s", a, b);
            } else {
                rorm__str_printf(&str, "_%sTo%s", b, a);
            }
            if (queue_name(v, &r->join_table, &str) != RORM_OK) {
                return RORM_ENOMEM;
            }
        }
    }
    return RORM_OK;
}

/* Everything checked and allocated: write the results. Nothing here can fail. */
static void commit(validator *v)
{
    rorm_schema *s = v->s;
    for (size_t i = 0; i < v->names.len; i++) {
        *v->names.ptr[i].slot = v->names.ptr[i].value;
    }
    v->names.len = 0;
    for (size_t i = 0; i < v->refs.len; i++) {
        pending_refs *p = &v->refs.ptr[i];
        p->rel->reference_names = p->names;
        p->rel->references = p->fields;
        p->rel->nreferences = p->n;
    }
    v->refs.len = 0;
    /*
     * Inferred kinds first. Assigning one side's kind does not change what the other side
     * infers: the complement of a kind is what the list flags give too.
     */
    for (size_t i = 0; i < s->models.len; i++) {
        rorm_model *m = s->models.ptr[i];
        for (size_t k = 0; k < m->fields.len; k++) {
            rorm_field *f = m->fields.ptr[k];
            if (f->relation) {
                f->relation->kind = effective_kind(f);
            }
        }
    }
    for (size_t i = 0; i < s->models.len; i++) {
        rorm_model *m = s->models.ptr[i];
        for (size_t k = 0; k < m->pk.len; k++) {
            m->pk.ptr[k]->flags |= RORM_PRIMARY_KEY;
        }
        for (size_t k = 0; k < m->fields.len; k++) {
            rorm_field *f = m->fields.ptr[k];
            rorm_relation *r = f->relation;
            if (r == NULL) {
                continue;
            }
            /* A relation is optional when its foreign key may be NULL, and on the back side of a
               one-to-one (Prisma requires `?` there). */
            for (size_t j = 0; j < r->nfields; j++) {
                if (r->fields[j]->flags & RORM_NULLABLE) {
                    f->flags |= RORM_NULLABLE;
                }
            }
            if (r->kind == RORM_ONE_TO_ONE && r->nfields == 0) {
                f->flags |= RORM_NULLABLE;
            }
            if (r->kind == RORM_ONE_TO_MANY || r->kind == RORM_MANY_TO_MANY) {
                f->flags |= RORM_LIST;
            }
        }
    }
}

int rorm_schema_validate(rorm_schema *schema, rorm_error *err)
{
    RORM_CHECK_ARG(schema != NULL, err);
    if (schema->validated) {
        return RORM_OK;
    }
    validator v = { .s = schema, .err = err };
    int error;
    if ((error = check_enums(&v)) != RORM_OK || (error = check_models(&v)) != RORM_OK ||
        (error = check_relations(&v)) != RORM_OK) {
        goto done;
    }
    for (size_t i = 0; i < schema->models.len; i++) {
        if (queue_model_names(&v, schema->models.ptr[i]) != RORM_OK) {
            error = rorm__error_oom(err);
            goto done;
        }
    }
    commit(&v);
    schema->validated = true;
    schema->frozen = true;
done:
    validator_dispose(&v);
    return error;
}
