// The Prisma Client API on models (db.user.findMany(...)): every method, the options of each,
// thenables (await, .then(), $transaction([...])), and errors with Prisma's codes. All of it
// runs through rorm_db_call, the query path the C API uses.
const { ok, eq, throws, done, sql } = require('./lib');
const { PrismaPromise } = require('redi/orm');

// create / findUnique / select / omit
const ann = await db.user.create({ data: { email: 'ann@example.com', name: 'Ann', age: 31 } });
eq(ann.id, 1, 'create returns the record');
eq(ann.role, 'USER', 'create fills defaults');
ok(ann.createdAt instanceof Date, 'create: DateTime as Date');
const p = db.user.findUnique({ where: { id: 1 } });
ok(p instanceof PrismaPromise && typeof p.then === 'function', 'methods return thenables');
eq((await p).email, 'ann@example.com', 'findUnique by id');
eq(await db.user.findUnique({ where: { email: 'ann@example.com' }, select: { name: true, age: true } }), { name: 'Ann', age: 31 }, 'findUnique by unique field with select');
const omitted = await db.user.findUnique({ where: { id: 1 }, omit: { createdAt: true, role: true } });
eq(Object.keys(omitted), ['id', 'email', 'name', 'age'], 'omit');
eq(await db.user.findUnique({ where: { id: 999 } }), null, 'findUnique of a missing record is null');

// createMany / createManyAndReturn
eq(await db.user.createMany({ data: [
  { email: 'bob@example.com', name: 'Bob', age: 25 },
  { email: 'cy@example.com', name: 'cy', age: null, role: 'ADMIN' },
  { email: 'dee@example.com', name: 'Dee', age: 40 },
] }), { count: 3 }, 'createMany returns the count');
eq(await db.user.createMany({ data: [{ email: 'bob@example.com', name: 'Bob again' }, { email: 'eve@example.com', name: 'Eve', age: 22 }], skipDuplicates: true }), { count: 1 }, 'createMany skipDuplicates');
const made = await db.post.createManyAndReturn({ data: [{ title: 'First', authorId: 1, published: true }, { title: 'Second', authorId: 1 }, { title: 'Third 100%', authorId: 2, published: true }] });
eq(made.map(x => x.title), ['First', 'Second', 'Third 100%'], 'createManyAndReturn returns the records');

// findMany with where operators
const names = async (args) => (await db.user.findMany(Object.assign({ orderBy: { id: 'asc' } }, args))).map(u => u.name);
eq(await names({}), ['Ann', 'Bob', 'cy', 'Dee', 'Eve'], 'findMany all');
eq(await names({ where: { age: { gt: 25 } } }), ['Ann', 'Dee'], 'gt');
eq(await names({ where: { age: { gte: 25, lt: 40 } } }), ['Ann', 'Bob'], 'gte + lt');
eq(await names({ where: { age: { lte: 22 } } }), ['Eve'], 'lte');
eq(await names({ where: { age: { equals: 31 } } }), ['Ann'], 'equals');
eq(await names({ where: { age: { not: 31 } } }), ['Bob', 'Dee', 'Eve'], 'not');
eq(await names({ where: { age: { in: [22, 40] } } }), ['Dee', 'Eve'], 'in');
eq(await names({ where: { age: { notIn: [22, 40] } } }), ['Ann', 'Bob'], 'notIn');
eq(await names({ where: { age: null } }), ['cy'], 'null check');
eq(await names({ where: { age: { not: null } } }), ['Ann', 'Bob', 'Dee', 'Eve'], 'not null');
eq(await names({ where: { name: { contains: 'e' } } }), ['Dee', 'Eve'], 'contains');
eq(await names({ where: { name: { startsWith: 'C', mode: 'insensitive' } } }), ['cy'], 'startsWith insensitive');
eq(await names({ where: { name: { startsWith: 'C' } } }), [], 'startsWith is case-sensitive by default');
eq(await names({ where: { email: { endsWith: '@example.com' }, name: { contains: 'B' } } }), ['Bob'], 'endsWith + implicit AND');
eq(await names({ where: { OR: [{ name: 'Ann' }, { age: 40 }] } }), ['Ann', 'Dee'], 'OR');
eq(await names({ where: { AND: [{ age: { gt: 20 } }, { age: { lt: 30 } }] } }), ['Bob', 'Eve'], 'AND');
eq(await names({ where: { NOT: { name: 'Ann' }, age: { not: null } } }), ['Bob', 'Dee', 'Eve'], 'NOT');
eq((await db.post.findMany({ where: { title: { contains: '%' } } })).map(x => x.title), ['Third 100%'], 'LIKE wildcards are escaped');
eq((await db.post.findMany({ where: { title: { contains: '_' } } })).length, 0, 'underscore is literal');

// orderBy (object, array, nulls), take, skip, cursor, distinct
eq(await names({ orderBy: { email: 'desc' } }), ['Eve', 'Dee', 'cy', 'Bob', 'Ann'], 'orderBy desc');
// Enums sort by their text on SQLite and in declaration order (USER, ADMIN) on PostgreSQL and
// MySQL, as with Prisma.
const enumOrder = db.type !== 'sqlite';
eq(await names({ orderBy: [{ role: 'desc' }, { age: 'asc' }] }), enumOrder ? ['cy', 'Eve', 'Bob', 'Ann', 'Dee'] : ['Eve', 'Bob', 'Ann', 'Dee', 'cy'], 'orderBy array: role then age');
eq((await db.user.findMany({ orderBy: [{ role: 'asc' }, { age: 'desc' }] })).map(u => u.name), enumOrder ? ['Dee', 'Ann', 'Bob', 'Eve', 'cy'] : ['cy', 'Dee', 'Ann', 'Bob', 'Eve'], 'orderBy array keeps key order');
eq((await db.user.findMany({ orderBy: { age: { sort: 'asc', nulls: 'first' } } })).map(u => u.name), ['cy', 'Eve', 'Bob', 'Ann', 'Dee'], 'nulls first');
eq((await db.user.findMany({ orderBy: { age: { sort: 'asc', nulls: 'last' } } })).map(u => u.name), ['Eve', 'Bob', 'Ann', 'Dee', 'cy'], 'nulls last');
eq(await names({ take: 2 }), ['Ann', 'Bob'], 'take');
eq(await names({ take: 2, skip: 1 }), ['Bob', 'cy'], 'take + skip');
eq(await names({ cursor: { id: 3 }, take: 2 }), ['cy', 'Dee'], 'cursor');
eq((await db.post.findMany({ distinct: ['authorId'], orderBy: { id: 'asc' } })).map(x => x.title), ['First', 'Third 100%'], 'distinct');

// findFirst / *OrThrow
eq((await db.user.findFirst({ where: { age: { gt: 30 } }, orderBy: { age: 'desc' } })).name, 'Dee', 'findFirst');
eq(await db.user.findFirst({ where: { name: 'Nobody' } }), null, 'findFirst of nothing is null');
eq((await db.user.findUniqueOrThrow({ where: { id: 2 } })).name, 'Bob', 'findUniqueOrThrow');
await throws(() => db.user.findUniqueOrThrow({ where: { id: 999 } }), 'P2025', /User/, 'findUniqueOrThrow of a missing record');
await throws(() => db.user.findFirstOrThrow({ where: { name: 'Nobody' } }), 'P2025', /User/, 'findFirstOrThrow of nothing');

// update / updateMany / atomic operations / upsert
eq((await db.user.update({ where: { id: 2 }, data: { age: { increment: 5 } } })).age, 30, 'increment');
eq((await db.user.update({ where: { id: 2 }, data: { age: { decrement: 2 } } })).age, 28, 'decrement');
eq((await db.user.update({ where: { id: 2 }, data: { age: { multiply: 2 } } })).age, 56, 'multiply');
eq((await db.user.update({ where: { id: 2 }, data: { age: { divide: 4 } } })).age, 14, 'divide');
eq((await db.user.update({ where: { email: 'bob@example.com' }, data: { age: { set: 26 }, name: 'Bobby' } })).name, 'Bobby', 'set + update by unique field');
await throws(() => db.user.update({ where: { id: 999 }, data: { name: 'x' } }), 'P2025', /User/, 'update of a missing record');
eq(await db.post.updateMany({ where: { published: false }, data: { published: true } }), { count: 1 }, 'updateMany');
eq(await db.post.updateMany({ where: { title: 'nothing' }, data: { published: true } }), { count: 0 }, 'updateMany of nothing');
const returned = await db.post.updateManyAndReturn({ where: { authorId: 1 }, data: { title: { set: 'renamed' } }, include: { author: { select: { email: true } } } });
eq(returned.map(p => [p.title, p.author.email]).sort(), [['renamed', 'ann@example.com'], ['renamed', 'ann@example.com']], 'updateManyAndReturn with include');
eq(await db.post.updateManyAndReturn({ where: { title: 'nothing' }, data: { published: true } }), [], 'updateManyAndReturn of nothing');
const up1 = await db.user.upsert({ where: { email: 'fay@example.com' }, create: { email: 'fay@example.com', name: 'Fay' }, update: { name: 'Fay 2' } });
eq(up1.name, 'Fay', 'upsert creates');
const up2 = await db.user.upsert({ where: { email: 'fay@example.com' }, create: { email: 'fay@example.com', name: 'Fay' }, update: { name: 'Fay 2' } });
eq([up2.id, up2.name], [up1.id, 'Fay 2'], 'upsert updates');

// count / aggregate / groupBy
eq(await db.user.count(), 6, 'count');
eq(await db.user.count({ where: { age: { gt: 25 } } }), 3, 'count with where');
const agg = await db.user.aggregate({ where: { age: { not: null } }, _count: { _all: true, age: true }, _sum: { age: true }, _avg: { age: true }, _min: { age: true }, _max: { age: true } });
eq(agg._count, { _all: 4, age: 4 }, 'aggregate _count');
eq(agg._sum.age, 31 + 26 + 40 + 22, 'aggregate _sum');
eq(agg._avg.age, (31 + 26 + 40 + 22) / 4, 'aggregate _avg');
eq([agg._min.age, agg._max.age], [22, 40], 'aggregate _min/_max');
const groups = await db.post.groupBy({ by: ['authorId'], _count: { _all: true }, orderBy: { authorId: 'asc' } });
eq(groups, [{ authorId: 1, _count: { _all: 2 } }, { authorId: 2, _count: { _all: 1 } }], 'groupBy');
const having = await db.user.groupBy({ by: ['role'], where: { age: { not: null } }, _avg: { age: true }, having: { age: { _avg: { gt: 20 } } }, orderBy: { role: 'asc' }, take: 1, skip: 0 });
eq(having.map(g => g.role), ['USER'], 'groupBy where/having/orderBy/take/skip');

// compound unique keys
await db.member.create({ data: { email: 'm@x', tenantId: 1, name: 'M1' } });
await db.member.create({ data: { email: 'm@x', tenantId: 2, name: 'M2' } });
eq((await db.member.findUnique({ where: { email_tenantId: { email: 'm@x', tenantId: 2 } } })).name, 'M2', 'findUnique on a compound unique');
await throws(() => db.member.create({ data: { email: 'm@x', tenantId: 1, name: 'again' } }), 'P2002', /email.*tenantId|tenantId.*email/, 'compound unique violation');

// delete / deleteMany
eq((await db.user.delete({ where: { email: 'fay@example.com' } })).name, 'Fay 2', 'delete returns the record');
await throws(() => db.user.delete({ where: { id: 999 } }), 'P2025', /User/, 'delete of a missing record');
eq(await db.post.deleteMany({ where: { authorId: 2 } }), { count: 1 }, 'deleteMany with where');

// thenables: .then(), .catch(), .finally(), laziness, $transaction([...])
eq(await db.user.count().then(n => n + 1), 6, '.then()');
let finallyRan = false;
await db.user.count().finally(() => { finallyRan = true; });
ok(finallyRan, '.finally()');
eq(await db.user.findUniqueOrThrow({ where: { id: 999 } }).catch(e => e.code), 'P2025', '.catch()');
const lazy = db.user.create({ data: { email: 'lazy@example.com', name: 'Lazy' } });
eq(await db.user.count({ where: { email: 'lazy@example.com' } }), 0, 'a thenable does not run until awaited');
await lazy;
eq(await db.user.count({ where: { email: 'lazy@example.com' } }), 1, 'awaiting runs it once');
await lazy;
eq(await db.user.count({ where: { email: 'lazy@example.com' } }), 1, 'awaiting again does not run it again');
const [created, counted] = await db.$transaction([
  db.user.create({ data: { email: 'tx1@example.com', name: 'Tx1' } }),
  db.user.count(),
]);
eq([created.name, counted], ['Tx1', 7], '$transaction([...]) results');
await throws(() => db.$transaction([
  db.user.create({ data: { email: 'tx2@example.com', name: 'Tx2' } }),
  db.user.create({ data: { email: 'tx1@example.com', name: 'Dup' } }),
]), 'P2002', /email/, '$transaction([...]) failure');
eq(await db.user.count({ where: { email: 'tx2@example.com' } }), 0, '$transaction([...]) rolled back');
const inTx = await db.$transaction(async tx => {
  const u = await tx.user.create({ data: { email: 'itx@example.com', name: 'ITx' } });
  await tx.post.create({ data: { title: 'By ITx', authorId: u.id } });
  return tx.post.count({ where: { authorId: u.id } });
});
eq(inTx, 1, '$transaction(async tx => ...) returns the value');
await throws(() => db.$transaction(async tx => {
  await tx.user.create({ data: { email: 'gone@example.com', name: 'Gone' } });
  await tx.user.update({ where: { id: 12345 }, data: { name: 'x' } });
}), 'P2025', /User/, 'interactive transaction error');
eq(await db.user.count({ where: { email: 'gone@example.com' } }), 0, 'interactive transaction rolled back');

// errors: constraints and validation with suggestions
const dup = await throws(() => db.user.create({ data: { email: 'ann@example.com', name: 'Dup' } }), 'P2002', /email/, 'unique violation');
eq(dup && dup.meta.target, ['email'], 'P2002 target fields');
eq(dup && dup.meta.modelName, 'User', 'P2002 model name');
await throws(() => db.post.create({ data: { title: 'Orphan', authorId: 999 } }), 'P2003', /authorId/, 'foreign key violation');
await throws(() => db.$executeRawUnsafe(sql('INSERT INTO "Post" ("title", "published", "authorId") VALUES (NULL, ?, 1)'), false), 'P2010', /null/i, 'raw not-null');
await throws(() => db.user.findMany({ where: { emial: 'x' } }), 'P2009', /emial.*email/, 'unknown field suggests the nearest');
await throws(() => db.user.findMany({ where: { age: { greaterThan: 3 } } }), 'P2009', /greaterThan/, 'unknown operator');
await throws(() => db.user.findMany({ take: 'ten' }), 'P2009', /take/, 'wrong argument type');
await throws(() => db.user.create({ data: { email: 'x@x', name: 'X', age: 'old' } }), 'P2009', /Argument `age`: expected Int, got String/, 'wrong field type');
await throws(() => db.user.create({ data: { email: 'x@x', name: 'X', age: 1.5 } }), 'P2009', /Argument `age`: expected Int, got Float/, 'a float for an Int');
await throws(() => db.user.create({ data: { email: 'x@x', name: null } }), 'P2009', /Argument `name` must not be null/, 'null for a required field');
await throws(() => db.sample.create({ data: { when: new Date('nope') } }), 'P2009', /Argument `when`: Invalid Date/, 'an invalid Date names the argument');
await throws(() => db.sample.create({ data: { big: 2n ** 64n } }), 'P2009', /Argument `big`.*64-bit/, 'a bigint beyond 64 bits');
await throws(() => db.user.findMany(42), 'P2009', /must be an object/, 'non-object arguments');

// types through the Prisma API
const smp = await db.sample.create({ data: { big: 2n ** 62n, price: '0.10', when: new Date(5), data: { k: [1] }, blob: new Uint8Array([9]) } });
eq([smp.big, smp.when.getTime(), smp.data, Array.from(smp.blob)], [2n ** 62n, 5, { k: [1] }, [9]], 'types through create');
eq((await db.sample.findFirst({ where: { big: { gt: 2n ** 61n } } })).id, smp.id, 'bigint in a filter');
eq(typeof (await db.sample.aggregate({ _max: { big: true } }))._max.big, 'bigint', 'aggregate of a BigInt field is a bigint');
// Porting Prisma Client code: require('@prisma/client'), the Prisma namespace's SQL fragments
// (values still bound), its error classes, relationLoadStrategy.
const { PrismaClient, Prisma: P } = require('@prisma/client');
ok(new PrismaClient() === db, 'new PrismaClient() is the database of the script');
ok(P === Prisma, 'require("@prisma/client").Prisma is the global Prisma');
const pat = await db.user.create({ data: { email: 'pat@example.com', name: 'Pat' } });
const T = Prisma.raw(sql('"User"'));
const ids = [pat.id, 999999];
const picked = await db.$queryRaw`SELECT ${Prisma.raw(sql('"email"'))} AS e FROM ${T} WHERE ${Prisma.raw(sql('"id"'))} IN (${Prisma.join(ids)}) ${Prisma.empty}`;
eq(picked.map(r => r.e), ['pat@example.com'], 'Prisma.raw, Prisma.join and Prisma.empty in $queryRaw');
const byName = Prisma.sql`${Prisma.raw(sql('"name"'))} = ${'Pat'}`;
eq(Number((await db.$queryRaw(Prisma.sql`SELECT COUNT(*) AS n FROM ${T} WHERE ${byName}`))[0].n), 1, '$queryRaw(Prisma.sql`...`) with a nested fragment');
const hostile = Prisma.join(["x'); DROP TABLE \"User\"; --", 'Pat']);
eq(Number((await db.$queryRaw`SELECT COUNT(*) AS n FROM ${T} WHERE ${Prisma.raw(sql('"name"'))} IN (${hostile})`)[0].n), 1, 'Prisma.join values stay data');
eq(await db.$executeRaw(Prisma.sql`UPDATE ${T} SET ${Prisma.raw(sql('"age"'))} = ${41} WHERE ${byName}`), 1, '$executeRaw(Prisma.sql`...`)');
eq((await db.user.findUnique({ where: { id: pat.id } })).age, 41, 'the fragment update ran');
await throws(() => db.$queryRaw('SELECT 1'), 'P2009', /Unsafe/, '$queryRaw refuses SQL text');
const missing = await throws(() => db.user.findUniqueOrThrow({ where: { id: 999999 } }), 'P2025', /User/, 'findUniqueOrThrow of nothing');
ok(missing instanceof Prisma.PrismaClientKnownRequestError && missing instanceof Error, 'P2025 is a PrismaClientKnownRequestError');
eq(missing.name, 'PrismaClientKnownRequestError', 'its name');
const invalid = await throws(() => db.user.findMany({ where: { emial: 'x' } }), 'P2009', /emial/, 'validation error');
ok(invalid instanceof Prisma.PrismaClientValidationError, 'P2009 is a PrismaClientValidationError');
eq((await db.user.findMany({ relationLoadStrategy: 'join', where: { id: pat.id }, include: { posts: true } }))[0].posts, [], 'relationLoadStrategy: "join" accepted');
await throws(() => db.user.findMany({ relationLoadStrategy: 'lateral' }), 'P2009', /relationLoadStrategy/, 'relationLoadStrategy checked');

// $transaction options: isolationLevel (Prisma.TransactionIsolationLevel), timeout, maxWait.
const L = Prisma.TransactionIsolationLevel;
eq(await db.$transaction(async (tx) => tx.user.count({ where: { id: pat.id } }), { isolationLevel: L.Serializable, maxWait: 2000, timeout: 10000 }), 1, 'isolationLevel Serializable');
eq(await db.$transaction([db.user.count({ where: { id: pat.id } })], { isolationLevel: 'Serializable' }), [1], 'batch with isolationLevel');
if (db.type === 'sqlite') {
  await throws(() => db.$transaction(async () => 1, { isolationLevel: L.ReadCommitted }), 'P2009', /READ COMMITTED/, 'SQLite has serializable transactions only');
} else {
  eq(await db.$transaction(async (tx) => 2, { isolationLevel: L.ReadCommitted }), 2, 'isolationLevel ReadCommitted');
}
if (db.type === 'postgresql') {
  const level = await db.$transaction(async (tx) => (await tx.$queryRaw`SELECT current_setting('transaction_isolation') AS l`)[0].l, { isolationLevel: L.RepeatableRead });
  eq(level, 'repeatable read', 'the level reaches PostgreSQL');
}
await throws(() => db.$transaction(async () => 1, { isolationLevel: 'Chaos' }), 'P2009', /isolationLevel/, 'an unknown level is refused');
await throws(() => db.$transaction(async () => 1, { isolation: 'x' }), 'P2009', /unknown option/, 'an unknown option is refused');
const expired = await throws(() => db.$transaction(async (tx) => {
  await tx.user.create({ data: { email: 'late@example.com', name: 'Late' } });
  const t = Date.now();
  while (Date.now() - t < 60) { /* outlive the timeout */ }
  return 1;
}, { timeout: 20 }), 'P2028', /expired transaction/, 'a transaction past its timeout is not committed');
ok(expired instanceof Prisma.PrismaClientKnownRequestError, 'P2028 is a PrismaClientKnownRequestError');
eq(await db.user.count({ where: { email: 'late@example.com' } }), 0, 'its work was rolled back');

done();
