// The query nesting limit from JavaScript: arguments nested 100,000 levels deep (which would
// overflow the stack of a recursive converter or validator) are a validation error naming the
// path; the limit of the query engine (RORM_QUERY_MAX_DEPTH, 64 levels) names it too.
const { ok, eq, throws, done } = require('./lib');

await db.user.create({ data: { email: 'a@x.io', name: 'A' } });

let deep = { id: 1 };
for (let i = 0; i < 100000; i++) deep = { AND: deep };
await throws(() => db.user.findMany({ where: deep }), 'P2009', /nested deeper than 512 levels at `where\.AND\.AND/, 'a where nested 100,000 levels');
await throws(async () => { for await (const r of db.user.findMany({ where: deep }).stream()) ok(false, 'no record'); }, 'P2009', /nested deeper than 512 levels at `where\.AND/, 'a stream with a where nested 100,000 levels');

let arr = { id: 1 };
for (let i = 0; i < 100000; i++) arr = { OR: [arr] };
await throws(() => db.user.count({ where: arr }), 'P2009', /nested deeper than 512 levels at `where\.OR\[0\]\.OR\[0\]/, 'arrays nested 100,000 levels');

let nested = { email: 'deep@x.io', name: 'D' };
for (let i = 0; i < 50000; i++) nested = { posts: { create: { title: 't', author: { create: nested } } } };
await throws(() => db.user.create({ data: nested }), 'P2009', /nested deeper than/, 'nested writes 200,000 levels deep');

// Within what JavaScript converts, the query engine's own limit: 64 levels.
let mid = { id: 1 };
for (let i = 0; i < 100; i++) mid = { AND: mid };
await throws(() => db.user.findMany({ where: mid }), 'P2009', /nested deeper than 64 levels at `where\.AND\.AND/, 'a where nested 100 levels');
let fine = { id: 1 };
for (let i = 0; i < 60; i++) fine = { AND: fine };
eq((await db.user.findMany({ where: fine })).length, 1, 'a where nested 60 levels runs');
eq(await db.user.count(), 1, 'nothing was written by the refused create');

done();
