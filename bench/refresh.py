"""Full customer-lifecycle refresh against the bare SQL aggregate, on the benchmark data.

Uses the database of ``bench/facts.py`` (``crm_bench``: 100k customers / 1M posted invoice lines
by default; run that script first), installs ``crm_lifecycle_value`` there when missing, then
times, for the company's analysis window:

* bare: ``SELECT partner_id, date, SUM(balance), COUNT(*)`` over the same posted customer invoice
  and credit note lines (``bench/facts.py``), the baseline of DESIGN.md section 4 (median of
  ``--runs``);
* facts: ``env['crm.suite.facts']._get_customer_facts(company)`` (median of ``--runs``);
* first refresh: a complete manual refresh run (``crm.lifecycle.run``) when the company has no
  published values (all its runs and retention activities deleted first, inside the
  transaction): facts, BG/NBD and
  Gamma-Gamma fits, holdout check, scoring, tiers, one line per customer written in batches,
  a stage history row and possibly a retention activity per customer, cohorts;
* nightly refresh: the same run again, on top of the first one's published values (the steady
  state of the nightly scheduled refresh: every customer's figures are rewritten, only the
  stage changes go to the history);

each followed by ``env.flush_all()`` (pending ORM writes are part of the work), and prints both
ratios to the bare aggregate (DESIGN.md target: at most 3x) and the peak memory of the process
(max RSS, target under 1 GB; ``--trace-memory`` adds the traced peak). Everything is rolled back
so the database can be reused. It asserts nothing. Python modules (scipy) are imported once
before timing, as in a running server.

    .venv/bin/python bench/facts.py --reuse && .venv/bin/python bench/refresh.py
"""

import argparse
import resource
import subprocess
import sys
import time
import tracemalloc

from _odoo_env import addons_path, database_exists, find_odoo, module_installed, odoo_env
from facts import bare_aggregate, timed_runs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="crm_bench")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--http-port", type=int, default=8171, help="port of the install run")
    parser.add_argument("--trace-memory", action="store_true",
                        help="also trace Python/numpy allocations of the refresh (slows it down)")
    args = parser.parse_args()

    odoo_src, odoo_cmd = find_odoo()
    if not database_exists(args.db):
        sys.exit(f"database {args.db} does not exist: run bench/facts.py first (it loads the data)")
    if not module_installed(args.db, "crm_lifecycle_value"):
        print(f"installing crm_lifecycle_value in {args.db} ...", flush=True)
        subprocess.run([*odoo_cmd, f"--addons-path={addons_path(odoo_src)}", "-d", args.db,
                        "-i", "crm_lifecycle_value", "--stop-after-init", "--http-port", str(args.http_port),
                        "--log-level=warn"], check=True, stdout=subprocess.DEVNULL)

    with odoo_env(args.db, odoo_src) as env:
        import crm_lifecycle  # noqa: F401  (scipy import: once per server process)

        company = env.company
        date_from, date_to = company._crm_intel_window()
        facts_call = lambda: env["crm.suite.facts"]._get_customer_facts(company, date_from, date_to)  # noqa: E731
        bare_call = lambda: bare_aggregate(env, company.id, date_from, date_to)  # noqa: E731
        t_bare, all_bare, _rows = timed_runs(bare_call, args.runs)
        t_facts, all_facts, facts = timed_runs(facts_call, args.runs)
        print(f"window {date_from} .. {date_to}: {len(facts):,} (customer, day) rows, "
              f"{len(set(facts.partner_ids.tolist())):,} customers, {int(facts.line_count.sum()):,} lines")

        env["crm.lifecycle.run"].search([("company_id", "=", company.id)]).unlink()
        env["mail.activity"].search([("crm_lifecycle_reason", "!=", False)]).unlink()
        env.flush_all()
        if args.trace_memory:
            tracemalloc.start()
        timings = {}
        for label in ("first refresh", "nightly refresh"):
            start = time.perf_counter()
            run = env["crm.lifecycle.run"].create({"company_id": company.id, "trigger": "manual"})
            run._execute()
            env.flush_all()
            timings[label] = time.perf_counter() - start
            print(f"{label}: state {run.state}, {run.message.splitlines()[-1]}")
        peak = tracemalloc.get_traced_memory()[1] if args.trace_memory else 0
        tracemalloc.stop()
        env.cr.rollback()

    print(f"{'step':<16}{'seconds':>9}{'/ bare':>9}")
    print(f"{'bare aggregate':<16}{t_bare:>9.2f}{1:>8.2f}x   "
          f"(median of {', '.join(f'{t:.2f}' for t in all_bare)})")
    print(f"{'facts':<16}{t_facts:>9.2f}{t_facts / t_bare:>8.2f}x   "
          f"(median of {', '.join(f'{t:.2f}' for t in all_facts)})")
    for label, seconds in timings.items():
        print(f"{label:<16}{seconds:>9.2f}{seconds / t_bare:>8.2f}x")
    print("target (DESIGN.md section 4): full refresh <= 3x the bare aggregate")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    if peak:
        print(f"peak traced memory of the refreshes: {peak / 2**20:.0f} MiB; "
              f"process max RSS: {rss_mb:.0f} MiB")
    else:
        print(f"process max RSS: {rss_mb:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
