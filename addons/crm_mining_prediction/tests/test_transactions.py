import datetime

import numpy as np

from odoo import fields
from odoo.tests import tagged

from odoo.addons.crm_mining_prediction.tools.transactions import load_transactions

from .common import PredictionCommon


@tagged('post_install', '-at_install')
class TestTransactions(PredictionCommon):
    """The rows the models read: invoice lines per customer, day and category, credit notes on their
    own date (a later refund never changes an earlier period)."""

    def test_rows_per_day_and_category_with_refunds_on_their_own_date(self):
        partner = self.customers[0]
        day1 = self.today - datetime.timedelta(days=100)
        day2 = self.today - datetime.timedelta(days=10)
        invoice = self._suite_invoice(partner, day1, [(self.desk, 2, 50.0), (self.printer, 1, 80.0)])
        refund = self._suite_invoice(partner, day2, [(self.desk, 1, 50.0)], refund=True, post=False)
        refund.reversed_entry_id = invoice
        refund.action_post()
        other = self._suite_invoice(
            self.customers[1], day1, [(self.chair, 1, 30.0)], company=self.setup_other_company()['company']
        )
        self.assertTrue(other)
        tx = load_transactions(self.env, self.company, self.today - datetime.timedelta(days=365), self.today)
        rows = {
            (int(p), str(d), int(c)): round(float(r), 2)
            for p, d, c, r in zip(tx.partner_ids, tx.dates, tx.categories, tx.revenue, strict=True)
        }
        self.assertEqual(
            rows,
            {
                (partner.id, str(day1), self.categ_office.id): 100.0,
                (partner.id, str(day1), self.categ_tech.id): 80.0,
                (partner.id, str(day2), self.categ_office.id): -50.0,  # the credit note, on its own date
            },
        )
        # the margin is the facts' (product cost 6 per unit)
        margin = dict(zip(zip(tx.dates.astype(str), tx.categories, strict=True), tx.margin, strict=True))
        self.assertAlmostEqual(margin[(str(day1), self.categ_office.id)], 100.0 - 12.0)
        self.assertEqual(tx.dates.dtype, np.dtype('datetime64[D]'))
        self.assertEqual(fields.Date.to_date(str(tx.dates.max())), day2)
