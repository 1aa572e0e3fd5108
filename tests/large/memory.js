// The JavaScript side of the large-data memory test (memory.c runs it, one mode per process):
//   redi-orm run --db URL --schema schema-<provider>.prisma memory.js baseline|stream|findMany ROWS
// prints "<rows read> <seconds>" as its last line. An empty database (sqlite://:memory:) is
// filled first, in batches, as memory.c fills it.
const [mode, rowsText] = process.argv.slice(2);
const rows = Number(rowsText);

if ((await db.largeRow.count()) === 0) {
  for (let start = 1; start <= rows; start += 10000) {
    const data = [];
    for (let i = start; i < start + 10000 && i <= rows; i++) {
      data.push({ id: i, title: ('row ' + i).padEnd(40, ' '), views: i % 1000, at: new Date(1700000000000 + i * 1000) });
    }
    await db.largeRow.createMany({ data });
  }
}

let expected = 0;
for (let i = 1; i <= rows; i++) expected += i % 1000;
let n = 0;
let sum = 0;
function check(r) {
  if (r.id !== ++n) throw new Error('row ' + n + ' has id ' + r.id);
  sum += r.views;
}
const t0 = Date.now();
if (mode === 'baseline') {
  n = await db.largeRow.count();
  sum = expected;
} else if (mode === 'stream') {
  for await (const r of db.largeRow.findMany({ orderBy: { id: 'asc' } }).stream()) check(r);
} else if (mode === 'findMany') {
  for (const r of await db.largeRow.findMany({ orderBy: { id: 'asc' } })) check(r);
} else {
  throw new Error('unknown mode ' + mode);
}
if (n !== rows || sum !== expected) throw new Error(mode + ': read ' + n + ' rows (checksum ' + sum + '), expected ' + rows);
console.log(n + ' ' + ((Date.now() - t0) / 1000).toFixed(3));
