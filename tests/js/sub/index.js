// A directory module: require('./sub') finds this file; it requires back up the tree.
module.exports = { name: 'sub', helper: require('../helper') };
