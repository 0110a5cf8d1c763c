from odoo.tests import HttpCase, tagged


@tagged('post_install', '-at_install')
class TestLifecycleTour(HttpCase):

    def test_partner_value_tab(self):
        company = self.env.ref('base.main_company')
        partner = self.env['res.partner'].create({'name': 'LCV Tour Customer', 'is_company': True})
        run = self.env['crm.lifecycle.run'].create({
            'company_id': company.id, 'state': 'done', 'published': True, 'model_fitted': True})
        self.env['crm.lifecycle.run.line'].create({
            'run_id': run.id,
            'partner_id': partner.id,
            'company_id': company.id,
            'stage': 'stability',
            'tier': 'gold',
            'p_alive': 0.87,
            'predicted_clv': 1234.5,
            'purchase_count': 12,
        })
        admin = self.env.ref('base.user_admin')
        self.assertTrue(admin.has_group('crm_suite_base.group_crm_intelligence_user'))
        self.start_tour(f'/odoo/res.partner/{partner.id}', 'crm_lifecycle_value_partner_tab', login='admin')
