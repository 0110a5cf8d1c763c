#!/usr/bin/env bash
# The test command of the CRM Intelligence Suite (what CI runs through .ci/run):
#   1. ruff on the whole repository                      (one check)
#   2. pylint-odoo on addons/ (.pylintrc)                 (one check, when there are addons)
#   3. pytest on tests/ (the engines)                     (each test counts)
#   4. when Odoo 19 is found: a fresh database (dropped at the end) with every installable suite
#      addon installed with --test-enable --test-tags /<module>,... : their tests and tours
#      (each test counts), plus one check "no WARNING/ERROR from the suite in the log" and,
#      when Chromium is installed, one check "no browser test skipped".
# Ends with one line "N passed, N failed[, N skipped]" and exits non-zero on any failure.
#
#   ./setup/test.sh [--no-odoo] [--keep-db] [--with-demo] [--fetch-odoo]
#   --fetch-odoo: when no Odoo 19 is found, shallow-clone it into .run/odoo-19.0 (CRM_SUITE_FETCH_ODOO=1)
# Environment: ODOO_SRC, CRM_SUITE_VENV, CRM_SUITE_PG, PG*, CRM_SUITE_TEST_PORT (8173).
set -uo pipefail
# shellcheck source=setup/lib.sh
source "$(dirname "$0")/lib.sh"

run_odoo=1 keep_db=0 with_demo=0
for arg in "$@"; do
    case "$arg" in
        --no-odoo) run_odoo=0 ;;
        --keep-db) keep_db=1 ;;
        --with-demo) with_demo=1 ;;
        --fetch-odoo) export CRM_SUITE_FETCH_ODOO=1 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) crm_die "unknown option '$arg' (see --help)" ;;
    esac
done

passed=0 failed=0 skipped=0
failures=()
# a fatal environment error (venv, PostgreSQL) still ends with the summary line
crm_die() {
    crm_err "$@"
    echo "$passed passed, $((failed + 1)) failed"
    exit 1
}
check_ok() { passed=$((passed + 1)); crm_ok "PASS: $1"; }
check_ko() { failed=$((failed + 1)); failures+=("$1"); crm_err "FAIL: $1"; }
section() { printf '\n%s== %s ==%s\n' "$_C_B" "$*" "$_C_0" >&2; }

cd "$CRM_REPO" || exit 2
crm_mkdirs
stamp="$(date +%Y%m%d-%H%M%S)"

section "environment"
odoo_ok=0
if [[ "$run_odoo" == 0 ]]; then
    crm_locate_odoo || true   # never download Odoo for a run that does not use it
    [[ -n "${CRM_ODOO_MODE:-}" ]] && odoo_ok=1
elif crm_find_odoo; then
    odoo_ok=1
elif [[ -n "${CRM_ODOO_FETCH_FAILED:-}" ]]; then
    crm_die "--fetch-odoo was asked for and could not provide Odoo 19 (see above)"
fi
[[ "$odoo_ok" == 1 ]] && crm_ok "Odoo 19: $ODOO_SRC ($CRM_ODOO_MODE)"
crm_ensure_venv
PY="$CRM_VENV_PY"
crm_ok "Python: $("$PY" -V 2>&1) in $CRM_VENV"
mapfile -t modules < <(crm_suite_addons)
crm_ok "suite addons: ${modules[*]:-(none)}"

# 1. ruff ---------------------------------------------------------------------------------------
section "ruff (whole repository)"
if "$PY" -m ruff check "$CRM_REPO"; then check_ok "ruff"; else check_ko "ruff"; fi

# 2. pylint-odoo --------------------------------------------------------------------------------
if [[ ${#modules[@]} -gt 0 ]]; then
    section "pylint-odoo (addons/)"
    addon_dirs=()
    for m in "${modules[@]}"; do addon_dirs+=("addons/$m"); done
    if "$PY" -m pylint --rcfile="$CRM_REPO/.pylintrc" "${addon_dirs[@]}"; then
        check_ok "pylint-odoo"
    else
        check_ko "pylint-odoo"
    fi
fi

# 3. pytest ---------------------------------------------------------------------------------------
section "pytest (tests/)"
pytest_log="$CRM_LOGS/pytest-$stamp-$$.log"
"$PY" -m pytest -p no:cacheprovider tests 2>&1 | tee "$pytest_log"
prc=${PIPESTATUS[0]}
# the final summary line, e.g. "==== 3 failed, 40 passed, 2 skipped, 1 error in 2.31s ===="
psum="$(grep -E '^=+ .*( in [0-9.]+s| no tests ran).* =+$' "$pytest_log" | tail -n 1)"
pcount() { grep -oE "[0-9]+ $1" <<<"$psum" | head -n 1 | cut -d' ' -f1; }
pp="$(pcount passed)"; pf="$(pcount failed)"; pe="$(pcount 'errors?')"; ps="$(pcount skipped)"
pp=${pp:-0}; pf=${pf:-0}; pe=${pe:-0}; ps=${ps:-0}
passed=$((passed + pp)); failed=$((failed + pf + pe)); skipped=$((skipped + ps))
(( pf + pe > 0 )) && failures+=("pytest: $pf failed, $pe errors")
if [[ "$prc" != 0 && "$prc" != 5 && $((pf + pe)) == 0 ]]; then
    check_ko "pytest exited with $prc (see $pytest_log)"
fi
[[ "$prc" == 5 ]] && crm_warn "pytest collected no test in tests/"

# 4. Odoo module tests ------------------------------------------------------------------------------
section "Odoo module tests"
odoo_skip_reason=""
if [[ "$run_odoo" == 0 ]]; then
    odoo_skip_reason="--no-odoo was given"
elif [[ "$odoo_ok" != 1 ]]; then
    odoo_skip_reason="Odoo 19 not found: $CRM_ODOO_WHY"
elif [[ ${#modules[@]} -eq 0 ]]; then
    odoo_skip_reason="there is no installable addon in addons/"
fi

if [[ -n "$odoo_skip_reason" ]]; then
    crm_banner "ODOO MODULE TESTS SKIPPED" \
        "Reason: $odoo_skip_reason" \
        "Only the static checks and the engine tests ran." \
        "Point ODOO_SRC at an Odoo 19.0 source tree (default /opt/odoo/19.0) to run them."
else
    crm_pg_ensure
    export CRM_PG_READY=1
    db="crm_suite_test_${stamp//-/_}_$$"
    odoo_log="$CRM_LOGS/odoo-test-$stamp-$$.log"
    cleanup() {
        if [[ -n "${db:-}" ]]; then
            if [[ "$keep_db" == 1 ]]; then
                crm_info "keeping database $db (--keep-db)"
            else
                crm_pgtool drop "$db" "$CRM_DATA_DIR" || crm_warn "could not drop test database $db"
            fi
        fi
        if [[ "${CRM_PG_STARTED:-}" == 1 ]]; then crm_pg_embedded_stop; fi
    }
    trap cleanup EXIT
    trap 'exit 130' INT TERM

    browser=""
    for b in "${ODOO_BROWSER_BIN:-}" google-chrome chromium chromium-browser google-chrome-stable; do
        [[ -n "$b" ]] && command -v "$b" >/dev/null 2>&1 && { browser="$(command -v "$b")"; break; }
    done
    port="${CRM_SUITE_TEST_PORT:-8173}"
    if ! "$PY" -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null; then
        newport="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
        crm_warn "port $port is busy: the test server uses port $newport"
        port="$newport"
    fi
    mods="$(IFS=,; echo "${modules[*]}")"
    tags="$(printf '/%s,' "${modules[@]}")"; tags="${tags%,}"
    demo=()
    [[ "$with_demo" == 1 ]] && demo=(--with-demo)
    crm_info "database $db: installing $mods with --test-tags $tags"
    crm_info "browser for tours: ${browser:-none}"
    crm_info "Odoo log: $odoo_log"
    t0=$SECONDS
    "$CRM_SETUP/odoo.sh" -d "$db" -i "$mods" "${demo[@]}" --test-enable --test-tags "$tags" \
        --stop-after-init --http-interface=127.0.0.1 --http-port="$port" --max-cron-threads=0 --workers=0 --log-level=info 2>&1 \
        | tee "$odoo_log" \
        | awk -v suite="Loading module ($(IFS='|'; echo "${modules[*]}")) " '
            # live progress: module loading, errors, warnings once the suite is loading, results
            / odoo\.modules\.loading: Loading module / { if ($0 ~ suite) ours = 1; show = 1 }
            / (ERROR|CRITICAL) / { show = 1 }
            / WARNING / && ours { show = 1 }
            /Starting post tests|odoo\.tests\.result: / { ours = 1; show = 1 }
            show { print substr($0, 1, 300); fflush(); show = 0 }' >&2
    orc=${PIPESTATUS[0]}
    crm_info "Odoo finished in $((SECONDS - t0))s with exit code $orc"

    browser_flag=()
    [[ -n "$browser" ]] && browser_flag=(--browser)
    analysis="$("$PY" "$CRM_SETUP/odoolog.py" "$odoo_log" --modules "$mods" "${browser_flag[@]}")"
    ran=0 o_passed=0 o_failed=0 o_skipped=0 complete=0 suite_warnings=0 tour_skips=0 other_warnings=0
    for kv in $analysis; do
        case "${kv%%=*}" in
            ran) ran=${kv#*=} ;; passed) o_passed=${kv#*=} ;; failed) o_failed=${kv#*=} ;;
            skipped) o_skipped=${kv#*=} ;; complete) complete=${kv#*=} ;;
            suite_warnings) suite_warnings=${kv#*=} ;; tour_skips) tour_skips=${kv#*=} ;;
            other_warnings) other_warnings=${kv#*=} ;;
        esac
    done
    passed=$((passed + o_passed)); failed=$((failed + o_failed)); skipped=$((skipped + o_skipped))
    crm_info "Odoo tests: $ran run, $o_passed passed, $o_failed failed/errors, $o_skipped skipped"
    if [[ "$complete" != 1 ]]; then
        failures+=("odoo: no test result in the log (installation failed?): $odoo_log")
    elif (( o_failed > 0 )); then
        failures+=("odoo: $o_failed failed tests (see $odoo_log)")
    fi
    if [[ "$orc" != 0 && "$o_failed" == 0 ]]; then
        check_ko "odoo exited with code $orc (see $odoo_log)"
    fi
    (( ran == 0 && complete == 1 )) && crm_warn "the suite's addons define no Odoo test"
    if (( suite_warnings > 0 )); then
        check_ko "odoo log: $suite_warnings WARNING/ERROR lines from the suite's modules (listed above)"
    else
        check_ok "odoo log: the suite's modules install without warnings"
    fi
    if [[ -n "$browser" && "$complete" == 1 ]]; then
        if (( tour_skips > 0 )); then
            check_ko "odoo: $tour_skips browser tests skipped although $browser is installed"
        else
            check_ok "odoo: no browser test skipped"
        fi
    elif (( tour_skips > 0 )); then
        crm_banner "BROWSER TESTS (TOURS) SKIPPED: no Chromium / Chrome found" \
            "Install one (Debian: apt-get install chromium) or set ODOO_BROWSER_BIN."
    fi
    crm_info "Odoo log kept in $odoo_log"
fi

# summary -----------------------------------------------------------------------------------------
section "summary"
if [[ ${#failures[@]} -gt 0 ]]; then
    crm_err "failures:"
    printf '  - %s\n' "${failures[@]}" >&2
fi
[[ -n "$odoo_skip_reason" ]] && crm_warn "Odoo module tests were SKIPPED: $odoo_skip_reason"
if (( skipped > 0 )); then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
(( failed == 0 ))
