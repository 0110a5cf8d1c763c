import datetime

from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestDemoCapability(AccountTestInvoicingCommon):
    """The demo's two closed capability assessments (three assessors each) and its CRM project."""

    def test_two_closed_assessments_and_a_project(self):
        self.env.user.group_ids += self.env.ref("crm_suite_base.group_crm_intelligence_manager")
        today = datetime.date(2026, 6, 30)
        generator = self.env["crm.suite.demo.generator"]
        generator._generate(seed=3, n_customers=40, years=3, n_products=8, n_flow_orders=6, n_opportunities=8,
                            today=today, run_hooks=False)
        generator.sudo()._demo_capability(self.env.company, today)
        assessments = self.env["crm.capability.assessment"].search(
            [("company_id", "=", self.env.company.id)], order="date_to")
        self.assertEqual(len(assessments), 2)
        earlier, later = assessments
        self.assertEqual(set(assessments.mapped("state")), {"closed"})
        self.assertEqual(later.previous_id, earlier)
        self.assertEqual(later.date_to, today)
        for assessment in assessments:
            self.assertEqual(len(assessment.assessor_ids), 3)
            self.assertEqual(assessment.survey_id.sudo().answer_done_count, 3)
            judgments = assessment.judgment_ids
            self.assertTrue(judgments)
            self.assertEqual(set(judgments.mapped("state")), {"submitted"})
            self.assertTrue(all(judgments.mapped("is_consistent")))
            self.assertGreater(assessment.score, 50.0)
            self.assertTrue(assessment.grade)
        self.assertGreater(later.score, earlier.score, "the demo panel sees the front office improve")
        root = later.line_ids.filtered(lambda line: line.indicator_id.code == "CAP")
        self.assertEqual(root.weight_source, "ahp")
        retention = later.line_ids.filtered(lambda line: line.indicator_id.measure == "retention_rate")
        self.assertTrue(retention.available)
        project = self.env["crm.capability.project"].search([("company_id", "=", self.env.company.id)])
        self.assertEqual(len(project), 1)
        self.assertGreater(project.tco, 0)
