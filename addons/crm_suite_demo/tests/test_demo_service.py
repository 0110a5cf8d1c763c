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
