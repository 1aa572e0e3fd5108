/*
 * redi-orm run [--db URI] [--schema PATH] [--no-migrate] SCRIPT [ARGS...]: run a JavaScript
 * file with the RediORM JavaScript API. With --schema the Prisma schema is loaded and the
 * database brought up to date (unless --no-migrate), and the script sees the globals `db` and
 * `models`. The database URI comes from --db, else DATABASE_URL, else the schema's datasource
 * url, else sqlite://./dev.db. Exit status: the script's process.exit() status, 1 for an
 * uncaught error, 2 for usage errors.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rediorm/rediorm.h>

#include "cmd.h"

#ifdef RORM_WITH_JS
#include <rediorm/js.h>
#endif

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: redi-orm run [--db URI] [--schema PATH] [--no-migrate] SCRIPT [ARGS...]\n"
            "\n"
            "Run a JavaScript file with the RediORM JavaScript API.\n"
            "\n"
            "options:\n"
            "  --db URI       the database, e.g. sqlite://./app.db or sqlite://:memory:\n"
            "  --schema PATH  a Prisma schema file or directory: load it, create missing tables,\n"
            "                 and give the script the globals `db` and `models`\n"
            "  --no-migrate   with --schema, do not create missing tables\n"
            "  -h, --help     this help\n"
            "\n"
            "The database URI is --db, else $DATABASE_URL, else the schema's datasource url,\n"
            "else sqlite://./dev.db. ARGS reach the script as process.argv.slice(2).\n"
            "\n"
            "In the script:\n"
            "  const { fromUri } = require('redi/orm');   // open other databases\n"
            "  await db.user.create({ data: { email: 'a@b.c' } });   // Prisma Client API\n"
            "  models.User.select().where('age', '>', 20).execute();  // chainable API\n"
            "See docs/javascript.md.\n");
}

#ifdef RORM_WITH_JS /* the URL helpers serve only the JavaScript runner */
/*
 * The `url` of the schema's datasource block: a string literal, or env("NAME") read from the
 * environment. Returns a malloc'd string or NULL.
 */
static char *datasource_url(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return NULL;
    }
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[n] = '\0';
    const char *p = strstr(text, "datasource");
    while (p != NULL && p > text && !isspace((unsigned char)p[-1])) {
        p = strstr(p + 1, "datasource");
    }
    const char *end = p ? strchr(p, '}') : NULL;
    for (const char *q = p; q != NULL && q < end; q++) {
        if (strncmp(q, "url", 3) != 0 ||
            (q > p && (isalnum((unsigned char)q[-1]) || q[-1] == '_'))) {
            continue;
        }
        const char *r = q + 3;
        while (*r == ' ' || *r == '\t') {
            r++;
        }
        if (*r != '=') {
            continue;
        }
        r++;
        while (*r == ' ' || *r == '\t') {
            r++;
        }
        bool env = strncmp(r, "env(", 4) == 0;
        if (env) {
            r += 4;
            while (*r == ' ') {
                r++;
            }
        }
        if (*r != '"') {
            return NULL;
        }
        const char *s = r + 1, *e = strchr(s, '"');
        if (e == NULL) {
            return NULL;
        }
        char buf[1024];
        snprintf(buf, sizeof buf, "%.*s", (int)(e - s), s);
        if (env) {
            const char *v = getenv(buf);
            return v != NULL && *v ? strdup(v) : NULL;
        }
        return strdup(buf);
    }
    return NULL;
}

/* The datasource url of a schema file, or of the first file of a schema directory that has one
 * (Prisma's multi-file schemas), as datasource_url(). */
static char *schema_url(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return datasource_url(path);
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, NULL, alphasort);
    char *url = NULL;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names[i]->d_name);
        if (url == NULL && len > 7 && strcmp(names[i]->d_name + len - 7, ".prisma") == 0) {
            char file[4096];
            snprintf(file, sizeof file, "%s/%s", path, names[i]->d_name);
            url = datasource_url(file);
        }
        free(names[i]);
    }
    free(names);
    return url;
}

/* A Prisma `file:./dev.db` URL is relative to the schema's directory; ours are URIs. */
static char *normalize_url(char *url, const char *schema_path)
{
    if (url == NULL || strncmp(url, "file:", 5) != 0) {
        return url;
    }
    const char *file = url + 5;
    char dir[1024] = ".";
    const char *slash = strrchr(schema_path, '/');
    struct stat st;
    if (stat(schema_path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(dir, sizeof dir, "%s", schema_path); /* a multi-file schema's directory */
    } else if (slash != NULL) {
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - schema_path), schema_path);
    }
    char buf[2048];
    if (file[0] == '/') {
        snprintf(buf, sizeof buf, "sqlite://%s", file);
    } else {
        snprintf(buf, sizeof buf, "sqlite://%s/%s", dir,
                 file[0] == '.' && file[1] == '/' ? file + 2 : file);
    }
    free(url);
    return strdup(buf);
}
#endif

int cmd_js_open(rorm_js_session *session,
                const char *cmd,
                const char *db_uri,
                const char *schema_path,
                bool migrate)
{
    memset(session, 0, sizeof *session);
#ifndef RORM_WITH_JS
    (void)db_uri, (void)schema_path, (void)migrate;
    fprintf(stderr, "redi-orm %s: this build has no JavaScript support (javascriptcoregtk-4.1)\n",
            cmd);
    return 1;
#else
    if (db_uri == NULL) {
        const char *env = getenv("DATABASE_URL");
        if (env != NULL && *env) {
            db_uri = env;
        }
    }
    if (db_uri == NULL && schema_path != NULL) {
        session->url = normalize_url(schema_url(schema_path), schema_path);
        db_uri = session->url;
    }
    if (db_uri == NULL) {
        db_uri = "sqlite://./dev.db";
    }
    rorm_error err = { 0 };
    rorm_diagnostics *diags = NULL;
    int status = 1;
    if (rorm_db_open(&session->db, db_uri, &err) != RORM_OK ||
        rorm_js_engine_new(&session->js, session->db, &err) != RORM_OK) {
        fprintf(stderr, "redi-orm %s: %s\n", cmd, err.message);
        goto done;
    }
    if (schema_path != NULL) {
        if (rorm_diagnostics_new(&diags, &err) != RORM_OK ||
            rorm_js_engine_load_schema_path(session->js, schema_path, diags, &err) != RORM_OK) {
            if (diags != NULL && rorm_diagnostics_error_count(diags) > 0) {
                rorm_diagnostics_print(diags, stderr);
            } else {
                fprintf(stderr, "redi-orm %s: %s\n", cmd, err.message);
            }
            goto done;
        }
        if (migrate && rorm_js_engine_sync(session->js, &err) != RORM_OK) {
            fprintf(stderr, "redi-orm %s: bringing the database up to date: %s\n", cmd,
                    err.message);
            goto done;
        }
    }
    status = 0;
done:
    rorm_diagnostics_free(diags);
    if (status != 0) {
        cmd_js_close(session);
    }
    return status;
#endif
}

void cmd_js_close(rorm_js_session *session)
{
#ifdef RORM_WITH_JS
    fflush(stdout);
    rorm_js_engine_free(session->js);
    rorm_db_close(session->db);
    free(session->url);
#endif
    memset(session, 0, sizeof *session);
}

int cmd_js_options(cmd_js_args *out, const char *cmd, int argc, char **argv)
{
    memset(out, 0, sizeof *out);
    out->migrate = true;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--db") == 0 && i + 1 < argc) {
            out->db_uri = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            out->db_uri = a + 5;
        } else if (strcmp(a, "--schema") == 0 && i + 1 < argc) {
            out->schema_path = argv[++i];
        } else if (strncmp(a, "--schema=", 9) == 0) {
            out->schema_path = a + 9;
        } else if (strcmp(a, "--no-migrate") == 0) {
            out->migrate = false;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            out->help = true;
            return i;
        } else if (strcmp(a, "--") == 0) {
            return i + 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "redi-orm %s: unknown option '%s'\n\n", cmd, a);
            return -1;
        } else {
            break;
        }
    }
    return i;
}

int cmd_run(int argc, char **argv)
{
    cmd_js_args o;
    int i = cmd_js_options(&o, "run", argc, argv);
    if (i < 0 || o.help) {
        usage(i < 0 ? stderr : stdout);
        return i < 0 ? 2 : 0;
    }
    if (i >= argc) {
        fprintf(stderr, "redi-orm run: no script given\n\n");
        usage(stderr);
        return 2;
    }
    const char *script = argv[i];
    rorm_js_session session;
    if (cmd_js_open(&session, "run", o.db_uri, o.schema_path, o.migrate) != 0) {
        return 1;
    }
#ifndef RORM_WITH_JS
    (void)script;
    return 1;
#else
    rorm_error err = { 0 };
    int status = 1;
    /* process.argv: [redi-orm, script, args...], as node puts [node, script, args...]. */
    argv[i - 1] = "redi-orm";
    if (rorm_js_engine_set_argv(session.js, argc - i + 1, (const char *const *)argv + i - 1,
                                &err) != RORM_OK) {
        fprintf(stderr, "redi-orm run: %s\n", err.message);
        goto done;
    }
    int exit_status = 0;
    if (rorm_js_run_file(session.js, script, &exit_status, &err) != RORM_OK) {
        fflush(stdout);
        if (err.code == RORM_ENOTFOUND && rorm_js_engine_last_stack(session.js)[0] == '\0' &&
            strncmp(err.message, "cannot read", 11) == 0) {
            fprintf(stderr, "redi-orm run: %s\n", err.message);
        } else {
            cmd_js_print_error(session.js, &err);
        }
        goto done;
    }
    status = exit_status;
done:
    cmd_js_close(&session);
    return status;
#endif
}

void cmd_js_print_error(rorm_js_engine *js, const rorm_error *err)
{
#ifdef RORM_WITH_JS
    fflush(stdout);
    fprintf(stderr, "Uncaught %s\n", err->message);
    const char *stack = rorm_js_engine_last_stack(js);
    if (stack[0] != '\0') {
        fprintf(stderr, "%s\n", stack);
    }
#else
    (void)js, (void)err;
#endif
}
