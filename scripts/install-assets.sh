#!/usr/bin/env bash
# Install the browser libraries of the web UI and copy them into the package.
#
#   node_modules/                       npm ci from package-lock.json (only when missing or stale)
#   src/autolend/web/static/vendor/     htmx.min.js and echarts.min.js (git-ignored)
#
# Idempotent: a second run with an unchanged package-lock.json does no network work and
# rewrites nothing. Needs npm (Debian: apt-get install npm) when node_modules is missing.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

vendor="src/autolend/web/static/vendor"
stamp="node_modules/.autolend-lock.sha256"
# source in node_modules -> name in the vendor folder
assets=(
    "node_modules/htmx.org/dist/htmx.min.js:htmx.min.js"
    "node_modules/echarts/dist/echarts.min.js:echarts.min.js"
    "node_modules/swagger-ui-dist/swagger-ui-bundle.js:swagger-ui-bundle.js"
    "node_modules/swagger-ui-dist/swagger-ui.css:swagger-ui.css"
)

lock_digest() {
    sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1
}

needs_install() {
    [[ ! -f "$stamp" ]] && return 0
    [[ "$(cat "$stamp")" != "$(lock_digest)" ]] && return 0
    for pair in "${assets[@]}"; do
        [[ -f "${pair%%:*}" ]] || return 0
    done
    return 1
}

if needs_install; then
    if ! command -v npm >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "install-assets: installing Debian's npm"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "install-assets: npm is not installed; it is needed to fetch htmx and echarts" >&2
        echo "  Debian/Ubuntu: sudo apt-get install -y npm   (or install Node.js >= 18)" >&2
        exit 1
    fi
    echo "install-assets: npm ci (package-lock.json changed or node_modules missing)"
    npm ci --no-audit --no-fund --ignore-scripts
    lock_digest >"$stamp"
fi

mkdir -p "$vendor"
for pair in "${assets[@]}"; do
    source="${pair%%:*}"
    target="$vendor/${pair##*:}"
    if [[ ! -f "$target" ]] || ! cmp -s "$source" "$target"; then
        cp "$source" "$target"
        echo "install-assets: copied $target"
    fi
done
echo "install-assets: vendor assets are up to date in $vendor"
