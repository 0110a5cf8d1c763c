import datetime

from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestDemoService(AccountTestInvoicingCommon):
    """The demo's service cases: every kind, some breached, complaints recovered, ratings."""

    def test_service_cases(self):
        self.env.user.group_ids += self.env.ref("crm_suite_base.group_crm_intelligence_manager")
        today = datetime.date(2026, 6, 30)
        generator = self.env["crm.suite.demo.generator"]
        generator._generate(
            seed=42,
            n_customers=40,
            years=2,
            n_products=8,
            n_flow_orders=20,
            n_opportunities=4,
            today=today,
            run_hooks=False,
        )
        tickets = generator.sudo()._demo_service(self.env.company, today, n_cases=60)
        self.assertEqual(len(tickets), 60)
        self.assertEqual(
            set(tickets.mapped("case_kind")), {"inquiry", "complaint", "repair_return", "request"}
        )
        statuses = set(tickets.mapped("crm_sla_status"))
        self.assertIn("met", statuses)
        self.assertIn("breached", statuses)
        closed = tickets.filtered("closed")
        met = closed.filtered(lambda t: t.crm_sla_status == "met")
        self.assertGreater(len(met), len(closed) / 2, "most cases of the history were closed in time")
        self.assertTrue(tickets.credit_note_ids, "complaints recovered with credit notes")
        self.assertTrue(all(move.state == "posted" for move in tickets.credit_note_ids))
        self.assertTrue(tickets.filtered("recovery_cost"))
        ratings = self.env["rating.rating"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)]
        )
        self.assertGreater(len(ratings), 10)
        self.assertTrue(
            self.env["crm.service.csat.report"].sudo().search_count([("ticket_id", "in", tickets.ids)])
        )

    def test_call_center(self):
        """Six weeks of calls through the webhook's storage: a weekly rhythm, every outcome, callers
        matched, phone cases linked, agents' shifts (occupancy) and a computed staffing plan."""
        self.env.user.group_ids += self.env.ref("crm_suite_base.group_crm_intelligence_manager")
        today = datetime.date(2026, 6, 30)
        generator = self.env["crm.suite.demo.generator"]
        generator._generate(
            seed=42,
            n_customers=60,
            years=1,
            n_products=8,
            n_flow_orders=10,
            n_opportunities=2,
            today=today,
            run_hooks=False,
        )
        generator.sudo()._demo_service(self.env.company, today, n_cases=40)
        calls = self.env["crm.service.call"].sudo().search([("company_id", "=", self.env.company.id)])
        self.assertGreater(len(calls), 200)
        self.assertEqual(set(calls.mapped("state")), {"done"})
        self.assertEqual(set(calls.mapped("outcome")), {"answered", "abandoned", "transferred", "voicemail"})
        self.assertGreater(len(calls.filtered("partner_id")), len(calls) / 2)
        # the line's own rhythm (the calls that opened a case follow the cases' dates)
        line = calls.filtered(lambda c: not c.pbx_call_id.startswith("demo-case-"))
        mondays = line.filtered(lambda c: c.offered_at.weekday() == 0)
        fridays = line.filtered(lambda c: c.offered_at.weekday() == 4)
        self.assertGreater(len(mondays), len(fridays))
        self.assertFalse(line.filtered(lambda c: c.offered_at.weekday() == 6), "closed on Sundays")
        self.assertTrue(calls.filtered("ticket_id"))
        self.env.flush_all()
        [(occupancy,)] = (
            self.env["crm.service.occupancy.report"]
            .sudo()
            ._read_group([("company_id", "=", self.env.company.id)], [], ["occupancy:avg"])
        )
        self.assertGreater(occupancy, 0)
        plan = self.env["crm.service.staffing.plan"].sudo().search([("company_id", "=", self.env.company.id)])
        self.assertEqual(plan.state, "done")
        self.assertGreater(plan.peak_scheduled, 0)
