/*
 * libFuzzer target for the Prisma Client engine without a database: arbitrary JSON arguments
 * for any operation on any model of a fixed schema go through validation and SQL compilation
 * (rorm__pc_compile on an offline handle) for SQLite, PostgreSQL and MySQL. Built and run by
 * fuzz/run.sh with -fsanitize=fuzzer,address,undefined; a crash, leak or sanitizer report is a
 * bug, and so is compiled SQL whose placeholders do not match its bound parameters (a value
 * that reached the SQL text instead of a parameter).
 *
 * Input: byte 0 picks the operation, byte 1 the model (low 3 bits) and the dialect; the rest is
 * the JSON argument object.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "core/json.h"
#include "dialect/dialect.h"
#include "pc/pc_schema.h"
#include "query/prisma/pc.h"
#include "rediorm/prisma.h"

/* The schema of the Prisma Client tests, with a self-relation, an implicit many-to-many and
   mapped names added. */
static const char schema_text[] = PC_SCHEMA_TEXT PC_SCHEMA_MORE_TEXT;

static const char *const models[] = { "User",   "Post", "Tag", "Account",
                                      "Member", "Item", "Doc", "Node" };

static const char *const operations[] = {
    "findUnique", "findUniqueOrThrow",
    "findFirst",  "findFirstOrThrow",
    "findMany",   "count",
    "aggregate",  "groupBy",
    "updateMany", "deleteMany",
    "create",     "createMany",
    "update",     "createManyAndReturn",
    "upsert",     "delete",
    "bogus",
};

static rorm_db *handles[3];

static void setup(void)
{
    static const rorm_dialect *const dialects[3] = { &rorm__dialect_sqlite, &rorm__dialect_postgres,
                                                     &rorm__dialect_mysql };
    rorm_error err = { 0 };
    for (int i = 0; i < 3; i++) {
        rorm_schema *s = NULL;
        if (rorm_prisma_load_string(&s, schema_text, strlen(schema_text), NULL, NULL, &err) !=
                RORM_OK ||
            rorm__db_new_offline(&handles[i], dialects[i], s, &err) != RORM_OK) {
            fprintf(stderr, "query_fuzz: setup: %s\n", err.message);
            abort();
        }
        rorm_schema_release(s);
    }
}

/* Placeholders in @p sql outside quoted identifiers and string literals. */
static size_t placeholders(const char *sql, bool dollar)
{
    size_t n = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote) {
                quote = 0;
            }
        } else if (*p == '"' || *p == '`' || *p == '\'') {
            quote = *p;
        } else if (!dollar && *p == '?') {
            n++;
        } else if (dollar && *p == '$' && p[1] >= '1' && p[1] <= '9') {
            n++;
        }
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (handles[0] == NULL) {
        setup();
    }
    if (size < 2) {
        return 0;
    }
    const char *op = operations[data[0] % (sizeof operations / sizeof operations[0])];
    const char *model = models[data[1] & 7];
    int dialect = (data[1] >> 3) % 3;
    rorm_error err = { 0 };
    rorm_value args;
    if (rorm__json_parse(&args, (const char *)data + 2, size - 2, &err) != RORM_OK) {
        return 0;
    }
    pc_ctx ctx;
    ctx.err = &err;
    rorm__pc_arena_init(&ctx.arena);
    pc_sql s;
    rorm__pc_sql_init(&s, handles[dialect]->dialect);
    int rc = rorm__pc_compile(&s, &ctx, handles[dialect], model, op, &args);
    if (rc == RORM_OK) {
        if (strlen(s.text.ptr) != s.text.len) {
            abort(); /* a NUL byte inside the SQL text */
        }
        size_t n = placeholders(s.text.ptr, dialect == 1);
        if (n != s.params.len) {
            fprintf(stderr, "query_fuzz: %zu placeholders, %zu parameters: %s\n", n, s.params.len,
                    s.text.ptr);
            abort();
        }
    } else if (err.message[0] == '\0') {
        abort(); /* every failure says what is wrong */
    }
    rorm__pc_sql_dispose(&s);
    rorm__pc_arena_dispose(&ctx.arena);
    rorm_value_dispose(&args);
    return 0;
}
