# shellcheck shell=bash
# Common functions of the CRM Intelligence Suite environment scripts.
# Sourced by setup/*.sh; never executed directly.
#
# Environment variables (all optional):
#   ODOO_SRC              Odoo 19 source tree (default /opt/odoo/19.0): odoo-bin + odoo/release.py
#   ODOO_ADDONS_EXTRA     extra addons directories (comma separated), e.g. Odoo Enterprise
#   CRM_SUITE_VENV        project virtual environment (default <repo>/.venv)
#   CRM_SUITE_PYTHON      Python 3.10+ used to create the venv (default: python3, python3.13 ... 3.10)
#   CRM_SUITE_PG          auto (default) | system | embedded
#   CRM_SUITE_PG_DIR      data directory of the embedded cluster (default <repo>/.run/pg)
#   CRM_SUITE_PG_PORT     port (socket name) of the embedded cluster (default 54329, unix socket only)
#   CRM_SUITE_DATA_DIR    Odoo data dir / filestore (default <repo>/.run/odoo-data)
#   CRM_SUITE_SKIP_SYSDEPS=1  do not check/install Debian build packages
#   PGHOST PGPORT PGUSER PGPASSWORD  an existing PostgreSQL server (libpq variables)

if [[ -n "${_CRM_SUITE_LIB_LOADED:-}" ]]; then
    return 0
fi
_CRM_SUITE_LIB_LOADED=1

CRM_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CRM_SETUP="$CRM_REPO/setup"
CRM_RUN="$CRM_REPO/.run"
CRM_LOGS="$CRM_RUN/logs"
CRM_VENV="${CRM_SUITE_VENV:-$CRM_REPO/.venv}"
CRM_VENV_PY="$CRM_VENV/bin/python"
CRM_DATA_DIR="${CRM_SUITE_DATA_DIR:-$CRM_RUN/odoo-data}"
CRM_STAMP_NAME=".crm_suite_stamp"

if [[ -t 1 && -z "${NO_COLOR:-}" && -z "${CI:-}" ]]; then
    _C_B=$'\e[1m'; _C_R=$'\e[31m'; _C_G=$'\e[32m'; _C_Y=$'\e[33m'; _C_0=$'\e[0m'
else
    _C_B=""; _C_R=""; _C_G=""; _C_Y=""; _C_0=""
fi

crm_info() { printf '%s==>%s %s\n' "$_C_B" "$_C_0" "$*" >&2; }
crm_ok()   { printf '%s ok%s %s\n' "$_C_G" "$_C_0" "$*" >&2; }
crm_warn() { printf '%swarning:%s %s\n' "$_C_Y" "$_C_0" "$*" >&2; }
crm_err()  { printf '%serror:%s %s\n' "$_C_R" "$_C_0" "$*" >&2; }
crm_die()  { crm_err "$@"; exit 1; }

# crm_banner LINE...: a boxed banner on stderr.
crm_banner() {
    local width=0 line
    for line in "$@"; do (( ${#line} > width )) && width=${#line}; done
    local bar
    bar="$(printf '%*s' "$((width + 4))" '' | tr ' ' '#')"
    {
        printf '%s%s\n' "$_C_Y" "$bar"
        for line in "$@"; do printf '# %-*s #\n' "$width" "$line"; done
        printf '%s%s\n' "$bar" "$_C_0"
    } >&2
}

crm_is_root() { [[ "$(id -u)" == 0 ]]; }

crm_mkdirs() { mkdir -p "$CRM_RUN" "$CRM_LOGS"; }

# ---------------------------------------------------------------------------
# Python
# ---------------------------------------------------------------------------

# crm_find_python: prints a python >= 3.10 interpreter path.
crm_find_python() {
    local cand path
    local candidates=()
    if [[ -n "${CRM_SUITE_PYTHON:-}" ]]; then
        candidates=("$CRM_SUITE_PYTHON")
    else
        candidates=(python3 python3.13 python3.12 python3.11 python3.10)
    fi
    for cand in "${candidates[@]}"; do
        path="$(command -v "$cand" 2>/dev/null)" || continue
        if "$path" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
            printf '%s\n' "$path"
            return 0
        fi
    done
    return 1
}

# ---------------------------------------------------------------------------
# Odoo 19
# ---------------------------------------------------------------------------
# After crm_locate_odoo succeeds:
#   ODOO_SRC         root of the Odoo tree (the directory holding odoo/)
#   CRM_ODOO_MODE    src (odoo-bin) | module (python -m odoo)
#   CRM_ODOO_REQS    Odoo's requirements.txt ('' when the installation has none)
#   CRM_ODOO_ADDONS  Odoo's addons directories (comma separated, may be empty)
# On failure it returns 1 and leaves the reason in CRM_ODOO_WHY.

_crm_release_major() {  # $1 = path of odoo/release.py; prints version_info[0]
    local py
    py="$(crm_find_python || command -v python3 || true)"
    [[ -n "$py" ]] || return 1
    "$py" - "$1" <<'EOF' 2>/dev/null
import sys
ns = {}
with open(sys.argv[1], encoding="utf-8") as f:
    exec(compile(f.read(), sys.argv[1], "exec"), ns)
print(ns["version_info"][0])
EOF
}

_crm_check_odoo_tree() {  # $1 = directory; sets CRM_ODOO_WHY on failure
    local dir="$1" major
    if [[ ! -d "$dir" ]]; then
        CRM_ODOO_WHY="$dir does not exist"
        return 1
    fi
    if [[ ! -f "$dir/odoo/release.py" ]]; then
        CRM_ODOO_WHY="$dir has no odoo/release.py (not an Odoo source tree)"
        return 1
    fi
    major="$(_crm_release_major "$dir/odoo/release.py")" || major="?"
    if [[ "$major" != 19 ]]; then
        CRM_ODOO_WHY="$dir is Odoo version '$major', the suite needs Odoo 19"
        return 1
    fi
    return 0
}

CRM_ODOO_DEFAULT_SRC="${CRM_SUITE_ODOO_DEFAULT_SRC:-/opt/odoo/19.0}"   # overridable for the tests
CRM_ODOO_CLONE="${CRM_SUITE_ODOO_CLONE:-$CRM_RUN/odoo-19.0}"
CRM_ODOO_GIT_URL_DEFAULT="https://github.com/odoo/odoo.git"

_crm_use_odoo_tree() {  # $1 = directory; 0 and exports when it is a usable Odoo 19 source tree
    local dir="$1"
    _crm_check_odoo_tree "$dir" || return 1
    dir="$(cd "$dir" && pwd)"
    if [[ ! -f "$dir/odoo-bin" ]]; then
        CRM_ODOO_WHY="$dir has no odoo-bin"
        return 1
    fi
    ODOO_SRC="$dir"
    CRM_ODOO_MODE=src
    CRM_ODOO_REQS=""
    [[ -f "$dir/requirements.txt" ]] && CRM_ODOO_REQS="$dir/requirements.txt"
    CRM_ODOO_ADDONS=""
    [[ -d "$dir/addons" ]] && CRM_ODOO_ADDONS="$dir/addons"
    export ODOO_SRC CRM_ODOO_MODE CRM_ODOO_REQS CRM_ODOO_ADDONS
    return 0
}

# crm_locate_odoo: ODOO_SRC when set (an unusable one is an error, never silently replaced); else
# /opt/odoo/19.0, then an earlier --fetch-odoo clone (.run/odoo-19.0), then an importable odoo.
crm_locate_odoo() {
    CRM_ODOO_WHY=""
    if [[ -n "${CRM_ODOO_MODE:-}" ]]; then
        return 0
    fi
    local explicit="${ODOO_SRC:-}"
    if [[ -n "$explicit" ]]; then
        _crm_use_odoo_tree "$explicit" && return 0
        CRM_ODOO_WHY="ODOO_SRC=$CRM_ODOO_WHY"
        return 1
    fi
    _crm_use_odoo_tree "$CRM_ODOO_DEFAULT_SRC" && return 0
    if [[ -e "$CRM_ODOO_CLONE" ]]; then
        _crm_use_odoo_tree "$CRM_ODOO_CLONE" && return 0
        CRM_ODOO_WHY="the Odoo clone $CRM_ODOO_CLONE is broken ($CRM_ODOO_WHY)"
        return 1
    fi
    CRM_ODOO_WHY=""
    # An importable odoo package (pip/deb installation): project venv first, then python3.
    local py root major
    for py in "$CRM_VENV_PY" "$(crm_find_python || true)"; do
        [[ -n "$py" && -x "$py" ]] || continue
        root="$("$py" -c 'import os, odoo.release as r; print(os.path.dirname(os.path.dirname(os.path.abspath(r.__file__))))' 2>/dev/null)" || continue
        major="$("$py" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null)" || continue
        if [[ "$major" != 19 ]]; then
            CRM_ODOO_WHY="the importable odoo package ($root, python $py) is version $major, not 19"
            continue
        fi
        ODOO_SRC="$root"
        CRM_ODOO_MODE=module
        CRM_ODOO_REQS=""
        [[ -f "$root/requirements.txt" ]] && CRM_ODOO_REQS="$root/requirements.txt"
        CRM_ODOO_ADDONS=""
        [[ -d "$root/addons" && -f "$root/addons/web/__manifest__.py" ]] && CRM_ODOO_ADDONS="$root/addons"
        export ODOO_SRC CRM_ODOO_MODE CRM_ODOO_REQS CRM_ODOO_ADDONS
        return 0
    done
    [[ -n "$CRM_ODOO_WHY" ]] || CRM_ODOO_WHY="no Odoo 19 at $CRM_ODOO_DEFAULT_SRC (ODOO_SRC unset), no clone in $CRM_ODOO_CLONE and no importable 'odoo' package"
    return 1
}

crm_odoo_howto() {
    cat >&2 <<EOF
Odoo 19 is a prerequisite of the suite. Provide one of:
  * let the scripts download it: a shallow clone of the official 19.0 branch (about 700 MB,
    a few minutes) into $CRM_ODOO_CLONE, reused afterwards:
        ./setup/demo.sh --fetch-odoo        (or: export CRM_SUITE_FETCH_ODOO=1)
  * a 19.0 checkout of Odoo Community (or Enterprise's community part) and ODOO_SRC pointing at it:
        git clone -b 19.0 --depth 1 $CRM_ODOO_GIT_URL_DEFAULT /opt/odoo/19.0
        export ODOO_SRC=/opt/odoo/19.0        # the default location
  * or an Odoo 19 installed as a Python package ('import odoo' works in python3).
EOF
}

# crm_fetch_odoo: shallow clone of ODOO_GIT_URL at ODOO_GIT_REF into CRM_ODOO_CLONE, then use it.
# Idempotent: a usable clone is reused; a broken one is reported, never overwritten. The clone is
# made in a temporary sibling directory and renamed when complete, so an interrupted download
# never looks finished.
crm_fetch_odoo() {
    local url="${ODOO_GIT_URL:-$CRM_ODOO_GIT_URL_DEFAULT}" ref="${ODOO_GIT_REF:-19.0}"
    local clone="$CRM_ODOO_CLONE"
    if [[ -e "$clone" ]]; then
        if _crm_use_odoo_tree "$clone"; then
            crm_ok "Odoo 19: reusing the clone in $clone"
            return 0
        fi
        crm_err "the Odoo clone $clone is broken: $CRM_ODOO_WHY"
        crm_err "remove it (rm -rf '$clone') and run again to download it anew, or set ODOO_SRC to an Odoo 19 tree"
        return 1
    fi
    if ! command -v git >/dev/null 2>&1; then
        crm_err "--fetch-odoo needs git, which is not installed (Debian: apt-get install git)"
        crm_odoo_howto
        return 1
    fi
    local partial="$clone.partial.$$"
    mkdir -p "$(dirname "$clone")"
    rm -rf "$partial"
    crm_info "downloading Odoo: git clone --depth 1 --branch $ref $url"
    crm_info "into $clone (about 700 MB, a few minutes; reused by later runs)"
    if ! git clone --quiet --depth 1 --single-branch --branch "$ref" "$url" "$partial" </dev/null >&2; then
        rm -rf "$partial"
        crm_err "cloning Odoo from $url (ref $ref) failed: no network access, or no such repository or ref?"
        crm_err "check ODOO_GIT_URL / ODOO_GIT_REF, or get Odoo 19 another way and set ODOO_SRC:"
        crm_odoo_howto
        return 1
    fi
    if ! _crm_use_odoo_tree "$partial"; then
        local why="$CRM_ODOO_WHY"
        rm -rf "$partial"
        crm_err "$url at $ref is not an Odoo 19 source tree (${why//$partial/the clone});"
        crm_err "set ODOO_GIT_REF to a 19.0 branch or tag, or ODOO_SRC to an Odoo 19 tree"
        return 1
    fi
    mv "$partial" "$clone"
    _crm_use_odoo_tree "$clone" || return 1
    crm_ok "Odoo 19 cloned into $clone (commit $(git -C "$clone" rev-parse --short HEAD 2>/dev/null))"
}

# crm_find_odoo: crm_locate_odoo; when nothing is found and CRM_SUITE_FETCH_ODOO=1, crm_fetch_odoo.
# An explicit ODOO_SRC is never replaced by a download. Sets CRM_ODOO_FETCH_FAILED when the fetch
# itself failed (its messages are already printed).
crm_find_odoo() {
    crm_locate_odoo && return 0
    [[ "${CRM_SUITE_FETCH_ODOO:-}" == 1 && -z "${ODOO_SRC:-}" ]] || return 1
    if ! crm_fetch_odoo; then
        CRM_ODOO_FETCH_FAILED=1
        CRM_ODOO_WHY="--fetch-odoo could not provide Odoo 19 (see above)"
        return 1
    fi
}

crm_require_odoo() {
    if ! crm_find_odoo; then
        crm_err "Odoo 19 not found: $CRM_ODOO_WHY"
        [[ -n "${CRM_ODOO_FETCH_FAILED:-}" ]] || crm_odoo_howto
        exit 1
    fi
}

# ---------------------------------------------------------------------------
# Suite addons (discovered, never hard-coded)
# ---------------------------------------------------------------------------

# crm_suite_addons: installable addons under addons/, one per line, sorted.
crm_suite_addons() {
    local py
    py="$(crm_find_python || command -v python3)"
    "$py" "$CRM_SETUP/addons.py" "$CRM_REPO/addons"
}

crm_addons_path() {
    local parts=()
    [[ -n "${ODOO_ADDONS_EXTRA:-}" ]] && parts+=("$ODOO_ADDONS_EXTRA")
    [[ -n "${CRM_ODOO_ADDONS:-}" ]] && parts+=("$CRM_ODOO_ADDONS")
    parts+=("$CRM_REPO/addons")
    local IFS=,
    printf '%s\n' "${parts[*]}"
}

# ---------------------------------------------------------------------------
# Virtual environment
# ---------------------------------------------------------------------------

_crm_sysdeps_missing() {  # prints missing Debian packages
    local pkgs=("$@") p missing=()
    command -v dpkg-query >/dev/null 2>&1 || return 0
    for p in "${pkgs[@]}"; do
        if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]]; then
            missing+=("$p")
        fi
    done
    printf '%s\n' "${missing[@]}"
}

crm_apt_install() {  # best effort apt-get install as root; returns non-zero on failure
    crm_is_root && command -v apt-get >/dev/null 2>&1 || return 1
    crm_info "apt-get install $*"
    if [[ -z "${_CRM_APT_UPDATED:-}" ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >&2 || return 1
        _CRM_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null >&2
}

_crm_ensure_sysdeps() {
    [[ "${CRM_SUITE_SKIP_SYSDEPS:-}" == 1 ]] && return 0
    # psycopg2 (ours and Odoo's) needs libpq; python-ldap (Odoo) needs ldap and sasl headers.
    local wanted=(libpq-dev)
    [[ -n "${CRM_ODOO_REQS:-}" ]] && wanted+=(libldap2-dev libsasl2-dev)
    command -v gcc >/dev/null 2>&1 || wanted+=(gcc)
    local missing
    mapfile -t missing < <(_crm_sysdeps_missing "${wanted[@]}")
    [[ ${#missing[@]} -eq 0 || -z "${missing[0]}" ]] && return 0
    if crm_apt_install "${missing[@]}"; then
        return 0
    fi
    crm_die "missing system packages to build the Python requirements: ${missing[*]}
       install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and run again,
       or set CRM_SUITE_SKIP_SYSDEPS=1 if your platform provides them differently."
}

_crm_venv_hash() {
    local py="$1"
    {
        printf 'venv-format 1\npython %s\nodoo %s %s\n' \
            "$("$py" -c 'import sys; print(sys.version)')" "${ODOO_SRC:-none}" "${CRM_ODOO_MODE:-none}"
        [[ -n "${CRM_ODOO_REQS:-}" ]] && cat "$CRM_ODOO_REQS"
        cat "$CRM_REPO/requirements.txt" "$CRM_REPO/requirements-dev.txt" "$CRM_REPO/pyproject.toml" \
            "$CRM_REPO/requirements-odoo-addons.txt"
    } | sha256sum | cut -d' ' -f1
}

# crm_ensure_venv: create/refresh the venv; fast when nothing changed (stamp file).
crm_ensure_venv() {
    crm_locate_odoo || true   # without Odoo the venv only holds the suite's requirements
    local py
    if [[ -x "$CRM_VENV_PY" ]]; then
        py="$CRM_VENV_PY"
        "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
            || crm_die "$CRM_VENV uses Python < 3.10; remove it or set CRM_SUITE_VENV to another path"
        local want have=""
        want="$(_crm_venv_hash "$py")"
        [[ -f "$CRM_VENV/$CRM_STAMP_NAME" ]] && have="$(cat "$CRM_VENV/$CRM_STAMP_NAME")"
        if [[ "$want" == "$have" ]]; then
            return 0
        fi
    fi
    # slow path, serialised: several scripts may run concurrently on one venv
    mkdir -p "$CRM_VENV"   # python -m venv accepts an existing empty directory
    local lock="$CRM_VENV/.crm_suite.lock"
    exec {_crm_lock_fd}>"$lock"
    if command -v flock >/dev/null 2>&1; then
        flock "$_crm_lock_fd"
    fi
    _crm_build_venv
    exec {_crm_lock_fd}>&-
}

_crm_build_venv() {
    local t0=$SECONDS base_py
    if [[ ! -x "$CRM_VENV_PY" ]]; then
        base_py="$(crm_find_python)" || crm_die "Python 3.10+ not found (tried ${CRM_SUITE_PYTHON:-python3, python3.13 ... python3.10}); install it or set CRM_SUITE_PYTHON"
        crm_info "creating virtual environment $CRM_VENV with $base_py ($("$base_py" -V 2>&1))"
        if ! "$base_py" -m venv "$CRM_VENV" >&2; then
            crm_apt_install python3-venv >/dev/null 2>&1 && "$base_py" -m venv "$CRM_VENV" >&2 \
                || crm_die "'$base_py -m venv' failed; install the venv module (Debian: apt-get install python3-venv)"
        fi
    fi
    local want
    want="$(_crm_venv_hash "$CRM_VENV_PY")"
    if [[ -f "$CRM_VENV/$CRM_STAMP_NAME" && "$(cat "$CRM_VENV/$CRM_STAMP_NAME")" == "$want" ]]; then
        return 0   # built by a concurrent run while we waited for the lock
    fi
    _crm_ensure_sysdeps
    local pip=("$CRM_VENV_PY" -m pip --disable-pip-version-check)
    local install=(install -q)
    [[ -n "${CI:-}" ]] && install+=(--progress-bar off)
    crm_info "installing Python requirements into $CRM_VENV (first run takes a few minutes)"
    "${pip[@]}" "${install[@]}" --upgrade pip wheel >&2 || crm_die "pip upgrade failed"
    if [[ -n "${CRM_ODOO_REQS:-}" ]]; then
        crm_info "pip install -r $CRM_ODOO_REQS"
        "${pip[@]}" "${install[@]}" -r "$CRM_ODOO_REQS" >&2 || crm_die "installing Odoo's requirements failed (see above)"
    fi
    crm_info "pip install -r requirements.txt -r requirements-dev.txt"
    "${pip[@]}" "${install[@]}" -r "$CRM_REPO/requirements.txt" -r "$CRM_REPO/requirements-dev.txt" >&2 \
        || crm_die "installing the suite's requirements failed (see above)"
    crm_info "pip install -e . (the engines, editable)"
    "${pip[@]}" "${install[@]}" -e "$CRM_REPO" >&2 || crm_die "installing the engines failed (see above)"
    if grep -qE '^[[:space:]]*[^#[:space:]]' "$CRM_REPO/requirements-odoo-addons.txt"; then
        # OCA addons as wheels: their metadata requires an 'odoo' distribution that is not published
        crm_info "pip install --no-deps -r requirements-odoo-addons.txt (OCA addons the suite depends on)"
        "${pip[@]}" "${install[@]}" --no-deps -r "$CRM_REPO/requirements-odoo-addons.txt" >&2 \
            || crm_die "installing the OCA addons failed (see above)"
    fi
    local site
    site="$("$CRM_VENV_PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    case "${CRM_ODOO_MODE:-}" in
        src)
            # `import odoo` from the venv (odoo/ is a namespace package in the source tree)
            printf '%s\n' "$ODOO_SRC" >"$site/odoo_src.pth" ;;
        module)
            # an installed odoo package outside the venv: make it importable from the venv
            rm -f "$site/odoo_src.pth"
            "$CRM_VENV_PY" -c 'import odoo.release' 2>/dev/null || printf '%s\n' "$ODOO_SRC" >"$site/odoo_src.pth" ;;
        *)
            rm -f "$site/odoo_src.pth" ;;
    esac
    printf '%s\n' "$want" >"$CRM_VENV/$CRM_STAMP_NAME"
    crm_ok "virtual environment ready in $((SECONDS - t0))s: $CRM_VENV"
}

# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------
# crm_pg_ensure exports PGHOST/PGPORT/PGUSER for a usable server:
#   CRM_SUITE_PG=auto     a reachable server (PG* variables or the local socket), else embedded
#   CRM_SUITE_PG=system   a reachable server, or fail
#   CRM_SUITE_PG=embedded the cluster under .run/pg (started when needed)
# CRM_PG_STARTED=1 when this call started the embedded cluster (caller stops it).

CRM_PG_DIR="${CRM_SUITE_PG_DIR:-$CRM_RUN/pg}"
CRM_PG_PORT="${CRM_SUITE_PG_PORT:-54329}"
CRM_PG_USER_EMBEDDED="odoo"

crm_pg_bindir() {  # directory holding initdb and pg_ctl
    local d
    if d="$(command -v initdb 2>/dev/null)"; then
        d="$(dirname "$(readlink -f "$d")")"
        [[ -x "$d/pg_ctl" ]] && { printf '%s\n' "$d"; return 0; }
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r) /usr/local/pgsql/bin; do
        [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && { printf '%s\n' "$d"; return 0; }
    done
    return 1
}

CRM_PG_LOG="$CRM_LOGS/pg.log"
CRM_PG_SOCK=""

# When root runs the scripts from a directory the cluster's unprivileged owner cannot reach
# (e.g. a clone under /root), the embedded cluster lives under /var/tmp instead of .run/.
_crm_pg_resolve() {
    [[ -n "${_CRM_PG_RESOLVED:-}" ]] && return 0
    _CRM_PG_RESOLVED=1
    [[ -z "${CRM_SUITE_PG_DIR:-}" ]] && crm_is_root || return 0
    local u
    u="$(_crm_pg_runuser)"
    if ! (cd / && runuser -u "$u" -- test -x "$CRM_REPO") 2>/dev/null; then
        local alt
        alt="/var/tmp/crm-suite-$(printf '%s' "$CRM_REPO" | sha256sum | cut -c1-12)"
        CRM_PG_DIR="$alt/pg"
        CRM_PG_SOCK="$alt/socket"
        CRM_PG_LOG="$alt/pg.log"
        mkdir -p "$alt"
        chmod 755 "$alt"
    fi
}

crm_pg_socket_dir() {
    _crm_pg_resolve
    if [[ -n "$CRM_PG_SOCK" ]]; then
        printf '%s\n' "$CRM_PG_SOCK"
        return
    fi
    local d="$CRM_RUN/pgsocket"
    # unix socket paths are limited to 107 bytes
    if (( ${#d} + 20 > 100 )); then
        d="/tmp/crm-suite-pg-$(printf '%s' "$CRM_REPO" | sha256sum | cut -c1-12)"
    fi
    printf '%s\n' "$d"
}

# crm_pg_probe: 0 when the server designated by the PG* environment accepts us and lets us create
# databases. Uses the venv's psycopg2 when available, else psql.
crm_pg_probe() {
    if [[ -x "$CRM_VENV_PY" ]] && "$CRM_VENV_PY" -c 'import psycopg2' 2>/dev/null; then
        "$CRM_VENV_PY" "$CRM_SETUP/pgtool.py" ping >/dev/null 2>&1
        return
    fi
    command -v psql >/dev/null 2>&1 || return 1
    [[ "$(psql -X -d postgres -Atc "SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user" 2>/dev/null)" == t ]]
}

crm_pg_embedded_running() {
    local bindir
    bindir="$(crm_pg_bindir)" || return 1
    _crm_pg_resolve
    [[ -f "$CRM_PG_DIR/PG_VERSION" ]] || return 1
    _crm_pg_as_owner "$bindir/pg_ctl" -D "$CRM_PG_DIR" status >/dev/null 2>&1
}

_crm_pg_runuser() {  # the unprivileged user that runs the cluster when we are root
    if id postgres >/dev/null 2>&1; then
        printf 'postgres\n'
        return
    fi
    if ! id crm-suite-pg >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin crm-suite-pg >&2 \
            || crm_die "cannot create the system user crm-suite-pg to run PostgreSQL (initdb refuses root)"
    fi
    printf 'crm-suite-pg\n'
}

_crm_pg_as_owner() {
    if crm_is_root; then
        local u
        u="$(_crm_pg_runuser)"
        (cd / && runuser -u "$u" -- "$@")
    else
        "$@"
    fi
}

crm_pg_embedded_env() {
    _crm_pg_resolve
    # the embedded cluster's databases keep their filestores apart from the system server's
    if [[ -z "${CRM_SUITE_DATA_DIR:-}" ]]; then
        CRM_DATA_DIR="$CRM_RUN/odoo-data-embedded"
        export CRM_SUITE_DATA_DIR="$CRM_DATA_DIR"
    fi
    export PGHOST PGPORT PGUSER
    PGHOST="$(crm_pg_socket_dir)"
    PGPORT="$CRM_PG_PORT"
    PGUSER="$CRM_PG_USER_EMBEDDED"
    unset PGPASSWORD PGDATABASE
}

crm_pg_embedded_start() {
    local bindir sock
    _crm_pg_resolve
    bindir="$(crm_pg_bindir)" || crm_die "no PostgreSQL server reachable and no initdb/pg_ctl found to run one.
       Install the server binaries (Debian: apt-get install postgresql) or point PGHOST/PGPORT/PGUSER
       at a server where you may create databases."
    sock="$(crm_pg_socket_dir)"
    crm_mkdirs
    mkdir -p "$CRM_PG_DIR" "$sock"
    chmod 700 "$CRM_PG_DIR" "$sock"
    if crm_is_root; then
        local u
        u="$(_crm_pg_runuser)"
        chown "$u" "$CRM_PG_DIR" "$sock"
        touch "$CRM_PG_LOG" && chown "$u" "$CRM_PG_LOG"
        (cd / && runuser -u "$u" -- test -w "$CRM_PG_DIR") || crm_die "user $u cannot write $CRM_PG_DIR
       (a parent directory is not accessible to it); set CRM_SUITE_PG_DIR to a path it can reach"
    fi
    if [[ ! -f "$CRM_PG_DIR/PG_VERSION" ]]; then
        local locale=C
        if locale -a 2>/dev/null | grep -qix 'c.utf-\?8'; then locale=C.UTF-8; fi
        crm_info "initdb $CRM_PG_DIR ($("$bindir/postgres" -V 2>/dev/null))"
        _crm_pg_as_owner "$bindir/initdb" -D "$CRM_PG_DIR" -U "$CRM_PG_USER_EMBEDDED" -E UTF8 \
            --locale="$locale" --auth=trust >"$CRM_LOGS/initdb.log" 2>&1 \
            || { cat "$CRM_LOGS/initdb.log" >&2; crm_die "initdb failed"; }
    fi
    if ! crm_pg_embedded_running; then
        crm_info "starting embedded PostgreSQL ($CRM_PG_DIR, socket $sock)"
        # own session: a Ctrl-C meant for Odoo in the terminal must not reach the postmaster
        local detach=()
        command -v setsid >/dev/null 2>&1 && detach=(setsid -w)
        _crm_pg_as_owner "${detach[@]}" "$bindir/pg_ctl" -D "$CRM_PG_DIR" -l "$CRM_PG_LOG" -w -t 60 \
            -o "-c listen_addresses='' -k $sock -p $CRM_PG_PORT -c fsync=off -c full_page_writes=off" \
            start >/dev/null || { tail -20 "$CRM_PG_LOG" >&2; crm_die "embedded PostgreSQL did not start"; }
        CRM_PG_STARTED=1
    fi
    crm_pg_embedded_env
}

crm_pg_embedded_stop() {
    local bindir
    bindir="$(crm_pg_bindir)" || return 0
    if crm_pg_embedded_running; then
        crm_info "stopping embedded PostgreSQL ($CRM_PG_DIR)"
        _crm_pg_as_owner "$bindir/pg_ctl" -D "$CRM_PG_DIR" -m fast -w stop >/dev/null
    fi
}

crm_pg_ensure() {
    CRM_PG_STARTED=""
    local mode="${CRM_SUITE_PG:-auto}"
    case "$mode" in
        auto|system)
            if crm_pg_probe; then
                CRM_PG_MODE=system
                crm_ok "PostgreSQL: using server ${PGHOST:-local socket}${PGPORT:+:$PGPORT} as ${PGUSER:-$(id -un)}"
                return 0
            fi
            if crm_pg_embedded_running; then
                crm_pg_embedded_env
                CRM_PG_MODE=embedded
                crm_ok "PostgreSQL: using the running embedded cluster ($CRM_PG_DIR)"
                return 0
            fi
            [[ "$mode" == system ]] && crm_die "CRM_SUITE_PG=system but no PostgreSQL server accepts ${PGUSER:-$(id -un)} with CREATEDB (PGHOST=${PGHOST:-<socket>} PGPORT=${PGPORT:-5432})"
            crm_info "no usable PostgreSQL server (PGHOST=${PGHOST:-<local socket>}): using an embedded cluster"
            ;;
        embedded) ;;
        *) crm_die "CRM_SUITE_PG must be auto, system or embedded (got '$mode')" ;;
    esac
    crm_pg_embedded_start
    CRM_PG_MODE=embedded
    crm_ok "PostgreSQL: embedded cluster $CRM_PG_DIR (socket $PGHOST, user $PGUSER)"
}

# crm_pgtool ARGS: run setup/pgtool.py with the venv python
crm_pgtool() { "$CRM_VENV_PY" "$CRM_SETUP/pgtool.py" "$@"; }
