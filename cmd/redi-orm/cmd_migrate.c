/*
 * The migration subcommands: `migrate` (plan the database towards a Prisma schema, print the
 * plan, apply it; --dry-run prints the SQL only, --force allows destructive steps),
 * `migrate:generate`, `migrate:apply`, `migrate:status`, `migrate:rollback`, `migrate:reset`
 * (file-based migrations in a directory, ./migrations by default) and `pull` (the database as a
 * Prisma schema). The database is --db URI, else $DATABASE_URL. Exit status 0 on success, 1
 * when the database or the plan refuses, 2 for usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rediorm/rediorm.h>

#include "cmd.h"

typedef struct options {
    const char *command;
    const char *schema;
    const char *db;
    const char *dir;
    const char *name;
    const char *out;
    const char *renames;
    const char *schemas; /* pull: comma-separated PostgreSQL schemas */
    bool dry_run, force, drop_tables;
} options;

static void usage(FILE *fp, const char *command)
{
    fprintf(fp,
            "usage: redi-orm %s [options]\n\n"
            "  migrate            plan the database towards the schema, print and apply the plan\n"
            "  migrate:generate   write the plan as migrations/<timestamp>_<name>/ (--name N)\n"
            "  migrate:apply      apply the pending migrations of the directory in order\n"
            "  migrate:status     applied / pending / modified migrations, and drift\n"
            "  migrate:rollback   undo the last applied migration with its down.sql\n"
            "  migrate:reset      drop everything and apply every migration (needs --force)\n"
            "  pull               write the database as a Prisma schema\n\n"
            "options:\n"
            "  --schema PATH    the Prisma schema (default ./schema.prisma)\n"
            "  --db URI         the database (default $DATABASE_URL)\n"
            "  --dir PATH       the migrations directory (default ./migrations)\n"
            "  --name NAME      the name of a generated migration\n"
            "  --out PATH       where pull writes the schema (default: standard output)\n"
            "  --schemas LIST   pull these PostgreSQL schemas (comma-separated), with @@schema\n"
            "  --dry-run        print the SQL of the plan, apply nothing\n"
            "  --force          allow destructive steps\n"
            "  --drop-tables    also drop tables no model maps to (destructive)\n"
            "  --rename SPEC    declared renames: 'users.full_name=name;posts=articles'\n",
            command);
}

static int parse(options *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->command = argv[0];
    o->schema = "schema.prisma";
    o->dir = "migrations";
    o->db = getenv("DATABASE_URL");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--schema") == 0    ? &o->schema
                            : strcmp(a, "--db") == 0      ? &o->db
                            : strcmp(a, "--dir") == 0     ? &o->dir
                            : strcmp(a, "--name") == 0    ? &o->name
                            : strcmp(a, "--out") == 0     ? &o->out
                            : strcmp(a, "--rename") == 0  ? &o->renames
                            : strcmp(a, "--schemas") == 0 ? &o->schemas
                                                          : NULL;
        if (slot && i + 1 < argc) {
            *slot = argv[++i];
        } else if (strcmp(a, "--dry-run") == 0) {
            o->dry_run = true;
        } else if (strcmp(a, "--force") == 0) {
            o->force = true;
        } else if (strcmp(a, "--drop-tables") == 0) {
            o->drop_tables = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout, o->command);
            return 0;
        } else {
            fprintf(stderr, "redi-orm %s: unexpected argument '%s'\n", o->command, a);
            usage(stderr, o->command);
            return 2;
        }
    }
    if (o->db == NULL || *o->db == '\0') {
        fprintf(stderr, "redi-orm %s: no database: give --db URI or set DATABASE_URL\n",
                o->command);
        return 2;
    }
    return -1; /* go on */
}

static int fail(const options *o, const rorm_error *err)
{
    fprintf(stderr, "redi-orm %s: %s\n", o->command, err->message);
    return 1;
}

static int load_schema(rorm_schema **out, const options *o)
{
    rorm_diagnostics *diags = NULL;
    rorm_error err = { 0 };
    if (rorm_diagnostics_new(&diags, &err) != RORM_OK) {
        return fail(o, &err);
    }
    int rc = rorm_prisma_load_path(out, o->schema, diags, &err);
    if (rc != RORM_OK) {
        rorm_diagnostics_print(diags, stderr);
        if (rorm_diagnostics_error_count(diags) == 0) {
            fprintf(stderr, "redi-orm %s: %s\n", o->command, err.message);
        }
    }
    rorm_diagnostics_free(diags);
    return rc == RORM_OK ? 0 : 1;
}

static int open_db(rorm_db **out, const options *o)
{
    rorm_error err = { 0 };
    return rorm_db_open(out, o->db, &err) == RORM_OK ? 0 : fail(o, &err);
}

static int do_migrate(const options *o)
{
    rorm_schema *schema = NULL;
    rorm_db *db = NULL;
    rorm_migrate_plan *plan = NULL;
    rorm_error err = { 0 };
    rorm_migrate_options mo = RORM_MIGRATE_OPTIONS_INIT;
    mo.force = o->force;
    mo.drop_tables = o->drop_tables;
    mo.renames = o->renames;
    int status = load_schema(&schema, o);
    if (status == 0) {
        status = open_db(&db, o);
    }
    if (status == 0 && rorm_migrate_plan_schema(&plan, db, schema, &mo, &err) != RORM_OK) {
        status = fail(o, &err);
    }
    size_t n = status == 0 ? rorm_migrate_plan_count(plan) : 0;
    if (status == 0 && n == 0) {
        printf("The database is up to date.\n");
    }
    for (size_t i = 0; status == 0 && i < n; i++) {
        const char *blocked = rorm_migrate_plan_blocked(plan, i);
        printf("%s %s", o->dry_run ? "--" : "-", rorm_migrate_plan_description(plan, i));
        if (rorm_migrate_plan_destructive(plan, i)) {
            printf(" [destructive: %lld rows]", (long long)rorm_migrate_plan_rows(plan, i));
        }
        if (blocked) {
            printf(" [blocked: %s]", blocked);
        }
        printf("\n");
        if (o->dry_run) {
            printf("%s;\n", rorm_migrate_plan_sql(plan, i));
        }
    }
    if (status == 0 && n > 0 && !o->dry_run) {
        if (rorm_migrate_apply(db, plan, &mo, &err) != RORM_OK) {
            status = fail(o, &err);
        } else {
            printf("Applied %zu step%s.\n", n, n == 1 ? "" : "s");
        }
    }
    rorm_migrate_plan_free(plan);
    rorm_db_close(db);
    rorm_schema_release(schema);
    return status;
}

static int do_generate(const options *o)
{
    if (o->name == NULL) {
        fprintf(stderr, "redi-orm %s: --name is required\n", o->command);
        return 2;
    }
    rorm_schema *schema = NULL;
    rorm_db *db = NULL;
    rorm_error err = { 0 };
    rorm_migrate_options mo = RORM_MIGRATE_OPTIONS_INIT;
    mo.drop_tables = o->drop_tables;
    mo.renames = o->renames;
    char *path = NULL;
    int status = load_schema(&schema, o);
    if (status == 0) {
        status = open_db(&db, o);
    }
    if (status == 0 &&
        rorm_migrate_generate(&path, db, schema, o->dir, o->name, &mo, &err) != RORM_OK) {
        status = fail(o, &err);
    }
    if (status == 0) {
        printf(path ? "Wrote %s\n" : "The database is up to date: nothing to write.\n", path);
    }
    rorm_free(path);
    rorm_db_close(db);
    rorm_schema_release(schema);
    return status;
}

static int do_files(const options *o)
{
    rorm_db *db = NULL;
    rorm_error err = { 0 };
    int status = open_db(&db, o);
    const char *c = o->command;
    if (status == 0 && strcmp(c, "migrate:apply") == 0) {
        size_t n = 0;
        if (rorm_migrate_apply_dir(&n, db, o->dir, &err) != RORM_OK) {
            status = fail(o, &err);
        } else {
            printf("Applied %zu migration%s.\n", n, n == 1 ? "" : "s");
        }
    } else if (status == 0 && strcmp(c, "migrate:status") == 0) {
        /* With a schema, the status also shows the drift from it. */
        rorm_schema *schema = NULL;
        FILE *fp = fopen(o->schema, "rb");
        if (fp) {
            fclose(fp);
            status = load_schema(&schema, o);
            if (status == 0 && rorm_db_register(db, schema, &err) != RORM_OK) {
                status = fail(o, &err);
            }
        }
        char *text = NULL;
        if (status == 0 && rorm_migrate_status_dir(&text, db, o->dir, &err) != RORM_OK) {
            status = fail(o, &err);
        }
        if (status == 0) {
            fputs(text, stdout);
        }
        rorm_free(text);
        rorm_schema_release(schema);
    } else if (status == 0 && strcmp(c, "migrate:rollback") == 0) {
        char *name = NULL;
        if (rorm_migrate_rollback(&name, db, o->dir, &err) != RORM_OK) {
            status = fail(o, &err);
        } else {
            printf("Rolled back %s.\n", name);
        }
        rorm_free(name);
    } else if (status == 0 && strcmp(c, "migrate:reset") == 0) {
        if (!o->force) {
            fprintf(stderr, "redi-orm %s: this drops every table: add --force\n", c);
            status = 1;
        } else if (rorm_migrate_reset(db, o->dir, &err) != RORM_OK) {
            status = fail(o, &err);
        } else {
            printf("Reset the database and applied every migration.\n");
        }
    }
    rorm_db_close(db);
    return status;
}

int cmd_migrate(int argc, char **argv)
{
    options o;
    int rc = parse(&o, argc, argv);
    if (rc >= 0) {
        return rc;
    }
    if (strcmp(o.command, "migrate") == 0) {
        return do_migrate(&o);
    }
    if (strcmp(o.command, "migrate:generate") == 0) {
        return do_generate(&o);
    }
    return do_files(&o);
}

int cmd_pull(int argc, char **argv)
{
    options o;
    int rc = parse(&o, argc, argv);
    if (rc >= 0) {
        return rc;
    }
    rorm_db *db = NULL;
    rorm_error err = { 0 };
    char *text = NULL;
    /* --schemas a,b: split in place of a copy. */
    char *list = o.schemas ? strdup(o.schemas) : NULL;
    const char *names[64];
    size_t n = 0;
    for (char *s = list ? strtok(list, ",") : NULL; s && n < 64; s = strtok(NULL, ",")) {
        names[n++] = s;
    }
    int status = o.schemas && (list == NULL || n == 0) ? 2 : open_db(&db, &o);
    if (status == 2) {
        fprintf(stderr, "redi-orm pull: --schemas needs schema names: --schemas auth,public\n");
    }
    if (status == 0 && rorm_migrate_pull_schemas(&text, db, names, n, &err) != RORM_OK) {
        status = fail(&o, &err);
    }
    free(list);
    if (status == 0) {
        FILE *fp = o.out ? fopen(o.out, "wb") : stdout;
        if (fp == NULL || fputs(text, fp) < 0) {
            fprintf(stderr, "redi-orm pull: cannot write '%s'\n", o.out);
            status = 1;
        }
        if (fp && fp != stdout && fclose(fp) != 0) {
            status = 1;
        }
    }
    rorm_free(text);
    rorm_db_close(db);
    return status;
}
