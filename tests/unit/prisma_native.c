/*
 * Per-provider rules of the Prisma front end: `@db.*` native types (known names, argument counts
 * and ranges, compatibility with the field's scalar type, their SQL text in db_type), Prisma's
 * default column types, constraint-name namespaces, and non-ASCII identifiers.
 */
#include "harness/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rediorm/prisma.h"
#include "schema/schema.h"
#include "util/alloc.h"

typedef struct result {
    int rc;
    rorm_schema *schema;
    rorm_diagnostics *diags;
    rorm_error err;
} result;

static result load(const char *provider, const char *body)
{
    char text[8192];
    snprintf(text, sizeof text, "datasource db {\n  provider = \"%s\"\n  url = \"x\"\n}\n%s",
             provider, body);
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

/* How many errors are on @p line (0: any line) and contain @p needle. */
static size_t count_errors(const result *r, int line, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < rorm_diagnostics_count(r->diags); i++) {
        const rorm_diag *d = rorm_diagnostics_at(r->diags, i);
        n += d->severity == RORM_DIAG_ERROR && (line == 0 || d->line == line) &&
             strstr(d->message, needle) != NULL;
    }
    return n;
}

/* The schema body starts on line 5 (after the 4-line datasource). */
static void expect_error(const char *provider, const char *body, int line, const char *needle)
{
    result r = load(provider, body);
    if (r.rc == RORM_OK || count_errors(&r, line, needle) == 0) {
        rorm_diagnostics_print(r.diags, stderr);
        fail_msg("expected an error on line %d containing '%s'", line, needle);
    }
    done(&r);
}

static rorm_schema *load_ok(const char *provider, const char *body)
{
    result r = load(provider, body);
    if (r.rc != RORM_OK) {
        rorm_diagnostics_print(r.diags, stderr);
        fail_msg("expected the schema to load: %s", r.err.message);
    }
    rorm_diagnostics_free(r.diags);
    return r.schema;
}

static const char *db_type(const rorm_schema *s, const char *model, const char *field)
{
    const rorm_field *f = rorm_model_field(rorm_schema_model(s, model), field);
    assert_non_null(f);
    return f->db_type;
}

static void test_prisma_native__postgres_types(void **state)
{
    (void)state;
    rorm_schema *s = load_ok("postgresql", "model A {\n"
                                           "  id   String   @id @db.Uuid\n"
                                           "  a    String   @db.VarChar(255)\n"
                                           "  b    String   @db.VarChar\n"
                                           "  c    Decimal  @db.Decimal(18, 2)\n"
                                           "  d    DateTime @db.Timestamptz(6)\n"
                                           "  e    Float    @db.DoublePrecision\n"
                                           "  f    String   @db.Text()\n"
                                           "  g    Int      @db.SmallInt\n"
                                           "  h    Json     @db.Json\n"
                                           "  i    String[] @db.Citext\n"
                                           "  j    Decimal  @db.Money\n"
                                           "  k    String   @db.Bit(3)\n"
                                           "}\n");
    assert_string_equal(db_type(s, "A", "id"), "uuid");
    assert_string_equal(db_type(s, "A", "a"), "varchar(255)");
    assert_string_equal(db_type(s, "A", "b"), "varchar");
    assert_string_equal(db_type(s, "A", "c"), "decimal(18,2)");
    assert_string_equal(db_type(s, "A", "d"), "timestamptz(6)");
    assert_string_equal(db_type(s, "A", "e"), "double precision");
    assert_string_equal(db_type(s, "A", "f"), "text");
    assert_string_equal(db_type(s, "A", "g"), "smallint");
    assert_string_equal(db_type(s, "A", "h"), "json");
    assert_string_equal(db_type(s, "A", "i"), "citext");
    assert_string_equal(db_type(s, "A", "k"), "bit(3)");
    /* native_type keeps the attribute as written. */
    const rorm_field *c = rorm_model_field(rorm_schema_model(s, "A"), "c");
    assert_string_equal(c->native_type, "Decimal(18,2)");
    rorm_schema_release(s);
}

static void test_prisma_native__mysql_and_cockroach_types(void **state)
{
    (void)state;
    rorm_schema *s = load_ok("mysql", "model A {\n"
                                      "  id  Int     @id @db.UnsignedInt\n"
                                      "  a   String  @db.VarChar(100)\n"
                                      "  b   Boolean @db.TinyInt\n"
                                      "  c   Bytes   @db.VarBinary(16)\n"
                                      "  d   DateTime @db.DateTime(0)\n"
                                      "  e   Int     @db.Year\n"
                                      "  f   BigInt  @db.UnsignedBigInt\n"
                                      "  g   Boolean @db.Bit(1)\n"
                                      "  h   String  @db.LongText\n"
                                      "}\n");
    assert_string_equal(db_type(s, "A", "id"), "int unsigned");
    assert_string_equal(db_type(s, "A", "a"), "varchar(100)");
    assert_string_equal(db_type(s, "A", "b"), "tinyint");
    assert_string_equal(db_type(s, "A", "c"), "varbinary(16)");
    assert_string_equal(db_type(s, "A", "d"), "datetime(0)");
    assert_string_equal(db_type(s, "A", "e"), "year");
    assert_string_equal(db_type(s, "A", "f"), "bigint unsigned");
    assert_string_equal(db_type(s, "A", "g"), "bit(1)");
    assert_string_equal(db_type(s, "A", "h"), "longtext");
    rorm_schema_release(s);
    s = load_ok("cockroachdb", "model A {\n"
                               "  id BigInt @id @db.Int8\n"
                               "  a  String @db.String(20)\n"
                               "  b  Int    @db.Int4\n"
                               "  c  Boolean @db.Bool\n"
                               "  d  String  @db.CatalogSingleChar\n"
                               "  e  String\n"
                               "}\n");
    assert_string_equal(db_type(s, "A", "id"), "int8");
    assert_string_equal(db_type(s, "A", "a"), "string(20)");
    assert_string_equal(db_type(s, "A", "b"), "int4");
    assert_string_equal(db_type(s, "A", "c"), "bool");
    assert_string_equal(db_type(s, "A", "d"), "\"char\"");
    assert_string_equal(db_type(s, "A", "e"), "string");
    rorm_schema_release(s);
}

static void test_prisma_native__default_column_types(void **state)
{
    (void)state;
    static const char *body = "enum Role {\n  A\n  B\n  @@map(\"role_t\")\n}\n"
                              "model M {\n"
                              "  id Int @id @default(autoincrement())\n"
                              "  s  String\n  b BigInt\n  f Float\n  d Decimal\n  o Boolean\n"
                              "  t  DateTime\n  j Json\n  y Bytes\n  r Role\n"
                              "  u  Unsupported(\"circle\")?\n"
                              "  l  Int[]\n"
                              "}\n";
    rorm_schema *s = load_ok("postgresql", body);
    static const char *const pg[][2] = {
        { "id", "integer" },         { "s", "text" },           { "b", "bigint" },
        { "f", "double precision" }, { "d", "decimal(65,30)" }, { "o", "boolean" },
        { "t", "timestamp(3)" },     { "j", "jsonb" },          { "y", "bytea" },
        { "r", "role_t" },           { "u", "circle" },         { "l", "integer" },
    };
    for (size_t i = 0; i < sizeof pg / sizeof pg[0]; i++) {
        assert_string_equal(db_type(s, "M", pg[i][0]), pg[i][1]);
    }
    rorm_schema_release(s);
    s = load_ok("mysql", "enum Role {\n  A\n}\nmodel M {\n  id Int @id\n  s String\n"
                         "  t DateTime\n  o Boolean\n  y Bytes\n  r Role\n}\n");
    assert_string_equal(db_type(s, "M", "id"), "int");
    assert_string_equal(db_type(s, "M", "s"), "varchar(191)");
    assert_string_equal(db_type(s, "M", "t"), "datetime(3)");
    assert_string_equal(db_type(s, "M", "o"), "tinyint(1)");
    assert_string_equal(db_type(s, "M", "y"), "longblob");
    assert_null(db_type(s, "M", "r"));
    rorm_schema_release(s);
    s = load_ok("sqlite", "enum Role {\n  A\n}\nmodel M {\n  id Int @id\n  s String\n"
                          "  t DateTime\n  r Role\n}\n");
    assert_string_equal(db_type(s, "M", "id"), "INTEGER");
    assert_string_equal(db_type(s, "M", "s"), "TEXT");
    assert_string_equal(db_type(s, "M", "t"), "DATETIME");
    assert_string_equal(db_type(s, "M", "r"), "TEXT");
    rorm_schema_release(s);
}

static void test_prisma_native__unknown_and_incompatible(void **state)
{
    (void)state;
    expect_error("postgresql", "model A {\n  id Int @id\n  a String @db.Varchar(10)\n}\n", 7,
                 "Native type Varchar is not supported for postgresql connector");
    expect_error("postgresql", "model A {\n  id Int @id\n  a Int @db.VarChar(10)\n}\n", 7,
                 "Native type VarChar is not compatible with declared field type Int, expected "
                 "field type String");
    expect_error("mysql", "model A {\n  id Int @id\n  a String @db.TinyInt\n}\n", 7,
                 "expected field type Int or Boolean");
    expect_error("mysql", "model A {\n  id Int @id\n  a String @db.UnsignedInt\n}\n", 7,
                 "not compatible with declared field type String");
    /* PostgreSQL's names are not CockroachDB's. */
    expect_error("cockroachdb", "model A {\n  id Int @id\n  a String @db.VarChar(3)\n}\n", 7,
                 "Native type VarChar is not supported for cockroachdb connector");
    expect_error("cockroachdb", "model A {\n  id Int @id @db.Int8\n}\n", 6,
                 "expected field type BigInt");
    expect_error("sqlite", "model A {\n  id Int @id\n  a String @db.Text\n}\n", 7,
                 "Native types are not supported with sqlite connector");
    expect_error("postgresql", "enum E {\n  X\n}\nmodel A {\n  id Int @id\n  e E @db.Text\n}\n", 10,
                 "Native type Text cannot be used on field `e` of type `E`");
    expect_error("postgresql", "model A {\n  id Int @id\n  a String @db.Text @db.Uuid\n}\n", 7,
                 "A field takes one native type attribute");
}

static void test_prisma_native__arguments(void **state)
{
    (void)state;
    expect_error("mysql", "model A {\n  id Int @id\n  a String @db.VarChar\n}\n", 7,
                 "Native type VarChar takes 1 argument, but received 0");
    expect_error("postgresql", "model A {\n  id Int @id\n  a String @db.VarChar(1, 2)\n}\n", 7,
                 "Native type VarChar takes 1 optional argument, but received 2");
    expect_error("postgresql", "model A {\n  id Int @id\n  a Decimal @db.Decimal(10)\n}\n", 7,
                 "Native type Decimal takes 2 optional arguments, but received 1");
    expect_error("postgresql", "model A {\n  id Int @id\n  a String @db.Text(5)\n}\n", 7,
                 "Native type Text takes 0 optional arguments, but received 1");
    expect_error("postgresql", "model A {\n  id Int @id\n  a String @db.VarChar(\"x\")\n}\n", 7,
                 "Expected a numeric value");
    expect_error("postgresql", "model A {\n  id Int @id\n  a String @db.VarChar(-1)\n}\n", 7,
                 "Expected a numeric value");
    expect_error("postgresql", "model A {\n  id Int @id\n  a Decimal @db.Decimal(2, 5)\n}\n", 7,
                 "the scale must not be larger than the precision");
    expect_error("postgresql", "model A {\n  id Int @id\n  a DateTime @db.Timestamptz(7)\n}\n", 7,
                 "`Timestamptz(7)` of postgresql: M can range from 0 to 6.");
    expect_error("postgresql", "model A {\n  id Int @id\n  a String @db.Bit(0)\n}\n", 7,
                 "M must be a positive integer");
    expect_error("postgresql", "model A {\n  id Int @id\n  a Decimal @db.Decimal(1001, 2)\n}\n", 7,
                 "Precision must be positive with a maximum value of 1000");
    expect_error("mysql", "model A {\n  id Int @id\n  a Decimal @db.Decimal(66, 2)\n}\n", 7,
                 "Precision can range from 1 to 65");
    expect_error("mysql", "model A {\n  id Int @id\n  a Decimal @db.Decimal(40, 31)\n}\n", 7,
                 "Scale can range from 0 to 30");
    expect_error("mysql", "model A {\n  id Int @id\n  a String @db.VarChar(70000)\n}\n", 7,
                 "M can range from 0 to 65,535");
    expect_error("mysql", "model A {\n  id Int @id\n  a String @db.Char(256)\n}\n", 7,
                 "M can range from 0 to 255");
    expect_error("mysql", "model A {\n  id Int @id\n  a Bytes @db.Bit(65)\n}\n", 7,
                 "M can range from 1 to 64");
    expect_error("mysql", "model A {\n  id Int @id\n  a Boolean @db.Bit(2)\n}\n", 7,
                 "only Bit(1) can be used as Boolean");
    expect_error("mysql", "model A {\n  id Int @id\n  a DateTime @db.DateTime(7)\n}\n", 7,
                 "M can range from 0 to 6");
    /* MySQL cannot index a whole TEXT/BLOB column. */
    expect_error("mysql", "model A {\n  id String @id @db.Text\n}\n", 6,
                 "You cannot define a primary key on fields with native type `Text` of MySQL");
    rorm_schema_release(load_ok("mysql", "model A {\n  id String @id(length: 100) @db.Text\n}\n"));
    /* In range: accepted. */
    rorm_schema_release(load_ok("mysql",
                                "model A {\n  id Int @id\n  a Decimal @db.Decimal(65, 30)\n"
                                "  b String @db.VarChar(65535)\n  c Bytes @db.Bit(64)\n}\n"));
}

static void test_prisma_native__constraint_names_postgres(void **state)
{
    (void)state;
    /* Two identical @@unique get the same default name: both are reported. */
    result r = load("postgresql", "model User {\n  id Int @id\n  email String\n  name String\n"
                                  "  @@unique([email, name])\n  @@unique([email, name])\n}\n");
    assert_int_not_equal(r.rc, RORM_OK);
    assert_int_equal(count_errors(&r, 9,
                                  "`User_email_name_key` has to be unique in the "
                                  "following namespace: global for primary key, "
                                  "indexes and unique constraints"),
                     1);
    assert_int_equal(count_errors(&r, 10, "User_email_name_key"), 1);
    done(&r);
    /* Index names are global per schema on PostgreSQL: across models too. */
    expect_error("postgresql",
                 "model A {\n  id Int @id\n  x Int\n  @@index([x], map: \"ix\")\n}\n"
                 "model B {\n  id Int @id\n  y Int\n  @@index([y], map: \"ix\")\n}\n",
                 13, "The given constraint name `ix` has to be unique");
    /* A primary key and a unique index of another model. */
    expect_error("postgresql",
                 "model A {\n  id Int @id(map: \"k\")\n}\n"
                 "model B {\n  id Int @id\n  y Int @unique(map: \"k\")\n}\n",
                 10, "`k` has to be unique in the following namespace: global");
    /* A foreign key may not reuse a name of its own table's keys. */
    r = load("postgresql", "model A {\n  id Int @id(map: \"foo\")\n  bId Int\n"
                           "  b B @relation(fields: [bId], references: [id], map: \"foo\")\n}\n"
                           "model B {\n  id Int @id\n  as A[]\n}\n");
    assert_int_equal(count_errors(&r, 6,
                                  "on model `A` for primary key, indexes, unique "
                                  "constraints and foreign keys"),
                     1);
    assert_int_equal(count_errors(&r, 8,
                                  "Error parsing attribute \"@relation\": The given "
                                  "constraint name `foo`"),
                     1);
    done(&r);
    /* Foreign keys of different tables may share a name on PostgreSQL. */
    rorm_schema_release(load_ok("postgresql",
                                "model A {\n  id Int @id\n  cId Int\n"
                                "  c C @relation(fields: [cId], references: [id], map: \"fk\")\n}\n"
                                "model B {\n  id Int @id\n  cId Int\n"
                                "  c C @relation(fields: [cId], references: [id], map: \"fk\")\n}\n"
                                "model C {\n  id Int @id\n  as A[]\n  bs B[]\n}\n"));
    /* Different @@schema: different namespaces. */
    static const char *multi = "datasource db {\n  provider = \"postgresql\"\n"
                               "  schemas = [\"one\", \"two\"]\n}\n"
                               "model A {\n  id Int @id\n  x Int\n  @@index([x], map: \"ix\")\n"
                               "  @@schema(\"one\")\n}\n"
                               "model B {\n  id Int @id\n  y Int\n  @@index([y], map: \"ix\")\n"
                               "  @@schema(\"two\")\n}\n";
    rorm_schema *s = NULL;
    rorm_error err = { 0 };
    assert_int_equal(rorm_prisma_load_string(&s, multi, strlen(multi), NULL, NULL, &err), RORM_OK);
    rorm_schema_release(s);
}

static void test_prisma_native__constraint_names_other_providers(void **state)
{
    (void)state;
    static const char *two_fks =
        "model A {\n  id Int @id\n  cId Int\n"
        "  c C @relation(fields: [cId], references: [id], map: \"fk\")\n}\n"
        "model B {\n  id Int @id\n  cId Int\n"
        "  c C @relation(fields: [cId], references: [id], map: \"fk\")\n}\n"
        "model C {\n  id Int @id\n  as A[]\n  bs B[]\n}\n";
    /* MySQL: foreign-key names are global. */
    expect_error("mysql", two_fks, 8,
                 "`fk` has to be unique in the following namespace: "
                 "global for foreign keys");
    /* MySQL: index names are per table. */
    static const char *two_indexes = "model A {\n  id Int @id\n  x Int\n  @@index([x], map: "
                                     "\"ix\")\n}\n"
                                     "model B {\n  id Int @id\n  y Int\n  @@index([y], map: "
                                     "\"ix\")\n}\n";
    rorm_schema_release(load_ok("mysql", two_indexes));
    expect_error("mysql",
                 "model A {\n  id Int @id\n  x Int\n  y Int\n  @@index([x], map: \"ix\")\n"
                 "  @@unique([y], map: \"ix\")\n}\n",
                 9, "on model `A` for indexes and unique constraints");
    /* SQLite: index names are global (its foreign keys have no names, see unnamed_keys). */
    expect_error("sqlite", two_indexes, 8, "global for indexes and unique constraints");
    /* CockroachDB: only the per-table namespace. */
    rorm_schema_release(load_ok("cockroachdb", two_indexes));
    /* A `map:` longer than the identifier limit, or empty. */
    expect_error("postgresql",
                 "model A {\n  id Int @id\n  x Int\n  @@index([x], map: "
                 "\"a_name_that_is_much_too_long_for_postgres_which_keeps_63_bytes_only\")\n}\n",
                 8, "The maximum allowed length is 63 bytes");
    expect_error("mysql", "model A {\n  id Int @id\n  x Int @unique(map: \"\")\n}\n", 7,
                 "The `map` argument cannot be an empty string");
    /* Custom `name:` arguments are per model. */
    expect_error("postgresql",
                 "model A {\n  id Int @id\n  x Int\n  y Int\n  @@unique([x], name: \"n\")\n"
                 "  @@unique([y], name: \"n\")\n}\n",
                 10, "The given custom name `n` has to be unique on the model");
}

static void test_prisma_native__non_ascii_identifiers(void **state)
{
    (void)state;
    rorm_schema *s = load_ok("postgresql", "enum État {\n  Ouvert\n}\n"
                                           "model Café {\n  id Int @id\n  prénom String\n"
                                           "  état État\n  commandes Commande[]\n}\n"
                                           "model Commande {\n  id Int @id\n  caféId Int\n"
                                           "  café Café @relation(fields: [caféId], "
                                           "references: [id])\n}\n");
    const rorm_model *m = rorm_schema_model(s, "Café");
    assert_non_null(m);
    assert_string_equal(m->table, "Café");
    assert_non_null(rorm_model_field(m, "prénom"));
    assert_string_equal(rorm_model_field(m, "état")->enum_name, "État");
    const rorm_field *cafe = rorm_model_field(rorm_schema_model(s, "Commande"), "café");
    assert_non_null(cafe);
    assert_string_equal(cafe->relation->model_name, "Café");
    assert_string_equal(cafe->relation->fk_name, "Commande_caféId_fkey");
    assert_ptr_equal(cafe->relation->opposite, rorm_model_field(m, "commandes"));
    rorm_schema_release(s);
    /* The native builder takes the same names, and refuses malformed UTF-8. */
    rorm_schema *n = NULL;
    rorm_model *model = NULL;
    rorm_error err = { 0 };
    assert_int_equal(rorm_schema_new(&n, &err), RORM_OK);
    assert_int_equal(rorm_schema_new_model(&model, n, "Über", &err), RORM_OK);
    assert_int_equal(rorm_schema_new_model(&model, n, "名前", &err), RORM_OK);
    assert_int_equal(rorm_schema_new_model(&model, n, "Bad\xC3", &err), RORM_EINVAL);
    assert_int_equal(rorm_schema_new_model(&model, n, "Bad\xC0\xAF", &err), RORM_EINVAL);
    assert_int_equal(rorm_schema_new_model(&model, n, "Bad\xED\xA0\x80", &err), RORM_EINVAL);
    assert_int_equal(rorm_schema_new_model(&model, n, "Bad\x80", &err), RORM_EINVAL);
    assert_int_equal(rorm_schema_new_model(&model, n, "1abc", &err), RORM_EINVAL);
    assert_int_equal(rorm_schema_new_model(&model, n, "a b", &err), RORM_EINVAL);
    rorm_schema_release(n);
}

static void test_prisma_native__index_methods(void **state)
{
    (void)state;
    rorm_schema_release(load_ok("postgresql", "model A {\n  id Int @id\n  x Json\n  y Int\n"
                                              "  @@index([x(ops: JsonbPathOps)], type: Gin)\n"
                                              "  @@index([y], type: Hash)\n  @@index([y], type: "
                                              "Brin, map: \"b\")\n}\n"));
    rorm_schema_release(load_ok("cockroachdb", "model A {\n  id Int @id\n  x Json\n"
                                               "  @@index([x], type: Gin)\n}\n"));
    expect_error("mysql", "model A {\n  id Int @id\n  y Int\n  @@index([y], type: Hash)\n}\n", 8,
                 "The given index type is not supported with the current connector");
    expect_error("cockroachdb", "model A {\n  id Int @id\n  y Int\n  @@index([y], type: Brin)\n}\n",
                 8, "not supported with the current connector");
    expect_error("postgresql", "model A {\n  id Int @id\n  y Int\n  @@index([y], type: Bogus)\n}\n",
                 8, "Unknown index type `Bogus`");
    expect_error("postgresql",
                 "model A {\n  id Int @id\n  y Int\n  @@index([y(sort: Desc)], type: Hash)\n}\n", 8,
                 "Hash type does not support sort option");
    expect_error("postgresql",
                 "model A {\n  id Int @id\n  y Int\n  @@unique([y(ops: Int4MinMaxOps)])\n}\n", 8,
                 "Operator classes can only be defined to fields in an @@index attribute");
    expect_error("postgresql", "model A {\n  a Int\n  b Int\n  a_b Int\n  @@id([a, b])\n}\n", 9,
                 "The field `a_b` clashes with the `@@id` name");
    rorm_schema_release(load_ok("postgresql", "model A {\n  a Int\n  b Int\n  a_b Int\n"
                                              "  @@id([a, b], name: \"ab\")\n}\n"));
}

static void test_prisma_native__sequence_is_cockroachdb_only(void **state)
{
    (void)state;
    rorm_schema *s =
        load_ok("cockroachdb", "model A {\n  id BigInt @id @default(sequence(maxValue: 100, "
                               "start: 5, virtual: true))\n  n Int @default(sequence())\n}\n");
    assert_int_equal(rorm_model_field(rorm_schema_model(s, "A"), "n")->def.kind,
                     RORM_DEFAULT_SEQUENCE);
    rorm_schema_release(s);
    expect_error("postgresql", "model A {\n  id Int @id @default(sequence())\n}\n", 6,
                 "`sequence` is only available on CockroachDB");
    expect_error("cockroachdb", "model A {\n  id Int @id @default(sequence(step: 2))\n}\n", 6,
                 "Unexpected argument in `sequence()`");
    expect_error("cockroachdb", "model A {\n  id Int @id @default(sequence(cache: \"x\"))\n}\n", 6,
                 "Expected an integer value for `cache`");
    expect_error("cockroachdb", "model A {\n  id Int @id @default(sequence(virtual: 1))\n}\n", 6,
                 "Expected a boolean value for `virtual`");
    expect_error("cockroachdb", "model A {\n  id Int @id\n  s String @default(sequence())\n}\n", 7,
                 "cannot be used on fields of type `String`");
}

static void test_prisma_native__unnamed_keys(void **state)
{
    (void)state;
    expect_error("mysql", "model A {\n  id Int @id(map: \"pk\")\n}\n", 5,
                 "Error validating model \"A\": You defined a database name for the primary key");
    expect_error("sqlite", "model A {\n  a Int\n  b Int\n  @@id([a, b], map: \"pk\")\n}\n", 5,
                 "You defined a database name for the primary key");
    expect_error("sqlite",
                 "model A {\n  id Int @id\n  bId Int\n"
                 "  b B @relation(fields: [bId], references: [id], map: \"fk\")\n}\n"
                 "model B {\n  id Int @id\n  as A[]\n}\n",
                 8, "Your provider does not support named foreign keys");
    rorm_schema_release(load_ok("mysql", "model A {\n  id Int @id\n  bId Int\n"
                                         "  b B @relation(fields: [bId], references: [id], map: "
                                         "\"fk\")\n}\nmodel B {\n  id Int @id\n  as A[]\n}\n"));
}

/* Every allocation of a load with native types, names to check and join tables may fail. */
static void test_prisma_native__oom(void **state)
{
    (void)state;
    const char *text = "datasource db {\n  provider = \"postgresql\"\n}\n"
                       "model A {\n  id String @id @db.Uuid\n  n String @unique @db.VarChar(9)\n"
                       "  bs B[]\n  cs C[]\n  @@index([n])\n}\n"
                       "model B {\n  id Int @id\n  as A[]\n}\n"
                       "model C {\n  id Int @id\n  aId String\n"
                       "  a A @relation(fields: [aId], references: [id])\n}\n";
    for (size_t n = 1; n < 100000; n++) {
        rorm_diagnostics *d = NULL;
        rorm_error err = { 0 };
        rorm_schema *s = NULL;
        rorm__alloc_fail_after(n);
        int rc = rorm_diagnostics_new(&d, &err);
        if (rc == RORM_OK) {
            rc = rorm_prisma_load_string(&s, text, strlen(text), NULL, d, &err);
        }
        size_t used = rorm__alloc_fail_after(0);
        if (rc == RORM_OK) {
            /* Only a load that saw no failure succeeds: no failure is swallowed. */
            assert_true(used < n);
            const rorm_relation *r = rorm_model_field(rorm_schema_model(s, "A"), "bs")->relation;
            assert_string_equal(r->join_ab_name, "_AToB_AB_pkey");
            assert_string_equal(r->join_a_type, "uuid");
            assert_string_equal(rorm_model_field(rorm_schema_model(s, "A"), "n")->db_type,
                                "varchar(9)");
            rorm_schema_release(s);
            rorm_diagnostics_free(d);
            assert_true(n > 50);
            return;
        }
        rorm_schema_release(s);
        rorm_diagnostics_free(d);
        assert_int_equal(rc, RORM_ENOMEM);
    }
    fail_msg("the load never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prisma_native__postgres_types),
        cmocka_unit_test(test_prisma_native__mysql_and_cockroach_types),
        cmocka_unit_test(test_prisma_native__default_column_types),
        cmocka_unit_test(test_prisma_native__unknown_and_incompatible),
        cmocka_unit_test(test_prisma_native__arguments),
        cmocka_unit_test(test_prisma_native__constraint_names_postgres),
        cmocka_unit_test(test_prisma_native__constraint_names_other_providers),
        cmocka_unit_test(test_prisma_native__non_ascii_identifiers),
        cmocka_unit_test(test_prisma_native__index_methods),
        cmocka_unit_test(test_prisma_native__sequence_is_cockroachdb_only),
        cmocka_unit_test(test_prisma_native__unnamed_keys),
        cmocka_unit_test(test_prisma_native__oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
