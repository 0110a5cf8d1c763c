#!/usr/bin/env bash
# Run Odoo 19 with the project's Python (venv), the suite's addons path, a data dir under .run/
# and the PostgreSQL the setup scripts use (a reachable server, else the embedded cluster).
#
#   ./setup/odoo.sh -d mydb -u crm_suite_base --stop-after-init
#   ./setup/odoo.sh -d mydb --dev=xml                     # serve on :8069
#   ./setup/odoo.sh shell -d mydb
#
# Our --addons-path / --data-dir / --db_* options are added unless you pass your own
# (or a config file with -c). Extra addons directories (Enterprise...): ODOO_ADDONS_EXTRA.
# If this script starts the embedded PostgreSQL it leaves it running: ./setup/pg.sh stop.
set -euo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"

crm_require_odoo
crm_ensure_venv
if [[ -z "${CRM_PG_READY:-}" ]]; then
    crm_pg_ensure
    if [[ "${CRM_PG_STARTED:-}" == 1 ]]; then
        crm_info "embedded PostgreSQL started for this session; stop it with ./setup/pg.sh stop"
    fi
fi

if [[ "$CRM_ODOO_MODE" == src ]]; then
    cmd=("$CRM_VENV_PY" "$ODOO_SRC/odoo-bin")
else
    cmd=("$CRM_VENV_PY" -m odoo)
fi

sub=()
if [[ $# -gt 0 && "$1" != -* ]]; then
    sub=("$1")
    shift
fi
case "${sub[0]:-server}" in
    server|shell|start) inject=1 ;;
    *) inject=0 ;;   # other sub-commands (db, scaffold, i18n...) get their arguments untouched
esac

opts=()
if [[ "$inject" == 1 ]]; then
    has() { local a; for a in "${args[@]}"; do [[ "$a" == "$1" || "$a" == "$1="* ]] && return 0; done; return 1; }
    args=("$@")
    if ! has -c && ! has --config; then
        has --addons-path || opts+=("--addons-path=$(crm_addons_path)")
        if ! has -D && ! has --data-dir; then
            mkdir -p "$CRM_DATA_DIR"
            opts+=("--data-dir=$CRM_DATA_DIR")
        fi
        has --db_host || [[ -z "${PGHOST:-}" ]] || opts+=("--db_host=$PGHOST")
        has --db_port || [[ -z "${PGPORT:-}" ]] || opts+=("--db_port=$PGPORT")
        has --db_user || has -r || [[ -z "${PGUSER:-}" ]] || opts+=("--db_user=$PGUSER")
    fi
fi

exec "${cmd[@]}" "${sub[@]}" "${opts[@]}" "$@"
