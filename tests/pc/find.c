/*
 * findMany / findFirst / findUnique on SQLite: every filter operator, null checks, logic,
 * insensitive mode, LIKE wildcards, ordering with nulls, take/skip/cursor, distinct, select/omit.
 */
#include "pc_fixture.h"

static void test_pc_find__equality_and_comparisons(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": 30}}"), "3");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"equals\": 30}}}"), "3");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"not\": 30}}}"), "1,2,4,5");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"lt\": 30}}}"), "1,2");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"lte\": 30}}}"), "1,2,3");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"gt\": 30}}}"), "4,5");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"gte\": 30}}}"), "3,4,5");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"gt\": 10, \"lt\": 40}}}"),
                        "2,3");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"in\": [10, 50, 99]}}}"),
                        "1,5");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"notIn\": [10, 50]}}}"),
                        "2,3,4");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"in\": []}}}"), "");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"notIn\": []}}}"),
                        "1,2,3,4,5,6");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"role\": \"ADMIN\"}}"), "4");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"score\": {\"gte\": 2}}}"), "2,5");
    assert_string_equal(
        pc_ids(db, "User", "{\"where\": {\"name\": {\"gt\": \"Carol\", \"lt\": \"Zed\"}}}"),
        PCT_CI_TEXT ? "1,2" : "1");
    rorm_db_close(db);
}

static void test_pc_find__null_checks(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": null}}"), "6");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"equals\": null}}}"), "6");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"not\": null}}}"), "1,2,3,4,5");
    assert_string_equal(
        pc_ids(db, "User", "{\"where\": {\"score\": null, \"age\": {\"not\": null}}}"), "3,4");
    rorm_db_close(db);
}

static void test_pc_find__logic(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"OR\": [{\"age\": 10}, {\"age\": 50}]}}"),
                        "1,5");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"where\": {\"AND\": [{\"age\": {\"gt\": 10}}, {\"age\": {\"lt\": 50}}]}}"),
        "2,3,4");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"AND\": {\"age\": 20}}}"), "2");
    /* SQL's three-valued logic, as Prisma: NOT (age < 40) is unknown for a NULL age. */
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"NOT\": {\"age\": {\"lt\": 40}}}}"),
                        "4,5");
    /* NOT with a list: every condition must be false. */
    assert_string_equal(
        pc_ids(db, "User",
               "{\"where\": {\"NOT\": [{\"age\": 10}, {\"age\": 20}], \"age\": {\"not\": null}}}"),
        "3,4,5");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"OR\": []}}"), "");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"AND\": []}}"), "1,2,3,4,5,6");
    assert_string_equal(
        pc_ids(
            db, "User",
            "{\"where\": {\"OR\": [{\"AND\": [{\"age\": {\"gte\": 20}}, {\"age\": {\"lte\": 30}}]},"
            " {\"NOT\": {\"OR\": [{\"age\": null}, {\"age\": {\"lt\": 45}}]}}]}}"),
        "2,3,5");
    /* A field's `not` with a nested filter. */
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"not\": {\"in\": [10, 20]}}}}"),
                        "3,4,5");
    rorm_db_close(db);
}

static void test_pc_find__string_matching(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    /* Case-sensitive by default, on every database. */
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"name\": {\"contains\": \"a\"}}}"),
                        "2,3");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"name\": {\"contains\": \"A\"}}}"), "5");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"name\": {\"startsWith\": \"d\"}}}"),
                        "2");
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"name\": {\"endsWith\": \"e\"}}}"),
                        "1,2,5");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"where\": {\"name\": {\"contains\": \"A\", \"mode\": \"insensitive\"}}}"),
        "2,3,5");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"where\": {\"name\": {\"startsWith\": \"D\", \"mode\": \"insensitive\"}}}"),
        "2");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"where\": {\"name\": {\"equals\": \"ALICE\", \"mode\": \"insensitive\"}}}"),
        "5");
    assert_string_equal(
        pc_ids(
            db, "User",
            "{\"where\": {\"name\": {\"in\": [\"ALICE\", \"bob\"], \"mode\": \"insensitive\"}}}"),
        "4,5");
    assert_string_equal(
        pc_ids(
            db, "User",
            "{\"where\": {\"name\": {\"not\": {\"contains\": \"E\"}, \"mode\": \"insensitive\"}}}"),
        "3,4");
    rorm_db_close(db);
}

static void test_pc_find__wildcards_are_escaped(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_call(db, "Item", "createMany",
            "{\"data\": [{\"name\": \"100%\", \"qty\": 1, \"price\": 1},"
            " {\"name\": \"1000\", \"qty\": 1, \"price\": 1},"
            " {\"name\": \"a_b\", \"qty\": 1, \"price\": 1},"
            " {\"name\": \"axb\", \"qty\": 1, \"price\": 1},"
            " {\"name\": \"c\\\\d\", \"qty\": 1, \"price\": 1},"
            " {\"name\": \"a*b?[x]\", \"qty\": 1, \"price\": 1},"
            " {\"name\": \"A_B\", \"qty\": 1, \"price\": 1}]}");
    assert_string_equal(pc_ids(db, "Item", "{\"where\": {\"name\": {\"contains\": \"%\"}}}"), "1");
    assert_string_equal(pc_ids(db, "Item", "{\"where\": {\"name\": {\"endsWith\": \"0%\"}}}"), "1");
    assert_string_equal(pc_ids(db, "Item", "{\"where\": {\"name\": {\"contains\": \"_\"}}}"),
                        "3,7");
    assert_string_equal(pc_ids(db, "Item", "{\"where\": {\"name\": {\"startsWith\": \"a_\"}}}"),
                        "3");
    assert_string_equal(
        pc_ids(db, "Item",
               "{\"where\": {\"name\": {\"startsWith\": \"a_\", \"mode\": \"insensitive\"}}}"),
        "3,7");
    assert_string_equal(pc_ids(db, "Item", "{\"where\": {\"name\": {\"contains\": \"\\\\\"}}}"),
                        "5");
    assert_string_equal(
        pc_ids(db, "Item",
               "{\"where\": {\"name\": {\"contains\": \"\\\\\", \"mode\": \"insensitive\"}}}"),
        "5");
    assert_string_equal(pc_ids(db, "Item", "{\"where\": {\"name\": {\"contains\": \"*b?[\"}}}"),
                        "6");
    assert_string_equal(pc_ids(db, "Item", "{\"where\": {\"name\": {\"contains\": \"*\"}}}"), "6");
    assert_string_equal(pc_ids(db, "Item", "{\"where\": {\"name\": {\"contains\": \"?\"}}}"), "6");
    assert_string_equal(pc_ids(db, "Item", "{\"where\": {\"name\": {\"contains\": \"\"}}}"),
                        "1,2,3,4,5,6,7");
    rorm_db_close(db);
}

static void test_pc_find__injection_in_values_and_keys(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    assert_string_equal(pc_ids(db, "User", "{\"where\": {\"name\": \"x' OR '1'='1\"}}"), "");
    assert_string_equal(
        pc_ids(db, "User", "{\"where\": {\"name\": {\"contains\": \"'; DROP TABLE User; --\"}}}"),
        "");
    pc_call(
        db, "User", "create",
        "{\"data\": {\"email\": \"\\\"; DROP TABLE \\\"User\\\"; --\", \"name\": \"Robert'); DROP TABLE User;--\"}}");
    assert_string_equal(
        pc_ids(db, "User", "{\"where\": {\"name\": {\"startsWith\": \"Robert');\"}}}"), "7");
    /* Keys are names from the schema only. */
    assert_contains(pc_fail(db, "User", "findMany",
                            "{\"where\": {\"name\\\" = 'x' OR 1=1 --\": 1}}", RORM_EINVAL),
                    "Unknown argument");
    assert_contains(pc_fail(db, "User", "findMany",
                            "{\"orderBy\": {\"name; DROP TABLE User\": \"asc\"}}", RORM_EINVAL),
                    "Unknown argument");
    assert_contains(
        pc_fail(db, "User", "findMany", "{\"orderBy\": {\"name\": \"asc; DROP\"}}", RORM_EINVAL),
        "expected \"asc\" or \"desc\"");
    assert_contains(pc_fail(db, "User; DROP TABLE User", "findMany", "{}", RORM_EINVAL),
                    "unknown model");
    assert_string_equal(pc_call(db, "User", "count", "{}"), "7");
    rorm_db_close(db);
}

static void test_pc_find__order_by(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    assert_string_equal(pc_ids(db, "User", "{\"orderBy\": {\"name\": \"asc\"}}"),
                        PCT_CI_TEXT ? "5,4,3,2,1,6" : "5,4,3,1,6,2");
    assert_string_equal(pc_ids(db, "User", "{\"orderBy\": {\"age\": \"desc\"}}"),
                        PCT_NULLS_LAST ? "6,5,4,3,2,1" : "5,4,3,2,1,6");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"orderBy\": [{\"score\": {\"sort\": \"desc\", \"nulls\": \"last\"}},"
               " {\"age\": {\"sort\": \"desc\", \"nulls\": \"last\"}}]}"),
        "5,2,1,4,3,6");
    /* Key order of an object is kept. */
    assert_string_equal(
        pc_ids(
            db, "User",
            "{\"orderBy\": {\"score\": {\"sort\": \"asc\", \"nulls\": \"first\"}, \"id\": \"desc\"}}"),
        "6,4,3,1,2,5");
    assert_string_equal(
        pc_ids(
            db, "User",
            "{\"orderBy\": {\"id\": \"desc\", \"score\": {\"sort\": \"asc\", \"nulls\": \"first\"}}}"),
        "6,5,4,3,2,1");
    assert_string_equal(
        pc_ids(db, "User", "{\"orderBy\": {\"age\": {\"sort\": \"asc\", \"nulls\": \"last\"}}}"),
        "1,2,3,4,5,6");
    assert_string_equal(
        pc_ids(db, "User", "{\"orderBy\": {\"age\": {\"sort\": \"asc\", \"nulls\": \"first\"}}}"),
        "6,1,2,3,4,5");
    assert_string_equal(
        pc_ids(db, "User", "{\"orderBy\": {\"age\": {\"sort\": \"desc\", \"nulls\": \"first\"}}}"),
        "6,5,4,3,2,1");
    assert_string_equal(
        pc_ids(db, "User", "{\"orderBy\": {\"age\": {\"sort\": \"desc\", \"nulls\": \"last\"}}}"),
        "5,4,3,2,1,6");
    assert_contains(pc_fail(db, "User", "findMany",
                            "{\"orderBy\": {\"age\": {\"nulls\": \"last\"}}}", RORM_EINVAL),
                    "`sort`");
    assert_contains(pc_fail(db, "User", "findMany",
                            "{\"orderBy\": {\"age\": {\"sort\": \"asc\", \"nulls\": \"middle\"}}}",
                            RORM_EINVAL),
                    "\"first\" or \"last\"");
    assert_contains(
        pc_fail(db, "User", "findMany", "{\"orderBy\": {\"posts\": \"asc\"}}", RORM_EINVAL),
        "expected an object");
    rorm_db_close(db);
}

static void test_pc_find__take_skip(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    assert_string_equal(pc_ids(db, "User", "{\"take\": 2}"), "1,2");
    assert_string_equal(pc_ids(db, "User", "{\"skip\": 4}"), "5,6");
    assert_string_equal(pc_ids(db, "User", "{\"take\": 2, \"skip\": 1}"), "2,3");
    assert_string_equal(pc_ids(db, "User", "{\"take\": 0}"), "");
    /* Negative take: from the end, in the query's order. */
    assert_string_equal(pc_ids(db, "User", "{\"take\": -2}"), "5,6");
    assert_string_equal(pc_ids(db, "User", "{\"take\": -2, \"skip\": 1}"), "4,5");
    assert_string_equal(pc_ids(db, "User", "{\"take\": -2, \"orderBy\": {\"name\": \"asc\"}}"),
                        PCT_CI_TEXT ? "1,6" : "6,2");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"take\": -2, \"orderBy\": {\"age\": {\"sort\": \"asc\", \"nulls\": \"first\"}}}"),
        "4,5");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"take\": -2, \"orderBy\": {\"age\": {\"sort\": \"asc\", \"nulls\": \"last\"}}}"),
        "5,6");
    assert_contains(pc_fail(db, "User", "findMany", "{\"skip\": -1}", RORM_EINVAL),
                    "must not be negative");
    assert_contains(pc_fail(db, "User", "findMany", "{\"take\": \"2\"}", RORM_EINVAL),
                    "Argument `take`: expected Int, got String");
    assert_contains(pc_fail(db, "User", "findMany", "{\"take\": 1.5}", RORM_EINVAL),
                    "expected Int, got Float");
    rorm_db_close(db);
}

/*
 * Statements of the same shape share their text (cached by shape); what differs in the shape
 * (columns, comparisons, groups, order, window) gives other text, the values are bound anew.
 */
static void test_pc_find__same_shape_other_values(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    for (int round = 0; round < 2; round++) {
        pc_expect(db, "User", "findUnique",
                  "{\"where\": {\"id\": 2}, \"select\": {\"name\": true}}", "{\"name\":\"dave\"}");
        pc_expect(db, "User", "findUnique",
                  "{\"where\": {\"id\": 3}, \"select\": {\"name\": true}}", "{\"name\":\"Carol\"}");
        pc_expect(db, "User", "findUnique", "{\"where\": {\"id\": 3}, \"select\": {\"age\": true}}",
                  "{\"age\":30}");
        pc_expect(db, "User", "findUnique",
                  "{\"where\": {\"id\": 3, \"age\": 31}, \"select\": {\"age\": true}}", "null");
        assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"gt\": 20}}}"), "3,4,5");
        assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"gte\": 20}}}"), "2,3,4,5");
        assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"gt\": 40}}}"), "5");
        assert_string_equal(pc_ids(db, "User", "{\"where\": {\"age\": {\"not\": 40}}}"), "1,2,3,5");
        assert_string_equal(
            pc_ids(db, "User", "{\"where\": {\"OR\": [{\"age\": 10}, {\"age\": 50}]}}"), "1,5");
        assert_string_equal(
            pc_ids(db, "User", "{\"where\": {\"OR\": [{\"age\": 20}, {\"age\": 40}]}}"), "2,4");
        assert_string_equal(
            pc_ids(db, "User",
                   "{\"where\": {\"AND\": [{\"age\": {\"gt\": 10}}, {\"age\": {\"lt\": 50}}]}}"),
            "2,3,4");
        assert_string_equal(
            pc_ids(db, "User",
                   "{\"where\": {\"NOT\": [{\"age\": {\"gt\": 10}}, {\"age\": {\"lt\": 50}}]}}"),
            ""); /* every condition false */
        assert_string_equal(
            pc_ids(db, "User",
                   "{\"where\": {\"NOT\": [{\"age\": {\"gt\": 20}}, {\"age\": {\"lt\": 20}}]}}"),
            "2");
        assert_string_equal(
            pc_ids(
                db, "User",
                "{\"where\": {\"age\": {\"gt\": 10}}, \"orderBy\": {\"id\": \"desc\"}, \"take\": 2}"),
            "5,4");
        assert_string_equal(
            pc_ids(
                db, "User",
                "{\"where\": {\"age\": {\"gt\": 10}}, \"orderBy\": {\"id\": \"desc\"}, \"take\": 3}"),
            "5,4,3");
        assert_string_equal(
            pc_ids(
                db, "User",
                "{\"where\": {\"age\": {\"gt\": 10}}, \"orderBy\": {\"id\": \"asc\"}, \"take\": 2, \"skip\": 1}"),
            "3,4");
        assert_string_equal(
            pc_ids(
                db, "User",
                "{\"where\": {\"age\": {\"gt\": 10}}, \"orderBy\": {\"id\": \"asc\"}, \"take\": -2}"),
            "4,5");
    }
    rorm_db_close(db);
}

static void test_pc_find__cursor(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    assert_string_equal(pc_ids(db, "User", "{\"cursor\": {\"id\": 3}}"), "3,4,5,6");
    assert_string_equal(pc_ids(db, "User", "{\"cursor\": {\"id\": 3}, \"take\": 2}"), "3,4");
    assert_string_equal(pc_ids(db, "User", "{\"cursor\": {\"id\": 3}, \"take\": 2, \"skip\": 1}"),
                        "4,5");
    assert_string_equal(pc_ids(db, "User", "{\"cursor\": {\"id\": 3}, \"take\": -2}"), "2,3");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"cursor\": {\"email\": \"bob@x.io\"}, \"orderBy\": {\"name\": \"asc\"}}"),
        PCT_CI_TEXT ? "4,3,2,1,6" : "4,3,1,6,2");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"cursor\": {\"id\": 4}, \"orderBy\": {\"age\": \"desc\"}, \"take\": 3}"),
        "4,3,2");
    /* Through NULLs: first ascending on SQLite and MySQL, last on PostgreSQL. */
    assert_string_equal(
        pc_ids(db, "User", "{\"cursor\": {\"id\": 6}, \"orderBy\": {\"age\": \"asc\"}}"),
        PCT_NULLS_LAST ? "6" : "6,1,2,3,4,5");
    assert_string_equal(
        pc_ids(
            db, "User",
            "{\"cursor\": {\"id\": 5}, \"orderBy\": {\"age\": {\"sort\": \"asc\", \"nulls\": \"last\"}}}"),
        "5,6");
    assert_string_equal(
        pc_ids(
            db, "User",
            "{\"cursor\": {\"id\": 6}, \"orderBy\": {\"age\": {\"sort\": \"asc\", \"nulls\": \"last\"}}, \"take\": -3}"),
        "4,5,6");
    /* Ties broken by the key. */
    assert_string_equal(
        pc_ids(
            db, "User",
            "{\"cursor\": {\"id\": 4}, \"orderBy\": {\"score\": {\"sort\": \"asc\", \"nulls\": \"first\"}}}"),
        "4,6,1,2,5");
    assert_string_equal(
        pc_ids(
            db, "User",
            "{\"cursor\": {\"id\": 4}, \"orderBy\": {\"score\": {\"sort\": \"asc\", \"nulls\": \"first\"}}, \"take\": -2}"),
        "3,4");
    /* A cursor that matches nothing gives nothing. */
    assert_string_equal(pc_ids(db, "User", "{\"cursor\": {\"id\": 99}}"), "");
    /* Pages: two at a time, each from the last id, skipping the cursor itself. */
    assert_string_equal(pc_ids(db, "User", "{\"take\": 2}"), "1,2");
    assert_string_equal(pc_ids(db, "User", "{\"take\": 2, \"skip\": 1, \"cursor\": {\"id\": 2}}"),
                        "3,4");
    assert_string_equal(pc_ids(db, "User", "{\"take\": 2, \"skip\": 1, \"cursor\": {\"id\": 4}}"),
                        "5,6");
    assert_string_equal(pc_ids(db, "User", "{\"take\": 2, \"skip\": 1, \"cursor\": {\"id\": 6}}"),
                        "");
    assert_contains(
        pc_fail(db, "User", "findMany", "{\"cursor\": {\"name\": \"Bob\"}}", RORM_EINVAL),
        "needs at least one unique argument");
    rorm_db_close(db);
}

static void test_pc_find__distinct(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    assert_string_equal(pc_ids(db, "User", "{\"distinct\": [\"role\"]}"), "1,4");
    assert_string_equal(
        pc_ids(db, "User", "{\"distinct\": \"role\", \"orderBy\": {\"id\": \"desc\"}}"), "6,4");
    assert_string_equal(pc_ids(db, "User", "{\"distinct\": [\"role\"], \"take\": 1, \"skip\": 1}"),
                        "4");
    assert_string_equal(pc_ids(db, "User", "{\"distinct\": [\"role\"], \"take\": -1}"), "4");
    assert_string_equal(
        pc_call(db, "User", "findMany", "{\"distinct\": [\"role\"], \"select\": {\"name\": true}}"),
        "[{\"name\":\"Eve\"},{\"name\":\"Bob\"}]");
    assert_string_equal(
        pc_ids(db, "User",
               "{\"distinct\": [\"role\", \"score\"], \"where\": {\"age\": {\"lt\": 40}}}"),
        "1,2,3");
    rorm_db_close(db);
}

static void test_pc_find__select_and_omit(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    pc_expect(db, "User", "findMany",
              "{\"where\": {\"id\": {\"lte\": 2}}, \"select\": {\"name\": true, \"id\": true}}",
              "[{\"id\":1,\"name\":\"Eve\"},{\"id\":2,\"name\":\"dave\"}]");
    pc_expect(
        db, "User", "findUnique",
        "{\"where\": {\"id\": 4}, \"omit\": {\"createdAt\": true, \"updatedAt\": true}}",
        "{\"id\":4,\"email\":\"bob@x.io\",\"name\":\"Bob\",\"age\":40,\"score\":null,\"role\":\"ADMIN\"}");
    pc_expect(db, "User", "findUnique",
              "{\"where\": {\"id\": 4}, \"select\": {\"name\": true, \"age\": false}}",
              "{\"name\":\"Bob\"}");
    assert_contains(pc_fail(db, "User", "findMany", "{\"select\": {\"nmae\": true}}", RORM_EINVAL),
                    "did you mean `name`");
    assert_contains(pc_fail(db, "User", "findMany", "{\"select\": {\"name\": false}}", RORM_EINVAL),
                    "at least one truthy value");
    assert_contains(pc_fail(db, "User", "findMany", "{\"select\": {\"name\": 1}}", RORM_EINVAL),
                    "Argument `select.name`: expected Boolean, got Int");
    assert_contains(pc_fail(db, "User", "findMany",
                            "{\"select\": {\"name\": true}, \"omit\": {\"age\": true}}",
                            RORM_EINVAL),
                    "not both");
    pc_expect(db, "User", "findMany", "{\"select\": {\"posts\": true}, \"where\": {\"id\": 1}}",
              "[{\"posts\":[]}]");
    pc_expect(db, "User", "findMany",
              "{\"select\": {\"name\": true, \"posts\": true}, \"where\": {\"id\": 1}}",
              "[{\"name\":\"Eve\",\"posts\":[]}]");
    assert_contains(pc_fail(db, "User", "findMany", "{\"include\": {\"name\": true}}", RORM_EINVAL),
                    "not a relation");
    rorm_db_close(db);
}

static void test_pc_find__unique_and_first(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    pc_expect(db, "User", "findUnique",
              "{\"where\": {\"email\": \"carol@x.io\"}, \"select\": {\"id\": true}}", "{\"id\":3}");
    pc_expect(db, "User", "findUnique", "{\"where\": {\"email\": \"nobody@x.io\"}}", "null");
    pc_expect(db, "User", "findUnique", "{\"where\": {\"id\": 3, \"age\": {\"gt\": 50}}}", "null");
    assert_contains(
        pc_fail(db, "User", "findUniqueOrThrow", "{\"where\": {\"id\": 99}}", RORM_ENOTFOUND),
        "No record was found");
    pc_expect(db, "User", "findFirst",
              "{\"where\": {\"age\": {\"gt\": 15}}, \"select\": {\"id\": true}}", "{\"id\":2}");
    pc_expect(
        db, "User", "findFirst",
        "{\"where\": {\"age\": {\"gt\": 15}}, \"orderBy\": {\"age\": \"desc\"}, \"select\": {\"id\": true}}",
        "{\"id\":5}");
    pc_expect(db, "User", "findFirst", "{\"take\": -1, \"select\": {\"id\": true}}", "{\"id\":6}");
    pc_expect(db, "User", "findFirst", "{\"where\": {\"age\": 99}}", "null");
    assert_contains(
        pc_fail(db, "User", "findFirstOrThrow", "{\"where\": {\"age\": 99}}", RORM_ENOTFOUND),
        "(User.findFirstOrThrow)");
    assert_contains(
        pc_fail(db, "User", "findUnique", "{\"where\": {\"name\": \"Bob\"}}", RORM_EINVAL),
        "needs at least one unique argument: `id`, `email`");
    assert_contains(pc_fail(db, "User", "findUnique", "{}", RORM_EINVAL),
                    "Argument `where` is missing");
    rorm_db_close(db);
}

static void test_pc_find__compound_unique(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_call(db, "Account", "createMany",
            "{\"data\": [{\"email\": \"a@x.io\", \"tenantId\": \"t1\", \"label\": \"one\"},"
            " {\"email\": \"a@x.io\", \"tenantId\": \"t2\", \"label\": \"two\"}]}");
    pc_expect(db, "Account", "findUnique",
              "{\"where\": {\"email_tenantId\": {\"email\": \"a@x.io\", \"tenantId\": \"t2\"}}}",
              "{\"id\":2,\"email\":\"a@x.io\",\"tenantId\":\"t2\",\"label\":\"two\"}");
    pc_expect(
        db, "Account", "findUnique",
        "{\"where\": {\"tenantLabel\": {\"tenantId\": \"t1\", \"label\": \"one\"}}, \"select\": {\"id\": true}}",
        "{\"id\":1}");
    assert_contains(pc_fail(db, "Account", "findUnique",
                            "{\"where\": {\"email_tenant\": {\"email\": \"a@x.io\"}}}",
                            RORM_EINVAL),
                    "did you mean `email_tenantId`");
    assert_contains(pc_fail(db, "Account", "findUnique",
                            "{\"where\": {\"email_tenantId\": {\"email\": \"a@x.io\"}}}",
                            RORM_EINVAL),
                    "Argument `tenantId` of `email_tenantId` is missing");
    assert_contains(
        pc_fail(db, "Account", "findUnique",
                "{\"where\": {\"email_tenantId\": {\"email\": \"a@x.io\", \"tenantI\": \"t\"}}}",
                RORM_EINVAL),
        "did you mean `tenantId`");
    /* A composite primary key is a compound unique too. */
    pc_call(db, "Member", "create",
            "{\"data\": {\"tenantId\": \"t1\", \"userId\": 7, \"note\": \"hi\"}}");
    pc_expect(db, "Member", "findUnique",
              "{\"where\": {\"tenantId_userId\": {\"tenantId\": \"t1\", \"userId\": 7}}}",
              "{\"tenantId\":\"t1\",\"userId\":7,\"note\":\"hi\"}");
    rorm_db_close(db);
}

static void test_pc_find__validation_errors(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    assert_contains(pc_fail(db, "Usr", "findMany", "{}", RORM_EINVAL),
                    "unknown model 'Usr' (did you mean 'User'?)");
    assert_contains(pc_fail(db, "User", "findMny", "{}", RORM_EINVAL),
                    "unknown operation 'findMny' on model 'User' (did you mean 'findMany'?)");
    assert_contains(pc_fail(db, "User", "findMany", "{\"were\": {}}", RORM_EINVAL),
                    "Unknown argument `were` in User.findMany (did you mean `where`?)");
    assert_contains(pc_fail(db, "User", "findMany", "{\"data\": {}}", RORM_EINVAL),
                    "Unknown argument `data`");
    assert_contains(pc_fail(db, "User", "findMany", "{\"where\": {\"emial\": \"x\"}}", RORM_EINVAL),
                    "Unknown argument `emial` in where for model `User` (did you mean `email`?)");
    assert_contains(
        pc_fail(db, "User", "findMany", "{\"where\": {\"age\": {\"gtee\": 1}}}", RORM_EINVAL),
        "Unknown argument `gtee` in a field filter (did you mean `gte`?)");
    assert_contains(pc_fail(db, "User", "findMany", "{\"where\": {\"age\": \"ten\"}}", RORM_EINVAL),
                    "Argument `age`: expected Int, got String");
    assert_contains(
        pc_fail(db, "User", "findMany", "{\"where\": {\"age\": {\"in\": 3}}}", RORM_EINVAL),
        "expected a list");
    assert_contains(pc_fail(db, "User", "findMany", "{\"where\": {\"age\": {\"contains\": \"1\"}}}",
                            RORM_EINVAL),
                    "only valid for String fields");
    assert_contains(pc_fail(db, "User", "findMany",
                            "{\"where\": {\"age\": {\"equals\": 1, \"mode\": \"insensitive\"}}}",
                            RORM_EINVAL),
                    "`mode` is only valid for String fields");
    assert_contains(pc_fail(db, "User", "findMany",
                            "{\"where\": {\"name\": {\"equals\": \"a\", \"mode\": \"loud\"}}}",
                            RORM_EINVAL),
                    "\"default\" or \"insensitive\"");
    assert_contains(
        pc_fail(db, "User", "findMany", "{\"where\": {\"role\": \"OWNER\"}}", RORM_EINVAL),
        "not a value of enum 'Role'");
    assert_contains(
        pc_fail(db, "User", "findMany", "{\"where\": {\"posts\": {\"any\": {}}}}", RORM_EINVAL),
        "Unknown argument `any`");
    assert_contains(pc_fail(db, "User", "findMany", "{\"where\": {\"OR\": 1}}", RORM_EINVAL),
                    "expected an object or a list");
    assert_contains(pc_fail(db, "User", "findMany", "[1]", RORM_EINVAL), "must be an object");
    assert_contains(pc_fail(db, "User", "findMany", "{\"where\": ", RORM_EPARSE), "");
    /* Dates as ISO text. */
    assert_string_equal(
        pc_ids(db, "User", "{\"where\": {\"createdAt\": {\"gt\": \"2000-01-01T00:00:00Z\"}}}"), "");
    assert_contains(
        pc_fail(db, "User", "findMany", "{\"where\": {\"createdAt\": \"yesterday\"}}", RORM_EINVAL),
        "Argument `createdAt`");
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_find__equality_and_comparisons),
        cmocka_unit_test(test_pc_find__null_checks),
        cmocka_unit_test(test_pc_find__logic),
        cmocka_unit_test(test_pc_find__string_matching),
        cmocka_unit_test(test_pc_find__wildcards_are_escaped),
        cmocka_unit_test(test_pc_find__injection_in_values_and_keys),
        cmocka_unit_test(test_pc_find__order_by),
        cmocka_unit_test(test_pc_find__take_skip),
        cmocka_unit_test(test_pc_find__same_shape_other_values),
        cmocka_unit_test(test_pc_find__cursor),
        cmocka_unit_test(test_pc_find__distinct),
        cmocka_unit_test(test_pc_find__select_and_omit),
        cmocka_unit_test(test_pc_find__unique_and_first),
        cmocka_unit_test(test_pc_find__compound_unique),
        cmocka_unit_test(test_pc_find__validation_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
