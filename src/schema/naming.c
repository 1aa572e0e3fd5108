/*
 * The naming convention of native schemas: field names become snake_case columns
 * ("createdAt" -> "created_at") and model names become plural snake_case tables
 * ("BlogPost" -> "blog_posts", "Person" -> "people"). Prisma schemas do not use it; their names
 * stay as written unless @map / @@map says otherwise.
 */
#include "schema/schema.h"

#include <string.h>

#include "util/alloc.h"
#include "util/str.h"

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_lower_or_digit(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

char *rorm__snake_case(const char *name)
{
    rorm_str out = RORM_STR_INIT;
    if (name == NULL) {
        return NULL;
    }
    for (size_t i = 0; name[i] != '\0'; i++) {
        char c = name[i];
        if (is_upper(c)) {
            /*
             * A capital starts a new word after a lower-case letter or digit ("createdAt"), and
             * ends an acronym when a lower-case letter follows it ("HTTPServer" -> http_server).
             */
            char prev = i > 0 ? name[i - 1] : '\0';
            char next = name[i + 1];
            bool boundary =
                is_lower_or_digit(prev) || (is_upper(prev) && next >= 'a' && next <= 'z');
            if (i > 0 && boundary) {
                rorm__str_putc(&out, '_');
            }
            c = (char)(c - 'A' + 'a');
        }
        rorm__str_putc(&out, c);
    }
    return rorm__str_detach(&out);
}

/* Nouns whose plural is not made by a suffix. Plurals map to themselves. */
static const char *const irregular[][2] = {
    { "person", "people" },
    { "child", "children" },
    { "man", "men" },
    { "woman", "women" },
    { "mouse", "mice" },
    { "people", "people" },
    { "children", "children" },
    { "men", "men" },
    { "women", "women" },
    { "mice", "mice" },
    { "data", "data" },
    { "news", "news" },
    { "series", "series" },
    { "species", "species" },
    { "equipment", "equipment" },
    { "information", "information" },
    { "metadata", "metadata" },
};

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Append the plural of the lower-case @p word (@p len bytes) to @p out. */
static void put_plural(rorm_str *out, const char *word, size_t len)
{
    if (len == 0) {
        return;
    }
    for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++) {
        if (strlen(irregular[i][0]) == len && memcmp(irregular[i][0], word, len) == 0) {
            rorm__str_puts(out, irregular[i][1]);
            return;
        }
    }
    if (ends_with(word, len, "s") || ends_with(word, len, "x") || ends_with(word, len, "z") ||
        ends_with(word, len, "ch") || ends_with(word, len, "sh")) {
        rorm__str_put(out, word, len);
        rorm__str_puts(out, "es");
    } else if (len >= 2 && word[len - 1] == 'y' && !is_vowel(word[len - 2])) {
        rorm__str_put(out, word, len - 1);
        rorm__str_puts(out, "ies");
    } else {
        rorm__str_put(out, word, len);
        rorm__str_putc(out, 's');
    }
}

char *rorm__table_name(const char *model_name)
{
    rorm_str out = RORM_STR_INIT;
    char *snake = rorm__snake_case(model_name);
    if (snake == NULL) {
        return NULL;
    }
    /* Only the last word is pluralised: BlogPost -> blog_posts. */
    const char *last = strrchr(snake, '_');
    size_t head = last ? (size_t)(last - snake) + 1 : 0;
    rorm__str_put(&out, snake, head);
    put_plural(&out, snake + head, strlen(snake + head));
    rorm__free(snake);
    return rorm__str_detach(&out);
}
