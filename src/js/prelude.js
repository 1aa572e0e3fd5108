// The JavaScript runtime of librediorm-js, evaluated once per engine. It receives the native
// functions of src/js/native.c and the global object, installs console, process, require,
// timers and the globals `db`/`models`, and returns the hooks the C engine calls (runMain,
// track, runTimers, setMain, setArgv, schemasChanged). src/js/prelude.js.inc is generated from
// this file by src/js/gen-prelude.sh; tests/js checks the two agree.
(function (native, global) {
  'use strict';
  // The built-ins the runtime uses, as locals: a name looked up on the global object goes
  // through the engine's global class (a C callback) on every use.
  const { Object, Array, Promise, Error, TypeError, RangeError, Date, Map, Set, Symbol, String,
    Number, Boolean, BigInt, JSON, Math, RegExp, ArrayBuffer, Uint8Array, Float64Array } = global;

  const VERSION = '0.1.0'; // RediORM's version (process.versions.rediorm, errors' clientVersion)

  // ---- inspect: values printed the way Node's util.inspect prints them ---------------------
  const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

  function quote(s) {
    return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n') + "'";
  }

  function inspect(v, depth, seen, indent) {
    if (depth === undefined) depth = 0;
    if (seen === undefined) seen = [];
    if (indent === undefined) indent = '';
    switch (typeof v) {
      case 'string': return depth === 0 ? v : quote(v);
      case 'number': return Object.is(v, -0) ? '-0' : String(v);
      case 'bigint': return String(v) + 'n';
      case 'boolean': return String(v);
      case 'undefined': return 'undefined';
      case 'symbol': return v.toString();
      case 'function': return '[Function: ' + (v.name || '(anonymous)') + ']';
    }
    if (v === null) return 'null';
    if (v instanceof Date) return isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
    if (v instanceof Error) {
      let s = v.stack ? v.name + ': ' + v.message + '\n' + v.stack.split('\n').map(l => '    at ' + l).join('\n') : String(v);
      const extra = Object.keys(v).filter(k => k !== 'line' && k !== 'column' && k !== 'sourceURL' && k !== 'stack');
      if (extra.length) s += ' ' + inspectEntries(v, extra, depth, seen, indent, '{', '}');
      return s;
    }
    if (v instanceof RegExp) return String(v);
    if (seen.indexOf(v) >= 0) return '[Circular]';
    if (ArrayBuffer.isView(v)) {
      const name = v.constructor.name;
      const items = Array.prototype.slice.call(v, 0, 100).map(String);
      if (v.length > 100) items.push('... ' + (v.length - 100) + ' more items');
      return name + '(' + v.length + ') [' + (items.length ? ' ' + items.join(', ') + ' ' : '') + ']';
    }
    if (depth > 2) return Array.isArray(v) ? '[Array]' : '[Object]';
    seen.push(v);
    let out;
    if (Array.isArray(v)) {
      const parts = [];
      for (let i = 0; i < v.length && i < 100; i++) parts.push(inspect(v[i], depth + 1, seen, indent + '  '));
      if (v.length > 100) parts.push('... ' + (v.length - 100) + ' more items');
      out = wrap(parts, '[', ']', indent);
    } else if (v instanceof Map) {
      const parts = [];
      v.forEach((val, key) => parts.push(inspect(key, depth + 1, seen, indent + '  ') + ' => ' + inspect(val, depth + 1, seen, indent + '  ')));
      out = 'Map(' + v.size + ') ' + wrap(parts, '{', '}', indent);
    } else if (v instanceof Set) {
      const parts = [];
      v.forEach(val => parts.push(inspect(val, depth + 1, seen, indent + '  ')));
      out = 'Set(' + v.size + ') ' + wrap(parts, '{', '}', indent);
    } else if (typeof v.then === 'function' && v instanceof PrismaPromise) {
      out = 'PrismaPromise { <pending> }';
    } else if (v instanceof Promise) {
      out = 'Promise {}';
    } else {
      const proto = Object.getPrototypeOf(v);
      const name = proto && proto !== Object.prototype && proto.constructor && proto.constructor.name;
      out = (proto === null ? '[Object: null prototype] ' : name ? name + ' ' : '') +
        inspectEntries(v, Object.keys(v), depth, seen, indent, '{', '}');
    }
    seen.pop();
    return out;
  }

  function inspectEntries(v, keys, depth, seen, indent, open, close) {
    const parts = keys.map(k => (IDENT.test(k) ? k : quote(k)) + ': ' + inspect(v[k], depth + 1, seen, indent + '  '));
    return wrap(parts, open, close, indent);
  }

  function wrap(parts, open, close, indent) {
    if (parts.length === 0) return open + close;
    // Node's rule (breakLength 80): one line when the entries, their separators and the
    // indentation fit.
    const total = parts.reduce((n, p) => n + p.length, 0) + 2 * parts.length + indent.length + 11;
    if (total <= 80 && parts.every(p => p.indexOf('\n') < 0)) return open + ' ' + parts.join(', ') + ' ' + close;
    return open + '\n' + parts.map(p => indent + '  ' + p).join(',\n') + '\n' + indent + close;
  }

  function format(args) {
    let i = 0;
    let out = '';
    if (typeof args[0] === 'string' && args[0].indexOf('%') >= 0) {
      const fmt = args[0];
      i = 1;
      out = fmt.replace(/%([sdifjoOc%])/g, (m, c) => {
        if (c === '%') return '%';
        if (i >= args.length) return m;
        const a = args[i++];
        switch (c) {
          case 's': return typeof a === 'string' ? a : inspect(a, 1);
          case 'd': case 'i': return typeof a === 'bigint' ? a + 'n' : String(c === 'i' ? parseInt(a) : Number(a));
          case 'f': return String(parseFloat(a));
          case 'j': try { return JSON.stringify(a); } catch (e) { return '[Circular]'; }
          case 'c': return '';
          default: return typeof a === 'string' ? quote(a) : inspect(a, 1);
        }
      });
    } else if (args.length) {
      out = inspect(args[0]);
      i = 1;
    }
    for (; i < args.length; i++) out += ' ' + inspect(args[i]);
    return out;
  }

  const console = {
    log: (...a) => native.print(1, format(a)),
    info: (...a) => native.print(1, format(a)),
    debug: (...a) => native.print(1, format(a)),
    warn: (...a) => native.print(2, format(a)),
    error: (...a) => native.print(2, format(a)),
    dir: (v) => native.print(1, inspect(v, 1)),
    table: (v) => native.print(1, inspect(v)),
  };

  // ---- errors: RediORM codes to Prisma's ----------------------------------------------------
  function quoted(fields) {
    return '(' + fields.map(f => '`' + f + '`').join(', ') + ')';
  }

  function fieldsInMessage(meta, message) {
    if (!meta) return [];
    const found = [];
    for (const f of meta.fields) {
      if (f.kind === 'object') continue;
      const col = f.column || f.name;
      const re = new RegExp('(^|[^A-Za-z0-9_])[`"\']?(' + col.replace(/[$]/g, '\\$') + '|' + f.name + ')[`"\']?([^A-Za-z0-9_]|$)');
      const dotted = new RegExp('\\.[`"]?' + col + '[`"]?([^A-Za-z0-9_]|$)');
      if (dotted.test(message) || re.test(message.replace(/^.*?(failed|constraint)[^:]*:/i, ''))) found.push(f.name);
    }
    return found;
  }

  // Prisma's error classes, so that `e instanceof Prisma.PrismaClientKnownRequestError` ports.
  class PrismaClientKnownRequestError extends Error {}
  class PrismaClientValidationError extends Error {}
  class PrismaClientUnknownRequestError extends Error {}
  class PrismaClientInitializationError extends Error {}
  for (const C of [PrismaClientKnownRequestError, PrismaClientValidationError,
    PrismaClientUnknownRequestError, PrismaClientInitializationError]) {
    Object.defineProperty(C.prototype, 'name', { value: C.name, writable: true, configurable: true });
  }
  const errorClasses = {
    PrismaClientKnownRequestError, PrismaClientValidationError,
    PrismaClientUnknownRequestError, PrismaClientInitializationError,
  };
  // Give an error the class its name says (errors come from C as plain Error objects).
  function classed(e) {
    const C = e && typeof e === 'object' ? errorClasses[e.name] : undefined;
    if (C && !(e instanceof C)) {
      Object.setPrototypeOf(e, C.prototype);
      e.clientVersion = VERSION;
    }
    return e;
  }

  function prismaError(e, client, model, op) {
    return classed(prismaErrorNamed(e, client, model, op));
  }

  function prismaErrorNamed(e, client, model, op) {
    if (!e || typeof e !== 'object' || !e.rormCode) return e;
    const meta = client && model ? client._meta[model] : null;
    const native = e.message;
    if (!model) {
      // Raw SQL: Prisma reports every database error of a raw query as P2010.
      if (e.rormCode === 'RORM_EINVAL' || e.rormCode === 'RORM_ESTATE' || e.rormCode === 'RORM_ENOTFOUND' || e.rormCode === 'RORM_ESCHEMA') {
        e.code = e.rormCode;
        return e;
      }
      e.code = 'P2010';
      e.name = 'PrismaClientKnownRequestError';
      e.meta = { code: e.rormCode, constraint: e.constraint, message: native };
      e.message = 'Raw query failed: ' + native;
      return e;
    }
    e.meta = Object.assign({ modelName: model }, e.meta || {});
    switch (e.rormCode) {
      case 'RORM_ECONSTRAINT': {
        // The query engine already names the fields Prisma's way; the record API does not.
        const named = /^(?:Unique constraint failed|Null constraint violation|Foreign key constraint violated) on the fields: \(([^)]*)\)/.exec(native);
        let target = named ? named[1].split(',').map(f => f.replace(/`/g, '').trim()).filter(f => f) : [];
        if (!target.length) target = fieldsInMessage(meta, native);
        const say = (what) => named ? native : what + quoted(target) + ' on model `' + model + '` [' + native + ']';
        if (e.constraint === 'unique' || e.constraint === 'primary_key') {
          e.code = 'P2002';
          e.meta.target = target;
          e.message = say('Unique constraint failed on the fields: ');
        } else if (e.constraint === 'foreign_key') {
          e.code = 'P2003';
          if (!target.length && meta) {
            target = [].concat(...meta.fields.filter(f => f.relationFromFields && f.relationFromFields.length).map(f => f.relationFromFields));
          }
          e.meta.field_name = target.join(', ');
          e.message = say('Foreign key constraint violated on the fields: ');
        } else if (e.constraint === 'relation') {
          // relationMode = "prisma": an emulated Restrict / NoAction refused the change.
          e.code = 'P2014';
          const rel = /relation '([^']*)' between the `([^`]*)` and `([^`]*)` models/.exec(native);
          if (rel) Object.assign(e.meta, { relation_name: rel[1], model_a_name: rel[2], model_b_name: rel[3] });
        } else if (e.constraint === 'not_null') {
          e.code = 'P2011';
          e.meta.constraint = target;
          e.message = say('Null constraint violation on the fields: ');
        } else {
          e.code = 'P2004';
          e.message = 'A constraint failed on the database on model `' + model + '` [' + native + ']';
        }
        e.name = 'PrismaClientKnownRequestError';
        break;
      }
      case 'RORM_ENOTFOUND':
        e.code = 'P2025';
        e.name = 'PrismaClientKnownRequestError';
        e.meta.cause = native;
        e.message = 'No record was found for ' + (op || 'the operation') + ' on model `' + model + '`: ' + native;
        break;
      case 'RORM_EINVAL':
        e.code = 'P2009';
        e.name = 'PrismaClientValidationError';
        if (model && native.indexOf(model) < 0) e.message = 'Invalid `' + clientName(model) + '.' + (op || '') + '()` invocation on model `' + model + '`: ' + native;
        break;
      default:
        e.code = e.rormCode;
    }
    return e;
  }

  function validationError(message) {
    const e = new PrismaClientValidationError(message);
    e.code = 'P2009';
    e.rormCode = 'RORM_EINVAL';
    e.clientVersion = VERSION;
    return e;
  }

  // ---- argument checks (the JavaScript side of "expected Int, got String") ------------------
  function jsTypeName(v) {
    if (v === null) return 'Null';
    if (typeof v === 'string') return 'String';
    if (typeof v === 'number') return Number.isInteger(v) ? 'Int' : 'Float';
    if (typeof v === 'bigint') return 'BigInt';
    if (typeof v === 'boolean') return 'Boolean';
    if (v instanceof Date) return 'DateTime';
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return 'Bytes';
    if (Array.isArray(v)) return 'List';
    return 'Object';
  }

  function accepts(f, v) {
    const t = jsTypeName(v);
    if (t === 'Null') return !f.isRequired || f.hasDefault || f.isId;
    if (f.isList) return t === 'List' || t === 'Object';
    switch (f.kind === 'enum' ? 'Enum' : f.type) {
      case 'String': return t === 'String';
      case 'Int': return t === 'Int' || t === 'BigInt';
      case 'BigInt': return t === 'Int' || t === 'BigInt';
      case 'Float': return t === 'Int' || t === 'Float' || t === 'BigInt';
      case 'Decimal': return t === 'String' || t === 'Int' || t === 'Float' || t === 'BigInt' || (t === 'Object' && typeof v.toFixed === 'function');
      case 'Boolean': return t === 'Boolean';
      case 'DateTime': return t === 'DateTime' || t === 'String';
      case 'Json': return true;
      case 'Bytes': return t === 'Bytes';
      case 'Enum': return t === 'String';
      default: return true;
    }
  }

  // Check the scalar values of a data object; objects on scalar fields are Prisma's atomic
  // operations ({increment: 1}) or nested writes and are left to the query engine.
  function checkData(meta, data, what) {
    if (!meta || data === null || typeof data !== 'object' || Array.isArray(data)) return;
    for (const key of Object.keys(data)) {
      const v = data[key];
      if (v === undefined) continue;
      const f = meta.byName[key];
      if (!f || f.kind === 'object') continue;
      if (f.type !== 'Json' && !f.isList && jsTypeName(v) === 'Object' && !(f.type === 'Decimal' && typeof v.toFixed === 'function')) continue;
      if (!accepts(f, v)) {
        throw validationError('Argument `' + key + '`: expected ' + f.type + (f.isList ? '[]' : '') +
          (f.isRequired ? '' : ' or Null') + ', got ' + jsTypeName(v) + ' (' + (what || 'data') + ' of model `' + meta.name + '`)');
      }
    }
  }

  function normalizeData(meta, data) {
    // Decimal-like objects (decimal.js, Prisma.Decimal) go in as their exact text.
    if (!meta || data === null || typeof data !== 'object' || Array.isArray(data)) return data;
    let out = data;
    for (const key of Object.keys(data)) {
      const f = meta.byName[key];
      const v = data[key];
      if (f && f.type === 'Decimal' && v !== null && typeof v === 'object' && typeof v.toFixed === 'function' && !(v instanceof Date)) {
        if (out === data) out = Object.assign({}, data);
        out[key] = v.toString();
      }
    }
    return out;
  }

  // Where a query was made: an awaited query fails from a microtask, with none of the script's
  // frames on the stack, so its error gets the frames of the call that built it. A few frames
  // are enough (the script's is the third) and keep this cheap.
  function callSite() {
    return new Error();
  }

  function withSite(e, site) {
    if (site && e && typeof e === 'object' && typeof e.stack === 'string' && !/@(?!redi:)[^\n]*:\d+:\d+/.test(e.stack)) {
      const frames = String(site.stack).split('\n').filter(l => l.indexOf('@redi:') < 0 && l.indexOf('[native code]') < 0);
      if (frames.length) e.stack = (e.stack ? e.stack + '\n' : '') + frames.join('\n');
    }
    return e;
  }

  // ---- PrismaPromise: a thenable that runs its query when awaited ---------------------------
  class PrismaPromise {
    constructor(run) {
      this._run = run; // run(handle) -> result, synchronous; handle overrides the client's
      this._promise = null;
    }
    _exec() {
      if (this._promise === null) {
        try {
          this._promise = Promise.resolve(this._run(null));
        } catch (e) {
          this._promise = Promise.reject(e);
        }
      }
      return this._promise;
    }
    // findMany only: the records one at a time, `for await (const r of q.stream())`.
    stream() {
      if (!this._stream) throw validationError('stream() is available on findMany() only');
      return this._stream();
    }
    then(onFulfilled, onRejected) { return this._exec().then(onFulfilled, onRejected); }
    catch(onRejected) { return this._exec().catch(onRejected); }
    finally(onFinally) { return this._exec().finally(onFinally); }
    get [Symbol.toStringTag]() { return 'PrismaPromise'; }
  }

  // ---- streams: findMany(...).stream() -------------------------------------------------------
  // An async iterator over the records, read from the database in batches of STREAM_BATCH so
  // that memory stays bounded. The database is asked when iteration starts; the stream holds a
  // connection (or its transaction's) until the last record, an error, break or close().
  const STREAM_BATCH = 256;

  class RecordStream {
    constructor(client, model, args, site) {
      this._client = client;
      this._model = model;
      this._args = args;
      this._site = site;
      this._h = null;
      this._buf = [];
      this._i = 0;
      this._done = false;
    }
    _fail(e) {
      this._finish();
      return withSite(prismaError(e, this._client, this._model, 'findMany'), this._site);
    }
    _finish() {
      this._done = true;
      this._buf = [];
      this._i = 0;
      if (this._h !== null) {
        const h = this._h;
        this._h = null;
        native.streamClose(h);
      }
    }
    _step() {
      if (this._i < this._buf.length) {
        const value = this._buf[this._i];
        this._buf[this._i++] = undefined;
        return { value, done: false };
      }
      if (this._done) return { value: undefined, done: true };
      try {
        if (this._h === null) this._h = native.streamOpen(this._client._handle(), this._model, this._args);
        this._buf = native.streamNext(this._h, STREAM_BATCH);
      } catch (e) {
        throw this._fail(e);
      }
      this._i = 0;
      if (this._buf.length === 0) {
        this._finish();
        return { value: undefined, done: true };
      }
      return this._step();
    }
    next() { return settle(() => this._step()); }
    return(value) { this._finish(); return Promise.resolve({ value, done: true }); }
    close() { this._finish(); return Promise.resolve(); }
    [Symbol.asyncIterator]() { return this; }
    get [Symbol.toStringTag]() { return 'RecordStream'; }
  }

  // ---- the chainable query builder -----------------------------------------------------------
  const OPS = { '=': '=', '==': '=', '===': '=', eq: '=', '!=': '!=', '<>': '!=', ne: '!=', neq: '!=',
    '<': '<', lt: '<', '<=': '<=', lte: '<=', '>': '>', gt: '>', '>=': '>=', gte: '>=',
    like: 'like', 'not like': 'not like', in: 'in', 'not in': 'not in', notin: 'not in',
    'is null': 'is null', 'is not null': 'is not null' };

  class Query {
    constructor(model, fields) {
      this._model = model;
      this._spec = { select: null, where: [], order: [], limit: undefined, offset: undefined };
      if (fields !== undefined && fields !== null) this.select(fields);
    }
    select(fields) {
      if (fields === undefined || fields === null) return this;
      const list = Array.isArray(fields) ? fields : Array.prototype.slice.call(arguments);
      for (const f of list) {
        if (typeof f !== 'string') throw validationError('select(): field names must be strings, got ' + jsTypeName(f));
      }
      this._spec.select = list.join(', ');
      return this;
    }
    where(field, op, value) {
      if (field !== null && typeof field === 'object' && !Array.isArray(field)) {
        for (const k of Object.keys(field)) this.where(k, '=', field[k]);
        return this;
      }
      if (arguments.length === 2) {
        const nullOp = typeof op === 'string' && /^is (not )?null$/i.test(op.trim());
        if (!nullOp) { value = op; op = value === null ? 'is null' : '='; }
      }
      if (typeof op !== 'string') throw validationError('where(): the operator must be a string');
      let norm = OPS[op.toLowerCase().replace(/\s+/g, ' ').trim()];
      if (!norm) throw validationError('where(): unknown operator \'' + op + '\' (use =, !=, <, <=, >, >=, like, not like, in, not in, is null, is not null)');
      if (value === null && norm === '=') norm = 'is null';
      if (value === null && norm === '!=') norm = 'is not null';
      this._spec.where.push([field, norm, norm.indexOf('null') >= 0 ? null : value]);
      return this;
    }
    andWhere(field, op, value) { return this.where.apply(this, arguments); }
    whereIn(field, values) { return this.where(field, 'in', values); }
    orWhere(fn) {
      // orWhere(q => q.where(...).where(...)): conditions joined by OR, as one group.
      const sub = new Query(this._model);
      fn(sub);
      this._spec.where.push({ or: sub._spec.where });
      return this;
    }
    orderBy(field, dir) {
      const d = dir === undefined ? 'ASC' : String(dir).toUpperCase();
      if (d !== 'ASC' && d !== 'DESC') throw validationError('orderBy(): direction must be "ASC" or "DESC", got ' + quote(String(dir)));
      this._spec.order.push([field, d]);
      return this;
    }
    limit(n) { this._spec.limit = checkCount('limit', n); return this; }
    offset(n) { this._spec.offset = checkCount('offset', n); return this; }
    // include('posts'), include('posts', 'author'), include(['posts']), or a Prisma include
    // object ({posts: {where: ..., take: 3}, _count: true}): the relations are loaded by the
    // Prisma Client engine's batched loader, one statement per relation and level.
    include(...names) {
      const list = names.length === 1 && Array.isArray(names[0]) ? names[0] : names;
      const inc = this._include || {};
      for (const n of list) {
        if (typeof n === 'string') inc[n] = true;
        else if (n !== null && typeof n === 'object' && !Array.isArray(n)) Object.assign(inc, n);
        else throw validationError('include(): expected relation names or an include object, got ' + jsTypeName(n));
      }
      this._include = inc;
      return this;
    }
    // The fields the relations join on: the key, unique fields, and the foreign keys of
    // included relations this model holds.
    _joinFields() {
      const meta = this._model._meta;
      const names = meta.fields.filter(f => f.kind !== 'object' && (f.isId || f.isUnique)).map(f => f.name);
      for (const name of Object.keys(this._include)) {
        const f = meta.fields.find(x => x.name === name);
        if (f && f.relationFromFields) for (const k of f.relationFromFields) if (names.indexOf(k) < 0) names.push(k);
      }
      return names;
    }
    _run(how) {
      let spec = this._spec, extra = [];
      const join = this._include ? this._joinFields() : [];
      if (this._include && spec.select !== null) {
        const asked = spec.select.split(',').map(x => x.trim());
        extra = join.filter(n => asked.indexOf(n) < 0);
        if (extra.length) spec = Object.assign({}, spec, { select: asked.concat(extra).join(', ') });
      }
      const got = this._model._native('query', spec, how);
      if (!this._include || got === null || got === undefined) return got;
      const rows = how === 'first' ? [got] : got;
      if (rows.length) {
        const keys = rows.map(r => { const o = {}; for (const k of join) if (k in r) o[k] = r[k]; return o; });
        const loaded = this._model._native('include', keys, this._include);
        const names = Object.keys(this._include);
        for (let i = 0; i < rows.length; i++) {
          for (const k of names) if (k in loaded[i]) rows[i][k] = loaded[i][k];
          for (const k of extra) delete rows[i][k];
        }
      }
      return got;
    }
    execute() { return this._run('execute'); }
    all() { return this.execute(); }
    first() { return this._run('first'); }
    count() { return this._model._native('query', this._spec, 'count'); }
    delete() { return this._model._native('query', this._spec, 'delete'); }
  }

  function checkCount(what, n) {
    if (typeof n === 'bigint') n = Number(n);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw validationError(what + '(): expected a non-negative integer, got ' + inspect(n, 1));
    return n;
  }

  // ---- models ---------------------------------------------------------------------------------
  const PRISMA_OPS = ['create', 'createMany', 'createManyAndReturn', 'updateManyAndReturn', 'findUnique', 'findUniqueOrThrow',
    'findFirst', 'findFirstOrThrow', 'findMany', 'update', 'updateMany', 'upsert', 'delete',
    'deleteMany', 'count', 'aggregate', 'groupBy'];

  function clientName(model) {
    return model.charAt(0).toLowerCase() + model.slice(1);
  }

  class Model {
    constructor(client, meta) {
      this._client = client;
      this._meta = meta;
      this.name = meta.name;
    }
    get fields() { return this._meta.fields.map(f => f.name); }
    _native(fn, a, b, c) {
      const client = this._client;
      try {
        return native[fn](client._handle(), this.name, a, b, c);
      } catch (e) {
        throw prismaError(e, client, this.name, fn);
      }
    }
    // The chainable API: results come back directly.
    add(data) { checkData(this._meta, data); return this._native('insert', normalizeData(this._meta, data)); }
    get(id) { return this._native('find', id); }
    set(id, data) { checkData(this._meta, data); this._native('update', id, normalizeData(this._meta, data)); return true; }
    remove(id) { this._native('remove', id); return true; }
    select(fields) { return new Query(this, fields === undefined ? null : Array.isArray(fields) ? fields : Array.prototype.slice.call(arguments)); }
    where(field, op, value) { const q = new Query(this); return q.where.apply(q, arguments); }
    orderBy(field, dir) { return new Query(this).orderBy(field, dir); }
    limit(n) { return new Query(this).limit(n); }
    offset(n) { return new Query(this).offset(n); }
    include(...names) { const q = new Query(this); return q.include.apply(q, names); }
    all() { return new Query(this).execute(); }
    first() { return new Query(this).first(); }
  }

  // A result of native.call, packed by the C side (src/js/pack.c): the text of every string and
  // then of every key the result defines, alone when the tokens are in the result buffer and no
  // value needed a constructor, else [text, values made in C or null, the tokens' own
  // Float64Array or null]. The tokens: how many keys the result defines, whether to keep them,
  // each one's start and end in the text, then the tree: 0 null, 1 true, 2 false, 3 number
  // (value), 5 Date (ms), 6 the next of the values, 7 array (n, then n values), 8 object (n, then
  // key id and value of each member), 9 object of a known shape (its number, then the values of
  // its members), 10 object of a new shape (n, n key ids, then as 9), 11 string (its length; it
  // starts where the previous one ended). Keys are ids into resultKeys: the C side sends each
  // key's text once. The objects of an array and those nested in them come by shape; shape
  // numbers, like key ids, hold across calls (the first use of a key list defines it).
  const resultOps = native.resultBuffer();
  const resultKeys = [], resultShapes = [];
  // The key as the property-key string JavaScriptCore has interned, so objects take it as is.
  function interned(s) {
    const o = Object.create(null);
    o[s] = 0;
    return Object.keys(o)[0];
  }
  function unpack(packed) {
    let ops = resultOps, text = packed, vals = null;
    if (typeof packed !== 'string') {
      text = packed[0];
      vals = packed[1];
      if (packed[2] !== null) ops = packed[2];
    }
    const keys = resultKeys, base = keys.length, shapeBase = resultShapes.length, ndefs = ops[0];
    for (let i = 0; i < ndefs; i++) keys.push(interned(text.substring(ops[2 + 2 * i], ops[3 + 2 * i])));
    if (ops[1] !== 1) {
      try {
        return unpackTree(ops, text, vals, 2 + 2 * ndefs);
      } finally {
        keys.length = base;
        resultShapes.length = shapeBase;
      }
    }
    return unpackTree(ops, text, vals, 2 + 2 * ndefs);
  }
  function unpackTree(ops, text, vals, start) {
    const keys = resultKeys, shapes = resultShapes;
    let ip = start, vp = 0, tp = 0;
    function node() {
      switch (ops[ip++]) {
        case 0: return null;
        case 1: return true;
        case 2: return false;
        case 3: return ops[ip++];
        case 5: return new Date(ops[ip++]);
        case 6: return vals[vp++];
        case 7: {
          const n = ops[ip++];
          const arr = new Array(n);
          for (let i = 0; i < n; i++) arr[i] = node();
          return arr;
        }
        case 8: {
          const n = ops[ip++];
          const o = {};
          for (let i = 0; i < n; i++) {
            const k = keys[ops[ip++]];
            o[k] = node();
          }
          return o;
        }
        case 9: return shapes[ops[ip++]](node);
        case 10: {
          const names = new Array(ops[ip++]);
          for (let i = 0; i < names.length; i++) names[i] = keys[ops[ip++]];
          const make = shapeMaker(names);
          shapes.push(make);
          return make(node);
        }
        default: { const a = tp; tp += ops[ip++]; return text.substring(a, tp); } // 11
      }
    }
    return node();
  }

  // The maker of the objects of one shape (their keys in order), kept across calls: one object
  // literal, so that every object of the shape gets the same structure. It takes the function
  // that reads the next value.
  const shapeMakers = new Map();
  const makeFunction = global.Function;
  function shapeMaker(names) {
    const id = names.length + ':' + names.join('\0');
    let make = shapeMakers.get(id);
    if (make === undefined) {
      if (names.indexOf('__proto__') >= 0) {
        make = (node) => {
          const o = {};
          for (let i = 0; i < names.length; i++) o[names[i]] = node();
          return o;
        };
      } else {
        make = makeFunction('node', 'return {' + names.map((k) => JSON.stringify(k) + ': node()').join(', ') + '};');
      }
      if (shapeMakers.size >= 1024) shapeMakers.clear();
      shapeMakers.set(id, make);
    }
    return make;
  }

  // Arguments for native.call, packed for the C side (src/js/args.c): tokens and numbers in a
  // Float64Array, the UTF-16 code units of every string in a Uint16Array, and the values C
  // converts itself (dates, bigints, bytes, class instances, anything nested
  // deeper than its limit). The two typed arrays are over memory the C side handed out
  // (native.argBuffers), so a call passes only the values. Strings longer than SHORT_STRING go
  // instead in one joined string (JavaScriptCore joins faster than a loop copies), and so do
  // all strings of a call past the first SHORT_STRINGS (createMany's data). ops[0] is
  // where the tokens end, ops[1] how much of ops is used; the tokens start at ops[2]: 0 null or
  // undefined, 1 true, 2 false, 3 number, 4 string (start, end), 5 string in the joined text
  // (start, end), 6 value (depth), 7 array (n), 8 object (n, then the
  // key and the value of each member not undefined). A key is an id the C side knows, or -1
  // followed by its text (start, end). Keys are interned: the first call that meets one gives it
  // the next id and sends its text in the definitions after the tokens (count, then id, start,
  // end each), which the C side reads before anything else. The model and the operation lead,
  // as two keys.
  const KEY_LIMIT = 4096;   // ids given before the table starts again
  const SHORT_STRING = 32;  // longer strings go in the joined text
  const SHORT_STRINGS = 64; // and so do the strings of a call after this many
  const OPS_MIN = 512, TEXT_MIN = 4096, KEEP = 1 << 20;
  let keyIds = new Map();
  let keyGen = 0;
  function forgetKeys() {
    keyIds = new Map();
    keyGen++;
  }
  let argOps = null, argText = null, argBusy = false;
  function argBuffers(nops, ntext) {
    const b = native.argBuffers(nops, ntext);
    argOps = b[0];
    argText = b[1];
  }
  argBuffers(OPS_MIN, TEXT_MIN);
  // The packed arguments: st.own when in the engine's buffers, else typed arrays of their own
  // (a getter that runs a query while another call packs, or while C reads another's
  // arguments). The caller of one in the engine's buffers gives them back with argsDone().
  function packArgs(model, op, v) {
    const own = !argBusy;
    argBusy = true;
    try {
      for (;;) {
        if (keyIds.size >= KEY_LIMIT) forgetKeys();
        const gen = keyGen;
        const st = { own, ops: own ? argOps : new Float64Array(OPS_MIN), n: 2, text: own ? argText : new Uint16Array(TEXT_MIN), tn: 0, vals: null, defs: null, parts: null, jn: 0, joined: null, nshort: 0 };
        packKey(st, model);
        packKey(st, op);
        packNode(st, v, 0);
        if (gen !== keyGen) continue; // a nested call started the table again: repack
        const end = st.n, defs = st.defs;
        if (defs === null) {
          packPut(st, 0);
        } else {
          packPut(st, defs.length / 3);
          for (let i = 0; i < defs.length; i++) packPut(st, defs[i]);
        }
        st.ops[0] = end;
        st.ops[1] = st.n;
        if (st.parts !== null) st.joined = st.parts.join('');
        return st;
      }
    } catch (e) {
      if (own) argBusy = false;
      throw e;
    }
  }
  function argsDone(st) {
    if (st.own) {
      argBusy = false;
      trimArgBuffers();
    }
  }
  // After a call that grew the buffers past KEEP, smaller ones for the next.
  function trimArgBuffers() {
    if (argOps.length * 8 > KEEP || argText.length * 2 > KEEP) argBuffers(OPS_MIN, TEXT_MIN);
  }
  function grow(st, nops, ntext) {
    if (st.own) {
      argBuffers(nops, ntext);
      argOps.set(st.ops.subarray(0, st.n));
      argText.set(st.text.subarray(0, st.tn));
      st.ops = argOps;
      st.text = argText;
    } else {
      const o = new Float64Array(nops), t = new Uint16Array(ntext);
      o.set(st.ops.subarray(0, st.n));
      t.set(st.text.subarray(0, st.tn));
      st.ops = o;
      st.text = t;
    }
  }
  function packPut(st, x) {
    if (st.n === st.ops.length) grow(st, st.ops.length * 2, st.text.length);
    st.ops[st.n++] = x;
  }
  // The string's code units into the text; returns where they start.
  function packChars(st, s) {
    const len = s.length, at = st.tn;
    if (at + len > st.text.length) {
      let size = st.text.length * 2;
      while (size < at + len) size *= 2;
      grow(st, st.ops.length, size);
    }
    const t = st.text;
    for (let i = 0; i < len; i++) t[at + i] = s.charCodeAt(i);
    st.tn = at + len;
    return at;
  }
  function packText(st, s) {
    const at = packChars(st, s);
    packPut(st, at);
    packPut(st, at + s.length);
  }
  function packKey(st, k) {
    const id = keyIds.get(k);
    if (id !== undefined) {
      packPut(st, id);
    } else if (keyIds.size < KEY_LIMIT) {
      const fresh = keyIds.size;
      keyIds.set(k, fresh);
      packPut(st, fresh);
      const at = packChars(st, k);
      if (st.defs === null) st.defs = [];
      st.defs.push(fresh, at, at + k.length);
    } else {
      packPut(st, -1);
      packText(st, k);
    }
  }
  function packNode(st, v, depth) {
    switch (typeof v) {
      case 'undefined': packPut(st, 0); return;
      case 'boolean': packPut(st, v ? 1 : 2); return;
      case 'number': packPut(st, 3); packPut(st, v); return;
      case 'string':
        if (v.length > SHORT_STRING || ++st.nshort > SHORT_STRINGS) {
          if (st.parts === null) st.parts = [];
          st.parts.push(v);
          packPut(st, 5);
          packPut(st, st.jn);
          st.jn += v.length;
          packPut(st, st.jn);
          return;
        }
        packPut(st, 4);
        packText(st, v);
        return;
      case 'object':
        if (v === null) { packPut(st, 0); return; }
        if (depth >= 512) break;
        if (Array.isArray(v)) {
          const n = v.length;
          packPut(st, 7);
          packPut(st, n);
          for (let i = 0; i < n; i++) packNode(st, v[i], depth + 1);
          return;
        }
        if (Object.getPrototypeOf(v) === Object.prototype) {
          packPut(st, 8);
          const at = st.n;
          packPut(st, 0);
          let n = 0;
          for (const k in v) {
            const x = v[k];
            if (x === undefined) continue;
            packKey(st, k);
            packNode(st, x, depth + 1);
            n++;
          }
          st.ops[at] = n;
          return;
        }
        break;
    }
    packPut(st, 6);
    packPut(st, depth);
    if (st.vals === null) st.vals = [];
    st.vals.push(v);
  }

  function prismaMethod(op) {
    return function (args) {
      const model = this;
      const client = model._client;
      if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) {
        throw validationError('Invalid `' + clientName(model.name) + '.' + op + '()` invocation: the argument must be an object, got ' + jsTypeName(args));
      }
      // Validation is the query engine's (rorm_db_call), as for the C API.
      const prepared = args ? Object.assign({}, args) : {};
      // Only Decimal fields take a conversion (normalizeData); other models pass data as is.
      if (prepared.data !== undefined && model._meta.hasDecimal !== false) {
        prepared.data = Array.isArray(prepared.data) ? prepared.data.map(d => normalizeData(model._meta, d)) : normalizeData(model._meta, prepared.data);
      }
      const site = callSite();
      const p = new PrismaPromise(handle => {
        try {
          const a = packArgs(model.name, op, prepared);
          let r;
          try {
            const h = handle || client._handle();
            r = !a.own ? native.call(h, a.vals, a.joined, a.ops, a.text) :
              a.joined !== null ? native.call(h, a.vals, a.joined) : a.vals !== null ? native.call(h, a.vals) : native.call(h);
          } catch (e) {
            forgetKeys(); // the C side may not have read this call's key definitions
            throw e;
          } finally {
            argsDone(a);
          }
          return unpack(r);
        } catch (e) {
          throw withSite(prismaError(e, client, model.name, op), site);
        }
      });
      if (op === 'findMany') p._stream = () => new RecordStream(client, model.name, prepared, site);
      return p;
    };
  }
  for (const op of PRISMA_OPS) Model.prototype[op] = prismaMethod(op);

  // ---- the database object ------------------------------------------------------------------
  // Prisma.sql`...`, Prisma.join, Prisma.raw, Prisma.empty: SQL text with its values kept
  // apart; a fragment interpolated into another (or into $queryRaw) is spliced in, its values
  // still bound.
  class Sql {
    constructor(strings, values) {
      if (!Array.isArray(strings) || strings.length !== values.length + 1) {
        throw validationError('Prisma.sql: expected a template literal (strings and values)');
      }
      this.strings = [String(strings[0])];
      this.values = [];
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v instanceof Sql) {
          this.strings[this.strings.length - 1] += v.strings[0];
          for (let k = 0; k < v.values.length; k++) {
            this.values.push(v.values[k]);
            this.strings.push(v.strings[k + 1]);
          }
          this.strings[this.strings.length - 1] += String(strings[i + 1]);
        } else {
          this.values.push(v);
          this.strings.push(String(strings[i + 1]));
        }
      }
    }
    // The text with the dialect's placeholders: $1, $2 ... on PostgreSQL, ? elsewhere.
    text(pg) {
      let sql = this.strings[0];
      for (let i = 1; i < this.strings.length; i++) sql += (pg ? '$' + i : '?') + this.strings[i];
      return sql;
    }
    get sql() { return this.text(false); }
  }

  const Prisma = {
    sql(strings, ...values) { return new Sql(strings, values); },
    raw(text) { return new Sql([String(text)], []); },
    join(values, separator = ', ', prefix = '', suffix = '') {
      if (!Array.isArray(values) || values.length === 0) {
        throw validationError('Prisma.join: expected a non-empty array of values');
      }
      const strings = [prefix];
      for (let i = 1; i < values.length; i++) strings.push(separator);
      strings.push(suffix);
      return new Sql(strings, values);
    },
    empty: null,
    Sql,
    TransactionIsolationLevel: null,
    ...errorClasses,
  };
  Prisma.empty = new Sql([''], []);

  // Prisma.JsonNull (the JSON value null), Prisma.DbNull (database NULL), Prisma.AnyNull
  // (either, in filters): instances of Prisma.NullTypes.*, as in Prisma. They cross to C as
  // class instances; convert.c knows them by the hidden __rediormNullType property.
  class NullTypesEnumValue {
    constructor(name) {
      Object.defineProperty(this, '__rediormNullType', { value: name });
      Object.freeze(this);
    }
    _getNamespace() { return 'NullTypes'; }
    _getName() { return this.__rediormNullType; }
    toString() { return 'Prisma.' + this.__rediormNullType; }
  }
  class DbNull extends NullTypesEnumValue { constructor() { super('DbNull'); } }
  class JsonNull extends NullTypesEnumValue { constructor() { super('JsonNull'); } }
  class AnyNull extends NullTypesEnumValue { constructor() { super('AnyNull'); } }
  Prisma.NullTypes = Object.freeze({ DbNull, JsonNull, AnyNull });
  Prisma.DbNull = new DbNull();
  Prisma.JsonNull = new JsonNull();
  Prisma.AnyNull = new AnyNull();

  function makeTag(client, kind) {
    // db.$queryRaw`SELECT ... ${v}`: interpolations become bound parameters; so do the values
    // of Prisma.sql fragments, given alone (db.$queryRaw(Prisma.sql`...`)) or interpolated.
    return function (strings, ...values) {
      let sql;
      if (strings instanceof Sql && values.length === 0) {
        sql = strings;
      } else if (Array.isArray(strings) && Array.isArray(strings.raw)) {
        sql = new Sql(strings, values);
      } else {
        // A string here is SQL built by hand, values pasted in (as Prisma, refuse it).
        const name = '$' + kind;
        throw validationError(name + ' is a tagged template (db.' + name + '`... ${value}`, ' +
          'interpolations are bound) or takes a Prisma.sql fragment: for SQL text use ' + name +
          'Unsafe(sql, ...params)');
      }
      return client._raw(kind, sql.text(client.type === 'postgresql'), sql.values);
    };
  }

  class Database {
    constructor(handle, parent) {
      this._h = handle;
      this._parent = parent || null;
      this._meta = {};
      this.models = {};
      this._refresh();
      this.$queryRaw = makeTag(this, 'queryRaw');
      this.$executeRaw = makeTag(this, 'executeRaw');
    }
    _handle() { return this._h; }
    _refresh() {
      let metas = [];
      if (this._parent !== null) {
        // A transaction sees its database's models: reuse the metadata.
        metas = Object.keys(this._parent._meta).map(k => this._parent._meta[k]);
      } else {
        try { metas = native.models(this._h); } catch (e) { metas = []; }
      }
      for (const m of metas) {
        if (!m.byName) {
          m.byName = {};
          for (const f of m.fields) m.byName[f.name] = f;
          m.hasDecimal = m.fields.some(f => f.type === 'Decimal');
        }
        this._meta[m.name] = m;
        if (!this.models[m.name]) {
          const model = new Model(this, m);
          this.models[m.name] = model;
          const cn = clientName(m.name);
          if (!(cn in this)) Object.defineProperty(this, cn, { value: model, enumerable: false, configurable: true });
        } else {
          this.models[m.name]._meta = m;
        }
      }
    }
    _raw(kind, sql, params) {
      const self = this;
      if (typeof sql !== 'string') throw validationError(kind + '(): the SQL must be a string');
      const site = callSite();
      return new PrismaPromise(handle => {
        try {
          return native[kind](handle || self._h, sql, params);
        } catch (e) {
          throw withSite(prismaError(e, self, null, kind), site);
        }
      });
    }
    // The redi/orm API.
    connect() { return settle(() => { native.connect(this._h); }); }
    loadSchema(text) { return settle(() => { native.loadSchema(this._h, text, false); this._refresh(); }); }
    loadSchemaFrom(path) { return settle(() => { native.loadSchema(this._h, resolvePath(path), true); this._refresh(); }); }
    syncSchemas() { return settle(() => { native.sync(this._h); }); }
    getModels() { return Object.keys(this.models); }
    queryRaw(sql, ...params) { return this._raw('queryRaw', sql, flatParams(params)); }
    executeRaw(sql, ...params) { return this._raw('executeRaw', sql, flatParams(params)); }
    $queryRawUnsafe(sql, ...params) { return this._raw('queryRaw', sql, params); }
    $executeRawUnsafe(sql, ...params) { return this._raw('executeRaw', sql, params); }
    get type() { return native.dbType(this._h); }
    close() { return settle(() => { native.close(this._h); }); }
    $connect() { return this.connect(); }
    $disconnect() { return this.close(); }
    _begin(level) {
      try {
        return native.begin(this._h, level);
      } catch (e) {
        if (e && e.rormCode === 'RORM_EUNSUPPORTED') throw validationError('$transaction(): ' + e.message);
        throw prismaError(e, this, null, '$transaction');
      }
    }
    transaction(fn, options) { return this.$transaction(fn, options); }
    $transaction(arg, options) {
      let level, timeout;
      try {
        ({ level, timeout } = txOptions(options));
      } catch (e) {
        return Promise.reject(e);
      }
      if (Array.isArray(arg)) {
        // A batch: every query runs on one transaction; all succeed or none.
        return settle(() => {
          for (const p of arg) {
            if (!(p instanceof PrismaPromise)) throw validationError('$transaction([...]): every element must be a query of this client (a PrismaPromise), got ' + jsTypeName(p));
          }
          const tx = this._begin(level);
          const results = [];
          try {
            for (const p of arg) results.push(p._run(tx));
          } catch (e) {
            native.rollback(tx);
            throw e;
          }
          native.commit(tx);
          return results;
        });
      }
      if (typeof arg !== 'function') return Promise.reject(validationError('$transaction() expects an array of queries or an async function'));
      let tx;
      try {
        tx = this._begin(level);
      } catch (e) {
        return Promise.reject(e);
      }
      const txdb = new Database(tx, this);
      const started = Date.now();
      let result;
      try {
        result = Promise.resolve(arg(txdb));
      } catch (e) {
        result = Promise.reject(e);
      }
      return result.then(value => {
        const spent = Date.now() - started;
        if (timeout !== undefined && spent > timeout) {
          // As Prisma: work that outlived the transaction's timeout is not committed.
          native.rollback(tx);
          const e = new PrismaClientKnownRequestError('Transaction API error: Transaction already closed: ' +
            'A commit cannot be executed on an expired transaction. The timeout for this transaction was ' +
            timeout + ' ms, however ' + spent + ' ms passed since the start of the transaction. ' +
            'Consider increasing the interactive transaction timeout or doing less work in the transaction.');
          e.code = 'P2028';
          e.clientVersion = VERSION;
          e.meta = { error: 'Transaction already closed' };
          throw e;
        }
        native.commit(tx);
        return value;
      }, error => { try { native.rollback(tx); } catch (e2) { /* keep the first error */ } throw error; });
    }
  }

  // $transaction's options: isolationLevel (Prisma.TransactionIsolationLevel), timeout (ms,
  // interactive transactions: not committed when the callback took longer), maxWait (accepted:
  // the pool's own wait applies).
  const TransactionIsolationLevel = Object.freeze({
    ReadUncommitted: 'ReadUncommitted', ReadCommitted: 'ReadCommitted',
    RepeatableRead: 'RepeatableRead', Serializable: 'Serializable',
  });
  const LEVELS = { ReadUncommitted: 1, ReadCommitted: 2, RepeatableRead: 3, Serializable: 4 };
  Prisma.TransactionIsolationLevel = TransactionIsolationLevel;
  function txOptions(options) {
    if (options === undefined || options === null) return {};
    if (typeof options !== 'object') throw validationError('$transaction(): the options must be an object, got ' + jsTypeName(options));
    const out = {};
    for (const key of Object.keys(options)) {
      const v = options[key];
      if (v === undefined) continue;
      if (key === 'isolationLevel') {
        if (!(v in LEVELS)) throw validationError('$transaction(): isolationLevel must be one of ' + Object.keys(LEVELS).join(', ') + ', got ' + inspect(v, 1));
        out.level = LEVELS[v];
      } else if (key === 'timeout' || key === 'maxWait') {
        if (typeof v !== 'number' || !(v >= 0)) throw validationError('$transaction(): ' + key + ' must be a number of milliseconds, got ' + inspect(v, 1));
        if (key === 'timeout') out.timeout = v;
      } else {
        throw validationError('$transaction(): unknown option `' + key + '` (isolationLevel, timeout, maxWait)');
      }
    }
    return out;
  }

  function flatParams(params) {
    return params.length === 1 && Array.isArray(params[0]) ? params[0] : params;
  }

  function settle(fn) {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  // ---- require('redi/orm') ------------------------------------------------------------------
  const orm = {
    fromUri(uri) {
      if (typeof uri !== 'string' || uri.indexOf('://') < 0) throw validationError('fromUri(): expected a database URI like sqlite://./app.db, got ' + inspect(uri, 1));
      return new Database(native.open(uri));
    },
    PrismaPromise,
    Database,
    inspect,
  };
  orm.createClient = orm.fromUri;
  orm.Prisma = Prisma;

  // require('@prisma/client'): Prisma Client code ports unchanged. `new PrismaClient()` is the
  // database the script was started on (`db`), else $DATABASE_URL's.
  class PrismaClient {
    constructor(options) {
      const url = options && options.datasourceUrl;
      if (url) return orm.fromUri(url);
      if (mainDb !== null && mainDb !== undefined) return mainDb;
      const env = process.env.DATABASE_URL;
      if (!env) throw new PrismaClientInitializationError('new PrismaClient(): no database: run the script with --schema or --db, or set DATABASE_URL');
      return orm.fromUri(env);
    }
  }
  const prismaClientModule = { PrismaClient, Prisma };

  // ---- modules --------------------------------------------------------------------------------
  const cache = Object.create(null);
  let mainDir = native.cwd();

  function dirname(p) {
    const i = p.lastIndexOf('/');
    return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
  }

  function joinPath(dir, rel) {
    const parts = (rel.charAt(0) === '/' ? rel : dir + '/' + rel).split('/');
    const out = [];
    for (const part of parts) {
      if (part === '' || part === '.') continue;
      if (part === '..') out.pop(); else out.push(part);
    }
    return '/' + out.join('/');
  }

  function resolvePath(p) {
    return joinPath(mainDir, String(p));
  }

  function loadModule(source, filename, isMain) {
    const module = { exports: {}, filename, id: filename, loaded: false, children: [] };
    if (!isMain) cache[filename] = module;
    const dir = dirname(filename);
    const req = makeRequire(dir);
    req.main = isMain ? module : undefined;
    // The wrapper starts on line 1 so line numbers in stacks are the file's own; the main
    // module runs in an async function for top-level await.
    let text = source;
    if (text.charAt(0) === '#' && text.charAt(1) === '!') text = '//' + text;
    const head = isMain ? '(async function (exports, require, module, __filename, __dirname) {' :
      '(function (exports, require, module, __filename, __dirname) {';
    const fn = native.evalScript(head + text + '\n})', filename);
    const result = fn.call(module.exports, module.exports, req, module, filename, dir);
    module.loaded = true;
    return isMain ? result : module.exports;
  }

  function makeRequire(dir) {
    function require(name) {
      if (typeof name !== 'string') throw new TypeError('require(): the module name must be a string');
      if (name === 'redi/orm' || name === 'rediorm' || name === '@redi/orm') return orm;
      if (name === '@prisma/client') return prismaClientModule;
      if (name === 'util' || name === 'node:util') return { inspect, format: (...a) => format(a) };
      if (!(name.startsWith('./') || name.startsWith('../') || name.startsWith('/'))) {
        const e = new Error("Cannot find module '" + name + "' (only 'redi/orm' and relative paths can be required)");
        e.code = 'MODULE_NOT_FOUND';
        throw e;
      }
      const base = joinPath(dir, name);
      for (const candidate of [base, base + '.js', base + '.json', base + '/index.js']) {
        const real = native.realpath(candidate);
        if (real === null) continue;
        if (cache[real]) return cache[real].exports;
        const source = native.readFile(real);
        if (source === null) continue;
        if (real.endsWith('.json')) {
          try {
            const value = JSON.parse(source);
            cache[real] = { exports: value, loaded: true };
            return value;
          } catch (e) {
            throw new SyntaxError(real + ': ' + e.message);
          }
        }
        try {
          return loadModule(source, real, false);
        } catch (e) {
          delete cache[real];
          throw e;
        }
      }
      const e = new Error("Cannot find module '" + name + "' from '" + dir + "'");
      e.code = 'MODULE_NOT_FOUND';
      throw e;
    }
    require.cache = cache;
    require.resolve = name => native.realpath(joinPath(dir, name));
    return require;
  }

  // ---- timers ---------------------------------------------------------------------------------
  let timerSeq = 0;
  let timers = [];

  function addTimer(fn, ms, args, repeat) {
    if (typeof fn !== 'function') throw new TypeError('setTimeout(): the callback must be a function');
    const delay = Math.max(0, Number(ms) || 0);
    const t = { id: ++timerSeq, fn, args, delay, due: Date.now() + delay, repeat, seq: timerSeq };
    timers.push(t);
    return t.id;
  }

  function clearTimer(id) {
    if (id && typeof id === 'object') id = id.id;
    timers = timers.filter(t => t.id !== id);
  }

  // Run the earliest due timer; return the milliseconds until the next one, or -1 for none.
  let unhandled = null;

  function runTimers() {
    if (native.exited()) return -1;
    if (unhandled !== null) {
      // A promise rejected with no handler ends the program, as in Node.
      const reason = unhandled.reason;
      unhandled = null;
      throw reason;
    }
    if (timers.length === 0) return -1;
    let next = timers[0];
    for (const t of timers) if (t.due < next.due || (t.due === next.due && t.seq < next.seq)) next = t;
    const wait = next.due - Date.now();
    if (wait > 0) return wait;
    if (next.repeat) {
      next.due = Date.now() + Math.max(1, next.delay);
      next.seq = ++timerSeq;
    } else {
      timers = timers.filter(t => t !== next);
    }
    next.fn.apply(undefined, next.args);
    // Microtasks the callback queued run when this call returns and may add timers: ask again.
    return 0;
  }

  // ---- process --------------------------------------------------------------------------------
  let env = null;
  const exitSignal = { toString: () => 'process.exit()' };
  const process = {
    argv: ['redi-orm'],
    get env() { if (env === null) env = native.env(); return env; },
    exit(code) {
      native.exit(code === undefined ? (process.exitCode || 0) : Number(code) | 0);
      throw exitSignal;
    },
    exitCode: undefined,
    cwd: () => native.cwd(),
    platform: 'linux',
    version: 'v0.0.0-rediorm',
    versions: { rediorm: VERSION },
    nextTick: (fn, ...args) => { Promise.resolve().then(() => fn(...args)); },
    hrtime: Object.assign((prev) => {
      const ns = BigInt(Math.round(native.now() * 1e6));
      const s = Number(ns / 1000000000n), n = Number(ns % 1000000000n);
      if (!Array.isArray(prev)) return [s, n];
      let ds = s - prev[0], dn = n - prev[1];
      if (dn < 0) { ds--; dn += 1e9; }
      return [ds, dn];
    }, { bigint: () => BigInt(Math.round(native.now() * 1e6)) }),
    memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0 }),
    stdout: { write: s => { native.print(1, String(s), true); return true; } },
    stderr: { write: s => { native.print(2, String(s), true); return true; } },
  };

  // ---- globals --------------------------------------------------------------------------------
  Object.defineProperty(global, 'global', { value: global, writable: true, configurable: true });
  global.console = console;
  global.process = process;
  global.setTimeout = (fn, ms, ...args) => addTimer(fn, ms, args, false);
  global.setInterval = (fn, ms, ...args) => addTimer(fn, ms, args, true);
  global.setImmediate = (fn, ...args) => addTimer(fn, 0, args, false);
  global.clearTimeout = clearTimer;
  global.clearInterval = clearTimer;
  global.clearImmediate = clearTimer;
  const timeOrigin = native.now();
  global.performance = { now: () => native.now() - timeOrigin, timeOrigin: Date.now() - (native.now() - timeOrigin) };
  global.queueMicrotask = fn => { Promise.resolve().then(fn); };
  global.require = makeRequire(mainDir);
  global.Prisma = Prisma;

  let mainDb = null;

  return {
    setMain(handle) {
      mainDb = new Database(handle);
      global.db = mainDb;
      global.models = mainDb.models;
      global.prisma = mainDb;
    },
    schemasChanged() {
      if (mainDb) mainDb._refresh();
    },
    setArgv(argv) { process.argv = argv; },
    runMain(source, filename) {
      const real = native.realpath(filename) || filename;
      // As Node: process.argv[1] is the script's absolute path.
      if (process.argv[1] === filename) process.argv[1] = real;
      mainDir = dirname(real);
      global.require = makeRequire(mainDir);
      return loadModule(source, real, true);
    },
    runTimers,
    exitCode() {
      const code = Number(process.exitCode);
      return Number.isInteger(code) ? code : 0;
    },
    onUnhandledRejection(promise, reason) {
      if (reason !== exitSignal && unhandled === null) unhandled = { promise, reason };
    },
    // A record the engine polls: state 0 pending, 1 fulfilled, 2 rejected.
    track(value) {
      const rec = { state: 0, value: undefined };
      if (value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function') {
        Promise.resolve(value).then(v => { rec.state = 1; rec.value = v; },
          e => {
            if (e === exitSignal) { rec.state = 1; return; }
            rec.state = 2; rec.value = e;
          });
      } else {
        rec.state = 1;
        rec.value = value;
      }
      return rec;
    },
  };
})
