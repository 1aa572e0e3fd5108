// The database object: require('redi/orm').fromUri(), connect, loadSchema, loadSchemaFrom,
// syncSchemas, models under their model and client names, queryRaw/executeRaw, transactions
// (the redi/orm spelling and Prisma's $transaction in both forms), tagged templates, close.
const { ok, eq, throws, done } = require('./lib');
const orm = require('redi/orm');

eq(typeof orm.fromUri, 'function', 'require("redi/orm").fromUri');
await throws(() => orm.fromUri('not a uri'), 'P2009', /URI/, 'fromUri rejects a non-URI');

const d = orm.fromUri('sqlite://:memory:');
await d.connect();
await d.loadSchema(`
  model Author {
    id    Int    @id @default(autoincrement())
    name  String @unique
    books Book[]
  }
  model Book {
    id       Int    @id @default(autoincrement())
    title    String
    authorId Int
    author   Author @relation(fields: [authorId], references: [id])
  }
  model BlogPost {
    id    Int    @id @default(autoincrement())
    title String
  }
`);
await d.syncSchemas();
await d.syncSchemas(); // idempotent
eq(Object.keys(d.models).sort(), ['Author', 'BlogPost', 'Book'], 'models of the loaded schema');
ok(d.author === d.models.Author, 'client name author');
ok(d.blogPost === d.models.BlogPost, 'client name blogPost (camelCase)');
eq(d.type, 'sqlite', 'database type');

const a = d.models.Author.add({ name: 'Ursula' });
d.models.Book.add({ title: 'The Dispossessed', authorId: a });
d.book.add({ title: 'The Lathe of Heaven', authorId: a });
eq(d.models.Book.select().count(), 2, 'records through both names');

// Raw SQL: parameters bound, rows as objects, execute returns the affected count.
eq(await d.queryRaw('SELECT title FROM Book WHERE authorId = ? ORDER BY title', a), [{ title: 'The Dispossessed' }, { title: 'The Lathe of Heaven' }], 'queryRaw with a parameter');
eq(await d.queryRaw('SELECT ? AS x, ? AS y', [1, 'two']), [{ x: 1, y: 'two' }], 'queryRaw with an array of parameters');
eq(await d.executeRaw('UPDATE Book SET title = upper(title) WHERE authorId = ?', a), 2, 'executeRaw returns the affected rows');
const who = "Ursula'; DROP TABLE Book; --";
eq(await d.$queryRaw`SELECT count(*) AS n FROM Author WHERE name = ${who}`, [{ n: 0 }], '$queryRaw interpolations are parameters');
eq(await d.$queryRaw`SELECT name FROM Author WHERE id = ${a}`, [{ name: 'Ursula' }], '$queryRaw tagged template');
eq(await d.$executeRaw`UPDATE Author SET name = ${'Ursula K.'} WHERE id = ${a}`, 1, '$executeRaw tagged template');
eq(await d.$queryRawUnsafe('SELECT name FROM Author WHERE id = ?', a), [{ name: 'Ursula K.' }], '$queryRawUnsafe');
const rawErr = await throws(() => d.queryRaw('SELECT * FROM Nope'), 'P2010', /Nope/, 'raw SQL error');
eq(rawErr.meta.code, 'RORM_EDRIVER', 'raw SQL error: the RediORM code in meta');
const thenable = d.$queryRaw`SELECT 1 AS one`;
eq(typeof thenable.then, 'function', 'raw queries are thenables');
eq(await thenable.then(rows => rows[0].one), 1, '.then() on a raw query');

// redi/orm transaction: commits when the callback resolves, rolls back when it throws,
// resolves to the callback's value.
const v = await d.transaction(async tx => {
  tx.models.Author.add({ name: 'Le Guin' });
  eq(tx.author.select().count(), 2, 'tx.author sees the insert');
  await tx.executeRaw('INSERT INTO Author (name) VALUES (?)', 'Raw In Tx');
  return 'value';
});
eq(v, 'value', 'transaction resolves to the callback value');
eq(d.models.Author.select().count(), 3, 'transaction committed');
const e1 = await throws(() => d.transaction(async tx => {
  tx.models.Author.add({ name: 'Rolled Back' });
  throw new Error('abort');
}), null, /abort/, 'transaction rethrows the callback error');
eq(d.models.Author.where('name', 'Rolled Back').count(), 0, 'transaction rolled back');
await throws(() => d.$transaction(async tx => {
  tx.author.add({ name: 'Dup' });
  tx.author.add({ name: 'Dup' });
}), 'P2002', /name/, 'a constraint error inside rolls back');
eq(d.models.Author.where('name', 'Dup').count(), 0, 'nothing of the failed transaction remains');

// Nested interactive transactions are savepoints.
await d.$transaction(async tx => {
  tx.author.add({ name: 'Outer' });
  await tx.$transaction(async inner => { inner.author.add({ name: 'Inner' }); throw new Error('inner'); }).catch(() => {});
  eq(tx.author.where('name', 'Inner').count(), 0, 'inner rolled back to its savepoint');
});
eq(d.models.Author.where('name', 'Outer').count(), 1, 'outer committed');

// $transaction([...]) with queries of the client: all or nothing.
const batch = await d.$transaction([
  d.$executeRaw`INSERT INTO Author (name) VALUES (${'Batch 1'})`,
  d.$executeRaw`INSERT INTO Author (name) VALUES (${'Batch 2'})`,
  d.$queryRaw`SELECT count(*) AS n FROM Author WHERE name LIKE 'Batch%'`,
]);
eq(batch, [1, 1, [{ n: 2 }]], '$transaction([...]) results in order');
await throws(() => d.$transaction([
  d.$executeRaw`INSERT INTO Author (name) VALUES (${'Batch 3'})`,
  d.$executeRaw`INSERT INTO Author (name) VALUES (${'Batch 1'})`,
]), 'P2010', /Raw query failed: UNIQUE/, '$transaction([...]) fails as a whole');
eq(d.models.Author.where('name', 'Batch 3').count(), 0, 'the batch rolled back');
await throws(() => d.$transaction([1, 2]), 'P2009', /PrismaPromise/, '$transaction of non-queries');

// A finished transaction handle cannot be used.
let leaked;
await d.transaction(async tx => { leaked = tx; });
await throws(() => leaked.models.Author.select().count(), 'RORM_ESTATE', /finished/, 'finished transaction');

// A database stricter than the schema: the NOT NULL comes from the table, so the error is the
// database's, reported as Prisma's P2011 naming the field.
const d3 = orm.fromUri('sqlite://:memory:');
await d3.executeRaw('CREATE TABLE Thing (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT NOT NULL)');
await d3.loadSchema('model Thing {\n  id   Int     @id @default(autoincrement())\n  note String?\n}\n');
const nn = await throws(() => d3.thing.create({ data: {} }), 'P2011', /Null constraint violation.*`note`.*Thing/, 'database NOT NULL as P2011');
eq(nn && nn.meta.constraint, ['note'], 'P2011 names the field');
await throws(() => d3.models.Thing.add({}), 'P2011', /note/, 'P2011 through the chainable API');
await d3.close();

// loadSchemaFrom resolves paths relative to the script.
const d2 = orm.fromUri('sqlite://:memory:');
await d2.loadSchemaFrom('./schema.prisma');
await d2.syncSchemas();
ok(d2.models.User && d2.models.Sample, 'loadSchemaFrom');
await throws(() => d2.loadSchemaFrom('./nope.prisma'), 'RORM_ENOTFOUND', /nope\.prisma/, 'loadSchemaFrom of a missing file');
await throws(() => d2.loadSchema('model X {\n  id Strin @id\n}\n'), 'RORM_ESCHEMA', /Strin/, 'loadSchema of an invalid schema');
await d2.$disconnect();
await throws(() => d2.queryRaw('SELECT 1'), 'RORM_ESTATE', /closed/, 'closed database');

await d.close();
await throws(() => d.models.Author.select().count(), 'RORM_ESTATE', /closed/, 'close()');

// relationMode = "prisma": no foreign keys; the Prisma Client methods emulate the actions and
// an emulated Restrict is Prisma's P2014.
const rm = orm.fromUri('sqlite://:memory:');
await rm.connect();
await rm.loadSchema(`
  datasource db {
    provider     = "sqlite"
    url          = "file:x.db"
    relationMode = "prisma"
  }
  model Owner {
    id    Int    @id
    pets  Pet[]
    card  Card?
  }
  model Pet {
    id      Int   @id
    ownerId Int
    owner   Owner @relation(fields: [ownerId], references: [id], onDelete: Cascade)
    @@index([ownerId])
  }
  model Card {
    id      Int   @id
    ownerId Int   @unique
    owner   Owner @relation(fields: [ownerId], references: [id], onDelete: Restrict)
  }
`);
await rm.syncSchemas();
await rm.owner.createMany({ data: [{ id: 1 }, { id: 2 }] });
await rm.pet.createMany({ data: [{ id: 1, ownerId: 1 }, { id: 2, ownerId: 1 }, { id: 3, ownerId: 2 }] });
await rm.card.create({ data: { id: 1, ownerId: 2 } });
await rm.owner.delete({ where: { id: 1 } });
eq((await rm.pet.findMany({ select: { id: true } })).map(p => p.id), [3], 'emulated Cascade');
await throws(() => rm.owner.delete({ where: { id: 2 } }), 'P2014', /required relation 'CardToOwner' between the `Card` and `Owner` models/, 'emulated Restrict is P2014');
eq(await rm.pet.count(), 1, 'nothing deleted by the refused delete');
eq(rm.models.Owner.select().include('pets').first(), { id: 2, pets: [{ id: 3, ownerId: 2 }] }, 'chainable include on this handle');

// The global db of `redi-orm run --schema` is the same kind of object.
ok(db instanceof orm.Database, 'global db is a Database');
ok(models === db.models, 'global models');
done();
