from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.crm_suite_base.tools.xlsx import XlsxReport

from ..models.selections import STAGE_SELECTION, TIER_SELECTION


class CrmLifecycleExportWizard(models.TransientModel):
    """Excel workbook of the customer values: summary, customers, stages, tiers, cohorts."""

    _name = 'crm.lifecycle.export.wizard'
    _description = 'Export Customer Value Workbook'

    company_id = fields.Many2one(
        'res.company', required=True, default=lambda self: self.env.company,
        domain=lambda self: [('id', 'in', self.env.companies.ids)])
    include_prospects = fields.Boolean(
        default=False,
        help='Also list the customers without any purchase in the analysis window.')

    def _selection_labels(self, model, field_name):
        return dict(self.env[model]._fields[field_name]._description_selection(self.env))

    def action_export(self):
        self.ensure_one()
        env = self.env
        domain = [('company_id', '=', self.company_id.id)]
        if not self.include_prospects:
            domain.append(('stage', '!=', 'prospect'))
        field_names = [
            'partner_id', 'stage', 'stage_since', 'tier', 'value_quadrant', 'first_purchase_date',
            'last_purchase_date', 'purchase_count', 'frequency', 'recency_days', 'tenure_days', 'revenue',
            'margin', 'historical_clv', 'expected_purchases', 'expected_value', 'p_alive', 'predicted_clv',
            'retention_clv', 'at_risk',
        ]
        values = env['crm.customer.value'].search_fetch(
            domain, field_names, order='predicted_clv desc, historical_clv desc, id')
        if not values:
            raise UserError(env._(
                'There are no customer values for %(company)s yet: run a refresh first.',
                company=self.company_id.display_name))
        run = env['crm.lifecycle.run'].search(
            [('company_id', '=', self.company_id.id), ('state', '=', 'done')], limit=1)
        report = XlsxReport(currency_symbol=self.company_id.currency_id.symbol or '')
        self._add_summary(report, values, run)
        self._add_customers(report, values)
        self._add_stages_and_tiers(report, values)
        self._add_cohorts(report)
        today = fields.Date.context_today(self)
        filename = f'customer_value_{self.company_id.name}_{today}.xlsx'.replace(' ', '_')
        return env['crm.suite.export'].download(filename, report.to_bytes())

    def _add_summary(self, report, values, run):
        env = self.env
        bg_params = ', '.join(f'{v:.4g}' for v in (run.param_r, run.param_alpha, run.param_a, run.param_b))
        gg_params = ', '.join(f'{v:.4g}' for v in (run.param_p, run.param_q, run.param_v))
        report.add_summary(
            env._('Summary'), env._('Customer value: %(company)s', company=self.company_id.name), [
                (env._('Window start'), run.date_from, 'date'),
                (env._('Window end'), run.date_to, 'date'),
                (env._('Customers'), len(values), 'int'),
                (env._('Revenue'), sum(values.mapped('revenue')), 'money'),
                (env._('Historical CLV'), sum(values.mapped('historical_clv')), 'money'),
                (env._('Predicted CLV'), sum(values.mapped('predicted_clv')), 'money'),
                (env._('Retention CLV'), sum(values.mapped('retention_clv')), 'money'),
                (env._('Customers at risk'), len(values.filtered('at_risk')), 'int'),
                (env._('BG/NBD r, alpha, a, b'), bg_params, 'text'),
                (env._('Gamma-Gamma p, q, v'), gg_params, 'text'),
                (env._('Holdout MAE'), run.holdout_mae, 'float'),
            ])

    def _add_customers(self, report, values):
        env = self.env
        stage_labels = self._selection_labels('crm.customer.value', 'stage')
        tier_labels = self._selection_labels('crm.customer.value', 'tier')
        quadrant_labels = self._selection_labels('crm.customer.value', 'value_quadrant')
        columns = [
            (env._('Customer'), 'text'),
            (env._('Stage'), 'text'),
            (env._('Stage Since'), 'date'),
            (env._('Tier'), 'text'),
            (env._('Value Matrix'), 'text'),
            (env._('First Purchase'), 'date'),
            (env._('Last Purchase'), 'date'),
            (env._('Purchases'), 'int'),
            (env._('Repeat Purchases'), 'int'),
            (env._('Days Since Last Purchase'), 'int'),
            (env._('Tenure (days)'), 'int'),
            (env._('Revenue'), 'money'),
            (env._('Margin'), 'money'),
            (env._('Historical CLV'), 'money'),
            (env._('Expected Purchases'), 'float'),
            (env._('Expected Revenue'), 'money'),
            (env._('P(alive)'), 'percent'),
            (env._('Predicted CLV'), 'money'),
            (env._('Retention CLV'), 'money'),
            (env._('At Risk'), 'text'),
        ]
        yes, no = env._('Yes'), env._('No')
        rows = [(
            v.partner_id.display_name, stage_labels.get(v.stage, ''), v.stage_since,
            tier_labels.get(v.tier, ''), quadrant_labels.get(v.value_quadrant, ''),
            v.first_purchase_date, v.last_purchase_date, v.purchase_count, v.frequency, v.recency_days,
            v.tenure_days, v.revenue, v.margin, v.historical_clv, v.expected_purchases, v.expected_value,
            v.p_alive, v.predicted_clv, v.retention_clv, yes if v.at_risk else no,
        ) for v in values]
        report.add_table(env._('Customers'), columns, rows)

    def _add_stages_and_tiers(self, report, values):
        env = self.env
        sheet = env._('Stages and Tiers')
        stage_labels = self._selection_labels('crm.customer.value', 'stage')
        tier_labels = self._selection_labels('crm.customer.value', 'tier')
        by_stage = values.grouped('stage')
        stage_rows = [
            (stage_labels[code], len(by_stage.get(code, [])),
             sum(by_stage[code].mapped('predicted_clv')) if code in by_stage else 0.0)
            for code, _label in STAGE_SELECTION
        ]
        stage_ref = report.add_table(sheet, [
            (env._('Stage'), 'text'), (env._('Customers'), 'int'), (env._('Predicted CLV'), 'money'),
        ], stage_rows, title=env._('Lifecycle stages'))
        report.add_chart(sheet, 'pie', env._('Customers by stage'), stage_ref.column(0),
                         [(env._('Customers'), stage_ref.column(1))], anchor='F2')
        by_tier = values.grouped('tier')
        tier_rows = []
        for code, _label in TIER_SELECTION:
            subset = by_tier.get(code, values.browse())
            tier_rows.append((tier_labels[code], len(subset), sum(subset.mapped('predicted_clv')),
                              sum(subset.mapped('historical_clv'))))
        tier_ref = report.add_table(sheet, [
            (env._('Tier'), 'text'), (env._('Customers'), 'int'), (env._('Predicted CLV'), 'money'),
            (env._('Historical CLV'), 'money'),
        ], tier_rows, title=env._('Customer pyramid'))
        report.add_chart(sheet, 'column', env._('Value by tier'), tier_ref.column(0), [
            (env._('Predicted CLV'), tier_ref.column(2)),
            (env._('Historical CLV'), tier_ref.column(3)),
        ], anchor='F22')

    def _add_cohorts(self, report):
        env = self.env
        sheet = env._('Cohorts')
        cohorts = env['crm.customer.cohort'].search_fetch(
            [('company_id', '=', self.company_id.id)],
            ['cohort_month', 'period_offset', 'cohort_size', 'customers_active', 'retention_rate', 'revenue'])
        offset_label = env._('Months Since First Purchase')
        report.add_table(sheet, [
            (env._('Cohort'), 'date'), (offset_label, 'int'), (env._('Cohort Size'), 'int'),
            (env._('Active Customers'), 'int'), (env._('Retention %'), 'percent'),
            (env._('Revenue'), 'money'),
        ], [(c.cohort_month, c.period_offset, c.cohort_size, c.customers_active, c.retention_rate / 100.0,
             c.revenue) for c in cohorts])
        if not cohorts:
            return
        # average retention per offset: the customer group's lifecycle curve
        curve = [
            (offset, sum(cells.mapped('retention_rate')) / len(cells) / 100.0)
            for offset, cells in sorted(cohorts.grouped('period_offset').items())
        ]
        curve_ref = report.add_table(sheet, [
            (offset_label, 'int'), (env._('Average Retention %'), 'percent'),
        ], curve, title=env._('Average retention curve'))
        report.add_chart(sheet, 'line', env._('Cohort retention curve'), curve_ref.column(0),
                         [(env._('Average Retention %'), curve_ref.column(1))], anchor='I2')
