import base64
import datetime
import io
from unittest.mock import patch

import numpy as np
import openpyxl

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..tools.facts import facts_query
from .common import CrmSuiteTestCommon

D = datetime.date


@tagged("post_install", "-at_install")
class TestCustomerFacts(CrmSuiteTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.facts = cls.env["crm.suite.facts"]
        cls.acme = cls.env["res.partner"].create({"name": "Acme", "is_company": True})
        cls.acme_contact = cls.env["res.partner"].create({"name": "Joe", "parent_id": cls.acme.id})
        cls.beta = cls.env["res.partner"].create({"name": "Beta", "is_company": True})
        # product_a: 800 cost, periodic valuation -> cost = quantity x product cost.
        cls.no_cost = cls._create_product(name="Consulting", standard_price=0.0, lst_price=50.0)
        cls.eur = cls.setup_other_currency("EUR", rates=[("2019-01-01", 2.0)])

    def _facts(self, **kw):
        kw.setdefault("date_from", D(2019, 1, 1))
        kw.setdefault("date_to", D(2019, 12, 31))
        return self.facts._get_customer_facts(self.company, **kw)

    def test_revenue_cost_margin_and_refunds(self):
        invoices = self._suite_invoice(self.acme, "2019-03-01", [(self.product_a, 2, 1000.0)])
        invoices |= self._suite_invoice(self.acme, "2019-03-01", [(self.product_a, 1, 900.0)])
        invoices |= self._suite_invoice(self.acme, "2019-05-10", [(self.product_a, 1, 1000.0)], refund=True)
        # periodic valuation: no COGS journal items, the cost is quantity x product cost (fallback path)
        self.assertFalse(invoices.line_ids.filtered(lambda line: line.display_type == "cogs"))
        facts = self._facts()
        self.assertEqual(len(facts), 2)
        self.assertEqual(facts.partner_ids.tolist(), [self.acme.id, self.acme.id])
        self.assertEqual(facts.dates.tolist(), [D(2019, 3, 1), D(2019, 5, 10)])
        # same day: 2 x 1000 + 900 revenue, 3 x 800 cost; refund: -1000 revenue, -800 cost
        np.testing.assert_allclose(facts.revenue, [2900.0, -1000.0])
        np.testing.assert_allclose(facts.cost, [2400.0, -800.0])
        np.testing.assert_allclose(facts.margin, [500.0, -200.0])
        self.assertEqual(facts.line_count.tolist(), [2, 1])

    def test_credit_note_nets_on_the_invoice_date(self):
        """A credit note reversing an invoice counts on the invoice's date: an invoice of 100 on
        1 February fully refunded on 5 February is no purchase at all; a partial refund of 40 leaves
        a purchase of 60 on the invoice's date; a credit note without an origin stays on its own."""
        full = self._suite_invoice(self.acme, "2019-02-01", [(self.product_a, 1, 100.0)])
        partial = self._suite_invoice(self.beta, "2019-03-01", [(self.product_a, 1, 100.0)])
        reversal = full._reverse_moves([{"invoice_date": D(2019, 2, 5), "date": D(2019, 2, 5)}])
        reversal.action_post()
        partial_refund = partial._reverse_moves([{"invoice_date": D(2019, 3, 9), "date": D(2019, 3, 9)}])
        partial_refund.invoice_line_ids.write({"price_unit": 40.0})
        partial_refund.action_post()
        self.assertEqual(partial_refund.reversed_entry_id, partial)
        self._suite_invoice(self.beta, "2019-04-02", [(self.product_a, 1, 10.0)], refund=True)
        facts = self._facts()
        rows = {(int(p), d): (r, c, n) for p, d, r, c, n in zip(
            facts.partner_ids, facts.dates.tolist(), facts.revenue, facts.cost, facts.line_count,
            strict=True)}
        self.assertEqual(set(rows), {(self.acme.id, D(2019, 2, 1)), (self.beta.id, D(2019, 3, 1)),
                                     (self.beta.id, D(2019, 4, 2))})
        np.testing.assert_allclose(rows[(self.acme.id, D(2019, 2, 1))][:2], [0.0, 0.0])
        self.assertEqual(rows[(self.acme.id, D(2019, 2, 1))][2], 2)
        # 100 - 40 of revenue; cost 800 - 800 (the refund returns the unit)
        np.testing.assert_allclose(rows[(self.beta.id, D(2019, 3, 1))][:2], [60.0, 0.0])
        np.testing.assert_allclose(rows[(self.beta.id, D(2019, 4, 2))][:2], [-10.0, -800.0])
        # the window follows the purchase date: a refund in the window of an invoice before it is out
        self.assertTrue(self._facts(date_from=D(2019, 2, 2), date_to=D(2019, 2, 28)).empty)
        self.env.user.group_ids |= self.env.ref("crm_suite_base.group_crm_intelligence_user")
        self.env.flush_all()
        report = self.env["crm.suite.customer.transaction"].search(
            [("partner_id", "=", self.acme.id), ("company_id", "=", self.company.id)])
        # one row per line: the invoice line and the credit note line, both on the invoice's date
        self.assertEqual(report.mapped("date"), [D(2019, 2, 1)] * 2)
        self.assertAlmostEqual(sum(report.mapped("revenue")), 0.0)

    def test_contact_rolls_up_to_commercial_partner(self):
        self._suite_invoice(self.acme_contact, "2019-02-01", [(self.product_a, 1, 1000.0)])
        self._suite_invoice(self.acme, "2019-02-01", [(self.product_a, 1, 500.0)])
        facts = self._facts()
        self.assertEqual(facts.partner_ids.tolist(), [self.acme.id])
        np.testing.assert_allclose(facts.revenue, [1500.0])

    def test_draft_and_cancelled_excluded(self):
        self._suite_invoice(self.acme, "2019-02-01", [(self.product_a, 1, 1000.0)], post=False)
        cancelled = self._suite_invoice(self.acme, "2019-02-02", [(self.product_a, 1, 1000.0)])
        cancelled.button_draft()
        cancelled.button_cancel()
        self._suite_invoice(self.beta, "2019-02-03", [(self.product_a, 1, 700.0)])
        facts = self._facts()
        self.assertEqual(facts.partner_ids.tolist(), [self.beta.id])
        np.testing.assert_allclose(facts.revenue, [700.0])

    def test_foreign_currency_in_company_currency(self):
        # 2.0 EUR per company currency unit on 2019-01-01
        self._suite_invoice(self.acme, "2019-06-01", [(self.product_a, 1, 300.0)], currency=self.eur)
        facts = self._facts()
        np.testing.assert_allclose(facts.revenue, [150.0])
        np.testing.assert_allclose(facts.cost, [800.0])
        self.assertEqual(facts.currency_id, self.company.currency_id.id)

    def test_fallback_margin_when_no_cost(self):
        self._suite_invoice(self.beta, "2019-04-01", [(self.no_cost, 4, 50.0)])
        facts = self._facts()
        # no cost at all: the company's 25% fallback margin
        np.testing.assert_allclose(facts.cost, [150.0])
        np.testing.assert_allclose(facts.margin, [50.0])

    def test_cost_uses_product_unit(self):
        # product_b is sold by the dozen with a cost of 160 per dozen
        self._suite_invoice(self.beta, "2019-04-01", [(self.product_b, 2, 200.0)])
        facts = self._facts()
        np.testing.assert_allclose(facts.revenue, [400.0])
        np.testing.assert_allclose(facts.cost, [320.0])

    def test_cogs_journal_items_are_the_cost(self):
        if "cogs_origin_id" not in self.env["account.move.line"]._fields:
            self.skipTest("stock_account is not installed")
        category = self.env["product.category"].create({
            "name": "Perpetual",
            "property_valuation": "real_time",
        })
        product = self._create_product(
            name="Valued", categ_id=category.id, standard_price=40.0, lst_price=100.0, is_storable=True
        )
        invoice = self._suite_invoice(self.acme, "2019-07-01", [(product, 3, 100.0)])
        cogs = invoice.line_ids.filtered(lambda line: line.display_type == "cogs")
        self.assertEqual(len(cogs), 2, "real-time valuation posts two COGS items per line")
        product.with_company(self.company).standard_price = 55.0  # later cost change: COGS stays
        facts = self._facts()
        np.testing.assert_allclose(facts.revenue, [300.0])
        np.testing.assert_allclose(facts.cost, [120.0])
        # crm_suite_base does not depend on stock_account: without it (no cogs_origin_id column,
        # the query never names it) the same line costs quantity x product cost
        with patch.object(type(self.facts), "_facts_has_cogs", return_value=False):
            self.assertNotIn("cogs_origin_id", facts_query(False, [self.company.id]).code)
            without = self._facts()
        np.testing.assert_allclose(without.revenue, [300.0])
        np.testing.assert_allclose(without.cost, [165.0])

    def test_two_companies_are_separate(self):
        other = self.setup_other_company(name="Other Co")["company"]
        self.env.user.company_ids |= other
        self._suite_invoice(self.acme, "2019-02-01", [(self.product_a, 1, 1000.0)])
        self._suite_invoice(self.beta, "2019-02-01", [(self.product_a, 1, 333.0)], company=other)
        facts = self._facts()
        self.assertEqual(facts.partner_ids.tolist(), [self.acme.id])
        other_facts = self.facts._get_customer_facts(other, D(2019, 1, 1), D(2019, 12, 31))
        self.assertEqual(other_facts.partner_ids.tolist(), [self.beta.id])
        np.testing.assert_allclose(other_facts.revenue, [333.0])
        self.assertEqual(other_facts.company_id, other.id)

    def test_window_partner_filter_and_empty(self):
        self._suite_invoice(self.acme, "2019-02-01", [(self.product_a, 1, 1000.0)])
        self._suite_invoice(self.beta, "2019-08-01", [(self.product_a, 1, 500.0)])
        self._suite_invoice(self.beta, "2020-01-05", [(self.product_a, 1, 500.0)])
        self.assertEqual(self._facts(partner_ids=[self.beta.id]).partner_ids.tolist(), [self.beta.id])
        self.assertEqual(self._facts(date_from=D(2019, 6, 1)).partner_ids.tolist(), [self.beta.id])
        self.assertEqual(
            self.facts._get_customer_partner_ids(self.company, D(2019, 1, 1), D(2019, 12, 31)),
            sorted([self.acme.id, self.beta.id]),
        )
        empty = self._facts(date_from=D(2010, 1, 1), date_to=D(2010, 12, 31))
        self.assertTrue(empty.empty)
        self.assertEqual(empty.dates.dtype, np.dtype("datetime64[D]"))
        self.assertEqual(empty.revenue.shape, (0,))

    def test_default_window_is_company_setting(self):
        self.company.crm_intel_analysis_months = 6
        facts = self.facts._get_customer_facts(self.company)
        self.assertEqual((facts.date_to - facts.date_from).days // 30, 6)

    def test_report_view_matches_service(self):
        self._suite_invoice(self.acme, "2019-03-01", [(self.product_a, 2, 1000.0)])
        self._suite_invoice(self.acme, "2019-05-10", [(self.product_a, 1, 1000.0)], refund=True)
        self.env.user.group_ids |= self.env.ref("crm_suite_base.group_crm_intelligence_user")
        self.env.flush_all()
        rows = self.env["crm.suite.customer.transaction"].search(
            [("partner_id", "=", self.acme.id)], order="date"
        )
        self.assertEqual(rows.mapped("revenue"), [2000.0, -1000.0])
        self.assertEqual(rows.mapped("cost"), [1600.0, -800.0])
        self.assertEqual(rows.mapped("margin"), [400.0, -200.0])
        self.assertEqual(rows.company_id, self.company)

    def test_bad_input(self):
        with self.assertRaises(UserError):
            self.facts._get_customer_facts(self.env["res.company"])
        with self.assertRaises(UserError):
            self.facts._get_customer_facts(self.acme)
        self._suite_invoice(self.acme, "2019-02-01", [(self.product_a, 1, 1000.0)])
        reversed_window = self._facts(date_from=D(2019, 12, 31), date_to=D(2019, 1, 1))
        self.assertTrue(reversed_window.empty)
        self.assertTrue(self._facts(partner_ids=[]).empty)
        self.assertEqual(
            self.facts._get_customer_partner_ids(self.company, D(2019, 12, 31), D(2019, 1, 1)), []
        )
        # string dates are accepted like the ORM accepts them
        self.assertEqual(len(self._facts(date_from="2019-01-01", date_to="2019-12-31")), 1)

    def test_report_rows_of_own_company_only(self):
        other = self.setup_other_company(name="Other Report Co")["company"]
        self._suite_invoice(self.acme, "2019-02-01", [(self.product_a, 1, 1000.0)])
        self._suite_invoice(self.beta, "2019-02-01", [(self.product_a, 1, 333.0)], company=other)
        user = new_test_user(
            self.env, login="crm_report_a",
            groups="base.group_user,crm_suite_base.group_crm_intelligence_user",
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)],
        )
        self.env.flush_all()
        Report = self.env["crm.suite.customer.transaction"]
        rows = Report.with_user(user).search([("partner_id", "in", (self.acme | self.beta).ids)])
        self.assertEqual(rows.partner_id, self.acme)
        self.assertEqual(rows.company_id, self.company)
        self.assertFalse(Report.with_user(user).search([("company_id", "=", other.id)]))
        # the other company's row exists: the record rule hides it
        self.assertEqual(Report.sudo().search([("company_id", "=", other.id)]).mapped("revenue"), [333.0])

    def test_export_to_excel_action(self):
        self._suite_invoice(self.acme, "2019-03-01", [(self.product_a, 2, 1000.0)])
        self._suite_invoice(self.beta, "2019-04-15", [(self.product_a, 1, 500.0)])
        self._suite_invoice(self.acme, "2019-04-20", [(self.product_a, 1, 1000.0)], refund=True)
        self.env.user.group_ids |= self.env.ref("crm_suite_base.group_crm_intelligence_user")
        self.env.flush_all()
        rows = self.env["crm.suite.customer.transaction"].search(
            [("partner_id", "in", (self.acme | self.beta).ids)]
        )
        self.assertEqual(len(rows), 3)
        action = rows.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        export = self.env["crm.suite.export"].browse(int(action["url"].rsplit("/", 1)[1]))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.data)))
        self.assertEqual(book.sheetnames, ["Summary", "By Month", "Transactions"])
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=3, values_only=True) if row[0]}
        self.assertEqual(summary["Customers"], 2)
        self.assertAlmostEqual(summary["Revenue"], 1500.0)  # 2000 + 500 - 1000
        self.assertAlmostEqual(summary["Cost"], 1600.0)  # 2 x 800 + 800 - 800
        self.assertAlmostEqual(summary["Margin"], -100.0)
        months = list(book["By Month"].iter_rows(min_row=2, values_only=True))
        self.assertEqual([m[0].date() for m in months], [D(2019, 3, 1), D(2019, 4, 1)])
        self.assertEqual([m[1] for m in months], [2000.0, -500.0])
        self.assertEqual(len(book["By Month"]._charts), 1)
        lines = list(book["Transactions"].iter_rows(min_row=2, values_only=True))
        self.assertEqual([line[1] for line in lines], ["Acme", "Beta", "Acme"])
        self.assertAlmostEqual(lines[0][7], 0.2)  # margin rate 400 / 2000
        empty_company = self.env["res.company"].create({"name": "Empty Co"})
        self.env.user.company_ids |= empty_company
        with self.assertRaises(UserError):
            self.env["crm.suite.customer.transaction"].with_company(empty_company).with_context(
                allowed_company_ids=empty_company.ids
            ).action_export_xlsx()
