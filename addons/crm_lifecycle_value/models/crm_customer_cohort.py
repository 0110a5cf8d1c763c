import numpy as np

from odoo import fields, models
from odoo.tools import SQL

#: measures averaged with the cohort sizes as weights (see _read_group_select)
WEIGHTED_RATES = ('retention_rate', 'survival_rate', 'projected_survival')


class CrmCustomerCohort(models.Model):
    """Cohort (customer group by first purchase month or quarter) retention and revenue.

    One row per company, cohort and period offset (periods since the cohort's first period); the
    refresh replaces a company's rows at the end of each successful run. The rates are stored per
    cell and aggregated weighted by the cohort sizes: a total is the share of all the customers of
    the cohorts, not the mean of the cohorts' rates; a total over several offsets leaves offset 0
    (100% by definition) out.
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
    period = fields.Selection(
        [('month', 'Month'), ('quarter', 'Quarter')], string='Cohort Period', readonly=True,
        default='month')
    cohort_month = fields.Date(
        string='Cohort', required=True, readonly=True,
        help='First day of the month (or quarter) of the customers\' first purchase.')
    period_offset = fields.Integer(
        string='Periods Since First Purchase', required=True, readonly=True, aggregator=False)
    period_label = fields.Char(
        string='Since First Purchase', readonly=True,
        help='M+03: the third month after the month of the first purchase (Q+03: quarters).')
    cohort_size = fields.Integer(
        readonly=True, aggregator='max',
        help='Customers whose first purchase fell in the cohort\'s period.')
    customers_active = fields.Integer(
        string='Active Customers', readonly=True,
        help='Customers of the cohort who bought in the period.')
    retention_rate = fields.Float(
        string='Active %', readonly=True, digits=(16, 1), aggregator='avg',
        help='Active customers of the period as a percentage of the cohort size; totals are '
             'weighted by the cohort sizes.')
    survival_rate = fields.Float(
        string='Still Customers % (observed)', readonly=True, digits=(16, 1), aggregator='avg',
        help='Kaplan-Meier estimate of the share of the cohort still a customer (not lapsed: a '
             'customer lapses when no purchase follows within six periods); empty where a lapse '
             'cannot be seen yet.')
    survival_observed = fields.Boolean(
        readonly=True, help='The survival of this period can be observed (a lapse would show by now).')
    projected_survival = fields.Float(
        string='Still Customers % (sBG projection)', readonly=True, digits=(16, 1), aggregator='avg',
        help='Shifted-beta-geometric model fitted on the cohort\'s observed survival (Fader & '
             'Hardie 2007), for comparison and for the periods not observed yet.')
    revenue = fields.Monetary(readonly=True)

    _company_cohort_offset_uniq = models.UniqueIndex(
        '(company_id, cohort_month, period_offset)', 'One cohort cell per company, month and offset.')

    def _read_group_select(self, aggregate_spec, query):
        """Rates aggregate as sum(rate x size) / sum(size), offset 0 left out when other offsets
        are in the group (the Total column of the cohort table)."""
        fname, _sep, func = aggregate_spec.partition(':')
        if fname in WEIGHTED_RATES and func == 'avg':
            rate = self._field_to_sql(self._table, fname, query)
            size = self._field_to_sql(self._table, 'cohort_size', query)
            offset = self._field_to_sql(self._table, 'period_offset', query)
            return SQL(
                """COALESCE(
                       SUM(%(rate)s * %(size)s) FILTER (WHERE %(offset)s > 0 AND %(rate)s IS NOT NULL)
                       / NULLIF(SUM(%(size)s) FILTER (WHERE %(offset)s > 0 AND %(rate)s IS NOT NULL), 0),
                       SUM(%(rate)s * %(size)s) FILTER (WHERE %(rate)s IS NOT NULL)
                       / NULLIF(SUM(%(size)s) FILTER (WHERE %(rate)s IS NOT NULL), 0))""",
                rate=rate, size=size, offset=offset)
        return super()._read_group_select(aggregate_spec, query)

    def _replace_company_cohorts(self, run, facts):
        """Replace the cohorts of ``run``'s company from the window's facts (engine
        ``cohort_table`` and ``project_retention``, one INSERT)."""
        from crm_lifecycle import cohort_table, project_retention

        company = run.company_id
        period = company.crm_lcv_cohort_period or 'month'
        table = cohort_table(facts.partner_ids, facts.dates, facts.revenue, run.date_to, period=period)
        self.env.cr.execute(SQL('DELETE FROM crm_customer_cohort WHERE company_id = %s', company.id))
        if not len(table.cohorts):
            return 0
        projection = project_retention(table)
        cohort_idx, offset_idx = np.nonzero(~np.isnan(table.customers))
        prefix = 'M' if period == 'month' else 'Q'
        offsets = table.offsets[offset_idx].astype(np.int64)

        def percent(matrix):
            values = 100.0 * matrix[cohort_idx, offset_idx]
            return [None if np.isnan(v) else round(float(v), 4) for v in values]

        self.env.cr.execute(SQL(
            """INSERT INTO crm_customer_cohort
                      (company_id, currency_id, run_id, period, cohort_month, period_offset, period_label,
                       cohort_size, customers_active, retention_rate, survival_rate, projected_survival,
                       revenue, survival_observed)
               SELECT %s, %s, %s, %s, u.*, u.survival IS NOT NULL
                 FROM unnest(%s::date[], %s::int4[], %s::varchar[], %s::int4[], %s::int4[], %s::float8[],
                             %s::float8[], %s::float8[], %s::float8[])
                      AS u(month, offs, label, size, active, retention, survival, projected, revenue)""",
            company.id, company.currency_id.id, run.id, period,
            table.cohorts[cohort_idx].astype('datetime64[D]').tolist(),
            offsets.tolist(),
            [f'{prefix}+{offset:02d}' for offset in offsets.tolist()],
            table.cohort_size[cohort_idx].astype(np.int64).tolist(),
            table.customers[cohort_idx, offset_idx].astype(np.int64).tolist(),
            percent(table.retention),
            percent(table.survival),
            percent(projection),
            table.revenue[cohort_idx, offset_idx].tolist(),
        ))
        return len(cohort_idx)
