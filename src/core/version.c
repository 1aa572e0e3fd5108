/*
 * Version and process-wide initialisation.
 */
#include <pthread.h>

#include "rediorm/common.h"

#ifdef RORM_WITH_MYSQL
#include <mysql.h>
#endif

const char *rorm_version(void)
{
    return RORM_VERSION_STRING;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
    /* Database client libraries that need one-time setup (mysql_library_init is not
       thread-safe, so it runs here, once). SQLite and libpq need nothing. */
#ifdef RORM_WITH_MYSQL
    mysql_library_init(0, NULL, NULL);
#endif
}

void rorm_global_init(void)
{
    pthread_once(&init_once, global_init);
}
