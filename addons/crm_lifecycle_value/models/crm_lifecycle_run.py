import itertools
import logging
import time

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

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
    _inherit = ['crm.suite.run']
    _description = 'Customer Lifecycle Model Run'
    _run_line_model = 'crm.lifecycle.run.line'
    _run_cron_xmlid = 'crm_lifecycle_value.ir_cron_crm_lifecycle_refresh'
    _run_param_prefix = 'crm_lifecycle_value'

    model_code = fields.Selection(
        MODEL_SELECTION, string='Purchase Model', readonly=True,
        help='The repeat-purchase model fitted by the run (Settings): BG/NBD (Fader, Hardie & Lee '
             '2005), MBG/NBD (Batislam et al. 2007: also measures the dropout of customers who '
             'bought once) or Pareto/NBD (Schmittlein, Morrison & Colombo 1987).')
    horizon_months = fields.Integer(string='Horizon (months)', readonly=True)
    discount_rate = fields.Float(string='Annual Discount Rate (%)', readonly=True)
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
    history_count = fields.Integer(compute='_compute_history_count', string='Stage History')

    # at most one published run per company, even when two runs of a company finish at the same
    # time: the second one to commit fails (and can be run again) instead of publishing twice
    _company_published_uniq = models.UniqueIndex(
        '(company_id) WHERE published', 'A company has one published lifecycle run.')

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

    def _compute_history_count(self):
        counts = dict(self.env['crm.customer.stage.history']._read_group(
            [('run_id', 'in', self.ids)], ['run_id'], ['__count']))
        for run in self:
            run.history_count = counts.get(run, 0)

    # ------------------------------------------------------------------------------------------
    # entry points
    # ------------------------------------------------------------------------------------------
    def _run_manager_message(self):
        return self.env._('Only CRM Intelligence managers can refresh the customer lifecycle values.')

    def _run_check_settings(self, company):
        company._crm_lcv_scoring_config()  # refuse inconsistent settings now, not in the night

    def _run_failed_message(self, error):
        return self.env._('The customer lifecycle refresh of %(company)s failed: %(error)s',
                          company=self.company_id.display_name, error=error)

    def _action_open_form(self):
        action = super()._action_open_form()
        action['name'] = self.env._('Model Run')
        return action

    def action_open_stage_history(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'crm_lifecycle_value.crm_customer_stage_history_action')
        action['domain'] = [('run_id', '=', self.id)]
        action['context'] = {}
        return action

    # ------------------------------------------------------------------------------------------
    # execution
    # ------------------------------------------------------------------------------------------
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
            'batch_total': self._batch_total(len(scores)),
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
