/*
 * The validated query -> SQL text and its parameter list. Identifiers come from the schema and
 * are quoted by the dialect; every value is a bound parameter. What differs between databases
 * (pattern matching, NULL ordering) goes through small functions here, keyed on the dialect's
 * database type until the dialects carry the hooks themselves (see docs/prisma-client.md).
 */
#include "query/prisma/pc.h"

#include <string.h>

#include "rediorm/sys/driver.h"
#include "util/alloc.h"

void rorm__pc_sql_init(pc_sql *s, const rorm_dialect *d)
{
    rorm__str_init(&s->text);
    s->params.ptr = NULL;
    s->params.len = s->params.cap = 0;
    s->owned.ptr = NULL;
    s->owned.len = s->owned.cap = 0;
    s->d = d;
    s->oom = false;
    s->aliases = 0;
    /* Most statements fit: one allocation instead of a series of doublings. */
    if (rorm__str_grow(&s->text, 240) != 0 || rorm_vec_reserve(&s->params, 8) != 0) {
        s->oom = true;
    }
}

void rorm__pc_sql_dispose(pc_sql *s)
{
    rorm__str_dispose(&s->text);
    rorm_vec_free(&s->params);
    for (size_t i = 0; i < s->owned.len; i++) {
        rorm_value_dispose(s->owned.ptr[i]);
        rorm__free(s->owned.ptr[i]);
    }
    rorm_vec_free(&s->owned);
}

static void put(pc_sql *s, const char *text)
{
    rorm__str_puts(&s->text, text);
}

void rorm__pc_sql_param(pc_sql *s, const rorm_value *v)
{
    if (rorm_vec_push(&s->params, v) != 0) {
        s->oom = true;
        return;
    }
    s->d->placeholder(&s->text, s->params.len);
}

void rorm__pc_sql_column(pc_sql *s, const char *alias, const rorm_field *f)
{
    if (alias) {
        s->d->quote_ident(&s->text, alias);
        rorm__str_putc(&s->text, '.');
    }
    s->d->quote_ident(&s->text, f->column);
}

void rorm__pc_sql_agg(pc_sql *s, const char *alias, pc_aggfn fn, const rorm_field *f)
{
    static const char *const names[] = { "", "COUNT(", "SUM(", "AVG(", "MIN(", "MAX(" };
    if (fn == PC_AGG_NONE) {
        rorm__pc_sql_column(s, alias, f);
        return;
    }
    put(s, names[fn]);
    if (f == NULL) {
        put(s, "*");
    } else {
        rorm__pc_sql_column(s, alias, f);
    }
    put(s, ")");
}

bool rorm__pc_nulls_smallest(const rorm_dialect *d)
{
    return d->db_type != RORM_DB_POSTGRES;
}

/* Whether the dialect writes NULLS FIRST / NULLS LAST (MySQL does not). */
static bool has_nulls_order(const rorm_dialect *d)
{
    return d->db_type != RORM_DB_MYSQL;
}

/* ---- patterns ----------------------------------------------------------------------------- */

/*
 * Case-sensitive matching: SQLite's LIKE ignores ASCII case, so it uses GLOB (whose wildcards
 * are escaped by bracketing them); the servers use LIKE (MySQL with a binary collation).
 * Case-insensitive matching is LOWER(column) LIKE LOWER(pattern) everywhere.
 */
static bool use_glob(const rorm_dialect *d, bool insensitive)
{
    return !insensitive && d->db_type == RORM_DB_SQLITE;
}

static const char *like_escape_clause(const rorm_dialect *d)
{
    return d->db_type == RORM_DB_MYSQL ? " ESCAPE '\\\\'" : " ESCAPE '\\'";
}

/* The pattern for @p text under @p cmp, with the wildcards of LIKE or GLOB escaped. */
static rorm_value *make_pattern(pc_sql *s, const rorm_value *text, pc_cmp cmp, bool glob)
{
    rorm_str p = RORM_STR_INIT;
    char any = glob ? '*' : '%';
    if (cmp == PC_CONTAINS || cmp == PC_ENDS_WITH) {
        rorm__str_putc(&p, any);
    }
    for (size_t i = 0; i < text->u.s.len; i++) {
        char c = text->u.s.ptr[i];
        if (glob && (c == '*' || c == '?' || c == '[')) {
            rorm__str_putc(&p, '[');
            rorm__str_putc(&p, c);
            rorm__str_putc(&p, ']');
        } else if (!glob && (c == '%' || c == '_' || c == '\\')) {
            rorm__str_putc(&p, '\\');
            rorm__str_putc(&p, c);
        } else {
            rorm__str_putc(&p, c);
        }
    }
    if (cmp == PC_CONTAINS || cmp == PC_STARTS_WITH) {
        rorm__str_putc(&p, any);
    }
    rorm_value *v = rorm__malloc(sizeof *v);
    if (v == NULL || rorm__str_oom(&p) || rorm_value_set_text(v, p.ptr, p.len) != RORM_OK ||
        rorm_vec_push(&s->owned, v) != 0) {
        if (v) {
            rorm_value_dispose(v);
        }
        rorm__free(v);
        rorm__str_dispose(&p);
        s->oom = true;
        return NULL;
    }
    rorm__str_dispose(&p);
    return v;
}

static void pattern_match(pc_sql *s, const char *alias, const pc_filter *f)
{
    bool glob = use_glob(s->d, f->insensitive);
    rorm_value *pattern = make_pattern(s, f->value, f->cmp, glob);
    if (pattern == NULL) {
        return;
    }
    if (f->insensitive) {
        put(s, "LOWER(");
        rorm__pc_sql_column(s, alias, f->field);
        put(s, ") LIKE LOWER(");
        rorm__pc_sql_param(s, pattern);
        put(s, ")");
        put(s, like_escape_clause(s->d));
    } else if (glob) {
        rorm__pc_sql_column(s, alias, f->field);
        put(s, " GLOB ");
        rorm__pc_sql_param(s, pattern);
    } else {
        rorm__pc_sql_column(s, alias, f->field);
        put(s, s->d->db_type == RORM_DB_MYSQL ? " LIKE BINARY " : " LIKE ");
        rorm__pc_sql_param(s, pattern);
        put(s, like_escape_clause(s->d));
    }
}

/* ---- filters ----------------------------------------------------------------------------- */

static void operand(pc_sql *s, const rorm_value *v, bool lower)
{
    if (lower) {
        put(s, "LOWER(");
    }
    rorm__pc_sql_param(s, v);
    if (lower) {
        put(s, ")");
    }
}

/*
 * Scalar list filters: native arrays on PostgreSQL; elsewhere a list is JSON text (SQLite's
 * json_each, MySQL's JSON functions).
 */
static void list_compare(pc_sql *s, const char *alias, const pc_filter *f)
{
    const rorm_field *c = f->field;
    switch (s->d->db_type) {
    case RORM_DB_POSTGRES:
        switch (f->cmp) {
        case PC_HAS:
            rorm__pc_sql_param(s, f->value);
            put(s, " = ANY(");
            rorm__pc_sql_column(s, alias, c);
            put(s, ")");
            return;
        case PC_IS_EMPTY:
        case PC_NOT_EMPTY:
            put(s, "COALESCE(cardinality(");
            rorm__pc_sql_column(s, alias, c);
            put(s, f->cmp == PC_IS_EMPTY ? "), 0) = 0" : "), 0) > 0");
            return;
        default:
            rorm__pc_sql_column(s, alias, c);
            put(s, f->cmp == PC_HAS_EVERY ? " @> " : f->cmp == PC_HAS_SOME ? " && " : " = ");
            rorm__pc_sql_param(s, f->value);
            return;
        }
    case RORM_DB_MYSQL:
        switch (f->cmp) {
        case PC_HAS:
            put(s, "JSON_CONTAINS(");
            rorm__pc_sql_column(s, alias, c);
            put(s, ", JSON_ARRAY(");
            rorm__pc_sql_param(s, f->value);
            put(s, "))");
            return;
        case PC_IS_EMPTY:
        case PC_NOT_EMPTY:
            put(s, "COALESCE(JSON_LENGTH(");
            rorm__pc_sql_column(s, alias, c);
            put(s, f->cmp == PC_IS_EMPTY ? "), 0) = 0" : "), 0) > 0");
            return;
        case PC_LIST_EQ:
            put(s, "JSON_EXTRACT(");
            rorm__pc_sql_column(s, alias, c);
            put(s, ", '$') = JSON_EXTRACT(");
            rorm__pc_sql_param(s, f->value);
            put(s, ", '$')");
            return;
        default:
            put(s, f->cmp == PC_HAS_EVERY ? "JSON_CONTAINS(" : "JSON_OVERLAPS(");
            rorm__pc_sql_column(s, alias, c);
            put(s, ", ");
            rorm__pc_sql_param(s, f->value);
            put(s, ")");
            return;
        }
    default:
        switch (f->cmp) {
        case PC_HAS:
            put(s, "EXISTS (SELECT 1 FROM json_each(");
            rorm__pc_sql_column(s, alias, c);
            put(s, ") WHERE value = ");
            rorm__pc_sql_param(s, f->value);
            put(s, ")");
            return;
        case PC_HAS_EVERY:
        case PC_HAS_SOME:
            put(s, f->cmp == PC_HAS_EVERY ? "NOT EXISTS (SELECT 1 FROM json_each("
                                          : "EXISTS (SELECT 1 FROM json_each(");
            rorm__pc_sql_param(s, f->value);
            put(s, f->cmp == PC_HAS_EVERY ? ") WHERE value NOT IN (SELECT value FROM json_each("
                                          : ") WHERE value IN (SELECT value FROM json_each(");
            rorm__pc_sql_column(s, alias, c);
            put(s, ")))");
            return;
        case PC_IS_EMPTY:
        case PC_NOT_EMPTY:
            put(s, "COALESCE(json_array_length(");
            rorm__pc_sql_column(s, alias, c);
            put(s, f->cmp == PC_IS_EMPTY ? "), 0) = 0" : "), 0) > 0");
            return;
        default:
            put(s, "json(");
            rorm__pc_sql_column(s, alias, c);
            put(s, ") = json(");
            rorm__pc_sql_param(s, f->value);
            put(s, ")");
            return;
        }
    }
}

/*
 * `in` / `notIn` lists longer than this go as one parameter that the database unpacks, so that
 * no list brings a statement near a bound-parameter limit (SQLite 32766 by default, PostgreSQL
 * and MySQL 65535), and one statement text serves every list length:
 *   PostgreSQL  "col" = ANY($1)  /  "col" <> ALL($1)   (an array)
 *   SQLite      "col" IN (SELECT value FROM json_each(?))              (a JSON array)
 *   MySQL       `col` IN (SELECT j.v FROM JSON_TABLE(?, '$[*]' COLUMNS (v <type> PATH '$')) AS j)
 * Shorter lists, and lists the forms cannot carry (bytes, case-insensitive matching,
 * aggregates; text on MySQL), bind one parameter per item.
 */
#define PC_LIST_INLINE_MAX 1000

static bool list_as_one_param(const pc_sql *s, const pc_filter *f)
{
    /* MariaDB materializes text lists from JSON_TABLE too slowly in UPDATE and DELETE (minutes
       for 100,000 items): text lists bind one parameter per item there. */
    if (s->d->db_type == RORM_DB_MYSQL && f->field &&
        (f->field->type == RORM_FIELD_STRING || f->field->type == RORM_FIELD_ENUM)) {
        return false;
    }
    if (f->nvalues <= PC_LIST_INLINE_MAX || f->insensitive || f->agg != PC_AGG_NONE || f->order ||
        f->field == NULL) {
        return false;
    }
    switch (f->field->type) {
    case RORM_FIELD_STRING:
    case RORM_FIELD_INT:
    case RORM_FIELD_BIGINT:
    case RORM_FIELD_FLOAT:
    case RORM_FIELD_DECIMAL:
    case RORM_FIELD_BOOL:
    case RORM_FIELD_DATETIME:
    case RORM_FIELD_ENUM:
        break;
    default:
        return false;
    }
    if (f->field->flags & RORM_LIST) {
        return false;
    }
    for (size_t i = 0; i < f->nvalues; i++) {
        unsigned t = f->values[i]->type;
        if (t != RORM_TYPE_INT && t != RORM_TYPE_DOUBLE && t != RORM_TYPE_TEXT &&
            t != RORM_TYPE_DECIMAL && t != RORM_TYPE_BOOL && t != RORM_TYPE_DATETIME) {
            return false;
        }
    }
    return true;
}

/* A value made while compiling, freed with the statement; NULL (and s->oom) on failure. */
static rorm_value *owned_value(pc_sql *s)
{
    rorm_value *v = rorm__malloc(sizeof *v);
    if (v == NULL || rorm_vec_push(&s->owned, v) != 0) {
        rorm__free(v);
        s->oom = true;
        return NULL;
    }
    rorm_value_init(v);
    return v;
}

/*
 * The list as one value: PostgreSQL binds an array (of the items, borrowed); SQLite and MySQL a
 * JSON array of the items as each binds them (SQLite: datetimes as milliseconds, booleans as
 * 0/1; MySQL: datetimes as 'YYYY-MM-DD hh:mm:ss.fff' in UTC, booleans as 0/1).
 */
static const rorm_value *list_value(pc_sql *s, const pc_filter *f)
{
    rorm_value *out = owned_value(s);
    rorm_value *items = out ? rorm__malloc(f->nvalues * sizeof *items) : NULL;
    if (items == NULL) {
        s->oom = true;
        return NULL;
    }
    bool mysql = s->d->db_type == RORM_DB_MYSQL;
    char(*stamps)[32] = NULL;
    if (mysql && f->field->type == RORM_FIELD_DATETIME &&
        (stamps = rorm__malloc(f->nvalues * sizeof *stamps)) == NULL) {
        rorm__free(items);
        s->oom = true;
        return NULL;
    }
    for (size_t i = 0; i < f->nvalues; i++) {
        items[i] = *f->values[i];
        items[i].flags |= RORM_VALUE_BORROWED;
        if (s->d->db_type == RORM_DB_POSTGRES) {
            continue;
        }
        if (items[i].type == RORM_TYPE_BOOL) {
            items[i] = RORM_INT(items[i].u.b ? 1 : 0);
        } else if (items[i].type == RORM_TYPE_DATETIME && !mysql) {
            items[i] = RORM_INT(items[i].u.ms);
        } else if (items[i].type == RORM_TYPE_DATETIME) {
            /* "2024-03-01T10:20:30.123Z" -> "2024-03-01 10:20:30.123" */
            size_t n = rorm_datetime_format(stamps[i], sizeof stamps[i], items[i].u.ms);
            char *t = strchr(stamps[i], 'T');
            if (t) {
                *t = ' ';
            }
            if (n > 0 && stamps[i][n - 1] == 'Z') {
                stamps[i][n - 1] = '\0';
            }
            items[i] = rorm_value_text_ref(stamps[i]);
        }
    }
    rorm_value arr;
    rorm_value_init_array(&arr);
    arr.u.arr.items = items;
    arr.u.arr.len = arr.u.arr.cap = f->nvalues;
    if (s->d->db_type == RORM_DB_POSTGRES) {
        *out = arr; /* owns the items block; the items borrow the query's values */
        return out;
    }
    char *json = NULL;
    size_t len = 0;
    int rc = rorm_value_to_json(&json, &len, &arr);
    rorm_value_dispose(&arr);
    rorm__free(stamps);
    if (rc != RORM_OK || rorm_value_set_text(out, json, len) != RORM_OK) {
        s->oom = true;
        rorm_free(json);
        return NULL;
    }
    rorm_free(json);
    return out;
}

/* The MySQL type JSON_TABLE gives the items of a list compared with field @p f. */
static const char *json_table_type(const rorm_field *f)
{
    switch (f->type) {
    case RORM_FIELD_INT:
    case RORM_FIELD_BIGINT:
    case RORM_FIELD_BOOL:
        return "BIGINT";
    case RORM_FIELD_FLOAT:
        return "DOUBLE";
    case RORM_FIELD_DECIMAL:
        return "DECIMAL(65,30)";
    case RORM_FIELD_DATETIME:
        return "DATETIME(3)";
    default:
        return "LONGTEXT";
    }
}

/*
 * MariaDB runs `IN (subquery)` of UPDATE and DELETE (and at times of SELECT) as a correlated
 * EXISTS per row, re-reading the JSON list for each: quadratic. Turning in_to_exists off for
 * the statement makes it materialize the list once (with a unique index). The statement so
 * far is a prefix of the final one, so the clause goes at its start, once.
 */
static void materialize_lists(pc_sql *s)
{
    static const char prefix[] = "SET STATEMENT optimizer_switch='in_to_exists=off' FOR ";
    size_t n = sizeof prefix - 1;
    if (strncmp(s->text.ptr ? s->text.ptr : "", prefix, n) == 0 ||
        rorm__str_grow(&s->text, n) != 0) {
        return;
    }
    memmove(s->text.ptr + n, s->text.ptr, s->text.len + 1);
    memcpy(s->text.ptr, prefix, n);
    s->text.len += n;
}

/* `col IN (...)` / `col NOT IN (...)` with the whole list as one parameter. */
static void list_in_one_param(pc_sql *s, const char *alias, const pc_filter *f)
{
    const rorm_value *list = list_value(s, f);
    if (list == NULL) {
        return;
    }
    bool in = f->cmp == PC_IN;
    rorm__pc_sql_column(s, alias, f->field);
    switch (s->d->db_type) {
    case RORM_DB_POSTGRES:
        put(s, in ? " = ANY(" : " <> ALL(");
        rorm__pc_sql_param(s, list);
        put(s, ")");
        return;
    case RORM_DB_MYSQL:
        materialize_lists(s);
        put(s, in ? " IN (SELECT j.v FROM JSON_TABLE(" : " NOT IN (SELECT j.v FROM JSON_TABLE(");
        rorm__pc_sql_param(s, list);
        put(s, ", '$[*]' COLUMNS (v ");
        put(s, json_table_type(f->field));
        put(s, " PATH '$')) AS j)");
        return;
    default:
        put(s, in ? " IN (SELECT value FROM json_each(" : " NOT IN (SELECT value FROM json_each(");
        rorm__pc_sql_param(s, list);
        put(s, "))");
        return;
    }
}

static void compare(pc_sql *s, const char *alias, const pc_filter *f)
{
    static const char *const ops[] = { " = ", " <> ", " < ", " <= ", " > ", " >= " };
    bool lower = f->insensitive && f->agg == PC_AGG_NONE;
    if (f->cmp >= PC_HAS) {
        list_compare(s, alias, f);
        return;
    }
    switch (f->cmp) {
    case PC_CONTAINS:
    case PC_STARTS_WITH:
    case PC_ENDS_WITH:
        pattern_match(s, alias, f);
        return;
    case PC_IN:
    case PC_NOT_IN:
        if (f->nvalues == 0) {
            put(s, f->cmp == PC_IN ? "1=0" : "1=1");
            return;
        }
        if (list_as_one_param(s, f)) {
            list_in_one_param(s, alias, f);
            return;
        }
        break;
    default:
        break;
    }
    if (lower) {
        put(s, "LOWER(");
    }
    if (f->order) {
        rorm__pc_sql_rel_order(s, alias, f->order);
    } else {
        rorm__pc_sql_agg(s, alias, f->agg, f->field);
    }
    if (lower) {
        put(s, ")");
    }
    switch (f->cmp) {
    case PC_IS_NULL:
        put(s, " IS NULL");
        return;
    case PC_NOT_NULL:
        put(s, " IS NOT NULL");
        return;
    case PC_IN:
    case PC_NOT_IN:
        put(s, f->cmp == PC_IN ? " IN (" : " NOT IN (");
        for (size_t i = 0; i < f->nvalues; i++) {
            if (i) {
                put(s, ", ");
            }
            operand(s, f->values[i], lower);
        }
        put(s, ")");
        return;
    default:
        put(s, ops[f->cmp]);
        operand(s, f->value, lower);
        return;
    }
}

void rorm__pc_sql_filter(pc_sql *s, const char *alias, const pc_filter *f)
{
    switch (f->kind) {
    case PF_CONST:
        put(s, f->truth ? "1=1" : "1=0");
        return;
    case PF_CMP:
        compare(s, alias, f);
        return;
    case PF_REL:
        rorm__pc_sql_rel_filter(s, alias, f);
        return;
    case PF_NOT:
        put(s, "NOT (");
        /* fall through */
    case PF_AND:
    case PF_OR:
        if (f->nkids == 0) {
            put(s, f->kind == PF_OR ? "1=0" : "1=1");
        }
        for (size_t i = 0; i < f->nkids; i++) {
            if (i) {
                put(s, f->kind == PF_OR ? " OR " : " AND ");
            }
            const pc_filter *k = f->kids[i];
            while ((k->kind == PF_AND || k->kind == PF_OR) && k->nkids == 1) {
                k = k->kids[0]; /* a group of one is its member */
            }
            /* AND inside AND (or OR inside OR) needs no parentheses. */
            bool join_or = f->kind == PF_OR;
            bool paren = (k->kind == PF_AND || k->kind == PF_OR) && k->nkids > 1 &&
                         (k->kind == PF_OR) != join_or;
            if (paren) {
                put(s, "(");
            }
            rorm__pc_sql_filter(s, alias, k);
            if (paren) {
                put(s, ")");
            }
        }
        if (f->kind == PF_NOT) {
            put(s, ")");
        }
        return;
    }
}

/* ---- ordering and updates ---------------------------------------------------------------- */

void rorm__pc_sql_order_by(pc_sql *s, const char *alias, const pc_order *orders, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const pc_order *o = &orders[i];
        put(s, i ? ", " : " ORDER BY ");
        if (o->npath > 0) {
            if (o->nulls != PC_NULLS_DEFAULT && !has_nulls_order(s->d)) {
                put(s, "CASE WHEN ");
                rorm__pc_sql_rel_order(s, alias, o);
                put(s, o->nulls == PC_NULLS_FIRST ? " IS NULL THEN 0 ELSE 1 END, "
                                                  : " IS NULL THEN 1 ELSE 0 END, ");
            }
            rorm__pc_sql_rel_order(s, alias, o);
            put(s, o->desc ? " DESC" : " ASC");
            if (o->nulls != PC_NULLS_DEFAULT && has_nulls_order(s->d)) {
                put(s, o->nulls == PC_NULLS_FIRST ? " NULLS FIRST" : " NULLS LAST");
            }
            continue;
        }
        if (o->nulls != PC_NULLS_DEFAULT && !has_nulls_order(s->d)) {
            /* Emulated: sort on "is null" first (0 before 1). */
            put(s, "CASE WHEN ");
            rorm__pc_sql_agg(s, alias, o->agg, o->field);
            put(s, o->nulls == PC_NULLS_FIRST ? " IS NULL THEN 0 ELSE 1 END, "
                                              : " IS NULL THEN 1 ELSE 0 END, ");
        }
        rorm__pc_sql_agg(s, alias, o->agg, o->field);
        put(s, o->desc ? " DESC" : " ASC");
        if (o->nulls != PC_NULLS_DEFAULT && has_nulls_order(s->d)) {
            put(s, o->nulls == PC_NULLS_FIRST ? " NULLS FIRST" : " NULLS LAST");
        }
    }
}

/*
 * Integer fields divide with truncation everywhere, as SQLite and PostgreSQL do with `/`;
 * MySQL's `/` gives a decimal (rounded when stored), so it uses DIV.
 */
static const char *int_division_op(const rorm_dialect *d, const rorm_field *f)
{
    bool integer = f->type == RORM_FIELD_INT || f->type == RORM_FIELD_BIGINT;
    return integer && d->db_type == RORM_DB_MYSQL ? " DIV " : NULL;
}

/* " = <col> + <value>" ... for one assignment (after the column and " = "). */
static void push_value(pc_sql *s, const char *alias, const pc_set *set)
{
    const rorm_value *v = set->value;
    size_t n = v->type == RORM_TYPE_ARRAY ? v->u.arr.len : 0;
    switch (s->d->db_type) {
    case RORM_DB_POSTGRES:
        put(s, "array_cat(");
        rorm__pc_sql_column(s, alias, set->field);
        put(s, ", ");
        rorm__pc_sql_param(s, v);
        put(s, ")");
        return;
    case RORM_DB_MYSQL:
        /* JSON text: each element appended in turn. */
        put(s, n ? "JSON_ARRAY_APPEND(COALESCE(" : "COALESCE(");
        rorm__pc_sql_column(s, alias, set->field);
        put(s, ", '[]')");
        for (size_t i = 0; i < n; i++) {
            put(s, ", '$', ");
            rorm__pc_sql_param(s, &v->u.arr.items[i]);
        }
        put(s, n ? ")" : "");
        return;
    default:
        put(s, n ? "json_insert(COALESCE(" : "COALESCE(");
        rorm__pc_sql_column(s, alias, set->field);
        put(s, ", '[]')");
        for (size_t i = 0; i < n; i++) {
            put(s, ", '$[#]', ");
            rorm__pc_sql_param(s, &v->u.arr.items[i]);
        }
        put(s, n ? ")" : "");
        return;
    }
}

void rorm__pc_sql_sets(pc_sql *s, const char *lead, const char *alias, const pc_set *sets, size_t n)
{
    static const char *const ops[] = { "", " + ", " - ", " * ", " / " };
    for (size_t i = 0; i < n; i++) {
        put(s, i ? ", " : lead);
        rorm__pc_sql_column(s, NULL, sets[i].field);
        put(s, " = ");
        if (sets[i].op == PC_PUSH) {
            push_value(s, alias, &sets[i]);
            continue;
        }
        if (sets[i].op != PC_SET) {
            rorm__pc_sql_column(s, alias, sets[i].field);
            put(s, sets[i].op == PC_DIVIDE && int_division_op(s->d, sets[i].field)
                       ? int_division_op(s->d, sets[i].field)
                       : ops[sets[i].op]);
        }
        rorm__pc_sql_param(s, sets[i].value);
    }
}
