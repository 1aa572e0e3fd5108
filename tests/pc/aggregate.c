/*
 * count / aggregate / groupBy on SQLite: plain and windowed counts, count with select, every
 * aggregate function and its result type, groupBy with having (on fields and on aggregates),
 * orderBy on aggregates, take/skip, and the validation errors.
 */
#include "pc_fixture.h"

static void seed_items(rorm_db *db)
{
    pc_call(
        db, "Item", "createMany",
        "{\"data\": ["
        "{\"name\": \"pen\", \"qty\": 10, \"price\": 1.5, \"total\": \"15.00\", \"big\": 1, \"category\": \"office\"},"
        "{\"name\": \"pad\", \"qty\": 4, \"price\": 3, \"total\": \"12.00\", \"big\": 2, \"category\": \"office\"},"
        "{\"name\": \"ink\", \"qty\": 2, \"price\": 8.25, \"category\": \"office\"},"
        "{\"name\": \"mug\", \"qty\": 6, \"price\": 5, \"total\": \"30.00\", \"category\": \"kitchen\"},"
        "{\"name\": \"pan\", \"qty\": 1, \"price\": 20, \"big\": 9007199254740993, \"category\": \"kitchen\"},"
        "{\"name\": \"odd\", \"qty\": 3, \"price\": 2}]}");
}

static void test_pc_aggregate__count(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_users(db);
    assert_string_equal(pc_call(db, "User", "count", "{}"), "6");
    assert_string_equal(pc_call(db, "User", "count", "{\"where\": {\"age\": {\"gt\": 20}}}"), "3");
    assert_string_equal(pc_call(db, "User", "count", "{\"take\": 2}"), "2");
    assert_string_equal(pc_call(db, "User", "count", "{\"skip\": 4}"), "2");
    assert_string_equal(pc_call(db, "User", "count", "{\"take\": -3, \"skip\": 1}"), "3");
    assert_string_equal(pc_call(db, "User", "count", "{\"cursor\": {\"id\": 5}}"), "2");
    assert_string_equal(pc_call(db, "User", "count", "{\"cursor\": {\"id\": 50}}"), "0");
    assert_string_equal(pc_call(db, "User", "count",
                                "{\"select\": {\"_all\": true, \"age\": true, \"score\": true}}"),
                        "{\"_all\":6,\"age\":5,\"score\":3}");
    assert_string_equal(pc_call(db, "User", "count",
                                "{\"select\": {\"age\": true}, \"where\": {\"role\": \"USER\"}}"),
                        "{\"age\":4}");
    assert_contains(pc_fail(db, "User", "count", "{\"select\": {\"agee\": true}}", RORM_EINVAL),
                    "did you mean `age`");
    assert_contains(pc_fail(db, "User", "count", "{\"data\": 1}", RORM_EINVAL),
                    "Unknown argument `data` in User.count");
    rorm_db_close(db);
}

static void test_pc_aggregate__functions(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    seed_items(db);
    pc_expect(
        db, "Item", "aggregate",
        "{\"_count\": true, \"_sum\": {\"qty\": true, \"price\": true}, \"_avg\": {\"price\": true},"
        " \"_min\": {\"name\": true, \"price\": true}, \"_max\": {\"name\": true, \"qty\": true}}",
        "{\"_count\":6,\"_avg\":{\"price\":6.625},\"_sum\":{\"qty\":26,\"price\":39.75},"
        "\"_min\":{\"name\":\"ink\",\"price\":1.5},\"_max\":{\"name\":\"pen\",\"qty\":10}}");
    pc_expect(db, "Item", "aggregate",
              "{\"_count\": {\"_all\": true, \"total\": true, \"category\": true}}",
              "{\"_count\":{\"_all\":6,\"total\":3,\"category\":5}}");
    pc_expect(
        db, "Item", "aggregate",
        "{\"where\": {\"category\": \"office\"}, \"_sum\": {\"total\": true, \"big\": true}, \"_avg\": {\"price\": true}}",
        "{\"_avg\":{\"price\":4.25},\"_sum\":{\"total\":\"27\",\"big\":3}}");
    /* Windowed: the aggregates see only the window's rows. */
    pc_expect(db, "Item", "aggregate",
              "{\"orderBy\": {\"qty\": \"desc\"}, \"take\": 2, \"_sum\": {\"qty\": true}}",
              "{\"_sum\":{\"qty\":16}}");
    pc_expect(db, "Item", "aggregate",
              "{\"orderBy\": {\"qty\": \"desc\"}, \"take\": -2, \"_sum\": {\"qty\": true}}",
              "{\"_sum\":{\"qty\":3}}");
    pc_expect(db, "Item", "aggregate",
              "{\"cursor\": {\"id\": 5}, \"_count\": true, \"_max\": {\"qty\": true}}",
              "{\"_count\":2,\"_max\":{\"qty\":3}}");
    /* Nothing matches: counts are 0, the rest null. */
    pc_expect(
        db, "Item", "aggregate",
        "{\"where\": {\"qty\": 99}, \"_count\": true, \"_avg\": {\"qty\": true}, \"_min\": {\"name\": true}}",
        "{\"_count\":0,\"_avg\":{\"qty\":null},\"_min\":{\"name\":null}}");
    pc_expect(db, "Item", "aggregate",
              "{\"cursor\": {\"id\": 99}, \"_count\": true, \"_sum\": {\"qty\": true}}",
              "{\"_count\":0,\"_sum\":{\"qty\":null}}");
    pc_expect(db, "Item", "aggregate", "{}", "{}");
    assert_contains(pc_fail(db, "Item", "aggregate", "{\"_avg\": {\"name\": true}}", RORM_EINVAL),
                    "`_avg` needs a number field, `name` is String");
    assert_contains(pc_fail(db, "Item", "aggregate", "{\"_sum\": {\"qtyy\": true}}", RORM_EINVAL),
                    "did you mean `qty`");
    assert_contains(pc_fail(db, "Item", "aggregate", "{\"_sum\": true}", RORM_EINVAL),
                    "Argument `_sum`: expected an object, got Boolean");
    assert_contains(pc_fail(db, "Item", "aggregate", "{\"_mean\": {}}", RORM_EINVAL),
                    "Unknown argument `_mean` in Item.aggregate");
    rorm_db_close(db);
}

static void test_pc_aggregate__group_by(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    seed_items(db);
    pc_expect(db, "Item", "groupBy",
              "{\"by\": [\"category\"], \"_count\": {\"_all\": true}, \"_sum\": {\"qty\": true},"
              " \"orderBy\": {\"category\": {\"sort\": \"asc\", \"nulls\": \"first\"}}}",
              "[{\"category\":null,\"_count\":{\"_all\":1},\"_sum\":{\"qty\":3}},"
              "{\"category\":\"kitchen\",\"_count\":{\"_all\":2},\"_sum\":{\"qty\":7}},"
              "{\"category\":\"office\",\"_count\":{\"_all\":3},\"_sum\":{\"qty\":16}}]");
    pc_expect(db, "Item", "groupBy",
              "{\"by\": \"category\", \"where\": {\"category\": {\"not\": null}}, \"_count\": true,"
              " \"_avg\": {\"price\": true}, \"orderBy\": {\"_avg\": {\"price\": \"desc\"}}}",
              "[{\"category\":\"kitchen\",\"_count\":2,\"_avg\":{\"price\":12.5}},"
              "{\"category\":\"office\",\"_count\":3,\"_avg\":{\"price\":4.25}}]");
    /* having: on an aggregate, and on a grouped field. */
    pc_expect(
        db, "Item", "groupBy",
        "{\"by\": [\"category\"], \"having\": {\"qty\": {\"_sum\": {\"gt\": 5}}}, \"_sum\": {\"qty\": true},"
        " \"orderBy\": {\"_sum\": {\"qty\": \"asc\"}}}",
        "[{\"category\":\"kitchen\",\"_sum\":{\"qty\":7}},{\"category\":\"office\",\"_sum\":{\"qty\":16}}]");
    pc_expect(
        db, "Item", "groupBy",
        "{\"by\": [\"category\"], \"having\": {\"OR\": [{\"price\": {\"_max\": {\"gte\": 20}}},"
        " {\"qty\": {\"_count\": {\"lt\": 2}}}]}, \"orderBy\": [{\"category\": {\"sort\": \"asc\", \"nulls\": \"last\"}}]}",
        "[{\"category\":\"kitchen\"},{\"category\":null}]");
    pc_expect(
        db, "Item", "groupBy",
        "{\"by\": [\"category\"], \"having\": {\"category\": {\"startsWith\": \"k\"}}, \"_min\": {\"qty\": true}}",
        "[{\"category\":\"kitchen\",\"_min\":{\"qty\":1}}]");
    pc_expect(
        db, "Item", "groupBy",
        "{\"by\": [\"category\"], \"having\": {\"qty\": {\"_avg\": {\"gt\": 3}, \"_min\": {\"lte\": 2}}}}",
        "[{\"category\":\"kitchen\"},{\"category\":\"office\"}]");
    /* Several fields, take and skip. */
    pc_expect(
        db, "Item", "groupBy",
        "{\"by\": [\"category\", \"price\"], \"where\": {\"category\": \"office\"},"
        " \"orderBy\": [{\"category\": \"asc\"}, {\"price\": \"desc\"}], \"take\": 2, \"skip\": 1}",
        "[{\"category\":\"office\",\"price\":3},{\"category\":\"office\",\"price\":1.5}]");
    pc_expect(
        db, "Item", "groupBy",
        "{\"by\": [\"category\"], \"orderBy\": {\"_count\": {\"category\": \"desc\"}}, \"take\": 1,"
        " \"_count\": {\"category\": true}}",
        "[{\"category\":\"office\",\"_count\":{\"category\":3}}]");
    /* A negative take: the last groups of the order asked, and (as Prisma's groupBy returns
       them, unlike findMany) from the end backwards. */
    pc_expect(db, "Item", "groupBy",
              "{\"by\": [\"category\"], \"where\": {\"category\": {\"not\": null}},"
              " \"orderBy\": {\"category\": \"asc\"}, \"take\": -1}",
              "[{\"category\":\"office\"}]");
    pc_expect(db, "Item", "groupBy",
              "{\"by\": [\"category\"], \"where\": {\"category\": {\"not\": null}},"
              " \"orderBy\": {\"category\": \"asc\"}, \"take\": -2}",
              "[{\"category\":\"office\"},{\"category\":\"kitchen\"}]");
    /* Paging groups needs an order, as in Prisma; skip: 0 pages nothing. */
    assert_contains(
        pc_fail(db, "Item", "groupBy", "{\"by\": [\"category\"], \"take\": 1}", RORM_EINVAL),
        "Argument `orderBy` of Item.groupBy is required when using `take`");
    assert_contains(pc_fail(db, "Item", "groupBy",
                            "{\"by\": [\"category\"], \"take\": 1, \"skip\": 1}", RORM_EINVAL),
                    "when using `take` and `skip`");
    assert_contains(
        pc_fail(db, "Item", "groupBy", "{\"by\": [\"category\"], \"skip\": 2}", RORM_EINVAL),
        "when using `skip`");
    pc_expect(db, "Item", "groupBy",
              "{\"by\": [\"category\"], \"where\": {\"category\": \"office\"}, \"skip\": 0}",
              "[{\"category\":\"office\"}]");
    assert_contains(pc_fail(db, "Item", "groupBy", "{}", RORM_EINVAL), "Argument `by` is missing");
    assert_contains(pc_fail(db, "Item", "groupBy", "{\"by\": []}", RORM_EINVAL), "is empty");
    assert_contains(pc_fail(db, "Item", "groupBy", "{\"by\": [\"categry\"]}", RORM_EINVAL),
                    "did you mean `category`");
    assert_contains(pc_fail(db, "Item", "groupBy",
                            "{\"by\": [\"category\"], \"orderBy\": {\"qty\": \"asc\"}}",
                            RORM_EINVAL),
                    "Missing fields: qty");
    assert_contains(
        pc_fail(db, "Item", "groupBy",
                "{\"by\": [\"category\"], \"having\": {\"qty\": {\"_avg\": {\"gt\": \"x\"}}}}",
                RORM_EINVAL),
        "expected Float, got String");
    assert_contains(
        pc_fail(db, "Item", "groupBy",
                "{\"by\": [\"category\"], \"having\": {\"name\": {\"_sum\": {\"gt\": 1}}}}",
                RORM_EINVAL),
        "needs a number field");
    assert_contains(pc_fail(db, "Item", "groupBy",
                            "{\"by\": [\"category\"], \"cursor\": {\"id\": 1}}", RORM_EINVAL),
                    "Unknown argument `cursor` in Item.groupBy");
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_aggregate__count),
        cmocka_unit_test(test_pc_aggregate__functions),
        cmocka_unit_test(test_pc_aggregate__group_by),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
