from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.crm_suite_base.tests.common import CrmSuiteTestCommon

#: (name, number of customers, purchases each, days between purchases, days since the last one,
#: price): three clearly different groups of buyers and one customer who only got a refund
GROUPS = [
    ('Champion', 8, 12, 30, 5, 900.0),
    ('Sleeper', 8, 3, 60, 400, 120.0),
    ('Newcomer', 8, 1, 0, 15, 60.0),
]


class SegmentationCommon(CrmSuiteTestCommon):
    """Customers of three clearly separated buying patterns, as real posted invoices dated relative
    to today (the end of the analysis window), plus a refund-only customer (no purchase, no
    member) and a prospect without invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.env.user.group_ids |= cls.env.ref('crm_suite_base.group_crm_intelligence_manager')
        cls.company.write({'crm_intel_analysis_months': 24, 'crm_seg_cluster_count': 0})
        cls.salesman = new_test_user(
            cls.env, login='seg_salesman', groups='sales_team.group_sale_salesman',
            company_id=cls.company.id)
        cls.product = cls.env['product.product'].create({
            'name': 'SEG Product', 'standard_price': 30.0, 'lst_price': 100.0})
        Partner = cls.env['res.partner']
        cls.groups = {}
        moves = []
        for name, count, purchases, step, last, price in GROUPS:
            partners = Partner.create([
                {'name': f'SEG {name} {i}', 'is_company': True, 'email': f'seg.{name.lower()}{i}@example.com'}
                for i in range(count)])
            cls.groups[name] = partners
            for index, partner in enumerate(partners):
                days = [last + index + step * k for k in range(purchases)]
                moves += cls._seg_moves(partner, days, price * (1 + 0.02 * index))
        cls.refund_only = Partner.create({'name': 'SEG Refund Only', 'is_company': True})
        moves += cls._seg_moves(cls.refund_only, [20], 80.0, refund=True)
        cls.moves = cls.env['account.move'].create(moves)
        cls.moves.action_post()
        cls.Run = cls.env['crm.segmentation.run']
        cls.Member = cls.env['crm.segment.member']
        cls.Segment = cls.env['crm.segment']
        cls.first_run = cls.Run._refresh_company_now()

    @classmethod
    def _seg_moves(cls, partner, days_ago, price, refund=False):
        vals = []
        for days in days_ago:
            date = cls.today - timedelta(days=days)
            vals.append({
                'move_type': 'out_refund' if refund else 'out_invoice',
                'partner_id': partner.id,
                'invoice_date': date,
                'date': date,
                'invoice_line_ids': [Command.create({
                    'product_id': cls.product.id, 'quantity': 1, 'price_unit': price,
                    'tax_ids': [Command.clear()],
                })],
            })
        return vals

    def _member(self, partner, company=None):
        return self.Member.search([
            ('partner_id', '=', partner.id), ('company_id', '=', (company or self.company).id)])

    def _labels(self, run):
        lines = self.env['crm.segmentation.run.line'].search([('run_id', '=', run.id)])
        return {line.partner_id: (line.rfm_code, line.rfm_segment_id, line.cluster_segment_id, line.cluster)
                for line in lines}

    def _rfm_segment(self, code):
        return self.env.ref(f'crm_mining_segmentation.crm_segment_rfm_{code}')
