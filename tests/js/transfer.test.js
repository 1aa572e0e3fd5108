// How Prisma Client arguments and results cross between JavaScript and C: packed (tokens, one
// text, and the values C converts itself; src/js/pack.c). Every kind of value must come out as
// the chainable API (which converts value by value) makes it, in both directions.
const { ok, eq, throws, done } = require('./lib');

// Text: ASCII, Latin-1, BMP, astral (surrogate pairs), empty, and strings as keys of Json.
const texts = ['plain', 'héllo — ünïcode ✓', '😀 emoji 𝄞 clef', '', 'a"b\\c\n\t', 'x'.repeat(180)];
for (const label of texts) {
  const viaPrisma = await db.sample.create({ data: { label } });
  eq(viaPrisma.label, label, 'text through the packed path: ' + JSON.stringify(label.slice(0, 20)));
  const id = models.Sample.add({ label });
  eq((await db.sample.findUnique({ where: { id } })).label, label, 'text read back packed');
  eq(models.Sample.get(viaPrisma.id).label, label, 'text written packed, read value by value');
}
// A lone surrogate is not valid UTF-16: both paths convert it the same way.
const lone = 'a\uD800b';
const p1 = await db.sample.create({ data: { label: lone } });
const id1 = models.Sample.add({ label: lone });
eq(p1.label, models.Sample.get(id1).label, 'a lone surrogate converts as the value-by-value path does');

// Every scalar type both ways, and in filters.
const when = new Date('2024-03-01T10:20:30.123Z');
const full = await db.sample.create({
  data: {
    big: 9007199254740993n, price: '12345678901234.56', score: -0.5, when,
    data: { k: ['v', 1, null, { 'ü': true }] }, blob: new Uint8Array([0, 255, 7]), flag: false,
    label: undefined,
  },
});
const byValue = models.Sample.get(full.id);
eq(full, byValue, 'a record with every type reads the same both ways');
eq(typeof full.big, 'bigint', 'BigInt field as bigint');
ok(full.when instanceof Date && full.when.getTime() === when.getTime(), 'DateTime as Date');
ok(full.blob instanceof Uint8Array, 'Bytes as Uint8Array');
eq(full.label, null, 'an undefined member is left out (the column stays null)');
eq((await db.sample.findMany({ where: { when: { gte: when }, big: 9007199254740993n, flag: false } })).map(s => s.id),
  [full.id], 'Date, bigint and boolean in a filter');
eq((await db.sample.findMany({ where: { score: { lt: 0 } }, select: { score: true } })), [{ score: -0.5 }], 'a float in a filter');
eq((await db.sample.findMany({ where: { id: { in: [full.id, 1e9] } } })).length, 1, 'numbers in a list');

// Numbers: integers stay Int up to 2^53, beyond are floats (an Int column rejects them).
const u = await db.user.create({ data: { email: 'n@x', name: 'N', age: 2 ** 31 - 1 } });
eq(u.age, 2 ** 31 - 1, 'the largest Int');
await throws(() => db.user.create({ data: { email: 'f@x', name: 'F', age: 1.5 } }), null, /age/, 'a float for an Int field');
await throws(() => db.user.create({ data: { email: 'g@x', name: 'G', age: NaN } }), null, /age/, 'NaN for an Int field');

// Values the packed path hands to C as they are: class instances, functions, symbols.
class Box { constructor(v) { this.v = v; } }
await throws(() => db.user.findMany({ where: { name: new Box('x') } }), null, null, 'a class instance in a filter is rejected');
await throws(() => db.user.create({ data: { email: 'h@x', name: () => 1 } }), null, /function/, 'a function cannot be stored');
await throws(() => db.user.create({ data: { email: 's@x', name: Symbol('s') } }), null, /Symbol/, 'a Symbol cannot be stored');
eq((await db.user.findMany({ where: { name: new String('N') } })).length, 1, 'a boxed string is its value');

// Nesting: deep values stop at the depth limit with the same message, cycles too.
let deep = {};
const root = deep;
for (let i = 0; i < 600; i++) deep = deep.a = {};
await throws(() => db.sample.create({ data: { data: root } }), null, /nested deeper than 512 levels/, 'a value nested too deep');
const cyclic = { a: 1 };
cyclic.self = cyclic;
await throws(() => db.sample.create({ data: { data: cyclic } }), null, /nested deeper than 512 levels/, 'a cyclic value');

// Getters run once, and a getter that throws fails the query with its error.
let reads = 0;
const where = { get email() { reads++; return 'n@x'; } };
eq((await db.user.findUnique({ where })).name, 'N', 'a getter in the arguments');
eq(reads, 1, 'the getter ran once');
await throws(() => db.user.findUnique({ where: { get id() { throw new RangeError('no id'); } } }), null, /no id/, 'a throwing getter');

// Keys are decoded once per call and cached by their place in the text: a key whose cache slot
// is taken by a later one ('name' at offset 32 after 'where' at 0) must still name its member.
eq(await db.user.findMany({ where: { email: 'x'.repeat(22), name: 'N' } }), [], 'a key evicted from the cache');
const many = await db.sample.createManyAndReturn({ data: Array.from({ length: 40 }, (_, i) => ({ label: 'l'.repeat(i), score: i, flag: i % 2 === 0 })) });
eq(many.map(r => r.score), Array.from({ length: 40 }, (_, i) => i), 'createManyAndReturn of records with repeated keys');

// Keys: included relations, aggregates and groups keep their shape and order.
await db.post.createMany({ data: [{ title: 'é1', authorId: u.id }, { title: '😀2', authorId: u.id }] });
const withPosts = await db.user.findUnique({ where: { id: u.id }, include: { posts: { orderBy: { id: 'asc' } } } });
eq(Object.keys(withPosts), ['id', 'email', 'name', 'age', 'role', 'createdAt', 'posts'], 'record keys in order');
eq(withPosts.posts.map(p => p.title), ['é1', '😀2'], 'included posts');
const groups = await db.post.groupBy({ by: ['authorId'], _count: { _all: true }, _max: { title: true } });
eq(groups, [{ authorId: u.id, _count: { _all: 2 }, _max: { title: '😀2' } }], 'groupBy result');
const agg = await db.sample.aggregate({ _max: { when: true, big: true } });
ok(agg._max.when instanceof Date, 'an aggregate of a DateTime is a Date');
eq(typeof agg._max.big, 'bigint', 'an aggregate of a BigInt is a bigint');

done();
