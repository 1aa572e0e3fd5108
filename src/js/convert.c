/*
 * Values crossing between JavaScript and RediORM: rorm_value trees to JavaScript values typed by
 * the schema (BigInt fields as bigint, DateTime as Date, Json parsed, Bytes as Uint8Array,
 * Decimal as an exact string), JavaScript values to rorm_value, and errors both ways.
 */
#include "js/js.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"
#include "util/alloc.h"
#include "util/error.h"

#define MAX_DEPTH 512

JSStringRef rorm__js_str(const char *s)
{
    return JSStringCreateWithUTF8CString(s);
}

static char *jsstring_to_utf8(JSStringRef s)
{
    size_t cap = JSStringGetMaximumUTF8CStringSize(s);
    char *buf = rorm__malloc(cap);
    if (buf != NULL) {
        JSStringGetUTF8CString(s, buf, cap);
    }
    return buf;
}

char *rorm__js_to_utf8(JSContextRef ctx, JSValueRef v, JSValueRef *exc)
{
    JSStringRef s = JSValueToStringCopy(ctx, v, exc);
    if (s == NULL) {
        return NULL;
    }
    char *out = jsstring_to_utf8(s);
    JSStringRelease(s);
    if (out == NULL && exc != NULL && *exc == NULL) {
        rorm__js_throw_oom(ctx, exc);
    }
    return out;
}

JSValueRef rorm__js_get(JSContextRef ctx, JSObjectRef obj, const char *name)
{
    JSStringRef s = rorm__js_str(name);
    JSValueRef v = JSObjectGetProperty(ctx, obj, s, NULL);
    JSStringRelease(s);
    return v;
}

void rorm__js_set(JSContextRef ctx, JSObjectRef obj, const char *name, JSValueRef v)
{
    JSStringRef s = rorm__js_str(name);
    JSObjectSetProperty(ctx, obj, s, v, kJSPropertyAttributeNone, NULL);
    JSStringRelease(s);
}

JSValueRef rorm__js_make_string(JSContextRef ctx, const char *s, size_t len)
{
    /* JSStringCreateWithUTF8CString needs a terminated string; values always are, but a
     * length-counted slice may not be. */
    if (s[len] == '\0') {
        JSStringRef str = rorm__js_str(s);
        JSValueRef v = JSValueMakeString(ctx, str);
        JSStringRelease(str);
        return v;
    }
    char *copy = rorm__malloc(len + 1);
    if (copy == NULL) {
        return JSValueMakeNull(ctx);
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    JSStringRef str = rorm__js_str(copy);
    rorm__free(copy);
    JSValueRef v = JSValueMakeString(ctx, str);
    JSStringRelease(str);
    return v;
}

JSValueRef rorm__js_throw_oom(JSContextRef ctx, JSValueRef *exc)
{
    rorm_error err = { 0 };
    rorm__error_oom(&err);
    return rorm__js_throw_error(ctx, &err, exc);
}

JSValueRef rorm__js_throw_type(JSContextRef ctx, JSValueRef *exc, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    JSValueRef msg = rorm__js_make_string(ctx, buf, strlen(buf));
    JSObjectRef e = JSObjectMakeError(ctx, 1, &msg, NULL);
    JSStringRef name = rorm__js_str("TypeError");
    rorm__js_set(ctx, e, "name", JSValueMakeString(ctx, name));
    JSStringRelease(name);
    rorm__js_set(ctx, e, "rormCode", JSValueMakeString(ctx, name = rorm__js_str("RORM_EINVAL")));
    JSStringRelease(name);
    if (exc != NULL) {
        *exc = e;
    }
    return NULL;
}

static const char *constraint_name(int c)
{
    switch (c) {
    case RORM_CONSTRAINT_UNIQUE:
        return "unique";
    case RORM_CONSTRAINT_FOREIGN_KEY:
        return "foreign_key";
    case RORM_CONSTRAINT_NOT_NULL:
        return "not_null";
    case RORM_CONSTRAINT_CHECK:
        return "check";
    case RORM_CONSTRAINT_PRIMARY_KEY:
        return "primary_key";
    case RORM_CONSTRAINT_RELATION:
        return "relation";
    default:
        return NULL;
    }
}

JSValueRef rorm__js_throw_error(JSContextRef ctx, const rorm_error *err, JSValueRef *exc)
{
    const char *text = err->message[0] ? err->message : rorm_code_name(err->code);
    JSValueRef msg = rorm__js_make_string(ctx, text, strlen(text));
    JSObjectRef e = JSObjectMakeError(ctx, 1, &msg, NULL);
    JSStringRef s = rorm__js_str("RediOrmError");
    rorm__js_set(ctx, e, "name", JSValueMakeString(ctx, s));
    JSStringRelease(s);
    s = rorm__js_str(rorm_code_name(err->code));
    rorm__js_set(ctx, e, "rormCode", JSValueMakeString(ctx, s));
    rorm__js_set(ctx, e, "code", JSValueMakeString(ctx, s));
    JSStringRelease(s);
    const char *cn = constraint_name(err->constraint);
    if (err->code == RORM_ECONSTRAINT && cn != NULL) {
        s = rorm__js_str(cn);
        rorm__js_set(ctx, e, "constraint", JSValueMakeString(ctx, s));
        JSStringRelease(s);
    }
    if (err->sqlstate[0]) {
        s = rorm__js_str(err->sqlstate);
        rorm__js_set(ctx, e, "sqlstate", JSValueMakeString(ctx, s));
        JSStringRelease(s);
    }
    if (err->line > 0) {
        rorm__js_set(ctx, e, "schemaLine", JSValueMakeNumber(ctx, err->line));
        rorm__js_set(ctx, e, "schemaColumn", JSValueMakeNumber(ctx, err->column));
    }
    if (exc != NULL) {
        *exc = e;
    }
    return NULL;
}

static int code_from_name(const char *name)
{
    for (int c = 0; c >= -40; c--) {
        if (strcmp(rorm_code_name(c), name) == 0) {
            return c;
        }
    }
    return RORM_EINVAL;
}

/*
 * Keep the frames of the user's code in @p stack ("fn@file:line:column" lines): the runtime's
 * own (redi:...) and native ones go. When the error was raised below the user's code, the first
 * user frame becomes the error's location (@p file, @p line).
 */
static bool contains(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++) {
        if (memcmp(s + i, needle, k) == 0) {
            return true;
        }
    }
    return false;
}

static void user_frames(char *stack, char **file, double *line)
{
    char *w = stack;
    char *end_all = stack + strlen(stack);
    bool first = true;
    /* Lines are moved down in place, so the scan is bounded by the original end. */
    for (char *r = stack; r < end_all;) {
        char *nl = memchr(r, '\n', (size_t)(end_all - r));
        size_t n = nl ? (size_t)(nl - r) : (size_t)(end_all - r);
        bool internal = contains(r, n, "@redi:") || contains(r, n, "[native code]") ||
                        (n >= 5 && strncmp(r, "redi:", 5) == 0);
        if (!internal) {
            if (first && (*file == NULL || strncmp(*file, "redi:", 5) == 0)) {
                /* fn@file:line:column -> file and line */
                const char *at = memchr(r, '@', n);
                const char *s = at ? at + 1 : r;
                const char *end = r + n;
                const char *c2 = NULL, *c1 = NULL;
                for (const char *q = s; q < end; q++) {
                    if (*q == ':') {
                        c1 = c2;
                        c2 = q;
                    }
                }
                if (c1 != NULL) {
                    rorm__free(*file);
                    *file = rorm__strndup(s, (size_t)(c1 - s));
                    *line = strtod(c1 + 1, NULL);
                }
            }
            first = false;
            memmove(w, r, n);
            w += n;
            *w++ = '\n';
        }
        r += n + (nl ? 1 : 0);
    }
    if (w > stack) {
        w--; /* drop the last newline */
    }
    *w = '\0';
}

/* A value's text into a fixed buffer (truncated), so reporting an error never allocates. */
static bool text_into(JSContextRef ctx, JSValueRef v, char *buf, size_t size)
{
    buf[0] = '\0';
    if (v == NULL || JSValueIsUndefined(ctx, v)) {
        return false;
    }
    JSStringRef s = JSValueToStringCopy(ctx, v, NULL);
    if (s == NULL) {
        return false;
    }
    JSStringGetUTF8CString(s, buf, size);
    JSStringRelease(s);
    return true;
}

int rorm__js_error_from_exception(JSContextRef ctx,
                                  JSValueRef exc,
                                  rorm_error *err,
                                  char **stack_out)
{
    int code = RORM_EINVAL;
    char message[RORM_ERROR_MESSAGE_SIZE] = "", name[64] = "", codename[32] = "";
    char *file = NULL, *stack = NULL;
    double line = 0;
    bool have_message = false;
    if (JSValueIsObject(ctx, exc)) {
        JSObjectRef o = (JSObjectRef)exc;
        JSValueRef rc = rorm__js_get(ctx, o, "rormCode");
        if (JSValueIsString(ctx, rc) && text_into(ctx, rc, codename, sizeof codename)) {
            code = code_from_name(codename);
        }
        have_message = text_into(ctx, rorm__js_get(ctx, o, "message"), message, sizeof message);
        JSValueRef n = rorm__js_get(ctx, o, "name");
        if (JSValueIsString(ctx, n)) {
            text_into(ctx, n, name, sizeof name);
        }
        JSValueRef u = rorm__js_get(ctx, o, "sourceURL");
        if (JSValueIsString(ctx, u)) {
            file = rorm__js_to_utf8(ctx, u, NULL);
        }
        JSValueRef l = rorm__js_get(ctx, o, "line");
        if (JSValueIsNumber(ctx, l)) {
            line = JSValueToNumber(ctx, l, NULL);
        }
        JSValueRef st = rorm__js_get(ctx, o, "stack");
        if (JSValueIsString(ctx, st)) {
            stack = rorm__js_to_utf8(ctx, st, NULL);
        }
        if (stack != NULL) {
            user_frames(stack, &file, &line);
        }
    }
    if (!have_message) {
        /* A thrown non-Error value: say so, as Node does. */
        text_into(ctx, exc, message, sizeof message);
        snprintf(name, sizeof name, "Uncaught");
    }
    if (file != NULL && strncmp(file, "redi:", 5) == 0) {
        /* Raised inside the runtime with no frame of the script on the stack (an awaited query
         * runs from a microtask): the runtime's own location would only mislead. */
        rorm__free(file);
        file = NULL;
    }
    const char *sep = name[0] ? (have_message ? ": " : " ") : "";
    if (file != NULL && line > 0) {
        rorm__error(err, code, "%s:%.0f: %s%s%s", file, line, name, sep, message);
    } else {
        rorm__error(err, code, "%s%s%s", name, sep, message);
    }
    rorm__free(file);
    if (stack_out != NULL) {
        *stack_out = stack;
    } else {
        rorm__free(stack);
    }
    return code;
}

/* ---- rorm_value -> JavaScript --------------------------------------------------------------- */

static JSValueRef make_int(JSContextRef ctx, int64_t i, bool big, JSValueRef *exc)
{
    if (big || i > 9007199254740992LL || i < -9007199254740992LL) {
        return JSBigIntCreateWithInt64(ctx, i, exc);
    }
    return JSValueMakeNumber(ctx, (double)i);
}

static JSValueRef from_value(JSContextRef ctx,
                             const rorm_value *v,
                             const rorm_model *model,
                             const rorm_field *field,
                             int depth,
                             JSValueRef *exc)
{
    if (depth > MAX_DEPTH) {
        return rorm__js_throw_type(ctx, exc, "value nested deeper than %d levels", MAX_DEPTH);
    }
    switch (v->type) {
    case RORM_TYPE_NULL:
        return JSValueMakeNull(ctx);
    case RORM_TYPE_BOOL:
        return JSValueMakeBoolean(ctx, v->u.b);
    case RORM_TYPE_INT:
        return make_int(ctx, v->u.i, field != NULL && field->type == RORM_FIELD_BIGINT, exc);
    case RORM_TYPE_DOUBLE:
        return JSValueMakeNumber(ctx, v->u.d);
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
        return rorm__js_make_string(ctx, v->u.s.ptr, v->u.s.len);
    case RORM_TYPE_JSON: {
        JSStringRef s = rorm__js_str(v->u.s.ptr);
        JSValueRef out = JSValueMakeFromJSONString(ctx, s);
        JSStringRelease(s);
        if (out == NULL) {
            out = rorm__js_make_string(ctx, v->u.s.ptr, v->u.s.len);
        }
        return out;
    }
    case RORM_TYPE_DATETIME: {
        JSValueRef arg = JSValueMakeNumber(ctx, (double)v->u.ms);
        return JSObjectMakeDate(ctx, 1, &arg, exc);
    }
    case RORM_TYPE_BYTES: {
        JSObjectRef arr =
            JSObjectMakeTypedArray(ctx, kJSTypedArrayTypeUint8Array, v->u.bytes.len, exc);
        if (arr == NULL) {
            return NULL;
        }
        if (v->u.bytes.len > 0) {
            void *p = JSObjectGetTypedArrayBytesPtr(ctx, arr, exc);
            if (p == NULL) {
                return NULL;
            }
            memcpy(p, v->u.bytes.ptr, v->u.bytes.len);
        }
        return arr;
    }
    case RORM_TYPE_ARRAY: {
        size_t n = v->u.arr.len;
        JSObjectRef arr = JSObjectMakeArray(ctx, 0, NULL, exc);
        if (arr == NULL) {
            return NULL;
        }
        for (size_t i = 0; i < n; i++) {
            JSValueRef item = from_value(ctx, &v->u.arr.items[i], model, field, depth + 1, exc);
            if (item == NULL) {
                return NULL;
            }
            JSObjectSetPropertyAtIndex(ctx, arr, (unsigned)i, item, exc);
        }
        return arr;
    }
    case RORM_TYPE_OBJECT: {
        JSObjectRef obj = JSObjectMake(ctx, NULL, NULL);
        for (size_t i = 0; i < v->u.obj.len; i++) {
            const rorm_member *m = &v->u.obj.items[i];
            const rorm_field *f = model != NULL ? rorm_model_field(model, m->key) : NULL;
            const rorm_model *child = model;
            if (f != NULL && f->type == RORM_FIELD_RELATION) {
                child = rorm_field_related_model(f);
                f = NULL;
            } else if (f == NULL && m->key[0] != '_') {
                child = NULL; /* not a field of the model, nor an aggregate group */
            }
            JSValueRef item = from_value(ctx, &m->value, child, f, depth + 1, exc);
            if (item == NULL) {
                return NULL;
            }
            rorm__js_set(ctx, obj, m->key, item);
        }
        return obj;
    }
    default:
        return JSValueMakeUndefined(ctx);
    }
}

JSValueRef
rorm__js_from_value(JSContextRef ctx, const rorm_value *v, const rorm_model *model, JSValueRef *exc)
{
    return from_value(ctx, v, model, NULL, 0, exc);
}

JSValueRef rorm__js_from_field_value(JSContextRef ctx,
                                     const rorm_value *v,
                                     const rorm_field *field,
                                     JSValueRef *exc)
{
    return from_value(ctx, v, NULL, field, 0, exc);
}

JSValueRef rorm__js_from_rows(JSContextRef ctx,
                              const rorm_rows *rows,
                              const rorm_model *model,
                              JSValueRef *exc)
{
    size_t nrows = rorm_rows_count(rows), ncols = rorm_rows_column_count(rows);
    JSObjectRef arr = JSObjectMakeArray(ctx, 0, NULL, exc);
    if (arr == NULL) {
        return NULL;
    }
    const rorm_field **fields = NULL;
    JSStringRef *names = rorm__calloc(ncols ? ncols : 1, sizeof *names);
    fields = rorm__calloc(ncols ? ncols : 1, sizeof *fields);
    if (names == NULL || fields == NULL) {
        rorm__free(names);
        rorm__free(fields);
        return rorm__js_throw_oom(ctx, exc);
    }
    for (size_t c = 0; c < ncols; c++) {
        const char *name = rorm_rows_column_name(rows, c);
        names[c] = rorm__js_str(name);
        fields[c] = model != NULL ? rorm_model_field(model, name) : NULL;
    }
    JSValueRef result = arr;
    for (size_t r = 0; r < nrows && result != NULL; r++) {
        JSObjectRef obj = JSObjectMake(ctx, NULL, NULL);
        for (size_t c = 0; c < ncols; c++) {
            JSValueRef item = from_value(ctx, rorm_rows_get(rows, r, c), NULL, fields[c], 1, exc);
            if (item == NULL) {
                result = NULL;
                break;
            }
            JSObjectSetProperty(ctx, obj, names[c], item, kJSPropertyAttributeNone, NULL);
        }
        JSObjectSetPropertyAtIndex(ctx, arr, (unsigned)r, obj, NULL);
    }
    for (size_t c = 0; c < ncols; c++) {
        JSStringRelease(names[c]);
    }
    rorm__free(names);
    rorm__free(fields);
    return result;
}

/* ---- JavaScript -> rorm_value --------------------------------------------------------------- */

static bool is_instance_of(JSContextRef ctx, JSValueRef v, const char *ctor_name)
{
    JSValueRef ctor = rorm__js_get(ctx, JSContextGetGlobalObject(ctx), ctor_name);
    if (ctor == NULL || !JSValueIsObject(ctx, ctor)) {
        return false;
    }
    return JSValueIsInstanceOfConstructor(ctx, v, (JSObjectRef)ctor, NULL);
}

typedef rorm_js_path js_path;

/* A validation error (RORM_EINVAL) naming the path to a value nested too deeply. */
static int too_deep(JSContextRef ctx, const js_path *at, JSValueRef *exc)
{
    const js_path *chain[MAX_DEPTH + 2];
    size_t n = 0;
    for (; at != NULL && n < sizeof chain / sizeof chain[0]; at = at->up) {
        chain[n++] = at;
    }
    char path[150];
    size_t len = 0;
    path[0] = '\0';
    for (size_t k = n; k > 0 && len + 1 < sizeof path; k--) {
        const js_path *p = chain[k - 1];
        int w = p->key
                    ? snprintf(path + len, sizeof path - len, "%s%.40s", k == n ? "" : ".", p->key)
                    : snprintf(path + len, sizeof path - len, "[%zu]", p->index);
        len += w > 0 ? (size_t)w : 0;
    }
    if (len + 1 >= sizeof path) {
        memcpy(path + sizeof path - 4, "...", 4);
    }
    rorm_error err = { 0 };
    rorm__error(&err, RORM_EINVAL, "arguments nested deeper than %d levels at `%s`", MAX_DEPTH,
                path);
    rorm__js_throw_error(ctx, &err, exc);
    return RORM_EINVAL;
}

static int to_value(JSContextRef ctx,
                    JSValueRef v,
                    rorm_value *out,
                    const char *what,
                    int depth,
                    const js_path *at,
                    JSValueRef *exc)
{
    rorm_value_init(out);
    if (depth > MAX_DEPTH) {
        return too_deep(ctx, at, exc);
    }
    switch (JSValueGetType(ctx, v)) {
    case kJSTypeUndefined:
    case kJSTypeNull:
        return RORM_OK;
    case kJSTypeBoolean:
        *out = RORM_BOOL(JSValueToBoolean(ctx, v));
        return RORM_OK;
    case kJSTypeNumber: {
        double d = JSValueToNumber(ctx, v, NULL);
        if (isfinite(d) && floor(d) == d && fabs(d) <= 9007199254740992.0) {
            *out = RORM_INT((int64_t)d);
        } else {
            *out = RORM_DOUBLE(d);
        }
        return RORM_OK;
    }
    case kJSTypeBigInt: {
        char *text = rorm__js_to_utf8(ctx, v, exc);
        if (text == NULL) {
            return RORM_ENOMEM;
        }
        char *end;
        errno = 0;
        long long i = strtoll(text, &end, 10);
        bool ok = errno == 0 && *end == '\0';
        if (!ok) {
            rorm__js_throw_type(ctx, exc, "%s: the BigInt %.40sn is outside the 64-bit range", what,
                                text);
        }
        rorm__free(text);
        if (!ok) {
            return RORM_EINVAL;
        }
        *out = RORM_INT(i);
        return RORM_OK;
    }
    case kJSTypeString: {
        char *text = rorm__js_to_utf8(ctx, v, exc);
        if (text == NULL) {
            return RORM_ENOMEM;
        }
        /* Take the buffer as the value's payload. */
        out->type = RORM_TYPE_TEXT;
        out->flags = 0;
        out->u.s.ptr = text;
        out->u.s.len = strlen(text);
        return RORM_OK;
    }
    case kJSTypeSymbol:
        rorm__js_throw_type(ctx, exc, "%s: a Symbol cannot be stored", what);
        return RORM_EINVAL;
    case kJSTypeObject:
        break;
    }
    JSObjectRef o = (JSObjectRef)v;
    if (JSValueIsDate(ctx, v)) {
        JSValueRef t = JSValueToObject(ctx, v, NULL) ? rorm__js_get(ctx, o, "getTime") : NULL;
        double ms = NAN;
        if (t != NULL && JSValueIsObject(ctx, t)) {
            JSValueRef r = JSObjectCallAsFunction(ctx, (JSObjectRef)t, o, 0, NULL, exc);
            if (r == NULL) {
                return RORM_EINVAL;
            }
            ms = JSValueToNumber(ctx, r, NULL);
        }
        if (!isfinite(ms)) {
            rorm__js_throw_type(ctx, exc, "%s: Invalid Date", what);
            return RORM_EINVAL;
        }
        *out = RORM_DATETIME((int64_t)ms);
        return RORM_OK;
    }
    JSTypedArrayType ta = JSValueGetTypedArrayType(ctx, v, NULL);
    if (ta != kJSTypedArrayTypeNone) {
        const void *p;
        size_t n;
        if (ta == kJSTypedArrayTypeArrayBuffer) {
            p = JSObjectGetArrayBufferBytesPtr(ctx, o, exc);
            n = JSObjectGetArrayBufferByteLength(ctx, o, exc);
        } else {
            p = (const char *)JSObjectGetTypedArrayBytesPtr(ctx, o, exc) +
                JSObjectGetTypedArrayByteOffset(ctx, o, exc);
            n = JSObjectGetTypedArrayByteLength(ctx, o, exc);
        }
        if (rorm_value_set_bytes(out, n ? p : "", n) != RORM_OK) {
            rorm__js_throw_oom(ctx, exc);
            return RORM_ENOMEM;
        }
        return RORM_OK;
    }
    if (JSObjectIsFunction(ctx, o)) {
        rorm__js_throw_type(ctx, exc, "%s: a function cannot be stored", what);
        return RORM_EINVAL;
    }
    if (JSValueIsArray(ctx, v)) {
        JSValueRef lv = rorm__js_get(ctx, o, "length");
        size_t n = (size_t)JSValueToNumber(ctx, lv, NULL);
        rorm_value_init_array(out);
        for (size_t i = 0; i < n; i++) {
            JSValueRef item = JSObjectGetPropertyAtIndex(ctx, o, (unsigned)i, exc);
            rorm_value iv;
            if (item == NULL) {
                rorm_value_dispose(out);
                return RORM_EINVAL;
            }
            js_path here = { NULL, i, at };
            int rc = to_value(ctx, item, &iv, what, depth + 1, &here, exc);
            if (rc == RORM_OK) {
                rc = rorm_value_array_push_take(out, &iv);
                if (rc != RORM_OK) {
                    rorm__js_throw_oom(ctx, exc);
                }
            }
            if (rc != RORM_OK) {
                rorm_value_dispose(&iv);
                rorm_value_dispose(out);
                return rc;
            }
        }
        return RORM_OK;
    }
    /* Boxed primitives and objects with their own conversion (Decimal.js, Prisma.Decimal). */
    /* Plain objects (the usual case: data, where) skip the boxed-primitive checks. */
    rorm_js_engine *engine = rorm__js_engine_of(ctx);
    bool plain = engine != NULL &&
                 JSValueIsStrictEqual(ctx, JSObjectGetPrototype(ctx, o), engine->object_proto);
    if (!plain) {
        /* Prisma.JsonNull, DbNull and AnyNull (prelude.js): the JSON value null, a null, and
           the marker client.h names RORM_PRISMA_ANY_NULL. */
        JSValueRef tag = rorm__js_get(ctx, o, "__rediormNullType");
        if (tag != NULL && JSValueIsString(ctx, tag)) {
            char *name = rorm__js_to_utf8(ctx, tag, exc);
            if (name == NULL) {
                return RORM_ENOMEM;
            }
            if (strcmp(name, "JsonNull") == 0) {
                *out = rorm_value_json_ref("null");
            } else if (strcmp(name, "AnyNull") == 0) {
                *out = rorm_value_json_ref("AnyNull");
            }
            rorm__free(name);
            return RORM_OK;
        }
    }
    if (!plain && (is_instance_of(ctx, v, "String") || is_instance_of(ctx, v, "Number") ||
                   is_instance_of(ctx, v, "Boolean"))) {
        JSValueRef f = rorm__js_get(ctx, o, "valueOf");
        JSValueRef p = JSObjectCallAsFunction(ctx, (JSObjectRef)f, o, 0, NULL, exc);
        return p == NULL ? RORM_EINVAL : to_value(ctx, p, out, what, depth + 1, at, exc);
    }
    rorm_value_init_object(out);
    JSPropertyNameArrayRef names = JSObjectCopyPropertyNames(ctx, o);
    size_t n = JSPropertyNameArrayGetCount(names);
    int rc = RORM_OK;
    for (size_t i = 0; i < n && rc == RORM_OK; i++) {
        JSStringRef name = JSPropertyNameArrayGetNameAtIndex(names, i);
        JSValueRef item = JSObjectGetProperty(ctx, o, name, exc);
        if (item == NULL) {
            rc = RORM_EINVAL;
            break;
        }
        if (JSValueIsUndefined(ctx, item)) {
            continue; /* Prisma ignores undefined members */
        }
        char *key = jsstring_to_utf8(name);
        if (key == NULL) {
            rorm__js_throw_oom(ctx, exc);
            rc = RORM_ENOMEM;
            break;
        }
        rorm_value iv;
        char member[128];
        snprintf(member, sizeof member, "Argument `%.100s`", key);
        js_path here = { key, 0, at };
        rc = to_value(ctx, item, &iv, member, depth + 1, &here, exc);
        if (rc == RORM_OK) {
            rc = rorm_value_object_set_take(out, key, &iv);
            if (rc != RORM_OK) {
                rorm__js_throw_oom(ctx, exc);
            }
        }
        rorm_value_dispose(&iv);
        rorm__free(key);
    }
    JSPropertyNameArrayRelease(names);
    if (rc != RORM_OK) {
        rorm_value_dispose(out);
    }
    return rc;
}

int rorm__js_to_value(
    JSContextRef ctx, JSValueRef v, rorm_value *out, const char *what, JSValueRef *exc)
{
    return to_value(ctx, v, out, what, 0, NULL, exc);
}

int rorm__js_to_value_at(JSContextRef ctx,
                         JSValueRef v,
                         rorm_value *out,
                         const char *what,
                         int depth,
                         const rorm_js_path *at,
                         JSValueRef *exc)
{
    return to_value(ctx, v, out, what, depth, at, exc);
}
