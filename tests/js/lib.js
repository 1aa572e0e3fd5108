// A tiny assertion helper for the JavaScript tests: each test file requires it, calls the
// checks, and ends with done(), which prints a summary and exits non-zero on any failure.
let passed = 0;
let failed = 0;

function show(v) {
  try {
    return require('util').inspect(v);
  } catch (e) {
    return String(v);
  }
}

function ok(cond, what) {
  if (cond) {
    passed++;
  } else {
    failed++;
    console.error('FAIL: ' + what);
  }
}

function same(a, b) {
  if (a === b) return true;
  if (typeof a === 'bigint' || typeof b === 'bigint') return typeof a === typeof b && a === b;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
      return a.length === b.length && Array.prototype.every.call(a, (x, i) => x === b[i]);
    }
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every(k => same(a[k], b[k]));
  }
  return Number.isNaN(a) && Number.isNaN(b);
}

function eq(actual, expected, what) {
  const good = same(actual, expected);
  ok(good, what + ': expected ' + show(expected) + ', got ' + show(actual));
}

// Expect fn (sync, or async returning a promise) to throw an error matching `code` and a
// message matching the regular expression `re`.
async function throws(fn, code, re, what) {
  let error = null;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  if (error === null) {
    ok(false, what + ': expected an error ' + code + ', nothing was thrown');
    return null;
  }
  ok(error instanceof Error, what + ': expected an Error object, got ' + show(error));
  if (code) ok(error.code === code, what + ': expected code ' + code + ', got ' + error.code + ' (' + error.message + ')');
  if (re) ok(re.test(error.message), what + ': message ' + JSON.stringify(error.message) + ' does not match ' + re);
  return error;
}

// Raw SQL written once for every database: "Ident" quoting and ? placeholders, rewritten for
// the global db's dialect (`Ident` on MySQL, $1, $2 ... on PostgreSQL).
function sql(text) {
  if (db.type === 'mysql') return text.replace(/"/g, '`');
  if (db.type === 'postgresql') {
    let i = 0;
    return text.replace(/\?/g, () => '$' + ++i);
  }
  return text;
}

function done(name) {
  const label = name || (process.argv[1] || 'test').split('/').pop();
  console.log(label + ': ' + passed + ' passed, ' + failed + ' failed');
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

module.exports = { ok, eq, throws, done, same, sql };
