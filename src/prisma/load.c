/*
 * The public loaders: text, several texts, a file or a directory of .prisma files -> parse
 * every file into one AST -> validate -> map into a rorm_schema. Diagnostics from all stages
 * go to the caller's list; the rorm_error carries a one-line summary.
 */
#include "prisma/prisma.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/alloc.h"
#include "util/error.h"

/* The first error in source order, for the summary in rorm_error. */
static int summarise(rorm_error *err, const rorm_diagnostics *d, int code)
{
    size_t n = rorm_diagnostics_error_count(d);
    for (size_t i = 0; i < rorm_diagnostics_count(d); i++) {
        const rorm_diag *x = rorm_diagnostics_at(d, i);
        if (x->severity != RORM_DIAG_ERROR) {
            continue;
        }
        if (n > 1) {
            rorm__error(err, code, "%s:%d:%d: %s (and %zu more errors)", x->file, x->line,
                        x->column, x->message, n - 1);
        } else {
            rorm__error(err, code, "%s:%d:%d: %s", x->file, x->line, x->column, x->message);
        }
        if (err) {
            err->line = x->line;
            err->column = x->column;
        }
        return code;
    }
    return rorm__error(err, code, "the Prisma schema is invalid");
}

static int load_with(rorm_schema **out,
                     const char *const *texts,
                     const size_t *lens,
                     const char *const *names,
                     size_t nfiles,
                     rorm_diagnostics *d,
                     rorm_error *err)
{
    rorm__pschema ps;
    rorm__pconfig cfg;
    int rc = RORM_OK;
    rorm__pschema_init(&ps);
    for (size_t i = 0; i < nfiles; i++) {
        const char *name = names && names[i] ? names[i] : "schema.prisma";
        int file = rorm__diag_add_file(d, name, texts[i], lens[i]);
        if (file < 0 || rorm__prisma_parse(&ps, texts[i], lens[i], file, d) != 0) {
            rc = rorm__error_oom(err);
            goto done;
        }
    }
    rorm__prisma_validate(&cfg, &ps, d);
    if (rorm__diag_oom(d)) {
        rc = rorm__error_oom(err);
        goto done;
    }
    if (cfg.provider && !cfg.sql_provider &&
        (strcmp(cfg.provider, "mongodb") == 0 || strcmp(cfg.provider, "sqlserver") == 0)) {
        rorm__perr(d, cfg.provider_span,
                   "The provider \"%s\" is not supported by RediORM: use \"postgresql\", "
                   "\"mysql\", \"sqlite\" or \"cockroachdb\".",
                   cfg.provider);
        rc = summarise(err, d, RORM_EUNSUPPORTED);
        goto done;
    }
    if (rorm_diagnostics_error_count(d) > 0) {
        rc = summarise(err, d, RORM_ESCHEMA);
        goto done;
    }
    rc = rorm__prisma_map(out, &cfg, &ps, d, err);
    if (rc == RORM_ESCHEMA) {
        rc = summarise(err, d, RORM_ESCHEMA);
    }
done:
    rorm__pschema_dispose(&ps);
    return rc;
}

int rorm_prisma_load_strings(rorm_schema **out,
                             const char *const *texts,
                             const size_t *lens,
                             const char *const *filenames,
                             size_t nfiles,
                             rorm_diagnostics *diags,
                             rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    RORM_CHECK_ARG(texts != NULL && lens != NULL && nfiles > 0, err);
    for (size_t i = 0; i < nfiles; i++) {
        RORM_CHECK_ARG(texts[i] != NULL, err);
    }
    rorm_diagnostics *own = NULL;
    if (!diags) {
        int rc = rorm_diagnostics_new(&own, err);
        if (rc != RORM_OK) {
            return rc;
        }
        diags = own;
    }
    int rc = load_with(out, texts, lens, filenames, nfiles, diags, err);
    rorm_diagnostics_free(own);
    return rc;
}

int rorm_prisma_load_string(rorm_schema **out,
                            const char *text,
                            size_t len,
                            const char *filename,
                            rorm_diagnostics *diags,
                            rorm_error *err)
{
    RORM_CHECK_ARG(text != NULL, err);
    return rorm_prisma_load_strings(out, &text, &len, &filename, 1, diags, err);
}

/* Read a whole file into a rorm__malloc'ed buffer. */
static int read_file(char **out, size_t *len_out, const char *path, rorm_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        return rorm__error(err, RORM_ENOTFOUND, "cannot open '%s': %s", path, strerror(errno));
    }
    rorm_str s = RORM_STR_INIT;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        rorm__str_put(&s, buf, n);
    }
    bool failed = ferror(fp) != 0;
    fclose(fp);
    if (failed) {
        rorm__str_dispose(&s);
        return rorm__error(err, RORM_ENOTFOUND, "cannot read '%s'", path);
    }
    if (rorm__str_oom(&s)) {
        rorm__str_dispose(&s);
        return rorm__error_oom(err);
    }
    *len_out = s.len;
    *out = s.len ? rorm__str_detach(&s) : rorm__strdup("");
    return *out ? RORM_OK : rorm__error_oom(err);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with_prisma(const char *name)
{
    size_t n = strlen(name);
    return n > 7 && strcmp(name + n - 7, ".prisma") == 0;
}

int rorm_prisma_load_path(rorm_schema **out,
                          const char *path,
                          rorm_diagnostics *diags,
                          rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    RORM_CHECK_ARG(path != NULL, err);
    struct stat st;
    if (stat(path, &st) != 0) {
        return rorm__error(err, RORM_ENOTFOUND, "cannot open '%s': %s", path, strerror(errno));
    }
    rorm_vec(char *) paths = { 0 };
    rorm_vec(char *) texts = { 0 };
    rorm_vec(size_t) lens = { 0 };
    int rc = RORM_OK;
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        if (!dir) {
            return rorm__error(err, RORM_ENOTFOUND, "cannot open '%s': %s", path, strerror(errno));
        }
        struct dirent *de;
        while ((de = readdir(dir)) != NULL) {
            if (!ends_with_prisma(de->d_name)) {
                continue;
            }
            rorm_str s = RORM_STR_INIT;
            rorm__str_printf(&s, "%s/%s", path, de->d_name);
            char *p = rorm__str_oom(&s) ? NULL : rorm__str_detach(&s);
            if (!p || rorm_vec_push(&paths, p) != 0) {
                rorm__free(p);
                rc = rorm__error_oom(err);
                break;
            }
        }
        closedir(dir);
        if (rc == RORM_OK && paths.len == 0) {
            rc = rorm__error(err, RORM_ENOTFOUND, "no .prisma file in '%s'", path);
        }
        if (paths.len > 1) {
            qsort(paths.ptr, paths.len, sizeof *paths.ptr, cmp_str);
        }
    } else {
        char *p = rorm__strdup(path);
        if (!p || rorm_vec_push(&paths, p) != 0) {
            rorm__free(p);
            rc = rorm__error_oom(err);
        }
    }
    if (rc == RORM_OK &&
        (rorm_vec_reserve(&texts, paths.len) != 0 || rorm_vec_reserve(&lens, paths.len) != 0)) {
        rc = rorm__error_oom(err);
    }
    for (size_t i = 0; rc == RORM_OK && i < paths.len; i++) {
        char *text;
        size_t len;
        rc = read_file(&text, &len, paths.ptr[i], err);
        if (rc == RORM_OK) {
            texts.ptr[texts.len++] = text;
            lens.ptr[lens.len++] = len;
        }
    }
    if (rc == RORM_OK) {
        rc = rorm_prisma_load_strings(out, (const char *const *)texts.ptr, lens.ptr,
                                      (const char *const *)paths.ptr, paths.len, diags, err);
    }
    for (size_t i = 0; i < texts.len; i++) {
        rorm__free(texts.ptr[i]);
    }
    for (size_t i = 0; i < paths.len; i++) {
        rorm__free(paths.ptr[i]);
    }
    rorm_vec_free(&texts);
    rorm_vec_free(&lens);
    rorm_vec_free(&paths);
    return rc;
}
