#!/usr/bin/env bash
# Make sure the Debian packages the test suite needs are installed.
#
#   postgresql      - initdb/pg_ctl for the throw-away test cluster (tests/support/postgres.py)
#   chromium        - headless browser for e2e tests and screenshots
#   fonts-noto-cjk  - Chinese text in screenshots, and the font of contract PDFs (a runtime need:
#                     AUTOLEND_CONTRACT_FONT defaults to its NotoSansCJK-Regular.ttc)
#   default-jre-headless - a Java runtime for Spark (the end-of-day Spark runner and its test)
#
# Usage: scripts/ensure-system-packages.sh [--postgres-only | --chromium-only | --font-only]
#
# --font-only (what `make run` asks): only the contract PDFs' font, the file
# AUTOLEND_CONTRACT_FONT names (default fonts-noto-cjk's NotoSansCJK-Regular.ttc).
#
# As root, missing packages are installed with apt-get (one `apt-get update`, only when
# something is missing). As any other user, missing packages are reported and the script
# exits 0: the test run itself decides whether a missing dependency is fatal.
set -euo pipefail

want_postgres=1
want_chromium=1
want_java=1
want_font=0  # on its own; the chromium check covers the font otherwise
contract_font=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

usage() {
    sed -n '2,17s/^# \{0,1\}//p' "$0"
}

for arg in "$@"; do
    case "$arg" in
        --postgres-only) want_chromium=0; want_java=0 ;;
        --chromium-only) want_postgres=0; want_java=0 ;;
        --font-only) want_postgres=0; want_chromium=0; want_java=0; want_font=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown option: $arg" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ $# -gt 1 ]]; then
    echo "--postgres-only, --chromium-only and --font-only exclude each other" >&2
    exit 2
fi

missing=()

have_postgres() {
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

have_cjk_font() {
    [[ -n "$(fc-list :lang=zh 2>/dev/null || true)" ]]
}

check_postgres() {
    if have_postgres; then
        echo "postgresql: present"
    else
        echo "postgresql: missing (no initdb under /usr/lib/postgresql/*/bin)"
        missing+=(postgresql)
    fi
}

check_chromium() {
    if [[ -x /usr/bin/chromium ]]; then
        echo "chromium: present"
    else
        echo "chromium: missing (/usr/bin/chromium not found)"
        missing+=(chromium)
    fi
    if ! command -v fc-list >/dev/null 2>&1; then
        echo "fontconfig: missing (no fc-list)"
        echo "fonts-noto-cjk: missing (cannot check without fc-list)"
        missing+=(fontconfig fonts-noto-cjk)
    elif have_cjk_font; then
        echo "fontconfig: present"
        echo "fonts-noto-cjk: present (fc-list :lang=zh finds a font)"
    else
        echo "fontconfig: present"
        echo "fonts-noto-cjk: missing (fc-list :lang=zh finds no font)"
        missing+=(fonts-noto-cjk)
    fi
    if [[ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]] \
        && [[ " ${missing[*]} " != *" fonts-noto-cjk "* ]]; then
        echo "fonts-noto-cjk: missing (the contract PDF font NotoSansCJK-Regular.ttc)"
        missing+=(fonts-noto-cjk)
    fi
}

# The contract PDFs' font: the file AUTOLEND_CONTRACT_FONT names, else fonts-noto-cjk's.
# A file of one's own that is missing is reported, not installed (no package has it).
check_font() {
    local font="${AUTOLEND_CONTRACT_FONT:-$contract_font}"
    if [[ -f "$font" ]]; then
        echo "contract font: present ($font)"
    elif [[ "$font" != "$contract_font" ]]; then
        echo "contract font: missing: AUTOLEND_CONTRACT_FONT=$font is not a file;" \
            "signing a contract answers 503 until it is (unset it to use fonts-noto-cjk)" >&2
    else
        echo "fonts-noto-cjk: missing (the contract PDF font $contract_font)"
        missing+=(fonts-noto-cjk)
    fi
}

check_java() {
    if command -v java >/dev/null 2>&1; then
        echo "java: present"
    else
        echo "java: missing (no java on the PATH; Spark needs it)"
        missing+=(default-jre-headless)
    fi
}

install_missing() {
    export DEBIAN_FRONTEND=noninteractive
    echo "apt-get update ..."
    apt-get update -qq
    for pkg in "${missing[@]}"; do
        echo "$pkg: installing ..."
    done
    apt-get install -y --no-install-recommends "${missing[@]}"
}

verify() {
    local failed=0
    if [[ $want_postgres -eq 1 ]] && ! have_postgres; then
        echo "postgresql: still missing after install" >&2
        failed=1
    fi
    if [[ $want_chromium -eq 1 ]]; then
        [[ -x /usr/bin/chromium ]] || { echo "chromium: still missing after install" >&2; failed=1; }
        if ! have_cjk_font; then
            echo "fonts-noto-cjk: fc-list :lang=zh still finds no font" >&2
            failed=1
        fi
    fi
    if [[ $want_java -eq 1 ]] && ! command -v java >/dev/null 2>&1; then
        echo "java: still missing after install" >&2
        failed=1
    fi
    if [[ $want_font -eq 1 && ! -f "$contract_font" ]]; then
        echo "fonts-noto-cjk: $contract_font still missing after install" >&2
        failed=1
    fi
    return "$failed"
}

[[ $want_postgres -eq 1 ]] && check_postgres
[[ $want_chromium -eq 1 ]] && check_chromium
[[ $want_java -eq 1 ]] && check_java
[[ $want_font -eq 1 ]] && check_font

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "all required system packages are present"
    exit 0
fi

font_hint() {
    if [[ $want_font -eq 1 ]]; then
        echo "  until then the server runs, but signing a contract answers 503 (its PDF needs" \
            "the font); or set AUTOLEND_CONTRACT_FONT to another CJK font file" >&2
    fi
}

if [[ $(id -u) -ne 0 ]]; then
    echo "not root: cannot install. As root run:" >&2
    echo "  apt-get update && DEBIAN_FRONTEND=noninteractive" \
        "apt-get install -y --no-install-recommends ${missing[*]}" >&2
    font_hint
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "apt-get not found: install these packages by hand: ${missing[*]}" >&2
    font_hint
    exit 0
fi

install_missing
if command -v fc-cache >/dev/null 2>&1; then
    fc-cache -f >/dev/null 2>&1 || true
fi
verify
for pkg in "${missing[@]}"; do
    echo "$pkg: installed"
done
