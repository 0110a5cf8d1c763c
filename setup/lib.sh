# shellcheck shell=bash
# Shared functions of the setup scripts. Source it; do not run it.
#
#   find_odoo       locate Odoo 19 (ODOO_SRC, default /opt/odoo/19.0, or an importable `odoo`)
#   ensure_venv     project virtual environment with Odoo's requirements, ours, engines editable
#   ensure_pg       a reachable PostgreSQL, or an embedded cluster under .run/pg
#   odoo_run        run odoo-bin with the venv's Python, the suite's addons path and the DB settings
#
# Environment: ODOO_SRC, CRM_SUITE_VENV (default <repo>/.venv), CRM_SUITE_PG=auto|system|embedded,
# CRM_SUITE_PG_PORT (embedded cluster port, default 54329), PGHOST / PGPORT / PGUSER / PGPASSWORD.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${CRM_SUITE_VENV:-$REPO/.venv}
RUN_DIR=$REPO/.run
ODOO_SRC=${ODOO_SRC:-/opt/odoo/19.0}
ODOO_FOUND=0
ODOO_WHY=""
ODOO_MAIN=()        # the command that starts Odoo (python + odoo-bin or python -m odoo), set by find_odoo

log() { printf '[crm-suite] %s\n' "$*" >&2; }
die() { printf '[crm-suite] ERROR: %s\n' "$*" >&2; exit 1; }

system_python() {
    local py
    for py in python3 python3.13 python3.12 python3.11 python3.10; do
        if command -v "$py" >/dev/null 2>&1 \
            && "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
            command -v "$py"
            return 0
        fi
    done
    die "Python 3.10 or newer is required (python3 -m venv must work). Install it, e.g. apt-get install python3 python3-venv."
}

# Sets ODOO_FOUND=1, ODOO_SRC and ODOO_MAIN when an Odoo 19 is found; otherwise ODOO_WHY says why not.
find_odoo() {
    ODOO_FOUND=0
    if [ -f "$ODOO_SRC/odoo-bin" ] && [ -f "$ODOO_SRC/odoo/release.py" ]; then
        local major
        major=$(sed -n 's/^version_info *= *(\([0-9]*\).*/\1/p' "$ODOO_SRC/odoo/release.py" | head -n 1)
        if [ "$major" = "19" ]; then
            ODOO_FOUND=1
            ODOO_MAIN=("$VENV/bin/python" "$ODOO_SRC/odoo-bin")
            return 0
        fi
        ODOO_WHY="$ODOO_SRC holds Odoo ${major:-?}, not Odoo 19"
        return 1
    fi
    # An `odoo` importable from the venv's (or the system's) Python, e.g. a pip-installed Odoo 19.
    local py src
    for py in "$VENV/bin/python" "$(command -v python3 || true)"; do
        [ -x "$py" ] || continue
        src=$("$py" - <<'PY' 2>/dev/null
import os, odoo.release as r
if r.version_info[0] == 19:
    print(os.path.dirname(os.path.dirname(os.path.abspath(r.__file__))))
PY
        ) || continue
        if [ -n "$src" ]; then
            ODOO_FOUND=1
            ODOO_SRC=$src
            ODOO_MAIN=("$VENV/bin/python" -m odoo)
            return 0
        fi
    done
    ODOO_WHY="no Odoo 19 at ODOO_SRC=$ODOO_SRC (no odoo-bin there) and no importable odoo 19"
    return 1
}

odoo_help() {
    cat >&2 <<EOF
[crm-suite] Odoo 19 was not found: $ODOO_WHY.
  Provide an Odoo 19.0 Community source tree (odoo-bin, odoo/, addons/, requirements.txt), for example:
      git clone --depth 1 -b 19.0 https://github.com/odoo/odoo /opt/odoo/19.0
  or point ODOO_SRC at an existing 19.0 checkout:  export ODOO_SRC=/path/to/odoo-19.0
EOF
}

# Debian packages needed to build Odoo's requirements (psycopg2, python-ldap).
ensure_build_packages() {
    local missing=()
    command -v pg_config >/dev/null 2>&1 || missing+=(libpq-dev)
    [ -f /usr/include/ldap.h ] || missing+=(libldap2-dev)
    [ -f /usr/include/sasl/sasl.h ] || missing+=(libsasl2-dev)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "installing build packages: ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
            || die "apt-get install ${missing[*]} failed"
    else
        die "missing system packages to build Odoo's requirements: ${missing[*]} (install them, e.g. sudo apt-get install ${missing[*]})"
    fi
}

_venv_stamp() {
    {
        cat "$REPO/requirements.txt" "$REPO/requirements-dev.txt" "$REPO/pyproject.toml"
        if [ "$ODOO_FOUND" = 1 ]; then echo "$ODOO_SRC"; cat "$ODOO_SRC/requirements.txt" 2>/dev/null; fi
    } | sha256sum | cut -d' ' -f1
}

ensure_venv() {
    local stamp_file=$VENV/.crm-suite-stamp stamp
    stamp=$(_venv_stamp)
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
        return 0
    fi
    local py
    py=$(system_python)
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating virtual environment $VENV"
        "$py" -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    fi
    local pip=("$VENV/bin/python" -m pip install --disable-pip-version-check -q)
    log "installing Python packages into $VENV (first run takes a few minutes)"
    "${pip[@]}" --upgrade pip wheel "setuptools<81" >/dev/null
    if [ "$ODOO_FOUND" = 1 ] && [ -f "$ODOO_SRC/requirements.txt" ]; then
        ensure_build_packages
        "${pip[@]}" -r "$ODOO_SRC/requirements.txt" || die "installing Odoo's requirements failed"
    fi
    "${pip[@]}" -r "$REPO/requirements.txt" -r "$REPO/requirements-dev.txt" || die "installing the suite's requirements failed"
    "${pip[@]}" -e "$REPO" >/dev/null || die "installing the engines (pip install -e .) failed"
    if [ "$ODOO_FOUND" = 1 ] && [ -f "$ODOO_SRC/odoo/release.py" ]; then
        local site
        site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
        echo "$ODOO_SRC" > "$site/odoo_src.pth"
    fi
    echo "$stamp" > "$stamp_file"
}

# --- PostgreSQL -------------------------------------------------------------------------------
_pg_reachable() { psql -X -Atqc 'select 1' postgres >/dev/null 2>&1; }

_pg_bindir() {
    local d
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"; return 0
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    return 1
}

PG_EMBEDDED_DIR=$RUN_DIR/pg
PG_EMBEDDED_PORT=${CRM_SUITE_PG_PORT:-54329}

# initdb and postgres refuse to run as root: the embedded cluster runs as an unprivileged owner.
_pg_owner() {
    if [ "$(id -u)" != 0 ]; then id -un; return; fi
    if id postgres >/dev/null 2>&1; then echo postgres; return; fi
    id crmsuite >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin crmsuite
    echo crmsuite
}

_as_owner() {
    local owner=$1; shift
    if [ "$(id -un)" = "$owner" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi
}

pg_embedded_start() {
    local bindir owner data=$PG_EMBEDDED_DIR/data
    bindir=$(_pg_bindir) || die "no PostgreSQL server binaries (initdb, pg_ctl) found: install them, e.g. apt-get install postgresql"
    owner=$(_pg_owner)
    mkdir -p "$PG_EMBEDDED_DIR"
    [ "$(id -u)" = 0 ] && chown "$owner" "$PG_EMBEDDED_DIR"
    if [ ! -f "$data/PG_VERSION" ]; then
        log "initialising embedded PostgreSQL cluster in $data"
        _as_owner "$owner" "$bindir/initdb" -D "$data" -U "$(id -un)" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
            || die "initdb failed"
    fi
    if ! _as_owner "$owner" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        log "starting embedded PostgreSQL (socket in $PG_EMBEDDED_DIR, port $PG_EMBEDDED_PORT)"
        _as_owner "$owner" "$bindir/pg_ctl" -D "$data" -l "$PG_EMBEDDED_DIR/server.log" -w -t 60 \
            -o "-k $PG_EMBEDDED_DIR -p $PG_EMBEDDED_PORT -c listen_addresses=''" start >/dev/null \
            || die "the embedded PostgreSQL did not start: see $PG_EMBEDDED_DIR/server.log"
    fi
    export PGHOST=$PG_EMBEDDED_DIR PGPORT=$PG_EMBEDDED_PORT PGUSER
    PGUSER=$(id -un)
    export PATH="$bindir:$PATH"
}

pg_embedded_stop() {
    local bindir owner data=$PG_EMBEDDED_DIR/data
    [ -f "$data/PG_VERSION" ] || return 0
    bindir=$(_pg_bindir) || return 0
    owner=$(stat -c %U "$data")
    if _as_owner "$owner" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        _as_owner "$owner" "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null && log "embedded PostgreSQL stopped"
    fi
}

pg_embedded_running() {
    local bindir data=$PG_EMBEDDED_DIR/data
    [ -f "$data/PG_VERSION" ] || return 1
    bindir=$(_pg_bindir) || return 1
    _as_owner "$(stat -c %U "$data")" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# Leaves PG* exported so that psql, createdb and Odoo (through libpq) reach the same server.
PG_MODE=""
ensure_pg() {
    local mode=${CRM_SUITE_PG:-auto}
    if [ "$mode" != embedded ]; then
        command -v psql >/dev/null 2>&1 || {
            [ "$mode" = system ] && die "psql not found (install postgresql-client)"
        }
        if command -v psql >/dev/null 2>&1 && _pg_reachable; then
            PG_MODE=system
            return 0
        fi
        [ "$mode" = system ] && die "CRM_SUITE_PG=system but no PostgreSQL answers (PGHOST=${PGHOST:-socket} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-$(id -un)})"
    fi
    pg_embedded_start
    PG_MODE=embedded
    _pg_reachable || die "the embedded PostgreSQL does not answer on $PGHOST:$PGPORT"
}

# Addon folders of the suite, in dependency-friendly order (base first, meta module last).
suite_modules() {
    local d name mods=()
    for d in "$REPO"/addons/*/; do
        name=$(basename "$d")
        [ -f "$d/__manifest__.py" ] || continue
        if "$VENV/bin/python" -c "import ast,sys; m=ast.literal_eval(open(sys.argv[1]).read()); sys.exit(0 if m.get('installable', True) else 1)" "$d/__manifest__.py"; then
            mods+=("$name")
        fi
    done
    printf '%s\n' "${mods[@]}" | awk '{ k = ($0=="crm_suite_base") ? 0 : ($0=="crm_suite") ? 2 : 1; print k" "$0 }' | sort | cut -d' ' -f2
}

odoo_run() {
    "${ODOO_MAIN[@]}" --addons-path="$ODOO_SRC/addons,$REPO/addons" "$@"
}
