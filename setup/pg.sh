#!/usr/bin/env bash
# Embedded PostgreSQL cluster under .run/pg, for machines without a reachable server.
#   ./setup/pg.sh start|stop|status|env
# `env` prints the PG* variables of the server the scripts use (system or embedded).
set -euo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"
case "${1:-status}" in
    start) pg_embedded_start; echo "PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=$PGUSER" ;;
    stop) pg_embedded_stop ;;
    status)
        if pg_embedded_running; then echo "embedded PostgreSQL running (socket in $PG_EMBEDDED_DIR, port $PG_EMBEDDED_PORT)"
        else echo "embedded PostgreSQL not running"; fi ;;
    env) ensure_pg; echo "export PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-}  # $PG_MODE server" ;;
    *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
