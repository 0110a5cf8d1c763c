import base64
import io

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LifecycleValueCommon


@tagged('post_install', '-at_install')
class TestLifecycleExport(LifecycleValueCommon):

    def test_workbook(self):
        wizard = self.env['crm.lifecycle.export.wizard'].create({'company_id': self.company.id})
        action = wizard.action_export()
        self.assertEqual(action['type'], 'ir.actions.act_url')
        export = self.env['crm.suite.export'].browse(int(action['url'].rsplit('/', 1)[1]))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.data)))
        self.assertEqual(book.sheetnames, ['Summary', 'Customers', 'Stages and Tiers', 'Cohorts'])
        buyers = self.Value.search([('company_id', '=', self.company.id), ('stage', '!=', 'prospect')])
        customers = book['Customers']
        self.assertEqual(customers.max_row, len(buyers) + 1)
        self.assertEqual(customers['A2'].value, 'LCV Regular')  # highest predicted CLV first
        names = {row[0].value for row in customers.iter_rows(min_row=2)}
        self.assertNotIn('LCV Prospect', names)
        self.assertEqual(len(book['Stages and Tiers']._charts), 2)
        self.assertEqual(len(book['Cohorts']._charts), 1)

    def test_no_values(self):
        company = self.env['res.company'].create({'name': 'LCV Export Empty'})
        self.env.user.company_ids |= company
        wizard = self.env['crm.lifecycle.export.wizard'].with_company(company).create(
            {'company_id': company.id})
        with self.assertRaises(UserError):
            wizard.action_export()
