/*
 * Version and process-wide initialisation.
 */
#include <pthread.h>

#include "rediorm/common.h"

const char *rorm_version(void)
{
    return RORM_VERSION_STRING;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
    /* Database client libraries that need one-time setup are initialised here as drivers for
       them are added (mysql_library_init is not thread-safe). SQLite needs nothing. */
}

void rorm_global_init(void)
{
    pthread_once(&init_once, global_init);
}
