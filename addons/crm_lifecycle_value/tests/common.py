from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.crm_suite_base.tests.common import CrmSuiteTestCommon


class LifecycleValueCommon(CrmSuiteTestCommon):
    """Customers with hand-checkable buying patterns, as real posted invoices (dates relative to
    today, the end of the analysis window):

    * regular: buys every 30 days for two years, last purchase 10 days ago;
    * lapsed: bought every 30 days from 720 to 420 days ago, then stopped;
    * one_time: a single purchase 30 days ago;
    * declining: bought every 60 days from 700 to 130 days ago (silent for twice its rhythm);
    * refund_only: only a credit note, 20 days ago;
    * prospect: a company with an open opportunity that never bought;
    * six background customers with other rhythms so the BG/NBD and Gamma-Gamma fits are sound.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.env.user.group_ids |= cls.env.ref('crm_suite_base.group_crm_intelligence_manager')
        cls.company.write({'crm_intel_analysis_months': 36, 'crm_lcv_holdout_months': 6})
        cls.salesman = new_test_user(
            cls.env, login='lcv_salesman', groups='sales_team.group_sale_salesman',
            company_id=cls.company.id)
        Partner = cls.env['res.partner']
        cls.regular = Partner.create({'name': 'LCV Regular', 'is_company': True, 'user_id': cls.salesman.id})
        cls.regular_contact = Partner.create({'name': 'LCV Regular Contact', 'parent_id': cls.regular.id})
        cls.lapsed = Partner.create({'name': 'LCV Lapsed', 'is_company': True, 'user_id': cls.salesman.id})
        cls.one_time = Partner.create({'name': 'LCV One Time', 'is_company': True})
        cls.declining = Partner.create(
            {'name': 'LCV Declining', 'is_company': True, 'user_id': cls.salesman.id})
        cls.refund_only = Partner.create({'name': 'LCV Refund Only', 'is_company': True})
        cls.prospect = Partner.create({'name': 'LCV Prospect', 'is_company': True})
        cls.env['crm.lead'].sudo().create({
            'name': 'LCV Prospect deal', 'type': 'opportunity', 'partner_id': cls.prospect.id,
            'company_id': cls.company.id})
        cls.background = Partner.create([{'name': f'LCV Background {i}'} for i in range(6)])

        cls.product = cls.env['product.product'].create({
            'name': 'LCV Product', 'standard_price': 40.0, 'lst_price': 100.0})
        moves = []
        # regular: 24 purchases, every 30 days from 700 to 10 days ago
        cls.regular_days = list(range(700, 9, -30))
        cls.regular_prices = [100.0 + 10.0 * (i % 3) for i in range(len(cls.regular_days))]
        moves += cls._lcv_moves(cls.regular, cls.regular_days, cls.regular_prices)
        moves += cls._lcv_moves(cls.lapsed, list(range(720, 419, -30)), [80.0])
        moves += cls._lcv_moves(cls.one_time, [30], [500.0])
        moves += cls._lcv_moves(cls.declining, list(range(700, 129, -60)), [400.0, 350.0])
        moves += cls._lcv_moves(cls.refund_only, [20], [80.0], refund=True)
        rhythms = [(45, 600, 5, 60.0), (60, 900, 40, 150.0), (90, 800, 100, 300.0), (20, 300, 200, 40.0),
                   (120, 1000, 30, 90.0), (75, 500, 300, 220.0)]
        for partner, (step, first, last, price) in zip(cls.background, rhythms, strict=True):
            days = list(range(first, last - 1, -step))
            moves += cls._lcv_moves(partner, days, [price, price * 1.3, price * 0.8])
        cls.moves = cls.env['account.move'].create(moves)
        cls.moves.action_post()
        cls.Value = cls.env['crm.customer.value']
        cls.Run = cls.env['crm.lifecycle.run']
        cls.History = cls.env['crm.customer.stage.history']
        cls.first_run = cls.Run._refresh_company_now()

    @classmethod
    def _lcv_moves(cls, partner, days_ago, prices, refund=False):
        """Create values of one invoice (or credit note) per day in ``days_ago``; prices cycle."""
        product = cls.product
        vals = []
        for index, days in enumerate(days_ago):
            date = cls.today - timedelta(days=days)
            vals.append({
                'move_type': 'out_refund' if refund else 'out_invoice',
                'partner_id': partner.id,
                'invoice_date': date,
                'date': date,
                'invoice_line_ids': [Command.create({
                    'product_id': product.id,
                    'quantity': 1,
                    'price_unit': prices[index % len(prices)],
                    'tax_ids': [Command.clear()],
                })],
            })
        return vals

    def _refresh(self, company=None):
        """A complete refresh in the test transaction (the web client queues it for the scheduler)."""
        return self.Run._refresh_company_now(company or self.company)

    def _value(self, partner, company=None):
        return self.Value.search([
            ('partner_id', '=', partner.id), ('company_id', '=', (company or self.company).id)])

    def _unpublish(self):
        """Delete the company's runs: no customer value is published any more."""
        self.Run.search([('company_id', '=', self.company.id)]).unlink()
        self.assertFalse(self.Value.search([('company_id', '=', self.company.id)]))

    def _snapshot(self):
        fnames = ['partner_id', 'stage', 'tier', 'value_quadrant', 'p_alive', 'predicted_clv',
                  'historical_clv', 'retention_clv', 'expected_purchases', 'purchase_count', 'frequency',
                  'revenue', 'stage_since', 'at_risk']
        values = self.Value.search([('company_id', '=', self.company.id)], order='partner_id')
        return [tuple(round(v, 6) if isinstance(v, float) else v for v in (rec[f] for f in fnames))
                for rec in values]
