#!/usr/bin/env redi-orm run
// The script runtime: console formatting (util.inspect/format), process.argv/env/exit,
// require() of relative .js/.json files with caching, timers, top-level await.
const { ok, eq, throws, done } = require('./lib');
const util = require('util');

// inspect prints like Node's.
eq(util.inspect('top'), 'top', 'a top-level string is printed raw');
eq(util.inspect({ s: 'x', n: 1, b: 2n, t: true, u: undefined, z: null }), "{ s: 'x', n: 1, b: 2n, t: true, u: undefined, z: null }", 'object with primitives');
eq(util.inspect([1, [2, [3, [4, [5]]]]]), '[ 1, [ 2, [ 3, [Array] ] ] ]', 'depth limit');
eq(util.inspect(new Date(0)), '1970-01-01T00:00:00.000Z', 'Date');
eq(util.inspect({ 'a-b': 1 }), "{ 'a-b': 1 }", 'quoted keys');
eq(util.inspect(new Uint8Array([1, 2])), 'Uint8Array(2) [ 1, 2 ]', 'Uint8Array');
eq(util.inspect([]), '[]', 'empty array');
eq(util.inspect({}), '{}', 'empty object');
eq(util.inspect(function named() {}), '[Function: named]', 'function');
eq(util.inspect(new Map([['k', 1]])), "Map(1) { 'k' => 1 }", 'Map');
eq(util.inspect(new Set([1])), 'Set(1) { 1 }', 'Set');
const circ = { a: 1 };
circ.self = circ;
eq(util.inspect(circ), '{ a: 1, self: [Circular] }', 'circular');
const long = util.inspect({ alpha: 'aaaaaaaaaaaaaaaa', beta: 'bbbbbbbbbbbbbbbbbb', gamma: 'cccccccccccccccccc', delta: 1 });
ok(long.indexOf('\n  alpha:') > 0, 'long objects break over lines: ' + long);
eq(util.format('%s is %d years, %j', 'Ann', 31, { a: 1 }), 'Ann is 31 years, {"a":1}', 'format');
eq(util.format('a', 1, 'b'), 'a 1 b', 'format without placeholders');
ok(/^Error: boom\n/.test(util.inspect(new Error('boom'))), 'Error with stack');
console.log('console.log works:', { nested: { deep: { deeper: { deepest: 1 } } }, when: new Date(0), big: 10n });
console.info('info'); console.warn('warn'); console.error('error'); console.debug('debug');

// process
ok(Array.isArray(process.argv) && process.argv[0] === 'redi-orm', 'process.argv[0]');
ok(process.argv[1].endsWith('runtime.test.js'), 'process.argv[1] is the script');
eq(typeof process.env.PATH, 'string', 'process.env');
eq(process.env.RORM_NO_SUCH_VARIABLE, undefined, 'missing env variable');
eq(typeof process.exit, 'function', 'process.exit');

// require
const h1 = require('./helper');
const h2 = require('./helper.js');
ok(h1 === h2, 'modules are cached');
eq(globalThis.helperLoads, 1, 'a module runs once');
eq(h1.double(21), 42, 'module exports');
ok(h1.file.endsWith('/tests/js/helper.js') && h1.dir.endsWith('/tests/js'), '__filename and __dirname');
eq(require('./data.json'), { name: 'fixture', list: [1, 2, 3], nested: { ok: true } }, 'require of JSON');
ok(require('./data') === require('./data.json'), 'JSON is cached too');
const sub = require('./sub');
eq(sub.name, 'sub', 'directory module (index.js)');
ok(sub.helper === h1, 'nested require shares the cache');
await throws(() => require('./missing'), 'MODULE_NOT_FOUND', /missing/, 'missing module');
await throws(() => require('left-pad'), 'MODULE_NOT_FOUND', /left-pad/, 'bare module names');
eq(typeof module, 'object', 'module');
eq(typeof exports, 'object', 'exports');
ok(require.main === module, 'require.main');

// timers: order by due time, then by creation; clearTimeout cancels; arguments pass through.
const order = [];
setTimeout(() => order.push('b'), 20);
setTimeout((x) => order.push(x), 5, 'a');
const cancelled = setTimeout(() => order.push('never'), 10);
clearTimeout(cancelled);
setTimeout(() => order.push('c'), 20);
let ticks = 0;
const ticked = new Promise(resolve => {
  const iv = setInterval(() => { if (++ticks === 3) { clearInterval(iv); resolve(); } }, 1);
});
await new Promise(resolve => setTimeout(resolve, 40));
await ticked;
await new Promise(resolve => setTimeout(resolve, 5));
eq(order, ['a', 'b', 'c'], 'timer order and clearTimeout');
eq(ticks, 3, 'setInterval and clearInterval');
const t0 = Date.now();
await new Promise(r => setTimeout(r, 30));
ok(Date.now() - t0 >= 25, 'setTimeout waits');
let micro = false;
queueMicrotask(() => { micro = true; });
await null;
ok(micro, 'queueMicrotask');

// top-level await of a thenable of the database
eq(await db.queryRaw('SELECT 3 AS n'), [{ n: 3 }], 'top-level await');

{
// Clocks: performance.now() and process.hrtime() are monotonic and fine-grained.
const h0 = process.hrtime();
const n0 = process.hrtime.bigint();
const t0 = performance.now();
let spin = 0;
while (performance.now() - t0 < 2) spin++;
const dt = performance.now() - t0;
ok(dt >= 2 && dt < 1000, 'performance.now() advances: ' + dt);
ok(!Number.isInteger(dt) || !Number.isInteger(performance.now()), 'performance.now() has fractions of a millisecond');
const [s1, ns1] = process.hrtime(h0);
ok(s1 * 1e9 + ns1 >= 2e6 && ns1 >= 0 && ns1 < 1e9, 'process.hrtime(prev) gives the difference');
const dn = process.hrtime.bigint() - n0;
ok(typeof dn === 'bigint' && dn >= 2000000n, 'process.hrtime.bigint() in nanoseconds');
eq(typeof performance.timeOrigin, 'number', 'performance.timeOrigin');
}

// A timer pending at the end still runs before the program exits.
setTimeout(() => done(), 5);
