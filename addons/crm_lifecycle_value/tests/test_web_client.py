from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.crm_suite_base.tests.common import CrmSuiteWebClientMixin

from .common import LifecycleValueCommon


@tagged('post_install', '-at_install')
class TestLifecycleWebClient(CrmSuiteWebClientMixin, LifecycleValueCommon, HttpCase):
    """Every button, menu and wizard of the addon, called the way the web client calls them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login='lcv_web_manager', company_id=cls.company.id,
            groups='sales_team.group_sale_salesman,crm_suite_base.group_crm_intelligence_manager')

    def setUp(self):
        super().setUp()
        self.authenticate('lcv_web_manager', 'lcv_web_manager')

    def _cron_triggers(self):
        cron = self.env.ref('crm_lifecycle_value.ir_cron_crm_lifecycle_refresh')
        return self.env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)])

    def test_list_header_refresh_buttons(self):
        """The "Refresh Now" header buttons of both lists, with and without selected rows, queue a
        run and trigger the scheduler (they used to fail: the ids were passed to an @api.model)."""
        values = self.Value.search([('company_id', '=', self.company.id)], limit=2)
        before = self._cron_triggers()
        for model, method, ids in (('crm.customer.value', 'action_refresh', values.ids),
                                   ('crm.customer.value', 'action_refresh', []),
                                   ('crm.lifecycle.run', 'action_refresh_company', self.first_run.ids),
                                   ('crm.lifecycle.run', 'action_refresh_company', [])):
            with self.subTest(model=model, ids=ids):
                action = self._web_call_button(model, method, ids)
                self.assertEqual(action['res_model'], 'crm.lifecycle.run')
                run = self.Run.browse(action['res_id'])
                self.assertEqual(run.state, 'running')
        self.assertEqual(len(self.Run.search([('state', '=', 'running')])), 1, 'one queued run, not four')
        self.assertGreater(self._cron_triggers(), before)

    def test_export_header_button_and_wizard(self):
        picked = self._value(self.regular) | self._value(self.one_time)
        action = self._web_call_button('crm.customer.value', 'action_export_xlsx', picked.ids)
        self.assertEqual(action['res_model'], 'crm.lifecycle.export.wizard')
        context = action['context']
        wizard_id = self._web_call_kw('crm.lifecycle.export.wizard', 'create', [[{}]],
                                      {'context': context})[0]
        wizard = self.env['crm.lifecycle.export.wizard'].browse(wizard_id)
        self.assertEqual(wizard.value_ids, picked)
        download = self._web_call_button('crm.lifecycle.export.wizard', 'action_export', [wizard_id])
        self.assertEqual(download['type'], 'ir.actions.act_url')
        self.assertTrue(download['close'])
        response = self.url_open(download['url'])
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b'PK'))
        # without a selection: the whole company
        action = self._web_call_button('crm.customer.value', 'action_export_xlsx', [])
        self.assertFalse(action.get('context'))

    def test_form_buttons(self):
        value = self._value(self.regular)
        partner_action = self._web_call_button('crm.customer.value', 'action_open_partner', value.ids)
        self.assertEqual(partner_action['res_id'], self.regular.id)
        history = self._web_call_button('crm.customer.value', 'action_open_stage_history', value.ids)
        self.assertEqual(history['res_model'], 'crm.customer.stage.history')
        run_history = self._web_call_button('crm.lifecycle.run', 'action_open_stage_history',
                                            self.first_run.ids)
        self.assertIn(('run_id', '=', self.first_run.id), [tuple(t) for t in run_history['domain']])
        opened = self._web_call_button('res.partner', 'action_open_crm_value', self.regular.ids)
        self.assertEqual(opened['res_id'], value.id)
        tab_history = self._web_call_button('res.partner', 'action_open_crm_stage_history',
                                            self.regular.ids)
        self.assertEqual(tab_history['res_model'], 'crm.customer.stage.history')

    def test_resume_button(self):
        self.env['ir.config_parameter'].set_param('crm_lifecycle_value.batch_size', '3')
        run = self.Run.create({'company_id': self.company.id})
        run._execute(max_batches=1)
        before = self._cron_triggers()
        action = self._web_call_button('crm.lifecycle.run', 'action_resume', run.ids)
        self.assertEqual(action['res_id'], run.id)
        self.assertGreater(self._cron_triggers(), before)
        self.assertEqual(run.state, 'running', 'resumed by the scheduler, not in the request')

    def test_menus_and_actions_load(self):
        menus = self.env['ir.ui.menu'].with_user(self.manager).load_menus(debug=False)
        for xmlid in ('menu_crm_customer_value', 'menu_crm_customer_cohort',
                      'menu_crm_customer_lifecycle_flow', 'menu_crm_lifecycle_retention_activity',
                      'menu_crm_lifecycle_export', 'menu_crm_lifecycle_run'):
            menu = self.env.ref(f'crm_lifecycle_value.{xmlid}')
            with self.subTest(menu=xmlid):
                self.assertIn(menu.id, menus)
                action = self.make_jsonrpc_request('/web/action/load', {'action_id': menu.action.id})
                model = action['res_model']
                domain = action.get('domain') or []
                if isinstance(domain, str):
                    domain = safe_eval(domain, {'allowed_company_ids': [self.company.id],
                                                'uid': self.manager.id})
                self._web_call_kw(model, 'web_search_read', [], {
                    'domain': domain, 'specification': {'display_name': {}},
                    'limit': 5, 'context': {'allowed_company_ids': [self.company.id]}})
