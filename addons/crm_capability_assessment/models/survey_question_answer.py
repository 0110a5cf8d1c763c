from odoo import fields, models

from .crm_capability_indicator import GRADES


class SurveyQuestionAnswer(models.Model):
    """Rows and columns of a capability assessment's matrix questions: a row is an indicator, a
    column a grade, so that the answers read back as ratings."""

    _inherit = "survey.question.answer"

    capability_indicator_id = fields.Many2one(
        "crm.capability.indicator", ondelete="set null", index="btree_not_null"
    )
    capability_grade = fields.Selection(GRADES)
