import itertools
import logging
import math
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

MANAGER_GROUP = 'crm_suite_base.group_crm_intelligence_manager'
DEFAULT_BATCH_SIZE = 50000
#: days a completed, unpublished run is kept (system parameter crm_lifecycle_value.run_retention_days)
DEFAULT_RUN_RETENTION_DAYS = 90
MODEL_SELECTION = [
    ('mbgnbd', 'MBG/NBD'),
    ('bgnbd', 'BG/NBD'),
    ('pareto', 'Pareto/NBD'),
]


class CrmLifecycleRun(models.Model):
    """One refresh of the customer lifecycle and value figures of a company.

    The run reads the customer facts of the company's analysis window, lets the engine score every
    customer in one call (``crm_lifecycle.score_customers``: model fit, predictions, stages, tiers,
    comparison with the published run), writes one ``crm.lifecycle.run.line`` per customer in
    committed batches and publishes them at the end (``crm_lifecycle_run_publish.py``). It runs
    in the scheduler: "Refresh Now" queues it and triggers the scheduled action.
    """

    _name = 'crm.lifecycle.run'
    _description = 'Customer Lifecycle Model Run'
    _order = 'id desc'
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False, default=lambda self: self.env._('New'))
    company_id = fields.Many2one(
        'res.company', required=True, readonly=True, index=True,
        default=lambda self: self.env.company)
    currency_id = fields.Many2one(related='company_id.currency_id', string='Currency')
    user_id = fields.Many2one(
        'res.users', string='Requested By', readonly=True, default=lambda self: self.env.user)
    trigger = fields.Selection(
        [('manual', 'Refresh Now'), ('cron', 'Nightly'), ('demo', 'Demo Data')],
        default='manual', readonly=True)
    state = fields.Selection(
        [('running', 'Queued / Running'), ('done', 'Done'), ('failed', 'Failed')],
        string='Status', default='running', required=True, readonly=True, index=True)
    date_from = fields.Date(string='Window Start', readonly=True)
    date_to = fields.Date(string='Window End', readonly=True)
    model_code = fields.Selection(
        MODEL_SELECTION, string='Purchase Model', readonly=True,
        help='The repeat-purchase model fitted by the run (Settings): BG/NBD (Fader, Hardie & Lee '
             '2005), MBG/NBD (Batislam et al. 2007: also measures the dropout of customers who '
             'bought once) or Pareto/NBD (Schmittlein, Morrison & Colombo 1987).')
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
        string='Customers', readonly=True,
        help='Customers scored: buyers of the window, customers who bought before it only '
             '(churned) and prospects.')
    buyer_count = fields.Integer(string='Buying Customers', readonly=True)
    repeat_customer_count = fields.Integer(string='Repeat Customers', readonly=True)
    stage_change_count = fields.Integer(string='Stage Changes', readonly=True)
    activity_count = fields.Integer(string='Retention Activities', readonly=True)
    activity_closed_count = fields.Integer(
        string='Retention Activities Closed', readonly=True,
        help='Open retention activities marked done because the customer bought again.')
    activity_unassigned_count = fields.Integer(
        string='Retention Activities Not Assigned', readonly=True,
        help='Customers that should have received a retention activity but have no salesperson, '
             'while no fallback user is set in the settings.')
    baseline_run_id = fields.Many2one(
        'crm.lifecycle.run', string='Compared With', readonly=True, ondelete='set null',
        help='The published run when this run started: stage changes are measured against it.')
    published = fields.Boolean(
        readonly=True, copy=False,
        help='The figures of this run are the customer values of the company (its latest '
             'completed run).')
    model_fitted = fields.Boolean(readonly=True)
    fit_error = fields.Char(readonly=True)
    param_r = fields.Float(
        string='r', readonly=True,
        help='Shape of the Gamma distribution of the purchase rates across customers (purchase '
             'models). Small r: very unequal rates.')
    param_alpha = fields.Float(
        string='alpha', readonly=True,
        help='Scale of the Gamma distribution of the purchase rates, in days: r / alpha is the '
             'mean number of purchases per day of an active customer.')
    param_a = fields.Float(
        string='a', readonly=True,
        help='(M)BG/NBD: first shape of the Beta distribution of the dropout probability after a '
             'purchase; a / (a + b) is the mean dropout probability.')
    param_b = fields.Float(
        string='b', readonly=True, help='(M)BG/NBD: second shape of that Beta distribution.')
    param_s = fields.Float(
        string='s', readonly=True,
        help='Pareto/NBD: shape of the Gamma distribution of the dropout rates.')
    param_beta = fields.Float(
        string='beta', readonly=True,
        help='Pareto/NBD: scale of the Gamma distribution of the dropout rates, in days.')
    param_p = fields.Float(
        string='p', readonly=True,
        help='Gamma-Gamma: shape of the spend per purchase of a customer.')
    param_q = fields.Float(
        string='q', readonly=True,
        help='Gamma-Gamma: shape of the distribution of the customers\' mean spend; the mean spend '
             'of the population is p v / (q - 1).')
    param_v = fields.Float(string='v', readonly=True, help='Gamma-Gamma: scale of that distribution.')
    log_likelihood = fields.Float(
        string='Purchase Model Log-likelihood', readonly=True, digits=(16, 4),
        help='Of the fit on all buying customers: higher is better, comparable between models '
             'fitted on the same data only.')
    gg_log_likelihood = fields.Float(string='Gamma-Gamma Log-likelihood', readonly=True, digits=(16, 4))
    holdout_start = fields.Date(
        string='Validation From', readonly=True,
        help='The models were also fitted on the window without the validation months from this '
             'date, and their predictions of those months compared with what customers bought.')
    holdout_customer_count = fields.Integer(string='Validation Customers', readonly=True)
    holdout_actual = fields.Float(string='Actual Validation Purchases', readonly=True, digits=(16, 2))
    holdout_predicted = fields.Float(string='Predicted Validation Purchases', readonly=True, digits=(16, 2))
    holdout_error_pct = fields.Float(
        string='Validation Error (%)', readonly=True, digits=(16, 2),
        help='(predicted - actual) / actual repeat purchases of the validation period, for the '
             'run\'s model.')
    holdout_mae = fields.Float(string='Per-customer MAE', readonly=True, digits=(16, 4))
    holdout_rmse = fields.Float(string='Per-customer RMSE', readonly=True, digits=(16, 4))
    comparison_ids = fields.One2many('crm.lifecycle.run.model', 'run_id', string='Model Comparison')
    message = fields.Text(string='Notes', compute='_compute_message')
    error_message = fields.Text(string='Error', readonly=True)
    history_count = fields.Integer(compute='_compute_history_count', string='Stage History')

    # at most one published run per company, even when two runs of a company finish at the same
    # time: the second one to commit fails (and can be run again) instead of publishing twice
    _company_published_uniq = models.UniqueIndex(
        '(company_id) WHERE published', 'A company has one published lifecycle run.')

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get('name') or vals['name'] == self.env._('New'):
                vals['name'] = self.env['ir.sequence'].sudo().next_by_code('crm.lifecycle.run') or '/'
        return super().create(vals_list)

    @api.depends('batch_done', 'batch_total', 'state')
    def _compute_progress(self):
        for run in self:
            if run.state == 'done':
                run.progress = 100.0
            elif run.batch_total:
                run.progress = 100.0 * run.batch_done / (run.batch_total + 1)
            else:
                run.progress = 0.0

    @api.depends('state', 'customer_count', 'fit_error', 'stage_change_count', 'activity_count')
    def _compute_message(self):
        """The run's summary, in the reader's language (nothing translated is stored)."""
        for run in self:
            notes = []
            if run.state == 'running':
                notes.append(self.env._(
                    'Queued or running in the scheduler: %(done)s of %(total)s batches written.',
                    done=run.batch_done, total=run.batch_total or '?'))
            if run.fit_error:
                notes.append(self.env._(
                    'The purchase models could not be fitted (%(error)s): %(repeat)s of %(buyers)s '
                    'customers bought more than once. Stages, tiers and historical values are '
                    'computed; P(alive) and predictions are left empty.',
                    error=run.fit_error, repeat=run.repeat_customer_count, buyers=run.buyer_count))
            if run.state == 'done' and not run.customer_count:
                notes.append(self.env._(
                    'No posted customer invoice between %(start)s and %(end)s and no customer '
                    'before: nothing to analyse. The existing customer values were left unchanged.',
                    start=run.date_from, end=run.date_to))
            elif run.state == 'done':
                notes.append(self.env._(
                    '%(customers)s customers scored (%(buyers)s buying, %(repeat)s repeat), '
                    '%(changes)s stage changes, %(activities)s retention activities scheduled, '
                    '%(closed)s closed because the customer bought again.',
                    customers=run.customer_count, buyers=run.buyer_count,
                    repeat=run.repeat_customer_count, changes=run.stage_change_count,
                    activities=run.activity_count, closed=run.activity_closed_count))
                if run.activity_unassigned_count:
                    notes.append(self.env._(
                        '%(count)s retention activities were not scheduled: the customers have no '
                        'salesperson and no fallback user is set in the settings.',
                        count=run.activity_unassigned_count))
            run.message = '\n'.join(notes)

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

    def action_refresh_company(self):
        """"Refresh Now" (list header and form): queue a refresh of the current company and trigger
        the scheduled action, which runs it in committed batches; the form shows its progress.

        A list-header button passes the selected runs (or none): they are ignored, the refresh is
        of the current company. A refresh already queued or running is shown instead of a second one.
        """
        self._check_manager()
        company = self.env.company
        company._crm_lcv_scoring_config()  # refuse inconsistent settings now, not in the night
        run = self.search([('company_id', '=', company.id), ('state', '=', 'running')], limit=1)
        if not run:
            run = self.create({'company_id': company.id, 'trigger': 'manual'})
        self.env.ref('crm_lifecycle_value.ir_cron_crm_lifecycle_refresh').sudo()._trigger()
        return run._action_open_form()

    def action_resume(self):
        """Continue an interrupted run (state running) from its last committed batch, in the
        scheduler."""
        self._check_manager()
        if self.filtered(lambda run: run.state != 'running'):
            raise UserError(self.env._('Only a running (interrupted) run can be resumed.'))
        self.env.ref('crm_lifecycle_value.ir_cron_crm_lifecycle_refresh').sudo()._trigger()
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
    def _refresh_company_now(self, company=None, trigger='manual', date_to=None):
        """Run a complete refresh of ``company`` in this transaction (tests, demo data, shell);
        the web client queues refreshes instead (:meth:`action_refresh_company`).

        :param date_to: end of the analysis window instead of the company's (the demo data shows
            two runs at different dates)
        """
        company = company or self.env.company
        run = self.sudo().create({'company_id': company.id, 'trigger': trigger})
        if date_to:
            date_from, _end = company._crm_intel_window()
            span = fields.Date.today() - date_from
            run.write({'date_to': date_to, 'date_from': date_to - span})
        run.with_company(company)._execute()
        return run

    @api.model
    def _cron_refresh(self):
        """Scheduled action: run the queued and interrupted runs, then, once a day, the nightly
        refresh of every company that has posted customer invoices; then clean old runs up.

        Each run commits per batch; when the scheduler's time is up the job returns and is called
        again while work remains (``ir.cron._commit_progress``).
        """
        runs_model = self.sudo()  # the scheduler works for every company
        runs = runs_model.search([('state', '=', 'running')], order='id')
        if not runs:
            runs = runs_model._create_nightly_runs()
            self._cron_progress(remaining=len(runs))
        for run in runs:
            if not run.with_company(run.company_id)._execute():
                return  # out of time: the scheduler calls again while work remains
        runs_model._clean_old_runs()
        self._cron_progress(remaining=0)

    def _create_nightly_runs(self):
        """Runs for the companies with posted customer invoices and no run started today."""
        self.env['account.move'].flush_model(['company_id', 'move_type', 'state'])
        with_invoices = [row[0] for row in self.env.execute_query(SQL(
            """SELECT c.id FROM res_company c
                WHERE c.active AND EXISTS (
                      SELECT 1 FROM account_move am
                       WHERE am.company_id = c.id AND am.state = 'posted'
                         AND am.move_type IN ('out_invoice', 'out_refund'))"""))]
        today = fields.Datetime.to_datetime(fields.Date.context_today(self))
        done_today = self.search([('started_at', '>=', today), ('company_id', 'in', with_invoices)])
        companies = self.env['res.company'].browse(with_invoices) - done_today.company_id
        return self.create([
            {'company_id': company.id, 'trigger': 'cron', 'user_id': self.env.user.id}
            for company in companies
        ])

    def _clean_old_runs(self):
        """Delete completed runs older than the retention period, except the published ones (their
        lines are the customer values) and the ones that published runs compare with."""
        value = self.env['ir.config_parameter'].sudo().get_param('crm_lifecycle_value.run_retention_days')
        try:
            days = max(int(value), 1) if value else DEFAULT_RUN_RETENTION_DAYS
        except ValueError:
            days = DEFAULT_RUN_RETENTION_DAYS
        limit = fields.Datetime.now() - timedelta(days=days)
        old = self.search([('state', '!=', 'running'), ('published', '=', False), ('started_at', '<', limit)])
        old.unlink()
        return len(old)

    def _cron_progress(self, processed=0, remaining=None):
        """``ir.cron._commit_progress`` when running inside the scheduler (commits, reports
        progress, returns the seconds left); nothing outside it (manual refresh, tests)."""
        if self._in_cron():
            return self.env['ir.cron']._commit_progress(processed, remaining=remaining)
        return float('inf')

    # ------------------------------------------------------------------------------------------
    # execution
    # ------------------------------------------------------------------------------------------
    def _in_cron(self):
        return bool(self.env.context.get('ir_cron_progress_id') and self.env.context.get('cron_id'))

    def _commit_batch(self, processed=1):
        """Commit the batch in cron mode (reports progress) and return the seconds left; outside
        the scheduler the whole run is one transaction and nothing is committed."""
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
        config = company._crm_lcv_scoring_config(self.date_from, self.date_to)
        if not self.model_code:
            window_from, window_to = company._crm_intel_window()
            self.write({
                'date_from': self.date_from or window_from,
                'date_to': self.date_to or window_to,
                'model_code': config.model,
                'horizon_months': company.crm_intel_horizon_months,
                'discount_rate': company.crm_intel_discount_rate,
                'batch_size': self._default_batch_size(),
                'holdout_start': False,
                'baseline_run_id': self._published_run().id,
            })
            config = company._crm_lcv_scoring_config(self.date_from, self.date_to)
        else:
            self._check_baseline()
        steps = [time.monotonic()]
        inputs = self._load_inputs()
        steps.append(time.monotonic())
        if inputs is None:
            self._finish()
            return True
        scores = self._score_customers(inputs, config)
        steps.append(time.monotonic())
        if not self._write_batches(scores, max_batches):
            return False
        steps.append(time.monotonic())
        self._finalize(scores, inputs)
        steps.append(time.monotonic())
        _logger.info(
            'Customer lifecycle run %s (%s customers): inputs %.2f s, scoring %.2f s, lines %.2f s, '
            'publishing %.2f s', self.name, len(scores), *(b - a for a, b in itertools.pairwise(steps)))
        return True

    def _published_run(self):
        return self.search([('company_id', '=', self.company_id.id), ('published', '=', True)], limit=1)

    def _check_baseline(self):
        """A resumed run compares its customers with the published run; when another run was
        published since this one started, the lines already written were compared with an older
        state and the model fitted on older data: the run starts again from its fit."""
        published = self._published_run()
        if published != self.baseline_run_id:
            # the data changed too: start again from the fit, as a new run would
            self._delete_lines()
            self.comparison_ids.unlink()
            self.write({'baseline_run_id': published.id, 'batch_done': 0, 'batch_total': 0,
                        'model_fitted': False, 'fit_error': False, 'holdout_start': False})

    def _default_batch_size(self):
        value = self.env['ir.config_parameter'].sudo().get_param('crm_lifecycle_value.batch_size')
        try:
            return max(int(value), 1) if value else DEFAULT_BATCH_SIZE
        except ValueError:
            return DEFAULT_BATCH_SIZE

    def _finish(self):
        self.write({
            'state': 'done',
            'finished_at': fields.Datetime.now(),
            'batch_done': self.batch_total,
        })

    def _score_customers(self, inputs, config):
        """The engine's one call; the first time, the fit and the model comparison are recorded."""
        from crm_lifecycle import score_customers

        params = self._fitted_params() if self.model_fitted else None
        scores = score_customers(
            inputs['facts'].partner_ids, inputs['facts'].dates, inputs['facts'].revenue,
            inputs['facts'].margin, config, first_purchase=inputs['first_purchase'],
            lapsed=inputs['lapsed'], prospects=inputs['prospects'], baseline=inputs['baseline'],
            params=params)
        if not self.batch_total:
            self._record_fit(scores)
        return scores

    def _fitted_params(self):
        names = ('r', 'alpha', 'a', 'b') if self.model_code != 'pareto' else ('r', 'alpha', 's', 'beta')
        return {**{name: self[f'param_{name}'] for name in names},
                **{name: self[f'param_{name}'] for name in ('p', 'q', 'v')}}

    def _record_fit(self, scores):
        fit = scores.fit
        vals = {
            'customer_count': scores.customer_count,
            'buyer_count': scores.buyer_count,
            'repeat_customer_count': scores.repeat_customer_count,
            'batch_total': max(math.ceil(len(scores) / (self.batch_size or DEFAULT_BATCH_SIZE)), 1),
            'model_fitted': fit.fitted,
            'fit_error': fit.error or False,
        }
        if fit.fitted:
            fitted = {**fit.params, **fit.spend_params}
            vals.update({f'param_{name}': value for name, value in fitted.items()})
            vals.update({'log_likelihood': fit.log_likelihood, 'gg_log_likelihood': fit.spend_log_likelihood})
        self.comparison_ids.unlink()
        # the engine's own validation date (one definition of "N months before the end")
        holdout_start = scores.holdout_start.item() if scores.holdout_start is not None else False
        rows = []
        for code, errors in scores.holdout.items():
            rows.append({
                'run_id': self.id,
                'model_code': code,
                'selected': code == self.model_code,
                'error': errors.get('error', False),
                'customer_count': errors.get('customers', 0),
                'actual': errors.get('actual', 0.0),
                'predicted': errors.get('predicted', 0.0),
                'error_pct': errors.get('error_pct', 0.0),
                'mae': errors.get('mae', 0.0),
                'rmse': errors.get('rmse', 0.0),
            })
            if code == self.model_code and 'error' not in errors:
                vals.update({
                    'holdout_start': holdout_start,
                    'holdout_customer_count': errors['customers'],
                    'holdout_actual': errors['actual'],
                    'holdout_predicted': errors['predicted'],
                    'holdout_error_pct': errors['error_pct'],
                    'holdout_mae': errors['mae'],
                    'holdout_rmse': errors['rmse'],
                })
        self.env['crm.lifecycle.run.model'].create(rows)
        self.write(vals)
        self._commit_batch(0)


class CrmLifecycleRunModel(models.Model):
    """How one candidate purchase model predicted the validation period of a run."""

    _name = 'crm.lifecycle.run.model'
    _description = 'Customer Lifecycle Model Comparison'
    _order = 'run_id, mae, id'

    run_id = fields.Many2one('crm.lifecycle.run', required=True, index=True, ondelete='cascade')
    company_id = fields.Many2one(related='run_id.company_id', store=True)
    model_code = fields.Selection(MODEL_SELECTION, string='Purchase Model', required=True)
    selected = fields.Boolean(string='Used by the Run')
    error = fields.Char(string='Could Not Be Fitted')
    customer_count = fields.Integer(string='Customers')
    actual = fields.Float(string='Actual Purchases', digits=(16, 2))
    predicted = fields.Float(string='Predicted Purchases', digits=(16, 2))
    error_pct = fields.Float(
        string='Aggregate Error (%)', digits=(16, 2),
        help='(predicted - actual) / actual repeat purchases over the validation period.')
    mae = fields.Float(string='Per-customer MAE', digits=(16, 4),
                       help='Mean absolute error of the per-customer predictions: lower is better.')
    rmse = fields.Float(string='Per-customer RMSE', digits=(16, 4))
