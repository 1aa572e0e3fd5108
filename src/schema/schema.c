/*
 * The schema model: creating and freeing a rorm_schema with its models, fields, relations,
 * indexes and enums, the public read accessors, and name lookups that suggest the nearest name
 * on a miss. Building lives in builder.c, checking and resolving in validate.c.
 */
#include "schema/schema.h"

#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/str.h"

int rorm_schema_new(rorm_schema **out, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    rorm_schema *s = rorm__calloc(1, sizeof *s);
    if (s == NULL) {
        return rorm__error_oom(err);
    }
    atomic_init(&s->refs, 1);
    s->naming = RORM_NAMING_NATIVE;
    rorm__map_init(&s->model_map, NULL);
    rorm__map_init(&s->enum_map, NULL);
    *out = s;
    return RORM_OK;
}

void rorm_schema_retain(rorm_schema *schema)
{
    if (schema) {
        atomic_fetch_add_explicit(&schema->refs, 1, memory_order_relaxed);
    }
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

static void relation_free(rorm_relation *r)
{
    if (r == NULL) {
        return;
    }
    rorm__free(r->model_name);
    rorm__free(r->name);
    rorm__free(r->fields);
    free_names(r->field_names, r->nfields);
    rorm__free(r->references);
    free_names(r->reference_names, r->nreferences);
    rorm__free(r->fk_name);
    rorm__free(r->join_table);
    rorm__free(r);
}

void rorm__field_free(rorm_field *f)
{
    if (f == NULL) {
        return;
    }
    rorm__free(f->name);
    rorm__free(f->column);
    rorm_value_dispose(&f->def.value);
    rorm__free(f->def.expr);
    rorm__free(f->enum_name);
    rorm__free(f->native_type);
    rorm__free(f->unsupported);
    rorm__free(f->doc);
    relation_free(f->relation);
    rorm__free(f);
}

void rorm__index_free(rorm_index *ix)
{
    if (ix == NULL) {
        return;
    }
    for (size_t i = 0; i < ix->nfields; i++) {
        rorm__free(ix->fields[i].name);
        rorm__free(ix->fields[i].ops);
    }
    rorm__free(ix->fields);
    rorm__free(ix->name);
    rorm__free(ix->api_name);
    rorm__free(ix->using);
    rorm__free(ix);
}

void rorm__model_free(rorm_model *m)
{
    if (m == NULL) {
        return;
    }
    for (size_t i = 0; i < m->fields.len; i++) {
        rorm__field_free(m->fields.ptr[i]);
    }
    rorm_vec_free(&m->fields);
    rorm__map_dispose(&m->field_map);
    rorm_vec_free(&m->pk);
    for (size_t i = 0; i < m->pk_names.len; i++) {
        rorm__free(m->pk_names.ptr[i]);
    }
    rorm_vec_free(&m->pk_names);
    for (size_t i = 0; i < m->indexes.len; i++) {
        rorm__index_free(m->indexes.ptr[i]);
    }
    rorm_vec_free(&m->indexes);
    rorm__free(m->name);
    rorm__free(m->table);
    rorm__free(m->schema_name);
    rorm__free(m->doc);
    rorm__free(m->pk_name);
    rorm__free(m);
}

void rorm__enum_free(rorm_enum *e)
{
    if (e == NULL) {
        return;
    }
    for (size_t i = 0; i < e->values.len; i++) {
        rorm__free(e->values.ptr[i]);
    }
    for (size_t i = 0; i < e->db_values.len; i++) {
        rorm__free(e->db_values.ptr[i]);
    }
    rorm_vec_free(&e->values);
    rorm_vec_free(&e->db_values);
    rorm__free(e->name);
    rorm__free(e->db_name);
    rorm__free(e->schema_name);
    rorm__free(e->doc);
    rorm__free(e);
}

void rorm_schema_release(rorm_schema *schema)
{
    if (schema == NULL) {
        return;
    }
    if (atomic_fetch_sub_explicit(&schema->refs, 1, memory_order_acq_rel) != 1) {
        return;
    }
    for (size_t i = 0; i < schema->models.len; i++) {
        rorm__model_free(schema->models.ptr[i]);
    }
    rorm_vec_free(&schema->models);
    rorm__map_dispose(&schema->model_map);
    for (size_t i = 0; i < schema->enums.len; i++) {
        rorm__enum_free(schema->enums.ptr[i]);
    }
    rorm_vec_free(&schema->enums);
    rorm__map_dispose(&schema->enum_map);
    rorm__free(schema->provider);
    for (size_t i = 0; i < schema->db_schemas.len; i++) {
        rorm__free(schema->db_schemas.ptr[i]);
    }
    rorm_vec_free(&schema->db_schemas);
    rorm__free(schema);
}

/* ---- Lookups ----------------------------------------------------------------------------------
 */

/*
 * The key of @p names closest to @p name, or NULL when none is close enough to be a likely typo:
 * at most max(2, len/3) edits (case-insensitive).
 */
const char *rorm__suggest(const rorm_map *names, const char *name)
{
    size_t len = strlen(name);
    size_t max = len / 3 > 2 ? len / 3 : 2;
    const char *best = NULL;
    size_t best_d = max + 1;
    const rorm_map_entry *e;
    rorm_map_foreach(names, e) {
        size_t d = rorm__edit_distance(name, e->key, max);
        if (d < best_d) {
            best_d = d;
            best = e->key;
        }
    }
    return best;
}

int rorm__schema_find_model(rorm_model **out,
                            const rorm_schema *s,
                            const char *name,
                            rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && s != NULL && name != NULL, err);
    *out = rorm__map_get(&s->model_map, name, strlen(name));
    if (*out != NULL) {
        return RORM_OK;
    }
    const char *near = rorm__suggest(&s->model_map, name);
    if (near) {
        return rorm__error(err, RORM_EINVAL, "unknown model '%s' (did you mean '%s'?)", name, near);
    }
    return rorm__error(err, RORM_EINVAL, "unknown model '%s'", name);
}

int rorm__model_find_field(rorm_field **out, const rorm_model *m, const char *name, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && m != NULL && name != NULL, err);
    *out = rorm__map_get(&m->field_map, name, strlen(name));
    if (*out != NULL) {
        return RORM_OK;
    }
    const char *near = rorm__suggest(&m->field_map, name);
    if (near) {
        return rorm__error(err, RORM_EINVAL,
                           "unknown field '%s' on model '%s' (did you mean '%s'?)", name, m->name,
                           near);
    }
    return rorm__error(err, RORM_EINVAL, "unknown field '%s' on model '%s'", name, m->name);
}

/* ---- Public accessors -------------------------------------------------------------------------
 */

size_t rorm_schema_model_count(const rorm_schema *schema)
{
    return schema ? schema->models.len : 0;
}

const rorm_model *rorm_schema_model_at(const rorm_schema *schema, size_t i)
{
    return schema && i < schema->models.len ? schema->models.ptr[i] : NULL;
}

const rorm_model *rorm_schema_model(const rorm_schema *schema, const char *name)
{
    if (schema == NULL || name == NULL) {
        return NULL;
    }
    return rorm__map_get(&schema->model_map, name, strlen(name));
}

size_t rorm_schema_enum_count(const rorm_schema *schema)
{
    return schema ? schema->enums.len : 0;
}

const rorm_enum *rorm_schema_enum_at(const rorm_schema *schema, size_t i)
{
    return schema && i < schema->enums.len ? schema->enums.ptr[i] : NULL;
}

const char *rorm_model_name(const rorm_model *model)
{
    return model ? model->name : NULL;
}

const char *rorm_model_table(const rorm_model *model)
{
    return model ? model->table : NULL;
}

const char *rorm_model_schema(const rorm_model *model)
{
    return model ? model->schema_name : NULL;
}

size_t rorm_model_field_count(const rorm_model *model)
{
    return model ? model->fields.len : 0;
}

const rorm_field *rorm_model_field_at(const rorm_model *model, size_t i)
{
    return model && i < model->fields.len ? model->fields.ptr[i] : NULL;
}

const rorm_field *rorm_model_field(const rorm_model *model, const char *name)
{
    if (model == NULL || name == NULL) {
        return NULL;
    }
    return rorm__map_get(&model->field_map, name, strlen(name));
}

size_t rorm_model_pk_count(const rorm_model *model)
{
    return model ? model->pk.len : 0;
}

const rorm_field *rorm_model_pk_at(const rorm_model *model, size_t i)
{
    return model && i < model->pk.len ? model->pk.ptr[i] : NULL;
}

const char *rorm_field_name(const rorm_field *field)
{
    return field ? field->name : NULL;
}

const char *rorm_field_column(const rorm_field *field)
{
    return field ? field->column : NULL;
}

unsigned rorm_field_type_of(const rorm_field *field)
{
    return field ? field->type : 0;
}

unsigned rorm_field_flags(const rorm_field *field)
{
    return field ? field->flags : 0;
}

unsigned rorm_field_default_kind(const rorm_field *field)
{
    return field ? field->def.kind : RORM_DEFAULT_NONE;
}

unsigned rorm_field_relation_kind(const rorm_field *field)
{
    return field && field->relation ? field->relation->kind : RORM_RELATION_NONE;
}

const rorm_model *rorm_field_related_model(const rorm_field *field)
{
    if (field == NULL || field->relation == NULL) {
        return NULL;
    }
    if (field->relation->model) {
        return field->relation->model;
    }
    /* Before validation the related model is only known by name. */
    const rorm_schema *s = field->model ? field->model->schema : NULL;
    return s ? rorm_schema_model(s, field->relation->model_name) : NULL;
}

const char *rorm_enum_name(const rorm_enum *e)
{
    return e ? e->name : NULL;
}

size_t rorm_enum_value_count(const rorm_enum *e)
{
    return e ? e->values.len : 0;
}

const char *rorm_enum_value_at(const rorm_enum *e, size_t i)
{
    return e && i < e->values.len ? e->values.ptr[i] : NULL;
}

const char *rorm_field_type_name(unsigned type)
{
    switch (type) {
    case RORM_FIELD_STRING:
        return "String";
    case RORM_FIELD_INT:
        return "Int";
    case RORM_FIELD_BIGINT:
        return "BigInt";
    case RORM_FIELD_FLOAT:
        return "Float";
    case RORM_FIELD_DECIMAL:
        return "Decimal";
    case RORM_FIELD_BOOL:
        return "Boolean";
    case RORM_FIELD_DATETIME:
        return "DateTime";
    case RORM_FIELD_JSON:
        return "Json";
    case RORM_FIELD_BYTES:
        return "Bytes";
    case RORM_FIELD_ENUM:
        return "Enum";
    case RORM_FIELD_RELATION:
        return "Relation";
    case RORM_FIELD_UNSUPPORTED:
        return "Unsupported";
    default:
        return "Unknown";
    }
}
