/*
 * create / createMany / createManyAndReturn / update / updateMany / upsert / delete /
 * deleteMany on SQLite: results honour select and omit, atomic number updates, @updatedAt,
 * type errors with Prisma-like messages, P2025-style not-found errors, constraint errors naming
 * the fields, and transactions around the calls.
 */
#include "pc_fixture.h"

#define NO_TIMES "\"omit\": {\"createdAt\": true, \"updatedAt\": true}"

static void test_pc_write__create(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_expect(db, "User", "create",
              "{\"data\": {\"email\": \"ann@x.io\", \"name\": \"Ann\", \"age\": 31}, " NO_TIMES "}",
              "{\"id\":1,\"email\":\"ann@x.io\",\"name\":\"Ann\",\"age\":31,\"score\":null,"
              "\"role\":\"USER\"}");
    pc_expect(db, "User", "create",
              "{\"data\": {\"email\": \"ben@x.io\", \"name\": \"Ben\", \"role\": \"ADMIN\"}, "
              "\"select\": {\"id\": true, \"role\": true}}",
              "{\"id\":2,\"role\":\"ADMIN\"}");
    /* Defaults and timestamps are filled. */
    const char *full =
        pc_call(db, "User", "create", "{\"data\": {\"email\": \"cy@x.io\", \"name\": \"Cy\"}}");
    assert_contains(full, "\"createdAt\":\"20");
    assert_contains(full, "\"updatedAt\":\"20");
    pc_expect(db, "Item", "create",
              "{\"data\": {\"name\": \"pen\", \"qty\": 3, \"price\": 1.25, \"total\": \"3.75\", "
              "\"big\": 9007199254740993}}",
              "{\"id\":1,\"name\":\"pen\",\"qty\":3,\"price\":1.25,\"total\":\"3.75\","
              "\"big\":9007199254740993,\"category\":null}");
    pc_expect(db, "Member", "create", "{\"data\": {\"tenantId\": \"t\", \"userId\": 1}}",
              "{\"tenantId\":\"t\",\"userId\":1,\"note\":null}");
    rorm_db_close(db);
}

static void test_pc_write__create_errors(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    assert_contains(pc_fail(db, "User", "create",
                            "{\"data\": {\"email\": \"a@x.io\", \"name\": \"A\", \"age\": \"31\"}}",
                            RORM_EINVAL),
                    "Argument `age`: expected Int, got String");
    assert_contains(pc_fail(db, "User", "create",
                            "{\"data\": {\"email\": \"a@x.io\", \"name\": \"A\", \"age\": 1.5}}",
                            RORM_EINVAL),
                    "Argument `age`: expected Int, got Float");
    assert_contains(pc_fail(db, "User", "create",
                            "{\"data\": {\"email\": \"a@x.io\", \"name\": 7}}", RORM_EINVAL),
                    "Argument `name`: expected String, got Int");
    assert_contains(pc_fail(db, "User", "create",
                            "{\"data\": {\"email\": \"a@x.io\", \"name\": null}}", RORM_EINVAL),
                    "Argument `name` must not be null");
    assert_contains(
        pc_fail(db, "User", "create", "{\"data\": {\"email\": \"a@x.io\"}}", RORM_EINVAL),
        "Argument `name` is missing");
    assert_contains(pc_fail(db, "User", "create",
                            "{\"data\": {\"emial\": \"a@x.io\", \"name\": \"A\"}}", RORM_EINVAL),
                    "did you mean `email`");
    assert_contains(
        pc_fail(db, "User", "create",
                "{\"data\": {\"email\": \"a@x.io\", \"name\": \"A\", \"age\": 3000000000}}",
                RORM_EINVAL),
        "Argument `age`: value 3000000000 is out of range");
    assert_contains(
        pc_fail(db, "User", "create",
                "{\"data\": {\"email\": \"a@x.io\", \"name\": \"A\", \"role\": \"ROOT\"}}",
                RORM_EINVAL),
        "Argument `role`");
    assert_contains(pc_fail(db, "User", "createMany",
                            "{\"data\": {\"email\": \"a@x.io\", \"name\": \"A\", \"posts\": "
                            "{\"create\": []}}}",
                            RORM_EINVAL),
                    "nested writes");
    assert_contains(pc_fail(db, "User", "create", "{}", RORM_EINVAL), "Argument `data` is missing");
    assert_contains(pc_fail(db, "User", "create", "{\"data\": [1]}", RORM_EINVAL),
                    "Argument `data`: expected an object, got List");
    assert_contains(
        pc_fail(db, "Item", "create",
                "{\"data\": {\"name\": \"x\", \"qty\": 1, \"price\": 1, \"total\": \"1.2.3\"}}",
                RORM_EINVAL),
        "not a decimal number");
    assert_string_equal(pc_call(db, "User", "count", "{}"), "0");
    rorm_db_close(db);
}

static void test_pc_write__constraint_errors(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_call(db, "User", "create", "{\"data\": {\"email\": \"a@x.io\", \"name\": \"A\"}}");
    rorm_error err = { 0 };
    char *json = NULL;
    int rc = rorm_db_call_json(&json, db, "User", "create",
                               "{\"data\": {\"email\": \"a@x.io\", \"name\": \"B\"}}", &err);
    assert_int_equal(rc, RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_UNIQUE);
    assert_contains(err.message, "Unique constraint failed on the fields: (`email`)");
    assert_string_equal(rorm_error_prisma_code(&err), "P2002");
    pc_call(db, "Account", "create", "{\"data\": {\"email\": \"a@x.io\", \"tenantId\": \"t\"}}");
    assert_contains(pc_fail(db, "Account", "create",
                            "{\"data\": {\"email\": \"a@x.io\", \"tenantId\": \"t\"}}",
                            RORM_ECONSTRAINT),
                    "(`email`,`tenantId`)");
    pc_call(db, "Member", "create", "{\"data\": {\"tenantId\": \"t\", \"userId\": 1}}");
    assert_contains(pc_fail(db, "Member", "create",
                            "{\"data\": {\"tenantId\": \"t\", \"userId\": 1}}", RORM_ECONSTRAINT),
                    "(`tenantId`,`userId`)");
    memset(&err, 0, sizeof err);
    rc = rorm_db_call_json(&json, db, "Post", "create",
                           "{\"data\": {\"title\": \"t\", \"authorId\": 99}}", &err);
    assert_int_equal(rc, RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_FOREIGN_KEY);
    assert_contains(err.message, "Foreign key constraint violated on the fields: (`authorId`)");
    assert_string_equal(rorm_error_prisma_code(&err), "P2003");
    memset(&err, 0, sizeof err);
    assert_int_equal(
        rorm_db_call_json(&json, db, "User", "delete", "{\"where\": {\"id\": 99}}", &err),
        RORM_ENOTFOUND);
    assert_string_equal(rorm_error_prisma_code(&err), "P2025");
    memset(&err, 0, sizeof err);
    assert_int_equal(rorm_db_call_json(&json, db, "User", "findMany", "{\"take\": \"x\"}", &err),
                     RORM_EINVAL);
    assert_null(rorm_error_prisma_code(&err));
    assert_null(rorm_error_prisma_code(NULL));
    /* Update into a duplicate. */
    pc_call(db, "User", "create", "{\"data\": {\"email\": \"b@x.io\", \"name\": \"B\"}}");
    assert_contains(
        pc_fail(db, "User", "update",
                "{\"where\": {\"email\": \"b@x.io\"}, \"data\": {\"email\": \"a@x.io\"}}",
                RORM_ECONSTRAINT),
        "(`email`)");
    pc_expect(db, "User", "findUnique",
              "{\"where\": {\"email\": \"b@x.io\"}, \"select\": {\"name\": true}}",
              "{\"name\":\"B\"}");
    rorm_db_close(db);
}

static void test_pc_write__create_many(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_expect(
        db, "User", "createMany",
        "{\"data\": [{\"email\": \"a@x.io\", \"name\": \"A\"}, {\"email\": \"b@x.io\", \"name\": \"B\", \"age\": 2}]}",
        "{\"count\":2}");
    pc_expect(db, "User", "createMany", "{\"data\": {\"email\": \"c@x.io\", \"name\": \"C\"}}",
              "{\"count\":1}");
    pc_expect(db, "User", "createMany", "{\"data\": []}", "{\"count\":0}");
    /* All or nothing. */
    pc_fail(
        db, "User", "createMany",
        "{\"data\": [{\"email\": \"d@x.io\", \"name\": \"D\"}, {\"email\": \"a@x.io\", \"name\": \"A\"}]}",
        RORM_ECONSTRAINT);
    assert_string_equal(pc_call(db, "User", "count", "{}"), "3");
    pc_expect(
        db, "User", "createMany",
        "{\"data\": [{\"email\": \"d@x.io\", \"name\": \"D\"}, {\"email\": \"a@x.io\", \"name\": \"A\"},"
        " {\"email\": \"e@x.io\", \"name\": \"E\"}], \"skipDuplicates\": true}",
        "{\"count\":2}");
    assert_string_equal(pc_call(db, "User", "count", "{}"), "5");
    pc_expect(
        db, "User", "createManyAndReturn",
        "{\"data\": [{\"email\": \"f@x.io\", \"name\": \"F\"}, {\"email\": \"a@x.io\", \"name\": \"A\"},"
        " {\"email\": \"g@x.io\", \"name\": \"G\"}], \"skipDuplicates\": true, \"select\": {\"name\": true}}",
        "[{\"name\":\"F\"},{\"name\":\"G\"}]");
    assert_contains(
        pc_fail(db, "User", "createMany",
                "{\"data\": [{\"email\": \"h@x.io\", \"name\": \"H\"}, {\"email\": \"i@x.io\"}]}",
                RORM_EINVAL),
        "Argument `name` is missing");
    assert_contains(pc_fail(db, "User", "createMany", "{\"data\": [], \"skipDuplicates\": \"yes\"}",
                            RORM_EINVAL),
                    "Argument `skipDuplicates`: expected Boolean, got String");
    assert_contains(
        pc_fail(db, "User", "createMany", "{\"data\": [], \"select\": {}}", RORM_EINVAL),
        "Unknown argument `select`");
    rorm_db_close(db);
}

static void test_pc_write__update(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    pc_expect(
        db, "User", "update",
        "{\"where\": {\"email\": \"bob@x.io\"}, \"data\": {\"name\": \"Robert\", \"age\": null}, "
        "\"select\": {\"id\": true, \"name\": true, \"age\": true}}",
        "{\"id\":4,\"name\":\"Robert\",\"age\":null}");
    /* The unique key itself may change; the record is read back by its new key. */
    pc_expect(
        db, "User", "update",
        "{\"where\": {\"id\": 4}, \"data\": {\"id\": 40}, \"select\": {\"id\": true, \"name\": true}}",
        "{\"id\":40,\"name\":\"Robert\"}");
    pc_expect(
        db, "User", "update",
        "{\"where\": {\"email\": \"alice@x.io\"}, \"data\": {\"email\": \"al@x.io\"}, \"select\": {\"email\": true}}",
        "{\"email\":\"al@x.io\"}");
    assert_contains(pc_fail(db, "User", "update",
                            "{\"where\": {\"id\": 99}, \"data\": {\"name\": \"X\"}}",
                            RORM_ENOTFOUND),
                    "Record to update not found");
    /* A unique where with an extra condition that does not hold. */
    pc_fail(db, "User", "update",
            "{\"where\": {\"id\": 1, \"age\": 99}, \"data\": {\"name\": \"X\"}}", RORM_ENOTFOUND);
    assert_contains(pc_fail(db, "User", "update",
                            "{\"where\": {\"id\": 1}, \"data\": {\"age\": \"x\"}}", RORM_EINVAL),
                    "Argument `age`: expected Int, got String");
    assert_contains(
        pc_fail(db, "User", "update", "{\"where\": {\"age\": 1}, \"data\": {}}", RORM_EINVAL),
        "needs at least one unique argument");
    assert_contains(pc_fail(db, "User", "update", "{\"where\": {\"id\": 1}}", RORM_EINVAL),
                    "Argument `data` is missing");
    /* Empty data: the record as it is. */
    pc_expect(db, "User", "update",
              "{\"where\": {\"id\": 1}, \"data\": {}, \"select\": {\"name\": true}}",
              "{\"name\":\"Eve\"}");
    rorm_db_close(db);
}

static void test_pc_write__updated_at(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_call(db, "User", "create", "{\"data\": {\"email\": \"a@x.io\", \"name\": \"A\"}}");
    pc_call(db, "User", "updateMany", "{\"data\": {\"updatedAt\": \"2001-02-03T04:05:06.000Z\"}}");
    pc_expect(db, "User", "findFirst", "{\"select\": {\"updatedAt\": true}}",
              "{\"updatedAt\":\"2001-02-03T04:05:06.000Z\"}");
    pc_call(db, "User", "update", "{\"where\": {\"id\": 1}, \"data\": {\"name\": \"B\"}}");
    assert_string_equal(
        pc_ids(db, "User", "{\"where\": {\"updatedAt\": {\"gt\": \"2020-01-01\"}}}"), "1");
    rorm_db_close(db);
}

static void test_pc_write__atomic_numbers(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_call(
        db, "Item", "createMany",
        "{\"data\": [{\"name\": \"a\", \"qty\": 10, \"price\": 2.5, \"total\": \"1.5\", \"big\": 5},"
        " {\"name\": \"b\", \"qty\": 3, \"price\": 4}]}");
    pc_expect(
        db, "Item", "update",
        "{\"where\": {\"id\": 1}, \"data\": {\"qty\": {\"increment\": 5}, \"price\": {\"multiply\": 2},"
        " \"big\": {\"decrement\": 7}}, \"select\": {\"qty\": true, \"price\": true, \"big\": true}}",
        "{\"qty\":15,\"price\":5,\"big\":-2}");
    pc_expect(
        db, "Item", "update",
        "{\"where\": {\"id\": 1}, \"data\": {\"qty\": {\"divide\": 2}, \"price\": {\"set\": 1.5},"
        " \"name\": {\"set\": \"A\"}}, \"select\": {\"qty\": true, \"price\": true, \"name\": true}}",
        "{\"name\":\"A\",\"qty\":7,\"price\":1.5}");
    pc_expect(db, "Item", "updateMany",
              "{\"where\": {\"qty\": {\"lt\": 100}}, \"data\": {\"qty\": {\"multiply\": 10}}}",
              "{\"count\":2}");
    assert_string_equal(
        pc_ids(db, "Item",
               "{\"where\": {\"qty\": {\"in\": [70, 30]}}, \"orderBy\": {\"id\": \"asc\"}}"),
        "1,2");
    pc_expect(
        db, "Item", "update",
        "{\"where\": {\"id\": 1}, \"data\": {\"price\": {\"divide\": 4}}, \"select\": {\"price\": true}}",
        "{\"price\":0.375}");
    assert_contains(pc_fail(db, "Item", "update",
                            "{\"where\": {\"id\": 1}, \"data\": {\"name\": {\"increment\": 1}}}",
                            RORM_EINVAL),
                    "only valid for number fields");
    assert_contains(pc_fail(db, "Item", "update",
                            "{\"where\": {\"id\": 1}, \"data\": {\"qty\": {\"divide\": 0}}}",
                            RORM_EINVAL),
                    "division by zero");
    assert_contains(pc_fail(db, "Item", "update",
                            "{\"where\": {\"id\": 1}, \"data\": {\"qty\": {\"incremnt\": 1}}}",
                            RORM_EINVAL),
                    "did you mean `increment`");
    assert_contains(pc_fail(db, "Item", "update",
                            "{\"where\": {\"id\": 1}, \"data\": {\"qty\": {\"increment\": \"1\"}}}",
                            RORM_EINVAL),
                    "Argument `qty`: expected Int, got String");
    assert_contains(
        pc_fail(db, "Item", "update",
                "{\"where\": {\"id\": 1}, \"data\": {\"qty\": {\"increment\": 1, \"set\": 2}}}",
                RORM_EINVAL),
        "exactly one of");
    rorm_db_close(db);
}

static void test_pc_write__update_many_and_delete_many(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    pc_expect(db, "User", "updateMany",
              "{\"where\": {\"age\": {\"gte\": 30}}, \"data\": {\"role\": \"ADMIN\"}}",
              "{\"count\":3}");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"role\": \"ADMIN\"}}"), "3,4,5");
    pc_expect(db, "User", "updateMany", "{\"where\": {\"age\": 99}, \"data\": {\"name\": \"x\"}}",
              "{\"count\":0}");
    pc_expect(db, "User", "updateMany", "{\"where\": {\"age\": 10}, \"data\": {}}",
              "{\"count\":1}");
    pc_expect(db, "User", "deleteMany", "{\"where\": {\"name\": {\"in\": [\"Eve\", \"Zed\"]}}}",
              "{\"count\":2}");
    assert_string_equal(pc_ids(db, "User", "{}"), "2,3,4,5");
    pc_expect(db, "User", "deleteMany", "{}", "{\"count\":4}");
    pc_expect(db, "User", "deleteMany", "{\"where\": {}}", "{\"count\":0}");
    rorm_db_close(db);
}

static void test_pc_write__upsert(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    const char *args =
        "{\"where\": {\"email\": \"a@x.io\"}, \"create\": {\"email\": \"a@x.io\", \"name\": \"New\"},"
        " \"update\": {\"age\": {\"increment\": 1}}, \"select\": {\"id\": true, \"name\": true, \"age\": true}}";
    pc_expect(db, "User", "upsert", args, "{\"id\":1,\"name\":\"New\",\"age\":null}");
    pc_call(db, "User", "update", "{\"where\": {\"id\": 1}, \"data\": {\"age\": 5}}");
    pc_expect(db, "User", "upsert", args, "{\"id\":1,\"name\":\"New\",\"age\":6}");
    pc_expect(db, "Account", "upsert",
              "{\"where\": {\"email_tenantId\": {\"email\": \"a@x.io\", \"tenantId\": \"t\"}},"
              " \"create\": {\"email\": \"a@x.io\", \"tenantId\": \"t\", \"label\": \"c\"},"
              " \"update\": {\"label\": \"u\"}}",
              "{\"id\":1,\"email\":\"a@x.io\",\"tenantId\":\"t\",\"label\":\"c\"}");
    pc_expect(db, "Account", "upsert",
              "{\"where\": {\"email_tenantId\": {\"email\": \"a@x.io\", \"tenantId\": \"t\"}},"
              " \"create\": {\"email\": \"a@x.io\", \"tenantId\": \"t\", \"label\": \"c\"},"
              " \"update\": {\"label\": \"u\"}}",
              "{\"id\":1,\"email\":\"a@x.io\",\"tenantId\":\"t\",\"label\":\"u\"}");
    assert_contains(
        pc_fail(
            db, "User", "upsert",
            "{\"where\": {\"email\": \"b@x.io\"}, \"create\": {\"email\": \"b@x.io\"}, \"update\": {}}",
            RORM_EINVAL),
        "Argument `name` is missing");
    assert_contains(pc_fail(db, "User", "upsert",
                            "{\"where\": {\"email\": \"b@x.io\"}, \"update\": {}}", RORM_EINVAL),
                    "Argument `create` is missing");
    assert_string_equal(pc_call(db, "User", "count", "{}"), "1");
    rorm_db_close(db);
}

/* Run @p args as an upsert on a transaction; return the statements it ran. */
static uint64_t upsert_statements(rorm_db *db, const char *model, const char *args)
{
    char *json = NULL;
    uint64_t ran = pc_statements(db, model, "upsert", args, &json);
    rorm_free(json);
    return ran;
}

/*
 * An upsert whose where is one unique criterion that the create data repeats is a database
 * upsert (Prisma's rule): one INSERT ... ON CONFLICT ... RETURNING on SQLite and PostgreSQL, an
 * INSERT ... ON DUPLICATE KEY UPDATE and a read on MySQL. Otherwise it reads first.
 */
static void test_pc_write__database_upsert(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    const unsigned need = RORM_CAP_UPSERT_ON_CONFLICT | RORM_CAP_RETURNING;
    bool native = (db->dialect->caps & need) == need;
    const char *by_email =
        "{\"where\": {\"email\": \"u@x.io\"}, \"create\": {\"email\": \"u@x.io\", \"name\": \"U\"},"
        " \"update\": {\"age\": {\"increment\": 2}}}";
    uint64_t created = upsert_statements(db, "User", by_email);
    uint64_t updated = upsert_statements(db, "User", by_email);
    /* One statement, or on MySQL the INSERT ... ON DUPLICATE KEY UPDATE and the read back. */
    uint64_t single = native ? 1 : 2;
    assert_true(native || (db->dialect->caps & RORM_CAP_UPSERT_ON_DUPLICATE));
    assert_int_equal(created, single);
    assert_int_equal(updated, single);
    pc_expect(db, "User", "findUnique",
              "{\"where\": {\"email\": \"u@x.io\"}, \"select\": {\"name\": true, \"age\": true}}",
              "{\"name\":\"U\",\"age\":null}");
    /* An empty update returns the record as it is (with @updatedAt stamped). */
    pc_expect(db, "User", "upsert",
              "{\"where\": {\"email\": \"u@x.io\"}, \"create\": {\"email\": \"u@x.io\", "
              "\"name\": \"V\"}, \"update\": {}, \"select\": {\"name\": true}}",
              "{\"name\":\"U\"}");
    /* The create data does not repeat the where: the general form, same results. */
    const char *by_id =
        "{\"where\": {\"id\": 50}, \"create\": {\"email\": \"w@x.io\", \"name\": \"W\"},"
        " \"update\": {\"name\": \"W2\"}, \"select\": {\"email\": true, \"name\": true}}";
    assert_true(upsert_statements(db, "User", by_id) > single);
    pc_expect(db, "User", "count", "{}", "2");
    /* A compound key with the same values in create. On MySQL the insert could also collide on
       the other unique key (tenantId, label): ON DUPLICATE KEY would update that record, so the
       general form runs. */
    const char *compound =
        "{\"where\": {\"email_tenantId\": {\"email\": \"a@x.io\", \"tenantId\": \"t\"}},"
        " \"create\": {\"email\": \"a@x.io\", \"tenantId\": \"t\", \"label\": \"c\"},"
        " \"update\": {\"label\": \"u\"}}";
    for (int i = 0; i < 2; i++) {
        uint64_t ran = upsert_statements(db, "Account", compound);
        if (native) {
            assert_int_equal(ran, 1);
        } else {
            assert_true(ran > single);
        }
    }
    pc_expect(db, "Account", "findMany", "{\"select\": {\"label\": true}}", "[{\"label\":\"u\"}]");
    /* A conflict on another unique field is still a unique-constraint error (P2002). */
    pc_call(db, "User", "create", "{\"data\": {\"email\": \"taken@x.io\", \"name\": \"T\"}}");
    rorm_error err = { 0 };
    char *json = NULL;
    int rc = rorm_db_call_json(
        &json, db, "User", "upsert",
        "{\"where\": {\"email\": \"u@x.io\"}, \"create\": {\"email\": \"u@x.io\", \"name\": \"U\"},"
        " \"update\": {\"email\": \"taken@x.io\"}}",
        &err);
    assert_int_equal(rc, RORM_ECONSTRAINT);
    assert_string_equal(rorm_error_prisma_code(&err), "P2002");
    assert_null(json);
    rorm_db_close(db);
}

/* updateManyAndReturn (Prisma 6.2): the records updated, with select / omit / include. */
static void test_pc_write__update_many_and_return(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_call(db, "User", "createMany",
            "{\"data\": [{\"email\": \"a@x.io\", \"name\": \"A\", \"age\": 1},"
            " {\"email\": \"b@x.io\", \"name\": \"B\", \"age\": 2},"
            " {\"email\": \"c@x.io\", \"name\": \"C\", \"age\": 3}]}");
    const char *json = pc_call(db, "User", "updateManyAndReturn",
                               "{\"where\": {\"age\": {\"gte\": 2}}, \"data\": {\"age\": "
                               "{\"increment\": 10}, \"name\": \"Old\"},"
                               " \"select\": {\"email\": true, \"age\": true}}");
    /* Rows come back in the database's order: check both, whichever comes first. */
    assert_true(strcmp(json, "[{\"email\":\"b@x.io\",\"age\":12},{\"email\":\"c@x.io\","
                             "\"age\":13}]") == 0 ||
                strcmp(json, "[{\"email\":\"c@x.io\",\"age\":13},{\"email\":\"b@x.io\","
                             "\"age\":12}]") == 0);
    pc_expect(db, "User", "count", "{\"where\": {\"name\": \"Old\"}}", "2");
    pc_expect(db, "User", "updateManyAndReturn",
              "{\"where\": {\"age\": 99}, \"data\": {\"name\": \"x\"}}", "[]");
    pc_expect(db, "User", "updateManyAndReturn",
              "{\"where\": {\"email\": \"a@x.io\"}, \"data\": {\"role\": \"ADMIN\"}, " NO_TIMES
              ", \"omit\": {\"createdAt\": true, \"updatedAt\": true, \"score\": true}}",
              "[{\"id\":1,\"email\":\"a@x.io\",\"name\":\"A\",\"age\":1,\"role\":\"ADMIN\"}]");
    /* A unique violation leaves every row as it was. */
    pc_fail(db, "User", "updateManyAndReturn",
            "{\"where\": {}, \"data\": {\"email\": \"same@x.io\"}}", RORM_ECONSTRAINT);
    pc_expect(db, "User", "count", "{\"where\": {\"email\": \"same@x.io\"}}", "0");
    assert_contains(pc_fail(db, "User", "updateManyAndReturn", "{\"where\": {}}", RORM_EINVAL),
                    "Argument `data` is missing");
    rorm_db_close(db);
}

static void test_pc_write__delete(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    pc_expect(db, "User", "delete",
              "{\"where\": {\"email\": \"bob@x.io\"}, \"select\": {\"id\": true, \"name\": true}}",
              "{\"id\":4,\"name\":\"Bob\"}");
    assert_contains(pc_fail(db, "User", "delete", "{\"where\": {\"id\": 4}}", RORM_ENOTFOUND),
                    "Record to delete not found");
    assert_contains(pc_fail(db, "User", "delete", "{\"where\": {\"id\": 1, \"name\": \"Bob\"}}",
                            RORM_ENOTFOUND),
                    "(User.delete)");
    assert_string_equal(pc_call(db, "User", "count", "{}"), "5");
    pc_expect(db, "Member", "create", "{\"data\": {\"tenantId\": \"t\", \"userId\": 1}}",
              "{\"tenantId\":\"t\",\"userId\":1,\"note\":null}");
    pc_expect(
        db, "Member", "delete",
        "{\"where\": {\"tenantId_userId\": {\"tenantId\": \"t\", \"userId\": 1}}, \"select\": {\"userId\": true}}",
        "{\"userId\":1}");
    rorm_db_close(db);
}

static void test_pc_write__in_a_transaction(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    rorm_error err = { 0 };
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    pc_call(tx, "User", "create", "{\"data\": {\"email\": \"a@x.io\", \"name\": \"A\"}}");
    pc_call(tx, "User", "update", "{\"where\": {\"id\": 1}, \"data\": {\"age\": 3}}");
    pc_call(tx, "User", "createMany",
            "{\"data\": [{\"email\": \"b@x.io\", \"name\": \"B\"}], \"skipDuplicates\": true}");
    pc_fail(tx, "User", "update", "{\"where\": {\"id\": 9}, \"data\": {\"age\": 3}}",
            RORM_ENOTFOUND);
    assert_string_equal(pc_call(tx, "User", "count", "{}"), "2");
    assert_rorm_ok(rorm_db_rollback(tx, &err), &err);
    assert_string_equal(pc_call(db, "User", "count", "{}"), "0");
    rorm_db_close(db);
}

/*
 * update inside a transaction: on SQLite an update by key runs as the UPDATE and a read back
 * (two statements, no savepoint); the results and errors are those of the other paths.
 */
static void test_pc_write__update_in_a_transaction(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    rorm_error err = { 0 };
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    pc_expect(tx, "User", "update",
              "{\"where\": {\"id\": 2}, \"data\": {\"name\": \"Dan\", \"age\": 21}, "
              "\"select\": {\"id\": true, \"email\": true, \"name\": true, \"age\": true}}",
              "{\"id\":2,\"email\":\"dave@x.io\",\"name\":\"Dan\",\"age\":21}");
    /* The same shape with other values (the statement text is cached by shape). */
    pc_expect(tx, "User", "update",
              "{\"where\": {\"id\": 3}, \"data\": {\"name\": \"Cara\", \"age\": 31}, "
              "\"select\": {\"id\": true, \"email\": true, \"name\": true, \"age\": true}}",
              "{\"id\":3,\"email\":\"carol@x.io\",\"name\":\"Cara\",\"age\":31}");
    /* The where names a field the data changes: the record is read back by its key. */
    pc_expect(tx, "User", "update",
              "{\"where\": {\"id\": 1, \"name\": \"Eve\"}, \"data\": {\"name\": \"Eva\"}, "
              "\"select\": {\"id\": true, \"name\": true}}",
              "{\"id\":1,\"name\":\"Eva\"}");
    /* An extra condition that does not hold, a missing key: P2025. */
    assert_contains(pc_fail(tx, "User", "update",
                            "{\"where\": {\"id\": 1, \"name\": \"Eve\"}, \"data\": {\"age\": 1}}",
                            RORM_ENOTFOUND),
                    "Record to update not found");
    assert_string_equal(rorm_error_prisma_code(&(rorm_error){ .code = RORM_ENOTFOUND }), "P2025");
    pc_fail(tx, "User", "update", "{\"where\": {\"id\": 99}, \"data\": {\"age\": 1}}",
            RORM_ENOTFOUND);
    /* A unique violation fails the call and changes nothing; the transaction goes on (on
       PostgreSQL a failed statement ends it, as with Prisma there). */
    if (db->dialect->db_type != RORM_DB_POSTGRES) {
        const char *msg = pc_fail(tx, "User", "update",
                                  "{\"where\": {\"id\": 4}, \"data\": {\"email\": \"eve@x.io\", "
                                  "\"name\": \"Changed\"}}",
                                  RORM_ECONSTRAINT);
        assert_contains(msg, "Unique constraint failed on the fields: (`email`)");
        pc_expect(tx, "User", "findUnique",
                  "{\"where\": {\"id\": 4}, \"select\": {\"email\": true, \"name\": true}}",
                  "{\"email\":\"bob@x.io\",\"name\":\"Bob\"}");
    }
    /* Empty data, a key by another unique field, a key that changes, atomic numbers. */
    pc_expect(tx, "User", "update",
              "{\"where\": {\"id\": 5}, \"data\": {}, \"select\": {\"name\": true}}",
              "{\"name\":\"Alice\"}");
    pc_expect(tx, "User", "update",
              "{\"where\": {\"email\": \"bob@x.io\"}, \"data\": {\"age\": {\"increment\": 2}}, "
              "\"select\": {\"id\": true, \"age\": true}}",
              "{\"id\":4,\"age\":42}");
    pc_expect(tx, "User", "update",
              "{\"where\": {\"id\": 4}, \"data\": {\"id\": 40}, \"select\": {\"id\": true}}",
              "{\"id\":40}");
    /* A composite primary key. */
    pc_call(tx, "Member", "create", "{\"data\": {\"tenantId\": \"t\", \"userId\": 1}}");
    pc_expect(tx, "Member", "update",
              "{\"where\": {\"tenantId_userId\": {\"tenantId\": \"t\", \"userId\": 1}}, "
              "\"data\": {\"note\": \"n\"}}",
              "{\"tenantId\":\"t\",\"userId\":1,\"note\":\"n\"}");
    pc_fail(tx, "Member", "update",
            "{\"where\": {\"tenantId_userId\": {\"tenantId\": \"t\", \"userId\": 2}}, "
            "\"data\": {\"note\": \"n\"}}",
            RORM_ENOTFOUND);
    assert_rorm_ok(rorm_db_commit(tx, &err), &err);
    pc_expect(
        db, "User", "findMany",
        "{\"where\": {\"id\": {\"lte\": 3}}, \"select\": {\"name\": true, \"age\": true}, \"orderBy\": {\"id\": \"asc\"}}",
        "[{\"name\":\"Eva\",\"age\":10},{\"name\":\"Dan\",\"age\":21},"
        "{\"name\":\"Cara\",\"age\":31}]");
    /* On SQLite: two statements, the UPDATE and the read back. */
    char *json = NULL;
    uint64_t ran = pc_statements(db, "User", "update",
                                 "{\"where\": {\"id\": 1}, \"data\": {\"age\": 11}, "
                                 "\"select\": {\"age\": true}}",
                                 &json);
    assert_string_equal(json, "{\"age\":11}");
    rorm_free(json);
    if (db->dialect->db_type == RORM_DB_SQLITE) {
        assert_int_equal(ran, 2);
    }
    rorm_db_close(db);
}

static void test_pc_write__value_api(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    rorm_error err = { 0 };
    rorm_member data[] = { { "email", RORM_TEXT("v@x.io") },
                           { "name", RORM_TEXT("Val") },
                           { "age", RORM_INT(7) } };
    rorm_member sel[] = { { "id", RORM_BOOL(true) }, { "age", RORM_BOOL(true) } };
    rorm_member args[] = { { "data", RORM_OBJECT(data) }, { "select", RORM_OBJECT(sel) } };
    rorm_value out;
    assert_rorm_ok(rorm_db_call(&out, db, "User", "create", &RORM_OBJECT(args), &err), &err);
    assert_int_equal(out.type, RORM_TYPE_OBJECT);
    assert_int_equal(rorm_value_as_int(rorm_value_object_get(&out, "id"), 0), 1);
    assert_int_equal(rorm_value_as_int(rorm_value_object_get(&out, "age"), 0), 7);
    assert_null(rorm_value_object_get(&out, "name"));
    rorm_value_dispose(&out);
    /* NULL args are an empty object; results are owned values. */
    assert_rorm_ok(rorm_db_call(&out, db, "User", "findMany", NULL, &err), &err);
    assert_int_equal(out.type, RORM_TYPE_ARRAY);
    assert_int_equal(rorm_value_len(&out), 1);
    rorm_value_dispose(&out);
    assert_rorm_ok(rorm_db_call(&out, db, "User", "count", NULL, &err), &err);
    assert_int_equal(rorm_value_as_int(&out, -1), 1);
    assert_int_equal(rorm_db_call(NULL, db, "User", "count", NULL, &err), RORM_EINVAL);
    assert_int_equal(rorm_db_call(&out, NULL, "User", "count", NULL, &err), RORM_EINVAL);
    assert_int_equal(out.type, RORM_TYPE_NULL);
    assert_int_equal(rorm_db_call(&out, db, NULL, "count", NULL, &err), RORM_EINVAL);
    assert_int_equal(rorm_db_call(&out, db, "User", NULL, NULL, &err), RORM_EINVAL);
    char *json = NULL;
    assert_rorm_ok(rorm_db_call_json(&json, db, "User", "count", NULL, &err), &err);
    assert_string_equal(json, "1");
    rorm_free(json);
    rorm_db_close(db);
}

static void test_pc_write__types(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    rorm_error err = { 0 };
    /* Json, Bytes and DateTime through the value API; the id is a generated uuid. */
    rorm_member data[] = { { "meta", RORM_JSON("{\"k\":[1,2]}") },
                           { "blob", RORM_BYTES("\x00\x01\xff", 3) },
                           { "at", RORM_DATETIME(1700000000123) } };
    rorm_member args[] = { { "data", RORM_OBJECT(data) } };
    rorm_value doc;
    assert_rorm_ok(rorm_db_call(&doc, db, "Doc", "create", &RORM_OBJECT(args), &err), &err);
    const rorm_value *id = rorm_value_object_get(&doc, "id");
    assert_non_null(id);
    assert_int_equal(id->type, RORM_TYPE_TEXT);
    assert_int_equal(id->u.s.len, 36);
    const rorm_value *blob = rorm_value_object_get(&doc, "blob");
    assert_int_equal(blob->type, RORM_TYPE_BYTES);
    assert_int_equal(blob->u.bytes.len, 3);
    assert_memory_equal(blob->u.bytes.ptr, "\x00\x01\xff", 3);
    assert_int_equal(rorm_value_object_get(&doc, "at")->type, RORM_TYPE_DATETIME);
    assert_int_equal(rorm_value_object_get(&doc, "at")->u.ms, 1700000000123);
    assert_int_equal(rorm_value_object_get(&doc, "meta")->type, RORM_TYPE_JSON);
    /* The same record found by its id, dates compared as dates. */
    rorm_member where[] = { { "id", *id }, { "at", RORM_DATETIME(1700000000123) } };
    rorm_member sel[] = { { "blob", RORM_BOOL(true) }, { "at", RORM_BOOL(true) } };
    rorm_member fargs[] = { { "where", RORM_OBJECT(where) }, { "select", RORM_OBJECT(sel) } };
    char *json = NULL;
    rorm_value found;
    assert_rorm_ok(rorm_db_call(&found, db, "Doc", "findUnique", &RORM_OBJECT(fargs), &err), &err);
    assert_rorm_ok(rorm_value_to_json(&json, NULL, &found), &err);
    assert_string_equal(json, "{\"blob\":\"AAH/\",\"at\":\"2023-11-14T22:13:20.123Z\"}");
    rorm_free(json);
    rorm_value_dispose(&found);
    rorm_value_dispose(&doc);
    /* Json from JSON arguments: any value is stored as its JSON text. */
    const char *out =
        pc_call(db, "Doc", "create",
                "{\"data\": {\"meta\": {\"a\": [true, null]}, \"at\": \"2024-02-29T12:00:00Z\"},"
                " \"select\": {\"at\": true, \"blob\": true}}");
    assert_string_equal(out, "{\"blob\":null,\"at\":\"2024-02-29T12:00:00.000Z\"}");
    assert_string_equal(
        pc_call(db, "Doc", "count", "{\"where\": {\"at\": {\"lt\": \"2024-01-01\"}}}"), "1");
    assert_string_equal(pc_call(db, "Doc", "count", "{\"where\": {\"meta\": {\"not\": null}}}"),
                        "2");
    assert_contains(pc_fail(db, "Doc", "create", "{\"data\": {\"blob\": \"AAE=\"}}", RORM_EINVAL),
                    "Argument `blob`: expected Bytes, got String");
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_write__create),
        cmocka_unit_test(test_pc_write__create_errors),
        cmocka_unit_test(test_pc_write__constraint_errors),
        cmocka_unit_test(test_pc_write__create_many),
        cmocka_unit_test(test_pc_write__update),
        cmocka_unit_test(test_pc_write__updated_at),
        cmocka_unit_test(test_pc_write__atomic_numbers),
        cmocka_unit_test(test_pc_write__update_many_and_delete_many),
        cmocka_unit_test(test_pc_write__upsert),
        cmocka_unit_test(test_pc_write__database_upsert),
        cmocka_unit_test(test_pc_write__update_many_and_return),
        cmocka_unit_test(test_pc_write__delete),
        cmocka_unit_test(test_pc_write__in_a_transaction),
        cmocka_unit_test(test_pc_write__update_in_a_transaction),
        cmocka_unit_test(test_pc_write__value_api),
        cmocka_unit_test(test_pc_write__types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
