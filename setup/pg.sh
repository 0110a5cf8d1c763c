#!/usr/bin/env bash
# PostgreSQL for the suite: a reachable server (PGHOST/PGPORT/PGUSER or the local socket), else an
# embedded cluster under .run/pg (unix socket only, started with the installed initdb / pg_ctl).
#
#   ./setup/pg.sh start    start the embedded cluster (or report the reachable server used instead)
#   ./setup/pg.sh stop     stop the embedded cluster
#   ./setup/pg.sh status   which server the scripts use
#   ./setup/pg.sh env      print export lines for it:  eval "$(./setup/pg.sh env)"
#
# CRM_SUITE_PG=embedded forces the embedded cluster even when a server is reachable.
set -euo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"

crm_ensure_venv   # psycopg2 for the connection probe

case "${1:-status}" in
    start)
        crm_pg_ensure
        ;;
    stop)
        if crm_pg_embedded_running; then
            crm_pg_embedded_stop
            crm_ok "embedded PostgreSQL stopped"
        else
            crm_info "embedded PostgreSQL ($CRM_PG_DIR) is not running"
        fi
        ;;
    status)
        if crm_pg_embedded_running; then
            crm_pg_embedded_env
            echo "embedded: running ($CRM_PG_DIR, socket $PGHOST, port $PGPORT, user $PGUSER)"
        else
            echo "embedded: not running ($CRM_PG_DIR)"
        fi
        if [[ "${CRM_SUITE_PG:-auto}" != embedded ]] && crm_pg_probe; then
            echo "server: ${PGHOST:-local socket}${PGPORT:+:$PGPORT} accepts ${PGUSER:-$(id -un)} (used by the scripts)"
        fi
        ;;
    env)
        crm_pg_ensure >&2
        printf 'export PGHOST=%q PGPORT=%q PGUSER=%q\n' "${PGHOST:-}" "${PGPORT:-}" "${PGUSER:-}"
        ;;
    *)
        sed -n '2,11p' "$0" >&2
        exit 2
        ;;
esac
