#!/usr/bin/env bash
# Refresh the translation files of suite addons: export each addon's template
# (addons/<module>/i18n/<module>.pot) from a scratch database with Odoo's own exporter, then merge
# every existing zh_CN.po with it (msgmerge keeps the translations, marks changed ones fuzzy) and
# list the messages still untranslated.
#
#   ./setup/i18n.sh                      every suite addon
#   ./setup/i18n.sh crm_suite_base ...   only these
#
# The scratch database crm_i18n_<pid> is created with the addons installed (no demo data) and
# dropped at the end. Needs gettext (msgmerge, msgattrib; Debian: apt-get install gettext).
set -euo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"

crm_require_odoo
crm_ensure_venv
command -v msgmerge >/dev/null 2>&1 || crm_apt_install gettext \
    || crm_die "msgmerge not found: install gettext (Debian: apt-get install gettext)"
crm_mkdirs
if [[ $# -gt 0 ]]; then
    modules=("$@")
else
    mapfile -t modules < <(crm_suite_addons)
fi
for m in "${modules[@]}"; do
    [[ -f "$CRM_REPO/addons/$m/__manifest__.py" ]] || crm_die "no suite addon named '$m'"
done
crm_pg_ensure
export CRM_PG_READY=1
db="crm_i18n_$$"
conf="$(mktemp)"
cleanup() {
    rm -f "$conf"
    crm_pgtool drop "$db" "$CRM_DATA_DIR" || true
    if [[ "${CRM_PG_STARTED:-}" == 1 ]]; then crm_pg_embedded_stop; fi
}
trap cleanup EXIT
{
    printf '[options]\naddons_path = %s\ndata_dir = %s\n' "$(crm_addons_path)" "$CRM_DATA_DIR"
    [[ -n "${PGHOST:-}" ]] && printf 'db_host = %s\n' "$PGHOST"
    [[ -n "${PGPORT:-}" ]] && printf 'db_port = %s\n' "$PGPORT"
    [[ -n "${PGUSER:-}" ]] && printf 'db_user = %s\n' "$PGUSER"
} >"$conf"
mods="$(IFS=,; echo "${modules[*]}")"
log="$CRM_LOGS/i18n-$(date +%Y%m%d-%H%M%S).log"
crm_info "installing $mods into the scratch database $db (log: $log)"
"$CRM_SETUP/odoo.sh" -c "$conf" -d "$db" -i "$mods" --stop-after-init --max-cron-threads=0 \
    >"$log" 2>&1 || crm_die "installing the addons failed; see $log"
if [[ "$CRM_ODOO_MODE" == src ]]; then
    odoo=("$CRM_VENV_PY" "$ODOO_SRC/odoo-bin")
else
    odoo=("$CRM_VENV_PY" -m odoo)
fi
for m in "${modules[@]}"; do
    dir="$CRM_REPO/addons/$m/i18n"
    mkdir -p "$dir"
    "${odoo[@]}" i18n export -c "$conf" -d "$db" -l pot -o "$dir/$m.pot" "$m" >>"$log" 2>&1 \
        || crm_die "exporting $m failed; see $log"
    po="$dir/zh_CN.po"
    if [[ -f "$po" ]]; then
        msgmerge --quiet --update --backup=none --no-fuzzy-matching --width=79 "$po" "$dir/$m.pot"
    else
        msginit --no-translator --no-wrap --locale=zh_CN.UTF-8 --input="$dir/$m.pot" --output-file="$po" \
            >/dev/null 2>&1
    fi
    untranslated="$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)"
    fuzzy="$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)"
    # msgattrib counts the header entry as a msgid
    untranslated=$(( untranslated > 0 ? untranslated - 1 : 0 ))
    fuzzy=$(( fuzzy > 0 ? fuzzy - 1 : 0 ))
    crm_ok "$m: $dir/$m.pot exported; zh_CN.po merged ($untranslated untranslated, $fuzzy fuzzy)"
done
