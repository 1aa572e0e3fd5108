/*
 * redi-orm: the RediORM command-line tool. main() picks a subcommand from the table below and
 * hands it the remaining arguments.
 */
#include <stdio.h>
#include <string.h>

#include <rediorm/rediorm.h>

#include "cmd.h"

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static int cmd_version(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("redi-orm %s\n", rorm_version());
#ifdef RORM_WITH_JS
    printf("javascript: JavaScriptCore (javascriptcoregtk-4.1)\n");
#else
    printf("javascript: not built\n");
#endif
    return 0;
}

static const subcommand subcommands[] = {
    { "console", cmd_console, "an interactive JavaScript prompt on a database" },
    { "migrate", cmd_migrate, "bring the database in line with the schema (--dry-run, --force)" },
    { "migrate:generate", cmd_migrate, "write the plan as a migration directory (--name N)" },
    { "migrate:apply", cmd_migrate, "apply the pending migrations of ./migrations" },
    { "migrate:status", cmd_migrate, "applied, pending and modified migrations; drift" },
    { "migrate:rollback", cmd_migrate, "undo the last applied migration" },
    { "migrate:reset", cmd_migrate, "drop everything, apply every migration (--force)" },
    { "pull", cmd_pull, "write the database as a Prisma schema" },
    { "run", cmd_run, "run a JavaScript file with the RediORM JavaScript API" },
    { "validate", cmd_validate, "check a Prisma schema and print every problem" },
    { "version", cmd_version, "print the version" },
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: redi-orm <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
        fprintf(fp, "  %-17s %s\n", subcommands[i].name, subcommands[i].summary);
    }
    fprintf(fp, "\nredi-orm <command> --help shows the options of a command.\n"
                "\nexamples:\n"
                "  redi-orm run --schema schema.prisma script.js   # run a script on a schema\n"
                "  redi-orm console --schema schema.prisma         # try queries interactively\n"
                "  redi-orm validate --schema schema.prisma        # check a schema\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("redi-orm %s\n", rorm_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
        if (strcmp(argv[1], subcommands[i].name) == 0) {
            return subcommands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "redi-orm: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
