/*
 * Relation filters in where (some / every / none on lists, is / isNot on single relations,
 * nested and combined with AND / OR / NOT) and ordering by a related field or a relation's
 * _count, for every relation kind.
 */
#include "rel_fixture.h"

#define W(json) "{\"where\": " json ", \"orderBy\": {\"id\": \"asc\"}}"

static void test_pc_rel_filter__lists(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    assert_string_equal(pc_ids(db, "User", W("{\"posts\": {\"some\": {\"views\": {\"gt\": 8}}}}")),
                        "1");
    assert_string_equal(pc_ids(db, "User", W("{\"posts\": {\"every\": {\"views\": {\"gt\": 8}}}}")),
                        "1,3");
    assert_string_equal(pc_ids(db, "User", W("{\"posts\": {\"none\": {}}}")), "3");
    assert_string_equal(pc_ids(db, "User", W("{\"posts\": {\"none\": {\"views\": 5}}}")), "1,3");
    assert_string_equal(
        pc_ids(db, "User", W("{\"posts\": {\"some\": {}, \"every\": {\"views\": 5}}}")), "2");
    assert_string_equal(pc_ids(db, "User", W("{\"edited\": {\"some\": {}}}")), "2");
    /* Implicit many-to-many, its self form, explicit through a join model. */
    assert_string_equal(pc_ids(db, "Post", W("{\"tags\": {\"some\": {\"name\": \"y\"}}}")), "1,2");
    assert_string_equal(pc_ids(db, "Post", W("{\"tags\": {\"none\": {}}}")), "");
    assert_string_equal(
        pc_ids(db, "Post", W("{\"tags\": {\"every\": {\"name\": {\"in\": [\"x\", \"y\"]}}}}")),
        "1,2");
    assert_string_equal(pc_ids(db, "User", W("{\"followers\": {\"some\": {\"name\": \"Cid\"}}}")),
                        "1");
    assert_string_equal(pc_ids(db, "User", W("{\"following\": {\"some\": {\"name\": \"Ann\"}}}")),
                        "2,3");
    assert_string_equal(
        pc_ids(
            db, "User",
            W("{\"memberships\": {\"some\": {\"role\": \"admin\", \"group\": {\"name\": \"g1\"}}}}")),
        "1");
    assert_string_equal(pc_ids(db, "Category", W("{\"children\": {\"some\": {}}}")), "1,2");
    assert_string_equal(
        pc_ids(db, "Category", W("{\"children\": {\"some\": {\"children\": {\"some\": {}}}}}")),
        "1");
    pc_expect(
        db, "Tenant", "findMany",
        "{\"where\": {\"sites\": {\"some\": {\"url\": \"s3\"}}}, \"select\": {\"region\": true}}",
        "[{\"region\":\"us\"}]");
    rorm_db_close(db);
}

static void test_pc_rel_filter__single(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    assert_string_equal(pc_ids(db, "Post", W("{\"author\": {\"is\": {\"name\": \"Bob\"}}}")), "3");
    assert_string_equal(pc_ids(db, "Post", W("{\"author\": {\"name\": \"Ann\"}}")), "1,2");
    assert_string_equal(pc_ids(db, "Post", W("{\"author\": {\"isNot\": {\"name\": \"Ann\"}}}")),
                        "3");
    assert_string_equal(pc_ids(db, "Post", W("{\"editor\": {\"is\": null}}")), "2,3");
    assert_string_equal(pc_ids(db, "Post", W("{\"editor\": null}")), "2,3");
    assert_string_equal(pc_ids(db, "Post", W("{\"editor\": {\"isNot\": null}}")), "1");
    /* isNot a filter: no related record, or one that does not match. */
    assert_string_equal(pc_ids(db, "Post", W("{\"editor\": {\"isNot\": {\"name\": \"Bob\"}}}")),
                        "2,3");
    /* One-to-one from the side without the key. */
    assert_string_equal(pc_ids(db, "User", W("{\"profile\": {\"is\": null}}")), "2");
    assert_string_equal(pc_ids(db, "User", W("{\"profile\": {\"isNot\": null}}")), "1,3");
    assert_string_equal(pc_ids(db, "User", W("{\"profile\": {\"bio\": \"hi\"}}")), "1");
    assert_string_equal(pc_ids(db, "Category", W("{\"parent\": {\"is\": {\"name\": \"root\"}}}")),
                        "2,3");
    assert_string_equal(pc_ids(db, "Site", W("{\"tenant\": {\"name\": \"T-EU\"}}")), "1,2");
    /* Nested: tags of posts written by Bob. */
    assert_string_equal(
        pc_ids(db, "Tag", W("{\"posts\": {\"some\": {\"author\": {\"name\": \"Bob\"}}}}")), "3");
    assert_string_equal(
        pc_ids(db, "Comment",
               W("{\"post\": {\"author\": {\"posts\": {\"some\": {\"views\": 20}}}}}")),
        "1,2");
    rorm_db_close(db);
}

static void test_pc_rel_filter__logic_and_writes(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    assert_string_equal(
        pc_ids(db, "User",
               W("{\"OR\": [{\"posts\": {\"none\": {}}}, {\"profile\": {\"is\": null}}]}")),
        "2,3");
    assert_string_equal(pc_ids(db, "User", W("{\"NOT\": {\"posts\": {\"some\": {}}}}")), "3");
    assert_string_equal(
        pc_ids(db, "User",
               W("{\"AND\": [{\"posts\": {\"some\": {}}}, {\"NOT\": [{\"name\": \"Bob\"}]}]}")),
        "1");
    pc_expect(db, "Post", "count", "{\"where\": {\"tags\": {\"some\": {\"name\": \"y\"}}}}", "2");
    pc_expect(db, "Post", "updateMany",
              "{\"where\": {\"author\": {\"name\": \"Ann\"}}, \"data\": {\"views\": 1}}",
              "{\"count\":2}");
    pc_expect(db, "Comment", "deleteMany",
              "{\"where\": {\"post\": {\"author\": {\"name\": \"Bob\"}}}}", "{\"count\":1}");
    pc_expect(db, "Comment", "count", "{}", "2");
    /* A self-relation filter in an UPDATE / DELETE of the same table. */
    pc_expect(db, "Category", "updateMany",
              "{\"where\": {\"children\": {\"none\": {}}}, \"data\": {\"name\": \"leaf\"}}",
              "{\"count\":2}");
    pc_expect(db, "Category", "deleteMany",
              "{\"where\": {\"name\": \"leaf\", \"parent\": {\"is\": {\"parentId\": null}}}}",
              "{\"count\":1}");
    assert_string_equal(pc_ids(db, "Category", W("{}")), "1,2,4");
    pc_expect(
        db, "User", "findUnique",
        "{\"where\": {\"email\": \"ann@x\", \"posts\": {\"some\": {}}}, \"select\": {\"id\": true}}",
        "{\"id\":1}");
    rorm_db_close(db);
}

static void test_pc_rel_filter__order_by_relation(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    rel_seed(db);
    assert_string_equal(
        pc_ids(db, "Post",
               "{\"orderBy\": [{\"author\": {\"name\": \"desc\"}}, {\"id\": \"asc\"}]}"),
        "3,1,2");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"orderBy\": [{\"posts\": {\"_count\": \"desc\"}}, {\"id\": \"asc\"}]}"),
        "1,2,3");
    assert_string_equal(pc_ids(db, "User", "{\"orderBy\": {\"posts\": {\"_count\": \"asc\"}}}"),
                        "3,2,1");
    assert_string_equal(
        pc_ids(db, "Post", "{\"orderBy\": [{\"tags\": {\"_count\": \"asc\"}}, {\"id\": \"asc\"}]}"),
        "2,3,1");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"orderBy\": [{\"followers\": {\"_count\": \"desc\"}}, {\"id\": \"desc\"}]}"),
        "1,2,3");
    assert_string_equal(pc_ids(db, "Category",
                               "{\"where\": {\"id\": {\"gt\": 1}}, \"orderBy\": [{\"parent\": "
                               "{\"name\": \"desc\"}}, {\"id\": \"asc\"}]}"),
                        "2,3,4");
    assert_string_equal(
        pc_ids(
            db, "Comment",
            "{\"orderBy\": [{\"post\": {\"author\": {\"name\": \"desc\"}}}, {\"id\": \"asc\"}]}"),
        "3,1,2");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"take\": 1, \"skip\": 1, \"orderBy\": {\"posts\": {\"_count\": \"desc\"}}}"),
        "2");
    assert_contains(pc_fail(db, "User", "findMany",
                            "{\"orderBy\": {\"posts\": {\"title\": \"asc\"}}}", RORM_EINVAL),
                    "orders by `_count` only");
    /* A cursor with relation ordering: the cursor row's sort values are its sub-selects. */
    assert_string_equal(
        pc_ids(db, "Post",
               "{\"orderBy\": [{\"author\": {\"name\": \"asc\"}}, {\"id\": \"asc\"}],"
               " \"cursor\": {\"id\": 2}}"),
        "2,3");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"orderBy\": {\"posts\": {\"_count\": \"desc\"}}, \"cursor\": {\"id\": 2},"
               " \"take\": -2}"),
        "1,2");
    assert_string_equal(pc_ids(db, "Comment",
                               "{\"orderBy\": [{\"post\": {\"author\": {\"name\": \"desc\"}}},"
                               " {\"id\": \"asc\"}], \"cursor\": {\"id\": 1}, \"skip\": 1}"),
                        "2");
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_rel_filter__lists),
        cmocka_unit_test(test_pc_rel_filter__single),
        cmocka_unit_test(test_pc_rel_filter__logic_and_writes),
        cmocka_unit_test(test_pc_rel_filter__order_by_relation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
