import dataclasses
import logging
import math
import time

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.crm_suite_base.tools.pgcopy import copy_query

_logger = logging.getLogger(__name__)

MANAGER_GROUP = 'crm_suite_base.group_crm_intelligence_manager'
DEFAULT_BATCH_SIZE = 50000
@dataclasses.dataclass
class _Population:
    """Everything a run needs about its customers, aligned on ``partner_ids`` (sorted).

    Built again (cheaply, vectorised) each time a run starts or resumes.
    """

    facts: object
    partner_ids: np.ndarray
    n_purchases: np.ndarray
    frequency: np.ndarray
    recency: np.ndarray
    T: np.ndarray
    monetary_value: np.ndarray
    first_date: np.ndarray
    last_date: np.ndarray
    total_amount: np.ndarray
    revenue: np.ndarray
    margin: np.ndarray
    trend: np.ndarray
    bought_before_window: np.ndarray


class CrmLifecycleRun(models.Model):
    """One refresh of the customer lifecycle and value figures of a company.

    The run fits BG/NBD and Gamma-Gamma once on all customers of the company's analysis window,
    scores them all, writes one ``crm.lifecycle.run.line`` per customer in committed batches and
    publishes them at the end (``crm_lifecycle_run_publish.py``).
    """

    _name = 'crm.lifecycle.run'
    _description = 'Customer Lifecycle Model Run'
    _order = 'id desc'
    _check_company_auto = True

    name = fields.Char(compute='_compute_name', store=True)
    company_id = fields.Many2one(
        'res.company', required=True, readonly=True, index=True,
        default=lambda self: self.env.company)
    currency_id = fields.Many2one(related='company_id.currency_id', string='Currency')
    user_id = fields.Many2one(
        'res.users', string='Run By', readonly=True, default=lambda self: self.env.user)
    trigger = fields.Selection(
        [('manual', 'Manual'), ('cron', 'Scheduled')], default='manual', readonly=True)
    state = fields.Selection(
        [('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')],
        string='Status', default='running', required=True, readonly=True, index=True)
    date_from = fields.Date(string='Window Start', readonly=True)
    date_to = fields.Date(string='Window End', readonly=True)
    horizon_months = fields.Integer(string='Horizon (months)', readonly=True)
    discount_rate = fields.Float(string='Annual Discount Rate (%)', readonly=True)
    started_at = fields.Datetime(string='Started', readonly=True, default=fields.Datetime.now)
    finished_at = fields.Datetime(string='Finished', readonly=True)
    duration = fields.Float(string='Duration (s)', readonly=True, digits=(16, 2))
    batch_size = fields.Integer(readonly=True)
    batch_done = fields.Integer(string='Batches Done', readonly=True)
    batch_total = fields.Integer(string='Batches', readonly=True)
    progress = fields.Float(string='Progress (%)', compute='_compute_progress')
    customer_count = fields.Integer(
        string='Customers', readonly=True, help='Customers scored, prospects included.')
    buyer_count = fields.Integer(string='Buying Customers', readonly=True)
    repeat_customer_count = fields.Integer(string='Repeat Customers', readonly=True)
    baseline_run_id = fields.Many2one(
        'crm.lifecycle.run', string='Compared With', readonly=True, ondelete='set null',
        help='The published run when this run started: stage changes are measured against it.')
    published = fields.Boolean(
        readonly=True, copy=False,
        help='The figures of this run are the customer values of the company (its latest '
             'completed run).')
    model_fitted = fields.Boolean(readonly=True)
    param_r = fields.Float(string='r', readonly=True)
    param_alpha = fields.Float(string='alpha', readonly=True)
    param_a = fields.Float(string='a', readonly=True)
    param_b = fields.Float(string='b', readonly=True)
    param_p = fields.Float(string='p', readonly=True)
    param_q = fields.Float(string='q', readonly=True)
    param_v = fields.Float(string='v', readonly=True)
    log_likelihood = fields.Float(string='BG/NBD Log-likelihood', readonly=True, digits=(16, 4))
    gg_log_likelihood = fields.Float(string='Gamma-Gamma Log-likelihood', readonly=True, digits=(16, 4))
    holdout_start = fields.Date(readonly=True)
    holdout_customer_count = fields.Integer(string='Holdout Customers', readonly=True)
    holdout_actual = fields.Float(string='Actual Holdout Purchases', readonly=True, digits=(16, 2))
    holdout_predicted = fields.Float(string='Predicted Holdout Purchases', readonly=True, digits=(16, 2))
    holdout_error_pct = fields.Float(
        string='Aggregate Error (%)', readonly=True, digits=(16, 2),
        help='(predicted - actual) / actual repeat purchases over the holdout period.')
    holdout_mae = fields.Float(string='Per-customer MAE', readonly=True, digits=(16, 4))
    holdout_rmse = fields.Float(string='Per-customer RMSE', readonly=True, digits=(16, 4))
    message = fields.Text(string='Notes', readonly=True)
    error_message = fields.Text(string='Error', readonly=True)
    history_count = fields.Integer(compute='_compute_history_count', string='Stage Changes')

    # at most one published run per company, even when two runs of a company finish at the same
    # time: the second one to commit fails (and can be run again) instead of publishing twice
    _company_published_uniq = models.UniqueIndex(
        '(company_id) WHERE published', 'A company has one published lifecycle run.')

    @api.depends('company_id', 'date_to')
    def _compute_name(self):
        for run in self:
            run.name = f'{run.company_id.name or ""} {run.date_to or ""}'.strip()

    @api.depends('batch_done', 'batch_total', 'state')
    def _compute_progress(self):
        for run in self:
            if run.state == 'done':
                run.progress = 100.0
            elif run.batch_total:
                run.progress = 100.0 * run.batch_done / (run.batch_total + 1)
            else:
                run.progress = 0.0

    def unlink(self):
        self._delete_lines()
        return super().unlink()

    def _delete_lines(self):
        """Delete the lines of these runs in one statement (there is one per customer)."""
        if self.ids:
            self.env['crm.lifecycle.run.line'].flush_model()
            self.env.cr.execute(SQL(
                'DELETE FROM crm_lifecycle_run_line WHERE run_id = ANY(%s)', self.ids))
            self.env['crm.lifecycle.run.line'].invalidate_model()

    def _compute_history_count(self):
        counts = dict(self.env['crm.customer.stage.history']._read_group(
            [('run_id', 'in', self.ids)], ['run_id'], ['__count']))
        for run in self:
            run.history_count = counts.get(run, 0)

    # ------------------------------------------------------------------------------------------
    # entry points
    # ------------------------------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._(
                'Only CRM Intelligence managers can refresh the customer lifecycle values.'))

    @api.model
    def action_refresh_company(self):
        """Refresh the current company now (button of the run and customer value lists)."""
        self._check_manager()
        run = self.create({'company_id': self.env.company.id, 'trigger': 'manual'})
        run._execute()
        return run._action_open_form()

    def action_resume(self):
        """Continue an interrupted run (state running) from its last committed batch."""
        self._check_manager()
        for run in self:
            if run.state != 'running':
                raise UserError(self.env._('Only a running (interrupted) run can be resumed.'))
            run._execute()
        return self[:1]._action_open_form() if len(self) == 1 else True

    def action_open_stage_history(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'crm_lifecycle_value.crm_customer_stage_history_action')
        action['domain'] = [('run_id', '=', self.id)]
        action['context'] = {}
        return action

    def _action_open_form(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': self.env._('Model Run'),
            'res_model': self._name,
            'res_id': self.id,
            'view_mode': 'form',
            'views': [(False, 'form')],
            'target': 'current',
        }

    @api.model
    def _cron_refresh(self):
        """Nightly refresh of every company, in committed batches.

        Runs left in state ``running`` (a previous call ran out of time or the server stopped) are
        resumed first; new runs are only created when none is pending.
        """
        runs_model = self.sudo()  # the scheduler works for every company
        runs = runs_model.search([('state', '=', 'running')], order='id')
        if not runs:
            companies = runs_model.env['res.company'].search([('active', '=', True)])
            runs = runs_model.create([
                {'company_id': company.id, 'trigger': 'cron', 'user_id': self.env.user.id}
                for company in companies
            ])
            self._cron_progress(remaining=len(runs))
        for run in runs:
            if not run.with_company(run.company_id)._execute():
                return  # out of time: the scheduler calls again while work remains
        self._cron_progress(remaining=0)

    def _cron_progress(self, processed=0, remaining=None):
        """``ir.cron._commit_progress`` when running inside the scheduler (commits, reports
        progress, returns the seconds left); nothing outside it (manual refresh, tests)."""
        if self.env.context.get('ir_cron_progress_id') and self.env.context.get('cron_id'):
            return self.env['ir.cron']._commit_progress(processed, remaining=remaining)
        return float('inf')

    # ------------------------------------------------------------------------------------------
    # execution
    # ------------------------------------------------------------------------------------------
    def _in_cron(self):
        return bool(self.env.context.get('ir_cron_progress_id') and self.env.context.get('cron_id'))

    def _commit_batch(self, processed=1):
        """Commit the batch in cron mode (reports progress) and return the seconds left; in a
        manual refresh the whole run is one transaction and nothing is committed."""
        self.env.flush_all()
        if self._in_cron():
            remaining = max(self.batch_total - self.batch_done, 0) + 1 if self.state == 'running' else 0
            return self._cron_progress(processed, remaining=remaining)
        return float('inf')

    def _execute(self, max_batches=None):
        """Run (or resume) this run; returns True when it is finished (done or failed).

        :param max_batches: stop after that many batches (tests use it to simulate a crash)
        """
        self.ensure_one()
        if self.state != 'running':
            return True
        started = time.monotonic()
        in_cron = self._in_cron()
        try:
            finished = self._execute_steps(max_batches)
        except Exception as error:
            if not in_cron:
                if isinstance(error, ValueError):
                    raise UserError(self.env._(
                        'The customer lifecycle refresh of %(company)s failed: %(error)s',
                        company=self.company_id.display_name, error=error)) from error
                raise
            _logger.exception('Customer lifecycle run %s failed', self.id)
            self.env.cr.rollback()
            self.env.invalidate_all()
            self.write({
                'state': 'failed',
                'error_message': str(error),
                'finished_at': fields.Datetime.now(),
            })
            self._delete_lines()
            self._cron_progress(remaining=0)
            return True
        self.duration += time.monotonic() - started
        if in_cron:
            self._commit_batch(0)
        return finished

    def _execute_steps(self, max_batches):
        company = self.company_id
        if not self.date_to:
            date_from, date_to = company._crm_intel_window()
            self.write({
                'date_from': date_from,
                'date_to': date_to,
                'horizon_months': company.crm_intel_horizon_months,
                'discount_rate': company.crm_intel_discount_rate,
                'batch_size': self._default_batch_size(),
                'holdout_start': False,
                'baseline_run_id': self._published_run().id,
            })
        else:
            self._check_baseline()
        thresholds = company._crm_lcv_stage_thresholds()
        population = self._load_population()
        if population is None:
            self._finish(self.env._(
                'No posted customer invoice or credit note between %(start)s and %(end)s: nothing '
                'to analyse. The existing customer values were left unchanged.',
                start=self.date_from, end=self.date_to))
            return True
        bg, gg = self._fit_models(population)
        scores = self._score_population(population, bg, gg, thresholds)
        if not self._write_batches(population.partner_ids, scores, max_batches):
            return False
        self._finalize(population)
        return True

    def _published_run(self):
        return self.search([('company_id', '=', self.company_id.id), ('published', '=', True)], limit=1)

    def _check_baseline(self):
        """A resumed run compares its customers with the published run; when another run was
        published since this one started, the lines already written were compared with an older
        state: they are written again."""
        published = self._published_run()
        if published != self.baseline_run_id:
            self._delete_lines()
            self.write({'baseline_run_id': published.id, 'batch_done': 0})

    def _default_batch_size(self):
        value = self.env['ir.config_parameter'].sudo().get_param('crm_lifecycle_value.batch_size')
        try:
            return max(int(value), 1) if value else DEFAULT_BATCH_SIZE
        except ValueError:
            return DEFAULT_BATCH_SIZE

    def _finish(self, note):
        self.write({
            'state': 'done',
            'message': note,
            'finished_at': fields.Datetime.now(),
            'batch_done': self.batch_total,
        })

    # ------------------------------------------------------------------------------------------
    # steps
    # ------------------------------------------------------------------------------------------
    def _load_population(self):
        """Facts of the window -> per-customer arrays (one engine call each); None when empty."""
        from crm_lifecycle import revenue_trend, summarize

        company = self.company_id
        facts = self.env['crm.suite.facts']._get_customer_facts(company, self.date_from, self.date_to)
        if facts.empty:
            return None
        summary = summarize(facts.partner_ids, facts.dates, facts.revenue, self.date_to)
        fact_partners = np.unique(facts.partner_ids)
        prospects = self._prospect_partner_ids(fact_partners)
        partner_ids = np.union1d(fact_partners, prospects)
        n = len(partner_ids)

        def aligned(ids, values, fill, dtype=np.float64):
            out = np.full(n, fill, dtype=dtype)
            out[np.searchsorted(partner_ids, ids)] = values
            return out

        nat = np.datetime64('NaT', 'D')
        fact_index = np.searchsorted(partner_ids, facts.partner_ids)
        trend_ids, trend = revenue_trend(facts.partner_ids, facts.dates, facts.revenue, self.date_to)
        n_purchases = aligned(summary.customer_ids, summary.n_purchases, 0, np.int64)
        no_purchase = partner_ids[n_purchases == 0]
        before = np.isin(partner_ids, self._partners_with_older_invoices(no_purchase))
        return _Population(
            facts=facts,
            partner_ids=partner_ids,
            n_purchases=n_purchases,
            frequency=aligned(summary.customer_ids, summary.frequency, 0.0),
            recency=aligned(summary.customer_ids, summary.recency, 0.0),
            T=aligned(summary.customer_ids, summary.T, 0.0),
            monetary_value=aligned(summary.customer_ids, summary.monetary_value, 0.0),
            first_date=aligned(summary.customer_ids, summary.first_date, nat, 'datetime64[D]'),
            last_date=aligned(summary.customer_ids, summary.last_date, nat, 'datetime64[D]'),
            total_amount=aligned(summary.customer_ids, summary.total_amount, 0.0),
            revenue=np.bincount(fact_index, weights=facts.revenue, minlength=n),
            margin=np.bincount(fact_index, weights=facts.margin, minlength=n),
            trend=aligned(trend_ids, trend, 0.0),
            bought_before_window=before,
        )

    def _prospect_partner_ids(self, exclude_ids):
        """Commercial partners flagged as customers (customer_rank > 0) of this company without any
        invoice in the window: they are scored as prospects (or churned, see
        :meth:`_partners_with_older_invoices`). The anti-join with the window's customers is done
        in numpy (sorted arrays), independent of the planner's estimates."""
        self.env['res.partner'].flush_model(
            ['customer_rank', 'commercial_partner_id', 'company_id', 'active'])
        candidates = copy_query(self.env.cr, SQL(
            """SELECT p.id FROM res_partner p
                WHERE p.active AND p.customer_rank > 0 AND p.id = p.commercial_partner_id
                  AND (p.company_id IS NULL OR p.company_id = %s)""",
            self.company_id.id), ['int4'])[0].astype(np.int64)
        return np.setdiff1d(candidates, exclude_ids)

    def _partners_with_older_invoices(self, partner_ids):
        """Which of ``partner_ids`` have a posted customer invoice before the window (churned)."""
        if not len(partner_ids):
            return np.empty(0, dtype=np.int64)
        self.env['account.move'].flush_model(['commercial_partner_id', 'move_type', 'state', 'invoice_date'])
        rows = self.env.execute_query(SQL(
            """SELECT DISTINCT am.commercial_partner_id FROM account_move am
                WHERE am.company_id = %s AND am.move_type = 'out_invoice' AND am.state = 'posted'
                  AND am.invoice_date < %s""",
            self.company_id.id, self.date_from))
        older = np.fromiter((row[0] for row in rows if row[0]), dtype=np.int64)
        return np.intersect1d(older, partner_ids)

    def _fit_models(self, population):
        """Fit BG/NBD and Gamma-Gamma once on all buying customers (or restore the parameters of
        a resumed run). Returns ``(None, None)`` with a note when the data cannot support a fit.
        """
        from crm_lifecycle import BetaGeoModel, GammaGammaModel

        buyers = population.n_purchases > 0
        f, r, T, m = (population.frequency[buyers], population.recency[buyers], population.T[buyers],
                      population.monetary_value[buyers])
        bg, gg = BetaGeoModel(), GammaGammaModel()
        if self.model_fitted:
            bg.params_ = {k: getattr(self, f'param_{k}') for k in bg.param_names}
            gg.params_ = {k: getattr(self, f'param_{k}') for k in gg.param_names}
            return bg, gg
        if self.batch_total:  # resumed run whose data could not support a fit
            return None, None
        vals = {
            'customer_count': len(population.partner_ids),
            'buyer_count': int(buyers.sum()),
            'repeat_customer_count': int((f > 0).sum()),
            'batch_total': max(math.ceil(len(population.partner_ids) / self.batch_size), 1),
        }
        try:
            bg.fit(f, r, T)
            gg.fit(f, m)
            # the predictions need a > 1 (finite expected purchases) and q > 1 (finite mean value)
            bg.expected_purchases(1.0, f[:1], r[:1], T[:1])
            gg.population_mean()
        except ValueError as error:
            vals['message'] = self.env._(
                'The purchase models could not be fitted (%(error)s): %(repeat)s of %(buyers)s '
                'customers bought more than once. Stages, tiers and historical values are computed; '
                'P(alive) and predictions are left empty.',
                error=error, repeat=vals['repeat_customer_count'], buyers=vals['buyer_count'])
            self.write(vals)
            return None, None
        vals.update({f'param_{k}': v for k, v in {**bg.params_, **gg.params_}.items()})
        vals.update({
            'model_fitted': True,
            'log_likelihood': bg.log_likelihood_,
            'gg_log_likelihood': gg.log_likelihood_,
        })
        vals.update(self._holdout_check(population))
        self.write(vals)
        self._commit_batch(0)
        return bg, gg

    def _holdout_check(self, population):
        """Fit on the calibration part of the window and compare the predicted repeat purchases of
        the holdout months with the actual ones (aggregate error, per-customer MAE / RMSE)."""
        from crm_lifecycle import BetaGeoModel, calibration_holdout_split, holdout_errors

        months = self.company_id.crm_lcv_holdout_months
        if not months:
            return {}
        facts = population.facts
        start = fields.Date.subtract(self.date_to, months=months)
        if start <= self.date_from:
            return {}
        split = calibration_holdout_split(facts.partner_ids, facts.dates, facts.revenue, start, self.date_to)
        cal = split.calibration
        try:
            model = BetaGeoModel().fit(cal.frequency, cal.recency, cal.T)
            predicted = model.expected_purchases(split.duration_holdout, cal.frequency, cal.recency, cal.T)
        except ValueError:
            return {}
        errors = holdout_errors(predicted, split.holdout_frequency)
        return {
            'holdout_start': start,
            'holdout_customer_count': len(predicted),
            'holdout_actual': errors['actual'],
            'holdout_predicted': errors['predicted'],
            'holdout_error_pct': errors['error_pct'],
            'holdout_mae': errors['mae'],
            'holdout_rmse': errors['rmse'],
        }
