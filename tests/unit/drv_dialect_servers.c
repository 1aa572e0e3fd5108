/*
 * The PostgreSQL and MySQL dialects: golden DDL for a schema built with the public builder
 * (enums, lists, defaults, a foreign key, a composite key, indexes), quoting, placeholders,
 * LIMIT/OFFSET forms and the statements the core uses. The conformance suite runs the same DDL
 * on real servers.
 */
#include "harness/harness.h"

#include <string.h>

#include "dialect/dialect.h"
#include "rediorm/sys/driver.h"

static const rorm_field_def user_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "email", .type = RORM_FIELD_STRING, .flags = RORM_UNIQUE },
    { .name = "role",
      .type = RORM_FIELD_ENUM,
      .enum_name = "Role",
      .default_kind = RORM_DEFAULT_VALUE,
      .default_text = "USER" },
    { .name = "score", .type = RORM_FIELD_DECIMAL, .flags = RORM_NULLABLE },
    { .name = "active",
      .type = RORM_FIELD_BOOL,
      .default_kind = RORM_DEFAULT_VALUE,
      .default_text = "true" },
    { .name = "seenAt", .type = RORM_FIELD_DATETIME, .flags = RORM_NULLABLE },
    { .name = "tags", .type = RORM_FIELD_STRING, .flags = RORM_LIST },
    { .name = "doc", .type = RORM_FIELD_JSON, .flags = RORM_NULLABLE },
    { .name = "avatar", .type = RORM_FIELD_BYTES, .flags = RORM_NULLABLE },
    { .name = "big", .type = RORM_FIELD_BIGINT, .flags = RORM_NULLABLE },
    { .name = "ratio", .type = RORM_FIELD_FLOAT, .flags = RORM_NULLABLE },
    { .name = "note",
      .type = RORM_FIELD_STRING,
      .default_kind = RORM_DEFAULT_VALUE,
      .default_text = "it's \\ok" },
};
static const rorm_relation_def user_relations[] = {
    { .name = "posts", .kind = RORM_ONE_TO_MANY, .model = "Post" },
};
static const rorm_field_def post_fields[] = {
    { .name = "id", .type = RORM_FIELD_BIGINT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "authorId", .type = RORM_FIELD_INT, .flags = RORM_INDEX },
};
static const rorm_relation_def post_relations[] = {
    { .name = "author",
      .kind = RORM_MANY_TO_ONE,
      .model = "User",
      .fields = "authorId",
      .references = "id" },
};
static const rorm_field_def tag_fields[] = {
    { .name = "tenant", .type = RORM_FIELD_STRING },
    { .name = "name", .type = RORM_FIELD_STRING },
};
static const rorm_model_def model_defs[] = {
    { .name = "User",
      .fields = user_fields,
      .nfields = RORM_COUNT(user_fields),
      .relations = user_relations,
      .nrelations = RORM_COUNT(user_relations) },
    { .name = "Post",
      .fields = post_fields,
      .nfields = RORM_COUNT(post_fields),
      .relations = post_relations,
      .nrelations = RORM_COUNT(post_relations) },
    { .name = "Tag",
      .table = "we\"ird`tags",
      .fields = tag_fields,
      .nfields = RORM_COUNT(tag_fields),
      .primary_key = "tenant, name" },
};

static rorm_schema *schema(void)
{
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    static const char *const roles[] = { "USER", "ADMIN" };
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    assert_rorm_ok(rorm_schema_add_enum(s, "Role", roles, 2, &err), &err);
    for (size_t i = 0; i < RORM_COUNT(model_defs); i++) {
        assert_rorm_ok(rorm_schema_add_model(s, &model_defs[i], &err), &err);
    }
    assert_rorm_ok(rorm_schema_validate(s, &err), &err);
    return s;
}

static const rorm_model *model(rorm_schema *s, const char *name)
{
    const rorm_model *m = rorm_schema_model(s, name);
    assert_non_null(m);
    return m;
}

static void ddl(char **out, const rorm_dialect *d, const rorm_model *m)
{
    rorm_error err = { 0 };
    rorm_str sql = RORM_STR_INIT;
    assert_rorm_ok(d->create_table(&sql, m, &err), &err);
    for (size_t i = 0; i < m->indexes.len; i++) {
        rorm__str_puts(&sql, ";\n");
        assert_rorm_ok(d->create_index(&sql, m, m->indexes.ptr[i], &err), &err);
    }
    assert_false(rorm__str_oom(&sql));
    *out = rorm__str_detach(&sql);
}

static void expect_ddl(const rorm_dialect *d, rorm_schema *s, const char *name, const char *want)
{
    char *got = NULL;
    ddl(&got, d, model(s, name));
    if (strcmp(got, want) != 0) {
        fail_msg("%s %s DDL:\n%s\nwanted:\n%s", d->name, name, got, want);
    }
    rorm_free(got);
}

static void test_drv_dialect_servers__postgres_ddl(void **state)
{
    (void)state;
    rorm_schema *s = schema();
    const rorm_dialect *d = rorm__dialect_for_type(RORM_DB_POSTGRES);
    assert_ptr_equal(d, &rorm__dialect_postgres);
    expect_ddl(d, s, "User",
               "DO $rorm$ BEGIN CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN'); EXCEPTION WHEN "
               "duplicate_object THEN NULL; END $rorm$;\n"
               "CREATE TABLE IF NOT EXISTS \"users\" (\n"
               "    \"id\" SERIAL NOT NULL,\n"
               "    \"email\" TEXT NOT NULL,\n"
               "    \"role\" \"Role\" NOT NULL DEFAULT 'USER',\n"
               "    \"score\" DECIMAL(65,30),\n"
               "    \"active\" BOOLEAN NOT NULL DEFAULT true,\n"
               "    \"seen_at\" TIMESTAMP(3),\n"
               "    \"tags\" TEXT[] NOT NULL,\n"
               "    \"doc\" JSONB,\n"
               "    \"avatar\" BYTEA,\n"
               "    \"big\" BIGINT,\n"
               "    \"ratio\" DOUBLE PRECISION,\n"
               "    \"note\" TEXT NOT NULL DEFAULT 'it''s \\ok',\n"
               "    CONSTRAINT \"users_pkey\" PRIMARY KEY (\"id\")\n"
               ");\n"
               "CREATE UNIQUE INDEX IF NOT EXISTS \"users_email_key\" ON \"users\"(\"email\")");
    expect_ddl(d, s, "Post",
               "CREATE TABLE IF NOT EXISTS \"posts\" (\n"
               "    \"id\" BIGSERIAL NOT NULL,\n"
               "    \"author_id\" INTEGER NOT NULL,\n"
               "    CONSTRAINT \"posts_pkey\" PRIMARY KEY (\"id\"),\n"
               "    CONSTRAINT \"posts_author_id_fkey\" FOREIGN KEY (\"author_id\") REFERENCES "
               "\"users\" (\"id\") ON DELETE RESTRICT ON UPDATE CASCADE\n"
               ");\n"
               "CREATE INDEX IF NOT EXISTS \"posts_author_id_idx\" ON \"posts\"(\"author_id\")");
    expect_ddl(d, s, "Tag",
               "CREATE TABLE IF NOT EXISTS \"we\"\"ird`tags\" (\n"
               "    \"tenant\" TEXT NOT NULL,\n"
               "    \"name\" TEXT NOT NULL,\n"
               "    CONSTRAINT \"we\"\"ird`tags_pkey\" PRIMARY KEY (\"tenant\", \"name\")\n"
               ")");
    rorm_schema_release(s);
}

static void test_drv_dialect_servers__mysql_ddl(void **state)
{
    (void)state;
    rorm_schema *s = schema();
    const rorm_dialect *d = rorm__dialect_for_type(RORM_DB_MYSQL);
    assert_ptr_equal(d, &rorm__dialect_mysql);
    expect_ddl(d, s, "User",
               "CREATE TABLE IF NOT EXISTS `users` (\n"
               "    `id` INT NOT NULL AUTO_INCREMENT,\n"
               "    `email` VARCHAR(191) NOT NULL,\n"
               "    `role` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER',\n"
               "    `score` DECIMAL(65,30),\n"
               "    `active` BOOLEAN NOT NULL DEFAULT true,\n"
               "    `seen_at` DATETIME(3),\n"
               "    `tags` JSON NOT NULL,\n"
               "    `doc` JSON,\n"
               "    `avatar` LONGBLOB,\n"
               "    `big` BIGINT,\n"
               "    `ratio` DOUBLE,\n"
               "    `note` VARCHAR(191) NOT NULL DEFAULT 'it''s \\\\ok',\n"
               "    CONSTRAINT `users_pkey` PRIMARY KEY (`id`)\n"
               ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
               "CREATE UNIQUE INDEX `users_email_key` ON `users`(`email`)");
    expect_ddl(d, s, "Tag",
               "CREATE TABLE IF NOT EXISTS `we\"ird``tags` (\n"
               "    `tenant` VARCHAR(191) NOT NULL,\n"
               "    `name` VARCHAR(191) NOT NULL,\n"
               "    CONSTRAINT `we\"ird``tags_pkey` PRIMARY KEY (`tenant`, `name`)\n"
               ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    rorm_schema_release(s);
}

/* relationMode = "prisma": no FOREIGN KEY; MySQL writes index prefix lengths (`length:`),
   PostgreSQL has none to write. */
static void test_drv_dialect_servers__relation_mode_and_prefix(void **state)
{
    (void)state;
    static const char text[] = "datasource db {\n"
                               "  provider     = \"mysql\"\n"
                               "  url          = \"mysql://x\"\n"
                               "  relationMode = \"prisma\"\n"
                               "}\n"
                               "model A {\n"
                               "  id Int    @id\n"
                               "  bs B[]\n"
                               "}\n"
                               "model B {\n"
                               "  id  Int    @id\n"
                               "  url String @db.Text\n"
                               "  aId Int\n"
                               "  a   A      @relation(fields: [aId], references: [id])\n"
                               "  @@index([aId, url(length: 100)])\n"
                               "}\n";
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_rorm_ok(rorm_prisma_load_string(&s, text, strlen(text), NULL, NULL, &err), &err);
    expect_ddl(&rorm__dialect_mysql, s, "B",
               "CREATE TABLE IF NOT EXISTS `B` (\n"
               "    `id` INT NOT NULL,\n"
               "    `url` Text NOT NULL,\n"
               "    `aId` INT NOT NULL,\n"
               "    CONSTRAINT `B_pkey` PRIMARY KEY (`id`)\n"
               ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
               "CREATE INDEX `B_aId_url_idx` ON `B`(`aId`, `url`(100))");
    char *got = NULL;
    ddl(&got, &rorm__dialect_postgres, model(s, "B"));
    assert_null(strstr(got, "FOREIGN KEY"));
    assert_non_null(strstr(got, "ON \"B\"(\"aId\", \"url\")"));
    rorm_free(got);
    rorm_schema_release(s);
}

static void test_drv_dialect_servers__placeholders_limits_statements(void **state)
{
    (void)state;
    const rorm_dialect *pg = &rorm__dialect_postgres, *my = &rorm__dialect_mysql;
    rorm_str a = RORM_STR_INIT, b = RORM_STR_INIT;
    pg->placeholder(&a, 1);
    pg->placeholder(&a, 12);
    my->placeholder(&b, 1);
    my->placeholder(&b, 12);
    assert_string_equal(a.ptr, "$1$12");
    assert_string_equal(b.ptr, "??");
    rorm__str_clear(&a);
    rorm__str_clear(&b);
    pg->limit_offset(&a, 10, 0);
    pg->limit_offset(&a, -1, 5);
    pg->limit_offset(&a, 0, 3);
    my->limit_offset(&b, 10, 0);
    my->limit_offset(&b, -1, 5);
    my->limit_offset(&b, -1, 0);
    assert_string_equal(a.ptr, " LIMIT 10 OFFSET 5 LIMIT 0 OFFSET 3");
    assert_string_equal(b.ptr, " LIMIT 10 LIMIT 18446744073709551615 OFFSET 5");
    rorm__str_dispose(&a);
    rorm__str_dispose(&b);
    assert_true(pg->insert_returning);
    assert_false(my->insert_returning);
    assert_true(pg->caps & RORM_CAP_NATIVE_ARRAYS);
    assert_false(my->caps & RORM_CAP_RETURNING);
    assert_false(my->caps & RORM_CAP_TRANSACTIONAL_DDL);
    assert_non_null(strstr(pg->table_exists_sql, "$1"));
    assert_non_null(strstr(my->table_exists_sql, "?"));
}

static void test_drv_dialect_servers__dates(void **state)
{
    (void)state;
    static const int64_t cases[] = { 0,
                                     -1,
                                     86399999,
                                     -62135596800000LL /* 0001-01-01 */,
                                     253402300799999LL /* 9999-12-31 23:59:59.999 */,
                                     -30610224000001LL,
                                     951782400000LL /* 2000-02-29 */ };
    for (size_t i = 0; i < RORM_COUNT(cases); i++) {
        int64_t y;
        int mo, d, h, mi, s, ms;
        rorm__civil_from_ms(cases[i], &y, &mo, &d, &h, &mi, &s, &ms);
        assert_int_equal(rorm__ms_from_civil(y, mo, d, h, mi, s, ms), cases[i]);
    }
    int64_t y;
    int mo, d, h, mi, s, ms;
    rorm__civil_from_ms(951782400000LL, &y, &mo, &d, &h, &mi, &s, &ms);
    assert_int_equal(y, 2000);
    assert_int_equal(mo, 2);
    assert_int_equal(d, 29);
    rorm__civil_from_ms(-1, &y, &mo, &d, &h, &mi, &s, &ms);
    assert_int_equal(y, 1969);
    assert_int_equal(ms, 999);
    assert_int_equal(s, 59);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drv_dialect_servers__postgres_ddl),
        cmocka_unit_test(test_drv_dialect_servers__mysql_ddl),
        cmocka_unit_test(test_drv_dialect_servers__relation_mode_and_prefix),
        cmocka_unit_test(test_drv_dialect_servers__placeholders_limits_statements),
        cmocka_unit_test(test_drv_dialect_servers__dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
