/*
 * Nested writes in create, update and upsert for every relation kind: create, createMany,
 * connect, connectOrCreate, disconnect, set, update, updateMany, upsert, delete, deleteMany;
 * all-or-nothing when a step fails; the result honours select and include.
 */
#include "rel_fixture.h"

static void test_pc_nested__create(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    /* 1-n create and createMany, 1-1 create, m-n create and connect, two levels deep. */
    pc_expect(
        db, "User", "create",
        "{\"data\": {\"name\": \"Dee\", \"email\": \"dee@x\","
        " \"profile\": {\"create\": {\"bio\": \"new\"}},"
        " \"posts\": {\"create\": [{\"title\": \"d1\", \"tags\": {\"connect\": [{\"name\": \"x\"}],"
        " \"create\": {\"name\": \"w\"}}, \"comments\": {\"createMany\": {\"data\": [{\"text\": \"k1\"},"
        " {\"text\": \"k2\"}]}}}]},"
        " \"following\": {\"connect\": [{\"id\": 1}, {\"email\": \"bob@x\"}]}},"
        " \"select\": {\"id\": true, \"profile\": {\"select\": {\"bio\": true}},"
        " \"posts\": {\"select\": {\"title\": true, \"tags\": {\"select\": {\"name\": true}},"
        " \"_count\": true}}, \"following\": {\"select\": {\"id\": true}}}}",
        "{\"id\":4,\"profile\":{\"bio\":\"new\"},\"posts\":[{\"title\":\"d1\",\"tags\":"
        "[{\"name\":\"x\"},{\"name\":\"w\"}],\"_count\":{\"tags\":2,\"comments\":2}}],"
        "\"following\":[{\"id\":1},{\"id\":2}]}");
    /* n-1 connect / create / connectOrCreate from the side holding the key. */
    pc_expect(db, "Post", "create",
              "{\"data\": {\"title\": \"e1\", \"author\": {\"connect\": {\"email\": \"cid@x\"}},"
              " \"editor\": {\"create\": {\"name\": \"Eve\", \"email\": \"eve@x\"}}},"
              " \"select\": {\"title\": true, \"author\": {\"select\": {\"name\": true}},"
              " \"editor\": {\"select\": {\"name\": true}}}}",
              "{\"title\":\"e1\",\"author\":{\"name\":\"Cid\"},\"editor\":{\"name\":\"Eve\"}}");
    pc_expect(db, "Post", "create",
              "{\"data\": {\"title\": \"e2\", \"author\": {\"connectOrCreate\": {\"where\":"
              " {\"email\": \"fay@x\"}, \"create\": {\"name\": \"Fay\", \"email\": \"fay@x\"}}}},"
              " \"include\": {\"author\": true}}",
              "{\"id\":6,\"title\":\"e2\",\"views\":0,\"authorId\":6,\"editorId\":null,"
              "\"author\":{\"id\":6,\"name\":\"Fay\",\"email\":\"fay@x\"}}");
    /* Explicit m-n through the join model; composite foreign key. */
    pc_expect(
        db, "Group", "create",
        "{\"data\": {\"name\": \"g3\", \"memberships\": {\"create\": [{\"role\": \"owner\","
        " \"user\": {\"connect\": {\"id\": 3}}}]}},"
        " \"select\": {\"name\": true, \"memberships\": {\"select\": {\"userId\": true, \"role\": true}}}}",
        "{\"name\":\"g3\",\"memberships\":[{\"userId\":3,\"role\":\"owner\"}]}");
    pc_expect(
        db, "Site", "create",
        "{\"data\": {\"url\": \"s4\", \"tenant\": {\"connectOrCreate\": {\"where\": {\"code_region\":"
        " {\"code\": \"t\", \"region\": \"ap\"}}, \"create\": {\"code\": \"t\", \"region\": \"ap\","
        " \"name\": \"T-AP\"}}}}, \"select\": {\"url\": true, \"tenant\": {\"select\": {\"name\": true}}}}",
        "{\"url\":\"s4\",\"tenant\":{\"name\":\"T-AP\"}}");
    /* Self 1-n: a subtree in one call. */
    pc_expect(
        db, "Category", "create",
        "{\"data\": {\"name\": \"top\", \"children\": {\"create\": [{\"name\": \"k1\", \"children\":"
        " {\"create\": {\"name\": \"kk\"}}}, {\"name\": \"k2\"}]}},"
        " \"select\": {\"name\": true, \"children\": {\"select\": {\"name\": true,"
        " \"children\": {\"select\": {\"name\": true}}}}}}",
        "{\"name\":\"top\",\"children\":[{\"name\":\"k1\",\"children\":[{\"name\":\"kk\"}]},"
        "{\"name\":\"k2\",\"children\":[]}]}");
    rorm_db_close(db);
}

static void test_pc_nested__update(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    /* 1-n: update, updateMany, delete, disconnect (editor side is optional), create, set. */
    pc_expect(
        db, "User", "update",
        "{\"where\": {\"id\": 1}, \"data\": {\"name\": \"Ann2\", \"posts\": {"
        "\"update\": {\"where\": {\"id\": 1}, \"data\": {\"views\": 11}},"
        " \"updateMany\": {\"where\": {\"views\": {\"gt\": 15}}, \"data\": {\"title\": \"big\"}},"
        " \"create\": {\"title\": \"a3\"}}},"
        " \"select\": {\"name\": true, \"posts\": {\"select\": {\"title\": true, \"views\": true}}}}",
        "{\"name\":\"Ann2\",\"posts\":[{\"title\":\"a1\",\"views\":11},{\"title\":\"big\",\"views\":20},"
        "{\"title\":\"a3\",\"views\":0}]}");
    pc_expect(db, "User", "update",
              "{\"where\": {\"id\": 2}, \"data\": {\"edited\": {\"disconnect\": [{\"id\": 1}]}},"
              " \"select\": {\"edited\": true}}",
              "{\"edited\":[]}");
    pc_expect(
        db, "User", "update",
        "{\"where\": {\"id\": 3}, \"data\": {\"edited\": {\"set\": [{\"id\": 1}, {\"id\": 2}]}},"
        " \"select\": {\"edited\": {\"select\": {\"id\": true}}}}",
        "{\"edited\":[{\"id\":1},{\"id\":2}]}");
    pc_expect(
        db, "User", "update",
        "{\"where\": {\"id\": 3}, \"data\": {\"edited\": {\"set\": []}}, \"select\": {\"_count\": "
        "{\"select\": {\"edited\": true}}}}",
        "{\"_count\":{\"edited\":0}}");
    pc_expect(
        db, "Post", "update",
        "{\"where\": {\"id\": 1}, \"data\": {\"comments\": {\"delete\": {\"id\": 1},"
        " \"upsert\": [{\"where\": {\"id\": 2}, \"update\": {\"text\": \"c2!\"}, \"create\": {\"text\": \"no\"}},"
        " {\"where\": {\"id\": 99}, \"update\": {\"text\": \"no\"}, \"create\": {\"text\": \"c9\"}}]}},"
        " \"select\": {\"comments\": {\"select\": {\"text\": true}}}}",
        "{\"comments\":[{\"text\":\"c2!\"},{\"text\":\"c9\"}]}");
    pc_expect(db, "Post", "update",
              "{\"where\": {\"id\": 1}, \"data\": {\"comments\": {\"deleteMany\": {}}},"
              " \"select\": {\"_count\": {\"select\": {\"comments\": true}}}}",
              "{\"_count\":{\"comments\":0}}");
    /* n-1 and 1-1 from the side holding the key: connect, update, disconnect, delete. */
    pc_expect(
        db, "Post", "update",
        "{\"where\": {\"id\": 3}, \"data\": {\"author\": {\"connect\": {\"id\": 3}},"
        " \"editor\": {\"connect\": {\"id\": 1}}}, \"select\": {\"authorId\": true, \"editorId\": true}}",
        "{\"authorId\":3,\"editorId\":1}");
    pc_expect(db, "Post", "update",
              "{\"where\": {\"id\": 3}, \"data\": {\"author\": {\"update\": {\"name\": \"Cid2\"}},"
              " \"editor\": {\"disconnect\": true}}, \"select\": {\"editorId\": true,"
              " \"author\": {\"select\": {\"name\": true}}}}",
              "{\"editorId\":null,\"author\":{\"name\":\"Cid2\"}}");
    pc_expect(
        db, "Profile", "update",
        "{\"where\": {\"id\": 1}, \"data\": {\"user\": {\"upsert\": {\"create\": {\"name\": \"x\","
        " \"email\": \"x@x\"}, \"update\": {\"name\": \"Ann3\"}}}}, \"select\": {\"user\": {\"select\":"
        " {\"name\": true}}}}",
        "{\"user\":{\"name\":\"Ann3\"}}");
    /* 1-1 from the side without the key: update, delete, create. */
    pc_expect(db, "User", "update",
              "{\"where\": {\"id\": 3}, \"data\": {\"profile\": {\"update\": {\"bio\": \"yo!\"}}},"
              " \"select\": {\"profile\": {\"select\": {\"bio\": true}}}}",
              "{\"profile\":{\"bio\":\"yo!\"}}");
    pc_expect(db, "User", "update",
              "{\"where\": {\"id\": 3}, \"data\": {\"profile\": {\"delete\": true}},"
              " \"select\": {\"profile\": true}}",
              "{\"profile\":null}");
    pc_expect(db, "User", "update",
              "{\"where\": {\"id\": 2}, \"data\": {\"profile\": {\"create\": {\"bio\": \"b\"}}},"
              " \"select\": {\"profile\": {\"select\": {\"bio\": true}}}}",
              "{\"profile\":{\"bio\":\"b\"}}");
    /* 1-1 connect from the side without the key moves the profile to this user. */
    pc_expect(db, "User", "update",
              "{\"where\": {\"id\": 3}, \"data\": {\"profile\": {\"connect\": {\"id\": 3}}},"
              " \"select\": {\"profile\": {\"select\": {\"bio\": true}}}}",
              "{\"profile\":{\"bio\":\"b\"}}");
    pc_expect(db, "User", "findUnique", "{\"where\": {\"id\": 2}, \"select\": {\"profile\": true}}",
              "{\"profile\":null}");
    assert_contains(
        pc_fail(db, "User", "update",
                "{\"where\": {\"id\": 3}, \"data\": {\"profile\": {\"connect\": {\"id\": 1}}}}",
                RORM_EINVAL),
        "would violate the required relation `User.profile`");
    /* m-n: disconnect, connect, set, deleteMany through the join table. */
    pc_expect(
        db, "Post", "update",
        "{\"where\": {\"id\": 1}, \"data\": {\"tags\": {\"disconnect\": {\"name\": \"x\"},"
        " \"connect\": {\"id\": 3}}}, \"select\": {\"tags\": {\"select\": {\"name\": true}}}}",
        "{\"tags\":[{\"name\":\"y\"},{\"name\":\"z\"}]}");
    pc_expect(
        db, "Post", "update",
        "{\"where\": {\"id\": 2}, \"data\": {\"tags\": {\"set\": [{\"id\": 1}, {\"id\": 3}]}},"
        " \"select\": {\"tags\": {\"select\": {\"id\": true}}}}",
        "{\"tags\":[{\"id\":1},{\"id\":3}]}");
    pc_expect(db, "User", "update",
              "{\"where\": {\"id\": 1}, \"data\": {\"followers\": {\"disconnect\": {\"id\": 2}}},"
              " \"select\": {\"followers\": {\"select\": {\"id\": true}}}}",
              "{\"followers\":[{\"id\":3}]}");
    pc_expect(
        db, "Tag", "update",
        "{\"where\": {\"id\": 1}, \"data\": {\"posts\": {\"updateMany\": {\"where\": {}, \"data\":"
        " {\"views\": 7}}}}, \"select\": {\"posts\": {\"select\": {\"id\": true, \"views\": true}}}}",
        "{\"posts\":[{\"id\":2,\"views\":7}]}");
    /* upsert with nested writes in either branch. */
    pc_expect(
        db, "User", "upsert",
        "{\"where\": {\"email\": \"new@x\"}, \"create\": {\"name\": \"New\", \"email\": \"new@x\","
        " \"posts\": {\"create\": {\"title\": \"n1\"}}}, \"update\": {\"name\": \"no\"},"
        " \"select\": {\"name\": true, \"posts\": {\"select\": {\"title\": true}}}}",
        "{\"name\":\"New\",\"posts\":[{\"title\":\"n1\"}]}");
    pc_expect(
        db, "User", "upsert",
        "{\"where\": {\"email\": \"new@x\"}, \"create\": {\"name\": \"no\", \"email\": \"new@x\"},"
        " \"update\": {\"posts\": {\"create\": {\"title\": \"n2\"}}},"
        " \"select\": {\"name\": true, \"posts\": {\"select\": {\"title\": true}}}}",
        "{\"name\":\"New\",\"posts\":[{\"title\":\"n1\"},{\"title\":\"n2\"}]}");
    rorm_db_close(db);
}

static void test_pc_nested__atomic(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    /* The second post's tag connect fails: the user, the profile, the first post are gone. */
    assert_contains(pc_fail(db, "User", "create",
                            "{\"data\": {\"name\": \"Zed\", \"email\": \"zed@x\","
                            " \"profile\": {\"create\": {\"bio\": \"z\"}},"
                            " \"posts\": {\"create\": [{\"title\": \"z1\"}, {\"title\": \"z2\","
                            " \"tags\": {\"connect\": {\"id\": 42}}}]}}}",
                            RORM_ENOTFOUND),
                    "nested connect");
    pc_expect(db, "User", "count", "{}", "3");
    pc_expect(db, "Post", "count", "{}", "3");
    pc_expect(db, "Profile", "count", "{}", "2");
    /* A unique violation in a nested create rolls the update back. */
    pc_fail(
        db, "User", "update",
        "{\"where\": {\"id\": 1}, \"data\": {\"name\": \"changed\", \"posts\": {\"deleteMany\": {}},"
        " \"following\": {\"create\": {\"name\": \"dup\", \"email\": \"bob@x\"}}}}",
        RORM_ECONSTRAINT);
    pc_expect(db, "User", "findUnique",
              "{\"where\": {\"id\": 1}, \"select\": {\"name\": true,"
              " \"_count\": {\"select\": {\"posts\": true}}}}",
              "{\"name\":\"Ann\",\"_count\":{\"posts\":2}}");
    /* Inside the caller's transaction: a savepoint; the caller's earlier work stays. */
    rorm_error err = { 0 };
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    char *json = NULL;
    assert_rorm_ok(
        rorm_db_call_json(&json, tx, "Tag", "create", "{\"data\": {\"name\": \"t1\"}}", &err),
        &err);
    rorm_free(json);
    assert_int_equal(rorm_db_call_json(&json, tx, "Post", "update",
                                       "{\"where\": {\"id\": 1}, \"data\": {\"title\": \"q\","
                                       " \"author\": {\"connect\": {\"id\": 77}}}}",
                                       &err),
                     RORM_ENOTFOUND);
    assert_rorm_ok(rorm_db_commit(tx, &err), &err);
    pc_expect(db, "Tag", "count", "{\"where\": {\"name\": \"t1\"}}", "1");
    pc_expect(db, "Post", "findUnique", "{\"where\": {\"id\": 1}, \"select\": {\"title\": true}}",
              "{\"title\":\"a1\"}");
    assert_contains(
        pc_fail(db, "Post", "update",
                "{\"where\": {\"id\": 1}, \"data\": {\"tags\": {\"connekt\": {\"id\": 1}}}}",
                RORM_EINVAL),
        "Unknown argument `connekt`");
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_nested__create),
        cmocka_unit_test(test_pc_nested__update),
        cmocka_unit_test(test_pc_nested__atomic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
