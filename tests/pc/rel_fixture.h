/*
 * The schema of the relation tests: every relation kind. Users write posts (1-n, named
 * "written") and edit them (a second, optional relation between the same models: "edited"),
 * have one profile (1-1), follow users (implicit self many-to-many), belong to groups through
 * Membership (explicit many-to-many, composite primary key); posts have comments (1-n) and tags
 * (implicit many-to-many, the _PostToTag join table); categories form a tree (self 1-n);
 * sites belong to tenants by a composite foreign key.
 */
#ifndef RORM_TESTS_PC_REL_FIXTURE_H
#define RORM_TESTS_PC_REL_FIXTURE_H

#include "pc_fixture.h"

static const char rel_schema[] =
    "datasource db {\n"
    "  provider = \"sqlite\"\n"
    "  url      = \"file:dev.db\"\n"
    "}\n"
    "model User {\n"
    "  id          Int          @id @default(autoincrement())\n"
    "  name        String\n"
    "  email       String       @unique\n"
    "  posts       Post[]       @relation(\"written\")\n"
    "  edited      Post[]       @relation(\"edited\")\n"
    "  profile     Profile?\n"
    "  following   User[]       @relation(\"follows\")\n"
    "  followers   User[]       @relation(\"follows\")\n"
    "  memberships Membership[]\n"
    "}\n"
    "model Profile {\n"
    "  id     Int    @id @default(autoincrement())\n"
    "  bio    String\n"
    "  userId Int    @unique\n"
    "  user   User   @relation(fields: [userId], references: [id])\n"
    "}\n"
    "model Post {\n"
    "  id       Int       @id @default(autoincrement())\n"
    "  title    String\n"
    "  views    Int       @default(0)\n"
    "  authorId Int\n"
    "  author   User      @relation(\"written\", fields: [authorId], references: [id])\n"
    "  editorId Int?\n"
    "  editor   User?     @relation(\"edited\", fields: [editorId], references: [id])\n"
    "  tags     Tag[]\n"
    "  comments Comment[]\n"
    "}\n"
    "model Comment {\n"
    "  id     Int    @id @default(autoincrement())\n"
    "  text   String\n"
    "  postId Int\n"
    "  post   Post   @relation(fields: [postId], references: [id])\n"
    "}\n"
    "model Tag {\n"
    "  id    Int    @id @default(autoincrement())\n"
    "  name  String @unique\n"
    "  posts Post[]\n"
    "}\n"
    "model Category {\n"
    "  id       Int        @id @default(autoincrement())\n"
    "  name     String\n"
    "  parentId Int?\n"
    "  parent   Category?  @relation(\"tree\", fields: [parentId], references: [id])\n"
    "  children Category[] @relation(\"tree\")\n"
    "}\n"
    "model Group {\n"
    "  id          Int          @id @default(autoincrement())\n"
    "  name        String\n"
    "  memberships Membership[]\n"
    "}\n"
    "model Membership {\n"
    "  userId  Int\n"
    "  groupId Int\n"
    "  role    String\n"
    "  user    User   @relation(fields: [userId], references: [id])\n"
    "  group   Group  @relation(fields: [groupId], references: [id])\n"
    "  @@id([userId, groupId])\n"
    "}\n"
    "model Tenant {\n"
    "  code   String\n"
    "  region String\n"
    "  name   String\n"
    "  sites  Site[]\n"
    "  @@id([code, region])\n"
    "}\n"
    "model Site {\n"
    "  id           Int    @id @default(autoincrement())\n"
    "  url          String\n"
    "  tenantCode   String\n"
    "  tenantRegion String\n"
    "  tenant       Tenant @relation(fields: [tenantCode, tenantRegion], references: [code, region])\n"
    "}\n";

static inline void rel_exec(rorm_db *db, const char *sql)
{
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_db_execute_raw(db, rorm_test_sql(sql), NULL, 0, NULL, &err), &err);
}

/* Whether table @p name exists (a SELECT on it succeeds). */
static inline bool rel_table_exists(rorm_db *db, const char *name)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\"", name);
    rorm_rows *rows = NULL;
    rorm_error err = { 0 };
    int rc = rorm_db_query_raw(&rows, db, rorm_test_sql(sql), NULL, 0, &err);
    rorm_rows_free(rows);
    return rc == RORM_OK;
}

/*
 * The implicit many-to-many join tables: rorm_db_ensure_schema makes them; this fallback (the
 * columns the schema model describes: "A", "B", a unique pair, an index on B) only runs when a
 * table is missing, as it was before the migration engine made them.
 */
static inline void rel_join_tables(rorm_db *db)
{
    static const char *const tables[][3] = {
        { "_PostToTag", "Post", "Tag" },
        { "_follows", "User", "User" },
    };
    for (size_t i = 0; i < 2; i++) {
        if (rel_table_exists(db, tables[i][0])) {
            continue;
        }
        char sql[512];
        snprintf(sql, sizeof sql,
                 "CREATE TABLE \"%s\" (\"A\" INTEGER NOT NULL REFERENCES \"%s\"(\"id\") ON DELETE "
                 "CASCADE, \"B\" INTEGER NOT NULL REFERENCES \"%s\"(\"id\") ON DELETE CASCADE)",
                 tables[i][0], tables[i][1], tables[i][2]);
        rel_exec(db, sql);
        snprintf(sql, sizeof sql, "CREATE UNIQUE INDEX \"%s_AB_unique\" ON \"%s\"(\"A\", \"B\")",
                 tables[i][0], tables[i][0]);
        rel_exec(db, sql);
        snprintf(sql, sizeof sql, "CREATE INDEX \"%s_B_index\" ON \"%s\"(\"B\")", tables[i][0],
                 tables[i][0]);
        rel_exec(db, sql);
    }
}

static inline rorm_db *rel_open(void)
{
    rorm_error err = { 0 };
    rorm_db *db = rorm_test_open();
    rorm_schema *schema = NULL;
    assert_rorm_ok(
        rorm_prisma_load_string(&schema, rel_schema, strlen(rel_schema), NULL, NULL, &err), &err);
    assert_rorm_ok(rorm_db_register(db, schema, &err), &err);
    rorm_schema_release(schema);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    rel_join_tables(db);
    return db;
}

/*
 * Users 1 Ann, 2 Bob, 3 Cid. Posts 1 "a1" (Ann, edited by Bob, 10 views, tags x y),
 * 2 "a2" (Ann, 20 views, tag y), 3 "b1" (Bob, 5 views, tag z). Comments: post 1 has c1 c2,
 * post 3 has c3. Profiles: Ann "hi", Cid "yo". Follows: Bob and Cid follow Ann, Ann follows
 * Bob (followers of Ann: rows B = 1). Categories: 1 root, 2 and 3 under 1, 4 under 2. Groups: 1 g1
 * (Ann admin, Bob user), 2 g2 (Ann user). Tenants (t, eu) and (t, us); sites 1 and 2 of (t, eu), 3
 * of (t, us).
 */
static inline void rel_seed(rorm_db *db)
{
    pc_call(
        db, "User", "createMany",
        "{\"data\": [{\"name\": \"Ann\", \"email\": \"ann@x\"},"
        " {\"name\": \"Bob\", \"email\": \"bob@x\"}, {\"name\": \"Cid\", \"email\": \"cid@x\"}]}");
    pc_call(db, "Post", "createMany",
            "{\"data\": [{\"title\": \"a1\", \"authorId\": 1, \"editorId\": 2, \"views\": 10},"
            " {\"title\": \"a2\", \"authorId\": 1, \"views\": 20},"
            " {\"title\": \"b1\", \"authorId\": 2, \"views\": 5}]}");
    pc_call(db, "Comment", "createMany",
            "{\"data\": [{\"text\": \"c1\", \"postId\": 1}, {\"text\": \"c2\", \"postId\": 1},"
            " {\"text\": \"c3\", \"postId\": 3}]}");
    pc_call(db, "Profile", "createMany",
            "{\"data\": [{\"bio\": \"hi\", \"userId\": 1}, {\"bio\": \"yo\", \"userId\": 3}]}");
    pc_call(db, "Tag", "createMany",
            "{\"data\": [{\"name\": \"x\"}, {\"name\": \"y\"}, {\"name\": \"z\"}]}");
    rel_exec(db, "INSERT INTO \"_PostToTag\" (\"A\", \"B\") VALUES (1, 1), (1, 2), (2, 2), (3, 3)");
    rel_exec(db, "INSERT INTO \"_follows\" (\"A\", \"B\") VALUES (2, 1), (3, 1), (1, 2)");
    pc_call(db, "Category", "createMany",
            "{\"data\": [{\"name\": \"root\"}, {\"name\": \"c2\", \"parentId\": 1},"
            " {\"name\": \"c3\", \"parentId\": 1}, {\"name\": \"c4\", \"parentId\": 2}]}");
    pc_call(db, "Group", "createMany", "{\"data\": [{\"name\": \"g1\"}, {\"name\": \"g2\"}]}");
    pc_call(db, "Membership", "createMany",
            "{\"data\": [{\"userId\": 1, \"groupId\": 1, \"role\": \"admin\"},"
            " {\"userId\": 2, \"groupId\": 1, \"role\": \"user\"},"
            " {\"userId\": 1, \"groupId\": 2, \"role\": \"user\"}]}");
    pc_call(db, "Tenant", "createMany",
            "{\"data\": [{\"code\": \"t\", \"region\": \"eu\", \"name\": \"T-EU\"},"
            " {\"code\": \"t\", \"region\": \"us\", \"name\": \"T-US\"}]}");
    pc_call(db, "Site", "createMany",
            "{\"data\": [{\"url\": \"s1\", \"tenantCode\": \"t\", \"tenantRegion\": \"eu\"},"
            " {\"url\": \"s2\", \"tenantCode\": \"t\", \"tenantRegion\": \"eu\"},"
            " {\"url\": \"s3\", \"tenantCode\": \"t\", \"tenantRegion\": \"us\"}]}");
}

#endif
