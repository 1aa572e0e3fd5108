/*
 * The number of statements relation loading takes: include of 1,000 users with their posts and
 * the posts' comments (two levels) is one statement per level, whatever the number of parents;
 * with small key chunks it is one per chunk, and the result is the same. Counted with the
 * connection's statement counter inside a transaction (one pinned connection).
 */
#include "rel_fixture.h"

#include "query/prisma/pc.h"

#define NUSERS 1000

static char *big_json(size_t size)
{
    char *p = malloc(size);
    assert_non_null(p);
    return p;
}

static void seed_many(rorm_db *db)
{
    size_t size = 64 * NUSERS * 7;
    char *j = big_json(size);
    size_t n = (size_t)snprintf(j, size, "{\"data\": [");
    for (int i = 1; i <= NUSERS; i++) {
        n += (size_t)snprintf(j + n, size - n, "%s{\"name\": \"u%d\", \"email\": \"u%d@x\"}",
                              i > 1 ? ", " : "", i, i);
    }
    snprintf(j + n, size - n, "]}");
    pc_call(db, "User", "createMany", j);
    /* Three posts per user, two comments per post. */
    n = (size_t)snprintf(j, size, "{\"data\": [");
    for (int i = 0; i < 3 * NUSERS; i++) {
        n += (size_t)snprintf(j + n, size - n, "%s{\"title\": \"p%d\", \"authorId\": %d}",
                              i ? ", " : "", i + 1, i / 3 + 1);
    }
    snprintf(j + n, size - n, "]}");
    pc_call(db, "Post", "createMany", j);
    n = (size_t)snprintf(j, size, "{\"data\": [");
    for (int i = 0; i < 6 * NUSERS; i++) {
        n += (size_t)snprintf(j + n, size - n, "%s{\"text\": \"c%d\", \"postId\": %d}",
                              i ? ", " : "", i + 1, i / 2 + 1);
    }
    snprintf(j + n, size - n, "]}");
    pc_call(db, "Comment", "createMany", j);
    free(j);
}

/* Run findMany on a transaction; return the statements it ran and the result's JSON. */
static uint64_t counted(rorm_db *db, const char *args, char **json_out)
{
    return pc_statements(db, "User", "findMany", args, json_out);
}

static size_t occurrences(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle)) {
        n++;
    }
    return n;
}

static const char two_levels[] = "{\"include\": {\"posts\": {\"include\": {\"comments\": true}}}}";

static void test_pc_rel_counts__two_levels_fixed(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    seed_many(db);
    char *json = NULL;
    uint64_t ran = counted(db, two_levels, &json);
    print_message("include of %d users, posts, comments: %llu statements\n", NUSERS,
                  (unsigned long long)ran);
    assert_int_equal(ran, 3);
    assert_int_equal(occurrences(json, "\"email\":"), NUSERS);
    assert_int_equal(occurrences(json, "\"title\":"), 3 * NUSERS);
    assert_int_equal(occurrences(json, "\"text\":"), 6 * NUSERS);
    /* The last user's last post and its comments are where they belong. */
    assert_contains(json, "{\"id\":3000,\"title\":\"p3000\",\"views\":0,\"authorId\":1000,"
                          "\"editorId\":null,\"comments\":[{\"id\":5999,\"text\":\"c5999\","
                          "\"postId\":3000},{\"id\":6000,\"text\":\"c6000\",\"postId\":3000}]}]}]");
    /* _count and a many-to-one back to the user: one statement more each. */
    char *json2 = NULL;
    ran = counted(
        db,
        "{\"select\": {\"id\": true, \"_count\": {\"select\": {\"posts\": true}},"
        " \"posts\": {\"select\": {\"id\": true, \"author\": {\"select\": {\"id\": true}}}}}}",
        &json2);
    print_message("with _count and posts.author: %llu statements\n", (unsigned long long)ran);
    assert_int_equal(ran, 4);
    assert_int_equal(occurrences(json2, "\"_count\":{\"posts\":3}"), NUSERS);
    rorm_free(json2);

    /* Implicit many-to-many: the join table is one more statement; every post has 2 tags. */
    pc_call(db, "Tag", "createMany", "{\"data\": [{\"name\": \"x\"}, {\"name\": \"y\"}]}");
    rel_exec(db, "INSERT INTO \"_PostToTag\" (\"A\", \"B\") SELECT \"id\", 1 FROM \"Post\"");
    rel_exec(db, "INSERT INTO \"_PostToTag\" (\"A\", \"B\") SELECT \"id\", 2 FROM \"Post\"");
    char *json3 = NULL;
    ran =
        counted(db,
                "{\"select\": {\"id\": true, \"posts\": {\"select\": {\"id\": true, \"tags\": true,"
                " \"_count\": {\"select\": {\"tags\": true}}}}}}",
                &json3);
    print_message("users, posts, posts.tags and their _count: %llu statements\n",
                  (unsigned long long)ran);
    assert_int_equal(ran, 1 + 1 + 2 + 1);
    assert_int_equal(occurrences(json3, "\"name\":\"y\""), 3 * NUSERS);
    assert_int_equal(occurrences(json3, "\"_count\":{\"tags\":2}"), 3 * NUSERS);
    rorm_free(json3);

    /* Chunks of 100 keys: 1 + 10 + 30 statements, the same result. */
    rorm__pc_chunk_keys = 100;
    char *chunked = NULL;
    ran = counted(db, two_levels, &chunked);
    rorm__pc_chunk_keys = 0;
    print_message("with chunks of 100 keys: %llu statements\n", (unsigned long long)ran);
    assert_int_equal(ran, 1 + 10 + 30);
    assert_string_equal(chunked, json);
    rorm_free(chunked);
    rorm_free(json);
    rorm_db_close(db);
}

/* rorm_db_load_relations (the chainable builder's include): records read elsewhere get their
   relations through the same batched loader: two statements for two levels of 1,000 users. */
static void test_pc_rel_counts__load_relations(void **state)
{
    (void)state;
    rorm_db *db = rel_open();
    seed_many(db);
    rorm_error err = { 0 };
    rorm_value recs, include;
    rorm_value_init(&include);
    rorm_member sel[] = { { "id", RORM_BOOL(true) } };
    rorm_member args[] = { { "select", RORM_OBJECT(sel) } };
    assert_rorm_ok(rorm_db_call(&recs, db, "User", "findMany", &RORM_OBJECT(args), &err), &err);
    rorm_member inner[] = { { "comments", RORM_BOOL(true) } };
    rorm_member posts[] = { { "include", RORM_OBJECT(inner) } };
    rorm_member inc[] = { { "posts", RORM_OBJECT(posts) } };
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    rorm_conn *conn = NULL;
    assert_rorm_ok(rorm__db_acquire(&conn, tx, &err), &err);
    uint64_t before = rorm__conn_statements_run(conn);
    assert_rorm_ok(rorm_db_load_relations(&recs, tx, "User", &RORM_OBJECT(inc), &err), &err);
    uint64_t ran = rorm__conn_statements_run(conn) - before;
    rorm__db_release(tx, conn);
    assert_rorm_ok(rorm_db_commit(tx, &err), &err);
    assert_int_equal(ran, 2);
    char *json = NULL;
    size_t len = 0;
    assert_rorm_ok(rorm_value_to_json(&json, &len, &recs), &err);
    assert_int_equal(occurrences(json, "\"title\":"), 3 * NUSERS);
    assert_int_equal(occurrences(json, "\"text\":"), 6 * NUSERS);
    assert_contains(json, "{\"id\":1000,\"posts\":[{\"id\":2998,");
    rorm_free(json);
    /* A bad include is the engine's error. */
    rorm_member bad[] = { { "postz", RORM_BOOL(true) } };
    assert_int_equal(rorm_db_load_relations(&recs, db, "User", &RORM_OBJECT(bad), &err),
                     RORM_EINVAL);
    assert_contains(err.message, "posts");
    rorm_value_dispose(&recs);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_rel_counts__two_levels_fixed),
        cmocka_unit_test(test_pc_rel_counts__load_relations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
