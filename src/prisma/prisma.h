/*
 * Internal interface of the Prisma Schema Language front end: the arena, the lexer's tokens,
 * the AST the parser builds, the diagnostics sink, and the validation and mapping passes.
 *
 * The pipeline is: lex -> parse (one AST per file, merged into one rorm__pschema) -> validate
 * (Prisma's rules, diagnostics only) -> map (the AST into a rorm_schema). Every pass reports
 * problems into the rorm_diagnostics list and keeps going, so the user sees all of them at once.
 */
#ifndef RORM_PRISMA_PRISMA_H
#define RORM_PRISMA_PRISMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rediorm/prisma.h"
#include "util/str.h"
#include "util/vec.h"

/* ---- Arena: every AST node of one load lives here and is freed in one call ------------------ */

typedef struct rorm__arena_block rorm__arena_block;

typedef struct rorm__arena {
    rorm__arena_block *head;
    bool oom; /* sticky: an allocation failed */
} rorm__arena;

void rorm__arena_init(rorm__arena *a);
void rorm__arena_dispose(rorm__arena *a);
/* Zeroed memory; NULL (and a->oom set) on failure. */
void *rorm__arena_alloc(rorm__arena *a, size_t n);
char *rorm__arena_strndup(rorm__arena *a, const char *s, size_t n);

/* ---- Diagnostics ----------------------------------------------------------------------------- */

/* A position in a source file: 1-based line and column (in characters), byte offset, length. */
typedef struct rorm__span {
    int file; /* index into the diagnostics' file table */
    int line;
    int col;
    uint32_t off;
    uint32_t len;
} rorm__span;

/* Register a source text for caret rendering; returns its index or <0 on OOM. The text is
 * copied. */
int rorm__diag_add_file(rorm_diagnostics *d, const char *name, const char *text, size_t len);
const char *rorm__diag_file_text(const rorm_diagnostics *d, int file, size_t *len_out);

/* Report a diagnostic; formatting failures degrade to a truncated message, never abort. */
void rorm__diag(rorm_diagnostics *d, unsigned severity, rorm__span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define rorm__perr(d, at, ...)  rorm__diag((d), RORM_DIAG_ERROR, (at), __VA_ARGS__)
#define rorm__pwarn(d, at, ...) rorm__diag((d), RORM_DIAG_WARNING, (at), __VA_ARGS__)
/* True once an allocation inside the diagnostics list, or one a pass reported with
 * rorm__diag_set_oom(), failed: the load then fails with RORM_ENOMEM. */
bool rorm__diag_oom(const rorm_diagnostics *d);
void rorm__diag_set_oom(rorm_diagnostics *d);

/* ---- Tokens ---------------------------------------------------------------------------------- */

typedef enum rorm__tok_kind {
    RORM_TOK_EOF = 0,
    RORM_TOK_NEWLINE,
    RORM_TOK_IDENT,  /* also identifiers that start with a digit (flagged by the parser) */
    RORM_TOK_STRING, /* text includes the quotes; escapes are decoded by the parser */
    RORM_TOK_NUMBER,
    RORM_TOK_DOC, /* a /// comment; text is the comment without the slashes */
    RORM_TOK_LBRACE,
    RORM_TOK_RBRACE,
    RORM_TOK_LPAREN,
    RORM_TOK_RPAREN,
    RORM_TOK_LBRACKET,
    RORM_TOK_RBRACKET,
    RORM_TOK_COMMA,
    RORM_TOK_COLON,
    RORM_TOK_EQUAL,
    RORM_TOK_QUESTION,
    RORM_TOK_BANG,
    RORM_TOK_AT,
    RORM_TOK_ATAT,
    RORM_TOK_DOT,
    RORM_TOK_ERROR, /* a character the language does not use, or an unterminated string */
} rorm__tok_kind;

typedef struct rorm__token {
    int kind;
    rorm_strview text;
    rorm__span span;
} rorm__token;

typedef rorm_vec(rorm__token) rorm__token_vec;

/* Split @p src into tokens (always ending in RORM_TOK_EOF). Lexical errors become ERROR tokens
 * and diagnostics. Returns 0 or RORM_ENOMEM. */
int rorm__prisma_lex(
    rorm__token_vec *out, const char *src, size_t len, int file, rorm_diagnostics *diags);

/* ---- AST ------------------------------------------------------------------------------------- */

typedef enum rorm__expr_kind {
    RORM_EXPR_STRING = 1,
    RORM_EXPR_NUMBER,
    RORM_EXPR_CONST, /* an identifier or dotted path: true, Cascade, Asc, db.Text */
    RORM_EXPR_CALL,  /* name(args): env("X"), now(), pgvector(map: "vector") */
    RORM_EXPR_ARRAY,
    RORM_EXPR_ERROR, /* could not be parsed; already reported */
} rorm__expr_kind;

typedef struct rorm__expr rorm__expr;
typedef struct rorm__arg rorm__arg;

typedef struct rorm__args {
    rorm__arg *items;
    size_t len;
    rorm__span span; /* the parentheses */
} rorm__args;

struct rorm__expr {
    int kind;
    rorm__span span;
    const char *text; /* STRING: decoded value; NUMBER/CONST/CALL: the (dotted) name or digits */
    rorm__args args;  /* CALL: arguments; ARRAY: items (unnamed) */
};

struct rorm__arg {
    const char *name; /* NULL for a positional argument */
    rorm__span name_span;
    rorm__expr value;
    rorm__span span;
};

typedef struct rorm__attr {
    const char *name; /* without the @ or @@: "id", "default", "db.VarChar" */
    bool block;       /* @@ */
    bool has_args;
    rorm__args args;
    rorm__span span;      /* the whole attribute */
    rorm__span name_span; /* @name */
} rorm__attr;

typedef rorm_vec(rorm__attr) rorm__attr_vec;

#define RORM_ARITY_REQUIRED 0
#define RORM_ARITY_OPTIONAL 1
#define RORM_ARITY_LIST     2

/* A model/view/type field, an enum value (no type) or a config property (key = value). */
typedef struct rorm__pfield {
    const char *name;
    rorm__span name_span;
    const char *type_name; /* NULL for enum values and properties */
    rorm__span type_span;
    bool type_has_args; /* Unsupported("...") */
    rorm__args type_args;
    int arity;
    rorm__attr_vec attrs;
    rorm__expr value; /* config properties */
    bool has_value;
    const char *doc; /* joined /// lines, or NULL */
    rorm__span span; /* the whole line */
} rorm__pfield;

typedef enum rorm__block_kind {
    RORM_BLOCK_MODEL = 1,
    RORM_BLOCK_VIEW,
    RORM_BLOCK_TYPE,
    RORM_BLOCK_ENUM,
    RORM_BLOCK_DATASOURCE,
    RORM_BLOCK_GENERATOR,
} rorm__block_kind;

typedef struct rorm__block {
    int kind;
    const char *name;
    rorm__span kw_span;
    rorm__span name_span;
    rorm__span span; /* keyword to closing brace */
    rorm_vec(rorm__pfield) fields;
    rorm__attr_vec attrs; /* @@ attributes */
    const char *doc;
} rorm__block;

typedef struct rorm__pschema {
    rorm__arena arena;
    rorm_vec(rorm__block *) blocks; /* in file order, files in load order */
} rorm__pschema;

void rorm__pschema_init(rorm__pschema *ps);
void rorm__pschema_dispose(rorm__pschema *ps);

/* Parse one file and append its blocks to @p ps. Syntax errors are diagnostics; the parser
 * recovers at the next line or block. Returns 0 or RORM_ENOMEM. */
int rorm__prisma_parse(
    rorm__pschema *ps, const char *src, size_t len, int file, rorm_diagnostics *diags);

const char *rorm__block_kind_name(int kind);

/* Lookups over the AST. */
const rorm__attr *rorm__attr_find(const rorm__attr_vec *attrs, const char *name);
/* The argument named @p name, else (when @p pos >= 0) the @p pos-th positional one, or NULL. */
const rorm__arg *rorm__args_find(const rorm__args *args, const char *name, int pos);

/* Lookups over the AST shared by validation and mapping (NULL when absent). */
unsigned rorm__prisma_scalar_type(const char *name); /* rorm_field_type or 0 */
const rorm__block *rorm__pschema_find(const rorm__pschema *ps, const char *name);
const rorm__pfield *rorm__block_field(const rorm__block *b, const char *name);
/* The model or view a relation field points at, or NULL for other fields. */
const rorm__block *rorm__field_relation_target(const rorm__pschema *ps, const rorm__pfield *f);
const char *rorm__field_relation_name(const rorm__pfield *f);
/* The back-relation field of @p f (same relation name, pointing back at @p b). */
const rorm__pfield *rorm__relation_opposite(const rorm__pschema *ps,
                                            const rorm__block *b,
                                            const rorm__pfield *f,
                                            const rorm__block **ob_out);

/* ---- Passes ---------------------------------------------------------------------------------- */

/* Everything the datasource and generators say, gathered by validation for the mapping. */
typedef struct rorm__pconfig {
    const char *provider; /* normalised: sqlite, postgresql, mysql, cockroachdb, ... or NULL */
    rorm__span provider_span;
    bool relation_mode_prisma;
    bool has_schemas;
    const rorm__expr *schemas; /* the datasource's `schemas` list, or NULL */
    bool views_enabled;        /* previewFeatures contains "views" */
    bool sql_provider;         /* sqlite / postgresql / mysql / cockroachdb */
} rorm__pconfig;

/* Check Prisma's rules over the whole AST. Returns the number of errors reported. */
size_t rorm__prisma_validate(rorm__pconfig *cfg, const rorm__pschema *ps, rorm_diagnostics *d);

/* Build the schema model from a validated AST. Returns RORM_OK, RORM_ENOMEM, or RORM_ESCHEMA
 * after reporting what the schema module refused. */
int rorm__prisma_map(rorm_schema **out,
                     const rorm__pconfig *cfg,
                     const rorm__pschema *ps,
                     rorm_diagnostics *d,
                     rorm_error *err);

/* Prisma's constraint names: "<table>_<cols>_<suffix>" shortened to the provider's identifier
 * limit. @p cols may be NULL (primary keys: "<table>_pkey"). Returns a rorm__malloc'ed string. */
char *rorm__prisma_constraint_name(const char *provider,
                                   const char *table,
                                   const char *const *cols,
                                   size_t ncols,
                                   const char *suffix);

/* Prisma's default column type of a scalar type on a provider (a static string), or NULL. */
const char *rorm__prisma_default_db_type(const char *provider, unsigned field_type);

/* A native type a provider accepts in `@db.Name(args)`. */
typedef struct rorm__native_type {
    const char *name;       /* as written after `@db.` */
    unsigned char nargs;    /* how many arguments it takes at most (0, 1 or 2) */
    unsigned char required; /* 1: the arguments must be given; 0: all or none */
    unsigned scalars;       /* the Prisma scalar types it fits: bits 1u << RORM_FIELD_* */
    const char *sql;        /* the SQL type name ("varchar", "double precision") */
    const char *suffix;     /* written after the arguments (" unsigned"), or NULL */
} rorm__native_type;

/* The provider's native types (ending with a NULL name), or NULL when it has none. */
const rorm__native_type *rorm__prisma_native_types(const char *provider);
/* The native type @p name of @p provider, or NULL when the provider has no such type. */
const rorm__native_type *rorm__prisma_native_type(const char *provider, const char *name);
/* The SQL text of a native type with its arguments ("varchar(255)", "int unsigned"); a
 * rorm__malloc'ed string or NULL on OOM. */
char *rorm__prisma_native_sql(const rorm__native_type *t, const char *const *args, size_t nargs);

#endif
