// Prisma's null values for Json fields: Prisma.JsonNull writes the JSON value null,
// Prisma.DbNull database NULL (optional fields only), Prisma.AnyNull matches either in filters.
// Both come back as null; filters tell them apart. Same behaviour on every database.
const { ok, eq, throws, done } = require('./lib');

await db.loadSchema(`model JsonDoc {
  id   Int    @id @default(autoincrement())
  key  String @unique
  doc  Json
  note Json?
}`);
await db.syncSchemas();

// ---- the constants ----
const client = require('@prisma/client');
ok(client.Prisma === Prisma, "require('@prisma/client').Prisma is the global Prisma");
for (const name of ['JsonNull', 'DbNull', 'AnyNull']) {
  ok(Prisma[name] instanceof Prisma.NullTypes[name], 'Prisma.' + name + ' instanceof Prisma.NullTypes.' + name);
  ok(typeof Prisma[name] === 'object' && Prisma[name] !== null, 'Prisma.' + name + ' is an object');
  eq(Prisma[name]._getName(), name, name + '._getName()');
  eq(String(Prisma[name]), 'Prisma.' + name, name + ' as text');
  ok(Object.isFrozen(Prisma[name]), name + ' is frozen');
}
ok(!(Prisma.JsonNull instanceof Prisma.NullTypes.DbNull), 'JsonNull is not a DbNull');
ok(Prisma.DbNull !== Prisma.AnyNull && Prisma.JsonNull !== Prisma.DbNull, 'three distinct values');

const J = db.jsonDoc;
const keysOf = async (where) => (await J.findMany({ where, orderBy: { id: 'asc' } })).map(r => r.key);

// ---- writes: create, createMany, createManyAndReturn ----
const a = await J.create({ data: { key: 'a', doc: Prisma.JsonNull, note: Prisma.JsonNull } });
eq(a.doc, null, 'JsonNull reads back as null (required field)');
eq(a.note, null, 'JsonNull reads back as null (optional field)');
const b = await J.create({ data: { key: 'b', doc: { x: 1 }, note: Prisma.DbNull } });
eq(b.note, null, 'DbNull reads back as null');
eq(b.doc, { x: 1 }, 'a Json object');
await J.create({ data: { key: 'c', doc: [1, null], note: null } }); // plain null: database NULL
await J.create({ data: { key: 'd', doc: 'text', note: { y: 2 } } });
eq(await J.createMany({ data: [{ key: 'e', doc: 0, note: Prisma.JsonNull }, { key: 'f', doc: Prisma.JsonNull, note: Prisma.DbNull }] }),
  { count: 2 }, 'createMany with JsonNull and DbNull');
const g = await J.createManyAndReturn({ data: [{ key: 'g', doc: false, note: Prisma.JsonNull }] });
eq(g.map(r => [r.key, r.doc, r.note]), [['g', false, null]], 'createManyAndReturn with JsonNull');

// note: a JsonNull, b DbNull, c null, d {y:2}, e JsonNull, f DbNull, g JsonNull
// doc: a JsonNull, f JsonNull; others hold values
eq(await keysOf({ note: Prisma.JsonNull }), ['a', 'e', 'g'], 'shorthand JsonNull');
eq(await keysOf({ note: Prisma.DbNull }), ['b', 'c', 'f'], 'shorthand DbNull');
eq(await keysOf({ note: Prisma.AnyNull }), ['a', 'b', 'c', 'e', 'f', 'g'], 'shorthand AnyNull');
eq(await keysOf({ note: { equals: Prisma.JsonNull } }), ['a', 'e', 'g'], 'equals JsonNull');
eq(await keysOf({ note: { equals: Prisma.DbNull } }), ['b', 'c', 'f'], 'equals DbNull');
eq(await keysOf({ note: { equals: Prisma.AnyNull } }), ['a', 'b', 'c', 'e', 'f', 'g'], 'equals AnyNull');
eq(await keysOf({ note: { not: Prisma.JsonNull } }), ['d'], 'not JsonNull (database NULLs left out, as SQL compares)');
eq(await keysOf({ note: { not: Prisma.DbNull } }), ['a', 'd', 'e', 'g'], 'not DbNull (JSON nulls kept)');
eq(await keysOf({ note: { not: Prisma.AnyNull } }), ['d'], 'not AnyNull');
eq(await keysOf({ note: null }), ['b', 'c', 'f'], 'plain null is database NULL');
eq(await keysOf({ note: { not: null } }), ['a', 'd', 'e', 'g'], 'not null');
eq(await keysOf({ doc: Prisma.JsonNull }), ['a', 'f'], 'JsonNull on a required field');
eq(await keysOf({ doc: Prisma.DbNull }), [], 'DbNull on a required field matches nothing');
eq(await keysOf({ doc: { not: Prisma.AnyNull } }), ['b', 'c', 'd', 'e', 'g'], 'not AnyNull on a required field');
eq(await keysOf({ NOT: { note: Prisma.AnyNull } }), ['d'], 'NOT AnyNull');
eq(await keysOf({ OR: [{ note: Prisma.JsonNull }, { doc: Prisma.JsonNull }] }), ['a', 'e', 'f', 'g'], 'OR of JsonNull filters');
eq(await keysOf({ note: Prisma.JsonNull, doc: { not: Prisma.JsonNull } }), ['e', 'g'], 'two filters ANDed');
eq(await J.count({ where: { note: { equals: Prisma.AnyNull } } }), 6, 'count with AnyNull');
eq((await J.findFirst({ where: { key: 'a', note: Prisma.JsonNull } })).key, 'a', 'findFirst with JsonNull');

// ---- update, updateMany, upsert ----
let r = await J.update({ where: { key: 'd' }, data: { note: Prisma.JsonNull } });
eq(r.note, null, 'update to JsonNull');
eq(await keysOf({ note: Prisma.JsonNull }), ['a', 'd', 'e', 'g'], 'update wrote JSON null');
r = await J.update({ where: { key: 'd' }, data: { note: Prisma.DbNull, doc: Prisma.JsonNull } });
eq([r.doc, r.note], [null, null], 'update to DbNull and JsonNull');
eq(await keysOf({ note: Prisma.DbNull }), ['b', 'c', 'd', 'f'], 'update wrote database NULL');
eq(await keysOf({ doc: Prisma.JsonNull }), ['a', 'd', 'f'], 'update wrote JSON null on the required field');
eq(await J.updateMany({ where: { note: Prisma.AnyNull, key: { in: ['a', 'b'] } }, data: { note: { back: true } } }),
  { count: 2 }, 'updateMany with an AnyNull filter');
eq(await J.updateMany({ where: { note: { equals: { back: true } } }, data: { note: Prisma.JsonNull } }),
  { count: 2 }, 'updateMany to JsonNull');
eq(await keysOf({ note: Prisma.JsonNull }), ['a', 'b', 'e', 'g'], 'updateMany wrote JSON null');
r = await J.upsert({ where: { key: 'h' }, create: { key: 'h', doc: Prisma.JsonNull, note: Prisma.DbNull }, update: {} });
eq([r.key, r.doc, r.note], ['h', null, null], 'upsert creates with JsonNull and DbNull');
eq(await keysOf({ doc: Prisma.JsonNull, note: Prisma.DbNull }), ['d', 'f', 'h'], 'upsert created JSON null and database NULL');
r = await J.upsert({ where: { key: 'h' }, create: { key: 'h', doc: 1 }, update: { note: Prisma.JsonNull, doc: { z: 3 } } });
eq([r.doc, r.note], [{ z: 3 }, null], 'upsert updates to JsonNull');
eq(await keysOf({ key: 'h', note: Prisma.JsonNull }), ['h'], 'upsert wrote JSON null');
r = await J.upsert({ where: { key: 'i' }, create: { key: 'i', doc: Prisma.JsonNull, note: Prisma.JsonNull }, update: { doc: 2 } });
eq(await keysOf({ key: 'i', doc: Prisma.JsonNull, note: Prisma.JsonNull }), ['i'], 'upsert create branch with JsonNull');
r = await J.upsert({ where: { key: 'i' }, create: { key: 'i', doc: 1 }, update: { note: Prisma.DbNull } });
eq(await keysOf({ key: 'i', note: Prisma.DbNull }), ['i'], 'upsert update branch with DbNull');

// ---- errors ----
await throws(() => J.create({ data: { key: 'x', doc: Prisma.DbNull } }), 'P2009', /Argument `doc` must not be null.*DbNull/,
  'DbNull on a required Json field');
await throws(() => J.create({ data: { key: 'x', doc: null } }), 'P2009', /Argument `doc` must not be null/,
  'null on a required Json field');
await throws(() => J.update({ where: { key: 'a' }, data: { doc: Prisma.DbNull } }), 'P2009', /must not be null/,
  'update: DbNull on a required Json field');
await throws(() => J.createMany({ data: [{ key: 'x', doc: Prisma.DbNull }] }), 'P2009', /must not be null/,
  'createMany: DbNull on a required Json field');
await throws(() => J.create({ data: { key: 'x', doc: 1, note: Prisma.AnyNull } }), 'P2009', /Prisma\.AnyNull is only valid in filters/,
  'AnyNull in create data');
await throws(() => J.update({ where: { key: 'a' }, data: { note: Prisma.AnyNull } }), 'P2009', /Prisma\.AnyNull is only valid in filters/,
  'AnyNull in update data');
await throws(() => J.findMany({ where: { note: { in: [Prisma.AnyNull] } } }), 'P2009', /AnyNull is only valid in filters/,
  'AnyNull in a list');
await throws(() => J.findMany({ where: { key: Prisma.JsonNull } }), 'P2009', /Prisma\.JsonNull is only valid for Json fields/,
  'JsonNull on a String field');
await throws(() => J.findMany({ where: { key: { not: Prisma.AnyNull } } }), 'P2009', /Prisma\.AnyNull is only valid for Json fields/,
  'AnyNull on a String field');
await throws(() => J.create({ data: { key: Prisma.JsonNull, doc: 1 } }), 'P2009', /Prisma\.JsonNull is only valid for Json fields/,
  'JsonNull in data of a String field');
eq(await J.count({ where: { key: 'x' } }), 0, 'nothing written by the refused calls');

// ---- deleteMany by filter, and every write in one transaction ----
await db.$transaction(async (tx) => {
  await tx.jsonDoc.create({ data: { key: 't1', doc: Prisma.JsonNull, note: Prisma.JsonNull } });
  await tx.jsonDoc.create({ data: { key: 't2', doc: 1, note: Prisma.DbNull } });
  eq((await tx.jsonDoc.findMany({ where: { key: { startsWith: 't' }, note: Prisma.JsonNull } })).map(x => x.key), ['t1'],
    'JsonNull inside a transaction');
});
eq(await J.deleteMany({ where: { key: { startsWith: 't' }, note: Prisma.AnyNull } }), { count: 2 }, 'deleteMany with AnyNull');
eq(await J.deleteMany({ where: { doc: Prisma.JsonNull } }), { count: 4 }, 'deleteMany with JsonNull');
eq(await keysOf({}), ['b', 'c', 'e', 'g', 'h'], 'what is left');

done('jsonnull');
