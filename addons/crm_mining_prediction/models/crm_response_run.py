import numpy as np

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_list

from odoo.addons.crm_suite_base.tools.pgcopy import copy_query

from ..tools.transactions import load_transactions


class CrmResponseRun(models.Model):
    """A campaign response model: the decision tree learned from the contacts of past campaigns and
    the customers to target next.

    Contacts are the customers reached by the chosen campaigns: the opportunities created for them
    (the segment actions create them with the campaign) and, with the mass mailing bridge, the
    recipients of their mailings. A contact *responded* when the customer confirmed a sale order
    within the response window after it. The engine (``crm_mining.fit_response_tree``) learns the
    pruned tree on the customers' features on their contact day; its rules are stored with the run
    (``crm.response.rule``) and every current customer gets the response rate of its rule. Those
    whose rate reaches the target lift times the average are the members of the *Campaign Targets*
    segment once the run is published. Learning runs in the scheduler: saving the run queues it.
    """

    _name = 'crm.response.run'
    _inherit = ['crm.suite.run']
    _description = 'Campaign Response Run'
    _run_line_model = 'crm.response.run.line'
    _run_cron_xmlid = 'crm_mining_prediction.ir_cron_crm_response_refresh'
    _run_param_prefix = 'crm_mining_prediction.response'

    campaign_ids = fields.Many2many(
        'utm.campaign',
        string='Campaigns',
        required=True,
        help='Past campaigns whose contacts and responses the model learns from.',
    )
    window_days = fields.Integer(string='Response Window (days)', readonly=True)
    min_samples_leaf = fields.Integer(string='Smallest Rule', readonly=True)
    target_lift = fields.Float(readonly=True, digits=(16, 2))
    random_state = fields.Integer(string='Random Seed', readonly=True)
    contact_count = fields.Integer(string='Contacts', readonly=True)
    responder_count = fields.Integer(string='Responders', readonly=True)
    base_rate = fields.Float(string='Response Rate (%)', readonly=True, digits=(16, 1))
    cv_auc = fields.Float(
        string='Cross-validated ROC AUC',
        readonly=True,
        digits=(16, 3),
        help='ROC AUC of the out-of-fold predictions of the pruned tree (5 folds).',
    )
    top_lift = fields.Float(string='Lift of the Top Decile', readonly=True, digits=(16, 2))
    ccp_alpha = fields.Float(
        string='Pruning (cost-complexity)',
        readonly=True,
        digits=(16, 5),
        help='Complexity parameter of the pruning chosen by cross-validation.',
    )
    customer_count = fields.Integer(string='Customers Scored', readonly=True)
    target_count = fields.Integer(string='Targets', readonly=True)
    rule_ids = fields.One2many('crm.response.rule', 'run_id', string='Rules')
    numpy_version = fields.Char(string='numpy', readonly=True)
    sklearn_version = fields.Char(string='scikit-learn', readonly=True)

    _company_published_uniq = models.UniqueIndex(
        '(company_id) WHERE published', 'A company has one published response model.'
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A new model is queued: the scheduler learns it (never inside the request)."""
        runs = super().create(vals_list)
        self._cron()._trigger()
        return runs

    def _run_manager_message(self):
        return self.env._('Only CRM Intelligence managers can learn campaign responses.')

    def _run_failed_message(self, error):
        return self.env._(
            'The campaign response model of %(company)s failed: %(error)s',
            company=self.company_id.display_name,
            error=error,
        )

    def _create_nightly_runs(self):
        """Response models are learned on request only (their campaigns are chosen)."""
        return self.browse()

    def action_refresh_company(self):
        raise UserError(
            self.env._('Create a response model with its campaigns: saving it starts the learning.')
        )

    def action_learn(self):
        """ "Learn" (form): trigger the scheduler, which learns the queued models."""
        self._check_manager()
        if self.filtered(lambda run: run.state != 'running'):
            raise UserError(self.env._('This model was already learned: create a new one.'))
        self._cron()._trigger()
        return True

    def _action_open_form(self):
        action = super()._action_open_form()
        action['name'] = self.env._('Response Model')
        return action

    def action_open_targets(self):
        self.ensure_one()
        segment = self.env.ref('crm_mining_prediction.crm_segment_response_targets')
        return segment.action_open_members()

    # ------------------------------------------------------------------------------------------
    # execution
    # ------------------------------------------------------------------------------------------
    def _execute_steps(self, max_batches):
        from crm_mining import (
            FeatureConfig,
            ResponseConfig,
            customer_features,
            fit_response_tree,
            top_categories,
        )
        from crm_mining.response import contact_examples

        company = self.company_id
        if not self.window_days:
            _window_from, window_to = company._crm_intel_window()
            date_to = self.date_to or window_to
            self.write(
                {
                    'date_to': date_to,
                    'window_days': company.crm_response_window_days,
                    'min_samples_leaf': company.crm_response_min_leaf,
                    'target_lift': company.crm_response_target_lift,
                    'random_state': company.crm_churn_random_state,
                    'batch_size': self._default_batch_size(),
                }
            )
        partner_ids, contact_days = self._response_contacts()
        if not len(partner_ids):
            raise ValueError(
                self.env._(
                    'the chosen campaigns reached no customer before %(date)s (no opportunity or mailing '
                    'of theirs has a customer)',
                    date=self.date_to,
                )
            )
        # the history before the first contact, up to the end: every contact's features and the
        # current customers' scores
        history_days = FeatureConfig().history_days
        self.date_from = fields.Date.subtract(fields.Date.to_date(str(contact_days.min())), days=history_days)
        transactions = load_transactions(self.env, company, self.date_from, self.date_to)
        categories = top_categories(transactions, contact_days.min(), 5)
        X, _invoiced, names = contact_examples(
            transactions, partner_ids, contact_days, self.window_days, categories
        )
        responded = self._responded(partner_ids, contact_days)
        config = ResponseConfig(min_samples_leaf=self.min_samples_leaf, random_state=self.random_state)
        # a customer contacted by several campaigns stays in one cross-validation fold
        tree = fit_response_tree(X, responded, names, config, groups=partner_ids)
        current = customer_features(transactions, np.datetime64(self.date_to, 'D'), categories)
        rates, leaves, target = tree.targets(current.X, self.target_lift)
        if not self.batch_total:
            self._record_tree(tree, len(current), int(target.sum()))
        columns = {
            'response_rate': ('float8', rates),
            'leaf': ('int4', leaves.astype(np.int64)),
            'is_target': ('bool', target),
        }
        if not self._write_line_batches(current.partner_ids, columns, max_batches):
            return False
        self._publish()
        self._delete_unpublished_lines()
        self._finish()
        return True

    def _response_contacts(self):
        """``(partner ids, contact days)`` of the customers the campaigns reached at least a response
        window before the end of the run (:meth:`_last_contact_day`): the opportunities of the
        campaigns (their commercial partner, the day they were created). Bridges add other channels
        (the mass mailing bridge: the mailings' recipients)."""
        self.env['crm.lead'].flush_model(['campaign_id', 'partner_id', 'create_date', 'company_id'])
        self.env['res.partner'].flush_model(['commercial_partner_id'])
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT p.commercial_partner_id, l.create_date::date
                 FROM crm_lead l
                 JOIN res_partner p ON p.id = l.partner_id
                WHERE l.campaign_id = ANY(%s) AND (l.company_id = %s OR l.company_id IS NULL)
                  AND l.create_date::date <= %s""",
                self.campaign_ids.ids,
                self.company_id.id,
                self.date_to,
            )
        )
        rows += self._response_contacts_extra()
        last = self._last_contact_day()
        rows = sorted({(partner, day) for partner, day in rows if day <= last})
        return (
            np.array([r[0] for r in rows], dtype=np.int64),
            np.array([r[1] for r in rows], dtype='datetime64[D]'),
        )

    def _last_contact_day(self):
        """The last contact day whose response window ends by the end of the run: a later contact
        has not had the time to respond."""
        return fields.Date.subtract(self.date_to, days=self.window_days)

    def _clean_old_runs_domain(self, limit):
        """Response models are made by hand for chosen campaigns: they stay until deleted."""
        return [('id', 'in', [])]

    def _response_contacts_extra(self):
        """More ``(commercial partner id, date)`` contacts of the campaigns (bridges)."""
        return []

    def _responded(self, partner_ids, contact_days):
        """1 where the customer confirmed a sale order within the window after the contact (one
        query over all contacts)."""
        self.env['sale.order'].flush_model(['partner_id', 'state', 'date_order', 'company_id'])
        self.env['res.partner'].flush_model(['commercial_partner_id'])
        query = SQL(
            """SELECT c.i::int4, EXISTS (
                          SELECT 1 FROM sale_order so
                            JOIN res_partner sp ON sp.id = so.partner_id
                           WHERE sp.commercial_partner_id = c.partner_id AND so.state = 'sale'
                             AND so.company_id = %(company)s
                             AND so.date_order::date > c.day
                             AND so.date_order::date <= c.day + %(window)s
                             AND so.date_order::date <= %(end)s)::int4
                 FROM unnest(%(partners)s::int4[], %(days)s::date[])
                      WITH ORDINALITY AS c(partner_id, day, i)""",
            company=self.company_id.id,
            window=self.window_days,
            end=self.date_to,
            partners=[int(p) for p in partner_ids],
            days=[str(d) for d in contact_days],
        )
        index, responded = copy_query(self.env.cr, query, ['int4', 'int4'])
        out = np.zeros(len(partner_ids), dtype=np.int64)
        out[index.astype(np.int64) - 1] = responded
        return out

    def _record_tree(self, tree, customer_count, target_count):
        self.write(
            {
                'contact_count': tree.n_contacts,
                'responder_count': tree.metrics.positives,
                'base_rate': 100.0 * tree.base_rate,
                'cv_auc': 0.0 if np.isnan(tree.metrics.auc) else tree.metrics.auc,
                'top_lift': tree.metrics.lift[0],
                'ccp_alpha': tree.ccp_alpha,
                'customer_count': customer_count,
                'target_count': target_count,
                'batch_total': self._batch_total(customer_count),
                'numpy_version': tree.versions.get('numpy'),
                'sklearn_version': tree.versions.get('scikit-learn'),
            }
        )
        self.env['crm.response.rule'].sudo().create(
            [
                {
                    'run_id': self.id,
                    'sequence': i,
                    'leaf': rule.leaf,
                    'conditions': [[name, op, threshold] for name, op, threshold in rule.conditions],
                    'samples': rule.samples,
                    'responders': rule.responders,
                    'rate': 100.0 * rule.rate,
                    'lift': rule.lift,
                }
                for i, rule in enumerate(tree.rules)
            ]
        )
        self._commit_batch(0)


class CrmResponseRunLine(models.Model):
    """The predicted response rate of one customer in one response model (its rule's rate)."""

    _name = 'crm.response.run.line'
    _description = 'Campaign Response Run Line'
    _log_access = False
    _order = 'run_id, partner_id'

    run_id = fields.Integer(required=True)
    company_id = fields.Integer(required=True)
    partner_id = fields.Integer(required=True)
    response_rate = fields.Float()
    leaf = fields.Integer()
    is_target = fields.Boolean()

    _partner_run_uniq = models.UniqueIndex('(partner_id, run_id)', 'One line per run and customer.')


class CrmResponseRule(models.Model):
    """One rule of a response tree: the conditions of a leaf and its response rate and lift."""

    _name = 'crm.response.rule'
    _description = 'Campaign Response Rule'
    _order = 'run_id, sequence'
    _log_access = False

    run_id = fields.Many2one('crm.response.run', required=True, index=True, ondelete='cascade')
    company_id = fields.Many2one(related='run_id.company_id', store=True)
    sequence = fields.Integer()
    leaf = fields.Integer(aggregator=False)
    conditions = fields.Json(readonly=True)
    samples = fields.Integer(string='Contacts')
    responders = fields.Integer()
    rate = fields.Float(string='Response Rate (%)', digits=(16, 1), aggregator=False)
    lift = fields.Float(digits=(16, 2), aggregator=False)
    name = fields.Char(string='Rule', compute='_compute_name')

    @api.depends('conditions', 'samples', 'rate', 'lift')
    def _compute_name(self):
        """The rule in the reader's language: "if <conditions> then responds: 38% of 412
        customers, lift 2.9"."""
        labels = self.env['crm.churn.run']._feature_labels(
            [c[0] for rule in self for c in (rule.conditions or [])]
        )
        for rule in self:
            parts = []
            for name, op, threshold in rule.conditions or []:
                label = labels.get(name, name)
                value = f'{threshold:.4g}'
                parts.append(
                    self.env._('%(feature)s ≤ %(value)s', feature=label, value=value)
                    if op == '<='
                    else self.env._('%(feature)s > %(value)s', feature=label, value=value)
                )
            condition = format_list(self.env, parts) if parts else self.env._('any customer')
            rule.name = self.env._(
                'if %(condition)s then responds: %(rate)s%% of %(count)s customers, lift %(lift)s',
                condition=condition,
                rate=f'{rule.rate:.0f}',
                count=rule.samples,
                lift=f'{rule.lift:.1f}',
            )
