from odoo import models

from .crm_capability_assessment_line import NODE_FIGURES


class CrmCapabilityAssessment(models.Model):
    _inherit = "crm.capability.assessment"

    def action_export_xlsx(self):
        """Excel workbook of the evaluation: summary, the indicator tree with weights, consistency
        ratios, memberships and scores, the radar chart of the dimensions as a native Excel chart."""
        self.ensure_one()
        self._check_state("evaluated", "closed")
        filename = f"crm_capability_{self.name}.xlsx".replace(" ", "_").replace("/", "-")
        return self.env["crm.suite.export"].download(filename, self._xlsx_report())

    def _xlsx_report(self):
        from odoo.addons.crm_suite_base.tools.xlsx import XlsxReport

        env = self.env
        currency = self.currency_id
        report = XlsxReport(
            currency_symbol=currency.symbol or currency.name, symbol_position=currency.position
        )
        grades = dict(self._fields["grade"]._description_selection(env))
        kinds = dict(env["crm.capability.indicator"]._fields["kind"]._description_selection(env))
        sources = dict(
            env["crm.capability.assessment.line"]._fields["weight_source"]._description_selection(env)
        )
        summary = env._("Summary")
        items = [
            (env._("Assessment"), self.name, "text"),
            (env._("Company"), self.company_id.name, "text"),
            (env._("Period start"), self.date_from, "date"),
            (env._("Period end"), self.date_to, "date"),
            (env._("Score"), self.score, "float"),
            (env._("Grade"), grades.get(self.grade, ""), "text"),
            (env._("Data coverage"), self.coverage, "percent"),
            (
                env._("Fuzzy operator"),
                dict(self._fields["operator"]._description_selection(env))[self.operator],
                "text",
            ),
        ]
        if self.previous_id:
            items += [
                (env._("Previous assessment"), self.previous_id.name, "text"),
                (env._("Previous score"), self.previous_score, "float"),
                (env._("Change"), self.score_delta, "float"),
            ]
        if self.performance_available:
            items += [
                (env._("Revenue"), self.revenue, "money"),
                (env._("Revenue growth"), self.revenue_growth, "percent"),
                (env._("Margin rate"), self.margin_rate, "percent"),
                (env._("Customer retention rate"), self.retention_rate, "percent"),
            ]
        report.add_summary(summary, env._("CRM capability assessment: %(name)s", name=self.name), items)

        Line = env["crm.capability.assessment.line"]
        figure_columns = [
            (Line._fields[fname]._description_string(env), kind) for fname, kind in NODE_FIGURES.items()
        ]
        columns = [
            (env._("Code"), "text"),
            (env._("Indicator"), "text"),
            (env._("Kind"), "text"),
            (env._("Weights from"), "text"),
            *figure_columns,
            (env._("Grade"), "text"),
            (env._("Measured"), "text"),
            (env._("Ratings"), "int"),
            (env._("Not available because"), "text"),
        ]
        rows = []
        for line in self.line_ids:
            figures = [
                line[fname] if line.available or fname in ("local_weight", "global_weight") else None
                for fname in NODE_FIGURES
            ]
            if line.kind != "dimension" or line.weight_source != "ahp":
                figures[list(NODE_FIGURES).index("consistency_ratio")] = None
            rows.append(
                [
                    line.code,
                    "    " * line.depth + line.name,
                    kinds.get(line.kind, ""),
                    sources.get(line.weight_source, "") if line.kind == "dimension" else "",
                    *figures,
                    grades.get(line.grade, ""),
                    line.measured_display or "",
                    line.rating_count if line.kind == "subjective" else None,
                    line.unavailable_reason or "",
                ]
            )
        tree = env._("Indicators")
        report.add_table(tree, columns, rows, title=env._("Indicator tree"), autofilter=True)

        axes = self._radar_lines()
        if axes:
            radar = env._("Dimensions")
            previous = {line.indicator_id.id: line for line in self.previous_id.line_ids if line.available}
            dim_columns = [(env._("Dimension"), "text"), (self.name, "float")]
            if self.previous_id:
                dim_columns.append((self.previous_id.name, "float"))
            dim_rows = []
            for line in axes:
                row = [line.name, line.score if line.available else None]
                if self.previous_id:
                    row.append(
                        previous[line.indicator_id.id].score if line.indicator_id.id in previous else None
                    )
                dim_rows.append(row)
            ref = report.add_table(radar, dim_columns, dim_rows, title=env._("Scores by dimension"))
            series = [(self.name, ref.column(1))]
            if self.previous_id:
                series.append((self.previous_id.name, ref.column(2)))
            report.add_chart(
                radar, "radar", env._("CRM capability by dimension"), ref.column(0), series, anchor="E2"
            )
        weakest = self.weakest_line_ids
        if weakest:
            areas = dict(Line._fields["improvement_area"]._description_selection(env))
            report.add_table(
                env._("Improvement"),
                [
                    (env._("Indicator"), "text"),
                    (env._("Score"), "float"),
                    (env._("Grade"), "text"),
                    (env._("Area"), "text"),
                    (env._("Improvement measures"), "text"),
                ],
                [
                    [
                        line.name,
                        line.score,
                        grades.get(line.grade, ""),
                        areas.get(line.improvement_area, ""),
                        line.improvement_measure or "",
                    ]
                    for line in weakest
                ],
                title=env._("Weakest indicators"),
            )
        return report.to_bytes()
