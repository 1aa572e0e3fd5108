// Lists beyond the databases' bound-parameter limits from JavaScript (see tests/pc/big_lists.c
// for the C side): createMany of 100,000 records, `in` / `notIn` with 100,000 ids in findMany,
// streams, count, updateMany and deleteMany, with exact results.
const { ok, eq, done } = require('./lib');

const N = 100000;
const data = [];
for (let i = 1; i <= N; i++) data.push({ title: 'post ' + i });
eq(await db.blogPost.createMany({ data }), { count: N }, 'createMany of 100,000 records');
eq(await db.blogPost.count(), N, 'all of them');

// Every even id from 2 to 2N: half of them exist.
const evens = [];
for (let i = 1; i <= N; i++) evens.push(2 * i);
const found = await db.blogPost.findMany({ where: { id: { in: evens } }, select: { id: true }, orderBy: { id: 'asc' } });
eq(found.length, N / 2, 'in: the 50,000 ids that exist');
ok(found.every((r, i) => r.id === 2 * i + 2), 'in: exactly the even ids, in order');
let k = 0;
let exact = true;
for await (const r of db.blogPost.findMany({ where: { id: { notIn: evens } }, orderBy: { id: 'asc' } }).stream()) {
  exact = exact && r.id === 2 * k + 1;
  k++;
}
eq(k, N / 2, 'notIn through a stream: the 50,000 others');
ok(exact, 'notIn: exactly the odd ids, in order');
eq(await db.blogPost.count({ where: { OR: [{ id: { in: evens } }, { title: 'post 1' }] } }), N / 2 + 1, 'a list inside OR');
eq(await db.blogPost.updateMany({ where: { id: { in: evens } }, data: { title: 'even' } }), { count: N / 2 }, 'updateMany with 100,000 ids');
eq(await db.blogPost.count({ where: { title: 'even' } }), N / 2, 'updated exactly those');
eq(await db.blogPost.deleteMany({ where: { id: { notIn: evens } } }), { count: N / 2 }, 'deleteMany with notIn 100,000 ids');
eq(await db.blogPost.count(), N / 2, 'the even ones are left');

done();
