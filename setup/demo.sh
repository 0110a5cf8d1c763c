#!/usr/bin/env bash
# The demo: database crm_demo with crm_suite and its demo data, served on http://localhost:8069
# (login admin / password admin).
#
#   ./setup/demo.sh              build crm_demo if needed (reused when crm_suite is installed), serve it
#   ./setup/demo.sh --reset      drop crm_demo and build it again
#   ./setup/demo.sh --no-serve   only build the database
#   ./setup/demo.sh --port 8070  serve on another port
#   ./setup/demo.sh --fetch-odoo when no Odoo 19 is found, shallow-clone it into .run/odoo-19.0 first
#                                (same as CRM_SUITE_FETCH_ODOO=1; ODOO_GIT_URL / ODOO_GIT_REF choose it)
#
# Environment: CRM_SUITE_DEMO_DB (crm_demo), CRM_SUITE_DEMO_PORT (8069), CRM_SUITE_DEMO_MODULE
# (crm_suite_demo), CRM_SUITE_DEMO_INTERFACE (127.0.0.1; 0.0.0.0 to serve other machines), plus those of setup/lib.sh (ODOO_SRC, CRM_SUITE_VENV, CRM_SUITE_PG, PG*...).
set -euo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"

reset=0 serve=1
db="${CRM_SUITE_DEMO_DB:-crm_demo}"
port="${CRM_SUITE_DEMO_PORT:-8069}"
interface="${CRM_SUITE_DEMO_INTERFACE:-127.0.0.1}"
module="${CRM_SUITE_DEMO_MODULE:-crm_suite_demo}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --reset) reset=1 ;;
        --no-serve) serve=0 ;;
        --port) port="${2:?--port needs a value}"; shift ;;
        --port=*) port="${1#--port=}" ;;
        --fetch-odoo) export CRM_SUITE_FETCH_ODOO=1 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) crm_die "unknown option '$1' (see --help)" ;;
    esac
    shift
done

crm_require_odoo
crm_ensure_venv
crm_mkdirs

found=""
IFS=, read -ra dirs <<<"$(crm_addons_path)"
for d in "${dirs[@]}"; do
    [[ -f "$d/$module/__manifest__.py" ]] && found="$d/$module"
done
[[ -n "$found" ]] || crm_die "module $module not found in the addons path ($(crm_addons_path))"

crm_pg_ensure
export CRM_PG_READY=1
cleanup() {
    if [[ "${CRM_PG_STARTED:-}" == 1 ]]; then crm_pg_embedded_stop; fi
}
trap cleanup EXIT

if [[ "$reset" == 1 ]]; then
    crm_info "--reset: dropping database $db"
    crm_pgtool drop "$db" "$CRM_DATA_DIR"
fi

state="$(crm_pgtool module-state "$db" "$module")"
if [[ "$state" == installed ]]; then
    crm_ok "database $db already has $module installed: reusing it (--reset rebuilds it)"
else
    if crm_pgtool exists "$db"; then
        crm_warn "database $db exists without $module installed (state: '${state:-none}'): recreating it"
        crm_pgtool drop "$db" "$CRM_DATA_DIR"
    fi
    log="$CRM_LOGS/demo-$(date +%Y%m%d-%H%M%S).log"
    crm_info "creating database $db: installing $module with its demo data (several minutes); log: $log"
    t0=$SECONDS
    set +e
    "$CRM_SETUP/odoo.sh" -d "$db" -i "$module" --with-demo --stop-after-init --max-cron-threads=0 \
        --http-interface=127.0.0.1 --http-port="$port" --log-level=info 2>&1 \
        | tee "$log" | grep --line-buffered -E ' (WARNING|ERROR|CRITICAL) |odoo.modules.loading: Loading module '"$module"' |Modules loaded'
    rc=${PIPESTATUS[0]}
    set -e
    state="$(crm_pgtool module-state "$db" "$module")"
    if [[ "$rc" != 0 || "$state" != installed ]]; then
        crm_die "installing $module into $db failed (exit $rc, state '${state:-none}'); see $log"
    fi
    crm_ok "demo database $db built in $((SECONDS - t0))s (log: $log)"
fi

if [[ "$serve" == 0 ]]; then
    crm_ok "database $db is ready; serve it with ./setup/demo.sh (without --no-serve)"
    exit 0
fi

if "$CRM_VENV_PY" -c 'import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((sys.argv[2], int(sys.argv[1])))' "$port" "$interface" 2>/dev/null; then :; else
    crm_die "port $port is busy (another Odoo?): stop it or use --port N"
fi
printf '\n'
crm_banner "CRM Intelligence Suite demo" \
    "URL:    http://localhost:$port/odoo  (database $db)" \
    "Login:  admin   Password: admin" \
    "Stop:   Ctrl-C"
printf '\n'
set +e
"$CRM_SETUP/odoo.sh" -d "$db" --db-filter="^${db}\$" --http-interface="$interface" --http-port="$port" \
    --max-cron-threads=1
rc=$?
set -e
exit "$rc"
