import math
from fractions import Fraction

from odoo import api, fields, models
from odoo.exceptions import UserError

#: Saaty's 1-9 scale: how much more important the left element is than the right one
SAATY_VALUES = [
    ("9", "9 - Extremely more important"),
    ("8", "8"),
    ("7", "7 - Very strongly more important"),
    ("6", "6"),
    ("5", "5 - Strongly more important"),
    ("4", "4"),
    ("3", "3 - Moderately more important"),
    ("2", "2"),
    ("1", "1 - Equally important"),
    ("1/2", "1/2"),
    ("1/3", "1/3 - Moderately less important"),
    ("1/4", "1/4"),
    ("1/5", "1/5 - Strongly less important"),
    ("1/6", "1/6"),
    ("1/7", "1/7 - Very strongly less important"),
    ("1/8", "1/8"),
    ("1/9", "1/9 - Extremely less important"),
]


def saaty_float(key):
    """``'1/3'`` -> 0.333..., ``'5'`` -> 5.0; ``False`` (no opinion) -> nan."""
    return float(Fraction(key)) if key else math.nan


def saaty_key(value):
    """The scale key of a value already on the scale (``saaty_round`` of the engine)."""
    if not value or not math.isfinite(value):
        return False
    if value >= 1:
        return str(round(value))
    return f"1/{round(1 / value)}"


class CrmCapabilityJudgment(models.Model):
    """One assessor's pairwise comparisons of the sub-indicators of one dimension (analytic
    hierarchy process, Saaty 1980). The consistency ratio is recomputed as the assessor edits the
    pairs (``crm_capability.ahp_priorities``); an inconsistent set cannot be submitted."""

    _name = "crm.capability.judgment"
    _description = "CRM capability pairwise judgments"
    _order = "assessment_id, node_sequence, id"
    _check_company_auto = True

    assessment_id = fields.Many2one(
        "crm.capability.assessment", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="assessment_id.company_id", store=True, index=True)
    assessment_state = fields.Selection(related="assessment_id.state", string="Campaign Status")
    user_id = fields.Many2one("res.users", string="Assessor", required=True, index=True, readonly=True)
    node_id = fields.Many2one(
        "crm.capability.indicator", string="Dimension", required=True, readonly=True, ondelete="cascade"
    )
    node_sequence = fields.Integer(readonly=True)
    node_description = fields.Text(related="node_id.description")
    state = fields.Selection(
        [("draft", "To Submit"), ("submitted", "Submitted")], default="draft", required=True, readonly=True
    )
    pair_ids = fields.One2many("crm.capability.judgment.pair", "judgment_id", string="Comparisons")
    answered_count = fields.Integer(compute="_compute_consistency", store=True, string="Answered Pairs")
    pair_count = fields.Integer(compute="_compute_consistency", store=True, string="Pairs")
    consistency_ratio = fields.Float(
        compute="_compute_consistency",
        store=True,
        digits=(16, 3),
        help="CR = CI / RI (Saaty): 0 for perfectly consistent judgments; above 0.10 they must be revised.",
    )
    is_consistent = fields.Boolean(compute="_compute_consistency", store=True, string="Consistent")
    weights_text = fields.Char(compute="_compute_advice", string="Resulting Weights")
    advice = fields.Char(compute="_compute_advice")
    worst_pair_id = fields.Many2one("crm.capability.judgment.pair", compute="_compute_advice")

    _assessment_user_node_uniq = models.UniqueIndex(
        "(assessment_id, user_id, node_id)",
        "An assessor compares the sub-indicators of a dimension once per campaign.",
    )

    def _compute_display_name(self):
        for judgment in self:
            judgment.display_name = self.env._(
                "%(dimension)s - %(assessor)s",
                dimension=judgment.node_id.name,
                assessor=judgment.user_id.name,
            )

    def _elements(self):
        """The compared sub-indicators in matrix order."""
        self.ensure_one()
        return (self.pair_ids.left_id | self.pair_ids.right_id).sorted(lambda n: (n.sequence, n.id))

    def _matrix(self):
        """The pairwise matrix (numpy; NaN where the assessor gave no opinion) and its elements."""
        import numpy as np

        elements = self._elements()
        index = {node.id: i for i, node in enumerate(elements)}
        matrix = np.full((len(elements), len(elements)), np.nan)
        np.fill_diagonal(matrix, 1.0)
        for pair in self.pair_ids:
            if pair.value:
                i, j = index[pair.left_id.id], index[pair.right_id.id]
                matrix[i, j] = saaty_float(pair.value)
                matrix[j, i] = 1.0 / matrix[i, j]
        return matrix, elements

    def _priorities(self):
        """``crm_capability.ahp_priorities`` of the judgments, or the engine's message when the
        answered pairs do not connect every sub-indicator yet."""
        from crm_capability import ahp_priorities

        matrix, elements = self._matrix()
        try:
            return ahp_priorities(matrix), elements, None
        except ValueError as error:
            return None, elements, str(error)

    @api.depends("pair_ids.value")
    def _compute_consistency(self):
        for judgment in self:
            judgment.pair_count = len(judgment.pair_ids)
            judgment.answered_count = len(judgment.pair_ids.filtered("value"))
            result = judgment._priorities()[0] if judgment.answered_count else None
            judgment.consistency_ratio = result.cr if result is not None else 0.0
            judgment.is_consistent = bool(result is not None and result.consistent)

    @api.depends("pair_ids.value")
    def _compute_advice(self):
        """The resulting weights and what to do next: compare the missing elements, or reconsider the
        pair the engine points at (the one whose revision lowers the consistency ratio most)."""
        for judgment in self:
            judgment.weights_text = False
            judgment.worst_pair_id = False
            if not judgment.pair_ids.filtered("value"):
                judgment.advice = self.env._("Compare each pair of sub-indicators.")
                continue
            result, elements, _error = judgment._priorities()
            if result is None:
                judgment.advice = judgment._connection_advice(elements)
                continue
            judgment.weights_text = " · ".join(
                f"{node.name} {weight:.0%}" for node, weight in zip(elements, result.weights, strict=True)
            )
            worst = judgment._worst_pair(result, elements)
            judgment.worst_pair_id = worst
            if result.consistent:
                judgment.advice = self.env._("Consistent (CR %(cr).3f ≤ 0.10).", cr=result.cr)
            else:
                judgment.advice = judgment._revise_message(result, worst)

    def _worst_pair(self, result, elements):
        if not result.worst_pair:
            return self.env["crm.capability.judgment.pair"]
        left, right = elements[result.worst_pair[0]], elements[result.worst_pair[1]]
        return self.pair_ids.filtered(lambda p: {p.left_id.id, p.right_id.id} == {left.id, right.id})[:1]

    def _suggested_key(self, result, pair):
        """The scale value the engine suggests for ``pair``, in the pair's own direction."""
        value = result.suggested_value
        elements = self._elements()
        if pair.left_id != elements[result.worst_pair[0]]:
            value = 1.0 / value
        return saaty_key(value)

    def _revise_message(self, result, worst):
        if not worst:
            return self.env._("Inconsistent (CR %(cr).3f > 0.10): review your comparisons.", cr=result.cr)
        labels = dict(
            self.env["crm.capability.judgment.pair"]._fields["value"]._description_selection(self.env)
        )
        return self.env._(
            "Inconsistent (CR %(cr).3f > 0.10). Reconsider “%(left)s” against “%(right)s”: you chose "
            "%(current)s, your other comparisons suggest %(suggested)s.",
            cr=result.cr,
            left=worst.left_id.name,
            right=worst.right_id.name,
            current=labels.get(worst.value, worst.value),
            suggested=labels.get(self._suggested_key(result, worst), self._suggested_key(result, worst)),
        )

    def _connection_advice(self, elements):
        compared = {
            node.id for pair in self.pair_ids.filtered("value") for node in (pair.left_id, pair.right_id)
        }
        missing = elements.filtered(lambda n: n.id not in compared)
        if missing:
            return self.env._(
                "Compare “%(name)s” with at least one other sub-indicator.", name=missing[0].name
            )
        return self.env._(
            "Your comparisons form separate groups: compare an element of one group "
            "with an element of another."
        )

    # ------------------------------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------------------------------
    def _check_editable(self):
        for judgment in self:
            if judgment.assessment_id.state != "collecting":
                raise UserError(
                    self.env._(
                        "The campaign “%(name)s” is not collecting answers.", name=judgment.assessment_id.name
                    )
                )

    def action_submit(self):
        self._check_editable()
        for judgment in self:
            result, elements, _error = judgment._priorities()
            if result is None:
                raise UserError(
                    self.env._(
                        "“%(dimension)s”: %(advice)s",
                        dimension=judgment.node_id.name,
                        advice=judgment._connection_advice(elements),
                    )
                )
            if not result.consistent:
                raise UserError(
                    self.env._(
                        "“%(dimension)s” cannot be submitted. %(advice)s",
                        dimension=judgment.node_id.name,
                        advice=judgment._revise_message(result, judgment._worst_pair(result, elements)),
                    )
                )
        self.sudo().write({"state": "submitted"})
        return True

    def action_reset_to_draft(self):
        self._check_editable()
        self.sudo().write({"state": "draft"})
        return True

    def write(self, vals):
        if not self.env.su:
            if set(vals) - {"pair_ids"}:
                raise UserError(
                    self.env._(
                        "Only the comparisons themselves can be changed: submit them with the Submit button."
                    )
                )
            self._check_editable()
            if any(judgment.state == "submitted" for judgment in self):
                raise UserError(self.env._("Reset your submitted comparisons to draft before changing them."))
        return super().write(vals)


class CrmCapabilityJudgmentPair(models.Model):
    _name = "crm.capability.judgment.pair"
    _description = "CRM capability pairwise comparison"
    _order = "judgment_id, sequence, id"

    judgment_id = fields.Many2one("crm.capability.judgment", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="judgment_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    left_id = fields.Many2one(
        "crm.capability.indicator", string="Element", required=True, readonly=True, ondelete="cascade"
    )
    right_id = fields.Many2one(
        "crm.capability.indicator", string="Compared With", required=True, readonly=True, ondelete="cascade"
    )
    value = fields.Selection(
        SAATY_VALUES,
        string="Importance",
        help="How much more important the element is than the one it is compared with (Saaty's 1-9 "
        "scale; 1/3 means moderately less important). Leave empty when you have no opinion: the "
        "comparison is then completed from your other ones.",
    )
    is_worst = fields.Boolean(compute="_compute_is_worst", string="To Reconsider")

    @api.depends("judgment_id.pair_ids.value")
    def _compute_is_worst(self):
        for pair in self:
            judgment = pair.judgment_id
            pair.is_worst = (
                bool(judgment.worst_pair_id)
                and not judgment.is_consistent
                and (
                    judgment.worst_pair_id == pair
                    or (pair.left_id, pair.right_id)
                    == (judgment.worst_pair_id.left_id, judgment.worst_pair_id.right_id)
                )
            )

    def write(self, vals):
        if not self.env.su:
            if set(vals) - {"value"}:
                raise UserError(self.env._("Only the importance of a comparison can be changed."))
            self.judgment_id._check_editable()
            if any(judgment.state == "submitted" for judgment in self.judgment_id):
                raise UserError(self.env._("Reset your submitted comparisons to draft before changing them."))
        return super().write(vals)
