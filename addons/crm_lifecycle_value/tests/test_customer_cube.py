import base64
import io
from datetime import timedelta

import openpyxl

from odoo import Command
from odoo.tests import new_test_user, tagged

from ..models.selections import TIER_CODES
from .common import LifecycleValueCommon


@tagged('post_install', '-at_install')
class TestCustomerCubeLifecycle(LifecycleValueCommon):
    """The customer cube (``crm.suite.customer.transaction``) sliced by the customer's current
    lifecycle stage and value tier, those of the company's published lifecycle run.

    Revenue of the fixture's lines (see :class:`LifecycleValueCommon`): regular 24 invoices of
    100 / 110 / 120 = 2640 (stability), lapsed 11 x 80 = 880 (churned), declining 5 x 400 + 5 x 350
    = 3750 (decline), one_time 500 (acquisition), refund_only a credit note of -80 (prospect).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Cube = cls.env['crm.suite.customer.transaction']
        cls.customers = cls.regular | cls.lapsed | cls.declining | cls.one_time | cls.refund_only
        cls.stages = {cls.regular: 'stability', cls.lapsed: 'churned', cls.declining: 'decline',
                      cls.one_time: 'acquisition', cls.refund_only: 'prospect'}
        cls.revenue = {cls.regular: 2640.0, cls.lapsed: 880.0, cls.declining: 3750.0,
                       cls.one_time: 500.0, cls.refund_only: -80.0}
        cls.lines = {cls.regular: 24, cls.lapsed: 11, cls.declining: 10, cls.one_time: 1, cls.refund_only: 1}

    def _refresh(self, company=None):
        """A refresh writes its run lines in bulk (COPY), not through the ORM: the cube's values
        cached in this transaction are stale afterwards (a web request starts with an empty cache)."""
        run = super()._refresh(company)
        self.env.invalidate_all()
        return run

    def _rows(self, partner, company=None):
        return self.Cube.search([('partner_id', '=', partner.id),
                                 ('company_id', '=', (company or self.company).id)])

    def test_stage_and_tier_of_every_line(self):
        for partner, stage in self.stages.items():
            value = self._value(partner)
            self.assertEqual(value.stage, stage)
            rows = self._rows(partner)
            self.assertEqual(len(rows), self.lines[partner])
            self.assertEqual(set(rows.mapped('lifecycle_stage')), {stage}, partner.name)
            self.assertEqual(set(rows.mapped('value_tier')), {value.tier}, partner.name)
        self.assertFalse(self._value(self.refund_only).tier)
        self.assertTrue(self._value(self.regular).tier)

    def test_totals_by_stage_in_lifecycle_order(self):
        domain = [('partner_id', 'in', self.customers.ids)]
        groups = self.Cube._read_group(domain, ['lifecycle_stage'], ['revenue:sum', '__count'])
        self.assertEqual(groups, [
            ('prospect', -80.0, 1),
            ('acquisition', 500.0, 1),
            ('stability', 2640.0, 24),
            ('decline', 3750.0, 10),
            ('churned', 880.0, 11),
        ])
        groups = self.Cube._read_group(domain, ['lifecycle_stage'], ['revenue:sum'],
                                       order='lifecycle_stage desc')
        self.assertEqual([stage for stage, _revenue in groups],
                         ['churned', 'decline', 'stability', 'acquisition', 'prospect'])
        # tiers: the pyramid's order, each tier the revenue of its customers' lines
        expected = {}
        for partner in self.customers:
            tier = self._value(partner).tier
            expected[tier] = expected.get(tier, 0.0) + self.revenue[partner]
        groups = self.Cube._read_group(domain, ['value_tier'], ['revenue:sum'])
        self.assertEqual(dict(groups), expected)
        tiers = [tier for tier, _revenue in groups if tier]
        self.assertEqual(tiers, [tier for tier in TIER_CODES if tier in tiers])
        self.assertGreaterEqual(len(tiers), 2)
        # what the pivot asks for: stage x tier, as a user of the Intelligence group
        analyst = new_test_user(
            self.env, login='lcv_cube_analyst',
            groups='base.group_user,crm_suite_base.group_crm_intelligence_user',
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        groups = self.Cube.with_user(analyst).formatted_read_group(
            domain, ['lifecycle_stage', 'value_tier'], ['revenue:sum'])
        by_stage = {}
        for group in groups:
            stage = group['lifecycle_stage']
            by_stage[stage] = by_stage.get(stage, 0.0) + group['revenue:sum']
        self.assertEqual(by_stage, {'prospect': -80.0, 'acquisition': 500.0, 'stability': 2640.0,
                                    'decline': 3750.0, 'churned': 880.0})

    def test_current_stage_after_a_refresh(self):
        """Every line of a customer shows the customer's stage of the latest published run, also
        the lines bought in an earlier stage; with no published run, no stage."""
        self.env['account.move'].create(self._lcv_moves(self.lapsed, [1, 0], [90.0])).action_post()
        rows = self._rows(self.lapsed)
        self.assertEqual(len(rows), 13)
        self.assertEqual(set(rows.mapped('lifecycle_stage')), {'churned'}, 'not refreshed yet')
        self._refresh()
        stage = self._value(self.lapsed).stage
        self.assertNotEqual(stage, 'churned')
        self.assertEqual(set(self._rows(self.lapsed).mapped('lifecycle_stage')), {stage})
        [[revenue]] = self.Cube._read_group(
            [('partner_id', '=', self.lapsed.id), ('lifecycle_stage', '=', stage)], [], ['revenue:sum'])
        self.assertEqual(revenue, 880.0 + 180.0)
        self.assertEqual(self._rows(self.regular).mapped('lifecycle_stage')[0], 'stability')
        self._unpublish()
        self.env.invalidate_all()
        rows = self.Cube.search([('partner_id', 'in', self.customers.ids)])
        self.assertEqual(len(rows), 49)
        self.assertEqual(set(rows.mapped('lifecycle_stage')), {False})
        self.assertEqual(set(rows.mapped('value_tier')), {False})

    def test_stage_of_the_line_company(self):
        """A customer's lines in another company carry that company's stage (none before its first
        refresh), and a user of the first company does not see them."""
        other = self.setup_other_company(name='LCV Cube Other Co')['company']
        self.env.user.company_ids |= other
        self._suite_invoice(self.regular, self.today - timedelta(days=5), [(self.product_a, 1, 70.0)],
                            company=other)
        other_rows = self._rows(self.regular, other)
        self.assertEqual(len(other_rows), 1)
        self.assertFalse(other_rows.lifecycle_stage, 'no published run in the other company')
        self.assertEqual(set(self._rows(self.regular).mapped('lifecycle_stage')), {'stability'})
        self._refresh(other)
        other_stage = self._value(self.regular, other).stage
        self.assertTrue(other_stage)
        self.assertNotEqual(other_stage, 'stability', 'a single purchase in the other company')
        self.assertEqual(self._rows(self.regular, other).lifecycle_stage, other_stage)
        self.assertEqual(set(self._rows(self.regular).mapped('lifecycle_stage')), {'stability'})
        analyst = new_test_user(
            self.env, login='lcv_cube_company_a',
            groups='base.group_user,crm_suite_base.group_crm_intelligence_user',
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        Cube = self.Cube.with_user(analyst)
        groups = Cube._read_group([('partner_id', '=', self.regular.id)], ['lifecycle_stage'],
                                  ['revenue:sum', '__count'])
        self.assertEqual(groups, [('stability', 2640.0, 24)])
        self.assertFalse(Cube.search([('company_id', '=', other.id)]))

    def test_views_and_export(self):
        views = self.Cube.get_views([(False, 'pivot'), (False, 'search'), (False, 'list')])['views']
        self.assertIn('lifecycle_stage', views['pivot']['arch'])
        self.assertIn('group_lifecycle_stage', views['search']['arch'])
        self.assertIn('group_value_tier', views['search']['arch'])
        self.assertIn('value_tier', views['list']['arch'])
        rows = self._rows(self.declining)
        action = rows.action_export_xlsx()
        export = self.env['crm.suite.export'].browse(int(action['url'].rsplit('/', 1)[1]))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.data)))
        sheet = list(book['Transactions'].iter_rows(values_only=True))
        header = list(sheet[0])
        self.assertIn('Lifecycle Stage', header)
        self.assertIn('Value Tier', header)
        stages = {line[header.index('Lifecycle Stage')] for line in sheet[1:]}
        self.assertEqual(stages, {'Decline'})
        self.assertEqual(len(sheet) - 1, 10)
