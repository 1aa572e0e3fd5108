/*
 * include and nested select of every relation kind: 1-n, n-1, 1-1 (both sides), implicit
 * many-to-many (and its self form), explicit many-to-many through a join model, self 1-n,
 * named relations, a composite foreign key; options inside an include; _count.
 */
#include "rel_fixture.h"

static void test_pc_include__one_to_many(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    pc_expect(db, "User", "findMany",
              "{\"select\": {\"name\": true, \"posts\": {\"select\": {\"title\": true}}}}",
              "[{\"name\":\"Ann\",\"posts\":[{\"title\":\"a1\"},{\"title\":\"a2\"}]},"
              "{\"name\":\"Bob\",\"posts\":[{\"title\":\"b1\"}]},{\"name\":\"Cid\",\"posts\":[]}]");
    pc_expect(
        db, "User", "findUnique", "{\"where\": {\"id\": 2}, \"include\": {\"posts\": true}}",
        "{\"id\":2,\"name\":\"Bob\",\"email\":\"bob@x\",\"posts\":[{\"id\":3,\"title\":\"b1\","
        "\"views\":5,\"authorId\":2,\"editorId\":null}]}");
    /* Named relations: the same two models, two relations. */
    pc_expect(
        db, "User", "findMany",
        "{\"where\": {\"id\": {\"in\": [1, 2]}}, \"select\": {\"id\": true,"
        " \"posts\": {\"select\": {\"id\": true}}, \"edited\": {\"select\": {\"id\": true}}}}",
        "[{\"id\":1,\"posts\":[{\"id\":1},{\"id\":2}],\"edited\":[]},"
        "{\"id\":2,\"posts\":[{\"id\":3}],\"edited\":[{\"id\":1}]}]");
    rorm_db_close(db);
}

static void test_pc_include__many_to_one_and_one_to_one(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    pc_expect(db, "Post", "findMany",
              "{\"select\": {\"title\": true, \"author\": {\"select\": {\"name\": true}},"
              " \"editor\": {\"select\": {\"name\": true}}}}",
              "[{\"title\":\"a1\",\"author\":{\"name\":\"Ann\"},\"editor\":{\"name\":\"Bob\"}},"
              "{\"title\":\"a2\",\"author\":{\"name\":\"Ann\"},\"editor\":null},"
              "{\"title\":\"b1\",\"author\":{\"name\":\"Bob\"},\"editor\":null}]");
    /* 1-1 from the side without the foreign key, and from the side with it. */
    pc_expect(
        db, "User", "findMany",
        "{\"select\": {\"name\": true, \"profile\": {\"select\": {\"bio\": true}}}}",
        "[{\"name\":\"Ann\",\"profile\":{\"bio\":\"hi\"}},{\"name\":\"Bob\",\"profile\":null},"
        "{\"name\":\"Cid\",\"profile\":{\"bio\":\"yo\"}}]");
    pc_expect(db, "Profile", "findFirst",
              "{\"where\": {\"bio\": \"yo\"}, \"include\": {\"user\": true}}",
              "{\"id\":2,\"bio\":\"yo\",\"userId\":3,\"user\":{\"id\":3,\"name\":\"Cid\","
              "\"email\":\"cid@x\"}}");
    rorm_db_close(db);
}

static void test_pc_include__many_to_many(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    pc_expect(db, "Post", "findMany",
              "{\"select\": {\"id\": true, \"tags\": {\"select\": {\"name\": true}}}}",
              "[{\"id\":1,\"tags\":[{\"name\":\"x\"},{\"name\":\"y\"}]},"
              "{\"id\":2,\"tags\":[{\"name\":\"y\"}]},{\"id\":3,\"tags\":[{\"name\":\"z\"}]}]");
    pc_expect(db, "Tag", "findMany",
              "{\"select\": {\"name\": true, \"posts\": {\"select\": {\"id\": true},"
              " \"orderBy\": {\"id\": \"desc\"}}}}",
              "[{\"name\":\"x\",\"posts\":[{\"id\":1}]},{\"name\":\"y\",\"posts\":[{\"id\":2},"
              "{\"id\":1}]},{\"name\":\"z\",\"posts\":[{\"id\":3}]}]");
    /* The implicit self relation: followers read column A, following column B. */
    pc_expect(db, "User", "findMany",
              "{\"select\": {\"id\": true, \"followers\": {\"select\": {\"id\": true}},"
              " \"following\": {\"select\": {\"id\": true}}}}",
              "[{\"id\":1,\"followers\":[{\"id\":2},{\"id\":3}],\"following\":[{\"id\":2}]},"
              "{\"id\":2,\"followers\":[{\"id\":1}],\"following\":[{\"id\":1}]},"
              "{\"id\":3,\"followers\":[],\"following\":[{\"id\":1}]}]");
    /* Explicit many-to-many through Membership, two levels deep. */
    pc_expect(db, "User", "findUnique",
              "{\"where\": {\"id\": 1}, \"select\": {\"memberships\": {\"select\": {\"role\": true,"
              " \"group\": {\"select\": {\"name\": true}}}}}}",
              "{\"memberships\":[{\"role\":\"admin\",\"group\":{\"name\":\"g1\"}},"
              "{\"role\":\"user\",\"group\":{\"name\":\"g2\"}}]}");
    rorm_db_close(db);
}

static void test_pc_include__self_and_composite(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    pc_expect(db, "Category", "findUnique",
              "{\"where\": {\"id\": 1}, \"select\": {\"name\": true, \"children\": {\"select\":"
              " {\"name\": true, \"children\": {\"select\": {\"name\": true}}}}}}",
              "{\"name\":\"root\",\"children\":[{\"name\":\"c2\",\"children\":[{\"name\":\"c4\"}]},"
              "{\"name\":\"c3\",\"children\":[]}]}");
    pc_expect(
        db, "Category", "findMany",
        "{\"where\": {\"id\": {\"gt\": 2}}, \"select\": {\"name\": true,"
        " \"parent\": {\"select\": {\"name\": true, \"parent\": {\"select\": {\"name\": true}}}}}}",
        "[{\"name\":\"c3\",\"parent\":{\"name\":\"root\",\"parent\":null}},"
        "{\"name\":\"c4\",\"parent\":{\"name\":\"c2\",\"parent\":{\"name\":\"root\"}}}]");
    pc_expect(db, "Tenant", "findMany",
              "{\"select\": {\"region\": true, \"sites\": {\"select\": {\"url\": true}}}}",
              "[{\"region\":\"eu\",\"sites\":[{\"url\":\"s1\"},{\"url\":\"s2\"}]},"
              "{\"region\":\"us\",\"sites\":[{\"url\":\"s3\"}]}]");
    pc_expect(db, "Site", "findUnique",
              "{\"where\": {\"id\": 3}, \"select\": {\"tenant\": {\"select\": {\"name\": true}}}}",
              "{\"tenant\":{\"name\":\"T-US\"}}");
    rorm_db_close(db);
}

static void test_pc_include__options(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    /* where, orderBy, take, skip inside an include: per parent; take/skip outside: parents. */
    pc_expect(
        db, "User", "findMany",
        "{\"take\": 2, \"select\": {\"id\": true, \"posts\": {\"where\": {\"views\":"
        " {\"gte\": 5}}, \"orderBy\": {\"views\": \"desc\"}, \"take\": 1,"
        " \"select\": {\"title\": true}}}}",
        "[{\"id\":1,\"posts\":[{\"title\":\"a2\"}]},{\"id\":2,\"posts\":[{\"title\":\"b1\"}]}]");
    pc_expect(db, "User", "findMany",
              "{\"skip\": 1, \"take\": 1, \"select\": {\"id\": true, \"posts\": {\"skip\": 0}}}",
              "[{\"id\":2,\"posts\":[{\"id\":3,\"title\":\"b1\",\"views\":5,\"authorId\":2,"
              "\"editorId\":null}]}]");
    pc_expect(db, "User", "findUnique",
              "{\"where\": {\"id\": 1}, \"select\": {\"posts\": {\"skip\": 1,"
              " \"select\": {\"id\": true}}}}",
              "{\"posts\":[{\"id\":2}]}");
    pc_expect(db, "User", "findUnique",
              "{\"where\": {\"id\": 1}, \"select\": {\"posts\": {\"take\": -1,"
              " \"select\": {\"id\": true}}}}",
              "{\"posts\":[{\"id\":2}]}");
    pc_expect(db, "Post", "findUnique",
              "{\"where\": {\"id\": 1}, \"select\": {\"comments\": {\"cursor\": {\"id\": 2},"
              " \"select\": {\"text\": true}}}}",
              "{\"comments\":[{\"text\":\"c2\"}]}");
    pc_expect(
        db, "Membership", "findMany",
        "{\"distinct\": [\"role\"], \"orderBy\": {\"role\": \"asc\"}, \"select\": {\"role\": true}}",
        "[{\"role\":\"admin\"},{\"role\":\"user\"}]");
    pc_expect(db, "Group", "findUnique",
              "{\"where\": {\"id\": 1}, \"select\": {\"memberships\": {\"distinct\": \"groupId\","
              " \"select\": {\"role\": true}}}}",
              "{\"memberships\":[{\"role\":\"admin\"}]}");
    /* omit inside an include keeps the key the loader needs out of the result. */
    pc_expect(
        db, "User", "findUnique",
        "{\"where\": {\"id\": 2}, \"include\": {\"posts\": {\"omit\": {\"authorId\": true,"
        " \"editorId\": true, \"views\": true}}}}",
        "{\"id\":2,\"name\":\"Bob\",\"email\":\"bob@x\",\"posts\":[{\"id\":3,\"title\":\"b1\"}]}");
    /* include after a write. */
    pc_expect(db, "Comment", "create",
              "{\"data\": {\"text\": \"c4\", \"postId\": 2}, \"select\": {\"text\": true,"
              " \"post\": {\"select\": {\"title\": true}}}}",
              "{\"text\":\"c4\",\"post\":{\"title\":\"a2\"}}");
    pc_expect(db, "Post", "update",
              "{\"where\": {\"id\": 2}, \"data\": {\"views\": 21}, \"select\": {\"views\": true,"
              " \"comments\": {\"select\": {\"text\": true}}}}",
              "{\"views\":21,\"comments\":[{\"text\":\"c4\"}]}");
    /* delete shows the relations as they were before the delete. */
    pc_call(db, "Comment", "deleteMany", "{\"where\": {\"postId\": 2}}");
    pc_call(db, "Post", "update", "{\"where\": {\"id\": 2}, \"data\": {\"tags\": {\"set\": []}}}");
    pc_expect(
        db, "Post", "delete",
        "{\"where\": {\"id\": 2}, \"select\": {\"title\": true, \"author\": {\"select\":"
        " {\"name\": true}}, \"_count\": true}}",
        "{\"title\":\"a2\",\"author\":{\"name\":\"Ann\"},\"_count\":{\"tags\":0,\"comments\":0}}");
    assert_contains(pc_fail(db, "Post", "delete",
                            "{\"where\": {\"id\": 2}, \"include\": {\"author\": true}}",
                            RORM_ENOTFOUND),
                    "Record to delete not found");
    assert_contains(
        pc_fail(db, "Post", "findMany", "{\"include\": {\"author\": {\"take\": 1}}}", RORM_EINVAL),
        "Unknown argument `take`");
    /* take and skip as JavaScript numbers (doubles). */
    rorm_member cursor[] = { { "id", RORM_DOUBLE(1) } };
    rorm_member take_args[] = { { "take", RORM_DOUBLE(1) },
                                { "skip", RORM_DOUBLE(0) },
                                { "cursor", RORM_OBJECT(cursor) } };
    rorm_member inc[] = { { "posts", RORM_OBJECT(take_args) } };
    rorm_member where[] = { { "id", RORM_INT(1) } };
    rorm_member args[] = { { "where", RORM_OBJECT(where) }, { "include", RORM_OBJECT(inc) } };
    rorm_value user;
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_db_call(&user, db, "User", "findUnique", &RORM_OBJECT(args), &err), &err);
    const rorm_value *posts = rorm_value_object_get(&user, "posts");
    assert_int_equal(rorm_value_len(posts), 1);
    assert_int_equal(
        rorm_value_as_int(rorm_value_object_get(rorm_value_array_at(posts, 0), "id"), 0), 1);
    rorm_value_dispose(&user);
    /* Checked even with no parent record. */
    assert_contains(pc_fail(db, "User", "findMany",
                            "{\"where\": {\"id\": 99}, \"select\": {\"_count\": {\"select\":"
                            " {\"posts\": {\"where\": {\"viewz\": 1}}}}}}",
                            RORM_EINVAL),
                    "did you mean `views`");
    assert_contains(pc_fail(db, "User", "findMany",
                            "{\"where\": {\"id\": 99}, \"include\": {\"posts\": {\"where\":"
                            " {\"titel\": \"x\"}}}}",
                            RORM_EINVAL),
                    "did you mean `title`");
    assert_contains(
        pc_fail(db, "User", "findMany", "{\"include\": {\"postz\": true}}", RORM_EINVAL),
        "did you mean `posts`");
    rorm_db_close(db);
}

static void test_pc_include__count(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    pc_expect(db, "User", "findMany", "{\"select\": {\"id\": true, \"_count\": true}}",
              "[{\"id\":1,\"_count\":{\"posts\":2,\"edited\":0,\"following\":1,\"followers\":2,"
              "\"memberships\":2}},"
              "{\"id\":2,\"_count\":{\"posts\":1,\"edited\":1,\"following\":1,\"followers\":1,"
              "\"memberships\":1}},"
              "{\"id\":3,\"_count\":{\"posts\":0,\"edited\":0,\"following\":1,\"followers\":0,"
              "\"memberships\":0}}]");
    pc_expect(db, "User", "findMany",
              "{\"select\": {\"name\": true, \"_count\": {\"select\": {\"posts\": {\"where\":"
              " {\"views\": {\"gt\": 10}}}, \"followers\": {\"where\": {\"name\": \"Cid\"}}}}}}",
              "[{\"name\":\"Ann\",\"_count\":{\"posts\":1,\"followers\":1}},"
              "{\"name\":\"Bob\",\"_count\":{\"posts\":0,\"followers\":0}},"
              "{\"name\":\"Cid\",\"_count\":{\"posts\":0,\"followers\":0}}]");
    pc_expect(db, "Post", "findUnique",
              "{\"where\": {\"id\": 1}, \"include\": {\"_count\": {\"select\": {\"tags\": true,"
              " \"comments\": true}}}, \"omit\": {\"views\": true, \"editorId\": true}}",
              "{\"id\":1,\"title\":\"a1\",\"authorId\":1,\"_count\":{\"tags\":2,\"comments\":2}}");
    pc_expect(
        db, "Tenant", "findMany",
        "{\"select\": {\"region\": true, \"_count\": {\"select\": {\"sites\": true}}}}",
        "[{\"region\":\"eu\",\"_count\":{\"sites\":2}},{\"region\":\"us\",\"_count\":{\"sites\":1}}]");
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_include__one_to_many),
        cmocka_unit_test(test_pc_include__many_to_one_and_one_to_one),
        cmocka_unit_test(test_pc_include__many_to_many),
        cmocka_unit_test(test_pc_include__self_and_composite),
        cmocka_unit_test(test_pc_include__options),
        cmocka_unit_test(test_pc_include__count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
