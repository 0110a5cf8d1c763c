from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LifecycleValueCommon


@tagged('post_install', '-at_install')
class TestLifecycleSecurity(LifecycleValueCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsider = new_test_user(
            cls.env, login='lcv_outsider', groups='sales_team.group_sale_salesman', company_id=cls.company.id)
        cls.analyst = new_test_user(
            cls.env, login='lcv_analyst', company_id=cls.company.id,
            groups='sales_team.group_sale_salesman,crm_suite_base.group_crm_intelligence_user')
        cls.manager = new_test_user(
            cls.env, login='lcv_manager', company_id=cls.company.id,
            groups='sales_team.group_sale_salesman,crm_suite_base.group_crm_intelligence_manager')
        cls.company_b = cls.env['res.company'].create({'name': 'LCV Company B'})
        cls.analyst_b = new_test_user(
            cls.env, login='lcv_analyst_b', company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
            groups='sales_team.group_sale_salesman,crm_suite_base.group_crm_intelligence_user')

    def test_non_member_cannot_read(self):
        value = self._value(self.regular)
        for model in ('crm.customer.value', 'crm.customer.stage.history', 'crm.customer.cohort',
                      'crm.lifecycle.run'):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.outsider).search([])
        with self.assertRaises(AccessError):
            value.with_user(self.outsider).read(['predicted_clv'])
        # the partner fields are restricted to the Intelligence groups
        with self.assertRaises(AccessError):
            self.regular.with_user(self.outsider).read(['crm_value_predicted_clv'])
        partner_view = self.env['res.partner'].with_user(self.outsider).get_view(view_type='form')
        self.assertNotIn('crm_value_predicted_clv', partner_view['arch'])

    def test_user_reads_but_cannot_run(self):
        value = self._value(self.regular).with_user(self.analyst)
        self.assertEqual(value.stage, 'stability')
        self.assertEqual(self.regular.with_user(self.analyst).crm_value_stage, 'stability')
        partner_view = self.env['res.partner'].with_user(self.analyst).get_view(view_type='form')
        self.assertIn('crm_value_predicted_clv', partner_view['arch'])
        with self.assertRaises(AccessError):
            self.Run.with_user(self.analyst).action_refresh_company()
        with self.assertRaises(AccessError):
            self.Value.with_user(self.analyst).action_refresh()
        with self.assertRaises(AccessError):
            value.write({'stage': 'churned'})
        with self.assertRaises(AccessError):
            value.unlink()

    def test_manager_queues(self):
        action = self.Run.with_user(self.manager).action_refresh_company()
        run = self.Run.browse(action['res_id'])
        self.assertEqual(run.state, 'running', 'queued for the scheduler, not run in the request')
        self.assertEqual(run.user_id, self.manager)
        run.with_company(self.company)._execute()
        self.assertEqual(run.state, 'done')

    def test_company_isolation(self):
        Value = self.env['crm.customer.value']
        self.assertTrue(Value.with_user(self.analyst).search([]))
        self.assertFalse(Value.with_user(self.analyst_b).search([]))
        with self.assertRaises(AccessError):
            self._value(self.regular).with_user(self.analyst_b).read(['predicted_clv'])
        self.assertFalse(self.env['crm.lifecycle.run'].with_user(self.analyst_b).search([]))
        self.assertFalse(self.env['crm.customer.stage.history'].with_user(self.analyst_b).search([]))
        self.assertFalse(self.env['crm.customer.cohort'].with_user(self.analyst_b).search([]))
        self.assertFalse(self.env['crm.lifecycle.run.model'].with_user(self.analyst_b).search([]))
        self.assertTrue(self.env['crm.lifecycle.run.model'].with_user(self.analyst).search([]))
        # the partner tab shows the values of the current company only
        partner = self.regular.with_user(self.analyst_b).with_company(self.company_b)
        self.assertFalse(partner.crm_value_id)
