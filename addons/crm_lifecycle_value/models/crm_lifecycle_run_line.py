from odoo import fields, models
from odoo.tools import SQL

from .selections import QUADRANT_SELECTION, RETENTION_REASON_SELECTION, STAGE_SELECTION, TIER_SELECTION


class CrmLifecycleRunLine(models.Model):
    """The lifecycle and value figures of one customer computed by one refresh run.

    A run writes its lines in batches (one binary ``COPY`` per batch, committed with the run's
    batch counter), so an interrupted run resumes where it stopped. The lines of the company's
    *published* run are what users see as ``crm.customer.value`` (a view over this table): a run
    publishes all its lines at once by becoming the published run, then the lines of the older
    runs are deleted. Readers therefore see either the previous run or the new one, never a mix,
    and a nightly refresh writes each customer's row once instead of staging it and then updating
    a second table.
    """

    _name = 'crm.lifecycle.run.line'
    _description = 'Customer Lifecycle Run Line'
    _log_access = False
    _order = 'run_id, partner_id'

    # plain integers, no foreign keys: the rows are written in bulk (a foreign key check per row
    # would cost more than the row) and removed with their run (crm.lifecycle.run.unlink());
    # the crm.customer.value view joins res_partner, so a deleted partner's line is never shown
    run_id = fields.Integer(required=True)
    company_id = fields.Integer(required=True)
    partner_id = fields.Integer(required=True)
    first_purchase_date = fields.Date(string='First Purchase')
    last_purchase_date = fields.Date(string='Last Purchase')
    purchase_count = fields.Integer(string='Purchases')
    frequency = fields.Integer(string='Repeat Purchases')
    recency_days = fields.Integer(string='Days Since Last Purchase')
    tenure_days = fields.Integer(string='Tenure (days)')
    revenue = fields.Float()
    margin = fields.Float()
    average_order_value = fields.Float(string='Average Purchase Value')
    historical_clv = fields.Float(string='Historical CLV')
    expected_purchases = fields.Float()
    expected_value = fields.Float(string='Expected Revenue')
    p_alive = fields.Float(string='P(alive)')
    predicted_clv = fields.Float(string='Predicted CLV')
    retention_clv = fields.Float(string='Retention CLV')
    stage = fields.Selection(STAGE_SELECTION)
    at_risk = fields.Boolean()
    tier = fields.Selection(TIER_SELECTION)
    value_quadrant = fields.Selection(QUADRANT_SELECTION, string='Value Matrix')
    previous_stage = fields.Selection(STAGE_SELECTION)
    stage_since = fields.Date()
    stage_changed = fields.Boolean(help='The stage differs from the one published before the run.')
    retention_reason = fields.Selection(
        RETENTION_REASON_SELECTION,
        help='Set when the run should schedule a retention activity for the customer.')

    # serves the partner look-ups of the view (leading partner_id) and guards the batches
    _partner_run_uniq = models.UniqueIndex('(partner_id, run_id)', 'One line per run and customer.')

    def init(self):
        """Version 1.0 kept only transient staging rows here, in an UNLOGGED table; the lines are
        now the published values and must survive a crash."""
        self.env.cr.execute(SQL(
            """SELECT relpersistence FROM pg_class WHERE relname = %s""", self._table))
        row = self.env.cr.fetchone()
        if row and row[0] == 'u':
            self.env.cr.execute(SQL('ALTER TABLE %s SET LOGGED', SQL.identifier(self._table)))
