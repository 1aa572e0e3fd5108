/*
 * JSON inside the core: a strict RFC 8259 parser that builds owned rorm_values (for arguments
 * that arrive as JSON text), and the writer behind rorm_value_to_json() for callers that build
 * a larger string around it.
 */
#ifndef RORM_CORE_JSON_H
#define RORM_CORE_JSON_H

#include <stddef.h>

#include "rediorm/error.h"
#include "rediorm/value.h"
#include "util/str.h"

/* Arrays and objects nested deeper than this are rejected (parser) or refused (writer). */
#define RORM_JSON_MAX_DEPTH 512

/*
 * Parse the JSON text @p text of @p len bytes (not necessarily NUL-terminated) into @p out, an
 * owned value: objects keep their key order (a repeated key keeps its first position and its
 * last value), integers that fit int64 become INT, larger integers DECIMAL (their exact digits),
 * other numbers (and "-0") DOUBLE, strings TEXT. Lone UTF-16 surrogates in \u escapes become
 * U+FFFD.
 * @return RORM_OK; RORM_EPARSE with the byte offset in the message; RORM_ENOMEM; RORM_EINVAL
 * for a NULL @p out. On failure @p out is null.
 */
int rorm__json_parse(rorm_value *out, const char *text, size_t len, rorm_error *err);

/*
 * Append @p v as JSON to @p s (see rorm_value_to_json() for the mapping of each type).
 * @return RORM_OK, RORM_ENOMEM, or RORM_EINVAL for an unknown type or nesting deeper than
 * RORM_JSON_MAX_DEPTH. On failure @p s holds a partial text.
 */
int rorm__json_write(rorm_str *s, const rorm_value *v);

/* @return whether the @p n bytes at @p p are well-formed UTF-8 (no overlong forms, surrogates
   or code points above U+10FFFF). */
bool rorm__utf8_valid(const char *p, size_t n);

/* @return whether every text of @p v (nested elements, member keys and values) is UTF-8. */
bool rorm__value_utf8_valid(const rorm_value *v);

/* Check that every text of @p v (a list or object bound as JSON text: elements, member keys,
   nested values) is UTF-8; RORM_EINVAL naming parameter @p index otherwise, so the JSON writer
   never replaces bytes of a parameter with U+FFFD. */
int rorm__json_param_check(const rorm_value *v, size_t index, rorm_error *err);

/* Append the JSON string literal (quotes included) for @p n bytes at @p p. */
int rorm__json_write_string(rorm_str *s, const char *p, size_t n);

#endif
