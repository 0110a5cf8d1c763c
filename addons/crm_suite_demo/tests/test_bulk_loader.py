import datetime

from odoo.exceptions import AccessError, UserError
from odoo.service.model import get_public_method
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.crm_suite_demo.models.bulk_loader import BENCHMARK_DB_PARAM


@tagged("post_install", "-at_install")
class TestBulkLoader(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.today = datetime.date(2026, 6, 30)
        cls.stats = cls.env["crm.suite.bulk.loader"]._load_benchmark(
            n_customers=1000, n_lines=10_000, seed=3, years=3, today=cls.today)
        lo, hi = cls.stats["move_id_range"]
        cls.moves = cls.env["account.move"].search([("id", ">=", lo), ("id", "<=", hi)])

    def test_counts(self):
        self.assertEqual(self.stats["customers"], 1000)
        self.assertEqual(self.stats["lines"], 10_000)
        self.assertEqual(len(self.moves), self.stats["moves"])
        self.assertEqual(
            self.env["account.move.line"].search_count(
                [("move_id", "in", self.moves.ids), ("display_type", "=", "product")]),
            10_000)
        self.assertGreater(self.stats["refunds"], 0)
        lo, hi = self.stats["partner_id_range"]
        partners = self.env["res.partner"].search([("id", ">=", lo), ("id", "<=", hi)])
        self.assertEqual(len(partners), 1000)
        self.assertEqual(set(partners.mapped("commercial_partner_id")), set(partners))
        self.assertEqual(sum(partners.mapped("customer_rank")), len(self.moves))

    def test_balanced_and_posted(self):
        self.env.cr.execute(SQL(
            """SELECT COUNT(*) FROM (
                   SELECT move_id FROM account_move_line WHERE move_id = ANY(%s)
                 GROUP BY move_id
                   HAVING ROUND(SUM(balance), 2) <> 0 OR ROUND(SUM(debit) - SUM(credit), 2) <> 0
               ) unbalanced""", self.moves.ids))
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertEqual(set(self.moves.mapped("state")), {"posted"})
        self.assertEqual(len(set(self.moves.mapped("name"))), len(self.moves))
        lines = self.moves.line_ids
        self.assertEqual(set(lines.mapped("parent_state")), {"posted"})
        self.assertTrue(all(line.debit * line.credit == 0 for line in lines[:500]))

    def test_orm_amounts(self):
        """The ORM reads the loaded moves with the amounts it would have computed itself."""
        sample = self.moves[:50]
        values = sample.read(["amount_total", "amount_untaxed", "amount_residual", "amount_total_signed"])
        for move, vals in zip(sample, values, strict=True):
            total = sum(move.invoice_line_ids.mapped("price_subtotal"))
            self.assertAlmostEqual(vals["amount_total"], total, places=2)
            self.assertAlmostEqual(vals["amount_residual"], total, places=2)
            sign = -1 if move.move_type == "out_refund" else 1
            self.assertAlmostEqual(vals["amount_total_signed"], sign * total, places=2)
            self.assertEqual(move.partner_id, move.commercial_partner_id)
            term_line = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
            self.assertEqual(term_line.account_id, move.partner_id.property_account_receivable_id)
        # recompute from the lines: the stored amounts are what the ORM computes
        sample.invalidate_recordset()
        sample._compute_amount()
        for move, vals in zip(sample, values, strict=True):
            self.assertAlmostEqual(move.amount_total, vals["amount_total"], places=2)
            self.assertAlmostEqual(move.amount_residual, vals["amount_residual"], places=2)

    def test_payment_on_loaded_invoice(self):
        """An open receivable line of a loaded invoice reconciles with a registered payment."""
        invoice = self.moves.filtered(lambda m: m.move_type == "out_invoice")[:1]
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"payment_date": self.today})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_facts_totals(self):
        facts = self.env["crm.suite.facts"]._get_customer_facts(
            self.company, self.stats["date_from"], self.stats["date_to"])
        lo, hi = self.stats["partner_id_range"]
        mine = (facts.partner_ids >= lo) & (facts.partner_ids <= hi)
        self.assertAlmostEqual(float(facts.revenue[mine].sum()), self.stats["revenue"], places=2)
        self.assertEqual(int(facts.line_count[mine].sum()), 10_000)
        self.assertAlmostEqual(
            float(facts.revenue[mine].sum()), sum(self.moves.mapped("amount_untaxed_signed")), places=2)
        self.assertTrue((facts.cost[mine] != 0).all(), "cost from the products' standard price")

    def test_deterministic_and_sequence_continues(self):
        loader = self.env["crm.suite.bulk.loader"]
        again = loader._load_benchmark(n_customers=50, n_lines=300, seed=3, today=self.today)
        other = loader._load_benchmark(n_customers=50, n_lines=300, seed=3, today=self.today)
        self.assertEqual(again["revenue"], other["revenue"])
        self.assertEqual(again["moves"], other["moves"])
        self.env.cr.execute(SQL(
            """SELECT COUNT(*) FROM (SELECT name, journal_id FROM account_move WHERE state = 'posted'
                 GROUP BY 1, 2 HAVING COUNT(*) > 1) d"""))
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        # the ORM numbers the next invoice after the loaded ones
        partner = self.env["res.partner"].browse(self.stats["partner_id_range"][0])
        product = self.env["product.product"].search([("default_code", "=", "CSB-001")])
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": self.today,
            "invoice_line_ids": [(0, 0, {"product_id": product.id, "quantity": 1, "price_unit": 10})],
        })
        move.action_post()
        self.assertEqual(move.state, "posted")

    def test_manager_only(self):
        user = new_test_user(self.env, login="crm_suite_bulk_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["crm.suite.bulk.loader"].with_user(user)._load_benchmark(n_customers=1, n_lines=1)

    def test_not_callable_over_rpc(self):
        """The loader's entry point is private: RPC (call_kw) refuses it; the ORM ``load`` is intact."""
        loader = self.env["crm.suite.bulk.loader"]
        with self.assertRaises(AccessError):
            get_public_method(loader, "_load_benchmark")
        self.assertIs(type(loader).load, type(self.env["res.partner"]).load,
                      "the loader must not override the ORM's load()")

    def test_normal_database_refuses_trigger_switch(self):
        """Outside the benchmark database, asking to skip the foreign-key checks is refused, and the
        checks stay on during a normal load."""
        loader = self.env["crm.suite.bulk.loader"]
        self.assertFalse(self.env["ir.config_parameter"].sudo().get_param(BENCHMARK_DB_PARAM))
        with self.assertRaises(UserError):
            loader._load_benchmark(n_customers=5, n_lines=20, seed=4, today=self.today, skip_fk_checks=True)
        with self.assertRaises(UserError):
            loader._bulk_skip_fk_checks()
        # another database's name in the parameter is no authorisation either
        self.env["ir.config_parameter"].sudo().set_param(BENCHMARK_DB_PARAM, "crm_bench_elsewhere")
        with self.assertRaises(UserError):
            loader._load_benchmark(n_customers=5, n_lines=20, seed=4, today=self.today, skip_fk_checks=True)
        self.env.cr.execute(SQL("SHOW session_replication_role"))
        self.assertEqual(self.env.cr.fetchone()[0], "origin")
        self.assertTrue(self.stats["foreign_key_checks"], "a normal load keeps the foreign-key checks")

    def test_benchmark_database_may_skip_checks(self):
        """In the database the parameter names (and as a superuser role), the fast path runs and
        resets the setting after its inserts."""
        self.env.cr.execute(SQL("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        if not self.env.cr.fetchone()[0]:
            self.skipTest("the test database role is not a PostgreSQL superuser")
        self.env["ir.config_parameter"].sudo().set_param(BENCHMARK_DB_PARAM, self.env.cr.dbname)
        stats = self.env["crm.suite.bulk.loader"]._load_benchmark(
            n_customers=5, n_lines=20, seed=4, today=self.today, skip_fk_checks=True)
        self.assertFalse(stats["foreign_key_checks"])
        self.assertEqual(stats["lines"], 20)
        self.env.cr.execute(SQL("SHOW session_replication_role"))
        self.assertEqual(self.env.cr.fetchone()[0], "origin")
