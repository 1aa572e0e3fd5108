// A module for runtime.test.js: required twice to check module caching.
exports.loads = (exports.loads || 0) + 1;
globalThis.helperLoads = (globalThis.helperLoads || 0) + 1;
exports.dir = __dirname;
exports.file = __filename;
exports.double = x => x * 2;
