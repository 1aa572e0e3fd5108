/*
 * The shared Prisma corpus ($RORM_SHARED_DIR/corpus/prisma): real-world schemas load with the
 * model, enum and view counts of their text; other providers behave as the corpus README says;
 * every psl/ case gives the result MANIFEST.tsv states, and rejected cases report an error on a
 * line named by Prisma's expected output.
 */
#include "harness/harness.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rediorm/prisma.h"
#include "schema/schema.h"

static const char *corpus_path(const char *rel)
{
    static char path[4096];
    const char *dir = getenv("RORM_SHARED_DIR");
    snprintf(path, sizeof path, "%s/corpus/prisma/%s", dir ? dir : "../shared", rel);
    return path;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        return NULL;
    }
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

/* Count `model X {`, `enum X {` and `view X {` lines outside block comments. */
static void count_blocks(const char *text, size_t *models, size_t *enums, size_t *views)
{
    *models = *enums = *views = 0;
    bool in_comment = false;
    const char *line = text;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)(n < 511 ? n : 511), line);
        if (in_comment) {
            in_comment = strstr(buf, "*/") == NULL;
        } else if (strncmp(buf, "/*", 2) == 0) {
            in_comment = strstr(buf + 2, "*/") == NULL;
        } else {
            char kw[32], name[256], brace[8];
            if (sscanf(buf, " %31s %255s %7s", kw, name, brace) == 3 && strcmp(brace, "{") == 0) {
                *models += strcmp(kw, "model") == 0;
                *enums += strcmp(kw, "enum") == 0;
                *views += strcmp(kw, "view") == 0;
            }
        }
        line = end ? end + 1 : line + n;
    }
}

static void print_diags(const rorm_diagnostics *d)
{
    rorm_diagnostics_print(d, stderr);
}

static void test_prisma_corpus__real(void **state)
{
    (void)state;
    DIR *dir = opendir(corpus_path("real"));
    assert_non_null(dir);
    struct dirent *de;
    int files = 0;
    while ((de = readdir(dir)) != NULL) {
        if (!strstr(de->d_name, ".prisma")) {
            continue;
        }
        char rel[512];
        snprintf(rel, sizeof rel, "real/%s", de->d_name);
        size_t len;
        char *text = slurp(corpus_path(rel), &len);
        assert_non_null(text);
        rorm_diagnostics *d;
        rorm_error err = { 0 };
        assert_int_equal(rorm_diagnostics_new(&d, &err), RORM_OK);
        rorm_schema *s = NULL;
        int rc = rorm_prisma_load_string(&s, text, len, de->d_name, d, &err);
        if (rc != RORM_OK) {
            print_diags(d);
            fail_msg("%s: %s", de->d_name, err.message);
        }
        size_t models, enums, views;
        count_blocks(text, &models, &enums, &views);
        size_t got_models = 0, got_views = 0;
        for (size_t i = 0; i < rorm_schema_model_count(s); i++) {
            const rorm_model *m = rorm_schema_model_at(s, i);
            if (m->is_view) {
                got_views++;
            } else {
                got_models++;
            }
        }
        if (got_models != models || got_views != views || rorm_schema_enum_count(s) != enums) {
            fail_msg("%s: models %zu/%zu enums %zu/%zu views %zu/%zu", de->d_name, got_models,
                     models, rorm_schema_enum_count(s), enums, got_views, views);
        }
        assert_int_equal(rorm_diagnostics_error_count(d), 0);
        rorm_schema_release(s);
        rorm_diagnostics_free(d);
        free(text);
        files++;
    }
    closedir(dir);
    assert_int_equal(files, 25);
}

static int load_corpus_file(const char *rel, rorm_diagnostics *d, rorm_error *err)
{
    rorm_schema *s = NULL;
    int rc = rorm_prisma_load_path(&s, corpus_path(rel), d, err);
    rorm_schema_release(s);
    return rc;
}

static void test_prisma_corpus__other_providers(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int rc;
    } cases[] = {
        { "other-providers/prisma__prisma-examples__databases-cockroachdb.prisma", RORM_OK },
        { "other-providers/prisma__prisma-examples__databases-mongodb.prisma", RORM_EUNSUPPORTED },
        { "other-providers/prisma__prisma-examples__databases-sql-server.prisma",
          RORM_EUNSUPPORTED },
        { "other-providers/pdovhomilja__nextcrm-app__prisma-schema-mongodb-2023.prisma",
          RORM_EUNSUPPORTED },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rorm_diagnostics *d;
        rorm_error err = { 0 };
        assert_int_equal(rorm_diagnostics_new(&d, &err), RORM_OK);
        int rc = load_corpus_file(cases[i].file, d, &err);
        if (rc != cases[i].rc) {
            print_diags(d);
            fail_msg("%s: got %d (%s)", cases[i].file, rc, err.message);
        }
        if (rc == RORM_EUNSUPPORTED) {
            /* One clear error naming the provider and its line. */
            assert_int_equal(rorm_diagnostics_error_count(d), 1);
            const rorm_diag *x = rorm_diagnostics_at(d, 0);
            assert_non_null(strstr(x->message, "not supported"));
            assert_true(strstr(x->message, "mongodb") || strstr(x->message, "sqlserver"));
            assert_true(x->line > 1);
        }
        rorm_diagnostics_free(d);
    }
}

/* The lines Prisma's expected output names ("-->  schema.prisma:LINE"), as a bit set. */
static size_t expected_lines(const char *text, bool *lines, size_t max)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, "schema.prisma:")) != NULL; p++) {
        int line = atoi(p + strlen("schema.prisma:"));
        if (line > 0 && (size_t)line < max) {
            lines[line] = true;
            n++;
        }
    }
    return n;
}

static void test_prisma_corpus__psl(void **state)
{
    (void)state;
    size_t len;
    char *manifest = slurp(corpus_path("psl/MANIFEST.tsv"), &len);
    assert_non_null(manifest);
    int cases = 0, failures = 0;
    char *save = NULL;
    for (char *line = strtok_r(manifest, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char path[512], expected[32], provider[32];
        if (sscanf(line, "%511[^\t]\t%31[^\t]\t%31[^\t]", path, expected, provider) != 3 ||
            strcmp(path, "path") == 0) {
            continue;
        }
        char rel[600];
        snprintf(rel, sizeof rel, "psl/%s", path);
        size_t tlen;
        char *text = slurp(corpus_path(rel), &tlen);
        assert_non_null(text);
        rorm_diagnostics *d;
        rorm_error err = { 0 };
        assert_int_equal(rorm_diagnostics_new(&d, &err), RORM_OK);
        rorm_schema *s = NULL;
        int rc = rorm_prisma_load_string(&s, text, tlen, "schema.prisma", d, &err);
        rorm_schema_release(s);
        bool mongo = strcmp(provider, "mongodb") == 0;
        bool ok;
        if (mongo) {
            ok = rc == RORM_EUNSUPPORTED;
        } else if (strcmp(expected, "error") == 0) {
            bool lines[4096] = { false };
            expected_lines(text, lines, 4096);
            ok = false;
            for (size_t i = 0; i < rorm_diagnostics_count(d); i++) {
                const rorm_diag *x = rorm_diagnostics_at(d, i);
                ok = ok || (x->severity == RORM_DIAG_ERROR && lines[x->line]);
            }
            ok = ok && rc != RORM_OK;
        } else {
            ok = rc == RORM_OK;
        }
        if (!ok) {
            fprintf(stderr, "psl case %s (expected %s) failed, rc %d:\n", path, expected, rc);
            print_diags(d);
            failures++;
        }
        cases++;
        rorm_diagnostics_free(d);
        free(text);
    }
    free(manifest);
    assert_int_equal(cases, 62);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prisma_corpus__real),
        cmocka_unit_test(test_prisma_corpus__other_providers),
        cmocka_unit_test(test_prisma_corpus__psl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
