#!/usr/bin/env bash
# WeasyPrint (the municipality's monthly report as PDF) needs Pango from the system. Install it
# when missing and we are root; else say how.
set -euo pipefail
missing=()
for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing+=("$lib")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Pango is missing: installing ${packages[*]} for the PDF reports..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  exit 0
fi
echo "The PDF reports (WeasyPrint) need Pango: missing ${missing[*]}." >&2
echo "Install it with:  sudo apt-get install ${packages[*]}" >&2
exit 1
