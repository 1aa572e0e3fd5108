// How Prisma Client arguments and results cross between JavaScript and C: packed (tokens, one
// text, and the values C converts itself; src/js/pack.c). Every kind of value must come out as
// the chainable API (which converts value by value) makes it, in both directions.
const { ok, eq, throws, done } = require('./lib');

// Text: ASCII, Latin-1, BMP, astral (surrogate pairs), empty, and strings as keys of Json.
// Strings up to 32 code units and longer ones travel differently (a typed array, a joined text).
const texts = ['plain', 'héllo — ünïcode ✓', '😀 emoji 𝄞 clef', '', 'a"b\\c\n\t', 'x'.repeat(180),
  '😀'.repeat(16), '😀'.repeat(17) + 'é', 'é'.repeat(33), 'y'.repeat(32), 'y'.repeat(33)];
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
const loneLong = 'b'.repeat(40) + '\uDC00' + 'c'.repeat(40);
const p2 = await db.sample.create({ data: { label: loneLong } });
const id2 = models.Sample.add({ label: loneLong });
eq(p2.label, models.Sample.get(id2).label, 'a lone surrogate in a long string converts the same way');
const mixed = await db.sample.findMany({ where: { label: { in: [texts[6], texts[7], 'z'.repeat(50)] } }, orderBy: { id: 'asc' }, select: { label: true } });
eq(mixed.map(r => r.label), [texts[6], texts[6], texts[7], texts[7]], 'short and long strings in one list');

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

// Keys are interned between calls (src/js/args.c, pack.c): many calls with the same keys, and
// keys first met in a long value.
eq(await db.user.findMany({ where: { email: 'x'.repeat(22), name: 'N' } }), [], 'keys after a long string');
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

// Argument keys past the interning limit (4,096) go inline: a Json value with 5,000 keys, then
// the interned ones still name their members.
const wide = {};
for (let i = 0; i < 5000; i++) wide['k' + i] = i;
const wideRow = await db.sample.create({ data: { data: wide, label: 'wide' } });
eq(Object.keys(wideRow.data).length, 5000, 'a Json value with 5,000 keys');
eq(wideRow.data.k4999, 4999, 'its last member');
for (let round = 0; round < 2; round++) {
  const again = {};
  for (let i = 0; i < 5000; i++) again['r' + round + '_' + i] = -i;
  const row = await db.sample.update({ where: { id: wideRow.id }, data: { data: again } });
  eq(row.data['r' + round + '_4321'], -4321, 'new keys past the limit, round ' + round);
}
eq((await db.sample.findUnique({ where: { id: wideRow.id }, select: { label: true } })).label, 'wide', 'interned keys after the limit');

// A call that fails after bringing new keys: the keys still work afterwards.
await throws(() => db.user.findMany({ where: { neverSeenKey: 1 } }), null, /neverSeenKey/, 'an unknown field');
await throws(() => db.user.findMany({ where: { name: { notAnOperator1: 'x' } } }), null, /notAnOperator1/, 'an unknown operator');
eq((await db.user.findMany({ where: { name: 'N' }, select: { name: true } })), [{ name: 'N' }], 'a call after failed ones');

// A getter that runs a query while the arguments are packed (then() runs a query at once):
// each call keeps its own arguments.
let inner = null;
const outerWhere = { get name() { db.user.count({ where: { email: 'n@x' } }).then(n => { inner = n; }); return 'N'; } };
eq((await db.user.findMany({ where: outerWhere, select: { email: true } })), [{ email: 'n@x' }], 'the outer call');
await null;
eq(inner, 1, 'the query the getter ran');

// Keys that C reads the same (cut at a NUL): the last one wins, as value by value.
const cutKeys = await db.sample.create({ data: { data: { 'a\u0000x': 1, 'a\u0000y': 2, b: 3 } } });
eq(cutKeys.data, models.Sample.get(cutKeys.id).data, 'keys cut at a NUL read the same both ways');
eq(Object.keys(cutKeys.data).length, 2, 'keys cut at a NUL: one member');

// A query run while the arguments of another are converted (a getter of an object without a
// prototype, which C reads member by member, runs one): each has its own memory for its
// arguments.
let innerCount = -1;
const bare = Object.create(null);
Object.defineProperty(bare, 'name', {
  enumerable: true,
  get() { db.user.count({ where: { name: { in: ['N', 'x'.repeat(40)] } } }).then(n => { innerCount = n; }); return 'N'; },
});
eq((await db.user.findMany({ where: bare, select: { name: true } })), [{ name: 'N' }], 'the outer query');
await null;
eq(innerCount, 1, 'the query run during the conversion');

// Arguments past the first buffers: a createMany of 20,000 rows grows them past what is kept
// (1 MiB), and the next call starts small again; long strings (up to 190 code units: MySQL's
// String is VARCHAR(191)) go joined.
const big = Array.from({ length: 20000 }, (_, i) => ({ label: i % 2 ? 'short ' + i : String(i % 10).repeat(33 + i % 150) + '|' + i, score: i, big: 777n }));
eq((await db.sample.createMany({ data: big })).count, 20000, 'createMany of 20,000 labels, short and long');
const back = await db.sample.findMany({ where: { big: 777n }, orderBy: { score: 'asc' }, select: { label: true } });
eq(back.filter((r, i) => r.label === big[i].label).length, 20000, 'every label read back');
eq(await db.sample.count({ where: { big: 777n, label: { startsWith: 'short 1999' } } }), 6, 'a small call after the large one');

// Result keys are interned too, up to 4,096 between calls: a schema with more field names than
// that still reads every record right (past the limit, keys come with each result). This is the
// binding's own bookkeeping, the same whatever the database: it runs on SQLite memory.
const orm = require('redi/orm');
const w = orm.fromUri('sqlite://:memory:');
await w.connect();
const NM = 42, NF = 100;
let text = '';
for (let m = 0; m < NM; m++) {
  text += `model W${m} {\n  id Int @id\n`;
  for (let f = 0; f < NF; f++) text += `  m${m}f${f} Int?\n`;
  text += '}\n';
}
await w.loadSchema(text);
await w.syncSchemas();
let right = 0;
for (let round = 0; round < 2; round++) {
  for (let m = 0; m < NM; m++) {
    const data = { id: round + 1 };
    for (let f = 0; f < NF; f++) data[`m${m}f${f}`] = m * 1000 + f + round;
    const made = await w['w' + m].create({ data });
    const read = await w['w' + m].findUnique({ where: { id: round + 1 } });
    if (JSON.stringify(made) === JSON.stringify(data) && JSON.stringify(read) === JSON.stringify(data)) right++;
  }
}
eq(right, 2 * NM, 'records of 42 models x 100 fields, twice, read back exactly');
await w.close();

done();
