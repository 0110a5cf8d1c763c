from odoo.tests import tagged

from odoo.addons.crm_callcenter_service.tests.common_calls import T0, CallCenterTestCommon, call_events


@tagged('post_install', '-at_install')
class TestScreenPopChurn(CallCenterTestCommon):
    def test_churn_risk_on_the_card(self):
        run = self.env['crm.churn.run'].sudo().create(
            {'company_id': self.company.id, 'state': 'done', 'published': True})
        self.env['crm.churn.run.line'].sudo().create({
            'run_id': run.id, 'company_id': self.company.id, 'partner_id': self.customer.id,
            'churn_probability': 0.72, 'risk_band': 'high'})
        self._ingest(call_events('churn-1', T0, wait=5, talk=30))
        card = self._call('churn-1').with_user(self.agent).get_screen_pop_card()
        facts = {fact['label']: fact['value'] for fact in card['facts']}
        self.assertEqual(facts['Risk Band'], 'High (72 %)')
