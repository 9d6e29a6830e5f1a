#!/usr/bin/env bash
# Copies the npm-installed front-end assets into static/vendor (served by Django; no CDN).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf static/vendor
mkdir -p static/vendor/utrecht static/vendor/htmx
cp node_modules/@utrecht/design-tokens/dist/index.css static/vendor/utrecht/design-tokens.css
cp node_modules/@utrecht/component-library-css/dist/index.css static/vendor/utrecht/component-library.css
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js
