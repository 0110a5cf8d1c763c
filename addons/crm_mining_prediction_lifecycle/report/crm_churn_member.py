from odoo import fields, models
from odoo.tools import SQL


class CrmChurnMember(models.Model):
    """With the lifecycle figures, a customer's value is its predicted customer lifetime value
    (BG/NBD x Gamma-Gamma, the company's published lifecycle run): *At Risk, High Value* are the
    customers with the highest predicted CLV in the high or medium churn risk band, and the margin
    at risk weighs the CLV by the churn risk. Without a published lifecycle run the value stays the
    margin of the last twelve months."""

    _inherit = 'crm.churn.member'
    _order = 'clv_at_risk desc, id'
    _depends = {
        'crm.lifecycle.run': ['published', 'company_id'],
        'crm.lifecycle.run.line': ['run_id', 'partner_id', 'predicted_clv'],
    }

    value = fields.Monetary(
        help='Predicted customer lifetime value (published lifecycle run); the margin of the last '
        'twelve months when the company has no lifecycle run.'
    )
    clv_at_risk = fields.Monetary(
        string='CLV at Risk', readonly=True, help='Churn risk times the predicted customer lifetime value.'
    )

    def _value_sql(self):
        return SQL('CASE WHEN lr.id IS NULL THEN l.annual_margin ELSE COALESCE(ll.predicted_clv, 0.0) END')

    def _value_joins(self):
        return SQL(
            """LEFT JOIN crm_lifecycle_run lr ON lr.company_id = l.company_id AND lr.published
               LEFT JOIN crm_lifecycle_run_line ll ON ll.run_id = lr.id AND ll.partner_id = l.partner_id"""
        )

    @property
    def _table_query(self):
        return SQL(
            'SELECT m.*, m.churn_probability * GREATEST(m.value, 0.0) AS clv_at_risk FROM (%s) m',
            super()._table_query,
        )
