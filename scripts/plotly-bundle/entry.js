// opengrex's plotly.js bundle: the core and exactly the trace types opengrex's charts use (scatter is in the core).
// Built by scripts/build-plotly-bundle.sh; tests/web/test_static_assets.py checks every chart type in the code is here.
'use strict';
var Plotly = require('plotly.js/lib/core');
Plotly.register([
  require('plotly.js/lib/bar'),
  require('plotly.js/lib/histogram'),
  require('plotly.js/lib/waterfall'),
  require('plotly.js/lib/heatmap'),
  require('plotly.js/lib/sankey'),
]);
module.exports = Plotly;
