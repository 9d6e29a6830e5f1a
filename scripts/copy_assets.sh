#!/usr/bin/env bash
# Copies the npm-installed front-end assets into static/vendor (served by Django; no CDN).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf static/vendor
mkdir -p static/vendor/utrecht static/vendor/htmx static/vendor/chartjs static/vendor/noto-sans/files
cp node_modules/@utrecht/design-tokens/dist/index.css static/vendor/utrecht/design-tokens.css
cp node_modules/@utrecht/component-library-css/dist/index.css static/vendor/utrecht/component-library.css
# The theme's icons (the select's arrow among them): a stylesheet that sets the icon tokens, and
# the SVG files it points to (next to it, as its url("./...") expects).
cp node_modules/@utrecht/design-tokens/dist/background-image-icon.css static/vendor/utrecht/icons.css
grep -o 'url("\./[a-z0-9-]*\.svg")' static/vendor/utrecht/icons.css | sed 's/url("\.\/\(.*\)")/\1/' | sort -u \
  | while read -r file; do cp "node_modules/@utrecht/design-tokens/src/$file" "static/vendor/utrecht/$file"; done
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js
# Chart.js for the municipality dashboard's charts (the UMD build: one file, no bundler).
cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chartjs/chart.umd.min.js
# The typeface the Utrecht theme names ("Noto Sans Variable"), self-hosted: its stylesheet and the
# font files that stylesheet refers to (upright, variable weight).
cp node_modules/@fontsource-variable/noto-sans/index.css static/vendor/noto-sans/noto-sans.css
grep -o 'files/[a-z0-9-]*\.woff2' static/vendor/noto-sans/noto-sans.css | sort -u \
  | while read -r file; do cp "node_modules/@fontsource-variable/noto-sans/$file" "static/vendor/noto-sans/$file"; done
