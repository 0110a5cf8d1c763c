import logging
import math

import numpy as np

from odoo import api, fields, models

from ..tools.transactions import load_transactions
from .crm_churn_run_line import COPY_KINDS

_logger = logging.getLogger(__name__)

#: the metrics of a churn model on the test period, as shown on the run form
#: the metrics of a ranking on the test period (``crm_mining.RankingMetrics``), declared once:
#: metric -> (label, digits); stored for each ranking of :data:`RANKINGS` as ``<ranking>_<metric>``
METRICS = {
    'auc': ('ROC AUC', 3),
    'brier': ('Brier Score', 4),
    'precision_at_k': ('Precision at Top 10%', 3),
    'top_lift': ('Lift of the Top Decile', 2),
}
#: the rankings compared on the test period: field prefix -> label prefix
RANKINGS = {'model': '', 'baseline': 'Baseline', 'p_alive': 'P(alive)'}
RANKING_HELP = {
    'p_alive_auc': 'ROC AUC of 1 - P(alive) of the BG/NBD model fitted at the test cut-off. BG/NBD gives '
    'customers without a repeat purchase a P(alive) of 1, so where many one-time buyers leave it can '
    'rank below chance (under 0.5).',
}


def metric_fields():
    """New field objects of every ranking's metrics (``model_auc``, ``baseline_brier``, ...)."""
    return {
        f'{ranking}_{metric}': fields.Float(
            string=f'{prefix} {label}'.strip(),
            readonly=True,
            digits=(16, digits),
            help=RANKING_HELP.get(f'{ranking}_{metric}'),
        )
        for ranking, prefix in RANKINGS.items()
        for metric, (label, digits) in METRICS.items()
    }


def _metric(value):
    return 0.0 if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


class CrmChurnRun(models.Model):
    """One churn scoring of the customers of a company.

    The run reads the invoice lines of the history (one set-based query: revenue and margin per
    customer, day and product category, credit notes on their own date so that no later refund
    leaks into an earlier period), lets the engine validate the model on the last labelled period
    and score every current customer in one call (``crm_mining.score_churn``), writes one
    ``crm.churn.run.line`` per customer in committed batches and publishes them at the end. It
    runs in the scheduler: "Refresh Now" queues it.

    Reproducibility: the run records the model, its parameters, the seed, the cut-off dates and the
    versions of numpy, scipy and scikit-learn; the same data and seed give the same scores.
    """

    _name = 'crm.churn.run'
    _inherit = ['crm.suite.run']
    _description = 'Churn Run'
    _run_line_model = 'crm.churn.run.line'
    _run_cron_xmlid = 'crm_mining_prediction.ir_cron_crm_churn_refresh'
    _run_param_prefix = 'crm_mining_prediction.churn'

    horizon_days = fields.Integer(string='Horizon (days)', readonly=True)
    model = fields.Selection(
        [('gradient_boosting', 'Gradient Boosting'), ('logistic', 'Logistic Regression')], readonly=True
    )
    calibration = fields.Selection(
        [('sigmoid', 'Sigmoid (Platt)'), ('isotonic', 'Isotonic'), ('none', 'None')], readonly=True
    )
    random_state = fields.Integer(string='Random Seed', readonly=True)
    training_cutoffs = fields.Integer(string='Training Periods', readonly=True)
    high_risk = fields.Float(string='High Risk From (%)', readonly=True)
    medium_risk = fields.Float(string='Medium Risk From (%)', readonly=True)
    customer_count = fields.Integer(string='Customers', readonly=True)
    high_risk_count = fields.Integer(string='High Risk', readonly=True)
    medium_risk_count = fields.Integer(string='Medium Risk', readonly=True)
    train_size = fields.Integer(string='Training Examples', readonly=True)
    test_size = fields.Integer(string='Test Customers', readonly=True)
    test_churn_rate = fields.Float(string='Churn Rate (test, %)', readonly=True, digits=(16, 1))
    test_cutoff = fields.Date(string='Test Cut-off', readonly=True)
    calibration_cutoff = fields.Date(string='Calibration Cut-off', readonly=True)
    training_cutoff_dates = fields.Char(string='Training Cut-offs', readonly=True)
    for _source, _field in metric_fields().items():
        locals()[_source] = _field
    del _source, _field
    beats_baseline = fields.Boolean(
        string='Beats P(alive)',
        readonly=True,
        help='The model ranks the churners of the test period better (higher ROC AUC) than the '
        'BG/NBD P(alive).',
    )
    importance = fields.Json(string='Feature Importance', readonly=True)
    model_params = fields.Json(string='Model Parameters', readonly=True)
    categories = fields.Json(readonly=True, help='Product categories whose revenue shares are features.')
    gain_ids = fields.One2many('crm.churn.run.gain', 'run_id', string='Gains')
    importance_ids = fields.One2many('crm.churn.run.importance', 'run_id', string='Features')
    numpy_version = fields.Char(string='numpy', readonly=True)
    scipy_version = fields.Char(string='scipy', readonly=True)
    sklearn_version = fields.Char(string='scikit-learn', readonly=True)
    message = fields.Text(string='Notes', compute='_compute_message')
    model_params_display = fields.Char(string='Parameters', compute='_compute_model_params_display')
    category_names = fields.Char(
        string='Category Features', compute='_compute_model_params_display',
        help='Product categories whose revenue shares are features of the model.')

    _company_published_uniq = models.UniqueIndex(
        '(company_id) WHERE published', 'A company has one published churn run.'
    )

    @api.depends('state', 'customer_count', 'model_auc', 'p_alive_auc', 'beats_baseline')
    def _compute_message(self):
        """The run's summary, in the reader's language (nothing translated is stored)."""
        for run in self:
            notes = []
            if run.state == 'running':
                notes.append(
                    self.env._(
                        'Queued or running in the scheduler: %(done)s of %(total)s batches written.',
                        done=run.batch_done,
                        total=run.batch_total or '?',
                    )
                )
            elif run.state == 'done':
                notes.append(
                    self.env._(
                        '%(customers)s customers scored: %(high)s at high risk, %(medium)s at medium risk of '
                        'buying nothing in the next %(days)s days.',
                        customers=run.customer_count,
                        high=run.high_risk_count,
                        medium=run.medium_risk_count,
                        days=run.horizon_days,
                    )
                )
                if run.p_alive_auc:
                    notes.append(
                        self.env._(
                            'On the test period the model ranks churners with a ROC AUC of %(model).3f '
                            'against %(alive).3f for the BG/NBD P(alive): %(verdict)s',
                            model=run.model_auc,
                            alive=run.p_alive_auc,
                            verdict=self.env._('the model is better.')
                            if run.beats_baseline
                            else self.env._('the simple model is as good or better; prefer it.'),
                        )
                    )
            run.message = '\n'.join(notes)

    @api.depends('model_params', 'categories')
    def _compute_model_params_display(self):
        for run in self:
            params = run.model_params or {}
            run.model_params_display = ', '.join(f'{key}={params[key]}' for key in sorted(params))
            categories = self.env['product.category'].browse(run.categories or []).exists()
            run.category_names = ', '.join(categories.mapped('display_name'))

    def _run_manager_message(self):
        return self.env._('Only CRM Intelligence managers can refresh the churn risk.')

    def _run_check_settings(self, company):
        company._crm_churn_config()

    def _run_failed_message(self, error):
        return self.env._(
            'The churn scoring of %(company)s failed: %(error)s',
            company=self.company_id.display_name,
            error=error,
        )

    def _action_open_form(self):
        action = super()._action_open_form()
        action['name'] = self.env._('Churn Run')
        return action

    def action_open_gains(self):
        """The cumulative gains chart of the test period (model, baseline, P(alive))."""
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'crm_mining_prediction.crm_churn_run_gain_action'
        )
        action['domain'] = [('run_id', '=', self.id)]
        action['context'] = {}
        return action

    # ------------------------------------------------------------------------------------------
    # execution
    # ------------------------------------------------------------------------------------------
    def _config(self):
        from crm_mining import ChurnConfig

        return ChurnConfig(
            horizon_days=self.horizon_days,
            training_cutoffs=self.training_cutoffs,
            model=self.model,
            calibration=self.calibration,
            high_risk=self.high_risk / 100.0,
            medium_risk=self.medium_risk / 100.0,
            random_state=self.random_state,
        )

    def _execute_steps(self, max_batches):
        company = self.company_id
        if not self.horizon_days:
            config = company._crm_churn_config()
            _window_from, window_to = company._crm_intel_window()
            date_to = self.date_to or window_to
            span = config.features.history_days + config.horizon_days * (config.training_cutoffs + 2)
            self.write(
                {
                    'date_to': date_to,
                    'date_from': fields.Date.subtract(date_to, days=span),
                    'horizon_days': config.horizon_days,
                    'training_cutoffs': config.training_cutoffs,
                    'model': config.model,
                    'calibration': config.calibration,
                    'high_risk': company.crm_churn_high_risk,
                    'medium_risk': company.crm_churn_medium_risk,
                    'random_state': config.random_state,
                    'batch_size': self._default_batch_size(),
                }
            )
        from crm_mining import score_churn

        transactions = self._load_transactions()
        scores = score_churn(
            transactions,
            np.datetime64(self.date_to, 'D'),
            self._config(),
            events=self._churn_events() or None,
        )
        if not self.batch_total:
            self._record_scores(scores)
        columns = {name: (COPY_KINDS[name], scores.figures[name]) for name in COPY_KINDS}
        if not self._write_line_batches(scores.partner_ids, columns, max_batches):
            return False
        self._publish()
        self._delete_unpublished_lines()
        self._finish()
        _logger.info('Churn run %s: %s customers, AUC %.3f', self.name, len(scores), self.model_auc)
        return True

    def _load_transactions(self):
        return load_transactions(self.env, self.company_id, self.date_from, self.date_to)

    def _churn_events(self):
        """Extra dated series of the customers (``{name: crm_mining.Events}``) that become features;
        none here: the service center bridge adds its cases."""
        return {}

    def _record_scores(self, scores):
        metrics = scores.metrics
        baseline_key = next(key for key in metrics if key not in ('model', 'p_alive'))
        vals = {
            'customer_count': len(scores),
            'batch_total': self._batch_total(len(scores)),
            'high_risk_count': int(np.sum(scores.figures['risk_band'] == 'high')),
            'medium_risk_count': int(np.sum(scores.figures['risk_band'] == 'medium')),
            'train_size': scores.train_size,
            'test_size': scores.test_size,
            'test_churn_rate': 100.0 * metrics['model'].positives / max(metrics['model'].n, 1),
            'test_cutoff': scores.cutoffs['test'],
            'calibration_cutoff': scores.cutoffs['calibration'],
            'training_cutoff_dates': ', '.join(scores.cutoffs['training']),
            'importance': [[name, round(mean, 5), round(std, 5)] for name, mean, std in scores.importance],
            'model_params': scores.params,
            'categories': list(scores.categories),
            'numpy_version': scores.versions.get('numpy'),
            'scipy_version': scores.versions.get('scipy'),
            'sklearn_version': scores.versions.get('scikit-learn'),
        }
        rankings = {
            ranking: metrics.get(key)
            for ranking, key in (('model', 'model'), ('baseline', baseline_key), ('p_alive', 'p_alive'))
        }
        for ranking, result in rankings.items():
            values = {**result.as_dict(), 'top_lift': result.lift[0]} if result else {}
            vals.update({f'{ranking}_{metric}': _metric(values.get(metric)) for metric in METRICS})
        vals['beats_baseline'] = bool(metrics.get('p_alive')) and vals['model_auc'] > vals['p_alive_auc']
        self.write(vals)
        gains = []
        for decile in range(10):
            row = {'run_id': self.id, 'decile': decile + 1, 'population': 10.0 * (decile + 1)}
            for prefix, result in rankings.items():
                row[f'{prefix}_gain'] = 100.0 * result.gains[decile] if result else 0.0
                row[f'{prefix}_lift'] = result.lift[decile] if result else 0.0
            gains.append(row)
        self.env['crm.churn.run.gain'].sudo().create(gains)
        self.env['crm.churn.run.importance'].sudo().create(
            [
                {
                    'run_id': self.id,
                    'sequence': i,
                    'feature': name,
                    'importance': mean,
                    'importance_std': std,
                }
                for i, (name, mean, std) in enumerate(scores.importance)
            ]
        )
        self._commit_batch(0)

    def _feature_labels(self, names):
        """Readable names of the engine's features (categories by their names)."""
        labels = {
            'recency_days': self.env._('Days since the last purchase'),
            'frequency': self.env._('Purchase days'),
            'monetary': self.env._('Revenue'),
            'avg_order_value': self.env._('Average purchase'),
            'tenure_days': self.env._('Days since the first purchase'),
            'spend_trend': self.env._('Spend trend'),
            'mean_gap_days': self.env._('Mean days between purchases'),
            'gap_cv': self.env._('Irregularity of the purchases'),
            'overdue_ratio': self.env._('Days since the last purchase / mean gap'),
            'margin_rate': self.env._('Margin rate'),
            'refund_share': self.env._('Refund share'),
        }
        categories = [int(name.split(':')[1]) for name in names if name.startswith('category:')]
        for category in self.env['product.category'].sudo().browse(categories).exists():
            labels[f'category:{category.id}'] = self.env._(
                'Share of %(category)s', category=category.display_name
            )
        return labels


class CrmChurnRunGain(models.Model):
    """The cumulative gains and lift of one decile of the test period: the share of the churners
    found among the customers ranked riskiest, by the model, the baseline model and P(alive)."""

    _name = 'crm.churn.run.gain'
    _description = 'Churn Run Gains by Decile'
    _order = 'run_id, decile'
    _log_access = False

    run_id = fields.Many2one('crm.churn.run', required=True, index=True, ondelete='cascade')
    company_id = fields.Many2one(related='run_id.company_id', store=True)
    decile = fields.Integer(required=True, aggregator=False)
    population = fields.Float(string='Customers Contacted (%)', aggregator=False)
    model_gain = fields.Float(string='Model: Churners Found (%)', digits=(16, 1), aggregator='max')
    baseline_gain = fields.Float(string='Baseline: Churners Found (%)', digits=(16, 1), aggregator='max')
    p_alive_gain = fields.Float(string='P(alive): Churners Found (%)', digits=(16, 1), aggregator='max')
    model_lift = fields.Float(digits=(16, 2), aggregator='max')
    baseline_lift = fields.Float(digits=(16, 2), aggregator='max')
    p_alive_lift = fields.Float(string='P(alive) Lift', digits=(16, 2), aggregator='max')


class CrmChurnRunImportance(models.Model):
    """The permutation importance of one feature on the test period (Breiman 2001): how much the
    ROC AUC drops when the feature's values are shuffled."""

    _name = 'crm.churn.run.importance'
    _description = 'Churn Run Feature Importance'
    _order = 'run_id, sequence'
    _log_access = False

    run_id = fields.Many2one('crm.churn.run', required=True, index=True, ondelete='cascade')
    company_id = fields.Many2one(related='run_id.company_id', store=True)
    sequence = fields.Integer()
    feature = fields.Char(string='Feature Code', required=True)
    name = fields.Char(string='Feature', compute='_compute_name')
    importance = fields.Float(string='AUC Drop', digits=(16, 4))
    importance_std = fields.Float(string='Standard Deviation', digits=(16, 4))

    @api.depends('feature')
    def _compute_name(self):
        """The feature's name in the reader's language (nothing translated is stored)."""
        labels = self.env['crm.churn.run']._feature_labels(self.mapped('feature'))
        for line in self:
            line.name = labels.get(line.feature, line.feature)
