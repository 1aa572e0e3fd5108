// The workload of ../shared/bench/WORKLOAD.md on RediORM's JavaScript API, written as Prisma
// Client code. bench.c evaluates this file in an engine whose global `db` is a fresh database
// with the User and Post models, then times each operation as one evaluation of `bench.<op>()`.
// Every operation reads its results into JavaScript objects and returns the same check value as
// the raw SQLite side in bench.c.
'use strict';

const NUSERS = 10000;
const NPOSTS = 50000;
const NLOOKUPS = 10000;
const NLISTS = 1000;
const NUPDATES = 2000;

function scattered(i) {
  return (i * 7919) % NUSERS + 1;
}

// Users with id <= 1000 and their posts: users * 1e6 + posts.
async function usersWithPosts() {
  const users = await db.user.findMany({ where: { id: { lte: 1000 } }, include: { posts: true } });
  let posts = 0;
  for (const u of users) posts += u.posts.length;
  return users.length * 1e6 + posts;
}

globalThis.bench = {
  // Single-row creates in one interactive transaction; counts ids that come back as expected.
  async a() {
    return db.$transaction(async (tx) => {
      let n = 0;
      for (let i = 1; i <= NUSERS; i++) {
        const u = await tx.user.create({
          data: { email: `user${i}@example.com`, name: `User ${i}`, age: i % 10 === 0 ? null : 18 + (i % 60) },
        });
        if (u.id === i) n++;
      }
      return n;
    });
  },

  // One createMany of every post, in one transaction.
  async b() {
    const data = new Array(NPOSTS);
    for (let j = 0; j < NPOSTS; j++) {
      data[j] = {
        title: `Post ${j}`,
        content: `Content of post ${j}. Lorem ipsum dolor sit amet, consectetur adipiscing elit.`,
        published: j % 3 === 0,
        authorId: (j % NUSERS) + 1,
      };
    }
    return db.$transaction(async (tx) => (await tx.post.createMany({ data })).count);
  },

  // Lookups by primary key; the sum of the ages read.
  async c() {
    let sum = 0;
    for (let i = 0; i < NLOOKUPS; i++) {
      const u = await db.user.findUnique({ where: { id: scattered(i) } });
      if (u.age > 0) sum += u.age;
    }
    return sum;
  },

  // Filtered, ordered, limited lists; rows * 1e9 + the sum of their ids.
  async d() {
    let check = 0;
    for (let i = 0; i < NLISTS; i++) {
      const rows = await db.post.findMany({
        where: { published: true, authorId: scattered(i) },
        orderBy: { id: 'desc' },
        take: 10,
        select: { id: true, title: true, published: true, authorId: true },
      });
      for (const p of rows) check += p.id;
      check += rows.length * 1e9;
    }
    return check;
  },

  e: usersWithPosts,
  e2: usersWithPosts,

  // Updates by primary key in one interactive transaction.
  async f() {
    return db.$transaction(async (tx) => {
      let n = 0;
      for (let i = 0; i < NUPDATES; i++) {
        const id = scattered(i);
        await tx.user.update({ where: { id }, data: { name: `User ${id} v2`, age: 20 + (id % 50) } });
        n++;
      }
      return n;
    });
  },

  // Posts per author: groups * 1e6 + the total of the counts.
  async g() {
    const groups = await db.post.groupBy({ by: ['authorId'], _count: { _all: true } });
    let total = 0;
    for (const g of groups) total += g._count._all;
    return groups.length * 1e6 + total;
  },

  async h() {
    return (await db.post.deleteMany({ where: { authorId: { lt: 500 } } })).count;
  },
};

// The script's own completion value (bench.c reads only the operations' results).
undefined;
