from odoo import fields, models
from odoo.tools import SQL

from ..models.crm_churn_run_line import CHURN_FIGURES, churn_field

VIEW_COLUMNS = ('run_id', 'partner_id', 'company_id', *CHURN_FIGURES)
#: share of a company's scored customers that count as high value (by the value of the view)
HIGH_VALUE_SHARE = 0.2


class CrmChurnMember(models.Model):
    """The churn risk of one customer (commercial partner) in one company: the lines of the
    company's published churn run, with the customer's value.

    The value is the margin of the last twelve months (``_value_sql``; the lifecycle bridge uses
    the predicted customer lifetime value instead). *High value* are the customers in the top
    fifth of the company by value; *At Risk, High Value* those of them in the high or medium risk
    band: the list a retention campaign starts from, sorted by margin at risk.
    """

    _name = 'crm.churn.member'
    _inherit = ['crm.suite.customer.line']
    _description = 'Customer Churn Risk'
    _order = 'value_at_risk desc, id'
    _rec_name = 'partner_id'
    _auto = False
    _log_access = False
    _depends = {
        'crm.churn.run.line': list(VIEW_COLUMNS),
        'crm.churn.run': ['published', 'company_id'],
        'res.company': ['currency_id'],
    }

    def _value_sql(self):
        """The customer's value (float8) from the line ``l``: its margin of the last twelve months."""
        return SQL('l.annual_margin')

    def _value_joins(self):
        return SQL('')

    @property
    def _table_query(self):
        return SQL(
            """SELECT v.*, (v.value_rank <= %(share)s AND v.value > 0) AS is_high_value,
                      (v.value_rank <= %(share)s AND v.value > 0 AND v.risk_band IN ('high', 'medium'))
                          AS is_at_risk_high_value
                 FROM (SELECT l.id, %(columns)s, c.currency_id, p.user_id, %(value)s AS value,
                              1.0 - percent_rank() OVER (PARTITION BY l.run_id ORDER BY %(value)s)
                                  AS value_rank
                         FROM crm_churn_run_line l
                         JOIN crm_churn_run r
                              ON r.id = l.run_id AND r.published AND r.company_id = l.company_id
                         JOIN res_company c ON c.id = l.company_id
                         JOIN res_partner p ON p.id = l.partner_id
                         %(joins)s) v""",
            share=HIGH_VALUE_SHARE,
            columns=SQL(', ').join(SQL.identifier('l', column) for column in VIEW_COLUMNS),
            value=self._value_sql(),
            joins=self._value_joins(),
        )

    partner_id = fields.Many2one('res.partner', string='Customer', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    currency_id = fields.Many2one('res.currency', readonly=True)
    user_id = fields.Many2one('res.users', string='Salesperson', readonly=True)
    run_id = fields.Many2one('crm.churn.run', string='Churn Run', readonly=True)
    for _figure in CHURN_FIGURES:
        locals()[_figure] = churn_field(_figure, readonly=True)
    del _figure
    value = fields.Monetary(
        string='Customer Value',
        readonly=True,
        help='Margin of the last twelve months (the predicted lifetime value with the lifecycle module).',
    )
    value_rank = fields.Float(readonly=True, aggregator=False)
    is_high_value = fields.Boolean(
        string='High Value', readonly=True, help='In the top fifth of the customers by value.'
    )
    is_at_risk_high_value = fields.Boolean(string='At Risk, High Value', readonly=True)
