from odoo import fields, models
from odoo.tools import SQL

from .selections import STAGE_SELECTION


class CrmLifecycleRunLine(models.Model):
    """Staging row: the value of one customer computed by a refresh run that is not finished yet.

    Batches of a run land here (one bulk INSERT per batch, committed with the run's batch counter),
    so a run interrupted by a crash resumes where it stopped; the run's last step copies all its
    rows into ``crm.customer.value`` in one UPSERT and deletes them. Users never see this table
    half-written into the published values.
    """

    _name = 'crm.lifecycle.run.line'
    _description = 'Customer Value Refresh Staging Row'
    _log_access = False
    _order = 'run_id, partner_id'

    # plain integers, no foreign keys: the rows are transient and written in bulk (a foreign key
    # check per row would cost more than the row); crm.lifecycle.run.unlink() removes them
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

    _run_partner_uniq = models.UniqueIndex('(run_id, partner_id)', 'One staging row per run and customer.')

    def init(self):
        """Staging rows are recomputable: an UNLOGGED table spares the write-ahead log (a crash
        empties it and the resumed run simply scores those customers again)."""
        self.env.cr.execute(SQL(
            """SELECT relpersistence FROM pg_class WHERE relname = %s""", self._table))
        if self.env.cr.fetchone()[0] != 'u':
            self.env.cr.execute(SQL('ALTER TABLE %s SET UNLOGGED', SQL.identifier(self._table)))
