"""Service center: SLA status and escalation over many open cases.

    .venv/bin/python bench/service.py                       # 100,000 open cases
    .venv/bin/python bench/service.py --cases 10000 --reuse

1. (Re)creates the database ``crm_bench_service`` with ``crm_callcenter_service`` (no demo data;
   ``--reuse`` keeps it and its cases).
2. Writes ``--cases`` open cases of one team, each with one resolution SLA line, in set-based SQL:
   deadlines and at-risk moments spread around now so that some cases are on track, some at risk,
   some breached (``--escalate-share`` of them newly at risk or breached, not escalated yet).
3. Times, after a warm-up, ``_crm_update_open_sla_status()`` (all open cases) (one ``UPDATE``), a second
   run where nothing changed, and the escalation cron ``_cron_crm_escalate()``; prints the SQL query
   counts (constant in the number of cases for the status update) and, as the baseline, the
   ``sla_expired`` flag of ``helpdesk_mgmt_sla`` read for the same cases (computed record by record
   in Python). Each run is rolled back. No timing is asserted.
"""

import argparse
import time

from _odoo_env import find_odoo, module_installed, odoo_env, prepare_database

MODULE = "crm_callcenter_service"


def _load(env, n_cases, escalate_share):
    from odoo.tools import SQL

    company = env.company
    team = env["helpdesk.ticket.team"].create({
        "name": "Bench team", "company_id": company.id, "use_sla": True,
        "resource_calendar_id": company.resource_calendar_id.id, "user_id": env.user.id})
    stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
    sla = env["helpdesk.sla"].create({"name": "Bench SLA", "team_ids": [(6, 0, team.ids)], "hours": 16,
                                      "stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id})
    env.flush_all()
    cr = env.cr
    cr.execute(SQL(
        """INSERT INTO helpdesk_ticket (name, description, number, stage_id, team_id, company_id, priority,
                                        active, rating_status, create_date, write_date, create_uid, write_uid)
           SELECT 'Case ' || g, '<p>.</p>', 'B' || g, %s, %s, %s, '1', TRUE, 'no_rate',
                  now() at time zone 'utc' - (g %% 240) * interval '1 hour', now() at time zone 'utc', 1, 1
             FROM generate_series(1, %s) g""", stage.id, team.id, company.id, n_cases))
    # deadlines from 10 days ago to 10 days ahead; at risk 4 working hours before; the share to
    # escalate has not been escalated yet, the others were
    cr.execute(SQL(
        """INSERT INTO helpdesk_ticket_sla (ticket_id, sla_id, company_id, hours, state, deadline, at_risk_at,
                                            create_date, write_date)
           SELECT t.id, %s, t.company_id, 16, 'in_progress',
                  now() at time zone 'utc' + ((t.id %% 480) - 240) * interval '1 hour',
                  now() at time zone 'utc' + ((t.id %% 480) - 244) * interval '1 hour',
                  now() at time zone 'utc', now() at time zone 'utc'
             FROM helpdesk_ticket t WHERE t.team_id = %s""", sla.id, team.id))
    done = round(1000 * escalate_share)
    cr.execute(SQL(
        """UPDATE helpdesk_ticket
              SET crm_escalated_risk = (id %% 1000) >= %s, crm_escalated_breach = (id %% 1000) >= %s
            WHERE team_id = %s""", done, done, team.id))
    cr.commit()
    return team


def _timed(cr, fn):
    before = cr.sql_log_count
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, cr.sql_log_count - before, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="crm_bench_service")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--escalate-share", type=float, default=0.01)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--http-port", type=int, default=8172)
    args = parser.parse_args()
    odoo_src, odoo_cmd = find_odoo()
    if not (args.reuse and module_installed(args.db, MODULE)):
        prepare_database(args.db, MODULE, odoo_src, odoo_cmd, args.http_port)
    with odoo_env(args.db, odoo_src) as env:
        Ticket = env["helpdesk.ticket"]
        if not Ticket.search_count([("team_id.name", "=", "Bench team")]):
            start = time.perf_counter()
            _load(env, args.cases, args.escalate_share)
            print(f"loaded {args.cases:,} open cases in {time.perf_counter() - start:.1f} s")
        tickets = Ticket.search([("team_id.name", "=", "Bench team")])
        n = len(tickets)
        cr = env.cr
        Ticket._crm_update_open_sla_status()  # warm-up
        cr.rollback()
        env.invalidate_all()
        first, q_first, changed = _timed(cr, Ticket._crm_update_open_sla_status)
        again, q_again, unchanged = _timed(cr, Ticket._crm_update_open_sla_status)
        escalation, q_escalation, escalated = _timed(cr, Ticket._cron_crm_escalate)
        cr.rollback()
        env.invalidate_all()
        baseline, q_baseline, _flags = _timed(cr, lambda: Ticket.browse(tickets.ids).mapped("sla_expired"))
        cr.rollback()
        print(f"{n:,} open cases")
        print(f"status update, first:          {first:7.2f} s  {q_first:4d} queries  ({len(changed):,} "
              "changed)")
        print(f"status update, nothing to do:  {again:7.2f} s  {q_again:4d} queries  ({len(unchanged):,} "
              "changed)")
        print(f"escalation cron:               {escalation:7.2f} s  {q_escalation:4d} queries  "
              f"({escalated:,} cases escalated, {1000 * escalation / max(escalated, 1):.1f} ms each)")
        print(f"baseline, OCA sla_expired read: {baseline:7.2f} s  {q_baseline:4d} queries")
        print(f"ratio status update / baseline: {first / baseline:.2f}")


if __name__ == "__main__":
    main()
