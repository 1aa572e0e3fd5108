// Results come to JavaScript packed (src/js/pack.c, the prelude's unpack()): the objects of an
// array by shape, their keys once, each made by one object literal per shape. Checks that the
// objects are exactly as before: key order, types, nulls, nested includes, `_count`, groupBy's
// nested aggregates, objects of several shapes in one call, and the same again on later calls
// (the makers are kept between calls).
const { ok, eq, done } = require('./lib');

const keys = (o) => Object.keys(o).join(',');

await db.user.create({ data: { email: 'a@x', name: 'A', age: 30, posts: { create: [{ title: 'a1', published: true }, { title: 'a2' }] } } });
await db.user.create({ data: { email: 'b@x', name: 'B' } });
await db.user.create({ data: { email: 'c@x', name: 'C', age: 7, posts: { create: [{ title: 'ü \u{1F600} c1' }] } } });

for (let round = 0; round < 3; round++) {
  const users = await db.user.findMany({ include: { posts: true }, orderBy: { id: 'asc' } });
  eq(users.length, 3, 'three users');
  for (const u of users) {
    eq(keys(u), 'id,email,name,age,role,createdAt,posts', 'user keys in schema order, then the include');
    ok(u.createdAt instanceof Date, 'a Date');
    ok(Array.isArray(u.posts), 'posts is an array');
    for (const p of u.posts) eq(keys(p), 'id,title,published,authorId', 'post keys');
    ok(Object.getPrototypeOf(u) === Object.prototype, 'a plain object');
  }
  eq(users[0].posts.map((p) => [p.title, p.published]), [['a1', true], ['a2', false]], 'values and booleans');
  eq(users[1].age, null, 'a null');
  eq(users[1].posts, [], 'no posts');
  eq(users[2].posts[0].title, 'ü \u{1F600} c1', 'text beyond ASCII');

  // Different shapes in one result: a select inside the include, a to-one relation, _count.
  const posts = await db.post.findMany({
    select: { title: true, author: { select: { name: true, _count: { select: { posts: true } } } } },
    orderBy: { id: 'asc' },
  });
  eq(posts, [
    { title: 'a1', author: { name: 'A', _count: { posts: 2 } } },
    { title: 'a2', author: { name: 'A', _count: { posts: 2 } } },
    { title: 'ü \u{1F600} c1', author: { name: 'C', _count: { posts: 1 } } },
  ], 'nested select, to-one relation and _count');
  eq(keys(posts[0]), 'title,author', 'selected keys in order');
  eq(keys(posts[0].author), 'name,_count', 'nested keys in order');

  // Nested include to depth 3, with the parent's records again under each post.
  const deep = await db.user.findFirst({ where: { email: 'a@x' }, include: { posts: { include: { author: { include: { posts: { select: { id: true } } } } } } } });
  eq(deep.posts.length, 2, 'deep: two posts');
  eq(deep.posts[1].author.posts.map((p) => keys(p)), ['id', 'id'], 'deep: the innermost select');
  eq(keys(deep.posts[0].author), 'id,email,name,age,role,createdAt,posts', 'deep: author keys');

  // groupBy: by fields first, then the aggregates, each a nested object.
  const groups = await db.post.groupBy({ by: ['authorId'], _count: { _all: true, title: true }, _max: { id: true }, orderBy: { authorId: 'asc' } });
  eq(groups.map(keys), ['authorId,_count,_max', 'authorId,_count,_max'], 'groupBy keys');
  eq(groups[0]._count, { _all: 2, title: 2 }, 'groupBy _count');
  eq(keys(groups[0]._count), '_all,title', 'groupBy _count keys in order');
}

// Every type in an array whose records share one shape, nulls among them.
await db.sample.create({ data: { big: 1234567890123456789n, price: '12.25', score: 1.5, when: new Date(86400000), data: { a: [1, 'x'] }, blob: new Uint8Array([1, 2, 3]), flag: true, label: 'one' } });
await db.sample.create({ data: {} });
const samples = await db.sample.findMany({ orderBy: { id: 'asc' } });
eq(samples.map(keys), ['id,big,price,score,when,data,blob,flag,label', 'id,big,price,score,when,data,blob,flag,label'], 'sample keys');
const s = samples[0];
ok(typeof s.big === 'bigint' && s.big === 1234567890123456789n, 'BigInt -> bigint');
ok(typeof s.price === 'string' && /^12\.250*$/.test(s.price), 'Decimal -> string: ' + s.price);
ok(s.when instanceof Date && s.when.getTime() === 86400000, 'DateTime -> Date');
eq(s.data, { a: [1, 'x'] }, 'Json parsed');
ok(s.blob instanceof Uint8Array && s.blob.length === 3, 'Bytes -> Uint8Array');
eq([s.score, s.flag, s.label], [1.5, true, 'one'], 'Float, Boolean, String');
eq(Object.values(samples[1]).slice(1), [null, null, null, null, null, null, null, null], 'all nulls');

done();
