"""Full customer-lifecycle refresh against the bare facts query, on the benchmark data.

Uses the database of ``bench/facts.py`` (``crm_bench``: 100k customers / 1M posted invoice lines
by default; run that script first), installs ``crm_lifecycle_value`` there when missing, then
times, for the company's analysis window:

* facts: ``env['crm.suite.facts']._get_customer_facts(company)`` (median of ``--runs``);
* refresh: one complete manual refresh run (``crm.lifecycle.run``): facts, BG/NBD and Gamma-Gamma
  fits, holdout check, scoring in batches, stages, tiers, cohorts, bulk writes;

and prints the ratio (DESIGN.md target: at most 3x) with the peak memory of the refresh
(max RSS, target under 1 GB; ``--trace-memory`` adds the traced peak). The refresh is rolled back so
the database can be reused. It asserts nothing.

    .venv/bin/python bench/facts.py --reuse && .venv/bin/python bench/refresh.py
"""

import argparse
import resource
import subprocess
import sys
import time
import tracemalloc

from _odoo_env import addons_path, database_exists, find_odoo, module_installed, odoo_env
from facts import timed_runs


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
        company = env.company
        date_from, date_to = company._crm_intel_window()
        facts_call = lambda: env["crm.suite.facts"]._get_customer_facts(company, date_from, date_to)  # noqa: E731
        t_facts, all_facts, facts = timed_runs(facts_call, args.runs)
        print(f"window {date_from} .. {date_to}: {len(facts):,} (customer, day) rows, "
              f"{len(set(facts.partner_ids.tolist())):,} customers, {int(facts.line_count.sum()):,} lines")

        if args.trace_memory:
            tracemalloc.start()
        start = time.perf_counter()
        run = env["crm.lifecycle.run"].create({"company_id": company.id, "trigger": "manual"})
        run._execute()
        t_refresh = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] if args.trace_memory else 0
        tracemalloc.stop()
        values = env["crm.customer.value"].search_count([("company_id", "=", company.id)])
        print(f"refresh run: state {run.state}, {values:,} customer values, "
              f"log-likelihood {run.log_likelihood if 'log_likelihood' in run._fields else 'n/a'}")
        env.cr.rollback()

    print(f"{'step':<9}{'seconds':>9}")
    print(f"{'facts':<9}{t_facts:>9.2f}   (median of {', '.join(f'{t:.2f}' for t in all_facts)})")
    print(f"{'refresh':<9}{t_refresh:>9.2f}")
    print(f"ratio refresh / facts: {t_refresh / t_facts:.2f}x (target <= 3x)")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    if peak:
        print(f"peak traced memory of the refresh: {peak / 2**20:.0f} MiB; process max RSS: {rss_mb:.0f} MiB")
    else:
        print(f"process max RSS: {rss_mb:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
