import datetime

from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestDemoPrediction(AccountTestInvoicingCommon):
    """The demo's predictive mining: a churn run, cross-sell rules with an out-of-stock companion
    never suggested, a response model with rules."""

    def test_prediction_demo(self):
        self.env.user.group_ids += self.env.ref(
            "crm_suite_base.group_crm_intelligence_manager"
        ) + self.env.ref("sales_team.group_sale_manager")
        today = datetime.date(2026, 6, 30)
        generator = self.env["crm.suite.demo.generator"]
        generator._generate(
            seed=42,
            n_customers=90,
            years=3,
            n_products=40,
            n_flow_orders=10,
            n_opportunities=4,
            today=today,
            run_hooks=False,
        )
        company = self.env.company
        generator.sudo()._demo_prediction(company, today, n_orders=220)
        churn = self.env["crm.churn.run"].search([("company_id", "=", company.id), ("published", "=", True)])
        self.assertEqual(churn.state, "done")
        self.assertTrue(churn.customer_count)
        self.assertTrue(churn.high_risk_count + churn.medium_risk_count)
        rules = self.env["crm.cross.sell.rule"].search([("published", "=", True), ("level", "=", "product")])
        names = {(r.antecedent_names, r.consequent_names) for r in rules}
        desk = self.env["product.product"].search(
            [("default_code", "=like", "CSD-%"), ("name", "=", "Standing Desk")]
        )
        arm = self.env["product.product"].search(
            [("default_code", "=like", "CSD-%"), ("name", "=", "Monitor Arm")]
        )
        self.assertIn((desk.display_name, arm.display_name), names, "the out-of-stock companion has its rule")
        quotation = self.env["sale.order"].create(
            {
                "partner_id": churn.env["crm.churn.member"].search([], limit=1).partner_id.id,
                "order_line": [(0, 0, {"product_id": desk.id})],
            }
        )
        suggested = {row["name"] for row in quotation.crm_suggested_products or []}
        self.assertNotIn(arm.display_name, suggested)
        self.assertTrue(suggested, "products in stock are suggested")
        response = self.env["crm.response.run"].search([("published", "=", True)])
        self.assertEqual(response.state, "done")
        self.assertEqual(len(response.campaign_ids), 2)
        self.assertGreater(response.responder_count, 5)
        self.assertGreaterEqual(len(response.rule_ids), 2)
