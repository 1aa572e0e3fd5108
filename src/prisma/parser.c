/*
 * The Prisma schema parser: tokens -> AST (blocks, fields, attributes, expressions).
 *
 * The language is line-based, so recovery is too: when a line inside a block cannot be parsed,
 * the problem is reported and parsing resumes on the next line; an unknown top-level line is
 * skipped together with any `{ ... }` body it opens. The parser never stops at the first error,
 * never recurses deeper than MAX_DEPTH, and always consumes at least one token per step.
 */
#include "prisma/prisma.h"

#include <string.h>

#include "util/alloc.h"

#define MAX_DEPTH 64

typedef struct parser {
    const rorm__token *toks;
    size_t pos;
    rorm__pschema *ps;
    rorm__arena *arena;
    rorm_diagnostics *d;
    const char *src;
    rorm_str doc; /* pending /// lines */
    bool has_doc;
    int depth;
} parser;

static const rorm__token *peek(const parser *p)
{
    return &p->toks[p->pos];
}

static const rorm__token *peek_at(const parser *p, size_t k)
{
    for (size_t i = 0; i <= k; i++) {
        if (p->toks[p->pos + i].kind == RORM_TOK_EOF) {
            return &p->toks[p->pos + i];
        }
    }
    return &p->toks[p->pos + k];
}

static const rorm__token *advance(parser *p)
{
    const rorm__token *t = &p->toks[p->pos];
    if (t->kind != RORM_TOK_EOF) {
        p->pos++;
    }
    return t;
}

static bool at(const parser *p, int kind)
{
    return peek(p)->kind == kind;
}

static bool at_line_end(const parser *p)
{
    int k = peek(p)->kind;
    return k == RORM_TOK_NEWLINE || k == RORM_TOK_EOF || k == RORM_TOK_DOC;
}

static void skip_newlines(parser *p)
{
    while (at(p, RORM_TOK_NEWLINE)) {
        advance(p);
    }
}

/* Skip to the end of the current line (the newline itself is left for the caller). */
static void skip_line(parser *p)
{
    while (!at_line_end(p)) {
        /* A `}` that starts a line closes the block even when the line before was broken. */
        if (at(p, RORM_TOK_RBRACE) && p->pos > 0 && p->toks[p->pos - 1].kind == RORM_TOK_NEWLINE) {
            return;
        }
        advance(p);
    }
}

static char *strview_dup(parser *p, rorm_strview v)
{
    return rorm__arena_strndup(p->arena, v.ptr, v.len);
}

/* A span from the start of @p a to the end of @p b (same file). */
static rorm__span join(rorm__span a, rorm__span b)
{
    rorm__span s = a;
    if (b.off + b.len > a.off) {
        s.len = b.off + b.len - a.off;
    }
    return s;
}

static rorm__span prev_span(const parser *p)
{
    return p->pos > 0 ? p->toks[p->pos - 1].span : p->toks[0].span;
}

static const char *describe(const rorm__token *t)
{
    switch (t->kind) {
    case RORM_TOK_EOF:
        return "the end of the file";
    case RORM_TOK_NEWLINE:
        return "the end of the line";
    default:
        return NULL;
    }
}

static void unexpected(parser *p, const rorm__token *t, const char *expected)
{
    const char *what = describe(t);
    if (t->kind == RORM_TOK_ERROR && t->text.len > 0 && t->text.ptr[0] != '"') {
        rorm__perr(p->d, t->span, "Unexpected character `%.*s`: expected %s.", (int)t->text.len,
                   t->text.ptr, expected);
    } else if (what) {
        rorm__perr(p->d, t->span, "Unexpected %s: expected %s.", what, expected);
    } else if (t->kind != RORM_TOK_ERROR) {
        rorm__perr(p->d, t->span, "Unexpected `%.*s`: expected %s.", (int)t->text.len, t->text.ptr,
                   expected);
    }
}

/* ---- Documentation comments ------------------------------------------------------------------ */

static void doc_add(parser *p, const rorm__token *t)
{
    rorm_strview v = t->text;
    if (v.len > 0 && v.ptr[0] == ' ') {
        v.ptr++;
        v.len--;
    }
    while (v.len > 0 && (v.ptr[v.len - 1] == '\r' || v.ptr[v.len - 1] == ' ')) {
        v.len--;
    }
    if (p->has_doc) {
        rorm__str_putc(&p->doc, '\n');
    }
    rorm__str_put(&p->doc, v.ptr, v.len);
    p->has_doc = true;
}

/* Hand over the pending documentation (or NULL) and reset it. */
static const char *doc_take(parser *p)
{
    const char *doc = NULL;
    if (p->has_doc) {
        if (rorm__str_oom(&p->doc)) {
            p->arena->oom = true;
        } else {
            doc = rorm__arena_strndup(p->arena, p->doc.ptr, p->doc.len);
        }
    }
    rorm__str_clear(&p->doc);
    p->has_doc = false;
    return doc;
}

/* ---- Expressions ----------------------------------------------------------------------------- */

static char *decode_string(parser *p, rorm_strview raw)
{
    /* raw includes both quotes. */
    const char *s = raw.ptr + 1;
    size_t n = raw.len >= 2 ? raw.len - 2 : 0;
    char *out = rorm__arena_alloc(p->arena, n + 1);
    if (!out) {
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < n) {
            char e = s[++i];
            switch (e) {
            case 'n':
                c = '\n';
                break;
            case 't':
                c = '\t';
                break;
            case 'r':
                c = '\r';
                break;
            case '0':
                c = '\0';
                break;
            default:
                c = e; // \" \\ and anything else stand for themselves
                break;
            }
            if (c == '\0') {
                continue;
            }
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return out;
}

static bool parse_expr(parser *p, rorm__expr *out);

/* Arguments or array items between @p open and @p close. Newlines inside are allowed. */
static bool parse_list(parser *p, rorm__args *out, int open, int close, bool named)
{
    rorm_vec(rorm__arg) items = { 0 };
    const rorm__token *start = advance(p); // the opening token
    (void)open;
    bool ok = true;
    for (;;) {
        skip_newlines(p);
        while (at(p, RORM_TOK_DOC)) {
            advance(p);
            skip_newlines(p);
        }
        if (at(p, close)) {
            break;
        }
        rorm__arg arg;
        memset(&arg, 0, sizeof arg);
        const rorm__token *t = peek(p);
        arg.span = t->span;
        if (named && t->kind == RORM_TOK_IDENT && peek_at(p, 1)->kind == RORM_TOK_COLON) {
            arg.name = strview_dup(p, t->text);
            arg.name_span = t->span;
            advance(p);
            advance(p);
        }
        if (!parse_expr(p, &arg.value)) {
            ok = false;
            break;
        }
        arg.span = join(arg.span, arg.value.span);
        if (rorm_vec_push(&items, arg) != 0) {
            p->arena->oom = true;
            ok = false;
            break;
        }
        skip_newlines(p);
        if (at(p, RORM_TOK_COMMA)) {
            advance(p);
            continue;
        }
        if (!at(p, close)) {
            unexpected(p, peek(p), close == RORM_TOK_RPAREN ? "`,` or `)`" : "`,` or `]`");
            ok = false;
            break;
        }
    }
    if (ok) {
        advance(p); // the closing token
    }
    out->len = items.len;
    out->items = NULL;
    if (items.len > 0) {
        out->items = rorm__arena_alloc(p->arena, items.len * sizeof *items.ptr);
        if (out->items) {
            memcpy(out->items, items.ptr, items.len * sizeof *items.ptr);
        } else {
            out->len = 0;
        }
    }
    rorm_vec_free(&items);
    out->span = join(start->span, prev_span(p));
    return ok;
}

/* A dotted name: ident(.ident)*. */
static const char *parse_path(parser *p, rorm__span *span)
{
    const rorm__token *first = advance(p);
    const char *base = p->src;
    size_t start = (size_t)(first->text.ptr - base);
    size_t end = start + first->text.len;
    *span = first->span;
    while (at(p, RORM_TOK_DOT) && peek_at(p, 1)->kind == RORM_TOK_IDENT) {
        advance(p);
        const rorm__token *t = advance(p);
        end = (size_t)(t->text.ptr - base) + t->text.len;
        *span = join(*span, t->span);
    }
    rorm_strview v = { base + start, end - start };
    return strview_dup(p, v);
}

static bool parse_expr(parser *p, rorm__expr *out)
{
    memset(out, 0, sizeof *out);
    const rorm__token *t = peek(p);
    out->span = t->span;
    if (p->depth >= MAX_DEPTH) {
        rorm__perr(p->d, t->span, "This expression is nested too deeply.");
        out->kind = RORM_EXPR_ERROR;
        return false;
    }
    switch (t->kind) {
    case RORM_TOK_STRING:
        advance(p);
        out->kind = RORM_EXPR_STRING;
        out->text = decode_string(p, t->text);
        return true;
    case RORM_TOK_NUMBER:
        advance(p);
        out->kind = RORM_EXPR_NUMBER;
        out->text = strview_dup(p, t->text);
        return true;
    case RORM_TOK_IDENT: {
        out->kind = RORM_EXPR_CONST;
        out->text = parse_path(p, &out->span);
        if (at(p, RORM_TOK_LPAREN)) {
            out->kind = RORM_EXPR_CALL;
            p->depth++;
            bool ok = parse_list(p, &out->args, RORM_TOK_LPAREN, RORM_TOK_RPAREN, true);
            p->depth--;
            out->span = join(out->span, prev_span(p));
            return ok;
        }
        return true;
    }
    case RORM_TOK_LBRACKET: {
        out->kind = RORM_EXPR_ARRAY;
        p->depth++;
        bool ok = parse_list(p, &out->args, RORM_TOK_LBRACKET, RORM_TOK_RBRACKET, false);
        p->depth--;
        out->span = out->args.span;
        return ok;
    }
    default:
        unexpected(p, t, "a value (a string, number, constant, function call or list)");
        out->kind = RORM_EXPR_ERROR;
        return false;
    }
}

/* ---- Attributes ------------------------------------------------------------------------------ */

static void normalise_attr(parser *p, rorm__attr *a);

static bool parse_attr(parser *p, rorm__attr *out)
{
    memset(out, 0, sizeof *out);
    const rorm__token *sigil = advance(p);
    out->block = sigil->kind == RORM_TOK_ATAT;
    out->span = sigil->span;
    if (!at(p, RORM_TOK_IDENT)) {
        unexpected(p, peek(p), "an attribute name after `@`");
        return false;
    }
    rorm__span ns;
    out->name = parse_path(p, &ns);
    out->name_span = join(sigil->span, ns);
    out->span = out->name_span;
    if (at(p, RORM_TOK_LPAREN)) {
        out->has_args = true;
        bool ok = parse_list(p, &out->args, RORM_TOK_LPAREN, RORM_TOK_RPAREN, true);
        out->span = join(out->span, prev_span(p));
        normalise_attr(p, out);
        return ok;
    }
    return true;
}

/* Turn a lone field name into a one-element list: Prisma accepts @@index(email) for
 * @@index([email]), and likewise in `fields:` and `references:`. */
static void wrap_list(parser *p, rorm__arg *arg)
{
    if (!arg || (arg->value.kind != RORM_EXPR_CONST && arg->value.kind != RORM_EXPR_CALL)) {
        return;
    }
    rorm__arg *item = rorm__arena_alloc(p->arena, sizeof *item);
    if (!item) {
        return;
    }
    item->value = arg->value;
    item->span = arg->value.span;
    arg->value.kind = RORM_EXPR_ARRAY;
    arg->value.text = NULL;
    arg->value.args.items = item;
    arg->value.args.len = 1;
    arg->value.args.span = item->span;
}

static void normalise_attr(parser *p, rorm__attr *a)
{
    if (a->block && (strcmp(a->name, "id") == 0 || strcmp(a->name, "unique") == 0 ||
                     strcmp(a->name, "index") == 0 || strcmp(a->name, "fulltext") == 0)) {
        wrap_list(p, (rorm__arg *)rorm__args_find(&a->args, "fields", 0));
    } else if (!a->block && strcmp(a->name, "relation") == 0) {
        wrap_list(p, (rorm__arg *)rorm__args_find(&a->args, "fields", -1));
        wrap_list(p, (rorm__arg *)rorm__args_find(&a->args, "references", -1));
    }
}

/* Attributes up to the end of the line; false when the line had to be abandoned. */
static bool parse_attrs(parser *p, rorm__attr_vec *attrs)
{
    while (at(p, RORM_TOK_AT)) {
        rorm__attr a;
        bool ok = parse_attr(p, &a);
        if (a.name && rorm_vec_push(attrs, a) != 0) {
            p->arena->oom = true;
            return false;
        }
        if (!ok) {
            return false;
        }
    }
    if (at(p, RORM_TOK_ATAT)) {
        rorm__perr(p->d, peek(p)->span,
                   "Unexpected `@@`: block attributes go on their own line; a field attribute "
                   "starts with a single `@`.");
        return false;
    }
    return true;
}

/* ---- Blocks ---------------------------------------------------------------------------------- */

static int block_kind_of(rorm_strview w)
{
    static const struct {
        const char *word;
        int kind;
    } kinds[] = {
        { "model", RORM_BLOCK_MODEL },
        { "view", RORM_BLOCK_VIEW },
        { "type", RORM_BLOCK_TYPE },
        { "enum", RORM_BLOCK_ENUM },
        { "datasource", RORM_BLOCK_DATASOURCE },
        { "generator", RORM_BLOCK_GENERATOR },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (rorm__strview_eq(w, kinds[i].word)) {
            return kinds[i].kind;
        }
    }
    return 0;
}

const char *rorm__block_kind_name(int kind)
{
    switch (kind) {
    case RORM_BLOCK_MODEL:
        return "model";
    case RORM_BLOCK_VIEW:
        return "view";
    case RORM_BLOCK_TYPE:
        return "type";
    case RORM_BLOCK_ENUM:
        return "enum";
    case RORM_BLOCK_DATASOURCE:
        return "datasource";
    case RORM_BLOCK_GENERATOR:
        return "generator";
    default:
        return "block";
    }
}

/* True when the tokens at the cursor start a new top-level block ("model X {"). */
static bool at_block_start(const parser *p)
{
    return peek(p)->kind == RORM_TOK_IDENT && block_kind_of(peek(p)->text) != 0 &&
           peek_at(p, 1)->kind == RORM_TOK_IDENT && peek_at(p, 2)->kind == RORM_TOK_LBRACE;
}

static bool starts_with_digit(const char *s)
{
    return s && s[0] >= '0' && s[0] <= '9';
}

/* A field of a model, view or composite type. */
static void parse_field(parser *p, rorm__block *b, rorm__pfield *f)
{
    const rorm__token *name = advance(p);
    f->name = strview_dup(p, name->text);
    f->name_span = name->span;
    f->span = name->span;
    const char *what = rorm__block_kind_name(b->kind);
    if (!at(p, RORM_TOK_IDENT)) {
        rorm__span s = name->span;
        if (!at_line_end(p) && !at(p, RORM_TOK_RBRACE)) {
            s = join(s, peek(p)->span);
        }
        rorm__perr(p->d, s,
                   "Error validating %s \"%s\": This field declaration is invalid. It is either "
                   "missing a name or a type.",
                   what, b->name ? b->name : "");
        f->name = NULL;
        if (!at(p, RORM_TOK_RBRACE)) {
            skip_line(p);
        }
        return;
    }
    if (starts_with_digit(f->name)) {
        rorm__perr(p->d, name->span, "The name of a field must not start with a number.");
    }
    rorm__span ts;
    f->type_name = parse_path(p, &ts);
    f->type_span = ts;
    if (at(p, RORM_TOK_LPAREN)) {
        f->type_has_args = true;
        if (!parse_list(p, &f->type_args, RORM_TOK_LPAREN, RORM_TOK_RPAREN, true)) {
            skip_line(p);
            return;
        }
        f->type_span = join(f->type_span, prev_span(p));
    }
    bool list = false, optional = false;
    if (at(p, RORM_TOK_LBRACKET) && peek_at(p, 1)->kind == RORM_TOK_RBRACKET) {
        advance(p);
        advance(p);
        list = true;
    }
    if (at(p, RORM_TOK_QUESTION)) {
        advance(p);
        optional = true;
    }
    if (!list && at(p, RORM_TOK_LBRACKET) && peek_at(p, 1)->kind == RORM_TOK_RBRACKET) {
        advance(p);
        advance(p);
        list = true;
    }
    rorm__span type_full = join(f->type_span, prev_span(p));
    if (list && optional) {
        rorm__perr(p->d, type_full,
                   "Optional lists are not supported. Use either `Type[]` or `Type?`.");
    } else if (at(p, RORM_TOK_BANG)) {
        rorm__perr(p->d, peek(p)->span,
                   "Fields are required by default, `!` is no longer required.");
        advance(p);
    }
    f->arity = list ? RORM_ARITY_LIST : optional ? RORM_ARITY_OPTIONAL : RORM_ARITY_REQUIRED;
    if (!parse_attrs(p, &f->attrs)) {
        skip_line(p);
    } else if (!at_line_end(p) && !at(p, RORM_TOK_RBRACE)) {
        unexpected(p, peek(p), "an attribute (`@...`) or the end of the line");
        skip_line(p);
    }
    f->span = join(f->span, prev_span(p));
}

static void parse_enum_value(parser *p, rorm__block *b, rorm__pfield *f)
{
    (void)b;
    const rorm__token *name = advance(p);
    f->name = strview_dup(p, name->text);
    f->name_span = name->span;
    f->span = name->span;
    if (starts_with_digit(f->name)) {
        rorm__perr(p->d, name->span, "The name of an enum value must not start with a number.");
    }
    if (!parse_attrs(p, &f->attrs)) {
        skip_line(p);
    } else if (!at_line_end(p) && !at(p, RORM_TOK_RBRACE)) {
        unexpected(p, peek(p), "an attribute (`@...`) or the end of the line");
        skip_line(p);
    }
    f->span = join(f->span, prev_span(p));
}

static void parse_property(parser *p, rorm__block *b, rorm__pfield *f)
{
    const rorm__token *name = advance(p);
    f->name = strview_dup(p, name->text);
    f->name_span = name->span;
    f->span = name->span;
    if (!at(p, RORM_TOK_EQUAL)) {
        if (at_line_end(p) || at(p, RORM_TOK_RBRACE)) {
            rorm__perr(p->d, name->span,
                       "Property %s in %s %s needs to be assigned a value: write `%s = ...`.",
                       f->name, rorm__block_kind_name(b->kind), b->name ? b->name : "", f->name);
        } else {
            unexpected(p, peek(p), "`=` and a value");
            skip_line(p);
        }
        f->name = NULL;
        return;
    }
    advance(p);
    if (at_line_end(p) || at(p, RORM_TOK_RBRACE)) {
        /* Prisma reports a missing value at the block; so do we, naming the property. */
        rorm__perr(p->d, b->kw_span, "Property %s in %s %s needs to be assigned a value.", f->name,
                   rorm__block_kind_name(b->kind), b->name ? b->name : "");
        f->name = NULL;
        return;
    }
    if (!parse_expr(p, &f->value)) {
        skip_line(p);
        f->name = NULL;
        return;
    }
    f->has_value = true;
    f->span = join(f->span, f->value.span);
    if (!at_line_end(p) && !at(p, RORM_TOK_RBRACE)) {
        unexpected(p, peek(p), "the end of the line");
        skip_line(p);
    }
}

/* The body of a block, after its `{`. Returns when `}` or the end of input is reached. */
static void parse_body(parser *p, rorm__block *b)
{
    for (;;) {
        const rorm__token *t = peek(p);
        if (t->kind == RORM_TOK_NEWLINE) {
            advance(p);
            /* A blank line detaches pending documentation. */
            if (at(p, RORM_TOK_NEWLINE)) {
                doc_take(p);
            }
            continue;
        }
        if (t->kind == RORM_TOK_DOC) {
            doc_add(p, t);
            advance(p);
            continue;
        }
        if (t->kind == RORM_TOK_RBRACE) {
            advance(p);
            b->span = join(b->span, t->span);
            doc_take(p);
            return;
        }
        if (t->kind == RORM_TOK_EOF || at_block_start(p)) {
            rorm__perr(p->d, b->name_span, "This %s is not closed: add a `}` after its last line.",
                       rorm__block_kind_name(b->kind));
            doc_take(p);
            return;
        }
        if (t->kind == RORM_TOK_ATAT) {
            doc_take(p);
            if (b->kind == RORM_BLOCK_DATASOURCE || b->kind == RORM_BLOCK_GENERATOR) {
                rorm__perr(p->d, t->span, "A %s block cannot have attributes.",
                           rorm__block_kind_name(b->kind));
                skip_line(p);
                continue;
            }
            rorm__attr a;
            bool ok = parse_attr(p, &a);
            if (a.name && rorm_vec_push(&b->attrs, a) != 0) {
                p->arena->oom = true;
                return;
            }
            if (!ok) {
                skip_line(p);
            } else if (!at_line_end(p) && !at(p, RORM_TOK_RBRACE)) {
                unexpected(p, peek(p), "the end of the line after a block attribute");
                skip_line(p);
            }
            continue;
        }
        if (t->kind == RORM_TOK_IDENT) {
            rorm__pfield f;
            memset(&f, 0, sizeof f);
            f.doc = doc_take(p);
            switch (b->kind) {
            case RORM_BLOCK_ENUM:
                parse_enum_value(p, b, &f);
                break;
            case RORM_BLOCK_DATASOURCE:
            case RORM_BLOCK_GENERATOR:
                parse_property(p, b, &f);
                break;
            default:
                parse_field(p, b, &f);
                break;
            }
            /* A /// comment at the end of the line documents this member. */
            if (at(p, RORM_TOK_DOC)) {
                doc_add(p, peek(p));
                advance(p);
                const char *trail = doc_take(p);
                if (!f.doc) {
                    f.doc = trail;
                }
            }
            if (!f.name) {
                rorm_vec_free(&f.attrs);
            } else if (rorm_vec_push(&b->fields, f) != 0) {
                rorm_vec_free(&f.attrs);
                p->arena->oom = true;
                return;
            }
            continue;
        }
        doc_take(p);
        if (t->kind == RORM_TOK_AT) {
            rorm__perr(p->d, t->span,
                       "A field attribute must follow a field on the same line; block attributes "
                       "start with `@@`.");
        } else if (t->kind == RORM_TOK_ERROR && t->text.len > 0 && t->text.ptr[0] == '"') {
            /* Already reported by the lexer. */
        } else {
            rorm__perr(p->d, t->span, "This line is not a valid %s or attribute definition.",
                       b->kind == RORM_BLOCK_ENUM ? "enum value"
                       : (b->kind == RORM_BLOCK_DATASOURCE || b->kind == RORM_BLOCK_GENERATOR)
                           ? "property"
                           : "field");
        }
        advance(p);
        skip_line(p);
    }
}

/* Skip an unknown top-level construct: the rest of its line and any `{ ... }` it opens. */
static void skip_unknown(parser *p)
{
    int depth = 0;
    for (;;) {
        const rorm__token *t = peek(p);
        if (t->kind == RORM_TOK_EOF) {
            return;
        }
        if (t->kind == RORM_TOK_LBRACE) {
            depth++;
        } else if (t->kind == RORM_TOK_RBRACE) {
            if (depth > 0) {
                depth--;
            }
            if (depth == 0) {
                advance(p);
                return;
            }
        } else if (t->kind == RORM_TOK_NEWLINE && depth == 0) {
            return;
        } else if (depth > 0 && at_block_start(p)) {
            return;
        }
        advance(p);
    }
}

static void parse_block(parser *p, int kind)
{
    const rorm__token *kw = advance(p);
    rorm__block *b = rorm__arena_alloc(p->arena, sizeof *b);
    if (!b || rorm_vec_push(&p->ps->blocks, b) != 0) {
        p->arena->oom = true;
        return;
    }
    b->kind = kind;
    b->kw_span = kw->span;
    b->span = kw->span;
    b->name_span = kw->span;
    b->doc = doc_take(p);
    if (!at(p, RORM_TOK_IDENT)) {
        unexpected(p, peek(p), "a name after the keyword");
        b->name = NULL;
        skip_unknown(p);
        return;
    }
    const rorm__token *name = advance(p);
    b->name = strview_dup(p, name->text);
    b->name_span = name->span;
    if (starts_with_digit(b->name)) {
        rorm__perr(p->d, name->span,
                   "Error validating: The name of a %s must not start with a number.",
                   rorm__block_kind_name(kind));
    }
    if (kind == RORM_BLOCK_TYPE && at(p, RORM_TOK_EQUAL)) {
        rorm__perr(p->d, join(kw->span, name->span),
                   "Type aliases (`type %s = ...`) are not supported; use the type directly.",
                   b->name);
        b->name = NULL;
        skip_line(p);
        return;
    }
    if (!at(p, RORM_TOK_LBRACE)) {
        unexpected(p, peek(p), "`{` to open the block");
        skip_unknown(p);
        return;
    }
    advance(p);
    if (!at_line_end(p) && !at(p, RORM_TOK_RBRACE)) {
        rorm__perr(p->d, peek(p)->span,
                   "Each field, value or property of a %s goes on its own line after `{`.",
                   rorm__block_kind_name(kind));
        while (!at_line_end(p) && !at(p, RORM_TOK_RBRACE)) {
            advance(p);
        }
        if (at(p, RORM_TOK_RBRACE)) {
            b->span = join(b->span, advance(p)->span);
            return;
        }
    }
    parse_body(p, b);
}

void rorm__pschema_init(rorm__pschema *ps)
{
    memset(ps, 0, sizeof *ps);
    rorm__arena_init(&ps->arena);
}

void rorm__pschema_dispose(rorm__pschema *ps)
{
    for (size_t i = 0; i < ps->blocks.len; i++) {
        rorm__block *b = ps->blocks.ptr[i];
        for (size_t j = 0; j < b->fields.len; j++) {
            rorm_vec_free(&b->fields.ptr[j].attrs);
        }
        rorm_vec_free(&b->fields);
        rorm_vec_free(&b->attrs);
    }
    rorm_vec_free(&ps->blocks);
    rorm__arena_dispose(&ps->arena);
}

int rorm__prisma_parse(
    rorm__pschema *ps, const char *src, size_t len, int file, rorm_diagnostics *diags)
{
    rorm__token_vec toks = { 0 };
    int rc = rorm__prisma_lex(&toks, src, len, file, diags);
    if (rc != 0) {
        rorm_vec_free(&toks);
        return RORM_ENOMEM;
    }
    parser p;
    memset(&p, 0, sizeof p);
    p.toks = toks.ptr;
    p.ps = ps;
    p.arena = &ps->arena;
    p.d = diags;
    p.src = src;
    rorm__str_init(&p.doc);
    while (!at(&p, RORM_TOK_EOF) && !p.arena->oom) {
        const rorm__token *t = peek(&p);
        if (t->kind == RORM_TOK_NEWLINE) {
            advance(&p);
            continue;
        }
        if (t->kind == RORM_TOK_DOC) {
            doc_add(&p, t);
            advance(&p);
            continue;
        }
        int kind = t->kind == RORM_TOK_IDENT ? block_kind_of(t->text) : 0;
        if (kind) {
            parse_block(&p, kind);
            continue;
        }
        doc_take(&p);
        if (!(t->kind == RORM_TOK_ERROR && t->text.len > 0 && t->text.ptr[0] == '"')) {
            rorm__span s = t->span;
            rorm__perr(diags, s,
                       "This line is invalid. It does not start with any known Prisma schema "
                       "keyword (model, enum, view, type, datasource, generator).");
        }
        advance(&p);
        skip_unknown(&p);
    }
    doc_take(&p);
    bool oom = p.arena->oom || rorm__str_oom(&p.doc);
    rorm__str_dispose(&p.doc);
    rorm_vec_free(&toks);
    return oom ? RORM_ENOMEM : 0;
}

const rorm__attr *rorm__attr_find(const rorm__attr_vec *attrs, const char *name)
{
    for (size_t i = 0; i < attrs->len; i++) {
        if (strcmp(attrs->ptr[i].name, name) == 0) {
            return &attrs->ptr[i];
        }
    }
    return NULL;
}

const rorm__arg *rorm__args_find(const rorm__args *args, const char *name, int pos)
{
    int k = 0;
    for (size_t i = 0; i < args->len; i++) {
        const rorm__arg *a = &args->items[i];
        if (a->name && name && strcmp(a->name, name) == 0) {
            return a;
        }
    }
    for (size_t i = 0; pos >= 0 && i < args->len; i++) {
        const rorm__arg *a = &args->items[i];
        if (!a->name) {
            if (k == pos) {
                return a;
            }
            k++;
        }
    }
    return NULL;
}
