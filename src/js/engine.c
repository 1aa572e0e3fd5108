/*
 * The JavaScript engine: one JavaScriptCore context (in a context group of its own, so freeing
 * the engine destroys its heap) with the runtime of prelude.js installed, the database handles
 * scripts hold, evaluation with promises awaited, and the timer loop.
 *
 * JavaScriptCore drains its microtask queue when an API call returns to us, so an async script
 * whose awaits are all satisfied by resolved promises finishes within one call; setTimeout needs
 * the loop in wait_for() that sleeps until the next timer is due and runs it.
 */
#include "js/js.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "schema/schema.h"
#include "util/alloc.h"
#include "util/error.h"

/*
 * JavaScriptCore's private JSGlobalContextSetUnhandledRejectionCallback (JSContextRefPrivate.h,
 * not installed, but exported by libjavascriptcoregtk-4.1): the function it is given is called
 * with (promise, reason) for every promise rejected without a handler, as Node's
 * 'unhandledRejection'. It is looked up at run time so a JavaScriptCore without it still works
 * (unhandled rejections are then ignored).
 */
typedef void (*set_rejection_callback_fn)(JSGlobalContextRef ctx,
                                          JSObjectRef function,
                                          JSValueRef *exception);

static set_rejection_callback_fn rejection_callback_setter(void)
{
    void *self = dlopen(NULL, RTLD_LAZY);
    void *sym = self != NULL ? dlsym(self, "JSGlobalContextSetUnhandledRejectionCallback") : NULL;
    set_rejection_callback_fn fn = NULL;
    if (sym != NULL) {
        memcpy(&fn, &sym, sizeof fn); /* object pointer to function pointer, without a cast */
    }
    if (self != NULL) {
        dlclose(self);
    }
    return fn;
}

static const char prelude_source[] =
#include "prelude.js.inc"
    ;

/*
 * The engines of this thread (an engine belongs to the thread that created it). The global
 * object is JavaScriptCore's own, with no class of ours to carry the engine pointer: a global
 * object with a class makes every global name a script reads a C callback lookup.
 */
static _Thread_local rorm_js_engine *thread_engines;

rorm_js_engine *rorm__js_engine_of(JSContextRef ctx)
{
    /* Native functions get the global context itself: found without a call into the VM. */
    for (rorm_js_engine *e = thread_engines; e != NULL; e = e->next_engine) {
        if ((JSContextRef)e->ctx == ctx) {
            return e;
        }
    }
    JSGlobalContextRef g = JSContextGetGlobalContext(ctx);
    for (rorm_js_engine *e = thread_engines; e != NULL; e = e->next_engine) {
        if (e->ctx == g) {
            return e;
        }
    }
    return NULL;
}

/* ---- handles --------------------------------------------------------------------------------- */

static void handle_unlink(rorm_jsdb *h)
{
    if (h->prev != NULL) {
        h->prev->next = h->next;
    } else if (h->engine != NULL) {
        h->engine->handles = h->next;
    }
    if (h->next != NULL) {
        h->next->prev = h->prev;
    }
    h->prev = h->next = NULL;
}

static void handle_free(rorm_jsdb *h)
{
    rorm__js_handle_close(h);
    for (rorm_jsdb *t = h->engine ? h->engine->handles : NULL; t != NULL; t = t->next) {
        if (t->parent == h) {
            t->parent = NULL;
        }
        if (t->source == h) {
            t->source = NULL;
        }
    }
    for (size_t i = 0; i < h->nschemas; i++) {
        rorm_schema_release(h->schemas[i]);
    }
    rorm__free(h->schemas);
    rorm__free(h->uri);
    handle_unlink(h);
    if (h->engine != NULL && h->engine->main == h) {
        h->engine->main = NULL;
    }
    rorm__free(h);
}

/* Whether @p src is @p h or a transaction begun on it, at any depth. */
static bool reads_from(const rorm_jsdb *src, const rorm_jsdb *h)
{
    for (; src != NULL; src = src->is_tx ? src->parent : NULL) {
        if (src == h) {
            return true;
        }
    }
    return false;
}

void rorm__js_close_streams(rorm_jsdb *h)
{
    for (rorm_jsdb *t = h->engine ? h->engine->handles : NULL; t != NULL; t = t->next) {
        if (t->is_stream && t->cursor != NULL && reads_from(t->source, h)) {
            rorm_cursor_close(t->cursor);
            t->cursor = NULL;
        }
    }
}

void rorm__js_handle_close(rorm_jsdb *h)
{
    if (h->is_stream) {
        rorm_cursor_close(h->cursor);
        h->cursor = NULL;
        return;
    }
    /* A stream holds a connection of the database, or the transaction's. */
    rorm__js_close_streams(h);
    if (h->is_tx) {
        if (h->db != NULL) {
            rorm_db_rollback(h->db, NULL);
            h->db = NULL;
        }
        return;
    }
    /* Transactions of this database first, innermost (newest) first: they are ahead of their
     * parents on the list because handles are pushed at the front. */
    for (rorm_jsdb *t = h->engine ? h->engine->handles : NULL; t != NULL; t = t->next) {
        if (t->is_tx && t->root == h) {
            if (t->db != NULL) {
                rorm_db_rollback(t->db, NULL);
                t->db = NULL;
            }
            t->root = NULL;
        }
    }
    if (h->owned && h->db != NULL) {
        rorm_db_close(h->db);
    }
    h->db = NULL;
}

static void handle_finalize(JSObjectRef obj)
{
    rorm_jsdb *h = JSObjectGetPrivate(obj);
    if (h != NULL && h->engine != NULL && h->engine->last_handle_obj == obj) {
        h->engine->last_handle_obj = NULL;
        h->engine->last_handle = NULL;
    }
    if (h != NULL && h->engine != NULL && h->engine->main != h) {
        handle_free(h);
    }
}

rorm_jsdb *rorm__js_handle_new(rorm_js_engine *engine)
{
    rorm_jsdb *h = rorm__calloc(1, sizeof *h);
    if (h == NULL) {
        return NULL;
    }
    h->engine = engine;
    h->next = engine->handles;
    if (engine->handles != NULL) {
        engine->handles->prev = h;
    }
    engine->handles = h;
    return h;
}

JSObjectRef rorm__js_handle_wrap(JSContextRef ctx, rorm_jsdb *h)
{
    return JSObjectMake(ctx, h->engine->handle_class, h);
}

rorm_jsdb *rorm__js_handle_of(JSContextRef ctx, JSValueRef v, JSValueRef *exc)
{
    rorm_js_engine *engine = rorm__js_engine_of(ctx);
    /* Calls come in runs on one handle: the last one found needs no call into the VM. */
    if (v != NULL && v == engine->last_handle_obj) {
        return engine->last_handle;
    }
    if (v == NULL || !JSValueIsObjectOfClass(ctx, v, engine->handle_class)) {
        rorm__js_throw_type(ctx, exc, "not a database handle");
        return NULL;
    }
    engine->last_handle_obj = v;
    engine->last_handle = JSObjectGetPrivate((JSObjectRef)v);
    return engine->last_handle;
}

void rorm__js_set_exit(rorm_js_engine *engine, int status)
{
    engine->exited = true;
    engine->exit_status = status;
}

/* ---- engine ---------------------------------------------------------------------------------- */

static JSValueRef
call_rt(rorm_js_engine *e, const char *name, size_t argc, const JSValueRef *argv, JSValueRef *exc)
{
    JSValueRef f = rorm__js_get(e->ctx, e->rt, name);
    if (f == NULL || !JSValueIsObject(e->ctx, f)) {
        return rorm__js_throw_type(e->ctx, exc, "runtime function %s missing", name);
    }
    return JSObjectCallAsFunction(e->ctx, (JSObjectRef)f, e->rt, argc, argv, exc);
}

static int fail_from_exception(rorm_js_engine *e, JSValueRef exc, rorm_error *err)
{
    if (exc == NULL) {
        /* A failure that raised nothing is a bug of ours; say so rather than print nothing. */
        return rorm__error(err, RORM_EINVAL, "internal error: a call failed without an exception");
    }
    rorm__free(e->last_stack);
    e->last_stack = NULL;
    return rorm__js_error_from_exception(e->ctx, exc, err, &e->last_stack);
}

int rorm_js_engine_new(rorm_js_engine **out, rorm_db *db, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    rorm_js_engine *e = rorm__calloc(1, sizeof *e);
    if (e == NULL) {
        return rorm__error_oom(err);
    }
    rorm__map_init(&e->result_keys, NULL);
    rorm__map_init(&e->result_shapes, NULL);
    JSClassDefinition hdef = kJSClassDefinitionEmpty;
    hdef.className = "RediOrmHandle";
    hdef.finalize = handle_finalize;
    e->handle_class = JSClassCreate(&hdef);
    e->group = JSContextGroupCreate();
    e->ctx = JSGlobalContextCreateInGroup(e->group, NULL);
    e->next_engine = thread_engines;
    thread_engines = e;

    JSValueRef exc = NULL;
    JSStringRef src = rorm__js_str(prelude_source);
    JSStringRef url = rorm__js_str("redi:prelude.js");
    JSValueRef fn = JSEvaluateScript(e->ctx, src, NULL, url, 1, &exc);
    JSStringRelease(src);
    JSStringRelease(url);
    if (fn != NULL && JSValueIsObject(e->ctx, fn)) {
        JSValueRef args[2] = { rorm__js_native_object(e->ctx), JSContextGetGlobalObject(e->ctx) };
        JSValueRef rt = JSObjectCallAsFunction(e->ctx, (JSObjectRef)fn, NULL, 2, args, &exc);
        if (rt != NULL && JSValueIsObject(e->ctx, rt)) {
            e->rt = (JSObjectRef)rt;
            JSValueProtect(e->ctx, rt);
        }
    }
    if (e->rt == NULL) {
        int rc = fail_from_exception(e, exc, err);
        rorm_js_engine_free(e);
        return rc;
    }
    JSObjectRef probe = JSObjectMake(e->ctx, NULL, NULL);
    e->object_proto = JSObjectGetPrototype(e->ctx, probe);
    JSValueProtect(e->ctx, e->object_proto);
    JSValueRef on_unhandled = rorm__js_get(e->ctx, e->rt, "onUnhandledRejection");
    set_rejection_callback_fn set_callback = rejection_callback_setter();
    if (set_callback != NULL && on_unhandled != NULL && JSValueIsObject(e->ctx, on_unhandled)) {
        set_callback(e->ctx, (JSObjectRef)on_unhandled, NULL);
    }
    if (db != NULL) {
        rorm_jsdb *h = rorm__js_handle_new(e);
        if (h == NULL) {
            rorm_js_engine_free(e);
            return rorm__error_oom(err);
        }
        h->db = db;
        e->main = h;
        JSValueRef arg = rorm__js_handle_wrap(e->ctx, h);
        if (call_rt(e, "setMain", 1, &arg, &exc) == NULL) {
            int rc = fail_from_exception(e, exc, err);
            rorm_js_engine_free(e);
            return rc;
        }
    }
    *out = e;
    return RORM_OK;
}

void rorm_js_engine_free(rorm_js_engine *e)
{
    if (e == NULL) {
        return;
    }
    for (rorm_js_engine **p = &thread_engines; *p != NULL; p = &(*p)->next_engine) {
        if (*p == e) {
            *p = e->next_engine;
            break;
        }
    }
    if (e->rt != NULL) {
        JSValueUnprotect(e->ctx, e->rt);
    }
    if (e->object_proto != NULL) {
        JSValueUnprotect(e->ctx, e->object_proto);
    }
    if (e->ctx != NULL) {
        JSGlobalContextRelease(e->ctx);
    }
    if (e->group != NULL) {
        JSContextGroupRelease(e->group);
    }
    /* Whatever the collector did not finalize: streams first, then transactions (they sit
     * ahead of their databases on the list), then databases. */
    for (int pass = 0; pass < 3; pass++) {
        rorm_jsdb *h = e->handles;
        while (h != NULL) {
            rorm_jsdb *next = h->next;
            if ((h->is_stream ? 0 : h->is_tx ? 1 : 2) == pass) {
                handle_free(h);
            }
            h = next;
        }
    }
    if (e->handle_class != NULL) {
        JSClassRelease(e->handle_class);
    }
    rorm__free(e->last_stack);
    rorm__js_args_free(e);
    rorm__map_dispose(&e->result_keys);
    rorm__map_dispose(&e->result_shapes);
    rorm__free(e->pack_ops);
    rorm__free(e->pack_text);
    rorm__free(e);
}

struct OpaqueJSContext *rorm_js_engine_context(rorm_js_engine *engine)
{
    return engine != NULL ? engine->ctx : NULL;
}

bool rorm_js_engine_exited(const rorm_js_engine *engine, int *status_out)
{
    if (engine == NULL || !engine->exited) {
        return false;
    }
    if (status_out != NULL) {
        *status_out = engine->exit_status;
    }
    return true;
}

const char *rorm_js_engine_last_stack(const rorm_js_engine *engine)
{
    return engine != NULL && engine->last_stack != NULL ? engine->last_stack : "";
}

static int schemas_changed(rorm_js_engine *e, rorm_error *err)
{
    JSValueRef exc = NULL;
    JSValueRef arg = JSValueMakeNull(e->ctx);
    if (call_rt(e, "schemasChanged", 1, &arg, &exc) == NULL) {
        return fail_from_exception(e, exc, err);
    }
    return RORM_OK;
}

/* Register @p schema with @p h's database unless its models already are, and keep it. */
int rorm__js_handle_add_schema(rorm_jsdb *h, rorm_schema *schema, rorm_error *err)
{
    if (h->db == NULL) {
        return rorm__error(err, RORM_ESTATE, "the database is not open");
    }
    size_t n = rorm_schema_model_count(schema);
    const rorm_model *first = n > 0 ? rorm_schema_model_at(schema, 0) : NULL;
    if (first == NULL || rorm_db_model(h->db, rorm_model_name(first)) != first) {
        int rc = rorm_db_register(h->db, schema, err);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    rorm_schema **grown = rorm__realloc(h->schemas, (h->nschemas + 1) * sizeof *grown);
    if (grown == NULL) {
        return rorm__error_oom(err);
    }
    h->schemas = grown;
    rorm_schema_retain(schema);
    h->schemas[h->nschemas++] = schema;
    return RORM_OK;
}

int rorm_js_engine_add_schema(rorm_js_engine *engine, rorm_schema *schema, rorm_error *err)
{
    RORM_CHECK_ARG(engine != NULL && schema != NULL, err);
    if (engine->main == NULL) {
        return rorm__error(err, RORM_EINVAL, "the engine has no database");
    }
    int rc = rorm__js_handle_add_schema(engine->main, schema, err);
    return rc != RORM_OK ? rc : schemas_changed(engine, err);
}

int rorm_js_engine_load_schema(rorm_js_engine *engine,
                               const char *text,
                               size_t len,
                               const char *filename,
                               rorm_diagnostics *diags,
                               rorm_error *err)
{
    RORM_CHECK_ARG(engine != NULL && text != NULL, err);
    rorm_schema *schema = NULL;
    int rc = rorm_prisma_load_string(&schema, text, len, filename, diags, err);
    if (rc == RORM_OK) {
        rc = rorm_js_engine_add_schema(engine, schema, err);
    }
    rorm_schema_release(schema);
    return rc;
}

int rorm_js_engine_load_schema_path(rorm_js_engine *engine,
                                    const char *path,
                                    rorm_diagnostics *diags,
                                    rorm_error *err)
{
    RORM_CHECK_ARG(engine != NULL && path != NULL, err);
    rorm_schema *schema = NULL;
    int rc = rorm_prisma_load_path(&schema, path, diags, err);
    if (rc == RORM_OK) {
        rc = rorm_js_engine_add_schema(engine, schema, err);
    }
    rorm_schema_release(schema);
    return rc;
}

int rorm_js_engine_sync(rorm_js_engine *engine, rorm_error *err)
{
    RORM_CHECK_ARG(engine != NULL, err);
    if (engine->main == NULL || engine->main->db == NULL) {
        return rorm__error(err, RORM_EINVAL, "the engine has no database");
    }
    return rorm_db_ensure_schema(engine->main->db, err);
}

int rorm_js_engine_set_argv(rorm_js_engine *engine,
                            int argc,
                            const char *const *argv,
                            rorm_error *err)
{
    RORM_CHECK_ARG(engine != NULL && argc >= 0 && (argc == 0 || argv != NULL), err);
    JSContextRef ctx = engine->ctx;
    JSValueRef exc = NULL;
    JSObjectRef arr = JSObjectMakeArray(ctx, 0, NULL, &exc);
    for (int i = 0; arr != NULL && i < argc; i++) {
        JSValueRef s = rorm__js_make_string(ctx, argv[i], strlen(argv[i]));
        JSObjectSetPropertyAtIndex(ctx, arr, (unsigned)i, s, NULL);
    }
    JSValueRef arg = arr;
    if (arr == NULL || call_rt(engine, "setArgv", 1, &arg, &exc) == NULL) {
        return fail_from_exception(engine, exc, err);
    }
    return RORM_OK;
}

static void sleep_ms(double ms)
{
    if (ms <= 0) {
        return;
    }
    struct timespec ts = { .tv_sec = (time_t)(ms / 1000),
                           .tv_nsec = (long)((long long)ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/*
 * Await @p value: when it is a thenable, run timers until it settles (or, with @p drain, until
 * no timer is left as well). Returns the settled value, or NULL with the rejection in *exc.
 */
static JSValueRef wait_for(rorm_js_engine *e, JSValueRef value, bool drain, JSValueRef *exc)
{
    JSContextRef ctx = e->ctx;
    JSValueRef rec = call_rt(e, "track", 1, &value, exc);
    if (rec == NULL) {
        return NULL;
    }
    JSValueProtect(ctx, rec);
    for (;;) {
        if (e->exited) {
            break;
        }
        JSValueRef state = rorm__js_get(ctx, (JSObjectRef)rec, "state");
        double st = JSValueToNumber(ctx, state, NULL);
        /* A rejected program ends at once, pending timers or not, as in Node. */
        if ((st != 0 && !drain) || st == 2) {
            break;
        }
        JSValueRef next = call_rt(e, "runTimers", 0, NULL, exc);
        if (next == NULL) {
            /* A timer callback threw: that ends the program like an uncaught error. */
            JSValueUnprotect(ctx, rec);
            return NULL;
        }
        double delay = JSValueToNumber(ctx, next, NULL);
        if (delay < 0) {
            break;
        }
        sleep_ms(delay);
    }
    JSValueRef result = JSValueMakeUndefined(ctx);
    if (!e->exited) {
        double state = JSValueToNumber(ctx, rorm__js_get(ctx, (JSObjectRef)rec, "state"), NULL);
        JSValueRef v = rorm__js_get(ctx, (JSObjectRef)rec, "value");
        if (state == 2) {
            *exc = v;
            result = NULL;
        } else if (state == 1) {
            result = v;
        } else {
            rorm__js_throw_type(ctx, exc, "the script's promise never settled (no timer left)");
            result = NULL;
        }
    }
    JSValueUnprotect(ctx, rec);
    return result;
}

static int
finish(rorm_js_engine *e, JSValueRef v, JSValueRef exc, rorm_value *result_out, rorm_error *err)
{
    if (e->exited) {
        return RORM_OK;
    }
    if (v == NULL) {
        return fail_from_exception(e, exc, err);
    }
    if (result_out != NULL) {
        JSValueRef cexc = NULL;
        int rc = rorm__js_to_value(e->ctx, v, result_out, "the script's value", &cexc);
        if (rc != RORM_OK) {
            return fail_from_exception(e, cexc, err);
        }
    }
    return RORM_OK;
}

int rorm_js_eval(rorm_js_engine *engine,
                 const char *source,
                 const char *filename,
                 rorm_value *result_out,
                 rorm_error *err)
{
    if (result_out != NULL) {
        rorm_value_init(result_out);
    }
    RORM_CHECK_ARG(engine != NULL && source != NULL, err);
    if (engine->exited) {
        return RORM_OK;
    }
    JSValueRef exc = NULL;
    JSStringRef src = rorm__js_str(source);
    JSStringRef url = rorm__js_str(filename != NULL ? filename : "<eval>");
    JSValueRef v = JSEvaluateScript(engine->ctx, src, NULL, url, 1, &exc);
    JSStringRelease(src);
    JSStringRelease(url);
    if (v != NULL && !engine->exited) {
        v = wait_for(engine, v, false, &exc);
    }
    return finish(engine, v, exc, result_out, err);
}

static char *read_file(const char *path, size_t *len_out)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = rorm__malloc(cap);
    while (buf != NULL) {
        size_t n = fread(buf + len, 1, cap - len - 1, fp);
        len += n;
        if (n == 0) {
            break;
        }
        if (cap - len - 1 == 0) {
            char *g = rorm__realloc(buf, cap * 2);
            if (g == NULL) {
                rorm__free(buf);
                buf = NULL;
                break;
            }
            buf = g;
            cap *= 2;
        }
    }
    fclose(fp);
    if (buf != NULL) {
        buf[len] = '\0';
        *len_out = len;
    }
    return buf;
}

char *rorm__js_read_file(const char *path, size_t *len_out)
{
    return read_file(path, len_out);
}

int rorm_js_run_file(rorm_js_engine *engine, const char *path, int *status_out, rorm_error *err)
{
    if (status_out != NULL) {
        *status_out = 0;
    }
    RORM_CHECK_ARG(engine != NULL && path != NULL, err);
    size_t len = 0;
    char *text = read_file(path, &len);
    if (text == NULL) {
        return rorm__error(err, RORM_ENOTFOUND, "cannot read '%s': %s", path, strerror(errno));
    }
    JSContextRef ctx = engine->ctx;
    JSValueRef exc = NULL;
    JSValueRef args[2] = { rorm__js_make_string(ctx, text, len),
                           rorm__js_make_string(ctx, path, strlen(path)) };
    rorm__free(text);
    JSValueRef v = call_rt(engine, "runMain", 2, args, &exc);
    if (v != NULL && !engine->exited) {
        v = wait_for(engine, v, true, &exc);
    }
    int rc = finish(engine, v, exc, NULL, err);
    if (status_out != NULL && engine->exited) {
        *status_out = engine->exit_status;
    } else if (status_out != NULL && rc == RORM_OK) {
        /* process.exitCode set without process.exit(). */
        JSValueRef code = call_rt(engine, "exitCode", 0, NULL, NULL);
        if (code != NULL && JSValueIsNumber(ctx, code)) {
            *status_out = (int)JSValueToNumber(ctx, code, NULL);
        }
    }
    return rc;
}
