#!/usr/bin/env bash
# Run Odoo 19 with the project's venv, the suite's addons path and the database settings.
#   ./setup/odoo.sh -d mydb -u crm_suite_base --stop-after-init
set -euo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"
find_odoo || { odoo_help; exit 2; }
ensure_venv
ensure_pg
odoo_run "$@"
