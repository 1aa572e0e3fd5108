/*
 * libFuzzer target for the Prisma schema front end: any bytes go through lexing, parsing,
 * validation and mapping, and the diagnostics are rendered. Built and run by fuzz/run.sh with
 * -fsanitize=fuzzer,address,undefined; a crash, leak or sanitizer report is a bug.
 */
#include <stddef.h>
#include <stdint.h>

#include "rediorm/prisma.h"

static int discard(const char *text, size_t len, void *payload)
{
    (void)text;
    (void)len;
    (void)payload;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rorm_diagnostics *d = NULL;
    rorm_schema *s = NULL;
    rorm_error err = { 0 };
    if (rorm_diagnostics_new(&d, &err) != RORM_OK) {
        return 0;
    }
    rorm_prisma_load_string(&s, (const char *)data, size, "fuzz.prisma", d, &err);
    rorm_diagnostics_render(d, discard, NULL);
    for (size_t i = 0; i < rorm_diagnostics_count(d); i++) {
        (void)rorm_diagnostics_at(d, i);
    }
    rorm_schema_release(s);
    rorm_diagnostics_free(d);
    return 0;
}
