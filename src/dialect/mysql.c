/*
 * The MySQL / MariaDB dialect: backquoted identifiers, `?` placeholders, MySQL column types
 * (VARCHAR(191) for indexable utf8mb4 text, DATETIME(3), DECIMAL(65,30), JSON, LONGBLOB, native
 * ENUM columns, lists as JSON) and tables in utf8mb4 with Prisma's collation.
 */
#include "dialect/dialect.h"

#include <string.h>

#include "rediorm/db.h"
#include "rediorm/sys/driver.h"
#include "util/error.h"

static void quote_ident(rorm_str *out, const char *name)
{
    rorm__str_putc(out, '`');
    for (const char *s = name ? name : ""; *s; s++) {
        if (*s == '`') {
            rorm__str_putc(out, '`');
        }
        rorm__str_putc(out, *s);
    }
    rorm__str_putc(out, '`');
}

static void placeholder(rorm_str *out, size_t n)
{
    (void)n;
    rorm__str_putc(out, '?');
}

/* MySQL string literals: quotes doubled and backslashes escaped (they are escapes there). */
static void text_literal(rorm_str *out, const char *s, size_t len)
{
    rorm__str_putc(out, '\'');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\'' || s[i] == '\\') {
            rorm__str_putc(out, s[i]);
        }
        rorm__str_putc(out, s[i]);
    }
    rorm__str_putc(out, '\'');
}

static int column_type(rorm_str *out, const rorm_field *f, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && f != NULL, err);
    if (f->native_type != NULL) {
        return rorm__ddl_written_type(out, f, f->native_type, err);
    }
    if (f->flags & RORM_LIST) {
        rorm__str_puts(out, "JSON"); /* scalar lists are JSON arrays */
        return RORM_OK;
    }
    const char *t;
    switch (f->type) {
    case RORM_FIELD_STRING:
        t = "VARCHAR(191)";
        break;
    case RORM_FIELD_INT:
        t = "INT";
        break;
    case RORM_FIELD_BIGINT:
        t = "BIGINT";
        break;
    case RORM_FIELD_FLOAT:
        t = "DOUBLE";
        break;
    case RORM_FIELD_DECIMAL:
        t = "DECIMAL(65,30)";
        break;
    case RORM_FIELD_BOOL:
        t = "BOOLEAN";
        break;
    case RORM_FIELD_DATETIME:
        t = "DATETIME(3)";
        break;
    case RORM_FIELD_JSON:
        t = "JSON";
        break;
    case RORM_FIELD_BYTES:
        t = "LONGBLOB";
        break;
    case RORM_FIELD_ENUM: {
        const rorm_enum *e = f->enumeration;
        if (e == NULL) {
            return rorm__error(err, RORM_ESCHEMA, "enum of field '%s' is not resolved", f->name);
        }
        rorm__str_puts(out, "ENUM(");
        for (size_t i = 0; i < e->db_values.len; i++) {
            if (i) {
                rorm__str_puts(out, ", ");
            }
            text_literal(out, e->db_values.ptr[i], strlen(e->db_values.ptr[i]));
        }
        rorm__str_putc(out, ')');
        return RORM_OK;
    }
    case RORM_FIELD_UNSUPPORTED:
        return rorm__ddl_written_type(out, f, f->unsupported, err);
    default:
        return rorm__error(err, RORM_EINVAL, "field '%s' has no column type", f->name);
    }
    rorm__str_puts(out, t);
    return RORM_OK;
}

static void autoincrement_column(rorm_str *out, const rorm_field *f)
{
    rorm__str_puts(out, f->type == RORM_FIELD_BIGINT ? "BIGINT NOT NULL AUTO_INCREMENT"
                                                     : "INT NOT NULL AUTO_INCREMENT");
}

static void bytes_literal(rorm_str *out, const uint8_t *p, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    rorm__str_puts(out, "X'");
    for (size_t i = 0; i < len; i++) {
        rorm__str_putc(out, hex[p[i] >> 4]);
        rorm__str_putc(out, hex[p[i] & 0xf]);
    }
    rorm__str_putc(out, '\'');
}

static void datetime_literal(rorm_str *out, int64_t ms)
{
    int64_t y;
    int mo, d, h, mi, s, milli;
    rorm__civil_from_ms(ms, &y, &mo, &d, &h, &mi, &s, &milli);
    rorm__str_printf(out, "'%04lld-%02d-%02d %02d:%02d:%02d.%03d'", (long long)y, mo, d, h, mi, s,
                     milli);
}

static int list_literal(rorm_str *out, const rorm_field *f, const rorm_value *v, rorm_error *err)
{
    char *json = NULL;
    size_t len = 0;
    int rc = rorm_value_to_json(&json, &len, v);
    if (rc == RORM_ENOMEM) {
        return rorm__error_oom(err);
    }
    if (rc != RORM_OK) {
        return rorm__error(err, RORM_ESCHEMA, "default of field '%s' has no JSON form", f->name);
    }
    /* MySQL takes defaults of JSON columns as expressions only. */
    rorm__str_putc(out, '(');
    text_literal(out, json, len);
    rorm__str_putc(out, ')');
    rorm_free(json);
    return RORM_OK;
}

static const rorm_ddl_hooks hooks = {
    .autoincrement_column = autoincrement_column,
    .text_literal = text_literal,
    .bytes_literal = bytes_literal,
    .datetime_literal = datetime_literal,
    .list_literal = list_literal,
    .table_suffix = " DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
    .index_if_not_exists = false,
    .index_prefix_length = true,
};

static int create_table(rorm_str *out, const rorm_model *m, rorm_error *err)
{
    return rorm__ddl_create_table(out, &rorm__dialect_mysql, &hooks, m, true, err);
}

static int create_table_without_foreign_keys(rorm_str *out, const rorm_model *m, rorm_error *err)
{
    return rorm__ddl_create_table(out, &rorm__dialect_mysql, &hooks, m, false, err);
}

static int
create_index(rorm_str *out, const rorm_model *m, const rorm_index *index, rorm_error *err)
{
    return rorm__ddl_create_index(out, &rorm__dialect_mysql, &hooks, m, index, err);
}

/* ---- migrations --------------------------------------------------------------------------- */

static const rorm_introspect_sql introspect = {
    .tables = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
              "AND table_type = 'BASE TABLE' ORDER BY table_name",
    .columns = "SELECT column_name, column_type, CASE WHEN is_nullable = 'YES' THEN 0 ELSE 1 END, "
               "column_default, CASE WHEN extra LIKE '%auto_increment%' THEN 1 ELSE 0 END, 0 "
               "FROM information_schema.columns WHERE table_schema = DATABASE() "
               "AND table_name = ? ORDER BY ordinal_position",
    .indexes = "SELECT index_name, CASE WHEN non_unique = 0 THEN 1 ELSE 0 END, "
               "CASE WHEN index_name = 'PRIMARY' THEN 1 ELSE 0 END, column_name, "
               "CASE WHEN collation = 'D' THEN 1 ELSE 0 END FROM information_schema.statistics "
               "WHERE table_schema = DATABASE() AND table_name = ? "
               "ORDER BY index_name, seq_in_index",
    .foreign_keys =
        "SELECT k.constraint_name, k.constraint_name, k.column_name, k.referenced_table_name, "
        "k.referenced_column_name, r.delete_rule, r.update_rule "
        "FROM information_schema.key_column_usage k "
        "JOIN information_schema.referential_constraints r "
        "ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name "
        "AND r.table_name = k.table_name "
        /* Constant schema and table on both sides: without them MariaDB fills
           referential_constraints from every table of every database (slow, and racing with
           databases other sessions drop). The placeholders are the table, the schema ('':
           the current database) and the table again. */
        "WHERE k.table_schema = DATABASE() AND k.table_name = ? "
        "AND r.constraint_schema = COALESCE(NULLIF(?, ''), DATABASE()) AND r.table_name = ? "
        "AND k.referenced_table_name IS NOT NULL ORDER BY k.constraint_name, k.ordinal_position",
    .enums = NULL,
};

static int column_default(rorm_str *out, const rorm_field *f, rorm_error *err)
{
    return rorm__ddl_column_default(out, &hooks, f, err);
}

static int column_definition(rorm_str *out, const rorm_field *f, rorm_error *err)
{
    return rorm__ddl_column_definition(out, &rorm__dialect_mysql, &hooks, f, err);
}

static int alter(rorm_str *out, const rorm_alter *op, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && op != NULL, err);
    const rorm_field *f = op->field;
    int rc = RORM_OK;
    switch (op->kind) {
    case RORM_ALTER_REPLACE_ENUM:
        /* An enum column losing values: rows holding one become NULL (an optional column; the
           planner blocks a required one), then the column is restated. */
        for (size_t i = 0; i < op->nuses && op->nremoved > 0; i++) {
            if (!op->uses[i].nullable) {
                continue;
            }
            rorm__str_puts(out, "UPDATE ");
            rorm__dialect_qualified(out, &rorm__dialect_mysql, op->uses[i].schema,
                                    op->uses[i].table);
            rorm__str_puts(out, " SET ");
            quote_ident(out, op->uses[i].column);
            rorm__str_puts(out, " = NULL WHERE ");
            quote_ident(out, op->uses[i].column);
            rorm__str_puts(out, " IN (");
            for (size_t k = 0; k < op->nremoved; k++) {
                rorm__str_puts(out, k ? ", " : "");
                text_literal(out, op->removed[k], strlen(op->removed[k]));
            }
            rorm__str_puts(out, ");\n");
        }
        /* fall through */
    case RORM_ALTER_ADD_COLUMN:
    case RORM_ALTER_COLUMN_TYPE:
    case RORM_ALTER_COLUMN_NULL:
        /* MySQL changes a column by restating it whole. */
        rorm__str_puts(out, "ALTER TABLE ");
        rorm__dialect_table(out, &rorm__dialect_mysql, f->model);
        rorm__str_puts(out, op->kind == RORM_ALTER_ADD_COLUMN ? " ADD COLUMN " : " MODIFY ");
        quote_ident(out, f->column);
        rorm__str_putc(out, ' ');
        rc = column_definition(out, f, err);
        break;
    case RORM_ALTER_COLUMN_DEFAULT: {
        rorm__str_puts(out, "ALTER TABLE ");
        rorm__dialect_table(out, &rorm__dialect_mysql, f->model);
        rorm__str_puts(out, " ALTER COLUMN ");
        quote_ident(out, f->column);
        size_t mark = out->len;
        rorm__str_puts(out, " SET DEFAULT ");
        size_t before = out->len;
        rc = column_default(out, f, err);
        if (rc == RORM_OK && out->len == before) {
            rorm__str_truncate(out, mark);
            rorm__str_puts(out, " DROP DEFAULT");
        }
        break;
    }
    case RORM_ALTER_DROP_INDEX:
        rorm__str_puts(out, "DROP INDEX ");
        quote_ident(out, op->name);
        rorm__str_puts(out, " ON ");
        rorm__dialect_qualified(out, &rorm__dialect_mysql, op->schema, op->table);
        break;
    case RORM_ALTER_ADD_FOREIGN_KEY:
        rorm__str_puts(out, "ALTER TABLE ");
        rorm__dialect_table(out, &rorm__dialect_mysql, op->model);
        rorm__str_puts(out, " ADD ");
        rc = rorm__ddl_foreign_key(out, &rorm__dialect_mysql, op->model, f, err);
        break;
    case RORM_ALTER_DROP_FOREIGN_KEY:
        rorm__str_puts(out, "ALTER TABLE ");
        rorm__dialect_qualified(out, &rorm__dialect_mysql, op->schema, op->table);
        rorm__str_puts(out, " DROP FOREIGN KEY ");
        quote_ident(out, op->name);
        break;
    default:
        if (rorm__ddl_alter_common(out, &rorm__dialect_mysql, op)) {
            break;
        }
        return rorm__error(err, RORM_EUNSUPPORTED, "schema change %u is not available on MySQL",
                           op->kind);
    }
    if (rc != RORM_OK) {
        return rc;
    }
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

static int create_join_table(rorm_str *out, const rorm_relation *rel, rorm_error *err)
{
    return rorm__ddl_create_join_table(out, &rorm__dialect_mysql, hooks.table_suffix, rel, err);
}

static void limit_offset(rorm_str *out, int64_t limit, int64_t offset)
{
    if (limit < 0 && offset <= 0) {
        return;
    }
    rorm__str_puts(out, " LIMIT ");
    if (limit < 0) {
        rorm__str_puts(out, "18446744073709551615"); /* MySQL has no OFFSET without LIMIT */
    } else {
        rorm__str_put_int(out, limit);
    }
    if (offset > 0) {
        rorm__str_puts(out, " OFFSET ");
        rorm__str_put_int(out, offset);
    }
}

const rorm_dialect rorm__dialect_mysql = {
    .name = "mysql",
    .db_type = RORM_DB_MYSQL,
    .caps = RORM_CAP_SAVEPOINTS | RORM_CAP_UPSERT_ON_DUPLICATE | RORM_CAP_NATIVE_ENUMS,
    .quote_ident = quote_ident,
    .placeholder = placeholder,
    .column_type = column_type,
    .create_table = create_table,
    .create_index = create_index,
    .limit_offset = limit_offset,
    .begin_sql = "BEGIN",
    .commit_sql = "COMMIT",
    .rollback_sql = "ROLLBACK",
    .table_exists_sql = "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() "
                        "AND table_name = ?",
    .insert_returning = false,
    .introspect = &introspect,
    .column_default = column_default,
    .column_definition = column_definition,
    .alter = alter,
    .create_join_table = create_join_table,
    .create_table_without_foreign_keys = create_table_without_foreign_keys,
    .rebuild_table = NULL,
    .history_table_sql = "CREATE TABLE IF NOT EXISTS `redi_migrations` (\n"
                         "    `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n"
                         "    `name` VARCHAR(191) NOT NULL,\n"
                         "    `checksum` VARCHAR(64) NOT NULL,\n"
                         "    `sql_applied` LONGTEXT NOT NULL,\n"
                         "    `applied_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n"
                         "    `db_type` VARCHAR(32) NOT NULL\n"
                         ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
};
