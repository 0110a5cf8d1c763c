#!/usr/bin/env bash
# The test command of the CRM Intelligence Suite (what CI runs):
#   1. ruff on the whole repository
#   2. pylint-odoo on addons/
#   3. pytest on tests/ (the engines)
#   4. when Odoo 19 is found: a fresh database with every suite addon installed with --test-enable
#      (their TransactionCase / HttpCase tests and tours); the log must hold no warning from the suite
# Ends with one line "N passed, N failed" and exits non-zero on any failure.
# Options: --no-odoo (skip step 4), --keep-db (keep the test database).
set -uo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"

run_odoo=1 keep_db=0
for arg in "$@"; do
    case "$arg" in
        --no-odoo) run_odoo=0 ;;
        --keep-db) keep_db=1 ;;
        -h|--help) sed -n 2,9p "$0"; exit 0 ;;
        *) die "unknown option $arg" ;;
    esac
done

passed=0 failed=0 skipped=0
failures=()
ok() { passed=$((passed + 1)); log "PASS $1"; }
ko() { failed=$((failed + 1)); failures+=("$1"); log "FAIL $1"; }

find_odoo || true
ensure_venv
cd "$REPO" || exit 2
mkdir -p "$RUN_DIR/logs"
PY="$VENV/bin/python"

# 1. ruff
if "$PY" -m ruff check .; then ok "ruff"; else ko "ruff"; fi

# 2. pylint-odoo
mapfile -t addon_dirs < <(for d in addons/*/; do [ -f "$d/__manifest__.py" ] && echo "${d%/}"; done)
if [ ${#addon_dirs[@]} -gt 0 ]; then
    if "$PY" -m pylint --rcfile="$REPO/.pylintrc" "${addon_dirs[@]}"; then ok "pylint-odoo"; else ko "pylint-odoo"; fi
fi

# 3. pytest (engines)
pytest_log="$RUN_DIR/logs/pytest.log"
"$PY" -m pytest -q tests 2>&1 | tee "$pytest_log"
rc=${PIPESTATUS[0]}
summary=$(grep -E '^(=+ )?[0-9]+ (passed|failed|error|skipped)' "$pytest_log" | tail -n 1)
n() { echo "$summary" | grep -oE "[0-9]+ $1" | head -n 1 | cut -d' ' -f1; }
p=$(n passed); f=$(n failed); e=$(n error); s=$(n skipped)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${s:-0}))
if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ] && [ -z "$f$e" ]; then ko "pytest (exit $rc)"; fi
[ -n "$f$e" ] && failures+=("pytest: ${f:-0} failed, ${e:-0} errors")

# 4. Odoo module tests
banner() {
    local line="****************************************************************************"
    printf '\n%s\n*  %s\n*  %s\n%s\n\n' "$line" "$1" "$2" "$line"
}
if [ "$run_odoo" = 0 ]; then
    banner "ODOO MODULE TESTS SKIPPED (--no-odoo)." "Only the static checks and the engine tests ran."
elif [ "$ODOO_FOUND" != 1 ]; then
    banner "ODOO MODULE TESTS SKIPPED: Odoo 19 was not found." "$ODOO_WHY. Set ODOO_SRC to an Odoo 19.0 tree to run them."
elif [ ${#addon_dirs[@]} -eq 0 ]; then
    banner "ODOO MODULE TESTS SKIPPED: no addon in addons/." ""
else
    ensure_pg
    mapfile -t modules < <(suite_modules)
    mods=$(IFS=,; echo "${modules[*]}")
    tags=$(printf '/%s,' "${modules[@]}"); tags=${tags%,}
    db="crm_suite_test_$$"
    odoo_log="$RUN_DIR/logs/odoo-tests.log"
    cleanup() { [ "$keep_db" = 1 ] || dropdb --if-exists "$db" >/dev/null 2>&1; }
    trap cleanup EXIT
    dropdb --if-exists "$db" >/dev/null 2>&1
    port=${CRM_SUITE_TEST_HTTP_PORT:-$((18069 + $$ % 1000))}
    log "installing and testing $mods in database $db (log: $odoo_log)"
    start=$(date +%s)
    odoo_run -d "$db" -i "$mods" --test-enable --test-tags "$tags" --stop-after-init \
        --http-port "$port" --log-level=info --logfile="$odoo_log" --max-cron-threads=0
    orc=$?
    log "Odoo run finished in $(( $(date +%s) - start )) s with exit code $orc"
    result=$(grep -E 'odoo\.tests\.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$odoo_log" | tail -n 1)
    if [ -z "$result" ]; then
        ko "odoo: no test result in the log (install failed?)"
        grep -E ' (ERROR|CRITICAL) ' "$odoo_log" | tail -n 20
    else
        of=$(echo "$result" | sed -E 's/.*: ([0-9]+) failed, ([0-9]+) error.*of ([0-9]+) tests.*/\1 \2 \3/')
        read -r o_failed o_errors o_total <<<"$of"
        o_skipped=$(grep -cE 'odoo\.addons\..* skipped ' "$odoo_log" || true)
        passed=$((passed + o_total - o_failed - o_errors - o_skipped))
        failed=$((failed + o_failed + o_errors))
        skipped=$((skipped + o_skipped))
        [ "$o_total" -gt 0 ] || ko "odoo: ran no test"
        [ $((o_failed + o_errors)) -eq 0 ] || failures+=("odoo: $o_failed failed, $o_errors errors (see $odoo_log)")
        grep -E '^(FAIL|ERROR): ' "$odoo_log" | head -n 30
    fi
    [ "$orc" -eq 0 ] || ko "odoo exited with $orc"
    # Warnings the suite causes (module loading, views, fields, access rules, tests).
    suite_re="$(IFS='|'; echo "${modules[*]}")|crm\.suite|crm\.customer|crm\.lifecycle"
    warnings=$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$odoo_log" | grep -E "$suite_re" \
        | grep -vE 'odoo\.tests\.result|\.tests\.(test_|common)' || true)
    if [ -n "$warnings" ]; then
        echo "$warnings" | head -n 40
        ko "odoo log: $(echo "$warnings" | wc -l) warning/error lines from the suite"
    else
        ok "odoo log free of suite warnings"
    fi
    # Odoo skips a tour silently when the browser or websocket-client is missing.
    if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
        || command -v google-chrome >/dev/null 2>&1; then
        if grep -qE 'Chrome executable not found|websocket-client module is not installed|Could not start Chrome|chrome.*(failed|unavailable)' "$odoo_log"; then
            ko "tours skipped although Chromium is installed (see $odoo_log)"
        fi
    else
        banner "TOURS SKIPPED: no Chromium/Chrome in PATH." "Install Debian's chromium to run the browser tours."
    fi
    log "Odoo log: $odoo_log"
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
    log "failures:"; printf '  - %s\n' "${failures[@]}" >&2
fi
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
