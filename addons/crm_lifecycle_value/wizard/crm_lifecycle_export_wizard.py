from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.crm_suite_base.tools.xlsx import XlsxReport

from crm_lifecycle import MODEL_FIGURES

from ..models.figures import EXPORT_FIGURES, figure_kind
from ..models.selections import STAGE_SELECTION, TIER_SELECTION

#: figure kind -> workbook cell kind
CELL_KINDS = {'date': 'date', 'int': 'int', 'float': 'float', 'money': 'money', 'percent': 'percent',
              'selection': 'text', 'bool': 'text'}


class CrmLifecycleExportWizard(models.TransientModel):
    """Excel workbook of the published customer values: summary, customers, stages and tiers, value
    matrix, lifecycle flow, cohort tables and the model run with its validation."""

    _name = 'crm.lifecycle.export.wizard'
    _description = 'Export Customer Value Workbook'

    company_id = fields.Many2one(
        'res.company', required=True, default=lambda self: self.env.company,
        domain=lambda self: [('id', 'in', self.env.companies.ids)])
    value_ids = fields.Many2many(
        'crm.customer.value', string='Selected Customers',
        help='The rows selected in the Customer Value list; all the company\'s customers when empty.')
    include_prospects = fields.Boolean(
        default=False,
        help='Also list the prospects: partners of open opportunities who never bought.')
    selected_count = fields.Integer(compute='_compute_selected_count')

    @api.depends('value_ids')
    def _compute_selected_count(self):
        for wizard in self:
            wizard.selected_count = len(wizard.value_ids)

    def _selection_labels(self, field_name):
        return dict(self.env['crm.customer.value']._fields[field_name]._description_selection(self.env))

    def _values(self):
        domain = [('company_id', '=', self.company_id.id)]
        if self.value_ids:
            domain.append(('id', 'in', self.value_ids.ids))
        if not self.include_prospects:
            domain.append(('stage', '!=', 'prospect'))
        return self.env['crm.customer.value'].search_fetch(
            domain, ['partner_id', 'currency_id', 'prediction_available', *EXPORT_FIGURES],
            order='predicted_clv desc, historical_clv desc, id')

    def action_export(self):
        self.ensure_one()
        env = self.env
        values = self._values()
        run = env['crm.lifecycle.run']._published_run_of(self.company_id)
        if not values or not run:
            raise UserError(env._(
                'There are no customer values for %(company)s to export: refresh them first, or '
                'change the selection.', company=self.company_id.display_name))
        currency = self.company_id._crm_intel_currency()
        rate = self.company_id._crm_intel_display_rate()
        report = XlsxReport(currency_symbol=currency.symbol or currency.name,
                            symbol_position=currency.position)
        self._add_summary(report, values, run, currency, rate)
        self._add_customers(report, values, rate)
        self._add_stages_and_tiers(report, values, rate)
        self._add_value_matrix(report, values, rate)
        self._add_lifecycle_flow(report, run)
        self._add_cohorts(report, rate)
        self._add_model_run(report, run)
        today = fields.Date.context_today(self)
        filename = f'customer_value_{self.company_id.name}_{today}.xlsx'.replace(' ', '_')
        return env['crm.suite.export'].download(filename, report.to_bytes(), close_dialog=True)

    def _add_summary(self, report, values, run, currency, rate):
        env = self.env
        model_label = dict(run._fields['model_code']._description_selection(env)).get(run.model_code, '')
        items = [
            (env._('Model run'), run.name, 'text'),
            (env._('Window start'), run.date_from, 'date'),
            (env._('Window end'), run.date_to, 'date'),
            (env._('Amounts in'), currency.name, 'text'),
            (env._('Customers'), len(values), 'int'),
            (env._('Revenue (window)'), rate * sum(values.mapped('revenue')), 'money'),
            (env._('Historical CLV (margin to date)'), rate * sum(values.mapped('historical_clv')), 'money'),
            (env._('Predicted CLV (horizon, discounted)'), rate * sum(values.mapped('predicted_clv')),
             'money'),
            (env._('Retention CLV (yearly margin x retention)'), rate * sum(values.mapped('retention_clv')),
             'money'),
            (env._('Customers at risk'), len(values.filtered('at_risk')), 'int'),
            (env._('Purchase model'), model_label, 'text'),
        ]
        if run.holdout_start:
            items += [
                (env._('Validation from'), run.holdout_start, 'date'),
                (env._('Validation error (%)'), run.holdout_error_pct / 100.0, 'percent'),
                (env._('Per-customer MAE'), run.holdout_mae, 'float'),
            ]
        title = env._('Customer value: %(company)s', company=self.company_id.name)
        report.add_summary(env._('Summary'), title, items)

    def _add_customers(self, report, values, rate):
        env = self.env
        Value = env['crm.customer.value']
        labels = {name: self._selection_labels(name) for name in EXPORT_FIGURES
                  if figure_kind(name) == 'selection'}
        yes, no = env._('Yes'), env._('No')
        columns = [(Value._fields['partner_id'].get_description(env)['string'], 'text')]
        columns += [(Value._fields[name].get_description(env)['string'], CELL_KINDS[figure_kind(name)])
                    for name in EXPORT_FIGURES]

        def cell(value, name):
            kind = figure_kind(name)
            if name in MODEL_FIGURES and not value.prediction_available:
                return None  # a blank cell, not a 0: there is no prediction for this customer
            raw = value[name]
            if kind == 'selection':
                return labels[name].get(raw, '')
            if kind == 'bool':
                return yes if raw else no
            if kind == 'money':
                return rate * raw
            return raw

        rows = [(value.partner_id.display_name, *(cell(value, name) for name in EXPORT_FIGURES))
                for value in values]
        report.add_table(env._('Customers'), columns, rows)

    def _add_stages_and_tiers(self, report, values, rate):
        env = self.env
        sheet = env._('Stages and Tiers')
        stage_labels = self._selection_labels('stage')
        tier_labels = self._selection_labels('tier')
        by_stage = values.grouped('stage')
        stage_rows = []
        for code, _label in STAGE_SELECTION:
            subset = by_stage.get(code, values.browse())
            stage_rows.append((stage_labels[code], len(subset), rate * sum(subset.mapped('predicted_clv'))))
        stage_ref = report.add_table(sheet, [
            (env._('Lifecycle Stage'), 'text'), (env._('Customers'), 'int'),
            (env._('Predicted CLV (horizon, discounted)'), 'money'),
        ], stage_rows, title=env._('Lifecycle stages'))
        report.add_chart(sheet, 'pie', env._('Customers by stage'), stage_ref.column(0),
                         [(env._('Customers'), stage_ref.column(1))], anchor='F2')
        by_tier = values.grouped('tier')
        tier_rows = []
        for code, _label in TIER_SELECTION:
            subset = by_tier.get(code, values.browse())
            tier_rows.append((tier_labels[code], len(subset), rate * sum(subset.mapped('predicted_clv')),
                              rate * sum(subset.mapped('historical_clv'))))
        tier_ref = report.add_table(sheet, [
            (env._('Value Tier'), 'text'), (env._('Customers'), 'int'),
            (env._('Predicted CLV (horizon, discounted)'), 'money'),
            (env._('Historical CLV (margin to date)'), 'money'),
        ], tier_rows, title=env._('Customer pyramid'))
        report.add_chart(sheet, 'column', env._('Value by tier'), tier_ref.column(0), [
            (env._('Predicted CLV (horizon, discounted)'), tier_ref.column(2)),
            (env._('Historical CLV (margin to date)'), tier_ref.column(3)),
        ], anchor='F22')

    def _add_value_matrix(self, report, values, rate):
        """The 2x2 value matrix: current value (rows) against potential (columns)."""
        env = self.env
        sheet = env._('Value Matrix')
        by_quadrant = values.grouped('value_quadrant')
        high, low = env._('High potential'), env._('Low potential')
        layout = ((env._('High current value'), ('core', 'harvest')),
                  (env._('Low current value'), ('develop', 'minimal')))

        def block(measure):
            return [[measure(by_quadrant.get(code, values.browse())) for code in codes]
                    for _label, codes in layout]

        report.add_matrix(sheet, env._('Customers per quadrant'), env._('Value Matrix'),
                          [label for label, _codes in layout], [high, low], block(len), kind='int')
        report.add_matrix(sheet, env._('Historical CLV (margin to date) per quadrant'), env._('Value Matrix'),
                          [label for label, _codes in layout], [high, low],
                          block(lambda s: rate * sum(s.mapped('historical_clv'))), kind='money')
        report.add_matrix(sheet, env._('Predicted CLV (horizon, discounted) per quadrant'),
                          env._('Value Matrix'), [label for label, _codes in layout], [high, low],
                          block(lambda s: rate * sum(s.mapped('predicted_clv'))), kind='money')
        quadrant_labels = self._selection_labels('value_quadrant')
        report.add_table(sheet, [(env._('Quadrant'), 'text')], [
            (quadrant_labels.get(code, code),) for _label, codes in layout for code in codes
        ], title=env._('Quadrants'))

    def _add_lifecycle_flow(self, report, run):
        """From-stage x to-stage counts of the stage changes the published run saw."""
        env = self.env
        stage_labels = self._selection_labels('stage')
        groups = env['crm.customer.stage.history']._read_group(
            [('run_id', '=', run.id), ('company_id', '=', self.company_id.id)],
            ['from_stage', 'to_stage'], ['__count'])
        counts = {(from_stage or False, to_stage): count for from_stage, to_stage, count in groups}
        # first classifications are no history row: they are the run's lines without previous stage
        env['crm.lifecycle.run.line'].flush_model()
        for to_stage, count in env.execute_query(SQL(
                """SELECT stage, COUNT(*) FROM crm_lifecycle_run_line
                    WHERE run_id = %s AND stage_changed AND previous_stage IS NULL GROUP BY stage""",
                run.id)):
            counts[(False, to_stage)] = counts.get((False, to_stage), 0) + count
        codes = [code for code, _label in STAGE_SELECTION]
        first = env._('(first classification)')
        rows = [first, *(stage_labels[code] for code in codes)]
        matrix = [[counts.get((source, target), 0) for target in codes] for source in (False, *codes)]
        report.add_matrix(
            env._('Lifecycle Flow'),
            env._('Stage changes seen by %(run)s (rows: from, columns: to)', run=run.name),
            env._('From stage'), rows, [stage_labels[code] for code in codes], matrix, kind='int')

    def _add_cohorts(self, report, rate):
        """The cohort triangles: active share, survival (observed) and its sBG projection."""
        env = self.env
        sheet = env._('Cohorts')
        env['crm.customer.cohort'].flush_model()
        rows = env.execute_query(SQL(
            """SELECT cohort_month, period_offset, period_label, cohort_size, customers_active,
                      retention_rate, survival_rate, projected_survival, revenue
                 FROM crm_customer_cohort WHERE company_id = %s
             ORDER BY cohort_month, period_offset""", self.company_id.id))  # NULLs stay NULL
        if not rows:
            report.add_summary(sheet, env._('Cohorts'), [(env._('No cohort yet'), '', 'text')])
            return
        months = sorted({row[0] for row in rows})
        offsets = sorted({row[1] for row in rows})
        labels = {row[1]: row[2] for row in rows}
        cells = {(row[0], row[1]): row for row in rows}
        sizes = {row[0]: row[3] for row in rows}
        extra = [(env._('Cohort Size'), 'int', [sizes[m] for m in months])]

        def triangle(index, scale):
            return [[None if (m, o) not in cells or cells[(m, o)][index] is None
                     else cells[(m, o)][index] * scale for o in offsets] for m in months]

        columns = [labels[o] for o in offsets]
        for title, index, scale, kind in (
            (env._('Active customers (% of the cohort)'), 5, 0.01, 'percent'),
            (env._('Still customers, observed (Kaplan-Meier, %)'), 6, 0.01, 'percent'),
            (env._('Still customers, sBG projection (%)'), 7, 0.01, 'percent'),
            (env._('Revenue'), 8, rate, 'money'),
        ):
            report.add_matrix(sheet, title, env._('Cohort'), months, columns, triangle(index, scale),
                              kind=kind, row_kind='date', extra_columns=extra)
        # size-weighted mean curve over the cohorts (the customer group's lifecycle)
        curve = []
        for o in offsets:
            group = [cells[(m, o)] for m in months if (m, o) in cells]
            total = sum(row[3] for row in group)
            curve.append((labels[o], sum(row[4] for row in group) / total if total else None))
        curve_ref = report.add_table(sheet, [
            (env._('Since First Purchase'), 'text'), (env._('Active % (weighted)'), 'percent'),
        ], curve, title=env._('Average retention curve'))
        report.add_chart(sheet, 'line', env._('Cohort retention curve'), curve_ref.column(0),
                         [(env._('Active % (weighted)'), curve_ref.column(1))], anchor='D2')

    def _add_model_run(self, report, run):
        env = self.env
        sheet = env._('Model Run')
        model_labels = dict(run._fields['model_code']._description_selection(env))
        params = [(f'{name}', run[f'param_{name}'], 'float')
                  for name in ('r', 'alpha', 'a', 'b', 's', 'beta', 'p', 'q', 'v') if run[f'param_{name}']]
        report.add_summary(sheet, run.name, [
            (env._('Purchase model'), model_labels.get(run.model_code, ''), 'text'),
            (env._('Customers'), run.customer_count, 'int'),
            (env._('Buying customers'), run.buyer_count, 'int'),
            (env._('Repeat customers'), run.repeat_customer_count, 'int'),
            *params,
            (env._('Purchase model log-likelihood'), run.log_likelihood, 'float'),
        ])
        report.add_table(sheet, [
            (env._('Purchase Model'), 'text'), (env._('Used by the Run'), 'text'),
            (env._('Customers'), 'int'),
            (env._('Actual Purchases'), 'float'), (env._('Predicted Purchases'), 'float'),
            (env._('Aggregate Error (%)'), 'percent'), (env._('Per-customer MAE'), 'float'),
            (env._('Per-customer RMSE'), 'float'), (env._('Could Not Be Fitted'), 'text'),
        ], [(model_labels.get(c.model_code, ''), env._('Yes') if c.selected else '', c.customer_count,
             c.actual, c.predicted, c.error_pct / 100.0, c.mae, c.rmse, c.error or '')
            for c in run.comparison_ids],
            title=env._('Validation: the models side by side'))
