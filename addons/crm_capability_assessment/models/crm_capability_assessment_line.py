from odoo import api, fields, models

from .crm_capability_indicator import GRADE_KEYS, GRADES, KINDS

#: figures of an evaluated node, declared once with their Excel kind (field name -> kind); the
#: Excel columns take the fields' labels
NODE_FIGURES = {
    "local_weight": "percent",
    "global_weight": "percent",
    "consistency_ratio": "float",
    "coverage": "percent",
    **{f"membership_{key}": "float" for key in GRADE_KEYS},
    "score": "float",
}


class CrmCapabilityAssessmentLine(models.Model):
    """The evaluation of one indicator node in an assessment: weights, the fuzzy membership vector
    over the five grades, the score and the grade; for a measured indicator the value measured and
    the records it counted."""

    _name = "crm.capability.assessment.line"
    _description = "CRM capability assessment result"
    _order = "assessment_id, tree_sequence, id"

    assessment_id = fields.Many2one(
        "crm.capability.assessment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="assessment_id.company_id", store=True, index=True)
    indicator_id = fields.Many2one("crm.capability.indicator", required=True, ondelete="restrict", index=True)
    parent_line_id = fields.Many2one("crm.capability.assessment.line", string="Parent", ondelete="cascade")
    name = fields.Char(related="indicator_id.name")
    # the structure as evaluated (the indicator may be edited afterwards)
    code = fields.Char(readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    depth = fields.Integer(readonly=True)
    tree_sequence = fields.Integer(readonly=True)
    local_weight = fields.Float(digits=(16, 4), readonly=True, help="Weight among its siblings.")
    global_weight = fields.Float(digits=(16, 4), readonly=True, help="Weight in the overall score.")
    weight_source = fields.Selection(
        [("ahp", "Pairwise Comparisons"), ("given", "Default Weights"), ("equal", "Equal Weights")],
        readonly=True,
        string="Weights of Sub-indicators",
    )
    consistency_ratio = fields.Float(
        digits=(16, 3),
        readonly=True,
        help="Consistency ratio of the assessors' combined pairwise comparisons of the sub-indicators.",
    )
    is_consistent = fields.Boolean(readonly=True, string="Consistent")
    judgment_count = fields.Integer(readonly=True, string="Assessors' Comparisons")
    membership_excellent = fields.Float(digits=(16, 3), readonly=True, string="Excellent")
    membership_good = fields.Float(digits=(16, 3), readonly=True, string="Good")
    membership_fair = fields.Float(digits=(16, 3), readonly=True, string="Fair")
    membership_poor = fields.Float(digits=(16, 3), readonly=True, string="Poor")
    membership_very_poor = fields.Float(digits=(16, 3), readonly=True, string="Very Poor")
    available = fields.Boolean(readonly=True)
    coverage = fields.Float(
        digits=(16, 3),
        readonly=True,
        string="Data Coverage",
        help="Share of the node's weight that had ratings or measured values.",
    )
    score = fields.Float(digits=(16, 1), readonly=True, aggregator="avg")
    grade = fields.Selection(
        GRADES,
        readonly=True,
        help="The grade of maximum membership (where most of the ratings and measures point); the "
        "score weighs every grade.",
    )
    rating_count = fields.Integer(readonly=True, string="Ratings")
    measured_value = fields.Float(digits=(16, 2), readonly=True)
    measure_unit = fields.Char(related="indicator_id.measure_unit")
    measured_display = fields.Char(compute="_compute_measured_display", string="Measured")
    numerator = fields.Float(digits=(16, 2), readonly=True)
    denominator = fields.Float(digits=(16, 2), readonly=True)
    unavailable_reason = fields.Char(readonly=True, string="Not Available Because")
    source_model = fields.Char(readonly=True)
    source_ids = fields.Json(readonly=True)
    source_count = fields.Integer(readonly=True, string="Records Counted")
    previous_score = fields.Float(digits=(16, 1), readonly=True)
    score_delta = fields.Float(digits=(16, 1), readonly=True, string="Change")
    improvement_area = fields.Selection(related="indicator_id.improvement_area")
    improvement_measure = fields.Text(related="indicator_id.improvement_measure")

    @api.depends("kind", "available", "measured_value", "measure_unit", "unavailable_reason")
    def _compute_measured_display(self):
        for line in self:
            if line.kind != "objective":
                line.measured_display = False
            elif not line.available:
                line.measured_display = self.env._("Not available")
            else:
                line.measured_display = f"{line.measured_value:,.1f} {line.measure_unit or ''}".strip()

    def _membership(self):
        self.ensure_one()
        return [self[f"membership_{key}"] for key in GRADE_KEYS]

    def action_open_sources(self):
        """The records the measured value counted."""
        self.ensure_one()
        if not self.source_model or self.source_model not in self.env:
            return False
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Counted for %(indicator)s", indicator=self.name),
            "res_model": self.source_model,
            "view_mode": "list,form",
            "domain": [("id", "in", self.source_ids or [])],
            "context": {"active_test": False, "create": False},
        }
