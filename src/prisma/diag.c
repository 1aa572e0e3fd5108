/*
 * Diagnostics for Prisma schemas: a list of errors and warnings with their positions, plus a
 * copy of each source file so that rendering can show the offending line with a caret under it.
 */
#include "prisma/prisma.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

typedef struct diag_file {
    char *name;
    char *text;
    size_t len;
} diag_file;

typedef struct diag_entry {
    rorm_diag pub;
    int file;
    uint32_t off;
    size_t seq; /* report order, to keep sorting stable */
} diag_entry;

struct rorm_diagnostics {
    rorm_vec(diag_entry) items;
    rorm_vec(diag_file) files;
    bool sorted;
    bool oom;
};

int rorm_diagnostics_new(rorm_diagnostics **out, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = rorm__calloc(1, sizeof **out);
    if (!*out) {
        return rorm__error_oom(err);
    }
    return RORM_OK;
}

void rorm_diagnostics_clear(rorm_diagnostics *d)
{
    if (!d) {
        return;
    }
    for (size_t i = 0; i < d->items.len; i++) {
        rorm__free((char *)d->items.ptr[i].pub.message);
    }
    for (size_t i = 0; i < d->files.len; i++) {
        rorm__free(d->files.ptr[i].name);
        rorm__free(d->files.ptr[i].text);
    }
    d->items.len = 0;
    d->files.len = 0;
    d->oom = false;
    d->sorted = true;
}

void rorm_diagnostics_free(rorm_diagnostics *d)
{
    if (!d) {
        return;
    }
    rorm_diagnostics_clear(d);
    rorm_vec_free(&d->items);
    rorm_vec_free(&d->files);
    rorm__free(d);
}

int rorm__diag_add_file(rorm_diagnostics *d, const char *name, const char *text, size_t len)
{
    diag_file f = { 0 };
    f.name = rorm__strdup(name);
    f.text = rorm__strndup(text, len);
    f.len = len;
    if (!f.name || !f.text || rorm_vec_push(&d->files, f) != 0) {
        rorm__free(f.name);
        rorm__free(f.text);
        d->oom = true;
        return RORM_ENOMEM;
    }
    return (int)(d->files.len - 1);
}

const char *rorm__diag_file_text(const rorm_diagnostics *d, int file, size_t *len_out)
{
    if (file < 0 || (size_t)file >= d->files.len) {
        *len_out = 0;
        return "";
    }
    *len_out = d->files.ptr[file].len;
    return d->files.ptr[file].text;
}

void rorm__diag_set_oom(rorm_diagnostics *d)
{
    d->oom = true;
}

bool rorm__diag_oom(const rorm_diagnostics *d)
{
    return d->oom;
}

/* Characters (not bytes) of the span that lie on its first line, at least 1. */
static int span_chars(const rorm_diagnostics *d, rorm__span at)
{
    size_t len;
    const char *text = rorm__diag_file_text(d, at.file, &len);
    int n = 0;
    for (uint32_t i = at.off; i < len && i < (uint64_t)at.off + at.len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n' || c == '\r') {
            break;
        }
        if ((c & 0xC0) != 0x80) {
            n++;
        }
    }
    return n > 0 ? n : 1;
}

void rorm__diag(rorm_diagnostics *d, unsigned severity, rorm__span at, const char *fmt, ...)
{
    if (!d) {
        return;
    }
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    diag_entry e = { 0 };
    e.pub.severity = severity;
    e.pub.message = rorm__strdup(buf);
    e.pub.line = at.line > 0 ? at.line : 1;
    e.pub.column = at.col > 0 ? at.col : 1;
    e.pub.length = span_chars(d, at);
    e.file = at.file;
    e.off = at.off;
    e.seq = d->items.len;
    if (!e.pub.message || rorm_vec_push(&d->items, e) != 0) {
        rorm__free((char *)e.pub.message);
        d->oom = true;
        return;
    }
    d->sorted = false;
}

static int cmp_entry(const void *pa, const void *pb)
{
    const diag_entry *a = pa, *b = pb;
    if (a->file != b->file) {
        return a->file < b->file ? -1 : 1;
    }
    if (a->off != b->off) {
        return a->off < b->off ? -1 : 1;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Sorting is done lazily by the readers; the list is logically const for them. */
static void ensure_sorted(const rorm_diagnostics *cd)
{
    rorm_diagnostics *d = (rorm_diagnostics *)cd;
    if (d->sorted) {
        return;
    }
    if (d->items.len > 1) {
        qsort(d->items.ptr, d->items.len, sizeof *d->items.ptr, cmp_entry);
    }
    for (size_t i = 0; i < d->items.len; i++) {
        diag_entry *e = &d->items.ptr[i];
        e->pub.file = (e->file >= 0 && (size_t)e->file < d->files.len) ? d->files.ptr[e->file].name
                                                                       : "schema.prisma";
    }
    d->sorted = true;
}

size_t rorm_diagnostics_count(const rorm_diagnostics *d)
{
    return d ? d->items.len : 0;
}

size_t rorm_diagnostics_error_count(const rorm_diagnostics *d)
{
    size_t n = 0;
    for (size_t i = 0; d && i < d->items.len; i++) {
        n += d->items.ptr[i].pub.severity == RORM_DIAG_ERROR;
    }
    return n;
}

const rorm_diag *rorm_diagnostics_at(const rorm_diagnostics *d, size_t i)
{
    if (!d || i >= d->items.len) {
        return NULL;
    }
    ensure_sorted(d);
    return &d->items.ptr[i].pub;
}

/* The text of the line containing byte @p off, without its line break. */
static rorm_strview line_at(const rorm_diagnostics *d, int file, uint32_t off)
{
    size_t len;
    const char *text = rorm__diag_file_text(d, file, &len);
    size_t start = off < len ? off : len;
    while (start > 0 && text[start - 1] != '\n') {
        start--;
    }
    size_t end = start;
    while (end < len && text[end] != '\n' && text[end] != '\r') {
        end++;
    }
    rorm_strview v = { text + start, end - start };
    return v;
}

int rorm_diagnostics_render(const rorm_diagnostics *d,
                            int (*write)(const char *text, size_t len, void *payload),
                            void *payload)
{
    if (!d || !write) {
        return 0;
    }
    ensure_sorted(d);
    rorm_str s = RORM_STR_INIT;
    int rc = 0;
    for (size_t i = 0; i < d->items.len && rc == 0; i++) {
        const diag_entry *e = &d->items.ptr[i];
        rorm__str_clear(&s);
        rorm__str_printf(&s, "%s:%d:%d: %s: %s\n", e->pub.file, e->pub.line, e->pub.column,
                         e->pub.severity == RORM_DIAG_ERROR ? "error" : "warning", e->pub.message);
        rorm_strview line = line_at(d, e->file, e->off);
        char num[16];
        int w = snprintf(num, sizeof num, "%d", e->pub.line);
        rorm__str_printf(&s, " %s | ", num);
        /* Tabs become one space so the caret lines up. */
        for (size_t k = 0; k < line.len; k++) {
            rorm__str_putc(&s, line.ptr[k] == '\t' ? ' ' : line.ptr[k]);
        }
        rorm__str_printf(&s, "\n %*s | ", w, "");
        for (int k = 1; k < e->pub.column; k++) {
            rorm__str_putc(&s, ' ');
        }
        rorm__str_putc(&s, '^');
        for (int k = 1; k < e->pub.length; k++) {
            rorm__str_putc(&s, '~');
        }
        rorm__str_putc(&s, '\n');
        if (rorm__str_oom(&s)) {
            rc = RORM_ENOMEM;
            break;
        }
        rc = write(s.ptr, s.len, payload);
    }
    rorm__str_dispose(&s);
    return rc;
}

static int write_file(const char *text, size_t len, void *payload)
{
    return fwrite(text, 1, len, (FILE *)payload) == len ? 0 : -1;
}

int rorm_diagnostics_print(const rorm_diagnostics *d, FILE *fp)
{
    return rorm_diagnostics_render(d, write_file, fp) == 0 ? 0 : -1;
}
