/*
 * The Prisma schema lexer: turns source text into tokens with line/column positions. Newlines
 * are tokens because the language is line-based (one field per line). Comments are dropped,
 * except `///` documentation comments, which become DOC tokens for the parser to attach.
 */
#include "prisma/prisma.h"

#include <string.h>

static bool is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_ident_char(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '-';
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

typedef struct lexer {
    const char *src;
    size_t len;
    size_t pos;
    int line;
    size_t line_start;
    int file;
    rorm__token_vec *out;
    rorm_diagnostics *diags;
} lexer;

/* Column of byte @p off on the current line, counting UTF-8 characters. */
static int column_of(const lexer *lx, size_t off)
{
    int col = 1;
    for (size_t i = lx->line_start; i < off; i++) {
        if (((unsigned char)lx->src[i] & 0xC0) != 0x80) {
            col++;
        }
    }
    return col;
}

static rorm__span span_of(const lexer *lx, size_t start, size_t end)
{
    rorm__span s;
    s.file = lx->file;
    s.line = lx->line;
    s.col = column_of(lx, start);
    s.off = (uint32_t)start;
    s.len = (uint32_t)(end - start);
    return s;
}

static int emit(lexer *lx, int kind, size_t start, size_t end)
{
    rorm__token t;
    t.kind = kind;
    t.text.ptr = lx->src + start;
    t.text.len = end - start;
    t.span = span_of(lx, start, end);
    return rorm_vec_push(lx->out, t);
}

static void newline(lexer *lx, size_t next)
{
    lx->line++;
    lx->line_start = next;
}

/* A string literal: "..." with backslash escapes, on one line. */
static int lex_string(lexer *lx)
{
    size_t start = lx->pos;
    size_t i = start + 1;
    while (i < lx->len && lx->src[i] != '"' && lx->src[i] != '\n') {
        if (lx->src[i] == '\\' && i + 1 < lx->len && lx->src[i + 1] != '\n') {
            i++;
        }
        i++;
    }
    if (i >= lx->len || lx->src[i] != '"') {
        rorm__perr(lx->diags, span_of(lx, start, i),
                   "This string is not terminated: add the closing `\"` on the same line.");
        lx->pos = i;
        return emit(lx, RORM_TOK_ERROR, start, i);
    }
    lx->pos = i + 1;
    return emit(lx, RORM_TOK_STRING, start, i + 1);
}

int rorm__prisma_lex(
    rorm__token_vec *out, const char *src, size_t len, int file, rorm_diagnostics *diags)
{
    lexer lx = { src, len, 0, 1, 0, file, out, diags };
    int rc = 0;
    /* A UTF-8 byte order mark is not part of the text. */
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
        lx.pos = lx.line_start = 3;
    }
    while (rc == 0 && lx.pos < len) {
        size_t start = lx.pos;
        unsigned char c = (unsigned char)src[start];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            lx.pos++;
            continue;
        }
        if (c == '\n') {
            rc = emit(&lx, RORM_TOK_NEWLINE, start, start + 1);
            lx.pos++;
            newline(&lx, lx.pos);
            continue;
        }
        if (c == '/' && start + 1 < len && src[start + 1] == '/') {
            size_t end = start;
            while (end < len && src[end] != '\n') {
                end++;
            }
            if (start + 2 < len && src[start + 2] == '/') {
                size_t body = start + 3;
                rc = emit(&lx, RORM_TOK_DOC, body, end);
                if (rc == 0) {
                    /* Report the comment at its slashes but keep only the text. */
                    out->ptr[out->len - 1].span = span_of(&lx, start, end);
                }
            }
            lx.pos = end;
            continue;
        }
        if (c == '/' && start + 1 < len && src[start + 1] == '*') {
            size_t i = start + 2;
            int line0 = lx.line;
            size_t line_start0 = lx.line_start;
            while (i + 1 < len && !(src[i] == '*' && src[i + 1] == '/')) {
                if (src[i] == '\n') {
                    newline(&lx, i + 1);
                }
                i++;
            }
            if (i + 1 >= len) {
                int l = lx.line;
                size_t ls = lx.line_start;
                lx.line = line0;
                lx.line_start = line_start0;
                rorm__perr(diags, span_of(&lx, start, start + 2),
                           "This block comment is not closed: add `*/` where it ends.");
                lx.line = l;
                lx.line_start = ls;
                lx.pos = len;
            } else {
                lx.pos = i + 2;
            }
            continue;
        }
        if (c == '"') {
            rc = lex_string(&lx);
            continue;
        }
        if (is_digit(c) ||
            (c == '-' && start + 1 < len && is_digit((unsigned char)src[start + 1]))) {
            size_t i = start + 1;
            while (i < len && is_digit((unsigned char)src[i])) {
                i++;
            }
            if (i + 1 < len && src[i] == '.' && is_digit((unsigned char)src[i + 1])) {
                i++;
                while (i < len && is_digit((unsigned char)src[i])) {
                    i++;
                }
            }
            if (i < len && is_ident_start((unsigned char)src[i]) && c != '-') {
                /* "1id": an identifier starting with a digit; the parser names the problem. */
                while (i < len && is_ident_char((unsigned char)src[i])) {
                    i++;
                }
                lx.pos = i;
                rc = emit(&lx, RORM_TOK_IDENT, start, i);
                continue;
            }
            lx.pos = i;
            rc = emit(&lx, RORM_TOK_NUMBER, start, i);
            continue;
        }
        if (is_ident_start(c)) {
            size_t i = start + 1;
            while (i < len && is_ident_char((unsigned char)src[i])) {
                i++;
            }
            lx.pos = i;
            rc = emit(&lx, RORM_TOK_IDENT, start, i);
            continue;
        }
        int kind = RORM_TOK_ERROR;
        size_t n = 1;
        switch (c) {
        case '{':
            kind = RORM_TOK_LBRACE;
            break;
        case '}':
            kind = RORM_TOK_RBRACE;
            break;
        case '(':
            kind = RORM_TOK_LPAREN;
            break;
        case ')':
            kind = RORM_TOK_RPAREN;
            break;
        case '[':
            kind = RORM_TOK_LBRACKET;
            break;
        case ']':
            kind = RORM_TOK_RBRACKET;
            break;
        case ',':
            kind = RORM_TOK_COMMA;
            break;
        case ':':
            kind = RORM_TOK_COLON;
            break;
        case '=':
            kind = RORM_TOK_EQUAL;
            break;
        case '?':
            kind = RORM_TOK_QUESTION;
            break;
        case '!':
            kind = RORM_TOK_BANG;
            break;
        case '.':
            kind = RORM_TOK_DOT;
            break;
        case '@':
            kind = RORM_TOK_AT;
            if (start + 1 < len && src[start + 1] == '@') {
                kind = RORM_TOK_ATAT;
                n = 2;
            }
            break;
        default:
            break;
        }
        if (kind == RORM_TOK_ERROR) {
            /* One token for a run of a multi-byte character's bytes. */
            while (start + n < len && ((unsigned char)src[start + n] & 0xC0) == 0x80) {
                n++;
            }
        }
        lx.pos = start + n;
        rc = emit(&lx, kind, start, start + n);
    }
    if (rc == 0) {
        rc = emit(&lx, RORM_TOK_EOF, len, len);
    }
    return rc;
}
