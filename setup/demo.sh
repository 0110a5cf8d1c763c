#!/usr/bin/env bash
# Build the demo database and serve it:
#   ./setup/demo.sh            creates database crm_demo with crm_suite and its demo data, serves :8069
#   ./setup/demo.sh --reset    drops crm_demo first
#   ./setup/demo.sh --no-serve only builds the database
# CRM_SUITE_DEMO_DB (default crm_demo), CRM_SUITE_HTTP_PORT (default 8069).
set -euo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"
reset=0 serve=1
for arg in "$@"; do
    case "$arg" in
        --reset) reset=1 ;;
        --no-serve) serve=0 ;;
        -h|--help) sed -n 2,7p "$0"; exit 0 ;;
        *) die "unknown option $arg" ;;
    esac
done
db=${CRM_SUITE_DEMO_DB:-crm_demo}
port=${CRM_SUITE_HTTP_PORT:-8069}
module=${CRM_SUITE_DEMO_MODULE:-crm_suite}

find_odoo || { odoo_help; exit 2; }
ensure_venv
ensure_pg
mkdir -p "$RUN_DIR/logs"

installed() {
    psql -X -Atqc "select state from ir_module_module where name = '$module'" "$db" 2>/dev/null | grep -qx installed
}
if [ "$reset" = 1 ]; then dropdb --if-exists "$db"; fi
if installed; then
    log "database $db already has $module installed (use --reset to rebuild it)"
else
    dropdb --if-exists "$db"
    log "creating database $db with $module and its demo data (a few minutes)"
    start=$(date +%s)
    odoo_run -d "$db" -i "$module" --with-demo --stop-after-init \
        --log-level=warn --logfile="$RUN_DIR/logs/demo-install.log" \
        || die "installing $module failed: see $RUN_DIR/logs/demo-install.log"
    installed || die "$module is not installed in $db: see $RUN_DIR/logs/demo-install.log"
    log "demo database built in $(( $(date +%s) - start )) s"
fi
if [ "$serve" = 1 ]; then
    echo
    echo "  CRM Intelligence Suite demo:  http://localhost:$port/odoo/crm   (login: admin / password: admin)"
    echo "  Stop with Ctrl-C."
    echo
    exec "${ODOO_MAIN[@]}" --addons-path="$ODOO_SRC/addons,$REPO/addons" -d "$db" --db-filter="^$db\$" --http-port "$port"
fi
