/*
 * The SQLite dialect: golden DDL for small schemas built by hand from the schema structs (so the
 * dialect is tested on its own), quoting, column types, LIMIT/OFFSET and transaction statements.
 * The DDL is also run against a real SQLite database to prove it is accepted.
 */
#include "harness/harness.h"

#include <math.h>
#include <string.h>

#include "dialect/dialect.h"
#include "driver/driver.h"

/* ---- hand-built schema -------------------------------------------------------------------- */

#define MAXF 24

typedef struct test_model {
    rorm_model m;
    rorm_field f[MAXF];
    rorm_field *fp[MAXF];
    rorm_field *pk[4];
    rorm_relation rel[4];
    rorm_index idx[4];
    rorm_index *idxp[4];
    rorm_index_field ifs[4][4];
    size_t nrel;
} test_model;

static void model_init(test_model *t, const char *name, const char *table)
{
    memset(t, 0, sizeof *t);
    t->m.name = (char *)name;
    t->m.table = (char *)table;
    t->m.fields.ptr = t->fp;
    t->m.pk.ptr = t->pk;
    t->m.indexes.ptr = t->idxp;
}

static rorm_field *
add_field(test_model *t, const char *name, const char *column, unsigned type, unsigned flags)
{
    size_t i = t->m.fields.len++;
    rorm_field *f = &t->f[i];
    f->name = (char *)name;
    f->column = (char *)column;
    f->type = type;
    f->flags = flags;
    f->model = &t->m;
    f->index = i;
    t->fp[i] = f;
    if (flags & RORM_PRIMARY_KEY) {
        t->pk[t->m.pk.len++] = f;
    }
    return f;
}

static rorm_field *add_relation(test_model *t,
                                const char *name,
                                test_model *target,
                                rorm_field **fields,
                                rorm_field **references,
                                size_t n,
                                unsigned on_delete,
                                unsigned on_update)
{
    rorm_field *f = add_field(t, name, NULL, RORM_FIELD_RELATION, 0);
    rorm_relation *r = &t->rel[t->nrel++];
    r->kind = RORM_MANY_TO_ONE;
    r->model = &target->m;
    r->fields = fields;
    r->nfields = n;
    r->references = references;
    r->nreferences = n;
    r->on_delete = on_delete;
    r->on_update = on_update;
    f->relation = r;
    return f;
}

static rorm_index *add_index(test_model *t, const char *name, unsigned kind)
{
    size_t i = t->m.indexes.len++;
    rorm_index *x = &t->idx[i];
    x->name = (char *)name;
    x->kind = kind;
    x->fields = t->ifs[i];
    t->idxp[i] = x;
    return x;
}

static void index_field(rorm_index *x, rorm_field *f, int sort)
{
    x->fields[x->nfields].field = f;
    x->fields[x->nfields].name = f->name;
    x->fields[x->nfields].sort = sort;
    x->nfields++;
}

#define TEXT_LIT(p) \
    ((rorm_value){  \
        .type = RORM_TYPE_TEXT, .flags = RORM_VALUE_BORROWED, .u.s = { (p), strlen(p) } })

static void set_default(rorm_field *f, rorm_value v)
{
    f->def.kind = RORM_DEFAULT_VALUE;
    f->def.value = v;
}

static const rorm_dialect *D;

static void create_table_ok(const rorm_model *m, const char *expected)
{
    rorm_error err = { 0 };
    rorm_str s = RORM_STR_INIT;
    assert_rorm_ok(D->create_table(&s, m, &err), &err);
    assert_string_equal(s.ptr, expected);
    rorm__str_dispose(&s);
}

static void create_index_ok(const rorm_model *m, const rorm_index *x, const char *expected)
{
    rorm_error err = { 0 };
    rorm_str s = RORM_STR_INIT;
    assert_rorm_ok(D->create_index(&s, m, x, &err), &err);
    assert_string_equal(s.ptr, expected);
    rorm__str_dispose(&s);
}

/* ---- the users/posts schema --------------------------------------------------------------- */

typedef struct blog {
    test_model users, posts, post_tags;
    rorm_enum role;
    char *role_values[2], *role_db_values[2];
    rorm_field *post_author_fk[1], *post_editor_fk[1], *user_id_ref[1];
    rorm_field *pt_fk[1], *post_id_ref[1];
    rorm_value tags_default[2];
} blog;

static void blog_init(blog *b)
{
    memset(b, 0, sizeof *b);
    test_model *u = &b->users, *p = &b->posts, *pt = &b->post_tags;

    b->role.name = "Role";
    b->role_values[0] = "USER";
    b->role_values[1] = "ADMIN";
    b->role_db_values[0] = "user";
    b->role_db_values[1] = "admin";
    b->role.values.ptr = b->role_values;
    b->role.values.len = 2;
    b->role.db_values.ptr = b->role_db_values;
    b->role.db_values.len = 2;

    model_init(u, "User", "users");
    rorm_field *uid =
        add_field(u, "id", "id", RORM_FIELD_INT, RORM_PRIMARY_KEY | RORM_AUTOINCREMENT);
    add_field(u, "email", "email", RORM_FIELD_STRING, RORM_UNIQUE);
    add_field(u, "name", "name", RORM_FIELD_STRING, RORM_NULLABLE);
    rorm_field *f = add_field(u, "role", "role", RORM_FIELD_ENUM, 0);
    f->enumeration = &b->role;
    set_default(f, TEXT_LIT("ADMIN"));
    f = add_field(u, "motto", "motto", RORM_FIELD_STRING, 0);
    set_default(f, TEXT_LIT("it's \"fine\"'; DROP TABLE users; --"));
    f = add_field(u, "score", "score", RORM_FIELD_FLOAT, 0);
    set_default(f, RORM_DOUBLE(1.5));
    f = add_field(u, "active", "active", RORM_FIELD_BOOL, 0);
    set_default(f, RORM_BOOL(true));
    f = add_field(u, "visits", "visits", RORM_FIELD_BIGINT, 0);
    set_default(f, RORM_INT(-9007199254740993LL));
    f = add_field(u, "balance", "balance", RORM_FIELD_DECIMAL, 0);
    set_default(f, ((rorm_value){ .type = RORM_TYPE_DECIMAL, .u.s = { "10.50", 5 } }));
    f = add_field(u, "createdAt", "created_at", RORM_FIELD_DATETIME, 0);
    f->def.kind = RORM_DEFAULT_NOW;
    f = add_field(u, "born", "born", RORM_FIELD_DATETIME, 0);
    set_default(f, RORM_DATETIME(946684800000LL));
    f = add_field(u, "tags", "tags", RORM_FIELD_STRING, RORM_LIST);
    b->tags_default[0] = TEXT_LIT("a");
    b->tags_default[1] = TEXT_LIT("b'c");
    set_default(f, RORM_ARRAY(b->tags_default));
    add_field(u, "data", "data", RORM_FIELD_JSON, RORM_NULLABLE);
    f = add_field(u, "avatar", "avatar", RORM_FIELD_BYTES, RORM_NULLABLE);
    set_default(f, RORM_BYTES((const uint8_t *)"\x01\xab", 2));
    f = add_field(u, "token", "token", RORM_FIELD_STRING, 0);
    f->def.kind = RORM_DEFAULT_DBGENERATED;
    f->def.expr = "lower(hex(randomblob(16)))";
    f = add_field(u, "code", "code", RORM_FIELD_STRING, RORM_NULLABLE);
    f->native_type = "VARCHAR(8)";
    rorm_index *x = add_index(u, "users_email_key", RORM_INDEX_UNIQUE);
    index_field(x, &u->f[1], 0);

    model_init(p, "Post", "posts");
    add_field(p, "id", "id", RORM_FIELD_BIGINT, RORM_PRIMARY_KEY | RORM_AUTOINCREMENT);
    rorm_field *title = add_field(p, "title", "title", RORM_FIELD_STRING, 0);
    rorm_field *author = add_field(p, "authorId", "author_id", RORM_FIELD_INT, 0);
    rorm_field *editor = add_field(p, "editorId", "editor_id", RORM_FIELD_INT, RORM_NULLABLE);
    b->post_author_fk[0] = author;
    b->post_editor_fk[0] = editor;
    b->user_id_ref[0] = uid;
    add_relation(p, "author", u, b->post_author_fk, b->user_id_ref, 1, RORM_ACTION_DEFAULT,
                 RORM_ACTION_DEFAULT);
    add_relation(p, "editor", u, b->post_editor_fk, b->user_id_ref, 1, RORM_ACTION_DEFAULT,
                 RORM_ACTION_DEFAULT);
    /* The back side of a relation (no fields) makes no constraint. */
    add_field(u, "posts", NULL, RORM_FIELD_RELATION, 0);
    x = add_index(p, "posts_title_author_id_key", RORM_INDEX_UNIQUE);
    index_field(x, title, -1);
    index_field(x, author, 1);
    x = add_index(p, NULL, RORM_INDEX_PLAIN);
    index_field(x, title, -1);

    model_init(pt, "PostTag", "post_tags");
    rorm_field *post_id = add_field(pt, "postId", "post_id", RORM_FIELD_BIGINT, RORM_PRIMARY_KEY);
    add_field(pt, "tag", "tag", RORM_FIELD_STRING, RORM_PRIMARY_KEY);
    b->pt_fk[0] = post_id;
    b->post_id_ref[0] = &p->f[0];
    add_relation(pt, "post", p, b->pt_fk, b->post_id_ref, 1, RORM_ACTION_CASCADE,
                 RORM_ACTION_NO_ACTION);
}

static void test_drv_dialect__lookup(void **state)
{
    (void)state;
    assert_ptr_equal(rorm__dialect_for_type(RORM_DB_SQLITE), &rorm__dialect_sqlite);
    assert_null(rorm__dialect_for_type(RORM_DB_NONE));
    assert_string_equal(D->name, "sqlite");
    assert_int_equal(D->db_type, RORM_DB_SQLITE);
    assert_int_equal(D->caps, rorm__driver_for_type(RORM_DB_SQLITE)->caps);
}

static void test_drv_dialect__users_table(void **state)
{
    (void)state;
    blog b;
    blog_init(&b);
    create_table_ok(
        &b.users.m,
        "CREATE TABLE IF NOT EXISTS \"users\" (\n"
        "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
        "    \"email\" TEXT NOT NULL,\n"
        "    \"name\" TEXT,\n"
        "    \"role\" TEXT NOT NULL DEFAULT 'admin',\n"
        "    \"motto\" TEXT NOT NULL DEFAULT 'it''s \"fine\"''; DROP TABLE users; --',\n"
        "    \"score\" REAL NOT NULL DEFAULT 1.5,\n"
        "    \"active\" BOOLEAN NOT NULL DEFAULT true,\n"
        "    \"visits\" INTEGER NOT NULL DEFAULT -9007199254740993,\n"
        "    \"balance\" DECIMAL NOT NULL DEFAULT 10.50,\n"
        "    \"created_at\" DATETIME NOT NULL,\n"
        "    \"born\" DATETIME NOT NULL DEFAULT 946684800000,\n"
        "    \"tags\" TEXT NOT NULL DEFAULT '[\"a\",\"b''c\"]',\n"
        "    \"data\" TEXT,\n"
        "    \"avatar\" BLOB DEFAULT X'01AB',\n"
        "    \"token\" TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))),\n"
        "    \"code\" VARCHAR(8)\n"
        ")");
    create_index_ok(
        &b.users.m, b.users.m.indexes.ptr[0],
        "CREATE UNIQUE INDEX IF NOT EXISTS \"users_email_key\" ON \"users\"(\"email\")");
}

static void test_drv_dialect__posts_table_with_foreign_keys(void **state)
{
    (void)state;
    blog b;
    blog_init(&b);
    create_table_ok(
        &b.posts.m,
        "CREATE TABLE IF NOT EXISTS \"posts\" (\n"
        "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
        "    \"title\" TEXT NOT NULL,\n"
        "    \"author_id\" INTEGER NOT NULL,\n"
        "    \"editor_id\" INTEGER,\n"
        "    CONSTRAINT \"posts_author_id_fkey\" FOREIGN KEY (\"author_id\") REFERENCES "
        "\"users\" (\"id\") ON DELETE RESTRICT ON UPDATE CASCADE,\n"
        "    CONSTRAINT \"posts_editor_id_fkey\" FOREIGN KEY (\"editor_id\") REFERENCES "
        "\"users\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE\n"
        ")");
    create_index_ok(&b.posts.m, b.posts.m.indexes.ptr[0],
                    "CREATE UNIQUE INDEX IF NOT EXISTS \"posts_title_author_id_key\" ON "
                    "\"posts\"(\"title\" DESC, \"author_id\")");
    create_index_ok(&b.posts.m, b.posts.m.indexes.ptr[1],
                    "CREATE INDEX IF NOT EXISTS \"posts_title_idx\" ON \"posts\"(\"title\" DESC)");

    /* A named constraint keeps its name; explicit actions are written as given. */
    b.posts.rel[0].fk_name = "fk_author";
    b.posts.rel[0].on_delete = RORM_ACTION_SET_DEFAULT;
    b.posts.rel[0].on_update = RORM_ACTION_RESTRICT;
    rorm_str s = RORM_STR_INIT;
    rorm_error err = { 0 };
    assert_rorm_ok(D->create_table(&s, &b.posts.m, &err), &err);
    assert_non_null(strstr(s.ptr,
                           "CONSTRAINT \"fk_author\" FOREIGN KEY (\"author_id\") REFERENCES "
                           "\"users\" (\"id\") ON DELETE SET DEFAULT ON UPDATE RESTRICT,\n"));
    rorm__str_dispose(&s);
}

static void test_drv_dialect__composite_primary_key(void **state)
{
    (void)state;
    blog b;
    blog_init(&b);
    create_table_ok(
        &b.post_tags.m,
        "CREATE TABLE IF NOT EXISTS \"post_tags\" (\n"
        "    \"post_id\" INTEGER NOT NULL,\n"
        "    \"tag\" TEXT NOT NULL,\n"
        "    CONSTRAINT \"post_tags_pkey\" PRIMARY KEY (\"post_id\", \"tag\"),\n"
        "    CONSTRAINT \"post_tags_post_id_fkey\" FOREIGN KEY (\"post_id\") REFERENCES "
        "\"posts\" (\"id\") ON DELETE CASCADE ON UPDATE NO ACTION\n"
        ")");

    /* A single key that is not autoincrement gets the table constraint too. */
    test_model t;
    model_init(&t, "Tag", "tags");
    add_field(&t, "name", "name", RORM_FIELD_STRING, RORM_PRIMARY_KEY);
    create_table_ok(&t.m, "CREATE TABLE IF NOT EXISTS \"tags\" (\n"
                          "    \"name\" TEXT NOT NULL,\n"
                          "    CONSTRAINT \"tags_pkey\" PRIMARY KEY (\"name\")\n"
                          ")");
    t.m.pk_name = "tag_key";
    create_table_ok(&t.m, "CREATE TABLE IF NOT EXISTS \"tags\" (\n"
                          "    \"name\" TEXT NOT NULL,\n"
                          "    CONSTRAINT \"tag_key\" PRIMARY KEY (\"name\")\n"
                          ")");
}

static void test_drv_dialect__quoting(void **state)
{
    (void)state;
    rorm_str s = RORM_STR_INIT;
    D->quote_ident(&s, "plain");
    rorm__str_putc(&s, ' ');
    D->quote_ident(&s, "we\"ird\"\"");
    rorm__str_putc(&s, ' ');
    D->quote_ident(&s, "");
    assert_string_equal(s.ptr, "\"plain\" \"we\"\"ird\"\"\"\"\" \"\"");
    rorm__str_clear(&s);

    D->placeholder(&s, 1);
    D->placeholder(&s, 2);
    assert_string_equal(s.ptr, "??");
    rorm__str_clear(&s);

    /* Quotes inside table, column and generated constraint names. */
    test_model t;
    model_init(&t, "Odd", "o\"dd");
    add_field(&t, "a", "a\"b", RORM_FIELD_INT, RORM_PRIMARY_KEY);
    add_field(&t, "c", "c", RORM_FIELD_STRING, RORM_NULLABLE);
    rorm_index *x = add_index(&t, NULL, RORM_INDEX_UNIQUE);
    index_field(x, &t.f[0], 0);
    index_field(x, &t.f[1], -1);
    create_table_ok(&t.m, "CREATE TABLE IF NOT EXISTS \"o\"\"dd\" (\n"
                          "    \"a\"\"b\" INTEGER NOT NULL,\n"
                          "    \"c\" TEXT,\n"
                          "    CONSTRAINT \"o\"\"dd_pkey\" PRIMARY KEY (\"a\"\"b\")\n"
                          ")");
    create_index_ok(&t.m, x,
                    "CREATE UNIQUE INDEX IF NOT EXISTS \"o\"\"dd_a\"\"b_c_key\" ON "
                    "\"o\"\"dd\"(\"a\"\"b\", \"c\" DESC)");

    rorm_field *cols[] = { &t.f[0], &t.f[1] };
    rorm__dialect_column_list(&s, D, cols, 2);
    assert_string_equal(s.ptr, "\"a\"\"b\", \"c\"");
    rorm__str_dispose(&s);
}

static void test_drv_dialect__column_types(void **state)
{
    (void)state;
    static const struct {
        unsigned type, flags;
        const char *sql;
    } cases[] = {
        { RORM_FIELD_STRING, 0, "TEXT" },       { RORM_FIELD_INT, 0, "INTEGER" },
        { RORM_FIELD_BIGINT, 0, "INTEGER" },    { RORM_FIELD_FLOAT, 0, "REAL" },
        { RORM_FIELD_DECIMAL, 0, "DECIMAL" },   { RORM_FIELD_BOOL, 0, "BOOLEAN" },
        { RORM_FIELD_DATETIME, 0, "DATETIME" }, { RORM_FIELD_JSON, 0, "TEXT" },
        { RORM_FIELD_BYTES, 0, "BLOB" },        { RORM_FIELD_ENUM, 0, "TEXT" },
        { RORM_FIELD_INT, RORM_LIST, "TEXT" },  { RORM_FIELD_DATETIME, RORM_LIST, "TEXT" },
    };
    rorm_error err = { 0 };
    rorm_str s;
    rorm__str_init(&s); /* not RORM_STR_INIT: clearing that one writes to a literal */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rorm_field f = {
            .name = "f", .column = "f", .type = cases[i].type, .flags = cases[i].flags
        };
        rorm__str_clear(&s);
        assert_rorm_ok(D->column_type(&s, &f, &err), &err);
        assert_string_equal(s.ptr, cases[i].sql);
    }

    rorm_field f = { .name = "f", .column = "f", .type = RORM_FIELD_STRING };
    f.native_type = "NUMERIC(10, 2)";
    rorm__str_clear(&s);
    assert_rorm_ok(D->column_type(&s, &f, &err), &err);
    assert_string_equal(s.ptr, "NUMERIC(10, 2)");

    /* Author-written type text is checked before it goes into DDL. */
    f.native_type = "TEXT); DROP TABLE x; --";
    assert_int_equal(D->column_type(&s, &f, &err), RORM_ESCHEMA);
    f.native_type = NULL;
    f.type = RORM_FIELD_UNSUPPORTED;
    f.unsupported = "circle";
    rorm__str_clear(&s);
    assert_rorm_ok(D->column_type(&s, &f, &err), &err);
    assert_string_equal(s.ptr, "circle");
    /* Quoted identifiers and array brackets are type text too; quotes hold only a name. */
    static const char *const good[] = { "\"public\".geography", "geography(Point, 4326)",
                                        "`my type`", "vector(3)[]" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        f.unsupported = (char *)good[i];
        rorm__str_clear(&s);
        assert_rorm_ok(D->column_type(&s, &f, &err), &err);
        assert_string_equal(s.ptr, good[i]);
    }
    static const char *const bad[] = { "\"a;b\"", "\"open",    "\"\"",        "\"a\\\" x",
                                       "\"a'b\"", "text -- x", "int /* x */", "a`b" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f.unsupported = (char *)bad[i];
        assert_int_equal(D->column_type(&s, &f, &err), RORM_ESCHEMA);
        assert_non_null(strstr(err.message, "invalid column type"));
    }
    f.type = RORM_FIELD_RELATION;
    assert_int_equal(D->column_type(&s, &f, &err), RORM_EINVAL);
    rorm__str_dispose(&s);
}

static void test_drv_dialect__bad_models(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_str s = RORM_STR_INIT;

    /* Autoincrement inside a composite key cannot be expressed on SQLite. */
    test_model t;
    model_init(&t, "Bad", "bad");
    add_field(&t, "a", "a", RORM_FIELD_INT, RORM_PRIMARY_KEY | RORM_AUTOINCREMENT);
    add_field(&t, "b", "b", RORM_FIELD_INT, RORM_PRIMARY_KEY);
    assert_int_equal(D->create_table(&s, &t.m, &err), RORM_EUNSUPPORTED);
    assert_non_null(strstr(err.message, "'a'"));

    model_init(&t, "Bad", "bad");
    rorm_field *f = add_field(&t, "a", "a", RORM_FIELD_STRING, RORM_PRIMARY_KEY);
    f->def.kind = RORM_DEFAULT_AUTOINCREMENT;
    assert_int_equal(D->create_table(&s, &t.m, &err), RORM_ESCHEMA);

    /* Defaults are checked: a decimal must be a number, a double finite. */
    model_init(&t, "Bad", "bad");
    f = add_field(&t, "d", "d", RORM_FIELD_DECIMAL, 0);
    set_default(f, ((rorm_value){ .type = RORM_TYPE_DECIMAL, .u.s = { "1; DROP", 7 } }));
    assert_int_equal(D->create_table(&s, &t.m, &err), RORM_ESCHEMA);
    set_default(f, RORM_DOUBLE(INFINITY));
    assert_int_equal(D->create_table(&s, &t.m, &err), RORM_ESCHEMA);
    set_default(f, ((rorm_value){ .type = RORM_TYPE_TEXT, .u.s = { "a\0b", 3 } }));
    assert_int_equal(D->create_table(&s, &t.m, &err), RORM_ESCHEMA);

    /* Indexes: full-text is not SQLite's, unresolved fields are reported by name. */
    rorm_index *x = add_index(&t, "ft", RORM_INDEX_FULLTEXT);
    index_field(x, f, 0);
    assert_int_equal(D->create_index(&s, &t.m, x, &err), RORM_EUNSUPPORTED);
    x = add_index(&t, "ix", RORM_INDEX_PLAIN);
    x->fields[0].name = "ghost";
    x->nfields = 1;
    assert_int_equal(D->create_index(&s, &t.m, x, &err), RORM_ESCHEMA);
    assert_non_null(strstr(err.message, "'ghost'"));
    rorm__str_dispose(&s);
}

static void test_drv_dialect__limit_offset_and_transactions(void **state)
{
    (void)state;
    rorm_str s = RORM_STR_INIT;
    D->limit_offset(&s, -1, 0);
    assert_string_equal(s.ptr, "");
    D->limit_offset(&s, 10, 0);
    assert_string_equal(s.ptr, " LIMIT 10");
    rorm__str_clear(&s);
    D->limit_offset(&s, -1, 5);
    assert_string_equal(s.ptr, " LIMIT -1 OFFSET 5");
    rorm__str_clear(&s);
    D->limit_offset(&s, 0, 20);
    assert_string_equal(s.ptr, " LIMIT 0 OFFSET 20");
    rorm__str_dispose(&s);

    assert_string_equal(D->begin_sql, "BEGIN IMMEDIATE");
    assert_string_equal(D->commit_sql, "COMMIT");
    assert_string_equal(D->rollback_sql, "ROLLBACK");
}

/* The same DDL from a schema made with the native builder and resolved by validation. */
static void test_drv_dialect__builder_schema(void **state)
{
    (void)state;
    static const rorm_field_def user_fields[] = {
        { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
        { .name = "email", .type = RORM_FIELD_STRING, .flags = RORM_UNIQUE },
        { .name = "displayName", .type = RORM_FIELD_STRING, .flags = RORM_NULLABLE },
        { .name = "motto",
          .type = RORM_FIELD_STRING,
          .default_kind = RORM_DEFAULT_VALUE,
          .default_text = "it's" },
        { .name = "active",
          .type = RORM_FIELD_BOOL,
          .default_kind = RORM_DEFAULT_VALUE,
          .default_text = "true" },
        { .name = "createdAt", .type = RORM_FIELD_DATETIME, .default_kind = RORM_DEFAULT_NOW },
    };
    static const rorm_relation_def user_relations[] = {
        { .name = "posts", .kind = RORM_ONE_TO_MANY, .model = "Post" },
    };
    static const rorm_field_def post_fields[] = {
        { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
        { .name = "title", .type = RORM_FIELD_STRING },
        { .name = "authorId", .type = RORM_FIELD_INT },
    };
    static const rorm_relation_def post_relations[] = {
        { .name = "author",
          .kind = RORM_MANY_TO_ONE,
          .model = "User",
          .fields = "authorId",
          .references = "id" },
    };
    static const rorm_index_def post_indexes[] = {
        { .fields = "title, authorId", .unique = true },
    };
    const rorm_model_def user = { .name = "User",
                                  .fields = user_fields,
                                  .nfields = RORM_COUNT(user_fields),
                                  .relations = user_relations,
                                  .nrelations = RORM_COUNT(user_relations) };
    const rorm_model_def post = { .name = "Post",
                                  .fields = post_fields,
                                  .nfields = RORM_COUNT(post_fields),
                                  .indexes = post_indexes,
                                  .nindexes = RORM_COUNT(post_indexes),
                                  .relations = post_relations,
                                  .nrelations = RORM_COUNT(post_relations) };
    rorm_error err = { 0 };
    rorm_schema *schema = NULL;
    assert_rorm_ok(rorm_schema_new(&schema, &err), &err);
    assert_rorm_ok(rorm_schema_add_model(schema, &user, &err), &err);
    assert_rorm_ok(rorm_schema_add_model(schema, &post, &err), &err);
    assert_rorm_ok(rorm_schema_validate(schema, &err), &err);

    const rorm_model *u = rorm_schema_model(schema, "User");
    const rorm_model *p = rorm_schema_model(schema, "Post");
    create_table_ok(u, "CREATE TABLE IF NOT EXISTS \"users\" (\n"
                       "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
                       "    \"email\" TEXT NOT NULL,\n"
                       "    \"display_name\" TEXT,\n"
                       "    \"motto\" TEXT NOT NULL DEFAULT 'it''s',\n"
                       "    \"active\" BOOLEAN NOT NULL DEFAULT true,\n"
                       "    \"created_at\" DATETIME NOT NULL\n"
                       ")");
    assert_int_equal(u->indexes.len, 1);
    create_index_ok(
        u, u->indexes.ptr[0],
        "CREATE UNIQUE INDEX IF NOT EXISTS \"users_email_key\" ON \"users\"(\"email\")");
    create_table_ok(p, "CREATE TABLE IF NOT EXISTS \"posts\" (\n"
                       "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
                       "    \"title\" TEXT NOT NULL,\n"
                       "    \"author_id\" INTEGER NOT NULL,\n"
                       "    CONSTRAINT \"posts_author_id_fkey\" FOREIGN KEY (\"author_id\") "
                       "REFERENCES \"users\" (\"id\") ON DELETE RESTRICT ON UPDATE CASCADE\n"
                       ")");
    assert_int_equal(p->indexes.len, 1);
    create_index_ok(p, p->indexes.ptr[0],
                    "CREATE UNIQUE INDEX IF NOT EXISTS \"posts_title_author_id_key\" ON "
                    "\"posts\"(\"title\", \"author_id\")");
    rorm_schema_release(schema);
}

/* The generated DDL runs on SQLite, the constraints work, and table_exists_sql finds tables. */
static void test_drv_dialect__ddl_runs_on_sqlite(void **state)
{
    (void)state;
    blog b;
    blog_init(&b);
    rorm_error err = { 0 };
    rorm_config cfg = RORM_CONFIG_INIT;
    rorm_conn *conn = NULL;
    cfg.path = ":memory:";
    assert_rorm_ok(rorm__conn_open(&conn, rorm__driver_for_type(RORM_DB_SQLITE), &cfg, &err), &err);
    const rorm_driver *d = conn->driver;

    test_model *models[] = { &b.users, &b.posts, &b.post_tags };
    for (int round = 0; round < 2; round++) { /* IF NOT EXISTS: running twice is fine */
        for (size_t i = 0; i < 3; i++) {
            rorm_str s = RORM_STR_INIT;
            assert_rorm_ok(D->create_table(&s, &models[i]->m, &err), &err);
            assert_rorm_ok(rorm__conn_exec(conn, s.ptr, &err), &err);
            for (size_t k = 0; k < models[i]->m.indexes.len; k++) {
                rorm__str_clear(&s);
                assert_rorm_ok(
                    D->create_index(&s, &models[i]->m, models[i]->m.indexes.ptr[k], &err), &err);
                assert_rorm_ok(rorm__conn_exec(conn, s.ptr, &err), &err);
            }
            rorm__str_dispose(&s);
        }
    }

    rorm_stmt *stmt = NULL;
    const char *q = D->table_exists_sql;
    assert_rorm_ok(rorm__conn_prepare(&stmt, conn, q, strlen(q), &err), &err);
    rorm_value name = TEXT_LIT("posts");
    assert_rorm_ok(d->bind(stmt, 0, &name, &err), &err);
    assert_int_equal(d->step(stmt, &err), 1);
    assert_rorm_ok(rorm__conn_prepare(&stmt, conn, q, strlen(q), &err), &err);
    name = TEXT_LIT("nope");
    assert_rorm_ok(d->bind(stmt, 0, &name, &err), &err);
    assert_int_equal(d->step(stmt, &err), 0);

    /* Defaults fill in, the unique index and the foreign keys hold. */
    assert_rorm_ok(rorm__conn_exec(conn,
                                   "INSERT INTO users (email, created_at) VALUES ('a@x', 0);"
                                   "INSERT INTO posts (title, author_id) VALUES ('t', 1)",
                                   &err),
                   &err);
    const char *sel = "SELECT role, motto, tags, balance, active, length(token) FROM users";
    assert_rorm_ok(rorm__conn_prepare(&stmt, conn, sel, strlen(sel), &err), &err);
    assert_int_equal(d->step(stmt, &err), 1);
    rorm_value v;
    assert_rorm_ok(d->column(stmt, 0, &v, &err), &err);
    assert_string_equal(v.u.s.ptr, "admin");
    assert_rorm_ok(d->column(stmt, 1, &v, &err), &err);
    assert_string_equal(v.u.s.ptr, "it's \"fine\"'; DROP TABLE users; --");
    assert_rorm_ok(d->column(stmt, 2, &v, &err), &err);
    assert_string_equal(v.u.s.ptr, "[\"a\",\"b'c\"]");
    assert_rorm_ok(d->column(stmt, 3, &v, &err), &err);
    assert_int_equal(v.type, RORM_TYPE_DOUBLE); /* DECIMAL has NUMERIC affinity */
    assert_true(v.u.d == 10.5);
    assert_rorm_ok(d->column(stmt, 4, &v, &err), &err);
    assert_int_equal(v.u.i, 1);
    assert_rorm_ok(d->column(stmt, 5, &v, &err), &err);
    assert_int_equal(v.u.i, 32);

    assert_int_equal(
        rorm__conn_exec(conn, "INSERT INTO users (email, created_at) VALUES ('a@x', 0)", &err),
        RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_UNIQUE);
    assert_int_equal(rorm__conn_exec(conn, "DELETE FROM users", &err), RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_FOREIGN_KEY);
    assert_int_equal(rorm__conn_exec(conn, "INSERT INTO post_tags VALUES (99, 'x')", &err),
                     RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_FOREIGN_KEY);
    rorm__conn_close(conn);
}

int main(void)
{
    D = &rorm__dialect_sqlite;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drv_dialect__lookup),
        cmocka_unit_test(test_drv_dialect__users_table),
        cmocka_unit_test(test_drv_dialect__posts_table_with_foreign_keys),
        cmocka_unit_test(test_drv_dialect__composite_primary_key),
        cmocka_unit_test(test_drv_dialect__quoting),
        cmocka_unit_test(test_drv_dialect__column_types),
        cmocka_unit_test(test_drv_dialect__bad_models),
        cmocka_unit_test(test_drv_dialect__limit_offset_and_transactions),
        cmocka_unit_test(test_drv_dialect__ddl_runs_on_sqlite),
        cmocka_unit_test(test_drv_dialect__builder_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
