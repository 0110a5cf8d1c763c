import base64
import io

import openpyxl

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LifecycleValueCommon

SHEETS = ['Summary', 'Customers', 'Stages and Tiers', 'Value Matrix', 'Lifecycle Flow', 'Cohorts',
          'Model Run']


@tagged('post_install', '-at_install')
class TestLifecycleExport(LifecycleValueCommon):

    def _book(self, **vals):
        wizard = self.env['crm.lifecycle.export.wizard'].create({'company_id': self.company.id, **vals})
        action = wizard.action_export()
        self.assertEqual(action['type'], 'ir.actions.act_url')
        self.assertTrue(action.get('close'), 'the wizard closes once the download starts')
        export = self.env['crm.suite.export'].browse(int(action['url'].rsplit('/', 1)[1]))
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.data)))

    def test_workbook(self):
        book = self._book()
        self.assertEqual(book.sheetnames, SHEETS)
        buyers = self.Value.search([('company_id', '=', self.company.id), ('stage', '!=', 'prospect')])
        customers = book['Customers']
        self.assertEqual(customers.max_row, len(buyers) + 1)
        top = max(buyers, key=lambda v: (v.predicted_clv, v.historical_clv))
        self.assertEqual(customers['A2'].value, top.partner_id.name)  # highest predicted CLV first
        header = [c.value for c in customers[1]]
        # the labels are the fields' own, the same as in the views
        self.assertIn('Revenue (window)', header)
        self.assertIn('Predicted CLV (horizon, discounted)', header)
        names = {row[0].value for row in customers.iter_rows(min_row=2)}
        self.assertNotIn('LCV Prospect', names)
        self.assertGreaterEqual(customers.column_dimensions['A'].width, len('LCV Background 0'))
        symbol = self.company.currency_id.symbol
        money = customers.cell(row=2, column=header.index('Revenue (window)') + 1).number_format
        if self.company.currency_id.position == 'before':
            self.assertTrue(money.startswith(f'"{symbol}"'), money)
        else:
            self.assertTrue(money.endswith(f'"{symbol}"'), money)
        self.assertEqual(len(book['Stages and Tiers']._charts), 2)
        # the 2x2 value matrix with the customer counts of the four quadrants
        matrix = book['Value Matrix']
        counts = [[matrix.cell(row=r, column=c).value for c in (2, 3)] for r in (4, 5)]
        self.assertEqual(sum(map(sum, counts)), len(buyers.filtered('value_quadrant')))
        # the lifecycle flow: every customer's first classification
        flow = book['Lifecycle Flow']
        first = [flow.cell(row=4, column=c).value for c in range(2, 8)]
        self.assertEqual(sum(first), self.first_run.customer_count, 'every customer, first classified')
        # the cohort triangle: one row per cohort, one column per period since the first purchase
        cohorts = book['Cohorts']
        self.assertEqual(cohorts['C3'].value, 'M+00')
        self.assertEqual(len(cohorts._charts), 1)
        # the model run with the three models side by side
        run_sheet = book['Model Run']
        labels = {run_sheet.cell(row=r, column=1).value for r in range(1, run_sheet.max_row + 1)}
        self.assertTrue({'MBG/NBD', 'BG/NBD', 'Pareto/NBD'} <= labels)

    def test_prospects_and_selection(self):
        everyone = self.Value.search([('company_id', '=', self.company.id)])
        with_prospects = self._book(include_prospects=True)['Customers']
        self.assertEqual(with_prospects.max_row, len(everyone) + 1)
        names = {row[0].value for row in with_prospects.iter_rows(min_row=2)}
        self.assertIn('LCV Prospect', names)
        picked = self._value(self.regular) | self._value(self.one_time)
        selected = self._book(value_ids=[Command.set(picked.ids)])['Customers']
        self.assertEqual({row[0].value for row in selected.iter_rows(min_row=2)},
                         {'LCV Regular', 'LCV One Time'})

    def test_no_values(self):
        company = self.env['res.company'].create({'name': 'LCV Export Empty'})
        self.env.user.company_ids |= company
        wizard = self.env['crm.lifecycle.export.wizard'].with_company(company).create(
            {'company_id': company.id})
        with self.assertRaises(UserError):
            wizard.action_export()
