// Hostile input through the JavaScript API: values that look like SQL are stored and read back
// unchanged (Prisma methods, the redi/orm record API, raw SQL parameters, $queryRaw tagged
// templates whose interpolations hold SQL); keys that are not in the schema (SQL fragments as
// field, select, include, orderBy, groupBy keys and operators) are refused with P2009 naming
// them. A canary table keeps its row and the row counts stay what the test wrote throughout.
const { ok, eq, throws, done, sql } = require('./lib');

await db.blogPost.create({ data: { title: 'canary' } });
let users = 0;
async function intact(what) {
  eq(await db.$queryRawUnsafe(sql('SELECT "title" FROM "BlogPost"')), [{ title: 'canary' }], what + ': the canary is there');
  eq(await db.user.count(), users, what + ': the user rows are the ones written');
  eq(await db.post.count(), 0, what + ': no post rows');
}

// A tagged template whose literal parts are written for this database ("Ident" quoting).
function rawTag(kind) {
  return (parts, ...values) => {
    const strings = parts.map(p => sql(p));
    strings.raw = strings;
    return db[kind](strings, ...values);
  };
}
const q = rawTag('$queryRaw');
const x = rawTag('$executeRaw');

const hostile = [
  "'", "''", '"', '`', "'; DROP TABLE \"BlogPost\"; --", '"; DROP TABLE `BlogPost`; --',
  "' OR '1'='1", '1; DELETE FROM BlogPost', "x' UNION SELECT title FROM BlogPost --",
  '-- line comment', '/* open comment', '*/', '# hash', '\\', "\\'", '\\"', '%', '_', '%_\\%',
  '$1', '?', '$$ dollar $$', ':name', '${title}', '\r\n\t', 'Ω≈ 😀', 'NULL', 'undefined',
  '{"$type":"Bytes"}', '',
];
for (let i = 0; i < hostile.length; i++) {
  const s = hostile[i];
  const email = `h${i}@x.io`;
  const made = await db.user.create({ data: { email, name: s } });
  users++;
  eq(made.name, s, `create keeps ${JSON.stringify(s)}`);
  eq((await db.user.findUnique({ where: { email } })).name, s, `findUnique reads back ${JSON.stringify(s)}`);
  eq((await db.user.findMany({ where: { name: s, email } })).length, 1, `equals ${JSON.stringify(s)}`);
  if (s !== '') {
    eq((await db.user.findMany({ where: { name: { contains: s }, email } })).length, 1, `contains ${JSON.stringify(s)}`);
  }
  eq((await db.user.updateMany({ where: { name: { in: [s] }, email }, data: { name: s } })).count, 1, `updateMany with ${JSON.stringify(s)}`);
  // Raw SQL: tagged template interpolations and $queryRawUnsafe parameters are bound.
  eq(await q`SELECT "name" FROM "User" WHERE "name" = ${s} AND "email" = ${email}`, [{ name: s }], `$queryRaw interpolating ${JSON.stringify(s)}`);
  eq(await db.$queryRawUnsafe(sql('SELECT "name" FROM "User" WHERE "name" = ? AND "email" = ?'), s, email), [{ name: s }], `$queryRawUnsafe with ${JSON.stringify(s)}`);
  eq(await x`UPDATE "Sample" SET "label" = ${s} WHERE "id" = ${0}`, 0, `$executeRaw interpolating ${JSON.stringify(s)}`);
  // The redi/orm record API.
  const id = db.models.Sample.add({ label: s });
  eq(db.models.Sample.get(id).label, s, `record API keeps ${JSON.stringify(s)}`);
  db.models.Sample.remove(id);
}
await intact('hostile values');

// A long value of quotes, semicolons and comment markers (the Json column holds any length).
const long = "'; DROP TABLE \"BlogPost\"; -- /* \\ # ".repeat(30000);
const sample = await db.sample.create({ data: { data: { text: long } } });
eq((await db.sample.findUnique({ where: { id: sample.id } })).data.text, long, 'a 1 MB hostile value round-trips');
await db.sample.delete({ where: { id: sample.id } });

// An interpolation is one value, never SQL: a fragment that would change the statement if it
// were pasted in finds nothing.
eq(await q`SELECT COUNT(*) AS n FROM "User" WHERE "email" = ${"x' OR '1'='1"}`.then(r => Number(r[0].n)), 0, '$queryRaw: an OR fragment is a value');
eq(await x`DELETE FROM "User" WHERE "email" = ${"'; DELETE FROM \"User\"; --"}`, 0, '$executeRaw: a DELETE fragment is a value');
await intact('raw fragments');
// $queryRaw is a tag: called with a string (SQL built by concatenation) it refuses.
await throws(() => db.$queryRaw('SELECT 1'), 'P2009', /\$queryRawUnsafe/, '$queryRaw with a string is refused');
await throws(() => db.$executeRaw("DELETE FROM BlogPost WHERE title = '" + "x' OR '1'='1" + "'"), 'P2009', /\$executeRawUnsafe/, '$executeRaw with a string is refused');

// Keys outside the schema, SQL fragments among them: refused, named.
const DROP = '"; DROP TABLE BlogPost; --';
const refused = [
  [() => db.user.findMany({ where: { [DROP]: 1 } }), 'DROP TABLE BlogPost', 'where key'],
  [() => db.user.findMany({ where: { 'name) OR (1=1': 'x' } }), 'name) OR (1=1', 'where key with parentheses'],
  [() => db.user.findMany({ where: { name: { 'equals; DROP TABLE BlogPost': 'x' } } }), 'equals; DROP TABLE BlogPost', 'operator'],
  [() => db.user.findMany({ select: { 'id, (SELECT title FROM BlogPost)': true } }), '(SELECT title FROM BlogPost)', 'select key'],
  [() => db.user.findMany({ include: { 'posts; DROP TABLE Post': true } }), 'posts; DROP TABLE Post', 'include key'],
  [() => db.user.findMany({ include: { BlogPost: true } }), 'BlogPost', 'include of another model'],
  [() => db.user.findMany({ orderBy: { name: 'asc; DROP TABLE BlogPost' } }), 'orderBy', 'orderBy direction'],
  [() => db.user.findMany({ orderBy: { '(SELECT 1)': 'asc' } }), '(SELECT 1)', 'orderBy key'],
  [() => db.user.groupBy({ by: ['name', '1; DROP TABLE BlogPost'] }), '1; DROP TABLE BlogPost', 'groupBy field'],
  [() => db.user.aggregate({ _sum: { 'age) FROM BlogPost; --': true } }), 'age) FROM BlogPost; --', 'aggregate field'],
  [() => db.user.create({ data: { email: 'k@x.io', name: 'K', "age) VALUES (1); --": 1 } }), 'age) VALUES (1); --', 'data key'],
  [() => db.user.create({ data: { email: 'k@x.io', name: 'K', posts: { 'insert; --': {} } } }), 'insert; --', 'nested write operation'],
  [() => db.user.findMany({ where: { posts: { 'some; --': {} } } }), 'some; --', 'relation filter'],
  [() => db.user.findMany({ distinct: ['name; --'] }), 'name; --', 'distinct field'],
  [() => db.models.User.where('name; DROP TABLE BlogPost', '=', 1).all(), 'name; DROP TABLE BlogPost', 'builder where field'],
  [() => db.models.User.where('name', '= 1 OR 1 =', 1).all(), '= 1 OR 1 =', 'builder operator'],
  [() => db.models.User.orderBy('name; --', 'asc').all(), 'name; --', 'builder orderBy field'],
  [() => db.models.User.orderBy('name', 'asc; --').all(), 'asc; --', 'builder orderBy direction'],
  [() => db.models.User.select('id, (SELECT 1)').all(), '(SELECT 1)', 'builder select'],
  [() => db.models.User.add({ email: 'k@x.io', name: 'K', 'age) VALUES (1); --': 1 }), 'age) VALUES (1); --', 'record API key'],
];
for (const [fn, name, what] of refused) {
  const e = await throws(fn, 'P2009', null, what);
  ok(e && e.message.includes(name), `${what}: the message names ${JSON.stringify(name)}: ${e && e.message}`);
}
await intact('hostile keys');

done();
