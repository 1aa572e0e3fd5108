/*
 * redi-orm console [--db URI] [--schema PATH] [--no-migrate]: an interactive JavaScript prompt
 * on a database, with the globals of `redi-orm run` (`db`, `models`, `require`, ...). Each
 * input is run as the body of an async function, so `await` works at the top; an expression's
 * value is printed as console.log prints it; `const x = ...`, `let`, `var`, `function` and
 * `class` at the top define globals that later inputs see. An input that ends early (an open
 * bracket or string) continues on the next line. Line editing and history come from libedit
 * when the input is a terminal; otherwise lines are read from stdin without a prompt, so the
 * console can be fed a file or a pipe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

#ifdef RORM_WITH_EDITLINE
#include <editline/readline.h>
#endif

static void usage(FILE *fp)
{
    fprintf(
        fp,
        "usage: redi-orm console [--db URI] [--schema PATH] [--no-migrate]\n"
        "\n"
        "An interactive JavaScript prompt on a database, with the globals of redi-orm run\n"
        "(db, models, require, console, process). `await` works at the top level; values\n"
        "are printed; const/let/var/function/class define globals for later lines.\n"
        "\n"
        "options:\n"
        "  --db URI       the database (else $DATABASE_URL, the schema's url, sqlite://./dev.db)\n"
        "  --schema PATH  a Prisma schema file or directory: load it and create missing tables\n"
        "  --no-migrate   with --schema, do not create missing tables\n"
        "  -h, --help     this help\n"
        "\n"
        "At the prompt: .help, .exit (or end of input: Ctrl-D).\n");
}

#ifdef RORM_WITH_JS
/*
 * The evaluator, defined once in the engine. It returns "more" for input that ends early, else
 * a promise of the input's completion (undefined): the value printed, or a declared name
 * defined.
 */
static const char repl_js[] =
    "globalThis.__rediConsole = (function () {\n"
    "  const AsyncFunction = (async function () {}).constructor;\n"
    "  const early = (e) => e instanceof SyntaxError &&\n"
    "    /end of (script|input)|Unexpected EOF|Unterminated/i.test(e.message);\n"
    "  /* Brackets left open, or a string, template or comment not closed. */\n"
    "  function open(src) {\n"
    "    const stack = [];\n"
    "    for (let i = 0; i < src.length; i++) {\n"
    "      const c = src[i], top = stack[stack.length - 1];\n"
    "      if (top === '\"' || top === \"'\") {\n"
    "        if (c === '\\\\') i++; else if (c === top) stack.pop();\n"
    "      } else if (top === '`') {\n"
    "        if (c === '\\\\') i++;\n"
    "        else if (c === '`') stack.pop();\n"
    "        else if (c === '$' && src[i + 1] === '{') { stack.push('${'); i++; }\n"
    "      } else if (top === '/*') {\n"
    "        if (c === '*' && src[i + 1] === '/') { stack.pop(); i++; }\n"
    "      } else if (c === '/' && src[i + 1] === '/') {\n"
    "        while (i < src.length && src[i] !== '\\n') i++;\n"
    "      } else if (c === '/' && src[i + 1] === '*') { stack.push('/*'); i++; }\n"
    "      else if (c === '\"' || c === \"'\" || c === '`' || c === '(' || c === '[' ||\n"
    "               c === '{') stack.push(c);\n"
    "      else if (c === ')' || c === ']' || c === '}') {\n"
    "        if (stack.length === 0) return false;\n"
    "        stack.pop();\n"
    "      }\n"
    "    }\n"
    "    return stack.length > 0;\n"
    "  }\n"
    "  return function (src) {\n"
    "    const text = src.trim().replace(/;+$/, '');\n"
    "    if (text === '') return undefined;\n"
    "    if (open(text)) return 'more';\n"
    "    let statements;\n"
    "    try { statements = new AsyncFunction(text); }\n"
    "    catch (e) { if (early(e)) return 'more'; }\n"
    "    const decl = /^(?:const|let|var)\\s+([A-Za-z_$][\\w$]*)\\s*=([\\s\\S]+)$/.exec(text);\n"
    "    const named = /^(?:async\\s+)?function\\s*\\*?\\s*([A-Za-z_$][\\w$]*)/.exec(text) ||\n"
    "      /^class\\s+([A-Za-z_$][\\w$]*)/.exec(text);\n"
    "    let fn, store = null;\n"
    "    if (decl) { fn = new AsyncFunction('return (' + decl[2] + '\\n)'); store = decl[1]; }\n"
    "    else if (named) { fn = new AsyncFunction('return (' + text + '\\n)'); store = named[1]; }\n"
    "    else {\n"
    "      try { fn = new AsyncFunction('return (' + text + '\\n)'); }\n"
    "      catch (e) { fn = statements || new AsyncFunction(text); }\n"
    "    }\n"
    "    return fn().then((v) => {\n"
    "      if (store !== null) { globalThis[store] = v; return undefined; }\n"
    "      if (v !== undefined) console.log(v);\n"
    "      return undefined;\n"
    "    });\n"
    "  };\n"
    "})();\n";

/* A growing text; after a failed allocation it stays failed (oom) and appends do nothing. */
typedef struct text {
    char *p;
    size_t len, cap;
    bool oom;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->oom) {
        return;
    }
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->cap ? t->cap * 2 : 256) + n;
        char *grown = realloc(t->p, cap);
        if (grown == NULL) {
            t->oom = true;
            return;
        }
        t->p = grown;
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

/* Append @p s as the body of a JavaScript string literal. */
static void put_js_string(text *t, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        char esc[8];
        if (*c == '"' || *c == '\\') {
            snprintf(esc, sizeof esc, "\\%c", *c);
        } else if (*c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *c);
        } else {
            put(t, (const char *)c, 1);
            continue;
        }
        put(t, esc, strlen(esc));
    }
}

/* Read one line (without its newline) into a malloc'd string; NULL at the end of input. */
static char *read_line(bool tty, const char *prompt)
{
#ifdef RORM_WITH_EDITLINE
    if (tty) {
        char *line = readline(prompt);
        if (line != NULL && *line != '\0') {
            add_history(line);
        }
        return line;
    }
#else
    if (tty) {
        fputs(prompt, stdout);
        fflush(stdout);
    }
#endif
    char *line = NULL;
    size_t size = 0;
    ssize_t n = getline(&line, &size, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n') {
        line[n - 1] = '\0';
    }
    return line;
}

/* Evaluate the input in @p src; *more is set when it ends early. Returns false on an error. */
static bool evaluate(rorm_js_engine *js, const char *src, bool *more)
{
    text code = { 0 };
    put(&code, "__rediConsole(\"", 15);
    put_js_string(&code, src);
    put(&code, "\")", 2);
    *more = false;
    if (code.oom) {
        free(code.p);
        fprintf(stderr, "redi-orm console: out of memory\n");
        return false;
    }
    rorm_error err = { 0 };
    rorm_value result;
    rorm_value_init(&result);
    int rc = rorm_js_eval(js, code.p, "<console>", &result, &err);
    free(code.p);
    if (rc != RORM_OK) {
        cmd_js_print_error(js, &err);
        rorm_value_dispose(&result);
        return false;
    }
    /* Every complete input resolves to undefined (values are printed, not returned). */
    *more = result.type == RORM_TYPE_TEXT && strcmp(rorm_value_as_text(&result), "more") == 0;
    rorm_value_dispose(&result);
    fflush(stdout);
    return true;
}
#endif

int cmd_console(int argc, char **argv)
{
    cmd_js_args o;
    int i = cmd_js_options(&o, "console", argc, argv);
    if (i < 0 || o.help) {
        usage(i < 0 ? stderr : stdout);
        return i < 0 ? 2 : 0;
    }
    if (i < argc) {
        fprintf(stderr, "redi-orm console: unexpected argument '%s'\n\n", argv[i]);
        usage(stderr);
        return 2;
    }
    rorm_js_session session;
    if (cmd_js_open(&session, "console", o.db_uri, o.schema_path, o.migrate) != 0) {
        return 1;
    }
#ifndef RORM_WITH_JS
    return 1;
#else
    rorm_error err = { 0 };
    if (rorm_js_eval(session.js, repl_js, "<console>", NULL, &err) != RORM_OK) {
        fprintf(stderr, "redi-orm console: %s\n", err.message);
        cmd_js_close(&session);
        return 1;
    }
    bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    if (tty) {
        printf("RediORM %s console on %s. Type .help for help, .exit to leave.\n", rorm_version(),
               o.db_uri      ? o.db_uri
               : session.url ? session.url
                             : "the default database");
    }
    char *pending = NULL; /* input that ended early, waiting for its next line */
    int status = 0;
    for (;;) {
        char *line = read_line(tty, pending ? "... " : "redi> ");
        if (line == NULL) {
            break;
        }
        if (pending == NULL && strcmp(line, ".exit") == 0) {
            free(line);
            break;
        }
        if (pending == NULL && strcmp(line, ".help") == 0) {
            printf(".exit  leave (also Ctrl-D)\n.help  this help\n"
                   "Globals: db (db.user.findMany(...), db.$queryRaw`...`), models "
                   "(models.User.select()...), require, console, process.\n");
            free(line);
            continue;
        }
        char *src = line;
        if (pending != NULL) {
            size_t a = strlen(pending), b = strlen(line);
            src = malloc(a + b + 2);
            if (src != NULL) {
                memcpy(src, pending, a);
                src[a] = '\n';
                memcpy(src + a + 1, line, b + 1);
            }
            free(pending);
            free(line);
            pending = NULL;
            if (src == NULL) {
                fprintf(stderr, "redi-orm console: out of memory\n");
                status = 1;
                break;
            }
        }
        bool more = false;
        if (!evaluate(session.js, src, &more) && !tty) {
            status = 1; /* fed from a file: an error is the run's status, the rest still runs */
        }
        if (more) {
            pending = src;
        } else {
            free(src);
        }
        int exit_status;
        if (rorm_js_engine_exited(session.js, &exit_status)) {
            status = exit_status;
            break;
        }
    }
    if (pending != NULL) {
        fprintf(stderr, "redi-orm console: the input ended inside an unfinished statement\n");
        free(pending);
        status = 1;
    }
    cmd_js_close(&session);
    return status;
#endif
}
