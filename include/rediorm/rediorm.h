/**
 * @file rediorm/rediorm.h
 * @brief The umbrella header: include this one.
 */
#ifndef REDIORM_H
#define REDIORM_H

#include "common.h"
#include "error.h"
#include "value.h"
#include "schema.h"
#include "db.h"
#include "query.h"
#include "client.h"
#include "prisma.h"
#include "migrate.h"

#endif
