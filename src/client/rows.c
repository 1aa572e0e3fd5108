/*
 * Result sets: a row-major array of owned values with one list of column names.
 */
#include "client/client.h"

#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

int rorm__rows_new(rorm_rows **out, size_t ncols, rorm_error *err)
{
    /* The struct and its column-name array in one allocation. */
    size_t size;
    if (!rorm__mul_ok(&size, ncols ? ncols : 1, sizeof(const char *)) ||
        !rorm__add_ok(&size, size, sizeof(rorm_rows))) {
        return rorm__error_oom(err);
    }
    rorm_rows *rows = rorm__calloc(1, size);
    if (rows == NULL) {
        return rorm__error_oom(err);
    }
    rows->ncols = ncols;
    rows->names = (const char **)(rows + 1);
    *out = rows;
    return RORM_OK;
}

int rorm__rows_reserve(rorm_rows *rows, size_t nrows, rorm_error *err)
{
    if (nrows <= rows->cap) {
        return RORM_OK;
    }
    size_t cells, bytes;
    if (!rorm__mul_ok(&cells, nrows, rows->ncols ? rows->ncols : 1) ||
        !rorm__mul_ok(&bytes, cells, sizeof(rorm_value))) {
        return rorm__error_oom(err);
    }
    rorm_value *p = rorm__realloc(rows->cells, bytes);
    if (p == NULL) {
        return rorm__error_oom(err);
    }
    rows->cells = p;
    rows->cap = nrows;
    return RORM_OK;
}

int rorm__rows_add(rorm_value **row_out, rorm_rows *rows, rorm_error *err)
{
    if (rows->nrows == rows->cap) {
        int rc = rorm__rows_reserve(rows, rows->cap ? rows->cap * 2 : 8, err);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    rorm_value *row = rows->cells + rows->nrows * rows->ncols;
    for (size_t c = 0; c < rows->ncols; c++) {
        rorm_value_init(&row[c]);
    }
    rows->nrows++;
    *row_out = row;
    return RORM_OK;
}

void rorm_rows_free(rorm_rows *rows)
{
    if (rows == NULL) {
        return;
    }
    size_t n = rows->nrows * rows->ncols;
    for (size_t i = 0; i < n; i++) {
        rorm_value_dispose(&rows->cells[i]);
    }
    if (rows->names_owned) {
        for (size_t c = 0; c < rows->ncols; c++) {
            rorm__free((void *)rows->names[c]);
        }
    }
    rorm__free(rows->cells);
    rorm__free(rows);
}

size_t rorm_rows_count(const rorm_rows *rows)
{
    return rows ? rows->nrows : 0;
}

size_t rorm_rows_column_count(const rorm_rows *rows)
{
    return rows ? rows->ncols : 0;
}

const char *rorm_rows_column_name(const rorm_rows *rows, size_t col)
{
    return rows && col < rows->ncols ? rows->names[col] : NULL;
}

long rorm_rows_column_index(const rorm_rows *rows, const char *name)
{
    if (rows == NULL || name == NULL) {
        return -1;
    }
    for (size_t c = 0; c < rows->ncols; c++) {
        if (rows->names[c] && strcmp(rows->names[c], name) == 0) {
            return (long)c;
        }
    }
    return -1;
}

const rorm_value *rorm_rows_get(const rorm_rows *rows, size_t row, size_t col)
{
    if (rows == NULL || row >= rows->nrows || col >= rows->ncols) {
        return NULL;
    }
    return &rows->cells[row * rows->ncols + col];
}

const rorm_value *rorm_rows_field(const rorm_rows *rows, size_t row, const char *name)
{
    long c = rorm_rows_column_index(rows, name);
    return c < 0 ? NULL : rorm_rows_get(rows, row, (size_t)c);
}

int rorm_rows_record(rorm_value *out, const rorm_rows *rows, size_t row, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    rorm_value_init(out);
    RORM_CHECK_ARG(rows != NULL && row < rows->nrows, err);
    rorm_value obj;
    rorm_value_init_object(&obj);
    for (size_t c = 0; c < rows->ncols; c++) {
        rorm_value v;
        if (rorm_value_copy(&v, &rows->cells[row * rows->ncols + c]) != RORM_OK ||
            rorm_value_object_set_take(&obj, rows->names[c], &v) != RORM_OK) {
            rorm_value_dispose(&v);
            rorm_value_dispose(&obj);
            return rorm__error_oom(err);
        }
    }
    rorm_value_move(out, &obj);
    return RORM_OK;
}

int rorm__rows_take_record(rorm_value *out, rorm_rows *rows, size_t row, rorm_error *err)
{
    size_t n = rows->ncols;
    rorm_member *items = rorm__calloc(n ? n : 1, sizeof *items);
    if (items == NULL) {
        return rorm__error_oom(err);
    }
    for (size_t c = 0; c < n; c++) {
        items[c].key = rorm__strdup(rows->names[c]);
        if (items[c].key == NULL) {
            for (size_t k = 0; k < c; k++) {
                rorm__free((void *)items[k].key);
            }
            rorm__free(items);
            return rorm__error_oom(err);
        }
    }
    /* Nothing can fail from here: move the cells. */
    rorm_value *cells = rows->cells + row * n;
    for (size_t c = 0; c < n; c++) {
        items[c].value = cells[c];
        rorm_value_init(&cells[c]);
    }
    rorm_value_init_object(out);
    out->u.obj.items = items;
    out->u.obj.len = n;
    out->u.obj.cap = n ? n : 1;
    return RORM_OK;
}
