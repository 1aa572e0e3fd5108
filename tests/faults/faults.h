/*
 * Shared by the fault tests: a small schema (items, authors with books) and helpers to count
 * rows and run the server script.
 */
#ifndef RORM_TESTS_FAULTS_H
#define RORM_TESTS_FAULTS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/harness.h"

static const rorm_field_def ft_item_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "code", .type = RORM_FIELD_STRING, .flags = RORM_UNIQUE },
    { .name = "n", .type = RORM_FIELD_INT, .flags = RORM_NULLABLE },
};
static const rorm_field_def ft_author_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "email", .type = RORM_FIELD_STRING, .flags = RORM_UNIQUE },
};
static const rorm_relation_def ft_author_relations[] = {
    { .name = "books", .kind = RORM_ONE_TO_MANY, .model = "Book" },
};
static const rorm_field_def ft_book_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "title", .type = RORM_FIELD_STRING, .flags = RORM_UNIQUE },
    { .name = "authorId", .type = RORM_FIELD_INT, .flags = RORM_INDEX },
};
static const rorm_relation_def ft_book_relations[] = {
    { .name = "author",
      .kind = RORM_MANY_TO_ONE,
      .model = "Author",
      .fields = "authorId",
      .references = "id" },
};
static const rorm_model_def ft_models[] = {
    { .name = "Item",
      .table = "ft_items",
      .fields = ft_item_fields,
      .nfields = RORM_COUNT(ft_item_fields) },
    { .name = "Author",
      .table = "ft_authors",
      .fields = ft_author_fields,
      .nfields = RORM_COUNT(ft_author_fields),
      .relations = ft_author_relations,
      .nrelations = RORM_COUNT(ft_author_relations) },
    { .name = "Book",
      .table = "ft_books",
      .fields = ft_book_fields,
      .nfields = RORM_COUNT(ft_book_fields),
      .relations = ft_book_relations,
      .nrelations = RORM_COUNT(ft_book_relations) },
};

/* A schema of the fault models (the first @p nmodels), plus @p extra when not NULL. */
static inline rorm_schema *ft_schema(size_t nmodels, const rorm_model_def *extra)
{
    rorm_error err = { 0 };
    rorm_schema *schema = NULL;
    assert_rorm_ok(rorm_schema_new(&schema, &err), &err);
    for (size_t i = 0; i < nmodels; i++) {
        assert_rorm_ok(rorm_schema_add_model(schema, &ft_models[i], &err), &err);
    }
    if (extra) {
        assert_rorm_ok(rorm_schema_add_model(schema, extra, &err), &err);
    }
    return schema;
}

/* Register the fault models with @p db (tables not created). */
static inline void ft_register(rorm_db *db)
{
    rorm_error err = { 0 };
    rorm_schema *schema = ft_schema(RORM_COUNT(ft_models), NULL);
    assert_rorm_ok(rorm_db_register(db, schema, &err), &err);
    rorm_schema_release(schema);
}

static inline int64_t ft_count(rorm_db *db, const char *model)
{
    rorm_error err = { 0 };
    rorm_query *q = NULL;
    int64_t n = -1;
    assert_rorm_ok(rorm_query_new(&q, db, model, &err), &err);
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    rorm_query_free(q);
    return n;
}

/* The first value of the first row of @p sql (no parameters), as an integer. */
static inline int64_t ft_scalar(rorm_db *db, const char *sql)
{
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_db_query_raw(&rows, db, sql, NULL, 0, &err), &err);
    assert_true(rorm_rows_count(rows) >= 1);
    const rorm_value *v = rorm_rows_get(rows, 0, 0);
    int64_t n = 0;
    if (v->type == RORM_TYPE_INT) {
        n = v->u.i;
    } else if (v->type == RORM_TYPE_TEXT || v->type == RORM_TYPE_DECIMAL) {
        n = strtoll(rorm_value_as_text(v), NULL, 10);
    } else if (v->type == RORM_TYPE_DOUBLE) {
        n = (int64_t)v->u.d;
    } else {
        fail_msg("%s: unexpected value type %d", sql, (int)v->type);
    }
    rorm_rows_free(rows);
    return n;
}

#endif
