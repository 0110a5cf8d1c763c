"""Time of the suite's customer facts query against the bare SQL aggregate over the same lines.

Creates (or with ``--reuse`` reuses) the database ``crm_bench``: a clean Odoo 19 with
``crm_suite_demo`` installed (the demo-only module that holds the bulk loader), no demo data;
then loads ``--customers`` customers and ``--lines`` posted invoice lines with the suite's bulk
loader (``crm.suite.bulk.loader``). It then times,
median of ``--runs`` runs after one warm-up each, both fetching every row into Python:

* facts: ``env['crm.suite.facts']._get_customer_facts(company, date_from, date_to)`` (revenue,
  cost with COGS / product cost, margin, line count per commercial partner and invoice date, as
  numpy arrays);
* bare: ``SELECT partner_id, date, SUM(balance), COUNT(*)`` over the same posted customer invoice
  and credit note product lines, grouped by partner and date;

and prints the ratio and the peak memory of the facts call (tracemalloc: Python and numpy
allocations) and of the process (maximum resident set size). It asserts nothing.

    .venv/bin/python bench/facts.py                       # 100k customers / 1M lines
    .venv/bin/python bench/facts.py --customers 10000 --lines 100000
    .venv/bin/python bench/facts.py --reuse               # time again on the existing data
"""

import argparse
import resource
import statistics
import sys
import time
import tracemalloc

from _odoo_env import database_exists, find_odoo, module_installed, odoo_env, prepare_database


def bare_aggregate(env, company_id, date_from, date_to):
    from odoo.tools import SQL

    env.cr.execute(SQL(
        """SELECT aml.partner_id, aml.date, SUM(aml.balance), COUNT(*)
             FROM account_move_line aml
             JOIN account_move am ON am.id = aml.move_id
            WHERE aml.company_id = %s AND aml.parent_state = 'posted' AND aml.display_type = 'product'
              AND am.move_type IN ('out_invoice', 'out_refund')
              AND aml.date BETWEEN %s AND %s
         GROUP BY aml.partner_id, aml.date""",
        company_id, date_from, date_to,
    ))
    return env.cr.fetchall()


def timed_runs(fn, runs):
    fn()  # warm-up: same cache state for both queries
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="crm_bench")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the database and its loaded data when they exist")
    parser.add_argument("--http-port", type=int, default=8171, help="port of the install run")
    args = parser.parse_args()

    odoo_src, odoo_cmd = find_odoo()
    reuse = args.reuse and database_exists(args.db) and module_installed(args.db, "crm_suite_demo")
    if not reuse:
        prepare_database(args.db, "crm_suite_demo", odoo_src, odoo_cmd, args.http_port)

    with odoo_env(args.db, odoo_src) as env:
        from odoo.tools import SQL

        company = env.company
        env.cr.execute(SQL("SELECT COUNT(*) FROM res_partner WHERE ref LIKE %s", "CSB%"))
        if not reuse or not env.cr.fetchone()[0]:
            print(f"loading {args.customers} customers / {args.lines} invoice lines ...", flush=True)
            start = time.perf_counter()
            # this database is the benchmark database: the loader may switch the FK triggers off
            env["ir.config_parameter"].sudo().set_param("crm_suite_demo.benchmark_database", env.cr.dbname)
            stats = env["crm.suite.bulk.loader"]._load_benchmark(
                n_customers=args.customers, n_lines=args.lines, seed=args.seed, skip_fk_checks=True)
            env.cr.commit()
            elapsed = time.perf_counter() - start
            print(f"loader: {stats['customers']} customers, {stats['moves']} moves, {stats['lines']} product "
                  f"lines in {elapsed:.1f} s ({stats['lines'] / elapsed:,.0f} lines/s) {stats['timings']}")
        env.cr.execute(SQL(
            """SELECT MIN(invoice_date), MAX(invoice_date), COUNT(*) FROM account_move
                WHERE company_id = %s AND state = 'posted' AND move_type IN ('out_invoice', 'out_refund')""",
            company.id))
        date_from, date_to, n_moves = env.cr.fetchone()
        env.cr.execute(SQL(
            """SELECT COUNT(*) FROM account_move_line WHERE company_id = %s AND display_type = 'product'
                 AND parent_state = 'posted'""", company.id))
        n_lines = env.cr.fetchone()[0]
        print(f"data: {n_moves} posted customer invoices / credit notes, {n_lines} product lines, "
              f"{date_from} .. {date_to}")
        Facts = env["crm.suite.facts"]

        def facts_call():
            return Facts._get_customer_facts(company, date_from, date_to)

        t_facts, all_facts, facts = timed_runs(facts_call, args.runs)
        t_bare, all_bare, rows = timed_runs(lambda: bare_aggregate(env, company.id, date_from, date_to),
                                            args.runs)
        tracemalloc.start()
        facts_call()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        env.cr.rollback()

    bare_revenue = -sum(float(r[2]) for r in rows)
    print(f"facts rows: {len(facts)}  bare rows: {len(rows)}  revenue facts {facts.revenue.sum():,.2f} "
          f"bare {bare_revenue:,.2f}")
    print(f"{'query':<8}{'median s':>10}   runs")
    print(f"{'facts':<8}{t_facts:>10.3f}   {', '.join(f'{t:.3f}' for t in all_facts)}")
    print(f"{'bare':<8}{t_bare:>10.3f}   {', '.join(f'{t:.3f}' for t in all_bare)}")
    print(f"ratio facts / bare: {t_facts / t_bare:.2f}x")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"peak memory of the facts call (tracemalloc): {peak / 2**20:.1f} MiB; "
          f"process max RSS: {rss_mb:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
