#!/usr/bin/env bash
# Rebuilds src/opengrex/web/static/vendor/plotly.min.js: plotly.js from npm, only the trace types opengrex uses
# (scripts/plotly-bundle/entry.js: scatter, bar, histogram, waterfall, heatmap, sankey), minified with esbuild.
# Not part of `make`: the bundle is committed. Run it when plotly.js is upgraded or a page needs another trace type
# (add it to entry.js and to TRACE_TYPES in tests/web/test_static_assets.py).
set -euo pipefail
PLOTLY_VERSION="${PLOTLY_VERSION:-4.1.1}"
ESBUILD_VERSION="${ESBUILD_VERSION:-0.28.2}"
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../src/opengrex/web/static/vendor/plotly.min.js"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/plotly-bundle/entry.js" "$work/"
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts "plotly.js@$PLOTLY_VERSION" "esbuild@$ESBUILD_VERSION" >/dev/null
banner="/*! plotly.js v$PLOTLY_VERSION (opengrex partial bundle: scatter, bar, histogram, waterfall, heatmap, sankey) | Copyright 2012-2026, Plotly, Inc. | MIT license (plotly.LICENSE) */"
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --define:global=window --define:define.amd=false \
    --target=es2016 --loader:.css=empty --legal-comments=none "--banner:js=$banner" --outfile="$out"
ls -l "$out"
