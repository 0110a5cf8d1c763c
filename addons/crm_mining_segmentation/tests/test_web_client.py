from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.crm_suite_base.tests.common import CrmSuiteWebClientMixin

from .common import SegmentationCommon


@tagged('post_install', '-at_install')
class TestSegmentationWebClient(CrmSuiteWebClientMixin, SegmentationCommon, HttpCase):
    """The buttons and the wizard called the way the web client calls them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login='seg_web_manager', company_id=cls.company.id,
            groups='sales_team.group_sale_salesman,crm_suite_base.group_crm_intelligence_manager')

    def setUp(self):
        super().setUp()
        self.authenticate('seg_web_manager', 'seg_web_manager')

    def test_refresh_now_from_the_list_header(self):
        cron = self.env.ref('crm_mining_segmentation.ir_cron_crm_segmentation_refresh')
        triggers = self.env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)])
        result = self._web_call_button('crm.segmentation.run', 'action_refresh_company', [])
        run = self.Run.browse(result['res_id'])
        self.assertEqual(run.state, 'running')
        self.assertEqual(self.env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)]), triggers + 1)
        # again with a selected run: the same queued run is shown, no second one
        again = self._web_call_button('crm.segmentation.run', 'action_refresh_company', [self.first_run.id])
        self.assertEqual(again['res_id'], run.id)
        self.Run._cron_refresh()
        self.assertEqual(run.state, 'done')
        self.assertTrue(run.published)

    def test_segment_buttons_and_wizard(self):
        champions = self._rfm_segment('champions')
        members = self._web_call_button('crm.segment', 'action_open_members', [champions.id])
        self.assertEqual(members['res_model'], 'crm.segment.member')
        self.assertEqual(self.Member.search_count(members['domain']), champions.member_count)
        transitions = self._web_call_button('crm.segment', 'action_open_transitions', [champions.id])
        self.assertEqual(transitions['res_model'], 'crm.segment.transition')
        action = self._web_call_button('crm.segment', 'action_open_wizard', [champions.id])
        self.assertEqual(action['res_model'], 'crm.segment.action.wizard')
        tag = self.env['res.partner.category'].create({'name': 'SEG Web Tag'})
        wizard_id = self._web_call_kw('crm.segment.action.wizard', 'create', [{
            'segment_id': champions.id, 'action': 'add_tag', 'tag_id': tag.id}])
        result = self._web_call_button('crm.segment.action.wizard', 'action_apply', [wizard_id])
        self.assertEqual(result['tag'], 'display_notification')
        self.assertEqual(len(tag.partner_ids), champions.member_count)

    def test_partner_segments_button(self):
        partner = self.groups['Champion'][0]
        action = self._web_call_button('res.partner', 'action_open_crm_segments', [partner.id])
        self.assertEqual(self.Member.search(action['domain']).partner_id, partner)
        action = self._web_call_button('res.partner', 'action_open_crm_transactions', [partner.id])
        self.assertEqual(action['res_model'], 'crm.suite.customer.transaction')

    def test_private_methods_refused(self):
        for method in ('_refresh_company_now', '_cron_refresh', '_execute'):
            with self.subTest(method=method), self.assertRaises(JsonRpcException), \
                    self.assertLogs('odoo.http', 'WARNING') as logs:
                self._web_call_kw('crm.segmentation.run', method, [[self.first_run.id]])
            self.assertIn('cannot be called remotely', logs.output[0])
