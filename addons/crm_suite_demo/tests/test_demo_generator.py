import datetime

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestDemoGenerator(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("crm_suite_base.group_crm_intelligence_manager")
        cls.today = datetime.date(2026, 6, 30)
        cls.Generator = cls.env["crm.suite.demo.generator"]
        cls.stats = cls.Generator._generate(
            seed=7, n_customers=20, years=1, n_products=12, n_flow_orders=4, n_opportunities=5,
            refund_rate=0.1, today=cls.today, run_hooks=False,
        )
        cls.moves = cls.env["account.move"].browse(cls.stats["move_ids"])

    def test_counts(self):
        stats = self.stats
        self.assertEqual(stats["customers"], 20)
        self.assertEqual(stats["products"], 12)
        self.assertGreater(stats["invoices"], 20)
        self.assertGreaterEqual(stats["refunds"], 1)
        self.assertEqual(stats["orders"], 4)
        self.assertGreater(stats["payments"], 0)
        self.assertEqual(stats["opportunities"], 5 + 1, "five for customers, one for a prospect")

    def test_moves_posted_and_balanced(self):
        self.assertTrue(self.moves)
        self.assertEqual(set(self.moves.mapped("state")), {"posted"})
        self.assertEqual(set(self.moves.mapped("move_type")), {"out_invoice", "out_refund"})
        for move in self.moves:
            self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0.0, places=2, msg=move.name)
            self.assertTrue(self.today - datetime.timedelta(days=370) <= move.invoice_date <= self.today)
        self.assertTrue(self.moves.filtered(lambda m: m.move_type == "out_refund").reversed_entry_id)

    def test_payments_reconciled(self):
        invoices = self.moves.filtered(lambda m: m.move_type == "out_invoice")
        paid = invoices.filtered(lambda m: m.payment_state in ("paid", "in_payment"))
        self.assertTrue(paid, "older invoices are paid")
        for move in paid:
            self.assertTrue(move.currency_id.is_zero(move.amount_residual))
        recent = invoices.filtered(lambda m: m.invoice_date > self.today - datetime.timedelta(days=45))
        refunded = self.moves.reversed_entry_id
        self.assertTrue(recent - refunded)
        self.assertTrue(all(m.payment_state == "not_paid" for m in recent - refunded))
        # a credit note is reconciled with the invoice it reverses
        for refund in self.moves.filtered(lambda m: m.move_type == "out_refund"):
            self.assertEqual(refund.payment_state, "paid")
            self.assertTrue(refund.currency_id.is_zero(refund.amount_residual))

    def test_perpetual_valuation_posts_cogs(self):
        cogs = self.moves.line_ids.filtered(lambda line: line.display_type == "cogs")
        self.assertTrue(cogs, "real-time valued categories post cost of goods sold")
        periodic = self.moves.invoice_line_ids.filtered(
            lambda line: line.product_id.categ_id.name in ("Office Supplies", "Services"))
        self.assertTrue(periodic)
        self.assertFalse(self.moves.line_ids.filtered(lambda line: line.cogs_origin_id in periodic))

    def test_stock_and_sale_flow(self):
        products = self.env["product.product"].search(
            [("default_code", "=like", "CSD-%"), ("is_storable", "=", True)])
        quants = self.env["stock.quant"].search([("product_id", "in", products.ids),
                                                 ("location_id.usage", "=", "internal")])
        self.assertTrue(quants)
        self.assertTrue(all(q.quantity > 0 for q in quants))
        orders = self.env["sale.order"].search(
            [("partner_id.commercial_partner_id", "in", self.stats["partner_ids"])])
        self.assertEqual(len(orders), 4)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(set(orders.mapped("invoice_status")) - {"invoiced", "no"}, set())
        pickings = orders.picking_ids
        self.assertTrue(pickings)
        self.assertEqual(set(pickings.mapped("state")), {"done"})

    def test_facts_match_invoices(self):
        facts = self.env["crm.suite.facts"]._get_customer_facts(
            self.env.company, self.stats["date_from"], self.stats["date_to"],
            partner_ids=self.stats["partner_ids"])
        expected = sum(self.moves.mapped("amount_untaxed_signed"))
        self.assertAlmostEqual(float(facts.revenue.sum()), expected, places=2)
        self.assertAlmostEqual(float(facts.revenue.sum()), self.stats["revenue"], places=2)
        self.assertEqual(set(facts.partner_ids.tolist()), set(self.moves.commercial_partner_id.ids))
        self.assertTrue((facts.cost > 0).any())

    def test_deterministic(self):
        again = self.Generator._generate(
            seed=7, n_customers=20, years=1, n_products=12, n_flow_orders=4, n_opportunities=5,
            refund_rate=0.1, today=self.today, run_hooks=False,
        )
        for key in ("invoices", "refunds", "orders", "invoice_lines", "revenue", "amount_total", "contacts"):
            self.assertEqual(again[key], self.stats[key], key)
        other = self.Generator._generate(
            seed=8, n_customers=20, years=1, n_products=12, n_flow_orders=4, n_opportunities=0,
            today=self.today, run_hooks=False,
        )
        self.assertNotEqual(other["revenue"], self.stats["revenue"])

    def test_manager_only(self):
        user = new_test_user(
            self.env, login="crm_suite_demo_plain", groups="base.group_user,sales_team.group_sale_manager")
        with self.assertRaises(AccessError):
            self.Generator.with_user(user)._generate(n_customers=1, years=1, run_hooks=False)
        with self.assertRaises(AccessError):
            self.env["crm.suite.demo.wizard"].with_user(user).create({"n_customers": 1})
        manager = new_test_user(
            self.env, login="crm_suite_demo_manager",
            groups="base.group_user,crm_suite_base.group_crm_intelligence_manager",
        )
        wizard = self.env["crm.suite.demo.wizard"].with_user(manager).create({
            "n_customers": 3, "years": 1, "n_products": 4, "n_flow_orders": 1, "n_opportunities": 1,
        })
        wizard.action_generate()
        self.assertIn("3 customers", wizard.result)

    def test_demo_data_not_loaded_twice(self):
        """Installing the demo module on a database that already has the demo history (upgraded from
        crm_suite 19.0.1.0.0) does not write a second copy."""
        moves_before = self.env["account.move"].search_count([])
        partners_before = self.env["res.partner"].search_count([])
        self.assertIsNone(self.Generator._load_demo_data(seed=7))
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
