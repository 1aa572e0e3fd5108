/*
 * The schema model's internal layout, shared by the modules that read it (dialect, query,
 * client, prisma). Everything here is owned by the rorm_schema: names and arrays are freed with
 * it. Public accessors live in schema.c; other modules may read these structs directly.
 */
#ifndef RORM_SCHEMA_SCHEMA_H
#define RORM_SCHEMA_SCHEMA_H

#include <stdatomic.h>
#include <stdbool.h>

#include "rediorm/schema.h"
#include "util/map.h"
#include "util/vec.h"

/* Naming conventions. */
#define RORM_NAMING_NATIVE 0 /* User -> users, createdAt -> created_at */
#define RORM_NAMING_PRISMA 1 /* names as written unless @map / @@map */

typedef struct rorm_default {
    unsigned kind;    /* rorm_default_kind */
    rorm_value value; /* RORM_DEFAULT_VALUE: the literal, typed for the field (enum: TEXT);
                         a list default is an ARRAY */
    char *expr;       /* RORM_DEFAULT_DBGENERATED: the SQL expression; else NULL */
} rorm_default;

typedef struct rorm_relation {
    unsigned kind;        /* rorm_relation_kind */
    char *model_name;     /* related model name as written */
    rorm_model *model;    /* resolved by validation */
    rorm_field *opposite; /* the back-relation field on the other model, resolved (may be NULL
                             for native one-sided declarations) */
    char *name;           /* relation name or NULL */
    rorm_field **fields;  /* FK fields on this model (owning side), nfields entries */
    size_t nfields;
    char **field_names;      /* as written, resolved into fields by validation */
    rorm_field **references; /* referenced fields on the related model */
    size_t nreferences;
    char **reference_names;
    unsigned on_delete, on_update; /* rorm_ref_action */
    char *fk_name;                 /* constraint name (Prisma's Model_field_fkey or map:) */
    char *join_table;              /* many-to-many: the implicit join table (_AToB) */
    /*
     * Implicit many-to-many join table, filled by the Prisma loader (NULL/0 otherwise). Column
     * "A" holds the ids of the model whose name sorts first byte-wise, "B" those of the other;
     * in a self-relation the field whose name sorts first reads its related records from "A".
     * The names point into join_table's allocation and the types into the id fields' db_type:
     * none of them is freed on its own.
     */
    const char *join_self_column;  /* "A" or "B": the column holding this side's ids */
    const char *join_other_column; /* the column holding the related records' ids */
    rorm_field *join_a_ref;        /* the id field column A references */
    rorm_field *join_b_ref;        /* the id field column B references */
    const char *join_a_type;       /* column type of A: the referenced id's db_type */
    const char *join_b_type;
    const char *join_ab_name; /* "_AToB_AB_pkey" on PostgreSQL, else "_AToB_AB_unique" */
    bool join_ab_primary;     /* join_ab_name is a primary key (else a unique index) */
    const char *join_b_index; /* "_AToB_B_index", a plain index on B */
    const char *join_a_fkey;  /* "_AToB_A_fkey": A -> join_a_ref */
    const char *join_b_fkey;  /* "_AToB_B_fkey": B -> join_b_ref */
    unsigned join_on_delete, join_on_update; /* both foreign keys: RORM_ACTION_CASCADE */
} rorm_relation;

struct rorm_field {
    char *name;
    char *column;   /* NULL for relation fields */
    unsigned type;  /* rorm_field_type */
    unsigned flags; /* RORM_PRIMARY_KEY ... */
    rorm_default def;
    char *enum_name;
    rorm_enum *enumeration; /* resolved */
    char *native_type;      /* e.g. "VarChar(255)" from @db.VarChar(255), or NULL */
    char *unsupported;      /* Unsupported("...") type text */
    char *doc;
    rorm_relation *relation; /* RORM_FIELD_RELATION only */
    rorm_model *model;       /* back pointer */
    size_t index;            /* position in model->fields */
    int line, column_no;     /* where it was declared in Prisma text, else 0 */
    /* The column's database type as Prisma creates it ("text", "integer", "timestamp(3)",
     * "varchar(191)", or the @db native type rendered, "varchar(255)"), set by the Prisma
     * loader; NULL for native schemas and for MySQL enums. For a list field it is the element
     * type. Borrowed: static text, or text the schema owns (native_type's allocation, the
     * enum's db_name, the Unsupported text); never freed on its own. */
    const char *db_type;
};

typedef struct rorm_index_field {
    rorm_field *field;
    char *name; /* as written, resolved into field */
    int sort;   /* 0 default, 1 asc, -1 desc */
    int length; /* prefix length, 0 = none */
    char *ops;  /* operator class or NULL */
} rorm_index_field;

#define RORM_INDEX_PLAIN    0
#define RORM_INDEX_UNIQUE   1
#define RORM_INDEX_FULLTEXT 2

typedef struct rorm_index {
    char *name;     /* database name (given or Prisma's default) */
    char *api_name; /* Prisma's `name:` argument for compound uniques, or NULL */
    unsigned kind;  /* RORM_INDEX_* */
    rorm_index_field *fields;
    size_t nfields;
    char *using; /* index type (BTree, Hash, Gin ...) or NULL */
    bool clustered;
    int line;
} rorm_index;

struct rorm_model {
    char *name;
    char *table;
    char *schema_name; /* @@schema or NULL */
    char *doc;
    bool is_view;
    bool ignored;
    rorm_vec(rorm_field *) fields;  /* declaration order; scalar and relation fields */
    rorm_map field_map;             /* name -> rorm_field * (not owning) */
    rorm_vec(rorm_field *) pk;      /* primary-key fields in key order */
    char *pk_name;                  /* constraint name or NULL */
    rorm_vec(rorm_index *) indexes; /* includes single-field @unique / RORM_INDEX as entries */
    rorm_schema *schema;
    size_t index; /* position in schema->models */
    int line;
    void *runtime; /* per-model cache owned by the client layer (compiled SQL); see client */
    rorm_vec(char *) pk_names; /* rorm_model_set_primary_key() as written, resolved into pk by
                                  validation; empty when fields carry RORM_PRIMARY_KEY */
};

struct rorm_enum {
    char *name;
    char *db_name;
    char *schema_name; /* @@schema or NULL */
    char *doc;
    rorm_vec(char *) values;    /* API names */
    rorm_vec(char *) db_values; /* database names (@map), same length */
    int line;
};

struct rorm_schema {
    atomic_int refs;
    int naming; /* RORM_NAMING_* */
    bool validated;
    bool frozen;                 /* registered or validated: no more changes */
    char *provider;              /* Prisma datasource provider or NULL */
    bool relation_mode_prisma;   /* RORM_RELATION_MODE_PRISMA: no foreign keys, emulated actions */
    rorm_vec(char *) db_schemas; /* the datasource's `schemas` list (PostgreSQL), may be empty */
    rorm_vec(rorm_model *) models;
    rorm_map model_map; /* name -> rorm_model * (not owning) */
    rorm_vec(rorm_enum *) enums;
    rorm_map enum_map;
};

/* Name conversion for native schemas: "createdAt" -> "created_at", "User" -> "users". */
char *rorm__snake_case(const char *name);
char *rorm__table_name(const char *model_name);

/* Destructors for the model's parts (schema.c). */
void rorm__model_free(rorm_model *model);
void rorm__field_free(rorm_field *field);
void rorm__index_free(rorm_index *index);
void rorm__enum_free(rorm_enum *e);

/* The key of @p names closest to @p name (edit distance), or NULL when none is close. */
const char *rorm__suggest(const rorm_map *names, const char *name);

/* Lookups with a "did you mean" suggestion in the error message on a miss. */
int rorm__schema_find_model(rorm_model **out,
                            const rorm_schema *s,
                            const char *name,
                            rorm_error *err);
int rorm__model_find_field(rorm_field **out,
                           const rorm_model *m,
                           const char *name,
                           rorm_error *err);

/* True when the schema's relations have foreign keys in the database (not relationMode prisma). */
static inline bool rorm__schema_has_fks(const rorm_schema *s)
{
    return s == NULL || !s->relation_mode_prisma;
}

/* True when the field is stored in a column (not a relation, not ignored). */
static inline bool rorm__field_is_column(const rorm_field *f)
{
    return f->type != RORM_FIELD_RELATION;
}

#endif
