/*
 * libFuzzer target for the Prisma schema front end: any bytes go through lexing, parsing,
 * validation and mapping, and the diagnostics are rendered. Built and run by fuzz/run.sh with
 * -fsanitize=fuzzer,address,undefined; a crash, leak or sanitizer report is a bug.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rediorm/prisma.h"
#include "schema/schema.h"

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
    /* Touch what the loader derives, so a dangling pointer shows up under ASan. */
    size_t total = 0;
    for (size_t i = 0; s && i < s->models.len; i++) {
        const rorm_model *m = s->models.ptr[i];
        for (size_t j = 0; j < m->fields.len; j++) {
            const rorm_field *f = m->fields.ptr[j];
            const rorm_relation *r = f->relation;
            total += f->db_type ? strlen(f->db_type) : 0;
            if (r && r->join_table) {
                total += strlen(r->join_ab_name) + strlen(r->join_b_index) +
                         strlen(r->join_a_fkey) + strlen(r->join_b_fkey) +
                         strlen(r->join_self_column) + strlen(r->join_other_column);
                total += r->join_a_type ? strlen(r->join_a_type) : 0;
                total += r->join_b_type ? strlen(r->join_b_type) : 0;
            }
        }
    }
    (void)total;
    rorm_schema_release(s);
    rorm_diagnostics_free(d);
    return 0;
}
