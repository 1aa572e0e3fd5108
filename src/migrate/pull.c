/*
 * Pull: the introspected database written as a Prisma schema. Tables become models (@@map when
 * the table name is not a Prisma identifier), columns fields (types from Prisma's defaults per
 * provider, else @db native types, else Unsupported), keys and indexes attributes, foreign keys
 * relations named after their constraints (with the back-relation on the referenced model),
 * `_AToB` join tables implicit many-to-many relations, PostgreSQL enum types and MySQL enum
 * columns enums. Loaded back, the schema plans empty against the same database.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate.h"
#include "prisma/prisma.h"
#include "util/alloc.h"
#include "util/error.h"

typedef struct puller {
    const rorm__mg_db *db;
    unsigned db_type;
    const char *provider;
    rorm_str out;
    rorm_str enums; /* enum blocks made for MySQL enum columns */
} puller;

static bool ident_ok(const char *s)
{
    if (s == NULL || !isalpha((unsigned char)s[0])) {
        return false;
    }
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_') {
            return false;
        }
    }
    return true;
}

/* Append @p name as a Prisma identifier (invalid characters as '_', a letter first). */
static void put_ident(rorm_str *out, const char *name)
{
    if (!isalpha((unsigned char)name[0])) {
        rorm__str_putc(out, 'M');
    }
    for (const char *p = name; *p; p++) {
        rorm__str_putc(out, isalnum((unsigned char)*p) || *p == '_' ? *p : '_');
    }
}

static void put_string(rorm_str *out, const char *s, size_t n)
{
    rorm__str_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\') {
            rorm__str_putc(out, '\\');
        }
        rorm__str_putc(out, s[i]);
    }
    rorm__str_putc(out, '"');
}

static bool is_join_table(const rorm__mg_table *t)
{
    return t->name[0] == '_' && t->cols.len == 2 && t->fks.len == 2 &&
           rorm__mg_find_column(t, "A") && rorm__mg_find_column(t, "B");
}

static const rorm__mg_fk *join_fk(const rorm__mg_table *t, const char *col)
{
    for (size_t i = 0; i < t->fks.len; i++) {
        if (t->fks.ptr[i].cols.len == 1 && strcmp(t->fks.ptr[i].cols.ptr[0], col) == 0) {
            return &t->fks.ptr[i];
        }
    }
    return NULL;
}

static const char *prisma_action(const char *a)
{
    if (strcmp(a, "CASCADE") == 0) {
        return "Cascade";
    }
    if (strcmp(a, "SET NULL") == 0) {
        return "SetNull";
    }
    if (strcmp(a, "SET DEFAULT") == 0) {
        return "SetDefault";
    }
    if (strcmp(a, "NO ACTION") == 0) {
        return "NoAction";
    }
    return "Restrict";
}

static const char *const scalar_names[] = { NULL,      "String",  "Int",      "BigInt", "Float",
                                            "Decimal", "Boolean", "DateTime", "Json",   "Bytes" };

/* The Prisma type of a column: scalar (and @db attribute), enum, or Unsupported. */
typedef struct ftype {
    unsigned scalar; /* RORM_FIELD_* or 0 */
    char attr[256];  /* "@db.VarChar(255)" or "" */
    char name[300];  /* enum name, or Unsupported("...") */
    bool list;
} ftype;

static void
map_type_of(puller *p, const rorm__mg_table *t, const rorm__mg_column *c, ftype *ft, char *raw);

static void map_type(puller *p, const rorm__mg_table *t, const rorm__mg_column *c, ftype *ft)
{
    memset(ft, 0, sizeof *ft);
    /* A copy of the whole type: MySQL enum types run long. */
    char *raw = rorm__strdup(c->type ? c->type : "");
    if (raw == NULL) {
        snprintf(ft->name, sizeof ft->name, "Unsupported(\"?\")");
        return;
    }
    map_type_of(p, t, c, ft, raw);
    rorm__free(raw);
}

static void
map_type_of(puller *p, const rorm__mg_table *t, const rorm__mg_column *c, ftype *ft, char *raw)
{
    size_t n = strlen(raw);
    if (p->db_type == RORM_DB_POSTGRES && n > 2 && strcmp(raw + n - 2, "[]") == 0) {
        ft->list = true;
        raw[n - 2] = '\0';
    }
    /* PostgreSQL enum types, by name. */
    char bare[256];
    size_t k = 0;
    for (const char *s = raw; *s && k + 1 < sizeof bare; s++) {
        if (*s != '"') {
            bare[k++] = *s;
        }
    }
    bare[k] = '\0';
    /* An enum of another schema is written schema.name. */
    char *dot = p->db_type == RORM_DB_POSTGRES ? strchr(bare, '.') : NULL;
    if (dot != NULL) {
        memmove(bare, dot + 1, strlen(dot + 1) + 1);
    }
    for (size_t i = 0; i < p->db->enums.len; i++) {
        if (strcmp(p->db->enums.ptr[i].name, bare) == 0) {
            rorm_str s = RORM_STR_INIT;
            put_ident(&s, bare);
            snprintf(ft->name, sizeof ft->name, "%s", s.ptr);
            rorm__str_dispose(&s);
            return;
        }
    }
    char *norm = rorm__mg_norm_type(p->db_type, raw);
    if (norm == NULL) {
        snprintf(ft->name, sizeof ft->name, "Unsupported(\"%s\")", raw);
        return;
    }
    /* MySQL enum columns: an enum of their own. */
    if (strncmp(norm, "enum(", 5) == 0) {
        rorm_str s = RORM_STR_INIT;
        put_ident(&s, t->name);
        rorm__str_putc(&s, '_');
        put_ident(&s, c->name);
        snprintf(ft->name, sizeof ft->name, "%s", s.ptr);
        rorm__str_printf(&p->enums, "enum %s {\n", s.ptr);
        rorm__str_dispose(&s);
        for (const char *v = strchr(raw, '\''); v;) {
            const char *e = strchr(v + 1, '\'');
            if (e == NULL) {
                break;
            }
            rorm__str_puts(&p->enums, "  ");
            char value[128];
            snprintf(value, sizeof value, "%.*s", (int)(e - v - 1), v + 1);
            put_ident(&p->enums, value);
            if (!ident_ok(value)) {
                rorm__str_puts(&p->enums, " @map(");
                put_string(&p->enums, value, strlen(value));
                rorm__str_putc(&p->enums, ')');
            }
            rorm__str_putc(&p->enums, '\n');
            v = strchr(e + 1, '\'');
        }
        rorm__str_puts(&p->enums, "}\n\n");
        rorm__free(norm);
        return;
    }
    /* Prisma's own type for a scalar, first match (Int before BigInt, String before Json). */
    for (unsigned st = RORM_FIELD_STRING; st <= RORM_FIELD_BYTES; st++) {
        char *d = rorm__mg_norm_type(p->db_type, rorm__prisma_default_db_type(p->provider, st));
        bool same = d && strcmp(d, norm) == 0;
        rorm__free(d);
        if (same) {
            ft->scalar = st;
            rorm__free(norm);
            return;
        }
    }
    /* A native type: base(args). */
    const rorm__native_type *types = rorm__prisma_native_types(p->provider);
    char base[128], args[128] = "";
    const char *paren = strchr(norm, '(');
    snprintf(base, sizeof base, "%.*s", (int)(paren ? paren - norm : (long)strlen(norm)), norm);
    if (paren) {
        snprintf(args, sizeof args, "%s", paren);
    }
    for (size_t i = 0; types && types[i].name; i++) {
        if (types[i].suffix == NULL && strcmp(types[i].sql, base) == 0 &&
            (paren == NULL || types[i].nargs > 0)) {
            for (unsigned st = RORM_FIELD_STRING; st <= RORM_FIELD_BYTES; st++) {
                if (types[i].scalars & (1u << st)) {
                    ft->scalar = st;
                    snprintf(ft->attr, sizeof ft->attr, "@db.%s%s", types[i].name, args);
                    rorm__free(norm);
                    return;
                }
            }
        }
    }
    snprintf(ft->name, sizeof ft->name, "Unsupported(\"%s\")", raw);
    rorm__free(norm);
}

static void put_default(puller *p, const rorm__mg_column *c, const ftype *ft)
{
    if (c->autoinc) {
        rorm__str_puts(&p->out, " @default(autoincrement())");
        return;
    }
    char *d = rorm__mg_norm_default(p->db_type, c->def);
    if (d == NULL) {
        return;
    }
    size_t n = strlen(d);
    if (strstr(d, "current_timestamp") || strcmp(d, "now()") == 0) {
        rorm__str_puts(&p->out, " @default(now())");
    } else if (ft->scalar == RORM_FIELD_BOOL && (strcmp(d, "1") == 0 || strcmp(d, "0") == 0)) {
        rorm__str_puts(&p->out, d[0] == '1' ? " @default(true)" : " @default(false)");
    } else if (ft->name[0] && d[0] == '\'' && n >= 2 && strncmp(ft->name, "Unsupported", 11)) {
        rorm__str_puts(&p->out, " @default(");
        char value[128];
        snprintf(value, sizeof value, "%.*s", (int)(n - 2), d + 1);
        put_ident(&p->out, value);
        rorm__str_putc(&p->out, ')');
    } else if (ft->scalar == RORM_FIELD_STRING && d[0] == '\'' && n >= 2) {
        rorm__str_puts(&p->out, " @default(");
        put_string(&p->out, d + 1, n - 2);
        rorm__str_putc(&p->out, ')');
    } else if ((ft->scalar == RORM_FIELD_INT || ft->scalar == RORM_FIELD_BIGINT ||
                ft->scalar == RORM_FIELD_FLOAT || ft->scalar == RORM_FIELD_DECIMAL) &&
               (isdigit((unsigned char)d[0]) || d[0] == '-')) {
        rorm__str_printf(&p->out, " @default(%s)", d);
    } else {
        const char *raw = c->def;
        rorm__str_puts(&p->out, " @default(dbgenerated(");
        put_string(&p->out, raw, strlen(raw));
        rorm__str_puts(&p->out, "))");
    }
    rorm__free(d);
}

static bool names_unique_on(const rorm__mg_table *t, const rorm__mg_names *cols)
{
    if (t->pk.len == cols->len) {
        bool same = true;
        for (size_t i = 0; i < cols->len; i++) {
            same = same && strcmp(t->pk.ptr[i], cols->ptr[i]) == 0;
        }
        if (same) {
            return true;
        }
    }
    for (size_t i = 0; i < t->indexes.len; i++) {
        const rorm__mg_index *ix = &t->indexes.ptr[i];
        if (!ix->unique || ix->cols.len != cols->len) {
            continue;
        }
        bool same = true;
        for (size_t k = 0; k < cols->len; k++) {
            same = same && strcmp(ix->cols.ptr[k], cols->ptr[k]) == 0;
        }
        if (same) {
            return true;
        }
    }
    return false;
}

static void put_names(rorm_str *out, const rorm__mg_names *v, const int *desc)
{
    rorm__str_putc(out, '[');
    for (size_t i = 0; i < v->len; i++) {
        rorm__str_puts(out, i ? ", " : "");
        put_ident(out, v->ptr[i]);
        if (desc && desc[i]) {
            rorm__str_puts(out, "(sort: Desc)");
        }
    }
    rorm__str_putc(out, ']');
}

static void relation_name(rorm_str *out, const rorm__mg_table *t, const rorm__mg_fk *fk)
{
    rorm_str name = RORM_STR_INIT;
    if (fk->name) {
        rorm__str_puts(&name, fk->name);
    } else {
        rorm__str_puts(&name, t->name);
        for (size_t i = 0; i < fk->cols.len; i++) {
            rorm__str_printf(&name, "_%s", fk->cols.ptr[i]);
        }
        rorm__str_puts(&name, "_fkey");
    }
    put_string(out, name.ptr, name.len);
    rorm__str_dispose(&name);
}

/*
 * Append a relation field name: @p base (a model name with a lower-case first letter, plus
 * @p suffix) when no column or earlier field of the model has it, else @p fallback.
 */
static void put_field_name(rorm_str *o,
                           rorm__mg_names *used,
                           const rorm__mg_table *t,
                           const char *base,
                           const char *suffix,
                           const char *fallback)
{
    rorm_str name = RORM_STR_INIT;
    put_ident(&name, base);
    if (name.len) {
        name.ptr[0] = (char)tolower((unsigned char)name.ptr[0]);
    }
    rorm__str_puts(&name, suffix);
    bool taken = rorm__str_oom(&name);
    for (size_t i = 0; !taken && i < t->cols.len; i++) {
        rorm_str col = RORM_STR_INIT;
        put_ident(&col, t->cols.ptr[i].name);
        taken = strcmp(col.ptr, name.ptr) == 0;
        rorm__str_dispose(&col);
    }
    for (size_t i = 0; !taken && i < used->len; i++) {
        taken = strcmp(used->ptr[i], name.ptr) == 0;
    }
    const char *chosen = taken ? fallback : name.ptr;
    rorm__str_puts(o, chosen);
    char *copy = rorm__strdup(chosen);
    if (copy == NULL || rorm_vec_push(used, copy) != 0) {
        rorm__free(copy);
        rorm__str_grow(o, SIZE_MAX); /* carry the OOM over */
    }
    rorm__str_dispose(&name);
}

/* `@@schema("name")` when the pull reads several schemas. */
static void put_schema(rorm_str *o, const char *schema)
{
    if (schema != NULL) {
        rorm__str_puts(o, "  @@schema(");
        put_string(o, schema, strlen(schema));
        rorm__str_puts(o, ")\n");
    }
}

static void put_model(puller *p, const rorm__mg_table *t)
{
    rorm_str *o = &p->out;
    rorm__mg_names used = { 0 };
    char fallback[64];
    rorm__str_puts(o, "model ");
    put_ident(o, t->name);
    rorm__str_puts(o, " {\n");
    for (size_t i = 0; i < t->cols.len; i++) {
        const rorm__mg_column *c = &t->cols.ptr[i];
        ftype ft;
        map_type(p, t, c, &ft);
        if (ft.scalar == RORM_FIELD_INT && c->def && !c->autoinc) {
            /* SQLite stores both as INTEGER: a default beyond 32 bits makes it a BigInt. */
            char *d = rorm__mg_norm_default(p->db_type, c->def);
            long long v = d ? strtoll(d, NULL, 10) : 0;
            if (v > 2147483647LL || v < -2147483648LL) {
                ft.scalar = RORM_FIELD_BIGINT;
            }
            rorm__free(d);
        }
        rorm__str_puts(o, "  ");
        put_ident(o, c->name);
        rorm__str_putc(o, ' ');
        rorm__str_puts(o, ft.name[0] ? ft.name : scalar_names[ft.scalar]);
        rorm__str_puts(o, ft.list ? "[]" : c->notnull ? "" : "?");
        if (t->pk.len == 1 && strcmp(t->pk.ptr[0], c->name) == 0) {
            rorm__str_puts(o, " @id");
        }
        put_default(p, c, &ft);
        if (ft.attr[0]) {
            rorm__str_printf(o, " %s", ft.attr);
        }
        if (!ident_ok(c->name)) {
            rorm__str_puts(o, " @map(");
            put_string(o, c->name, strlen(c->name));
            rorm__str_putc(o, ')');
        }
        rorm__str_putc(o, '\n');
    }
    /* Relations this table owns. */
    for (size_t i = 0; i < t->fks.len; i++) {
        const rorm__mg_fk *fk = &t->fks.ptr[i];
        bool optional = false;
        for (size_t k = 0; k < fk->cols.len; k++) {
            const rorm__mg_column *c = rorm__mg_find_column(t, fk->cols.ptr[k]);
            optional = optional || (c && !c->notnull);
        }
        snprintf(fallback, sizeof fallback, "rel_%zu", i);
        rorm__str_puts(o, "  ");
        put_field_name(o, &used, t, fk->ref_table, "", fallback);
        rorm__str_putc(o, ' ');
        put_ident(o, fk->ref_table);
        rorm__str_puts(o, optional ? "? @relation(" : " @relation(");
        relation_name(o, t, fk);
        rorm__str_puts(o, ", fields: ");
        put_names(o, &fk->cols, NULL);
        rorm__str_puts(o, ", references: ");
        put_names(o, &fk->ref_cols, NULL);
        rorm__str_printf(o, ", onDelete: %s, onUpdate: %s", prisma_action(fk->on_delete),
                         prisma_action(fk->on_update));
        if (fk->name) {
            rorm__str_puts(o, ", map: ");
            put_string(o, fk->name, strlen(fk->name));
        }
        rorm__str_puts(o, ")\n");
    }
    /* Back-relations of the tables that reference this one, and implicit many-to-many. */
    for (size_t j = 0; j < p->db->tables.len; j++) {
        const rorm__mg_table *src = &p->db->tables.ptr[j];
        if (is_join_table(src)) {
            const rorm__mg_fk *a = join_fk(src, "A"), *b = join_fk(src, "B");
            for (int side = 0; side < 2 && a && b; side++) {
                const rorm__mg_fk *mine = side ? b : a, *other = side ? a : b;
                if (strcmp(mine->ref_table, t->name) != 0) {
                    continue;
                }
                snprintf(fallback, sizeof fallback, "m2m_%zu_%c", j, side ? 'B' : 'A');
                rorm__str_puts(o, "  ");
                put_field_name(o, &used, t, other->ref_table, "s", fallback);
                rorm__str_putc(o, ' ');
                put_ident(o, other->ref_table);
                rorm__str_puts(o, "[] @relation(");
                put_string(o, src->name + 1, strlen(src->name + 1));
                rorm__str_puts(o, ")\n");
            }
            continue;
        }
        for (size_t i = 0; i < src->fks.len; i++) {
            const rorm__mg_fk *fk = &src->fks.ptr[i];
            if (strcmp(fk->ref_table, t->name) != 0) {
                continue;
            }
            bool one = names_unique_on(src, &fk->cols);
            snprintf(fallback, sizeof fallback, "back_%zu_%zu", j, i);
            rorm__str_puts(o, "  ");
            put_field_name(o, &used, t, src->name, one ? "" : "s", fallback);
            rorm__str_putc(o, ' ');
            put_ident(o, src->name);
            rorm__str_puts(o, one ? "? @relation(" : "[] @relation(");
            relation_name(o, src, fk);
            rorm__str_puts(o, ")\n");
        }
    }
    if (t->pk.len > 1) {
        rorm__str_puts(o, "  @@id(");
        put_names(o, &t->pk, NULL);
        rorm__str_puts(o, ")\n");
    }
    for (size_t i = 0; i < t->indexes.len; i++) {
        const rorm__mg_index *ix = &t->indexes.ptr[i];
        if (ix->primary || strncmp(ix->name, "sqlite_autoindex_", 17) == 0) {
            continue;
        }
        /* MySQL's own index for a foreign key is not declared. */
        bool fk_own = false;
        for (size_t k = 0; p->db_type == RORM_DB_MYSQL && k < t->fks.len; k++) {
            fk_own = fk_own || (t->fks.ptr[k].name && strcmp(t->fks.ptr[k].name, ix->name) == 0);
        }
        if (fk_own) {
            continue;
        }
        rorm__str_puts(o, ix->unique ? "  @@unique(" : "  @@index(");
        put_names(o, &ix->cols, ix->desc.ptr);
        rorm__str_puts(o, ", map: ");
        put_string(o, ix->name, strlen(ix->name));
        rorm__str_puts(o, ")\n");
    }
    if (!ident_ok(t->name)) {
        rorm__str_puts(o, "  @@map(");
        put_string(o, t->name, strlen(t->name));
        rorm__str_puts(o, ")\n");
    }
    put_schema(o, t->schema);
    rorm__str_puts(o, "}\n\n");
    for (size_t i = 0; i < used.len; i++) {
        rorm__free(used.ptr[i]);
    }
    rorm_vec_free(&used);
}

/*
 * Models and enums are named after their tables and types: the same name in two schemas would
 * make two models of one name. Refused, naming both schemas.
 */
static int check_unique_names(const rorm__mg_db *have, rorm_error *err)
{
    for (size_t i = 0; i < have->tables.len; i++) {
        for (size_t j = 0; j < i; j++) {
            const rorm__mg_table *a = &have->tables.ptr[j], *b = &have->tables.ptr[i];
            if (strcmp(a->name, b->name) == 0) {
                return rorm__error(err, RORM_EUNSUPPORTED,
                                   "table \"%s\" is in schemas \"%s\" and \"%s\": pull cannot "
                                   "name two models after it (pull the schemas separately)",
                                   a->name, a->schema ? a->schema : "", b->schema ? b->schema : "");
            }
        }
    }
    for (size_t i = 0; i < have->enums.len; i++) {
        for (size_t j = 0; j < i; j++) {
            const rorm__mg_enum *a = &have->enums.ptr[j], *b = &have->enums.ptr[i];
            if (strcmp(a->name, b->name) == 0) {
                return rorm__error(err, RORM_EUNSUPPORTED,
                                   "enum \"%s\" is in schemas \"%s\" and \"%s\": pull cannot "
                                   "name two enums after it (pull the schemas separately)",
                                   a->name, a->schema ? a->schema : "", b->schema ? b->schema : "");
            }
        }
    }
    return RORM_OK;
}

int rorm_migrate_pull(char **out, rorm_db *db, rorm_error *err)
{
    return rorm_migrate_pull_schemas(out, db, NULL, 0, err);
}

int rorm_migrate_pull_schemas(
    char **out, rorm_db *db, const char *const *schemas, size_t nschemas, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    RORM_CHECK_ARG(db != NULL, err);
    RORM_CHECK_ARG(nschemas == 0 || schemas != NULL, err);
    for (size_t i = 0; i < nschemas; i++) {
        RORM_CHECK_ARG(schemas[i] != NULL && schemas[i][0] != '\0', err);
    }
    if (nschemas > 0 && db->dialect->db_type != RORM_DB_POSTGRES) {
        return rorm__error(err, RORM_EUNSUPPORTED,
                           "pull of database schema \"%s\": several schemas are supported on "
                           "PostgreSQL only",
                           schemas[0]);
    }
    rorm_conn *conn;
    int rc = rorm__db_acquire(&conn, db, err);
    if (rc != RORM_OK) {
        return rc;
    }
    rorm__mg_db have;
    rc = rorm__mg_introspect_in(&have, conn, db->dialect, schemas, nschemas, err);
    rorm__db_release(db, conn);
    if (rc == RORM_OK) {
        rc = check_unique_names(&have, err);
        if (rc != RORM_OK) {
            rorm__mg_db_dispose(&have);
        }
    }
    if (rc != RORM_OK) {
        return rc;
    }
    puller p = { 0 };
    p.db = &have;
    p.db_type = db->dialect->db_type;
    p.provider = p.db_type == RORM_DB_POSTGRES ? "postgresql"
                 : p.db_type == RORM_DB_MYSQL  ? "mysql"
                                               : "sqlite";
    rorm__str_init(&p.out);
    rorm__str_init(&p.enums);
    rorm__str_printf(&p.out,
                     "datasource db {\n  provider = \"%s\"\n  url      = env(\"DATABASE_URL\")\n",
                     p.provider);
    for (size_t i = 0; i < nschemas; i++) {
        rorm__str_puts(&p.out, i ? ", " : "  schemas  = [");
        put_string(&p.out, schemas[i], strlen(schemas[i]));
    }
    rorm__str_puts(&p.out, nschemas ? "]\n}\n\n" : "}\n\n");
    for (size_t i = 0; i < have.enums.len; i++) {
        const rorm__mg_enum *e = &have.enums.ptr[i];
        rorm__str_puts(&p.out, "enum ");
        put_ident(&p.out, e->name);
        rorm__str_puts(&p.out, " {\n");
        for (size_t k = 0; k < e->values.len; k++) {
            rorm__str_puts(&p.out, "  ");
            put_ident(&p.out, e->values.ptr[k]);
            if (!ident_ok(e->values.ptr[k])) {
                rorm__str_puts(&p.out, " @map(");
                put_string(&p.out, e->values.ptr[k], strlen(e->values.ptr[k]));
                rorm__str_putc(&p.out, ')');
            }
            rorm__str_putc(&p.out, '\n');
        }
        if (!ident_ok(e->name)) {
            rorm__str_puts(&p.out, "  @@map(");
            put_string(&p.out, e->name, strlen(e->name));
            rorm__str_puts(&p.out, ")\n");
        }
        put_schema(&p.out, e->schema);
        rorm__str_puts(&p.out, "}\n\n");
    }
    for (size_t i = 0; i < have.tables.len; i++) {
        if (!is_join_table(&have.tables.ptr[i])) {
            put_model(&p, &have.tables.ptr[i]);
        }
    }
    rorm__str_puts(&p.out, p.enums.ptr);
    rorm__mg_db_dispose(&have);
    bool oom = rorm__str_oom(&p.out) || rorm__str_oom(&p.enums);
    rorm__str_dispose(&p.enums);
    if (oom) {
        rorm__str_dispose(&p.out);
        return rorm__error_oom(err);
    }
    *out = rorm__str_detach(&p.out);
    return *out ? RORM_OK : rorm__error_oom(err);
}
