/*
 * The schema of the Prisma Client tests, as a string literal macro so that other programs (the
 * query fuzzer) can use it and add models after it.
 */
#ifndef RORM_TESTS_PC_SCHEMA_H
#define RORM_TESTS_PC_SCHEMA_H

#define PC_SCHEMA_TEXT                                                      \
    "datasource db {\n"                                                     \
    "  provider = \"sqlite\"\n"                                             \
    "  url      = \"file:dev.db\"\n"                                        \
    "}\n"                                                                   \
    "enum Role {\n"                                                         \
    "  USER\n"                                                              \
    "  ADMIN\n"                                                             \
    "}\n"                                                                   \
    "model User {\n"                                                        \
    "  id        Int      @id @default(autoincrement())\n"                  \
    "  email     String   @unique\n"                                        \
    "  name      String\n"                                                  \
    "  age       Int?\n"                                                    \
    "  score     Float?\n"                                                  \
    "  role      Role     @default(USER)\n"                                 \
    "  createdAt DateTime @default(now())\n"                                \
    "  updatedAt DateTime @updatedAt\n"                                     \
    "  posts     Post[]\n"                                                  \
    "}\n"                                                                   \
    "model Post {\n"                                                        \
    "  id        Int     @id @default(autoincrement())\n"                   \
    "  title     String\n"                                                  \
    "  views     Int     @default(0)\n"                                     \
    "  published Boolean @default(false)\n"                                 \
    "  authorId  Int?\n"                                                    \
    "  author    User?   @relation(fields: [authorId], references: [id])\n" \
    "}\n"                                                                   \
    "model Account {\n"                                                     \
    "  id       Int     @id @default(autoincrement())\n"                    \
    "  email    String\n"                                                   \
    "  tenantId String\n"                                                   \
    "  label    String?\n"                                                  \
    "  @@unique([email, tenantId])\n"                                       \
    "  @@unique([tenantId, label], name: \"tenantLabel\")\n"                \
    "}\n"                                                                   \
    "model Member {\n"                                                      \
    "  tenantId String\n"                                                   \
    "  userId   Int\n"                                                      \
    "  note     String?\n"                                                  \
    "  @@id([tenantId, userId])\n"                                          \
    "}\n"                                                                   \
    "model Item {\n"                                                        \
    "  id       Int      @id @default(autoincrement())\n"                   \
    "  name     String\n"                                                   \
    "  qty      Int\n"                                                      \
    "  price    Float\n"                                                    \
    "  total    Decimal?\n"                                                 \
    "  big      BigInt?\n"                                                  \
    "  category String?\n"                                                  \
    "}\n"                                                                   \
    "model Doc {\n"                                                         \
    "  id    String   @id @default(uuid())\n"                               \
    "  meta  Json?\n"                                                       \
    "  blob  Bytes?\n"                                                      \
    "  at    DateTime?\n"                                                   \
    "}\n"

/* Models added after PC_SCHEMA_TEXT by the compile-only tests and the query fuzzer: a
   self-relation, an implicit many-to-many and mapped names. */
#define PC_SCHEMA_MORE_TEXT                                                         \
    "model Tag {\n"                                                                 \
    "  id       Int    @id @default(autoincrement())\n"                             \
    "  label    String @unique @map(\"tag_label\")\n"                               \
    "  parentId Int?\n"                                                             \
    "  parent   Tag?   @relation(\"Tree\", fields: [parentId], references: [id])\n" \
    "  children Tag[]  @relation(\"Tree\")\n"                                       \
    "  nodes    Node[]\n"                                                           \
    "  @@map(\"tags\")\n"                                                           \
    "}\n"                                                                           \
    "model Node {\n"                                                                \
    "  id   Int    @id @default(autoincrement())\n"                                 \
    "  name String\n"                                                               \
    "  tags Tag[]\n"                                                                \
    "}\n"

#endif
