/*
 * The Prisma front end on small schemas: constructs the parser accepts, syntax errors reported
 * all at once with positions, recovery after bad lines, the validation rules, and rendering of
 * diagnostics with a caret line.
 */
#include "harness/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rediorm/prisma.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/str.h"

#define PG "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n"

typedef struct result {
    int rc;
    rorm_schema *schema;
    rorm_diagnostics *diags;
    rorm_error err;
} result;

static result load(const char *text)
{
    result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(rorm_diagnostics_new(&r.diags, &r.err), RORM_OK);
    r.rc = rorm_prisma_load_string(&r.schema, text, strlen(text), "schema.prisma", r.diags, &r.err);
    return r;
}

static void done(result *r)
{
    rorm_schema_release(r->schema);
    rorm_diagnostics_free(r->diags);
}

/* True when some error is on @p line and its message contains @p needle. */
static bool has_error(const result *r, int line, const char *needle)
{
    for (size_t i = 0; i < rorm_diagnostics_count(r->diags); i++) {
        const rorm_diag *d = rorm_diagnostics_at(r->diags, i);
        if (d->severity == RORM_DIAG_ERROR && (line == 0 || d->line == line) &&
            strstr(d->message, needle)) {
            return true;
        }
    }
    return false;
}

static void expect_error(const char *text, int line, const char *needle)
{
    result r = load(text);
    if (r.rc == RORM_OK || !has_error(&r, line, needle)) {
        rorm_diagnostics_print(r.diags, stderr);
        fail_msg("expected an error on line %d containing '%s'", line, needle);
    }
    done(&r);
}

static void expect_ok(const char *text)
{
    result r = load(text);
    if (r.rc != RORM_OK) {
        rorm_diagnostics_print(r.diags, stderr);
        fail_msg("expected the schema to load: %s", r.err.message);
    }
    done(&r);
}

static void test_prisma_parse__whole_language(void **state)
{
    (void)state;
    result r = load(PG "generator client {\n  provider = \"prisma-client-js\"\n"
                       "  previewFeatures = [\"views\"]\n}\n"
                       "/// Users of the app\n"
                       "model User {\n"
                       "  id    Int     @id @default(autoincrement())\n"
                       "  /// the login\n"
                       "  email String  @unique @db.VarChar(200)\n"
                       "  role  Role    @default(USER)\n"
                       "  tags  String[] @default([\"a\", \"b\"])\n"
                       "  view  Int     @default(-3) // a field named view\n"
                       "  posts Post[]\n"
                       "  @@map(\"users\")\n"
                       "}\n"
                       "/* block\n comment */\n"
                       "model Post {\n"
                       "  id       String @id @default(uuid(7))\n"
                       "  authorId Int\n"
                       "  author   User   @relation(fields: [authorId], references: [id])\n"
                       "  geo      Unsupported(\"geometry(Point, 4326)\")?\n"
                       "  @@index([authorId(sort: Desc)], type: BTree)\n"
                       "}\n"
                       "enum Role {\n  USER @map(\"user\")\n  ADMIN\n  @@map(\"roles\")\n}\n"
                       "view Stats {\n  userId Int @unique\n}\n");
    if (r.rc != RORM_OK) {
        rorm_diagnostics_print(r.diags, stderr);
    }
    assert_int_equal(r.rc, RORM_OK);
    const rorm_model *user = rorm_schema_model(r.schema, "User");
    assert_non_null(user);
    assert_string_equal(rorm_model_table(user), "users");
    assert_string_equal(user->doc, "Users of the app");
    const rorm_field *email = rorm_model_field(user, "email");
    assert_string_equal(email->doc, "the login");
    assert_string_equal(email->native_type, "VarChar(200)");
    assert_true(rorm_field_flags(email) & RORM_UNIQUE);
    const rorm_field *view = rorm_model_field(user, "view");
    assert_int_equal(view->def.kind, RORM_DEFAULT_VALUE);
    assert_int_equal(view->def.value.u.i, -3);
    const rorm_field *tags = rorm_model_field(user, "tags");
    assert_int_equal(tags->def.value.type, RORM_TYPE_ARRAY);
    assert_int_equal(tags->def.value.u.arr.len, 2);
    const rorm_model *post = rorm_schema_model(r.schema, "Post");
    assert_int_equal(rorm_field_default_kind(rorm_model_field(post, "id")), RORM_DEFAULT_UUID7);
    const rorm_field *geo = rorm_model_field(post, "geo");
    assert_int_equal(rorm_field_type_of(geo), RORM_FIELD_UNSUPPORTED);
    assert_string_equal(geo->unsupported, "geometry(Point, 4326)");
    const rorm_enum *role = rorm_schema_enum_at(r.schema, 0);
    assert_string_equal(role->db_name, "roles");
    assert_string_equal(role->db_values.ptr[0], "user");
    assert_string_equal(role->db_values.ptr[1], "ADMIN");
    assert_true(rorm_schema_model(r.schema, "Stats")->is_view);
    done(&r);
}

static void test_prisma_parse__many_syntax_errors(void **state)
{
    (void)state;
    result r = load(PG "model A {\n"                  // 5
                       "  id Int @id\n"               // 6
                       "  name\n"                     // 7: missing type
                       "  x String @@map\n"           // 8: block attribute on a field line
                       "  y String?[]\n"              // 9: optional list
                       "  z Int @default(\n"          // 10: unterminated arguments
                       "}\n"                          // 11
                       "what is this\n"               // 12
                       "model B {\n"                  // 13
                       "  id Int @id\n"               // 14
                       "  s String @default(\"open\n" // 15: unterminated string
                       "}\n");
    assert_int_equal(r.rc, RORM_ESCHEMA);
    assert_true(has_error(&r, 7, "missing a name or a type"));
    assert_true(has_error(&r, 8, "Unexpected"));
    assert_true(has_error(&r, 9, "Optional lists are not supported"));
    assert_true(has_error(&r, 12, "does not start with any known Prisma schema keyword"));
    assert_true(has_error(&r, 15, "not terminated"));
    assert_true(rorm_diagnostics_error_count(r.diags) >= 5);
    /* Diagnostics come out in source order. */
    int last = 0;
    for (size_t i = 0; i < rorm_diagnostics_count(r.diags); i++) {
        assert_true(rorm_diagnostics_at(r.diags, i)->line >= last);
        last = rorm_diagnostics_at(r.diags, i)->line;
    }
    done(&r);
}

static void test_prisma_parse__unclosed_block_recovers(void **state)
{
    (void)state;
    result r = load(PG "model A {\n  id Int @id\n\nmodel B {\n  id Int @id\n}\n");
    assert_int_equal(r.rc, RORM_ESCHEMA);
    assert_true(has_error(&r, 5, "not closed"));
    assert_int_equal(rorm_diagnostics_error_count(r.diags), 1);
    done(&r);
}

static int collect(const char *text, size_t len, void *payload)
{
    return rorm__str_put((rorm_str *)payload, text, len);
}

static void test_prisma_parse__render_caret(void **state)
{
    (void)state;
    result r = load(PG "model A {\n  id Int @id\n  name Strin\n}\n");
    assert_int_equal(r.rc, RORM_ESCHEMA);
    rorm_str out = RORM_STR_INIT;
    assert_int_equal(rorm_diagnostics_render(r.diags, collect, &out), 0);
    assert_non_null(strstr(out.ptr, "schema.prisma:7:8: error: Type \"Strin\""));
    assert_non_null(strstr(out.ptr, " 7 |   name Strin\n"));
    assert_non_null(strstr(out.ptr, "   |        ^~~~~\n"));
    assert_int_equal(r.err.line, 7);
    assert_int_equal(r.err.column, 8);
    rorm__str_dispose(&out);
    done(&r);
}

static void test_prisma_parse__validation_rules(void **state)
{
    (void)state;
    expect_error(PG "model A {\n  id Int @id\n  id String\n}\n", 7, "already defined");
    expect_error(PG "model A {\n  id Int @id\n}\nmodel A {\n  id Int @id\n}\n", 8,
                 "cannot be defined");
    expect_error(PG "enum E {\n  X\n  X\n}\n", 7, "already defined on enum");
    expect_error(PG "model A {\n  id Int @id\n  e E @default(Z)\n}\nenum E {\n  X\n}\n", 7,
                 "not a valid value of the enum");
    expect_error(PG "model A {\n  id Int @id\n  u Int @updatedAt\n}\n", 7, "DateTime");
    expect_error(PG "model A {\n  id String @id @default(autoincrement())\n}\n", 6,
                 "autoincrement()");
    expect_error(PG "model A {\n  name String\n}\n", 5, "unique criteria");
    expect_error(PG "model A {\n  id Int @id\n  x Int @foo\n}\n", 7, "Attribute not known");
    expect_error(PG "model A {\n  id Int @id @default(rand())\n}\n", 6, "Unknown function");
    expect_error(PG "model A {\n  id Int @id\n  b B\n}\nmodel B {\n  id Int @id\n}\n", 7,
                 "missing an opposite relation field");
    expect_error(PG "model A {\n  id Int @id\n  b1 B @relation(fields: [x], references: [id])\n"
                    "  b2 B @relation(fields: [y], references: [id])\n  x Int\n  y Int\n}\n"
                    "model B {\n  id Int @id\n  as A[]\n}\n",
                 7, "Ambiguous relation");
    expect_error(PG "model A {\n  id Int @id\n  bId String\n"
                    "  b B @relation(fields: [bId], references: [id])\n}\n"
                    "model B {\n  id Int @id\n  as A[]\n}\n",
                 8, "not matching the type");
    expect_error(PG "model A {\n  id Int @id\n  bId Int\n  bX Int\n"
                    "  b B @relation(fields: [bId, bX], references: [id])\n}\n"
                    "model B {\n  id Int @id\n  as A[]\n}\n",
                 9, "same number of fields");
    expect_error(PG "model A {\n  id Int @id\n  bName String\n"
                    "  b B @relation(fields: [bName], references: [name])\n}\n"
                    "model B {\n  id Int @id\n  name String\n  as A[]\n}\n",
                 8, "unique criterion");
    expect_error(PG "model A {\n  id Int @id\n  bId Int\n"
                    "  b B @relation(fields: [bId], references: [id])\n}\n"
                    "model B {\n  id Int @id\n  a A?\n}\n",
                 8, "one-to-one relation must use unique fields");
    expect_error(PG "model A {\n  id Int @id\n  t T\n}\ntype T {\n  x Int\n}\n", 7,
                 "not supported on postgresql");
    expect_error("datasource db {\n  provider = \"oracle\"\n  url = \"x\"\n}\n", 2,
                 "provider not known");
}

static void test_prisma_parse__accepted_forms(void **state)
{
    (void)state;
    /* No datasource at all; comments everywhere; @@index without brackets. */
    expect_ok("// leading\nmodel A {\n  id Int @id // trailing\n  n Int\n  @@index(n)\n}\n");
    /* Self relation, named, both sides. */
    expect_ok(PG "model N {\n  id Int @id\n  pId Int?\n"
                 "  p N? @relation(\"t\", fields: [pId], references: [id])\n"
                 "  c N[] @relation(\"t\")\n}\n");
    /* Implicit many-to-many. */
    expect_ok(PG "model A {\n  id Int @id\n  bs B[]\n}\nmodel B {\n  id Int @id\n  as A[]\n}\n");
    /* Compound id and unique, @@ignore model without criterion, @ignore field. */
    expect_ok(PG "model A {\n  a Int\n  b Int\n  c Int @ignore\n  @@id([a, b])\n}\n"
                 "model L {\n  x Int\n  @@ignore\n}\n");
    /* Multi-line arrays in configuration. */
    expect_ok("generator g {\n  provider = \"x\"\n  binaryTargets = [\n    \"native\",\n"
              "    \"linux\",\n  ]\n}\n");
}

static void test_prisma_parse__unsupported_provider(void **state)
{
    (void)state;
    result r = load("datasource db {\n  provider = \"mongodb\"\n  url = \"x\"\n}\n"
                    "model A {\n  id String @id @default(auto()) @map(\"_id\") @db.ObjectId\n}\n");
    assert_int_equal(r.rc, RORM_EUNSUPPORTED);
    assert_int_equal(rorm_diagnostics_error_count(r.diags), 1);
    assert_true(has_error(&r, 2, "\"mongodb\" is not supported"));
    done(&r);
}

static void test_prisma_parse__garbage_never_crashes(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "",
        "{",
        "}",
        "model",
        "model {",
        "model A",
        "model A {",
        "@@@",
        "\"",
        "/*",
        "///",
        "model A { @ }",
        "model A {\n x Int @default([[[[[[[[[[[[[[[[[[[[[[[[[[[\n}",
        "datasource db { provider = }",
        "enum E {\n A @map(\n}",
        "type A = ",
        "\xff\xfe\x00x",
        "model A {\n  b B @relation(fields: [], references: [])\n}\n",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        result r = load(inputs[i]);
        (void)r.rc;
        done(&r);
    }
    /* Deep nesting is refused, not recursed into. */
    char deep[2000];
    memcpy(deep, "model A {\n  id Int @default(", 28);
    memset(deep + 28, '[', 1900);
    deep[1928] = '\0';
    result r = load(deep);
    assert_true(has_error(&r, 0, "nested too deeply"));
    done(&r);
}

static void test_prisma_parse__multi_file(void **state)
{
    (void)state;
    const char *texts[] = { PG, "model A {\n  id Int @id\n  b B?\n}\n",
                            "model B {\n  id Int @id\n  aId Int @unique\n"
                            "  a A @relation(fields: [aId], references: [id])\n  x Nope\n}\n" };
    size_t lens[] = { strlen(texts[0]), strlen(texts[1]), strlen(texts[2]) };
    const char *names[] = { "ds.prisma", "a.prisma", "b.prisma" };
    rorm_diagnostics *d;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_int_equal(rorm_diagnostics_new(&d, &err), RORM_OK);
    assert_int_equal(rorm_prisma_load_strings(&s, texts, lens, names, 3, d, &err), RORM_ESCHEMA);
    assert_int_equal(rorm_diagnostics_error_count(d), 1);
    const rorm_diag *x = rorm_diagnostics_at(d, 0);
    assert_string_equal(x->file, "b.prisma");
    assert_int_equal(x->line, 5);
    assert_null(s);
    rorm_diagnostics_free(d);
}

static void test_prisma_parse__oom(void **state)
{
    (void)state;
    const char *text = PG "model A {\n  id Int @id\n  bs B[]\n  @@index([id])\n}\n"
                          "model B {\n  id Int @id\n  aId Int\n"
                          "  a A @relation(fields: [aId], references: [id])\n}\n"
                          "enum E {\n  X\n}\n";
    for (size_t n = 1; n < 100000; n++) {
        rorm_diagnostics *d = NULL;
        rorm_error err = { 0 };
        rorm_schema *s = NULL;
        rorm__alloc_fail_after(n);
        int rc = rorm_diagnostics_new(&d, &err);
        if (rc == RORM_OK) {
            rc = rorm_prisma_load_string(&s, text, strlen(text), NULL, d, &err);
        }
        rorm__alloc_fail_after(0);
        rorm_schema_release(s);
        rorm_diagnostics_free(d);
        if (rc == RORM_OK) {
            return;
        }
        assert_int_equal(rc, RORM_ENOMEM);
    }
    fail_msg("the load never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prisma_parse__whole_language),
        cmocka_unit_test(test_prisma_parse__many_syntax_errors),
        cmocka_unit_test(test_prisma_parse__unclosed_block_recovers),
        cmocka_unit_test(test_prisma_parse__render_caret),
        cmocka_unit_test(test_prisma_parse__validation_rules),
        cmocka_unit_test(test_prisma_parse__accepted_forms),
        cmocka_unit_test(test_prisma_parse__unsupported_provider),
        cmocka_unit_test(test_prisma_parse__garbage_never_crashes),
        cmocka_unit_test(test_prisma_parse__multi_file),
        cmocka_unit_test(test_prisma_parse__oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
