// The chainable API: add/get/set/remove and select().where().orderBy().limit().offset() ending
// in execute(), first() or count(), on the globals `models` and `db.models`.
const { ok, eq, throws, done } = require('./lib');

const User = models.User;
eq(typeof User, 'object', 'models.User exists');
ok(db.models.User === User, 'db.models.User is models.User');
ok(db.user === User, 'db.user is the client name of User');
ok(db.blogPost === models.BlogPost, 'db.blogPost is the client name of BlogPost');

const ann = User.add({ email: 'ann@example.com', name: 'Ann', age: 31 });
const bob = User.add({ email: 'bob@example.com', name: 'Bob', age: 25 });
const cy = User.add({ email: 'cy@example.com', name: 'Cy', age: null, role: 'ADMIN' });
eq([ann, bob, cy], [1, 2, 3], 'add returns the generated ids');

const a = User.get(ann);
eq(a.name, 'Ann', 'get: name');
eq(a.age, 31, 'get: age');
eq(a.role, 'USER', 'get: enum default');
ok(a.createdAt instanceof Date, 'get: DateTime is a Date');
eq(Object.keys(a), ['id', 'email', 'name', 'age', 'role', 'createdAt'], 'get: fields in schema order');
eq(User.get(999), null, 'get of a missing id is null');

eq(User.set(bob, { age: 26 }), true, 'set returns true');
eq(User.get(bob).age, 26, 'set changed the field');

const all = User.select().orderBy('name', 'DESC').execute();
eq(all.map(u => u.name), ['Cy', 'Bob', 'Ann'], 'orderBy DESC');
eq(User.select(['name']).orderBy('name', 'ASC').execute(), [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cy' }], 'select fields');
eq(User.select('name', 'age').where('age', '>', 25).orderBy('age').execute(), [{ name: 'Bob', age: 26 }, { name: 'Ann', age: 31 }], 'select as arguments, where >, default ASC');
eq(User.select().orderBy('id').limit(2).execute().length, 2, 'limit');
eq(User.select().orderBy('id').limit(2).offset(2).execute().map(u => u.id), [3], 'limit + offset');
eq(User.select().where('age', 'is null', null).execute().map(u => u.name), ['Cy'], 'is null');
eq(User.select().where('age', null).execute().map(u => u.name), ['Cy'], 'where(field, null)');
eq(User.select().where('age', 'is not null').count(), 2, 'is not null count');
eq(User.select().where('name', 'in', ['Ann', 'Cy']).count(), 2, 'in');
eq(User.select().where('name', 'not in', ['Ann', 'Cy']).count(), 1, 'not in');
eq(User.select().where('email', 'like', 'b%').first().name, 'Bob', 'like + first');
eq(User.select().where('name', '=', 'Nobody').first(), null, 'first with no row is null');
eq(User.select().where('name', '!=', 'Ann').where('age', '>=', 26).count(), 1, 'conditions are ANDed');
eq(User.select().where({ name: 'Ann', age: 31 }).count(), 1, 'where(object)');
eq(User.select().orWhere(q => q.where('name', 'Ann').where('name', 'Bob')).count(), 2, 'orWhere group');
eq(User.where('age', '<', 30).count(), 1, 'model.where shortcut');
eq(User.select().count(), 3, 'count all');
eq(User.select().where('role', '=', 'ADMIN').first().name, 'Cy', 'enum in where');

eq(User.remove(cy), true, 'remove returns true');
eq(User.get(cy), null, 'removed');
eq(User.select().count(), 2, 'count after remove');

await throws(() => User.select().where('emial', '=', 'x').execute(), 'P2009', /emial.*email/, 'unknown field suggests the nearest');
await throws(() => User.select().where('name', '~', 'x'), 'P2009', /unknown operator/, 'unknown operator');
await throws(() => User.select().orderBy('name', 'UP'), 'P2009', /ASC.*DESC/, 'bad direction');
await throws(() => User.select().limit(-1), 'P2009', /non-negative/, 'negative limit');
await throws(() => User.set(999, { name: 'x' }), 'P2025', /User/, 'set of a missing record');
await throws(() => User.remove(999), 'P2025', /User/, 'remove of a missing record');
await throws(() => User.add({ email: 'ann@example.com', name: 'Again' }), 'P2002', /email/, 'duplicate email');
await throws(() => User.add({ email: 'x@example.com', name: 'X', age: 'old' }), 'P2009', /Argument `age`: expected Int or Null, got String/, 'wrong type');
await throws(() => models.Nope.add({}), null, null, 'unknown model is undefined');

// include(): relations loaded by the Prisma Client engine's batched loader.
const Post = models.Post;
Post.add({ title: 'a1', authorId: ann, published: true });
Post.add({ title: 'a2', authorId: ann });
Post.add({ title: 'b1', authorId: bob });
const withPosts = User.select().orderBy('id').include('posts').execute();
eq(withPosts.map(u => [u.name, u.posts.map(p => p.title)]), [['Ann', ['a1', 'a2']], ['Bob', ['b1']]], 'include: each user with its posts');
ok(withPosts[0].createdAt instanceof Date, 'include: the rows keep their types');
eq(User.select(['name']).where('name', 'Bob').include('posts').execute(), [{ name: 'Bob', posts: [{ id: 3, title: 'b1', published: false, authorId: bob }] }], 'include with select: the key is read for the join and left out');
eq(Post.select(['title']).orderBy('id').include('author').execute().map(p => [p.title, p.author.name]), [['a1', 'Ann'], ['a2', 'Ann'], ['b1', 'Bob']], 'include of a to-one relation (the foreign key is read and left out)');
const annFirst = User.where('name', 'Ann').include('posts', '_count').first();
eq([annFirst.posts.length, annFirst._count], [2, { posts: 2 }], 'include on first(), several names, _count');
eq(User.select(['name']).orderBy('id').include({ posts: { where: { published: true }, select: { title: true } } }).execute(), [{ name: 'Ann', posts: [{ title: 'a1' }] }, { name: 'Bob', posts: [] }], 'include with a Prisma include object');
eq(User.include(['posts']).where('name', 'Nobody').first(), null, 'include: first with no row is null');
eq(User.select().where('name', 'Nobody').include('posts').execute(), [], 'include: no rows');
await throws(() => User.select().include('postz').execute(), 'P2009', /postz/, 'include of an unknown relation');
await throws(() => User.select().include(42), 'P2009', /include\(\)/, 'include of a number');
Post.select().delete();

// A transaction handle's models see its writes; the outer handle sees them after commit.
await db.transaction(async tx => {
  tx.models.User.add({ email: 'tx@example.com', name: 'Tx' });
  eq(tx.models.User.select().count(), 3, 'tx sees its own insert');
});
eq(User.select().count(), 3, 'committed');

done();
