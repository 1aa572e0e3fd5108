/*
 * The redi-orm command's subcommands. Each has a main-shaped entry that receives the arguments
 * after the subcommand name (argv[0] is the subcommand) and returns the process exit status.
 */
#ifndef REDI_ORM_CMD_H
#define REDI_ORM_CMD_H

#include <stdbool.h>

#include <rediorm/rediorm.h>
#ifdef RORM_WITH_JS
#include <rediorm/js.h>
#else
typedef struct rorm_js_engine rorm_js_engine;
#endif

int cmd_console(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_pull(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);

/* The options `run` and `console` share: --db URI, --schema PATH, --no-migrate, --help. */
typedef struct cmd_js_args {
    const char *db_uri, *schema_path;
    bool migrate, help;
} cmd_js_args;

/* Parse them from argv[1...]; returns the index of the first other argument, -1 on an unknown
   option (reported on stderr with @p cmd's name). */
int cmd_js_options(cmd_js_args *out, const char *cmd, int argc, char **argv);

/* An open database and JavaScript engine, with the schema loaded and migrated when asked. */
typedef struct rorm_js_session {
    rorm_db *db;
    rorm_js_engine *js;
    char *url; /* the URI made from the schema's datasource, when that was used */
} rorm_js_session;

/* Open @p session: the URI is @p db_uri, else $DATABASE_URL, else the schema's datasource url,
   else sqlite://./dev.db. Returns 0, or 1 after printing the error. */
int cmd_js_open(rorm_js_session *session,
                const char *cmd,
                const char *db_uri,
                const char *schema_path,
                bool migrate);
void cmd_js_close(rorm_js_session *session);

/* Print an error thrown by a script: "Uncaught <message>" and the stack, on stderr. */
void cmd_js_print_error(rorm_js_engine *js, const rorm_error *err);

#endif
