from odoo import fields, models


class CrmCustomerCohort(models.Model):
    """Cohort (customer group by first purchase month) retention and revenue.

    One row per company, cohort month and period offset (months since the cohort month); the
    refresh replaces a company's rows at the end of each successful run.
    """

    _name = 'crm.customer.cohort'
    _description = 'Customer Cohort'
    _order = 'cohort_month, period_offset'
    _rec_name = 'cohort_month'
    _check_company_auto = True
    _log_access = False  # replaced in bulk by the refresh runs (run_id tells which one)

    company_id = fields.Many2one(
        'res.company', required=True, index=True, ondelete='cascade', readonly=True)
    currency_id = fields.Many2one('res.currency', required=True, readonly=True)
    run_id = fields.Many2one(
        'crm.lifecycle.run', readonly=True, index='btree_not_null', ondelete='set null')
    cohort_month = fields.Date(
        string='Cohort', required=True, readonly=True, help='Month of the customers\' first purchase.')
    period_offset = fields.Integer(
        string='Months Since First Purchase', required=True, readonly=True, aggregator=False)
    cohort_size = fields.Integer(readonly=True, aggregator='max')
    customers_active = fields.Integer(string='Active Customers', readonly=True)
    retention_rate = fields.Float(
        string='Retention %', readonly=True, digits=(16, 1), aggregator='avg',
        help='Active customers of the period as a percentage of the cohort size.')
    revenue = fields.Monetary(readonly=True)

    _company_cohort_offset_uniq = models.UniqueIndex(
        '(company_id, cohort_month, period_offset)', 'One cohort cell per company, month and offset.')
