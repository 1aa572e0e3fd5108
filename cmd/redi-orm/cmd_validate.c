/*
 * redi-orm validate [--schema PATH]: load a Prisma schema (a file, or a directory of .prisma
 * files) and print every diagnostic as file:line:column with a caret line. Exit status 0 when
 * the schema is valid (warnings allowed), 1 when it is invalid, 2 for usage errors.
 */
#include <stdio.h>
#include <string.h>

#include <rediorm/prisma.h>

#include "cmd.h"

static void usage(FILE *fp)
{
    fprintf(fp, "usage: redi-orm validate [--schema PATH]\n\n"
                "Check a Prisma schema. PATH is a .prisma file or a directory of them\n"
                "(default ./schema.prisma).\n");
}

int cmd_validate(int argc, char **argv)
{
    const char *path = "schema.prisma";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--schema") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else if (strncmp(argv[i], "--schema=", 9) == 0) {
            path = argv[i] + 9;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "redi-orm validate: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    rorm_diagnostics *diags = NULL;
    rorm_schema *schema = NULL;
    rorm_error err = { 0 };
    if (rorm_diagnostics_new(&diags, &err) != RORM_OK) {
        fprintf(stderr, "redi-orm validate: %s\n", err.message);
        return 1;
    }
    int rc = rorm_prisma_load_path(&schema, path, diags, &err);
    rorm_diagnostics_print(diags, stderr);
    size_t errors = rorm_diagnostics_error_count(diags);
    size_t warnings = rorm_diagnostics_count(diags) - errors;
    if (rc == RORM_OK) {
        printf("The schema at %s is valid", path);
        if (warnings > 0) {
            printf(" (%zu warning%s)", warnings, warnings == 1 ? "" : "s");
        }
        printf(".\n");
    } else if (errors == 0) {
        /* Nothing in the text to point at: a missing file, out of memory. */
        fprintf(stderr, "redi-orm validate: %s\n", err.message);
    } else {
        fprintf(stderr, "\nValidation failed: %zu error%s", errors, errors == 1 ? "" : "s");
        if (warnings > 0) {
            fprintf(stderr, ", %zu warning%s", warnings, warnings == 1 ? "" : "s");
        }
        fprintf(stderr, " in %s.\n", path);
    }
    rorm_schema_release(schema);
    rorm_diagnostics_free(diags);
    return rc == RORM_OK ? 0 : 1;
}
