// Types both ways: Int and Float as number, BigInt as bigint (never rounded), Decimal as an
// exact string, DateTime as Date, Json parsed, Bytes as Uint8Array, enums as strings; wrong
// types rejected with "Argument `x`: expected T, got U".
const { ok, eq, throws, done, sql } = require('./lib');

const S = models.Sample;
const when = new Date('2024-03-01T10:20:30.123Z');
const id = S.add({
  big: 9007199254740993n,
  price: '12345678901234.56',
  score: 2.5,
  when,
  data: { a: [1, 'two', null], b: { c: true } },
  blob: new Uint8Array([0, 1, 2, 254, 255]),
  flag: true,
  label: 'héllo — ünïcode ✓',
});
const s = S.get(id);
eq(typeof s.big, 'bigint', 'BigInt comes back as bigint');
eq(s.big, 9007199254740993n, 'BigInt keeps every digit');
eq(typeof s.price, 'string', 'Decimal comes back as a string');
ok(/^12345678901234\.56?$/.test(s.price), 'Decimal digits: ' + s.price);
eq(s.score, 2.5, 'Float');
ok(s.when instanceof Date, 'DateTime is a Date');
eq(s.when.toISOString(), '2024-03-01T10:20:30.123Z', 'DateTime keeps milliseconds');
eq(s.data, { a: [1, 'two', null], b: { c: true } }, 'Json is parsed');
ok(s.blob instanceof Uint8Array, 'Bytes is a Uint8Array');
eq(Array.from(s.blob), [0, 1, 2, 254, 255], 'Bytes content');
eq(s.flag, true, 'Boolean');
eq(s.label, 'héllo — ünïcode ✓', 'UTF-8 text');

// Other accepted inputs: numbers for BigInt and Decimal, ISO strings for DateTime, negative and
// extreme 64-bit values, Json scalars and arrays, empty bytes, null everywhere it is allowed.
const id2 = S.add({ big: -9223372036854775808n, price: 10, score: 3, when: '2020-01-02T03:04:05Z', data: [1, 2], blob: new Uint8Array(0) });
const s2 = S.get(id2);
eq(s2.big, -9223372036854775808n, 'BigInt minimum');
eq(s2.price, '10', 'Decimal from an integer');
eq(s2.score, 3, 'Float from an integer');
eq(s2.when.getTime(), Date.UTC(2020, 0, 2, 3, 4, 5), 'DateTime from an ISO string');
eq(s2.data, [1, 2], 'Json array');
eq(s2.blob.length, 0, 'empty Bytes');
const id3 = S.add({ big: 42 });
eq(S.get(id3).big, 42n, 'BigInt from a number comes back as bigint');
eq(S.get(id3).label, null, 'unset nullable field is null');
S.set(id3, { big: 9223372036854775807n, data: 'just a string' });
eq(S.get(id3).big, 9223372036854775807n, 'BigInt maximum through set');
eq(S.get(id3).data, 'just a string', 'Json string');
S.set(id3, { data: null, label: null });
eq(S.get(id3).data, null, 'Json null');

// Where values are converted the same way.
eq(S.select(['id']).where('big', '=', 9007199254740993n).execute(), [{ id }], 'bigint in where');
eq(S.select(['id']).where('when', '=', when).execute(), [{ id }], 'Date in where');
eq(S.select(['id']).where('when', '>', new Date('2023-01-01')).count(), 1, 'Date comparison');

// Enums are strings.
const u = models.User.add({ email: 'e@x', name: 'E', role: 'ADMIN' });
eq(models.User.get(u).role, 'ADMIN', 'enum comes back as its string');
await throws(() => models.User.add({ email: 'f@x', name: 'F', role: 'GOD' }), 'P2009', /GOD/, 'unknown enum value');

// Wrong types.
await throws(() => models.User.add({ email: 'g@x', name: 'G', age: 'ten' }), 'P2009', /Argument `age`: expected Int or Null, got String/, 'Int from a string');
await throws(() => models.User.add({ email: 'g@x', name: 'G', age: 1.5 }), 'P2009', /Argument `age`: expected Int or Null, got Float/, 'Int from a float');
await throws(() => models.User.add({ email: 42, name: 'G' }), 'P2009', /Argument `email`: expected String, got Int/, 'String from a number');
await throws(() => S.add({ flag: 'yes' }), 'P2009', /Argument `flag`: expected Boolean or Null, got String/, 'Boolean from a string');
await throws(() => S.add({ when: 12 }), 'P2009', /Argument `when`: expected DateTime or Null, got Int/, 'DateTime from a number');
await throws(() => S.add({ blob: 'bytes' }), 'P2009', /Argument `blob`: expected Bytes or Null, got String/, 'Bytes from a string');
await throws(() => S.add({ big: 'x' }), 'P2009', /Argument `big`: expected BigInt or Null, got String/, 'BigInt from a string');
await throws(() => S.add({ big: 2n ** 64n }), null, /64-bit/, 'BigInt out of range');
await throws(() => S.add({ when: new Date('nope') }), null, /Invalid Date/, 'invalid Date');
await throws(() => S.add({ price: 'abc' }), null, /decimal/, 'Decimal from a non-number');
await throws(() => S.add({ label: () => 1 }), null, /function/, 'a function is not a value');
await throws(() => models.User.add({ email: 'h@x', name: null }), null, /name/, 'null for a required field');

// Raw queries return the database's values: integers as numbers (bigint beyond 2^53).
const raw = await db.queryRaw(sql('SELECT big, label FROM "Sample" WHERE id = ?'), id);
eq(raw[0].big, 9007199254740993n, 'raw INTEGER beyond 2^53 is a bigint');
eq(Number((await db.queryRaw('SELECT 1 + 1 AS two'))[0].two), 2, 'raw small integer');
if (db.type === 'sqlite') {
  eq((await db.queryRaw('SELECT 1 + 1 AS two'))[0].two, 2, 'raw small integer is a number');
  eq((await db.queryRaw('SELECT ? AS d', when))[0].d !== undefined, true, 'Date as a raw parameter');
  eq((await db.queryRaw('SELECT ? AS b', new Uint8Array([7, 8])))[0].b, new Uint8Array([7, 8]), 'bytes round-trip in raw SQL');
}

done();
