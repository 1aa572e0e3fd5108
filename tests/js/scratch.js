// Make an empty scratch schema (PostgreSQL) or database (MySQL) for one test run:
//   redi-orm run --db ADMIN_URL scratch.js postgres|mysql NAME
const [kind, name] = process.argv.slice(2);
if (!/^[a-z0-9_]+$/.test(name)) throw new Error('bad scratch name ' + name);
if (kind === 'postgres') {
  await db.executeRaw(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  await db.executeRaw(`CREATE SCHEMA "${name}"`);
} else {
  await db.executeRaw('DROP DATABASE IF EXISTS `' + name + '`');
  await db.executeRaw('CREATE DATABASE `' + name + '` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
}
