// The blog example: run it with
//   redi-orm run --schema examples/blog/schema.prisma examples/blog/script.js
// The schema is loaded and the tables created on the database of its datasource
// (examples/blog/blog.db), then this script sees `db` (the Prisma Client-style database object)
// and `models` (the chainable API). It starts from an empty blog each time.
await db.$transaction([db.postTag.deleteMany(), db.post.deleteMany(), db.tag.deleteMany(), db.user.deleteMany()]);

// Prisma Client: create, createMany, createManyAndReturn.
const ann = await db.user.create({ data: { email: 'ann@example.com', name: 'Ann', role: 'ADMIN' } });
const bob = await db.user.create({ data: { email: 'bob@example.com', name: 'Bob' } });
await db.tag.createMany({ data: [{ name: 'c' }, { name: 'databases' }, { name: 'javascript' }] });
const tags = await db.tag.findMany({ orderBy: { name: 'asc' } });

const posts = await db.post.createManyAndReturn({
  data: [
    { title: 'Hello, RediORM', body: 'One schema, C and JavaScript.', authorId: ann.id, published: true, views: 1200n, rating: '4.75', publishedAt: new Date('2026-01-05T09:00:00Z') },
    { title: 'Prepared statements', body: 'Every value is a bound parameter.', authorId: ann.id, published: true, views: 830n, rating: '4.50', publishedAt: new Date('2026-02-11T15:30:00Z') },
    { title: 'Draft: JavaScriptCore', authorId: bob.id },
  ],
});
await db.postTag.createMany({
  data: [
    { postId: posts[0].id, tagId: tags[0].id },
    { postId: posts[0].id, tagId: tags[2].id },
    { postId: posts[1].id, tagId: tags[1].id },
  ],
});

// Queries: filters, ordering, select.
const published = await db.post.findMany({
  where: { published: true, title: { contains: 'red', mode: 'insensitive' } },
  orderBy: { publishedAt: 'desc' },
  select: { title: true, views: true, rating: true, publishedAt: true },
});
console.log('Published posts matching "red":', published);

// Aggregates and groups: BigInt sums stay exact, Decimal stays a string.
const stats = await db.post.aggregate({ _count: { _all: true }, _sum: { views: true }, _max: { rating: true } });
console.log('Post stats:', stats);
const perAuthor = await db.post.groupBy({ by: ['authorId'], _count: { _all: true }, orderBy: { authorId: 'asc' } });
console.log('Posts per author:', perAuthor);

// Updates with atomic operations; errors carry Prisma's codes.
const read = await db.post.update({ where: { id: posts[0].id }, data: { views: { increment: 1 } } });
console.log('Views after one more read:', read.views);
try {
  await db.user.create({ data: { email: 'ann@example.com', name: 'Ann again' } });
} catch (e) {
  console.log('Expected error:', e.code, e.meta.target);
}

// An interactive transaction: publish the draft and tag it, or do neither.
await db.$transaction(async (tx) => {
  const draft = await tx.post.update({ where: { id: posts[2].id }, data: { published: true, publishedAt: new Date() } });
  await tx.postTag.create({ data: { postId: draft.id, tagId: tags[2].id } });
});

// The chainable API on the same database, and raw SQL with bound parameters.
const authors = models.User.select(['name', 'role']).where('role', '=', 'ADMIN').orderBy('name', 'ASC').execute();
console.log('Admins:', authors);
const tagged = await db.$queryRaw`
  SELECT t.name AS tag, count(*) AS posts
  FROM PostTag pt JOIN Tag t ON t.id = pt.tagId
  GROUP BY t.name ORDER BY posts DESC, t.name`;
console.log('Posts per tag:', tagged);
console.log(`${await db.user.count()} users, ${await db.post.count({ where: { published: true } })} published posts.`);
