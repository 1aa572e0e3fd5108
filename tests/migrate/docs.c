/*
 * Runs the example of docs/migrations.md (extracted by CMake into doc_example.c) on the
 * database under test.
 */
#include "harness/harness.h"

#include "doc_example.c"

static void test_migrate_docs__example_runs(void **state)
{
    (void)state;
    rorm_db *db = rorm_test_open();
    assert_int_equal(example_migrations(db), 0);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_docs__example_runs),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
