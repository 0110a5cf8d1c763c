from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.crm_suite_base.tests.common import CrmSuiteWebClientMixin

from .common import PredictionCommon, synthetic_transactions


@tagged('post_install', '-at_install')
class TestPredictionWebClient(CrmSuiteWebClientMixin, PredictionCommon, HttpCase):
    """Every button, menu action and the quotation panel, called the way the web client calls them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login='pred_web_manager',
            company_id=cls.company.id,
            groups='sales_team.group_sale_manager,crm_suite_base.group_crm_intelligence_manager,'
            'stock.group_stock_user',
        )
        for partner in cls.customers[:8]:
            cls._order(partner, (cls.desk, cls.chair))
        for partner in cls.customers[8:12]:
            cls._order(partner, (cls.desk, cls.lamp))
        cls.company.crm_xsell_min_support = 10.0
        cls.xsell = cls.env['crm.cross.sell.run']._refresh_company_now(cls.company)
        population = cls.env['res.partner'].create(
            [{'name': f'PRED W {i}', 'is_company': True} for i in range(300)]
        )
        cls.tx = synthetic_transactions(population, seed=7)

    def setUp(self):
        super().setUp()
        self.authenticate('pred_web_manager', 'pred_web_manager')

    def test_refresh_now_from_the_list_headers(self):
        for model, cron in (
            ('crm.churn.run', 'ir_cron_crm_churn_refresh'),
            ('crm.cross.sell.run', 'ir_cron_crm_cross_sell_refresh'),
        ):
            with self.subTest(model=model):
                scheduler = self.env.ref(f'crm_mining_prediction.{cron}')
                triggers = self.env['ir.cron.trigger'].search_count([('cron_id', '=', scheduler.id)])
                result = self._web_call_button(model, 'action_refresh_company', [])
                run = self.env[model].browse(result['res_id'])
                self.assertEqual(run.state, 'running')
                self.assertGreater(
                    self.env['ir.cron.trigger'].search_count([('cron_id', '=', scheduler.id)]), triggers
                )
                again = self._web_call_button(model, 'action_refresh_company', [run.id])
                self.assertEqual(again['res_id'], run.id)
        with patch.object(type(self.env['crm.churn.run']), '_load_transactions', lambda run: self.tx):
            self.env['crm.churn.run']._cron_refresh()
        churn = self.env['crm.churn.run'].search([('published', '=', True)])
        self.assertEqual(churn.state, 'done')
        gains = self._web_call_button('crm.churn.run', 'action_open_gains', [churn.id])
        self.assertEqual(self.env['crm.churn.run.gain'].search_count(gains['domain']), 10)
        member = self.env['crm.churn.member'].search([], limit=1)
        partner = member.partner_id
        opened = self._web_call_button('crm.churn.member', 'action_open_partner', member.ids)
        self.assertEqual((opened['res_model'], opened['res_id']), ('res.partner', partner.id))
        action = self._web_call_button('res.partner', 'action_open_crm_churn', [partner.id])
        self.assertEqual(self.env['crm.churn.member'].search(action['domain']).partner_id, partner)
        high = self.env.ref('crm_mining_prediction.crm_segment_churn_high')
        members = self._web_call_button('crm.segment', 'action_open_members', [high.id])
        self.assertEqual(members['res_model'], 'crm.churn.member')

    def test_cross_sell_buttons_and_add_suggestion(self):
        rules = self._web_call_button('crm.cross.sell.run', 'action_open_rules', [self.xsell.id])
        self.assertEqual(
            self.env['crm.cross.sell.rule'].search_count(rules['domain']), self.xsell.product_rule_count
        )
        quotation = self._order(self.customers[20], (self.desk,), confirm=False)
        read = self._web_call_kw(
            'sale.order', 'web_read', [[quotation.id]], {'specification': {'crm_suggested_products': {}}}
        )
        self.assertEqual({row['product_id'] for row in read[0]['crm_suggested_products']}, {self.chair.id})
        self._web_call_kw('sale.order', 'action_add_crm_suggestion', [[quotation.id], self.chair.id])
        self.assertIn(self.chair, quotation.order_line.product_id)
        with self.assertRaises(JsonRpcException), self.assertLogs('odoo.http', 'WARNING'):
            self._web_call_kw('sale.order', 'action_add_crm_suggestion', [[quotation.id], self.lamp.id])

    def test_response_model_learn_button(self):
        campaign = self.env['utm.campaign'].create({'name': 'PRED Web Campaign'})
        run_id = self._web_call_kw('crm.response.run', 'create', [{'campaign_ids': [(6, 0, campaign.ids)]}])
        cron = self.env.ref('crm_mining_prediction.ir_cron_crm_response_refresh')
        triggers = self.env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)])
        self._web_call_button('crm.response.run', 'action_learn', [run_id])
        self.assertEqual(self.env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)]), triggers + 1)
        run = self.env['crm.response.run'].browse(run_id)
        with self.assertRaisesRegex(UserError, 'reached no customer'):  # the campaign reached nobody
            run._execute()

    def test_private_methods_refused(self):
        for model, method in (
            ('crm.churn.run', '_refresh_company_now'),
            ('crm.churn.run', '_execute'),
            ('crm.cross.sell.run', '_recommend'),
            ('crm.response.run', '_responded'),
        ):
            with (
                self.subTest(method=method),
                self.assertRaises(JsonRpcException),
                self.assertLogs('odoo.http', 'WARNING') as logs,
            ):
                self._web_call_kw(model, method, [[self.xsell.id]])
            self.assertIn('cannot be called remotely', logs.output[0])

    def test_tour_add_a_suggested_product(self):
        quotation = self._order(self.customers[21], (self.desk,), confirm=False)
        self.start_tour(
            f'/odoo/action-sale.action_quotations_with_onboarding/{quotation.id}',
            'crm_suggested_products_tour',
            login='pred_web_manager',
        )
        self.assertIn(self.chair, quotation.order_line.product_id)
