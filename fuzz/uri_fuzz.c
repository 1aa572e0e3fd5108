/*
 * libFuzzer target for the database URI parser: any text goes through rorm__uri_parse (every
 * string of the result is read, so a dangling or unterminated one shows up under ASan) and
 * through rorm__uri_mask at several buffer sizes, whose output must be NUL-terminated within
 * the buffer and free of control characters. A failure must carry a message. Built and run by
 * fuzz/run.sh with -fsanitize=fuzzer,address,undefined.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/uri.h"

static size_t touch(const char *s)
{
    return s ? strlen(s) : 0;
}

static void check_mask(const char *uri, size_t size)
{
    char buf[512];
    memset(buf, 'Z', sizeof buf);
    rorm__uri_mask(buf, size, uri);
    size_t len = strnlen(buf, size);
    if (len >= size) {
        abort(); /* not terminated inside the buffer */
    }
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f) {
            abort(); /* a control character reached an error message */
        }
    }
    if (size < sizeof buf && buf[size] != 'Z') {
        abort(); /* wrote past the buffer */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    rorm_uri u;
    rorm_error err = { 0 };
    int rc = rorm__uri_parse(&u, text, &err);
    if (rc == RORM_OK) {
        const rorm_config *c = &u.config;
        size_t total = touch(u.scheme) + touch(c->path) + touch(c->host) + touch(c->user) +
                       touch(c->password) + touch(c->database);
        for (size_t i = 0; i < u.nparams; i++) {
            total += touch(u.params[i].key) + touch(u.params[i].value);
        }
        total += touch(rorm__uri_param(&u, "sslmode")) + touch(rorm__uri_param(&u, "schema"));
        (void)total;
    } else if (err.message[0] == '\0' || strchr(err.message, '\n')) {
        abort(); /* a failure names what is wrong, on one line */
    }
    rorm__uri_dispose(&u);
    check_mask(text, 1);
    check_mask(text, 16);
    check_mask(text, 80);
    check_mask(text, 512);
    free(text);
    return 0;
}
