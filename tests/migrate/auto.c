/*
 * Auto-migration on every database: introspection, plans for every change kind, data kept
 * through non-destructive changes (rows counted and compared), refusal of destructive and
 * blocked steps, idempotence (apply, plan again: nothing), the SQLite rebuild with foreign keys
 * and indexes, a failure in the middle of a plan, and the history table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/harness.h"

/* ---- helpers ------------------------------------------------------------------------------ */

/* One schema version: models User and (optionally) Post, built from the flags below. */
enum {
    V_POST = 1 << 0,        /* the Post model */
    V_POST_FK = 1 << 1,     /* Post.author relation (foreign key) */
    V_NICK = 1 << 2,        /* User.nickname String? */
    V_SCORE = 1 << 3,       /* User.score Int @default(7) */
    V_NO_AGE = 1 << 4,      /* no User.age */
    V_AGE_BIG = 1 << 5,     /* User.age BigInt? */
    V_AGE_REQ = 1 << 6,     /* User.age Int (required) */
    V_NAME_OPT = 1 << 7,    /* User.name String? */
    V_NAME_IDX = 1 << 8,    /* @@index on User.name */
    V_CODE = 1 << 9,        /* User.code String (required, no default) */
    V_TITLE_INT = 1 << 10,  /* Post.title Int */
    V_PUB_TRUE = 1 << 11,   /* Post.published @default(true) */
    V_BIO_UNIQUE = 1 << 12, /* User.bio String? and @@unique on name */
    V_POST_IDX = 1 << 13,   /* index on Post.authorId */
    V_YEARS = 1 << 14,      /* User.age is called years */
    V_ARTICLES = 1 << 15,   /* Post's table is articles */
};

#define BASE (V_POST | V_POST_FK | V_POST_IDX)

static rorm_schema *version(unsigned v)
{
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    rorm_model *user = NULL;
    assert_rorm_ok(rorm_schema_new_model(&user, s, "User", &err), &err);
    rorm_field_def id = { .name = "id",
                          .type = RORM_FIELD_INT,
                          .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT };
    rorm_field_def email = { .name = "email", .type = RORM_FIELD_STRING, .flags = RORM_UNIQUE };
    rorm_field_def name = { .name = "name",
                            .type = RORM_FIELD_STRING,
                            .flags = (v & V_NAME_OPT) ? RORM_NULLABLE : 0 };
    rorm_field_def age = { .name = "age",
                           .type = (v & V_AGE_BIG) ? RORM_FIELD_BIGINT : RORM_FIELD_INT,
                           .flags = (v & V_AGE_REQ) ? 0 : RORM_NULLABLE };
    if (v & V_YEARS) {
        age.name = "years";
    }
    rorm_field_def nick = { .name = "nickname", .type = RORM_FIELD_STRING, .flags = RORM_NULLABLE };
    rorm_field_def score = { .name = "score",
                             .type = RORM_FIELD_INT,
                             .default_kind = RORM_DEFAULT_VALUE,
                             .default_text = "7" };
    rorm_field_def code = { .name = "code", .type = RORM_FIELD_STRING };
    rorm_field_def bio = { .name = "bio", .type = RORM_FIELD_STRING, .flags = RORM_NULLABLE };
    assert_rorm_ok(rorm_model_add_field(user, &id, &err), &err);
    assert_rorm_ok(rorm_model_add_field(user, &email, &err), &err);
    assert_rorm_ok(rorm_model_add_field(user, &name, &err), &err);
    if (!(v & V_NO_AGE)) {
        assert_rorm_ok(rorm_model_add_field(user, &age, &err), &err);
    }
    if (v & V_NICK) {
        assert_rorm_ok(rorm_model_add_field(user, &nick, &err), &err);
    }
    if (v & V_SCORE) {
        assert_rorm_ok(rorm_model_add_field(user, &score, &err), &err);
    }
    if (v & V_CODE) {
        assert_rorm_ok(rorm_model_add_field(user, &code, &err), &err);
    }
    if (v & V_BIO_UNIQUE) {
        assert_rorm_ok(rorm_model_add_field(user, &bio, &err), &err);
        rorm_index_def u = { .fields = "name", .unique = true };
        assert_rorm_ok(rorm_model_add_index(user, &u, &err), &err);
    }
    if (v & V_NAME_IDX) {
        rorm_index_def ix = { .fields = "name" };
        assert_rorm_ok(rorm_model_add_index(user, &ix, &err), &err);
    }
    if (v & V_POST) {
        rorm_model *post = NULL;
        assert_rorm_ok(rorm_schema_new_model(&post, s, "Post", &err), &err);
        if (v & V_ARTICLES) {
            assert_rorm_ok(rorm_model_set_table(post, "articles", &err), &err);
        }
        rorm_field_def title = { .name = "title",
                                 .type = (v & V_TITLE_INT) ? RORM_FIELD_INT : RORM_FIELD_STRING };
        rorm_field_def published = { .name = "published",
                                     .type = RORM_FIELD_BOOL,
                                     .default_kind = RORM_DEFAULT_VALUE,
                                     .default_text = (v & V_PUB_TRUE) ? "true" : "false" };
        rorm_field_def author = { .name = "authorId",
                                  .type = RORM_FIELD_INT,
                                  .flags = (v & V_POST_IDX) ? RORM_INDEX : 0 };
        assert_rorm_ok(rorm_model_add_field(post, &id, &err), &err);
        assert_rorm_ok(rorm_model_add_field(post, &title, &err), &err);
        assert_rorm_ok(rorm_model_add_field(post, &published, &err), &err);
        assert_rorm_ok(rorm_model_add_field(post, &author, &err), &err);
        if (v & V_POST_FK) {
            rorm_relation_def rel = { .name = "author",
                                      .kind = RORM_MANY_TO_ONE,
                                      .model = "User",
                                      .fields = "authorId",
                                      .references = "id" };
            assert_rorm_ok(rorm_model_add_relation(post, &rel, &err), &err);
        }
    }
    assert_rorm_ok(rorm_schema_validate(s, &err), &err);
    return s;
}

static const rorm_migrate_options no_force = RORM_MIGRATE_OPTIONS_INIT;
static const rorm_migrate_options force = { RORM_MIGRATE_OPTIONS_VERSION, true, false, NULL, NULL };

/* Plan @p v against the database; the caller frees the plan. */
static rorm_migrate_plan *plan_for(rorm_db *db, unsigned v, const rorm_migrate_options *opts)
{
    rorm_error err = { 0 };
    rorm_schema *s = version(v);
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, s, opts, &err), &err);
    rorm_schema_release(s);
    return plan;
}

static void print_plan(const rorm_migrate_plan *plan)
{
    for (size_t i = 0; i < rorm_migrate_plan_count(plan); i++) {
        fprintf(stderr, "  step %zu: %s\n%s\n", i, rorm_migrate_plan_description(plan, i),
                rorm_migrate_plan_sql(plan, i));
    }
}

/* Migrate to @p v and expect @p want; returns the error message. */
static const char *migrate_to(rorm_db *db, unsigned v, const rorm_migrate_options *opts, int want)
{
    static rorm_error err;
    memset(&err, 0, sizeof err);
    rorm_schema *s = version(v);
    int rc = rorm_migrate_schema(db, s, opts, &err);
    rorm_schema_release(s);
    if (rc != want) {
        rorm_migrate_plan *plan = plan_for(db, v, opts);
        print_plan(plan);
        rorm_migrate_plan_free(plan);
        fail_msg("migrate to %#x: %d (wanted %d): %s", v, rc, want, err.message);
    }
    return err.message;
}

/* Idempotence: a plan for @p v right after migrating to it is empty. */
static void assert_up_to_date(rorm_db *db, unsigned v)
{
    rorm_migrate_plan *plan = plan_for(db, v, &no_force);
    if (rorm_migrate_plan_count(plan) != 0) {
        char *text = NULL;
        rorm_error err = { 0 };
        rorm_migrate_describe(&text, db, &err);
        fprintf(stderr, "database:\n%s\nplan:\n", text ? text : "?");
        rorm_free(text);
        print_plan(plan);
    }
    assert_int_equal(rorm_migrate_plan_count(plan), 0);
    rorm_migrate_plan_free(plan);
}

static void exec(rorm_db *db, const char *sql)
{
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_db_execute_raw(db, rorm_test_sql(sql), NULL, 0, NULL, &err), &err);
}

static int64_t query_int(rorm_db *db, const char *sql)
{
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_db_query_raw(&rows, db, rorm_test_sql(sql), NULL, 0, &err), &err);
    assert_int_equal(rorm_rows_count(rows), 1);
    const rorm_value *v = rorm_rows_get(rows, 0, 0);
    int64_t n = v->type == RORM_TYPE_INT ? v->u.i
                : v->type == RORM_TYPE_TEXT || v->type == RORM_TYPE_DECIMAL
                    ? strtoll(v->u.s.ptr, NULL, 10)
                    : -1;
    rorm_rows_free(rows);
    return n;
}

/* The emails of all users, in id order, joined with commas (a fingerprint of the rows). */
static const char *emails(rorm_db *db)
{
    static char buf[1024];
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_db_query_raw(
                       &rows, db, rorm_test_sql("SELECT \"email\" FROM \"users\" ORDER BY \"id\""),
                       NULL, 0, &err),
                   &err);
    buf[0] = '\0';
    for (size_t i = 0; i < rorm_rows_count(rows); i++) {
        const rorm_value *v = rorm_rows_get(rows, i, 0);
        strncat(buf, i ? "," : "", sizeof buf - strlen(buf) - 1);
        strncat(buf, v->type == RORM_TYPE_TEXT ? v->u.s.ptr : "?", sizeof buf - strlen(buf) - 1);
    }
    rorm_rows_free(rows);
    return buf;
}

static char *describe(rorm_db *db)
{
    rorm_error err = { 0 };
    char *text = NULL;
    assert_rorm_ok(rorm_migrate_describe(&text, db, &err), &err);
    return text;
}

static void seed(rorm_db *db)
{
    exec(db, "INSERT INTO \"users\" (\"email\", \"name\", \"age\") VALUES ('a@x', 'Ann', 30)");
    exec(db, "INSERT INTO \"users\" (\"email\", \"name\", \"age\") VALUES ('b@x', 'Bob', NULL)");
    exec(db, "INSERT INTO \"users\" (\"email\", \"name\", \"age\") VALUES ('c@x', 'Cid', 41)");
    exec(db, "INSERT INTO \"posts\" (\"title\", \"author_id\") VALUES ('p1', 1)");
    exec(db, "INSERT INTO \"posts\" (\"title\", \"author_id\") VALUES ('p2', 3)");
}

static rorm_db *open_base(void)
{
    rorm_db *db = rorm_test_open();
    migrate_to(db, BASE, &no_force, RORM_OK);
    seed(db);
    return db;
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void test_migrate_auto__fresh_database_then_nothing(void **state)
{
    (void)state;
    rorm_db *db = rorm_test_open();
    rorm_migrate_plan *plan = plan_for(db, BASE, &no_force);
    assert_int_equal(rorm_migrate_plan_count(plan), 2);
    assert_non_null(strstr(rorm_migrate_plan_description(plan, 0), "create table \"users\""));
    assert_non_null(strstr(rorm_migrate_plan_description(plan, 1), "create table \"posts\""));
    assert_false(rorm_migrate_plan_destructive(plan, 0));
    rorm_migrate_plan_free(plan);
    migrate_to(db, BASE, &no_force, RORM_OK);
    assert_up_to_date(db, BASE);

    /* Introspection reads the tables in the model's terms. */
    char *text = describe(db);
    assert_non_null(strstr(text, "table users\n"));
    assert_non_null(strstr(text, "  column email "));
    assert_non_null(strstr(text, "  unique users_email_key (email)\n"));
    assert_non_null(strstr(text, "  index posts_author_id_idx (author_id)\n"));
    assert_non_null(strstr(text, " (author_id) references users (id) on delete RESTRICT"));
    assert_non_null(strstr(text, "  primary key (id)\n"));
    assert_null(strstr(text, "redi_migrations"));
    rorm_free(text);

    /* The history records the migration, in the database's own terms. */
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_migrate_status(&rows, db, &err), &err);
    assert_int_equal(rorm_rows_count(rows), 1);
    const rorm_value *name = rorm_rows_field(rows, 0, "name");
    assert_string_equal(name->u.s.ptr, "auto");
    const rorm_value *sql = rorm_rows_field(rows, 0, "sql_applied");
    assert_non_null(strstr(sql->u.s.ptr, "CREATE TABLE"));
    const rorm_value *dbt = rorm_rows_field(rows, 0, "db_type");
    assert_non_null(dbt);
    const rorm_value *sum = rorm_rows_field(rows, 0, "checksum");
    assert_int_equal(strlen(sum->u.s.ptr), 16);
    rorm_rows_free(rows);
    rorm_db_close(db);
}

static void test_migrate_auto__add_columns_keeps_rows(void **state)
{
    (void)state;
    rorm_db *db = open_base();
    const char *before = emails(db);
    assert_string_equal(before, "a@x,b@x,c@x");
    migrate_to(db, BASE | V_NICK | V_SCORE | V_NAME_IDX, &no_force, RORM_OK);
    assert_up_to_date(db, BASE | V_NICK | V_SCORE | V_NAME_IDX);
    assert_string_equal(emails(db), "a@x,b@x,c@x");
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"users\" WHERE \"score\" = 7"), 3);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"users\" WHERE \"nickname\" IS NULL"), 3);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"posts\""), 2);
    char *text = describe(db);
    assert_non_null(strstr(text, "  index users_name_idx (name)\n"));
    rorm_free(text);
    /* And back: dropping the index is not destructive, dropping the columns is. */
    const char *msg = migrate_to(db, BASE, &no_force, RORM_ESCHEMA);
    assert_non_null(strstr(msg, "\"score\""));
    assert_non_null(strstr(msg, "(3 rows)"));
    migrate_to(db, BASE, &force, RORM_OK);
    assert_up_to_date(db, BASE);
    assert_string_equal(emails(db), "a@x,b@x,c@x");
    rorm_db_close(db);
}

static void test_migrate_auto__required_column_needs_a_default(void **state)
{
    (void)state;
    rorm_db *db = open_base();
    const char *msg = migrate_to(db, BASE | V_CODE, &force, RORM_ESCHEMA);
    assert_non_null(strstr(msg, "\"code\" has no default"));
    assert_non_null(strstr(msg, "3 rows"));
    assert_up_to_date(db, BASE); /* nothing ran */
    assert_string_equal(emails(db), "a@x,b@x,c@x");
    /* On an empty table it is fine. */
    exec(db, "DELETE FROM \"posts\"");
    exec(db, "DELETE FROM \"users\"");
    migrate_to(db, BASE | V_CODE, &no_force, RORM_OK);
    assert_up_to_date(db, BASE | V_CODE);
    rorm_db_close(db);
}

static void test_migrate_auto__drop_column_refused_without_force(void **state)
{
    (void)state;
    rorm_db *db = open_base();
    rorm_migrate_plan *plan = plan_for(db, BASE | V_NO_AGE, &no_force);
    assert_int_equal(rorm_migrate_plan_count(plan), 1);
    assert_true(rorm_migrate_plan_destructive(plan, 0));
    assert_int_equal(rorm_migrate_plan_rows(plan, 0), 2); /* two rows hold an age */
    rorm_error err = { 0 };
    assert_int_equal(rorm_migrate_apply(db, plan, &no_force, &err), RORM_ESCHEMA);
    assert_non_null(strstr(err.message, "(2 rows)"));
    assert_int_equal(rorm_migrate_plan_done(plan), 0);
    rorm_migrate_plan_free(plan);
    char *text = describe(db);
    assert_non_null(strstr(text, "  column age "));
    rorm_free(text);

    migrate_to(db, BASE | V_NO_AGE, &force, RORM_OK);
    assert_up_to_date(db, BASE | V_NO_AGE);
    assert_string_equal(emails(db), "a@x,b@x,c@x");
    text = describe(db);
    assert_null(strstr(text, "  column age "));
    rorm_free(text);
    rorm_db_close(db);
}

static void test_migrate_auto__alter_columns(void **state)
{
    (void)state;
    rorm_db *db = open_base();
    /* Widening and relaxing keep every value: no force needed. */
    migrate_to(db, BASE | V_AGE_BIG | V_NAME_OPT | V_PUB_TRUE, &no_force, RORM_OK);
    assert_up_to_date(db, BASE | V_AGE_BIG | V_NAME_OPT | V_PUB_TRUE);
    assert_string_equal(emails(db), "a@x,b@x,c@x");
    assert_int_equal(query_int(db, "SELECT SUM(\"age\") FROM \"users\""), 71);
    exec(db, "INSERT INTO \"posts\" (\"title\", \"author_id\") VALUES ('p3', 1)");
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"posts\" WHERE \"published\" = true"), 1);

    /* Required while a row holds NULL and no default: blocked, with the count of NULL rows. */
    const char *msg = migrate_to(db, BASE | V_AGE_BIG | V_AGE_REQ, &force, RORM_ESCHEMA);
    assert_non_null(strstr(msg, "\"age\""));
    assert_non_null(strstr(msg, "required"));
    assert_non_null(strstr(msg, "1 row holds NULL"));
    exec(db, "UPDATE \"users\" SET \"age\" = 0 WHERE \"age\" IS NULL");
    migrate_to(db, BASE | V_AGE_BIG | V_AGE_REQ, &no_force, RORM_OK);
    assert_up_to_date(db, BASE | V_AGE_BIG | V_AGE_REQ);
    assert_int_equal(query_int(db, "SELECT SUM(\"age\") FROM \"users\""), 71);

    /* Narrowing text to an integer touches every row: refused without force. */
    msg = migrate_to(db, BASE | V_AGE_BIG | V_AGE_REQ | V_TITLE_INT, &no_force, RORM_ESCHEMA);
    assert_non_null(strstr(msg, "change type of"));
    assert_non_null(strstr(msg, "\"title\""));
    assert_non_null(strstr(msg, "(3 rows)"));
    assert_string_equal(emails(db), "a@x,b@x,c@x");
    rorm_db_close(db);
}

static void test_migrate_auto__indexes_and_foreign_keys(void **state)
{
    (void)state;
    rorm_db *db = rorm_test_open();
    migrate_to(db, V_POST, &no_force, RORM_OK);
    seed(db);
    exec(db, "INSERT INTO \"posts\" (\"title\", \"author_id\") VALUES ('orphan', 99)");
    /* The orphan breaks the foreign key about to be added: nothing is applied where DDL is
       transactional. */
    rorm_error err = { 0 };
    rorm_schema *s = version(V_POST | V_POST_FK | V_POST_IDX);
    int rc = rorm_migrate_schema(db, s, &no_force, &err);
    assert_int_not_equal(rc, RORM_OK);
    exec(db, "DELETE FROM \"posts\" WHERE \"author_id\" = 99");
    rc = rorm_migrate_schema(db, s, &no_force, &err);
    if (rc != RORM_OK) {
        fail_msg("%s", err.message);
    }
    rorm_schema_release(s);
    assert_up_to_date(db, BASE);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"posts\""), 2);
    char *text = describe(db);
    assert_non_null(strstr(text, "  index posts_author_id_idx (author_id)\n"));
    assert_non_null(strstr(text, " (author_id) references users (id)"));
    rorm_free(text);
    /* The new foreign key holds. */
    err = (rorm_error){ 0 };
    assert_int_equal(
        rorm_db_execute_raw(db,
                            rorm_test_sql("INSERT INTO \"posts\" (\"title\", \"author_id\") "
                                          "VALUES ('bad', 42)"),
                            NULL, 0, NULL, &err),
        RORM_ECONSTRAINT);
    /* And away again: dropping a foreign key and an index loses no data. */
    migrate_to(db, V_POST, &no_force, RORM_OK);
    assert_up_to_date(db, V_POST);
    exec(db, "INSERT INTO \"posts\" (\"title\", \"author_id\") VALUES ('free', 42)");
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"posts\""), 3);
    rorm_db_close(db);
}

/* Changes ALTER TABLE cannot make on SQLite rebuild the table; elsewhere they alter it. Either
   way the rows, the indexes and the foreign keys pointing at the table survive; on SQLite the
   triggers and views that name the table too. */
static void test_migrate_auto__rebuild_keeps_indexes_and_references(void **state)
{
    (void)state;
    rorm_db *db = rorm_test_open();
    migrate_to(db, BASE | V_NAME_IDX, &no_force, RORM_OK);
    seed(db);
    bool sqlite = rorm_test_target_of() == RORM_TARGET_SQLITE_FILE ||
                  rorm_test_target_of() == RORM_TARGET_SQLITE_MEMORY;
    if (sqlite) {
        /* A trigger on the table (a body of two statements), one on another table naming it,
           and a view over it: the rebuild drops and re-creates them. */
        exec(db, "CREATE TRIGGER users_mark AFTER INSERT ON users BEGIN\n"
                 "  UPDATE users SET name = name || '!' WHERE id = NEW.id;\n"
                 "  UPDATE users SET name = name || '?' WHERE id = NEW.id;\nEND");
        exec(db, "CREATE TRIGGER posts_touch AFTER INSERT ON posts BEGIN\n"
                 "  UPDATE users SET name = name || '+' WHERE id = NEW.author_id;\nEND");
        exec(db, "CREATE VIEW user_names AS SELECT name FROM users");
    }
    rorm_migrate_plan *plan = plan_for(db, BASE | V_NAME_IDX | V_NAME_OPT, &no_force);
    assert_int_equal(rorm_migrate_plan_count(plan), 1);
    if (sqlite) {
        assert_non_null(strstr(rorm_migrate_plan_description(plan, 0), "rebuild table \"users\""));
        assert_non_null(strstr(rorm_migrate_plan_sql(plan, 0), "INSERT INTO \"_rorm_new_users\""));
    }
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_migrate_apply(db, plan, &no_force, &err), &err);
    rorm_migrate_plan_free(plan);
    assert_up_to_date(db, BASE | V_NAME_IDX | V_NAME_OPT);
    assert_string_equal(emails(db), "a@x,b@x,c@x");
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"posts\" WHERE \"author_id\" = 3"), 1);
    char *text = describe(db);
    assert_non_null(strstr(text, "  index users_name_idx (name)\n"));
    assert_non_null(strstr(text, "  unique users_email_key (email)\n"));
    rorm_free(text);
    /* The unique index and the foreign key from posts still hold. */
    assert_int_equal(
        rorm_db_execute_raw(db,
                            rorm_test_sql("INSERT INTO \"users\" (\"email\", \"name\") "
                                          "VALUES ('a@x', 'Dup')"),
                            NULL, 0, NULL, &err),
        RORM_ECONSTRAINT);
    assert_int_equal(rorm_db_execute_raw(db,
                                         rorm_test_sql("DELETE FROM \"users\" WHERE \"id\" = 1"),
                                         NULL, 0, NULL, &err),
                     RORM_ECONSTRAINT);
    exec(db, "INSERT INTO \"users\" (\"email\", \"name\") VALUES ('d@x', NULL)");
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"users\""), 4);
    if (sqlite) {
        exec(db, "INSERT INTO users (email, name) VALUES ('e@x', 'E')");
        assert_int_equal(query_int(db, "SELECT COUNT(*) FROM users WHERE name = 'E!?'"), 1);
        exec(db, "INSERT INTO posts (title, author_id) VALUES ('t', 5)");
        assert_int_equal(query_int(db, "SELECT COUNT(*) FROM users WHERE name = 'E!?+'"), 1);
        assert_int_equal(query_int(db, "SELECT COUNT(*) FROM user_names"), 5);
        assert_int_equal(query_int(db, "SELECT COUNT(*) FROM sqlite_master WHERE type IN "
                                       "('trigger', 'view')"),
                         3);
    }
    rorm_db_close(db);
}

static void test_migrate_auto__drop_table_only_when_asked(void **state)
{
    (void)state;
    rorm_db *db = open_base();
    /* A table no model maps to is left alone by default. */
    assert_up_to_date(db, 0);
    rorm_migrate_options drop = { RORM_MIGRATE_OPTIONS_VERSION, false, true, NULL, NULL };
    rorm_migrate_plan *plan = plan_for(db, 0, &drop);
    assert_int_equal(rorm_migrate_plan_count(plan), 1);
    assert_non_null(strstr(rorm_migrate_plan_description(plan, 0), "drop table \"posts\""));
    assert_true(rorm_migrate_plan_destructive(plan, 0));
    assert_int_equal(rorm_migrate_plan_rows(plan, 0), 2);
    rorm_migrate_plan_free(plan);
    const char *msg = migrate_to(db, 0, &drop, RORM_ESCHEMA);
    assert_non_null(strstr(msg, "drop table \"posts\" (2 rows)"));
    drop.force = true;
    migrate_to(db, 0, &drop, RORM_OK);
    assert_up_to_date(db, 0);
    char *text = describe(db);
    assert_null(strstr(text, "table posts"));
    rorm_free(text);
    assert_string_equal(emails(db), "a@x,b@x,c@x");
    rorm_db_close(db);
}

/* A plan that fails part-way: rolled back where DDL is transactional; on MySQL the error names
   the steps done and not done. */
static void test_migrate_auto__failure_in_the_middle(void **state)
{
    (void)state;
    rorm_db *db = open_base();
    rorm_migrate_plan *plan = plan_for(db, BASE | V_BIO_UNIQUE, &no_force);
    assert_int_equal(rorm_migrate_plan_count(plan), 2); /* add column, then the unique index */
    /* Between planning and applying, rows come to share a name: the unique index fails. */
    exec(db, "UPDATE \"users\" SET \"name\" = 'Same'");
    rorm_error err = { 0 };
    assert_int_not_equal(rorm_migrate_apply(db, plan, &no_force, &err), RORM_OK);
    assert_non_null(strstr(err.message, "step 2 of 2 failed"));
    char *text = describe(db);
    if (rorm_test_has(RORM_TESTCAP_TRANSACTIONAL_DDL)) {
        assert_int_equal(rorm_migrate_plan_done(plan), 0);
        assert_null(strstr(text, "  column bio "));
    } else {
        assert_int_equal(rorm_migrate_plan_done(plan), 1);
        assert_non_null(strstr(err.message, "1 done, 1 not done"));
        assert_non_null(strstr(text, "  column bio "));
    }
    rorm_free(text);
    rorm_migrate_plan_free(plan);
    assert_string_equal(emails(db), "a@x,b@x,c@x");
    rorm_error e2 = { 0 };
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_migrate_status(&rows, db, &e2), &e2);
    assert_int_equal(rorm_rows_count(rows), 1); /* only the first migration */
    rorm_rows_free(rows);
    /* With distinct names the unique index goes in (after the column on MySQL, both here). */
    exec(db, "UPDATE \"users\" SET \"name\" = \"email\"");
    migrate_to(db, BASE | V_BIO_UNIQUE, &no_force, RORM_OK);
    assert_up_to_date(db, BASE | V_BIO_UNIQUE);
    assert_int_equal(
        rorm_db_execute_raw(db,
                            rorm_test_sql("INSERT INTO \"users\" (\"email\", \"name\") "
                                          "VALUES ('z@x', 'a@x')"),
                            NULL, 0, NULL, &e2),
        RORM_ECONSTRAINT);
    /* And dropped again: not destructive. */
    migrate_to(db, BASE | V_NICK, &force, RORM_OK);
    assert_up_to_date(db, BASE | V_NICK);
    assert_string_equal(emails(db), "a@x,b@x,c@x");
    rorm_db_close(db);
}

static const char enum_v1[] = "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"
                              "enum Color {\n  RED\n  GREEN\n}\n"
                              "model Thing {\n  id Int @id @default(autoincrement())\n"
                              "  color Color @default(RED)\n}\n";
static const char enum_v2[] = "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"
                              "enum Color {\n  RED\n  GREEN\n  BLUE\n}\n"
                              "model Thing {\n  id Int @id @default(autoincrement())\n"
                              "  color Color @default(RED)\n}\n";

static rorm_schema *prisma(const char *text)
{
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    char buf[2048];
    /* The provider follows the database under test. */
    const char *providers[] = { "sqlite", "sqlite", "postgresql", "mysql" };
    const char *p = strstr(text, "postgresql");
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(p - text), text, providers[rorm_test_target_of()],
             p + strlen("postgresql"));
    assert_rorm_ok(rorm_prisma_load_string(&s, buf, strlen(buf), NULL, NULL, &err), &err);
    return s;
}

static void test_migrate_auto__enum_gains_a_value(void **state)
{
    (void)state;
    rorm_db *db = rorm_test_open();
    rorm_error err = { 0 };
    rorm_schema *v1 = prisma(enum_v1), *v2 = prisma(enum_v2);
    assert_rorm_ok(rorm_migrate_schema(db, v1, &no_force, &err), &err);
    exec(db, "INSERT INTO \"Thing\" (\"color\") VALUES ('GREEN')");
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, v1, &no_force, &err), &err);
    assert_int_equal(rorm_migrate_plan_count(plan), 0);
    rorm_migrate_plan_free(plan);
    assert_rorm_ok(rorm_migrate_schema(db, v2, &no_force, &err), &err);
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, v2, &no_force, &err), &err);
    print_plan(plan);
    assert_int_equal(rorm_migrate_plan_count(plan), 0);
    rorm_migrate_plan_free(plan);
    exec(db, "INSERT INTO \"Thing\" (\"color\") VALUES ('BLUE')");
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"Thing\""), 2);
    rorm_schema_release(v1);
    rorm_schema_release(v2);
    rorm_db_close(db);
}

/* Colors without BLUE, then without GREEN: Thing.color is required, Thing.alt optional. */
static const char enum_rgb[] = "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"
                               "enum Color {\n  RED\n  GREEN\n  BLUE\n}\n"
                               "model Thing {\n  id Int @id @default(autoincrement())\n"
                               "  color Color @default(GREEN)\n  alt Color?\n}\n";
static const char enum_rg[] = "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"
                              "enum Color {\n  RED\n  GREEN\n}\n"
                              "model Thing {\n  id Int @id @default(autoincrement())\n"
                              "  color Color @default(GREEN)\n  alt Color?\n}\n";
static const char enum_r[] = "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"
                             "enum Color {\n  RED\n}\n"
                             "model Thing {\n  id Int @id @default(autoincrement())\n"
                             "  color Color @default(RED)\n  alt Color?\n}\n";

static void assert_plan_empty(rorm_db *db, rorm_schema *s)
{
    rorm_error err = { 0 };
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, s, &no_force, &err), &err);
    print_plan(plan);
    assert_int_equal(rorm_migrate_plan_count(plan), 0);
    rorm_migrate_plan_free(plan);
}

/*
 * Removing enum values. A value no row holds goes without force; one that rows hold is refused
 * unless forced (the message names the rows), and forced, optional columns lose it (NULL); a
 * required column holding it blocks the change even when forced. On PostgreSQL the type is
 * recreated; on MySQL the column's enum(...) narrows; on SQLite an enum is TEXT (no change).
 */
static void test_migrate_auto__enum_loses_values(void **state)
{
    (void)state;
    if (!rorm_test_has(RORM_TESTCAP_ENUM_CHECKED)) {
        print_message("enums are TEXT columns on SQLite: removing a value changes no table\n");
    }
    rorm_db *db = rorm_test_open();
    rorm_error err = { 0 };
    rorm_schema *rgb = prisma(enum_rgb), *rg = prisma(enum_rg), *r = prisma(enum_r);
    assert_rorm_ok(rorm_migrate_schema(db, rgb, &no_force, &err), &err);
    exec(db, "INSERT INTO \"Thing\" (\"color\", \"alt\") VALUES ('GREEN', 'BLUE')");
    exec(db, "INSERT INTO \"Thing\" (\"color\", \"alt\") VALUES ('RED', NULL)");
    exec(db, "INSERT INTO \"Thing\" (\"alt\") VALUES ('RED')");
    if (rorm_test_has(RORM_TESTCAP_ENUM_CHECKED)) {
        /* One row holds BLUE in an optional column: refused without force, naming it. */
        int rc = rorm_migrate_schema(db, rg, &no_force, &err);
        assert_int_equal(rc, RORM_ESCHEMA);
        print_message("refused: %s\n", err.message);
        assert_non_null(strstr(err.message, "BLUE"));
        assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"Thing\" WHERE \"alt\" = 'BLUE'"), 1);
    }
    memset(&err, 0, sizeof err);
    assert_rorm_ok(rorm_migrate_schema(db, rg, &force, &err), &err);
    assert_plan_empty(db, rg);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"Thing\""), 3);
    if (rorm_test_has(RORM_TESTCAP_ENUM_CHECKED)) {
        assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"Thing\" WHERE \"alt\" IS NULL"), 2);
        rorm_error e = { 0 };
        assert_int_not_equal(rorm_db_execute_raw(db,
                                                 rorm_test_sql("INSERT INTO \"Thing\" (\"alt\") "
                                                               "VALUES ('BLUE')"),
                                                 NULL, 0, NULL, &e),
                             RORM_OK);
        /* The default (GREEN) survived the change of type. */
        exec(db, "INSERT INTO \"Thing\" (\"alt\") VALUES (NULL)");
        assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"Thing\" WHERE \"color\" = 'GREEN'"),
                         3);
        exec(db,
             "DELETE FROM \"Thing\" WHERE \"alt\" IS NULL AND \"color\" = 'GREEN' AND \"id\" > 3");
        /* GREEN is held by a required column: blocked even when forced, nothing changes. */
        memset(&err, 0, sizeof err);
        int rc = rorm_migrate_schema(db, r, &force, &err);
        assert_int_not_equal(rc, RORM_OK);
        print_message("blocked: %s\n", err.message);
        assert_non_null(strstr(err.message, "GREEN"));
        assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"Thing\" WHERE \"color\" = 'GREEN'"),
                         2);
        assert_plan_empty(db, rg);
        /* Once no row holds it, GREEN goes without force. */
        exec(db, "UPDATE \"Thing\" SET \"color\" = 'RED'");
    }
    memset(&err, 0, sizeof err);
    assert_rorm_ok(rorm_migrate_schema(
                       db, r, rorm_test_has(RORM_TESTCAP_ENUM_CHECKED) ? &no_force : &force, &err),
                   &err);
    assert_plan_empty(db, r);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"Thing\""), 3);
    rorm_schema_release(rgb);
    rorm_schema_release(rg);
    rorm_schema_release(r);
    rorm_db_close(db);
}

static const char enum_list_v1[] =
    "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"
    "enum Tag {\n  A\n  B\n  C\n}\n"
    "model Box {\n  id Int @id @default(autoincrement())\n"
    "  tags Tag[]\n}\n";
static const char enum_list_v2[] =
    "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"
    "enum Tag {\n  A\n  C\n}\n"
    "model Box {\n  id Int @id @default(autoincrement())\n"
    "  tags Tag[]\n}\n";

/* A list of enums losing a value: native arrays (PostgreSQL) lose it from each row when forced;
   elsewhere a list is JSON text, which no enum change touches. */
static void test_migrate_auto__enum_list_loses_a_value(void **state)
{
    (void)state;
    rorm_db *db = rorm_test_open();
    rorm_error err = { 0 };
    rorm_schema *v1 = prisma(enum_list_v1), *v2 = prisma(enum_list_v2);
    assert_rorm_ok(rorm_db_register(db, v1, &err), &err);
    assert_rorm_ok(rorm_migrate_schema(db, v1, &no_force, &err), &err);
    char *json = NULL;
    assert_rorm_ok(
        rorm_db_call_json(&json, db, "Box", "createMany",
                          "{\"data\": [{\"tags\": [\"A\", \"B\"]}, {\"tags\": [\"C\"]}]}", &err),
        &err);
    rorm_free(json);
    bool native = rorm_test_has(RORM_TESTCAP_NATIVE_ARRAYS);
    int rc = rorm_migrate_schema(db, v2, &no_force, &err);
    assert_int_equal(rc, native ? RORM_ESCHEMA : RORM_OK);
    memset(&err, 0, sizeof err);
    assert_rorm_ok(rorm_migrate_schema(db, v2, &force, &err), &err);
    assert_plan_empty(db, v2);
    if (native) {
        assert_rorm_ok(rorm_db_call_json(
                           &json, db, "Box", "findMany",
                           "{\"orderBy\": {\"id\": \"asc\"}, \"select\": {\"tags\": true}}", &err),
                       &err);
        assert_string_equal(json, "[{\"tags\":[\"A\"]},{\"tags\":[\"C\"]}]");
        rorm_free(json);
    }
    rorm_schema_release(v1);
    rorm_schema_release(v2);
    rorm_db_close(db);
}

static const char fill_v1[] = "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"
                              "model Member {\n  id Int @id @default(autoincrement())\n"
                              "  email String\n  age Int?\n  code String?\n}\n";
static const char fill_v2[] = "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"
                              "model Member {\n  id Int @id @default(autoincrement())\n"
                              "  email String @unique\n  age Int @default(18)\n  code String?\n}\n";
static const char fill_v3[] = "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"
                              "model Member {\n  id Int @id @default(autoincrement())\n"
                              "  email String @unique\n  age Int @default(18)\n  code String\n}\n";

/*
 * Changes that meet the rows: a unique index over duplicate values is blocked at plan time
 * (naming how many values repeat) instead of failing half-way; a column made required while
 * rows hold NULL is destructive, and forced, the rows get the field's default first; without a
 * default the step is blocked with that advice.
 */
static void test_migrate_auto__required_and_unique_meet_the_rows(void **state)
{
    (void)state;
    rorm_db *db = rorm_test_open();
    rorm_error err = { 0 };
    rorm_schema *v1 = prisma(fill_v1), *v2 = prisma(fill_v2), *v3 = prisma(fill_v3);
    assert_rorm_ok(rorm_migrate_schema(db, v1, &no_force, &err), &err);
    exec(db, "INSERT INTO \"Member\" (\"email\", \"age\") VALUES ('a', NULL), ('a', 30), "
             "('b', NULL), ('c', 40)");
    /* Blocked even when forced: "a" is held twice. Nothing changes. */
    int rc = rorm_migrate_schema(db, v2, &force, &err);
    assert_int_equal(rc, RORM_ESCHEMA);
    print_message("refused: %s\n", err.message);
    assert_non_null(strstr(err.message, "1 value of"));
    assert_non_null(strstr(err.message, "make them unique first"));
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"Member\" WHERE \"age\" IS NULL"), 2);
    exec(db, "UPDATE \"Member\" SET \"email\" = 'a2' WHERE \"age\" = 30");
    /* Two rows hold NULL in age: destructive (refused without force), then filled with 18. */
    memset(&err, 0, sizeof err);
    assert_int_equal(rorm_migrate_schema(db, v2, &no_force, &err), RORM_ESCHEMA);
    assert_non_null(strstr(err.message, "2 rows hold NULL"));
    memset(&err, 0, sizeof err);
    assert_rorm_ok(rorm_migrate_schema(db, v2, &force, &err), &err);
    assert_plan_empty(db, v2);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"Member\" WHERE \"age\" = 18"), 2);
    assert_int_equal(query_int(db, "SELECT SUM(\"age\") FROM \"Member\""), 18 + 30 + 18 + 40);
    assert_int_not_equal(rorm_db_execute_raw(db,
                                             rorm_test_sql("INSERT INTO \"Member\" (\"email\") "
                                                           "VALUES ('b')"),
                                             NULL, 0, NULL, &err),
                         RORM_OK);
    /* code has no default: blocked with the advice, even when forced. */
    memset(&err, 0, sizeof err);
    assert_int_equal(rorm_migrate_schema(db, v3, &force, &err), RORM_ESCHEMA);
    print_message("blocked: %s\n", err.message);
    assert_non_null(strstr(err.message, "give it a @default or fill them first"));
    exec(db, "UPDATE \"Member\" SET \"code\" = 'x'");
    memset(&err, 0, sizeof err);
    assert_rorm_ok(rorm_migrate_schema(db, v3, &no_force, &err), &err);
    assert_plan_empty(db, v3);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"Member\""), 4);
    rorm_schema_release(v1);
    rorm_schema_release(v2);
    rorm_schema_release(v3);
    rorm_db_close(db);
}

/* Renames are never guessed: undeclared, a rename is a drop and an add; declared, the data
   stays. */
static void test_migrate_auto__declared_renames_keep_data(void **state)
{
    (void)state;
    rorm_db *db = open_base();
    const char *msg = migrate_to(db, BASE | V_YEARS, &no_force, RORM_ESCHEMA);
    assert_non_null(strstr(msg, "\"age\""));
    rorm_migrate_options ren = RORM_MIGRATE_OPTIONS_INIT;
    ren.renames = "users.age=years; posts=articles";
    rorm_migrate_plan *plan = plan_for(db, BASE | V_YEARS | V_ARTICLES, &ren);
    print_plan(plan);
    assert_int_equal(rorm_migrate_plan_count(plan), 2);
    assert_string_equal(rorm_migrate_plan_description(plan, 0),
                        "rename table \"posts\" to \"articles\"");
    assert_string_equal(rorm_migrate_plan_description(plan, 1),
                        "rename column \"age\" of table \"users\" to \"years\"");
    assert_false(rorm_migrate_plan_destructive(plan, 0));
    assert_false(rorm_migrate_plan_destructive(plan, 1));
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_migrate_apply(db, plan, &ren, &err), &err);
    rorm_migrate_plan_free(plan);
    assert_up_to_date(db, BASE | V_YEARS | V_ARTICLES);
    assert_string_equal(emails(db), "a@x,b@x,c@x");
    assert_int_equal(query_int(db, "SELECT SUM(\"years\") FROM \"users\""), 71);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM \"articles\""), 2);
    assert_int_equal(rorm_db_execute_raw(db,
                                         rorm_test_sql("INSERT INTO \"articles\" (\"title\", "
                                                       "\"author_id\") VALUES ('x', 42)"),
                                         NULL, 0, NULL, &err),
                     RORM_ECONSTRAINT);
    rorm_db_close(db);
}

static const char cycle_text[] =
    "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"
    "model Team {\n  id Int @id @default(autoincrement())\n  leaderId Int? @unique\n"
    "  leader Person? @relation(\"leader\", fields: [leaderId], references: [id])\n"
    "  members Person[] @relation(\"members\")\n}\n"
    "model Person {\n  id Int @id @default(autoincrement())\n  teamId Int?\n"
    "  team Team? @relation(\"members\", fields: [teamId], references: [id])\n"
    "  leads Team? @relation(\"leader\")\n}\n";

/* Tables that reference each other: one is made first without its foreign key, which is added
   once both exist. */
static void test_migrate_auto__foreign_key_cycle(void **state)
{
    (void)state;
    rorm_db *db = rorm_test_open();
    rorm_error err = { 0 };
    rorm_schema *s = prisma(cycle_text);
    assert_rorm_ok(rorm_migrate_schema(db, s, &no_force, &err), &err);
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, s, &no_force, &err), &err);
    print_plan(plan);
    assert_int_equal(rorm_migrate_plan_count(plan), 0);
    rorm_migrate_plan_free(plan);
    char *text = describe(db);
    assert_non_null(strstr(text, " (leaderId) references Person (id)"));
    assert_non_null(strstr(text, " (teamId) references Team (id)"));
    rorm_free(text);
    exec(db, "INSERT INTO \"Team\" (\"leaderId\") VALUES (NULL)");
    exec(db, "INSERT INTO \"Person\" (\"teamId\") VALUES (1)");
    exec(db, "UPDATE \"Team\" SET \"leaderId\" = 1");
    assert_int_equal(rorm_db_execute_raw(db, rorm_test_sql("UPDATE \"Team\" SET \"leaderId\" = 5"),
                                         NULL, 0, NULL, &err),
                     RORM_ECONSTRAINT);
    rorm_schema_release(s);
    rorm_db_close(db);
}

/* rorm_db_ensure_schema goes through the engine: same tables, then nothing to do. */
static void test_migrate_auto__ensure_schema_uses_the_engine(void **state)
{
    (void)state;
    rorm_db *db = rorm_test_open();
    rorm_error err = { 0 };
    rorm_schema *s = version(BASE | V_SCORE);
    assert_rorm_ok(rorm_db_register(db, s, &err), &err);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_new(&plan, db, NULL, &err), &err);
    assert_int_equal(rorm_migrate_plan_count(plan), 0);
    rorm_migrate_plan_free(plan);
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_migrate_status(&rows, db, &err), &err);
    assert_int_equal(rorm_rows_count(rows), 1);
    rorm_rows_free(rows);
    rorm_schema_release(s);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_auto__fresh_database_then_nothing),
        cmocka_unit_test(test_migrate_auto__add_columns_keeps_rows),
        cmocka_unit_test(test_migrate_auto__required_column_needs_a_default),
        cmocka_unit_test(test_migrate_auto__drop_column_refused_without_force),
        cmocka_unit_test(test_migrate_auto__alter_columns),
        cmocka_unit_test(test_migrate_auto__indexes_and_foreign_keys),
        cmocka_unit_test(test_migrate_auto__rebuild_keeps_indexes_and_references),
        cmocka_unit_test(test_migrate_auto__drop_table_only_when_asked),
        cmocka_unit_test(test_migrate_auto__failure_in_the_middle),
        cmocka_unit_test(test_migrate_auto__enum_gains_a_value),
        cmocka_unit_test(test_migrate_auto__enum_loses_values),
        cmocka_unit_test(test_migrate_auto__enum_list_loses_a_value),
        cmocka_unit_test(test_migrate_auto__required_and_unique_meet_the_rows),
        cmocka_unit_test(test_migrate_auto__ensure_schema_uses_the_engine),
        cmocka_unit_test(test_migrate_auto__foreign_key_cycle),
        cmocka_unit_test(test_migrate_auto__declared_renames_keep_data),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
