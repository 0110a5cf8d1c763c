from datetime import timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import LifecycleValueCommon


@tagged('post_install', '-at_install')
class TestLifecycleRefresh(LifecycleValueCommon):

    def test_run_record(self):
        run = self.first_run
        self.assertEqual(run.state, 'done', run.error_message)
        self.assertTrue(run.model_fitted, run.message)
        self.assertEqual(run.model_code, 'mbgnbd')
        self.assertEqual(run.date_to, self.today)
        self.assertEqual(run.buyer_count, 10)  # refund-only and prospect do not buy
        self.assertEqual(run.repeat_customer_count, 9)
        self.assertEqual(run.customer_count, 12)
        for param in ('param_r', 'param_alpha', 'param_a', 'param_b', 'param_p', 'param_q', 'param_v'):
            self.assertGreater(run[param], 0.0, param)
        self.assertLess(run.log_likelihood, 0.0)
        self.assertEqual(run.batch_done, run.batch_total)
        # the three purchase models side by side on the validation period
        self.assertEqual(set(run.comparison_ids.mapped('model_code')), {'bgnbd', 'mbgnbd', 'pareto'})
        fitted = run.comparison_ids.filtered(lambda c: not c.error)
        self.assertTrue(fitted)
        for row in fitted:
            self.assertGreater(row.actual, 0.0)
            self.assertGreater(row.predicted, 0.0)
            self.assertGreaterEqual(row.rmse, row.mae)
        selected = run.comparison_ids.filtered('selected')
        self.assertEqual(selected.model_code, 'mbgnbd')
        if not selected.error:  # the run's own validation figures are its model's row
            self.assertTrue(run.holdout_start)
            self.assertEqual(run.holdout_predicted, selected.predicted)
        self.assertTrue(run.published)
        self.assertEqual(self.env['crm.lifecycle.run.line'].search_count([('run_id', '=', run.id)]),
                         run.customer_count, 'the published run keeps one line per customer')
        self.assertEqual(self.Value.search([('company_id', '=', self.company.id)]).run_id, run)
        self.assertIn('12 customers scored', run.message)

    def test_run_names_are_unique(self):
        other = self._refresh()
        self.assertTrue(self.first_run.name.startswith('LCV/'))
        self.assertNotEqual(other.name, self.first_run.name)
        self.assertEqual(other.baseline_run_id, self.first_run)

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
        self.assertAlmostEqual(value.average_order_value, sum(self.regular_prices) / 24, places=2)
        self.assertEqual(value.first_purchase_date, self.today - timedelta(days=700))
        self.assertFalse(value.at_risk)
        self.assertTrue(value.tier)
        self.assertGreater(value.predicted_clv, 0.0)
        self.assertGreater(value.expected_purchases, 1.0)
        # P(alive) and expected purchases are the engine's, with the run's parameters
        from crm_lifecycle import ModifiedBetaGeoModel

        run = self.first_run
        model = ModifiedBetaGeoModel()
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
        self.assertLess(lapsed.p_alive, 0.5)
        self.assertFalse(lapsed.at_risk, 'a churned customer is no longer "at risk"')
        self.assertEqual(lapsed.retention_clv, 0.0, 'nothing to retain from a churned customer')

        declining = self._value(self.declining)
        self.assertEqual(declining.stage, 'decline', 'silent for more than twice its 60-day rhythm')
        self.assertGreater(declining.retention_clv, 0.0)

        one_time = self._value(self.one_time)
        self.assertEqual(one_time.stage, 'acquisition')
        self.assertEqual(one_time.stage_since, self.today - timedelta(days=30))
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
        self.assertFalse(prospect.stage_since)

    def test_stages_and_p_alive_agree(self):
        values = self.Value.search([('company_id', '=', self.company.id)])
        self.assertFalse(values.filtered(lambda v: v.at_risk and v.stage == 'churned'))
        self.assertFalse(values.filtered(lambda v: v.stage == 'churned' and v.frequency and v.p_alive >= 0.5))
        self.assertFalse(values.filtered(lambda v: v.stage == 'churned' and v.retention_clv))

    def test_stage_since_is_not_the_run_date_for_everyone(self):
        values = self.Value.search([('company_id', '=', self.company.id), ('stage', '!=', 'prospect')])
        self.assertGreater(len(set(values.mapped('stage_since'))), 3)
        self.assertEqual(self._value(self.regular).stage_since,
                         self.today - timedelta(days=700) + timedelta(days=365),
                         'stability reached when the stability tenure was')

    def test_stage_and_tier_order(self):
        """Groups follow the lifecycle and the pyramid, not the alphabet (list, pivot and graph);
        the kanban expands every stage as a column, in that order."""
        order = ['prospect', 'acquisition', 'formation', 'stability', 'decline', 'churned']
        domain = [('company_id', '=', self.company.id)]
        groups = self.Value.formatted_read_group(domain, ['stage'], ['__count'])
        stages = [g['stage'] for g in groups]
        self.assertEqual(stages, [code for code in order if code in stages])
        self.assertGreaterEqual(len(stages), 4)
        expanded = self.Value.with_context(read_group_expand=True).web_read_group(
            domain, ['stage'], ['__count'])['groups']
        self.assertEqual([g['stage'][0] if isinstance(g['stage'], list) else g['stage'] for g in expanded],
                         order)
        groups = self.Value.formatted_read_group(domain, ['tier'], ['__count'])
        tiers = [g['tier'] for g in groups if g['tier']]
        self.assertEqual(tiers, [t for t in ('platinum', 'gold', 'iron', 'lead') if t in tiers])
        self.assertGreaterEqual(len(tiers), 3)
        # a two-level pivot keeps the order on both axes
        pairs = self.Value._read_group(domain, ['stage', 'tier'], ['__count'])
        self.assertEqual([p[0] for p in pairs], sorted([p[0] for p in pairs], key=order.index))

    def test_first_purchase_before_the_window(self):
        """With a one-year window the regular customer's clock still starts at its first-ever
        purchase; the lapsed customer bought before the window only: churned."""
        self.company.write({'crm_intel_analysis_months': 12, 'crm_lcv_holdout_months': 0})
        self._refresh()
        regular = self._value(self.regular)
        self.assertEqual(regular.first_purchase_date, self.today - timedelta(days=700))
        self.assertEqual(regular.tenure_days, 700)
        self.assertEqual(regular.frequency, regular.purchase_count, 'every purchase of the window repeats')
        self.assertNotIn(regular.stage, ('acquisition', 'formation'))
        lapsed = self._value(self.lapsed)
        self.assertEqual((lapsed.stage, lapsed.purchase_count), ('churned', 0))
        self.assertEqual(lapsed.last_purchase_date, self.today - timedelta(days=420))
        self.assertEqual(lapsed.first_purchase_date, self.today - timedelta(days=720))

    def test_refunded_invoice_is_no_purchase(self):
        """An invoice refunded by a credit note a few days later does not count as a purchase."""
        partner = self.env['res.partner'].create({'name': 'LCV Refunded', 'is_company': True})
        invoice = self.env['account.move'].create(self._lcv_moves(partner, [50, 20], [100.0]))
        invoice.action_post()
        refund = invoice[0]._reverse_moves([{'invoice_date': self.today - timedelta(days=45)}])
        refund.action_post()
        self._refresh()
        value = self._value(partner)
        self.assertEqual(value.purchase_count, 1)
        self.assertAlmostEqual(value.revenue, 100.0, places=2)
        self.assertEqual(value.first_purchase_date, self.today - timedelta(days=20))

    def test_prospects_per_company(self):
        """A company's prospects are the partners of its own opportunities; another company's
        customers are not its prospects."""
        company_b = self.env['res.company'].create({'name': 'LCV Prospects B'})
        self.env.user.company_ids |= company_b
        lead_partner = self.env['res.partner'].create({'name': 'LCV B Prospect', 'is_company': True})
        self.env['crm.lead'].sudo().with_company(company_b).create({
            'name': 'B deal', 'type': 'opportunity', 'partner_id': lead_partner.id,
            'company_id': company_b.id})
        self.env['crm.lead'].sudo().with_company(company_b).create({
            'name': 'B deal with A customer', 'type': 'opportunity', 'partner_id': self.regular.id,
            'company_id': company_b.id})
        self._refresh(company_b)
        b_values = self.Value.search([('company_id', '=', company_b.id)])
        self.assertEqual(set(b_values.partner_id), {lead_partner, self.regular})
        self.assertEqual(set(b_values.mapped('stage')), {'prospect'})
        self.assertNotIn(lead_partner, self.Value.search([('company_id', '=', self.company.id)]).partner_id)

    def test_history_and_cohorts(self):
        run = self.first_run
        values = self.Value.search([('company_id', '=', self.company.id)])
        # a first classification is the value itself, no history row (the first run of a company
        # writes none); the run counts it as a stage change
        self.assertFalse(self.History.search([('run_id', '=', run.id)]))
        self.assertEqual(run.stage_change_count, len(values))
        self.assertFalse(values.filtered('previous_stage'))
        cohorts = self.env['crm.customer.cohort'].search([('company_id', '=', self.company.id)])
        self.assertTrue(cohorts)
        offset0 = cohorts.filtered(lambda c: c.period_offset == 0)
        self.assertEqual(sum(offset0.mapped('cohort_size')), run.buyer_count)
        self.assertTrue(all(c.retention_rate == 100.0 for c in offset0))
        self.assertEqual(set(offset0.mapped('period_label')), {'M+00'})
        self.assertTrue(cohorts.filtered('survival_observed'))
        self.assertTrue(all(0 < c.projected_survival <= 100.0 for c in cohorts), 'sBG projection stored')
        self.assertAlmostEqual(sum(cohorts.mapped('revenue')),
                               sum(values.filtered(lambda v: v.purchase_count).mapped('revenue')), places=2)

    def test_cohort_totals_are_weighted(self):
        """The Total of the cohort table is the share of all the cohorts' customers (weighted by
        size), and over the offsets it leaves offset 0 (always 100%) out."""
        Cohort = self.env['crm.customer.cohort']
        domain = [('company_id', '=', self.company.id)]
        cells = Cohort.search([*domain, ('period_offset', '>', 0)])
        expected = sum(c.retention_rate * c.cohort_size for c in cells) / sum(cells.mapped('cohort_size'))
        [[total]] = Cohort._read_group(domain, [], ['retention_rate:avg'])
        self.assertAlmostEqual(total, expected, places=6)
        [[zero]] = Cohort._read_group([*domain, ('period_offset', '=', 0)], [], ['retention_rate:avg'])
        self.assertAlmostEqual(zero, 100.0)

    def test_quarter_cohorts(self):
        self.company.crm_lcv_cohort_period = 'quarter'
        self._refresh()
        cohorts = self.env['crm.customer.cohort'].search([('company_id', '=', self.company.id)])
        self.assertEqual(set(cohorts.mapped('period')), {'quarter'})
        self.assertTrue(all(c.period_label.startswith('Q+') for c in cohorts))
        self.assertTrue(all(c.cohort_month.month in (1, 4, 7, 10) for c in cohorts))

    def test_refresh_idempotent(self):
        before = self._snapshot()
        history_count = self.History.search_count([])
        activity_count = self.env['mail.activity'].search_count([('crm_lifecycle_reason', '!=', False)])
        run = self._refresh()
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
        run = self._refresh()
        lapsed = self._value(self.lapsed)
        self.assertNotEqual(lapsed.stage, 'churned')
        self.assertEqual(lapsed.previous_stage, 'churned')
        self.assertEqual(lapsed.stage_since, run.date_to)
        history = self.History.search([('run_id', '=', run.id)])
        row = history.filtered(lambda h: h.partner_id == self.lapsed)
        self.assertEqual((row.from_stage, row.to_stage), ('churned', lapsed.stage))
        self.assertEqual(run.stage_change_count, len(history))
        # the Lifecycle Flow pivot lists the stages in lifecycle order
        self.History.create([
            {'partner_id': self.regular.id, 'company_id': self.company.id, 'from_stage': code,
             'to_stage': 'decline', 'date': self.today} for code in ('stability', 'acquisition', 'churned')])
        order = ['prospect', 'acquisition', 'formation', 'stability', 'decline', 'churned']
        groups = self.History._read_group([('from_stage', '!=', False)], ['from_stage'])
        stages = [stage for [stage] in groups]
        self.assertEqual(stages, sorted(stages, key=order.index))

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
        self.assertTrue(run._execute())
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
        other = self._refresh()
        self.assertTrue(other.published)
        history_count = self.History.search_count([])
        run._execute()
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

    def test_refresh_now_queues_the_scheduler(self):
        """"Refresh Now" never runs the refresh in the request: it queues a run and triggers the
        scheduled action; a second click shows the queued run instead of another one."""
        cron = self.env.ref('crm_lifecycle_value.ir_cron_crm_lifecycle_refresh')
        triggers = self.env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)])
        action = self.Run.action_refresh_company()
        run = self.Run.browse(action['res_id'])
        self.assertEqual(run.state, 'running')
        self.assertFalse(run.date_to, 'nothing computed yet')
        self.assertGreater(self.env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)]), triggers)
        self.assertEqual(self.Run.action_refresh_company()['res_id'], run.id)
        self.assertIn('Queued', run.message)
        # the scheduler's code runs it
        self.Run._cron_refresh()
        self.assertEqual(run.state, 'done')
        self.assertTrue(run.published)

    def test_nightly_only_companies_with_invoices_and_cleanup(self):
        cron = self.env.ref('crm_lifecycle_value.ir_cron_crm_lifecycle_refresh')
        self.assertEqual(cron.code.strip(), 'model._cron_refresh()')
        idle = self.env['res.company'].create({'name': 'LCV Idle Company'})
        old = self.Run.create({'company_id': self.company.id, 'state': 'done'})
        self.env.cr.execute(SQL("UPDATE crm_lifecycle_run SET started_at = NOW() - INTERVAL '400 days' "
                                "WHERE id = ANY(%s)", [old.id, self.first_run.id]))
        self.Run.invalidate_model()
        self.Run._cron_refresh()
        self.assertFalse(self.Run.search([('company_id', '=', idle.id)]), 'no run without invoices')
        run = self.Run.search([('trigger', '=', 'cron'), ('company_id', '=', self.company.id)], limit=1)
        self.assertEqual(run.state, 'done')
        self.assertEqual(self._value(self.regular).run_id, run)
        self.assertFalse(old.exists(), 'old unpublished runs are cleaned up')
        self.assertFalse(self.first_run.exists(), 'replaced by the nightly run, then old: cleaned up')
        self.assertTrue(run.published)
        # a second call the same day creates no new nightly run
        self.Run._cron_refresh()
        nightly = [('trigger', '=', 'cron'), ('company_id', '=', self.company.id)]
        self.assertEqual(self.Run.search_count(nightly), 1)

    def test_empty_company(self):
        company = self.env['res.company'].create({'name': 'LCV Empty Company'})
        self.env.user.company_ids |= company
        run = self._refresh(company)
        self.assertEqual(run.state, 'done')
        self.assertIn('No posted customer invoice', run.message)
        self.assertFalse(self.Value.search([('company_id', '=', company.id)]))

    def test_bad_settings_refused_when_saved(self):
        """A setting that would make every nightly run fail is refused when saved, with a message."""
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.company.crm_lcv_churn_p_alive = 0.9  # above the at-risk threshold 0.5
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.company.crm_lcv_decline_gap_ratio = 5.0  # above the churn gap factor 4
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.company.crm_intel_alive_threshold = 0.1  # now below the churn P(alive) 0.15
        # a setting saved before this check existed is still refused at "Refresh Now"
        self.env.cr.execute(SQL('UPDATE res_company SET crm_lcv_churn_p_alive = 0.9 WHERE id = %s',
                                self.company.id))
        self.company.invalidate_recordset()
        with self.assertRaises(UserError):
            self.Run.action_refresh_company()

    def test_no_repeat_customers(self):
        """A one-month window where nobody bought twice: no model, a clear note, stages and
        historical values still computed."""
        self.company.write({'crm_intel_analysis_months': 1, 'crm_lcv_holdout_months': 0})
        run = self._refresh()
        self.assertEqual(run.state, 'done')
        self.assertFalse(run.model_fitted)
        self.assertIn('could not be fitted', run.message)
        regular = self._value(self.regular)
        self.assertEqual(regular.purchase_count, 1)
        self.assertNotEqual(regular.stage, 'acquisition', 'a 700-day customer, whatever the window')
        self.assertFalse(regular.p_alive)
        self.assertFalse(regular.predicted_clv)
        self.assertTrue(regular.tier)
        self.assertGreater(regular.retention_clv, 0.0)
        # the lapsed customer bought before the window only: churned, not a prospect
        self.assertEqual(self._value(self.lapsed).stage, 'churned')

    def test_model_choice(self):
        self.company.crm_lcv_model = 'pareto'
        run = self._refresh()
        self.assertEqual(run.model_code, 'pareto')
        self.assertGreater(run.param_s, 0.0)
        self.assertGreater(run.param_beta, 0.0)
        self.assertEqual(run.comparison_ids.filtered('selected').model_code, 'pareto')
        self.assertGreater(self._value(self.regular).p_alive, self._value(self.lapsed).p_alive)


@tagged('post_install', '-at_install')
class TestRetentionActivities(LifecycleValueCommon):

    def setUp(self):
        super().setUp()
        self._retention().unlink()  # those of the first refresh of setUpClass

    def _retention(self):
        return self.env['mail.activity'].search([('crm_lifecycle_reason', '!=', False)])

    def test_scheduled_once_with_reason_and_figures(self):
        self.company.write({'crm_lcv_activity_tiers': '4', 'crm_lcv_activity_days': 5})
        self._unpublish()
        self._refresh()
        values = self.Value.search([('company_id', '=', self.company.id)])
        flagged = values.filtered(lambda v: (v.at_risk or v.stage == 'decline') and v.partner_id.user_id)
        activities = self._retention()
        self.assertTrue(activities)
        self.assertEqual(set(activities.mapped('res_id')), set(flagged.partner_id.ids))
        churned = values.filtered(lambda v: v.stage == 'churned').partner_id.ids
        self.assertFalse(activities.filtered(lambda a: a.res_id in churned),
                         'no activity for customers already gone')
        activity = activities[0]
        self.assertEqual(activity.crm_lifecycle_company_id, self.company)
        self.assertEqual((activity.date_deadline - self.today).days, 5)
        self.assertIn('P(alive)', activity.note)
        self.assertIn('Historical CLV', activity.note)
        # a second run does not duplicate them, even when the values are rebuilt from scratch
        self._refresh()
        self._unpublish()
        self._refresh()
        self.assertEqual(self._retention(), activities)

    def test_fallback_user_and_unassigned(self):
        self.company.write({'crm_lcv_activity_tiers': '4'})
        self.background.write({'user_id': False})
        self._unpublish()
        run = self._refresh()
        unassigned = run.activity_unassigned_count
        self._unpublish()
        self._retention().unlink()
        fallback = new_test_user(self.env, login='lcv_fallback', groups='sales_team.group_sale_salesman')
        self.company.crm_lcv_activity_user_id = fallback
        run = self._refresh()
        self.assertEqual(run.activity_unassigned_count, 0)
        self.assertEqual(len(self._retention().filtered(lambda a: a.user_id == fallback)), unassigned)

    def test_closed_when_the_customer_buys_again(self):
        self.company.write({'crm_lcv_activity_tiers': '4'})
        self._unpublish()
        self._refresh()
        activity = self._retention()[:1]
        self.assertTrue(activity)
        partner = self.env['res.partner'].browse(activity.res_id)
        self.env['account.move'].create(self._lcv_moves(partner, [0], [120.0])).action_post()
        run = self._refresh()
        self.assertFalse(activity.active, 'marked done')
        self.assertGreaterEqual(run.activity_closed_count, 1)

    def test_in_the_recipients_language(self):
        self.env['res.lang']._activate_lang('zh_CN')
        self.env['ir.module.module']._load_module_terms(['crm_lifecycle_value'], ['zh_CN'], overwrite=True)
        self.salesman.lang = 'zh_CN'
        self.company.write({'crm_lcv_activity_tiers': '4'})
        self._unpublish()
        self._refresh()
        mine = self._retention().filtered(lambda a: a.user_id == self.salesman)
        self.assertTrue(mine)
        self.assertTrue(all('挽留' in a.summary for a in mine), mine.mapped('summary'))

    def test_disabled(self):
        self.company.write({'crm_lcv_activity_tiers': '4', 'crm_lcv_activity_enabled': False})
        self._unpublish()
        self._refresh()
        self.assertFalse(self._retention())

    def test_open_check_is_per_company(self):
        """An open retention activity of another company does not stop this company's one."""
        self.company.write({'crm_lcv_activity_tiers': '4'})
        self._unpublish()
        other = self.env['res.company'].create({'name': 'LCV Retention B'})
        self._refresh()
        activities = self._retention()
        self.assertTrue(activities)
        activities.write({'crm_lifecycle_company_id': other.id})
        self._unpublish()
        self._refresh()
        self.assertEqual(len(self._retention()), 2 * len(activities))
