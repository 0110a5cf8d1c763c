import numpy as np
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LifecycleValueCommon


@tagged('post_install', '-at_install')
class TestLifecycleRefresh(LifecycleValueCommon):

    def test_run_record(self):
        run = self.first_run
        self.assertEqual(run.state, 'done', run.error_message)
        self.assertTrue(run.model_fitted, run.message)
        self.assertEqual(run.user_id, self.env.user)
        self.assertEqual(run.date_to, self.today)
        self.assertEqual(run.buyer_count, 9)  # refund-only and prospect do not buy
        self.assertEqual(run.repeat_customer_count, 8)
        self.assertGreaterEqual(run.customer_count, 11)
        for param in ('param_r', 'param_alpha', 'param_a', 'param_b', 'param_p', 'param_q', 'param_v'):
            self.assertGreater(run[param], 0.0, param)
        self.assertLess(run.log_likelihood, 0.0)
        self.assertEqual(run.batch_done, run.batch_total)
        self.assertTrue(run.holdout_start)
        self.assertGreater(run.holdout_actual, 0.0)
        self.assertGreater(run.holdout_predicted, 0.0)
        self.assertGreaterEqual(run.holdout_rmse, run.holdout_mae)
        self.assertTrue(run.published)
        self.assertEqual(self.env['crm.lifecycle.run.line'].search_count([('run_id', '=', run.id)]),
                         run.customer_count, 'the published run keeps one line per customer')
        self.assertEqual(self.Value.search([('company_id', '=', self.company.id)]).run_id, run)

    def test_one_published_run_per_company(self):
        """Two runs finishing together cannot both publish: the second one fails."""
        self.assertTrue(self.first_run.published)
        with mute_logger('odoo.sql_db'), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            run = self.Run.create({'company_id': self.company.id, 'state': 'done', 'published': True})
            run.flush_recordset()

    def test_regular_buyer(self):
        value = self._value(self.regular)
        self.assertEqual(value.stage, 'stability')
        self.assertEqual(value.purchase_count, 24)
        self.assertEqual(value.frequency, 23)
        self.assertEqual(value.recency_days, 10)
        self.assertEqual(value.tenure_days, 700)
        self.assertAlmostEqual(value.revenue, sum(self.regular_prices), places=2)
        self.assertEqual(value.first_purchase_date, self.first_run.date_to - np.timedelta64(700, 'D').item())
        self.assertFalse(value.at_risk)
        self.assertEqual(value.tier, 'platinum')  # the most valuable customer of the population
        self.assertGreater(value.predicted_clv, 0.0)
        self.assertGreater(value.expected_purchases, 1.0)
        # P(alive) and expected purchases are the engine's, with the run's parameters
        from crm_lifecycle import BetaGeoModel

        run = self.first_run
        model = BetaGeoModel()
        model.params_ = {k: run[f'param_{k}'] for k in model.param_names}
        self.assertAlmostEqual(value.p_alive, float(model.prob_alive([23.0], [690.0], [700.0])[0]), places=3)
        expected = float(model.expected_purchases(run.horizon_months * 30.0, [23.0], [690.0], [700.0])[0])
        self.assertAlmostEqual(value.expected_purchases, expected, places=2)
        # the partner's contact shows its commercial entity's value
        self.assertEqual(self.regular_contact.crm_value_id, value)
        self.assertEqual(self.regular.crm_value_stage, 'stability')

    def test_other_patterns(self):
        lapsed = self._value(self.lapsed)
        self.assertEqual(lapsed.stage, 'churned')
        self.assertEqual(lapsed.purchase_count, 11)
        self.assertEqual(lapsed.recency_days, 420)
        self.assertLess(lapsed.p_alive, self._value(self.regular).p_alive)

        one_time = self._value(self.one_time)
        self.assertEqual(one_time.stage, 'acquisition')
        self.assertEqual(one_time.purchase_count, 1)
        self.assertEqual(one_time.frequency, 0)
        self.assertAlmostEqual(one_time.revenue, 500.0, places=2)

        refund_only = self._value(self.refund_only)
        self.assertEqual(refund_only.stage, 'prospect')
        self.assertEqual(refund_only.purchase_count, 0)
        self.assertAlmostEqual(refund_only.revenue, -80.0, places=2)
        self.assertFalse(refund_only.tier)

        prospect = self._value(self.prospect)
        self.assertEqual(prospect.stage, 'prospect')
        self.assertEqual(prospect.revenue, 0.0)
        self.assertFalse(prospect.first_purchase_date)

    def test_history_and_cohorts(self):
        run = self.first_run
        history = self.History.search([('run_id', '=', run.id)])
        values = self.Value.search([('company_id', '=', self.company.id)])
        self.assertEqual(len(history), len(values), 'first classification of every customer')
        self.assertFalse(history.filtered('from_stage'))
        regular = history.filtered(lambda h: h.partner_id == self.regular)
        self.assertEqual((regular.from_stage, regular.to_stage), (False, 'stability'))
        cohorts = self.env['crm.customer.cohort'].search([('company_id', '=', self.company.id)])
        self.assertTrue(cohorts)
        offset0 = cohorts.filtered(lambda c: c.period_offset == 0)
        self.assertEqual(sum(offset0.mapped('cohort_size')), run.buyer_count)
        self.assertTrue(all(c.retention_rate == 100.0 for c in offset0))
        self.assertAlmostEqual(sum(cohorts.mapped('revenue')),
                               sum(values.filtered(lambda v: v.purchase_count).mapped('revenue')), places=2)

    def test_refresh_idempotent(self):
        before = self._snapshot()
        history_count = self.History.search_count([])
        activity_count = self.env['mail.activity'].search_count([('crm_lifecycle_reason', '!=', False)])
        action = self.Run.action_refresh_company()
        run = self.Run.browse(action['res_id'])
        self.assertEqual(run.state, 'done')
        self.assertNotEqual(run, self.first_run)
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(self.History.search_count([]), history_count, 'no stage change, no history row')
        self.assertFalse(self.first_run.published)
        self.assertFalse(self.env['crm.lifecycle.run.line'].search([('run_id', '=', self.first_run.id)]),
                         'the lines of the replaced run are deleted')
        self.assertEqual(
            self.env['mail.activity'].search_count([('crm_lifecycle_reason', '!=', False)]), activity_count)

    def test_stage_change_history(self):
        """A new purchase of the lapsed customer moves it out of churned: one history row."""
        self.env['account.move'].create(self._lcv_moves(self.lapsed, [1, 0], [90.0])).action_post()
        action = self.Run.action_refresh_company()
        run = self.Run.browse(action['res_id'])
        lapsed = self._value(self.lapsed)
        self.assertNotEqual(lapsed.stage, 'churned')
        self.assertEqual(lapsed.previous_stage, 'churned')
        self.assertEqual(lapsed.stage_since, run.date_to)
        history = self.History.search([('run_id', '=', run.id)])
        self.assertIn(self.lapsed, history.partner_id)
        row = history.filtered(lambda h: h.partner_id == self.lapsed)
        self.assertEqual((row.from_stage, row.to_stage), ('churned', lapsed.stage))

    def test_resume_after_interruption(self):
        """A run stopped after its first batch keeps the published values and resumes to the same
        result as an uninterrupted run."""
        before = self._snapshot()
        self.env['ir.config_parameter'].set_param('crm_lifecycle_value.batch_size', '3')
        run = self.Run.create({'company_id': self.company.id})
        self.assertFalse(run._execute(max_batches=1))
        self.assertEqual(run.state, 'running')
        self.assertEqual(run.batch_done, 1)
        self.assertGreater(run.batch_total, 2)
        self.assertEqual(self.env['crm.lifecycle.run.line'].search_count([('run_id', '=', run.id)]), 3)
        self.assertEqual(self._snapshot(), before, 'nothing published before the run completes')
        run.action_resume()
        self.assertEqual(run.state, 'done')
        self.assertEqual(run.batch_done, run.batch_total)
        self.assertEqual(self._snapshot(), before)

    def test_resume_after_another_run_published(self):
        """A run interrupted while another one completes compares its customers with the new
        published run when it resumes: no duplicate line, no stage change reported twice."""
        before = self._snapshot()
        self.env['ir.config_parameter'].set_param('crm_lifecycle_value.batch_size', '3')
        run = self.Run.create({'company_id': self.company.id})
        self.assertFalse(run._execute(max_batches=1))
        self.assertEqual(run.baseline_run_id, self.first_run)
        self.env['account.move'].create(self._lcv_moves(self.lapsed, [1, 0], [90.0])).action_post()
        other = self.Run.browse(self.Run.action_refresh_company()['res_id'])
        self.assertTrue(other.published)
        history_count = self.History.search_count([])
        run.action_resume()
        self.assertEqual(run.state, 'done')
        self.assertTrue(run.published)
        lapsed = self._value(self.lapsed)
        self.assertNotEqual(lapsed.stage, 'churned', 'the new purchase is counted')
        self.assertEqual(lapsed.previous_stage, 'churned')
        self.assertEqual(self.History.search_count([]), history_count,
                         'the change of the lapsed customer was recorded once, by the other run')
        self.assertEqual(self.env['crm.lifecycle.run.line'].search_count([('run_id', '=', run.id)]),
                         run.customer_count)
        self.assertEqual(run.baseline_run_id, other)
        self.assertNotEqual(before, self._snapshot())

    def test_cron_refresh(self):
        # the scheduled action's code, in the test transaction (method_direct_trigger would commit)
        cron = self.env.ref('crm_lifecycle_value.ir_cron_crm_lifecycle_refresh')
        self.assertEqual(cron.code.strip(), 'model._cron_refresh()')
        self.Run._cron_refresh()
        run = self.Run.search([('trigger', '=', 'cron'), ('company_id', '=', self.company.id)], limit=1)
        self.assertEqual(run.state, 'done')
        self.assertEqual(self._value(self.regular).run_id, run)

    def test_empty_window(self):
        company = self.env['res.company'].create({'name': 'LCV Empty Company'})
        self.env.user.company_ids |= company
        action = self.Run.with_company(company).action_refresh_company()
        run = self.Run.browse(action['res_id'])
        self.assertEqual(run.state, 'done')
        self.assertIn('No posted customer invoice', run.message)
        self.assertFalse(self.Value.search([('company_id', '=', company.id)]))

    def test_bad_thresholds(self):
        self.company.crm_lcv_churn_p_alive = 0.9  # above the at-risk (decline) threshold 0.5
        with self.assertRaises(UserError):
            self.Run.action_refresh_company()

    def test_retention_activities_once(self):
        Activity = self.env['mail.activity']
        self.company.write({'crm_lcv_activity_tiers': '4', 'crm_lcv_activity_days': 5})
        # start from an empty published state so that every condition is new
        self._unpublish()
        self.Run.action_refresh_company()
        at_risk = self.Value.search([('company_id', '=', self.company.id), ('at_risk', '=', True)])
        declining = self.Value.search([('company_id', '=', self.company.id), ('stage', '=', 'decline')])
        self.assertIn(self.lapsed, at_risk.partner_id)
        activities = Activity.search([('crm_lifecycle_reason', '!=', False)])
        self.assertEqual(set(activities.mapped('res_id')), set((at_risk | declining).partner_id.ids))
        lapsed_activity = activities.filtered(lambda a: a.res_id == self.lapsed.id)
        self.assertEqual(len(lapsed_activity), 1)
        self.assertEqual(lapsed_activity.user_id, self.salesman)
        self.assertEqual(lapsed_activity.activity_type_id, self.env.ref('mail.mail_activity_data_todo'))
        self.assertEqual(lapsed_activity.crm_lifecycle_reason, 'at_risk')
        self.assertEqual((lapsed_activity.date_deadline - self.today).days, 5)
        # a second run does not duplicate them, even when the values are rebuilt from scratch
        self.Run.action_refresh_company()
        self._unpublish()
        self.Run.action_refresh_company()
        self.assertEqual(Activity.search([('crm_lifecycle_reason', '!=', False)]), activities)

    def test_retention_activities_disabled(self):
        self.company.write({'crm_lcv_activity_tiers': '4', 'crm_lcv_activity_enabled': False})
        self._unpublish()
        self.Run.action_refresh_company()
        self.assertFalse(self.env['mail.activity'].search([('crm_lifecycle_reason', '!=', False)]))

    def test_no_repeat_customers(self):
        """A one-month window where nobody bought twice: no model, a clear note, stages and
        historical values still computed."""
        self.company.write({'crm_intel_analysis_months': 1, 'crm_lcv_holdout_months': 0})
        action = self.Run.action_refresh_company()
        run = self.Run.browse(action['res_id'])
        self.assertEqual(run.state, 'done')
        self.assertFalse(run.model_fitted)
        self.assertEqual(run.repeat_customer_count, 0)
        self.assertIn('could not be fitted', run.message)
        regular = self._value(self.regular)
        self.assertEqual(regular.stage, 'acquisition')
        self.assertEqual(regular.purchase_count, 1)
        self.assertFalse(regular.p_alive)
        self.assertFalse(regular.predicted_clv)
        self.assertTrue(regular.tier)
        self.assertGreater(regular.retention_clv, 0.0)
        # the lapsed customer bought before the window only: churned, not a prospect
        self.assertEqual(self._value(self.lapsed).stage, 'churned')
