from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import PredictionCommon, synthetic_transactions


@tagged('post_install', '-at_install')
class TestPredictionSecurity(PredictionCommon):
    """Scores and rules of company A are invisible to company B; users read, managers refresh."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name='PRED Company B')['company']
        population = cls.env['res.partner'].create(
            [{'name': f'PRED S {i}', 'is_company': True} for i in range(300)]
        )
        tx = synthetic_transactions(population, seed=5)
        Run = cls.env['crm.churn.run']
        with patch.object(type(Run), '_load_transactions', lambda run: tx):
            cls.churn_run = Run._refresh_company_now(cls.company)
        for i in range(6):
            cls._order(cls.customers[i], (cls.desk, cls.chair))
        cls.company.crm_xsell_min_support = 10.0
        cls.xsell_run = cls.env['crm.cross.sell.run']._refresh_company_now(cls.company)
        groups = 'sales_team.group_sale_salesman,crm_suite_base.group_crm_intelligence_user'
        cls.user_a = new_test_user(cls.env, login='pred_user_a', company_id=cls.company.id, groups=groups)
        cls.user_b = new_test_user(
            cls.env,
            login='pred_user_b',
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
            groups=groups,
        )
        cls.salesman = new_test_user(
            cls.env, login='pred_salesman', company_id=cls.company.id, groups='sales_team.group_sale_salesman'
        )

    def test_other_company_sees_nothing(self):
        for model in (
            'crm.churn.member',
            'crm.churn.run',
            'crm.cross.sell.rule',
            'crm.cross.sell.run',
            'crm.churn.run.gain',
            'crm.churn.run.importance',
        ):
            with self.subTest(model=model):
                self.assertTrue(self.env[model].with_user(self.user_a).search_count([]))
                self.assertFalse(self.env[model].with_user(self.user_b).search_count([]))
        partner = self.churn_run.env['crm.churn.member'].search([], limit=1).partner_id
        self.assertTrue(partner.with_user(self.user_a).crm_churn_band)
        self.assertFalse(partner.with_user(self.user_b).with_company(self.company_b).crm_churn_band)
        segment = self.env.ref('crm_mining_prediction.crm_segment_churn_high')
        self.assertFalse(segment.with_user(self.user_b).with_company(self.company_b)._member_partner_ids())

    def test_users_cannot_refresh_or_read_lines(self):
        with self.assertRaises(AccessError):
            self.env['crm.churn.run'].with_user(self.user_a).action_refresh_company()
        with self.assertRaises(AccessError):
            self.env['crm.cross.sell.run'].with_user(self.user_a).action_refresh_company()
        with self.assertRaises(AccessError):
            self.env['crm.response.run'].with_user(self.user_a).create({'campaign_ids': []})
        with self.assertRaises(AccessError):
            self.env['crm.churn.run.line'].with_user(self.user_a).search([])

    def test_salesperson_gets_suggestions_without_intelligence_rights(self):
        quotation = self._order(self.customers[10], (self.desk,), confirm=False).with_user(self.salesman)
        self.assertIn(self.chair.id, [row['product_id'] for row in quotation.crm_suggested_products or []])
        with self.assertRaises(AccessError):
            self.env['crm.churn.member'].with_user(self.salesman).search([])
