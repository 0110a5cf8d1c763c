from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .selections import QUADRANT_SELECTION, STAGE_SELECTION, TIER_SELECTION

# columns of crm.lifecycle.run.line shown as they are
VIEW_COLUMNS = (
    'run_id', 'partner_id', 'company_id', 'first_purchase_date', 'last_purchase_date',
    'purchase_count', 'frequency', 'recency_days', 'tenure_days', 'revenue', 'margin',
    'average_order_value', 'historical_clv', 'expected_purchases', 'expected_value', 'p_alive',
    'predicted_clv', 'retention_clv', 'stage', 'previous_stage', 'stage_since', 'tier',
    'value_quadrant', 'at_risk',
)


class CrmCustomerValue(models.Model):
    """Lifecycle stage and lifetime value of one customer (commercial partner) in one company.

    A read-only view: the lines (``crm.lifecycle.run.line``) of the company's published refresh
    run. A run publishes all its figures at once when it completes (see
    :meth:`crm.lifecycle.run._finalize`); nothing else writes them.
    """

    _name = 'crm.customer.value'
    _description = 'Customer Lifetime Value'
    _order = 'predicted_clv desc, id'
    _rec_name = 'partner_id'
    _check_company_auto = True
    _auto = False
    _log_access = False
    _depends = {
        'crm.lifecycle.run.line': list(VIEW_COLUMNS),
        'crm.lifecycle.run': ['published', 'company_id'],
        'res.company': ['currency_id'],
    }

    @property
    def _table_query(self):
        return SQL(
            """SELECT l.id, %s, c.currency_id
                 FROM crm_lifecycle_run_line l
                 JOIN crm_lifecycle_run r ON r.id = l.run_id AND r.published AND r.company_id = l.company_id
                 JOIN res_company c ON c.id = l.company_id
                 JOIN res_partner p ON p.id = l.partner_id""",
            SQL(', ').join(SQL.identifier('l', column) for column in VIEW_COLUMNS),
        )

    partner_id = fields.Many2one('res.partner', string='Customer', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    currency_id = fields.Many2one('res.currency', readonly=True)
    user_id = fields.Many2one(
        'res.users', string='Salesperson', related='partner_id.user_id', readonly=True)
    run_id = fields.Many2one(
        'crm.lifecycle.run', string='Last Run', readonly=True,
        help='The refresh run that computed these figures (the published run of the company).')

    # history
    first_purchase_date = fields.Date(string='First Purchase', readonly=True)
    last_purchase_date = fields.Date(string='Last Purchase', readonly=True)
    purchase_count = fields.Integer(
        string='Purchases', readonly=True, help='Number of purchase days in the analysis window.')
    frequency = fields.Integer(
        string='Repeat Purchases', readonly=True,
        help='Number of repeat purchase days (purchases after the first one).')
    recency_days = fields.Integer(
        string='Days Since Last Purchase', readonly=True, aggregator='avg')
    tenure_days = fields.Integer(
        string='Tenure (days)', readonly=True, aggregator='avg',
        help='Days between the first purchase and the end of the analysis window.')
    revenue = fields.Monetary(readonly=True)
    margin = fields.Monetary(readonly=True)
    average_order_value = fields.Monetary(string='Average Purchase Value', readonly=True, aggregator='avg')
    historical_clv = fields.Monetary(
        string='Historical CLV', readonly=True,
        help='Margin earned from the customer so far (analysis window).')

    # predictions
    expected_purchases = fields.Float(
        readonly=True, digits=(16, 2),
        help='Purchases expected over the configured horizon (BG/NBD).')
    expected_value = fields.Monetary(
        string='Expected Revenue', readonly=True,
        help='Expected purchases times the expected average purchase value (Gamma-Gamma) over the '
             'configured horizon.')
    p_alive = fields.Float(
        string='P(alive)', readonly=True, digits=(16, 3), aggregator='avg',
        help='Probability that the customer is still active (BG/NBD).')
    predicted_clv = fields.Monetary(
        string='Predicted CLV', readonly=True,
        help='Discounted margin expected over the horizon (BG/NBD x Gamma-Gamma x margin rate).')
    retention_clv = fields.Monetary(
        string='Retention CLV', readonly=True,
        help='Textbook retention-based CLV: yearly margin x retention rate, discounted over the '
             'configured number of years.')

    # classification
    stage = fields.Selection(STAGE_SELECTION, readonly=True)
    previous_stage = fields.Selection(STAGE_SELECTION, readonly=True)
    stage_since = fields.Date(readonly=True)
    tier = fields.Selection(TIER_SELECTION, readonly=True)
    value_quadrant = fields.Selection(QUADRANT_SELECTION, string='Value Matrix', readonly=True)
    at_risk = fields.Boolean(
        readonly=True,
        help='P(alive) is below the company threshold.')
    stage_history_ids = fields.One2many(
        'crm.customer.stage.history', compute='_compute_stage_history_ids')

    @api.depends('partner_id', 'company_id')
    def _compute_stage_history_ids(self):
        history = self.env['crm.customer.stage.history'].search([
            ('partner_id', 'in', self.partner_id.ids),
            ('company_id', 'in', self.company_id.ids),
        ])
        for record in self:
            record.stage_history_ids = history.filtered(
                lambda h, r=record: h.partner_id == r.partner_id and h.company_id == r.company_id)

    def action_open_partner(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'res.partner',
            'res_id': self.partner_id.id,
            'view_mode': 'form',
            'views': [(False, 'form')],
        }

    def action_open_stage_history(self):
        return self.env['crm.customer.stage.history']._action_for_partners(
            self.partner_id, self.company_id)

    @api.model
    def action_refresh(self):
        """Button of the customer value list: refresh the current company."""
        return self.env['crm.lifecycle.run'].action_refresh_company()

    @api.model
    def action_export_xlsx(self):
        if not self.env.company:
            raise UserError(self.env._('Select a company first.'))
        return {
            'type': 'ir.actions.act_window',
            'name': self.env._('Export Customer Value'),
            'res_model': 'crm.lifecycle.export.wizard',
            'view_mode': 'form',
            'views': [(False, 'form')],
            'target': 'new',
        }
