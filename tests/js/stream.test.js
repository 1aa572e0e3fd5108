// Streams: `for await (const r of db.blogPost.findMany({...}).stream())` reads the records of a
// findMany in batches (rorm_db_stream underneath), on every database. Checked: the same records
// as findMany, early break and close() giving the connection back, transactions, what is
// refused, and an error in the middle of a stream.
const { ok, eq, throws, done } = require('./lib');
const { PrismaPromise } = require('redi/orm');

const N = 20000;
const data = [];
for (let i = 1; i <= N; i++) data.push({ title: 'post ' + i });
eq(await db.blogPost.createMany({ data }), { count: N }, 'seeded');

// The same records as findMany, in order, through both spellings (client name and models).
async function collect(q) {
  const out = [];
  for await (const r of q.stream()) out.push(r);
  return out;
}
const all = await collect(db.blogPost.findMany({ orderBy: { id: 'asc' } }));
eq(all.length, N, 'every record streams');
eq(all, await db.blogPost.findMany({ orderBy: { id: 'asc' } }), 'the records of findMany');
const window = { where: { id: { gt: 100 } }, orderBy: { id: 'desc' }, skip: 10, take: 1000, select: { id: true } };
eq(await collect(models.BlogPost.findMany(window)), await models.BlogPost.findMany(window), 'where, orderBy, skip, take and select (models.BlogPost)');
eq(await collect(db.blogPost.findMany({ where: { title: 'none' } })), [], 'an empty stream');
eq((await collect(db.blogPost.findMany({ cursor: { id: 19995 }, orderBy: { id: 'asc' } }))).map(r => r.id), [19995, 19996, 19997, 19998, 19999, 20000], 'cursor');

// The iterator protocol by hand: next(), then return() ends it.
const s = db.blogPost.findMany({ orderBy: { id: 'asc' } }).stream();
ok(typeof s[Symbol.asyncIterator] === 'function', 'stream() returns an async iterable');
eq((await s.next()).value.id, 1, 'next() gives the first record');
eq((await s.next()).value.id, 2, 'next() gives the second record');
eq(await s.return(), { value: undefined, done: true }, 'return() ends the stream');
eq(await s.next(), { value: undefined, done: true }, 'a stream ended stays ended');

// An early break gives the connection back: many breaks in a row, then other queries work (on
// sqlite://:memory: the pool has a single connection; a connection kept would hang them).
for (let k = 0; k < 20; k++) {
  let seen = 0;
  for await (const r of db.blogPost.findMany({ orderBy: { id: 'asc' } }).stream()) {
    if (++seen === 300 + k) break;
  }
  eq(seen, 300 + k, 'early break ' + k);
}
eq(await db.blogPost.count(), N, 'queries work after early breaks');
// An exception in the loop body closes it too.
await throws(async () => {
  for await (const r of db.blogPost.findMany().stream()) {
    if (r.id === 5) throw Object.assign(new Error('stop at 5'), { code: 'STOP' });
  }
}, 'STOP', /stop at 5/, 'an exception in the loop');
eq(await db.blogPost.count({ where: { id: { lte: 10 } } }), 10, 'queries work after an exception in a loop');
const closing = db.blogPost.findMany().stream();
await closing.next();
await closing.close();
eq(await db.blogPost.count(), N, 'queries work after close()');

// Only findMany streams; relations, distinct and a negative take are refused.
await throws(() => db.blogPost.findFirst().stream(), 'P2009', /findMany/, 'stream() of findFirst');
ok(db.blogPost.findMany() instanceof PrismaPromise, 'findMany() is still a thenable');
await throws(() => collect(db.user.findMany({ include: { posts: true } })), 'RORM_EUNSUPPORTED', /relations/, 'include is refused');
await throws(() => collect(db.blogPost.findMany({ distinct: ['title'] })), 'RORM_EUNSUPPORTED', /distinct/, 'distinct is refused');
await throws(() => collect(db.blogPost.findMany({ where: { nope: 1 } })), 'P2009', /nope/, 'an unknown field');
eq(await db.blogPost.count(), N, 'queries work after refused streams');

// In a transaction: the stream sees the transaction's writes; while it is open the transaction
// refuses other work; a stream left open is closed when the transaction ends.
await db.$transaction(async tx => {
  await tx.blogPost.create({ data: { title: 'in tx' } });
  const it = tx.blogPost.findMany({ orderBy: { id: 'desc' } }).stream();
  eq((await it.next()).value.title, 'in tx', 'a stream in a transaction sees its writes');
  await throws(() => tx.blogPost.count(), 'RORM_ESTATE', /stream is open/, 'the transaction is busy while its stream is open');
  await it.return();
  eq(await tx.blogPost.count(), N + 1, 'the transaction works once the stream is closed');
  const left = tx.blogPost.findMany().stream();
  await left.next();
});
eq(await db.blogPost.count(), N + 1, 'the transaction committed with a stream left open');
await throws(() => db.$transaction(async tx => {
  const it = tx.blogPost.findMany().stream();
  await it.next();
  throw Object.assign(new Error('roll back'), { code: 'ROLLBACK' });
}), 'ROLLBACK', /roll back/, 'a transaction rolled back with a stream open');
eq(await db.blogPost.count(), N + 1, 'queries work after the rollback');

// An error in the middle of a stream (a value the schema's type cannot take, in record 1001):
// the records before it come out, then the error; the connection is back. SQLite stores what it
// is given; the servers' column types refuse such a value (the C tests kill the session there).
if (db.type === 'sqlite') {
  const samples = [];
  for (let i = 1; i <= 2000; i++) samples.push({ id: i, when: new Date(Date.UTC(2024, 0, 1) + i * 1000) });
  await db.sample.createMany({ data: samples });
  await db.$executeRawUnsafe("UPDATE Sample SET \"when\" = 'not a date' WHERE id = 1001");
  let seen = 0;
  const e = await throws(async () => {
    for await (const r of db.sample.findMany({ orderBy: { id: 'asc' } }).stream()) seen++;
  }, null, /when|date/i, 'an error mid-stream');
  eq(seen, 1000, 'the records before the error came out');
  ok(e && e.rormCode, 'the error carries its RediORM code');
  eq(await db.sample.count(), 2000, 'queries work after an error mid-stream');
}

done();
