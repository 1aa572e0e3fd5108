/**
 * @file rediorm/migrate.h
 * @brief Migrations: compare the registered schemas with the live database, plan the changes,
 * apply them safely, and keep a history in `redi_migrations`.
 *
 * The engine introspects the database (tables, columns with type, nullability, default and
 * autoincrement, primary keys, unique constraints, indexes, foreign keys, PostgreSQL enums),
 * compares it with the schema model and makes an ordered plan. Applying a plan runs in one
 * transaction where the database has transactional DDL (SQLite, PostgreSQL); on MySQL each step
 * commits on its own and a failure reports the steps done and not done.
 *
 * Safety: destructive steps (dropping a table or a column, narrowing a type, making a column
 * required while rows hold NULL) are refused unless `force` is set, with a message naming each
 * step and the rows it touches. A required column without a default cannot be added to a table
 * that has rows. Tables the schemas do not know are left alone unless `drop_tables` is set.
 */
#ifndef REDIORM_MIGRATE_H
#define REDIORM_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "db.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An ordered list of schema changes for one database. */
typedef struct rorm_migrate_plan rorm_migrate_plan;

/** Options for planning and applying; start from RORM_MIGRATE_OPTIONS_INIT. */
typedef struct rorm_migrate_options {
    unsigned version; /**< RORM_MIGRATE_OPTIONS_VERSION */
    bool force;       /**< apply destructive steps too */
    bool drop_tables; /**< drop tables no registered model maps to (destructive) */
    const char *name; /**< the name recorded in redi_migrations; NULL for "auto" */
    /* Version 2. */
    /**
     * Declared renames (a rename is never guessed), database names separated by ';':
     * `users.full_name=name` renames a column of table users, `posts=articles` a table. A
     * declared rename applies when the old name exists and the new one does not; the data stays.
     */
    const char *renames;
} rorm_migrate_options;

#define RORM_MIGRATE_OPTIONS_VERSION 2
#define RORM_MIGRATE_OPTIONS_INIT                              \
    {                                                          \
        RORM_MIGRATE_OPTIONS_VERSION, false, false, NULL, NULL \
    }

/**
 * Compare the schemas registered with @p db with the live database and plan the changes.
 * Counts the rows each destructive step touches. The caller frees `*out` with
 * rorm_migrate_plan_free(). @p opts may be NULL (defaults).
 */
RORM_API int rorm_migrate_plan_new(rorm_migrate_plan **out,
                                   rorm_db *db,
                                   const rorm_migrate_options *opts,
                                   rorm_error *err);
/**
 * Plan against @p schema instead of the registered schemas (validated first when it is not
 * yet; it is not registered). For tools that hold a schema file and a database.
 */
RORM_API int rorm_migrate_plan_schema(rorm_migrate_plan **out,
                                      rorm_db *db,
                                      rorm_schema *schema,
                                      const rorm_migrate_options *opts,
                                      rorm_error *err);
/** Free a plan. NULL is accepted. */
RORM_API void rorm_migrate_plan_free(rorm_migrate_plan *plan);
/** @return the number of steps (0: the database matches the schemas). */
RORM_API size_t rorm_migrate_plan_count(const rorm_migrate_plan *plan);
/** @return the SQL of step @p i (statements separated by ";\n"), borrowed; NULL out of range. */
RORM_API const char *rorm_migrate_plan_sql(const rorm_migrate_plan *plan, size_t i);
/** @return a one-line description of step @p i, e.g. `drop column "age" of table "users"`. */
RORM_API const char *rorm_migrate_plan_description(const rorm_migrate_plan *plan, size_t i);
/** @return whether step @p i may lose data (refused without force). */
RORM_API bool rorm_migrate_plan_destructive(const rorm_migrate_plan *plan, size_t i);
/** @return the rows step @p i touches (destructive and blocked steps), else 0. */
RORM_API int64_t rorm_migrate_plan_rows(const rorm_migrate_plan *plan, size_t i);
/** @return why step @p i cannot be applied even with force (borrowed), or NULL. */
RORM_API const char *rorm_migrate_plan_blocked(const rorm_migrate_plan *plan, size_t i);
/** @return how many steps the last rorm_migrate_apply() of this plan completed. */
RORM_API size_t rorm_migrate_plan_done(const rorm_migrate_plan *plan);

/**
 * Apply @p plan to @p db and record it in `redi_migrations` (created on first use).
 * @return RORM_OK; RORM_ESCHEMA when a destructive step is refused (no force) or a step is
 * blocked, naming the steps and rows (nothing is run); the database's error when a step fails:
 * everything is rolled back on SQLite and PostgreSQL, while on MySQL the message says how many
 * steps were done (see rorm_migrate_plan_done()).
 */
RORM_API int rorm_migrate_apply(rorm_db *db,
                                rorm_migrate_plan *plan,
                                const rorm_migrate_options *opts,
                                rorm_error *err);

/** Plan and apply in one call (auto-migration). @p opts may be NULL. */
RORM_API int rorm_migrate(rorm_db *db, const rorm_migrate_options *opts, rorm_error *err);

/** Plan against @p schema (see rorm_migrate_plan_schema()) and apply. */
RORM_API int rorm_migrate_schema(rorm_db *db,
                                 rorm_schema *schema,
                                 const rorm_migrate_options *opts,
                                 rorm_error *err);

/**
 * Read the migration history: rows of `redi_migrations` (id, name, checksum, sql_applied,
 * applied_at, db_type) in the order applied; no rows when nothing was recorded yet. The caller
 * frees `*out` with rorm_rows_free().
 */
RORM_API int rorm_migrate_status(rorm_rows **out, rorm_db *db, rorm_error *err);

/**
 * Describe the live database as the engine reads it, one line per table, column, index,
 * foreign key and enum (a stable text for tests and diagnostics). The caller frees `*out` with
 * rorm_free().
 */
RORM_API int rorm_migrate_describe(char **out, rorm_db *db, rorm_error *err);

/**
 * Write the live database as a Prisma schema (`redi-orm pull`): models for tables (@@map where
 * a name is not a Prisma identifier), fields with Prisma's types (else `@db.` native types,
 * else Unsupported), ids, defaults, unique constraints and indexes (with their database names),
 * relations from foreign keys (named after the constraint, back-relations included), implicit
 * many-to-many relations for `_AToB` join tables, and enums (PostgreSQL types, MySQL enum
 * columns). Loaded back, it plans empty against the same database. Relation fields are named
 * after the related model (`author`-style names are the user's to choose: `user`, `posts`),
 * or `rel_<n>`, `back_<t>_<n>`, `m2m_<t>_<side>` where that name is taken. Free `*out` with
 * rorm_free().
 */
RORM_API int rorm_migrate_pull(char **out, rorm_db *db, rorm_error *err);

/**
 * rorm_migrate_pull() over several PostgreSQL schemas: reads the tables and enums of each of
 * @p schemas (not the connection's current schema, unless listed) and writes
 * `schemas = [...]` in the datasource and `@@schema("...")` on every model and enum. With
 * @p nschemas 0 it is rorm_migrate_pull().
 * @return RORM_OK; RORM_EUNSUPPORTED on SQLite and MySQL, or when one table or enum name is in
 *         two of the schemas (models are named after tables); RORM_EINVAL for an empty name.
 */
RORM_API int rorm_migrate_pull_schemas(
    char **out, rorm_db *db, const char *const *schemas, size_t nschemas, rorm_error *err);

/* ---- File-based migrations ------------------------------------------------------------- */

/**
 * Write the plan from the database to @p schema (NULL: the registered schemas) as a new
 * migration directory `<dir>/<YYYYMMDDHHMMSS>_<name>/` holding `migration.sql` (each step with
 * its description as a comment), `down.sql` (the steps undone in reverse order; a step that
 * cannot be undone is a `-- cannot be undone: ...` line) and `meta.txt`. Names always sort in
 * creation order. Nothing is applied. When the plan is empty nothing is written and
 * `*path_out` stays NULL. @p path_out (may be NULL) receives the directory path, freed with
 * rorm_free(). @p name: letters, digits, '_' and '-'.
 */
RORM_API int rorm_migrate_generate(char **path_out,
                                   rorm_db *db,
                                   rorm_schema *schema,
                                   const char *dir,
                                   const char *name,
                                   const rorm_migrate_options *opts,
                                   rorm_error *err);

/**
 * Apply the pending migrations of @p dir in name order, each in its own transaction where DDL
 * is transactional, recording each in redi_migrations (name = directory name, checksum of
 * migration.sql). @return RORM_ESTATE, applying nothing, when an applied migration's file was
 * modified afterwards. @p count_out (may be NULL) receives how many were applied.
 */
RORM_API int
rorm_migrate_apply_dir(size_t *count_out, rorm_db *db, const char *dir, rorm_error *err);

/**
 * Describe the migrations of @p dir against the database, one line each: `applied <name>`,
 * `pending <name>` or `modified <name>` (changed after it was applied), then, when schemas are
 * registered, `drift <n>` and the steps still needed to match them. Free `*out` with
 * rorm_free().
 */
RORM_API int rorm_migrate_status_dir(char **out, rorm_db *db, const char *dir, rorm_error *err);

/**
 * Roll back the last applied migration of @p dir with its down.sql and remove it from the
 * history. @return RORM_EUNSUPPORTED naming the step when one cannot be undone. @p name_out
 * (may be NULL) receives its name, freed with rorm_free().
 */
RORM_API int rorm_migrate_rollback(char **name_out, rorm_db *db, const char *dir, rorm_error *err);

/**
 * For development: drop every table (foreign keys first), the history and PostgreSQL enum
 * types, then apply every migration of @p dir. All data is lost.
 */
RORM_API int rorm_migrate_reset(rorm_db *db, const char *dir, rorm_error *err);

#ifdef __cplusplus
}
#endif
#endif
