import itertools
import logging

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .crm_capability_indicator import GRADE_KEYS, GRADES
from .crm_capability_measure import MeasureValue

_logger = logging.getLogger(__name__)

OPERATORS = [
    ("M(*,+)", "Weighted average M(·,+)"),
    ("M(^,v)", "Main factor decisive M(∧,∨)"),
    ("M(^,+)", "Main factor prominent M(∧,⊕)"),
    ("M(*,v)", "Main factor emphasised M(·,∨)"),
]
#: how many of the weakest indicators the results show with their improvement measures
WEAKEST_COUNT = 5


class CrmCapabilityAssessment(models.Model):
    """An assessment campaign of the company's CRM capability (draft -> collecting -> evaluated ->
    closed): the assessors rate the indicators in a survey generated for the campaign and compare
    the sub-indicators of each dimension pairwise (AHP); the evaluation measures the objective
    indicators from the company's records for the period and synthesises everything by fuzzy
    comprehensive evaluation (``crm_capability.evaluate_capability``)."""

    _name = "crm.capability.assessment"
    _description = "CRM capability assessment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, copy=False, default=lambda self: self.env._("New"), tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "Draft"), ("collecting", "Collecting"), ("evaluated", "Evaluated"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    date_from = fields.Date(
        string="Period Start",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(years=1, days=-1),
    )
    date_to = fields.Date(string="Period End", required=True, default=fields.Date.context_today)
    root_id = fields.Many2one(
        "crm.capability.indicator",
        string="Indicator System",
        required=True,
        check_company=True,
        domain="[('parent_id', '=', False), ('kind', '=', 'dimension')]",
        default=lambda self: self._default_root(),
    )
    assessor_ids = fields.Many2many(
        "res.users",
        string="Assessors",
        check_company=True,
        domain=lambda self: [
            ("share", "=", False),
            ("all_group_ids", "in", self.env.ref("crm_suite_base.group_crm_intelligence_user").ids),
        ],
        help="Internal users who rate the indicators and compare the sub-indicators of each dimension. "
        "External experts are invited to the survey with its Share button.",
    )
    operator = fields.Selection(
        OPERATORS,
        string="Fuzzy Operator",
        required=True,
        default="M(*,+)",
        help="How the memberships of sub-indicators are combined: the weighted average keeps every "
        "indicator's information (recommended); the others let the main factors decide.",
    )
    grade_value_excellent = fields.Float(string="Excellent", default=95.0)
    grade_value_good = fields.Float(string="Good", default=85.0)
    grade_value_fair = fields.Float(string="Fair", default=75.0)
    grade_value_poor = fields.Float(string="Poor", default=65.0)
    grade_value_very_poor = fields.Float(string="Very Poor", default=50.0)
    survey_id = fields.Many2one("survey.survey", readonly=True, copy=False, ondelete="set null")
    judgment_ids = fields.One2many("crm.capability.judgment", "assessment_id", string="Pairwise Comparisons")
    line_ids = fields.One2many("crm.capability.assessment.line", "assessment_id", string="Results")
    dimension_line_ids = fields.One2many(
        "crm.capability.assessment.line",
        "assessment_id",
        string="Dimensions",
        domain=[("kind", "=", "dimension")],
    )
    weakest_line_ids = fields.Many2many(
        "crm.capability.assessment.line", compute="_compute_weakest_line_ids", string="Weakest Indicators"
    )
    previous_id = fields.Many2one(
        "crm.capability.assessment",
        string="Previous Assessment",
        readonly=True,
        copy=False,
        check_company=True,
    )
    evaluated_on = fields.Datetime(readonly=True, copy=False)
    evaluated_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    score = fields.Float(digits=(16, 1), readonly=True, copy=False, tracking=True, aggregator="avg")
    grade = fields.Selection(
        GRADES,
        readonly=True,
        copy=False,
        tracking=True,
        help="The grade of maximum membership (where most of the ratings and measures point); the "
        "score weighs every grade.",
    )
    coverage = fields.Float(digits=(16, 3), readonly=True, copy=False, string="Data Coverage")
    previous_score = fields.Float(digits=(16, 1), readonly=True, copy=False)
    score_delta = fields.Float(digits=(16, 1), readonly=True, copy=False, string="Change")
    # business performance of the period, from the posted invoices
    revenue = fields.Monetary(readonly=True, copy=False)
    revenue_growth = fields.Float(
        digits=(16, 4),
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Revenue against the previous period of the same length.",
    )
    margin_rate = fields.Float(digits=(16, 4), readonly=True, copy=False, aggregator="avg")
    retention_rate = fields.Float(digits=(16, 4), readonly=True, copy=False, aggregator="avg")
    customer_count = fields.Integer(readonly=True, copy=False, string="Customers")
    annual_margin_per_customer = fields.Monetary(readonly=True, copy=False)
    performance_available = fields.Boolean(readonly=True, copy=False)
    growth_available = fields.Boolean(
        readonly=True, copy=False, help="The previous period of the same length had revenue to grow from."
    )
    retention_available = fields.Boolean(
        readonly=True, copy=False, help="The previous period of the same length had customers to retain."
    )
    radar_data = fields.Json(compute="_compute_radar_data")
    response_count = fields.Integer(compute="_compute_counts", string="Survey Answers")
    judgment_submitted_count = fields.Integer(compute="_compute_counts", string="Submitted Comparisons")
    judgment_count = fields.Integer(compute="_compute_counts", string="Comparisons")
    is_assessor = fields.Boolean(compute="_compute_is_assessor")

    _check_period = models.Constraint("CHECK (date_from <= date_to)", "The period must end after it starts.")

    @api.model
    def _default_root(self):
        return self.env["crm.capability.indicator"].search(
            [
                ("parent_id", "=", False),
                ("kind", "=", "dimension"),
                ("company_id", "in", [self.env.company.id, False]),
            ],
            limit=1,
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(self._name) or self.env._("New")
        return super().create(vals_list)

    @api.constrains(*(f"grade_value_{key}" for key in GRADE_KEYS))
    def _check_grade_values(self):
        for assessment in self:
            values = assessment._grade_values()
            if any(b >= a for a, b in itertools.pairwise(values)):
                raise ValidationError(
                    self.env._("The grade values must fall strictly from Excellent to Very Poor.")
                )

    def _grade_values(self):
        self.ensure_one()
        return [self[f"grade_value_{key}"] for key in GRADE_KEYS]

    # ------------------------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------------------------
    @api.depends("line_ids.score", "line_ids.available")
    def _compute_weakest_line_ids(self):
        for assessment in self:
            leaves = assessment.line_ids.filtered(lambda line: line.kind != "dimension" and line.available)
            assessment.weakest_line_ids = leaves.sorted(lambda line: (line.score, -line.global_weight))[
                :WEAKEST_COUNT
            ]

    def _radar_lines(self):
        """The dimensions whose sub-indicators are all indicators: the axes of the radar chart."""
        self.ensure_one()
        dimensions = self.line_ids.filtered(lambda line: line.kind == "dimension")
        parents = set(self.line_ids.filtered(lambda line: line.kind != "dimension").parent_line_id.ids)
        return dimensions.filtered(lambda line: line.id in parents)

    @api.depends("line_ids.score", "previous_id.line_ids.score")
    def _compute_radar_data(self):
        for assessment in self:
            lines = assessment._radar_lines() if assessment.line_ids else assessment.line_ids
            previous = {line.indicator_id.id: line for line in assessment.previous_id.line_ids}
            assessment.radar_data = (
                {
                    "labels": lines.mapped("name"),
                    "datasets": [
                        {
                            "label": assessment.name,
                            "data": [line.score if line.available else None for line in lines],
                        },
                        *(
                            [
                                {
                                    "label": assessment.previous_id.name,
                                    "data": [
                                        previous[line.indicator_id.id].score
                                        if line.indicator_id.id in previous
                                        and previous[line.indicator_id.id].available
                                        else None
                                        for line in lines
                                    ],
                                }
                            ]
                            if assessment.previous_id
                            else []
                        ),
                    ],
                    "min": min(assessment._grade_values()) - 10 if lines else 0,
                    "max": 100,
                }
                if lines
                else False
            )

    @api.depends("survey_id", "judgment_ids.state")
    def _compute_counts(self):
        for assessment in self:
            assessment.response_count = (
                assessment.survey_id.sudo().answer_done_count if assessment.survey_id else 0
            )
            assessment.judgment_count = len(assessment.judgment_ids)
            assessment.judgment_submitted_count = len(
                assessment.judgment_ids.filtered(lambda j: j.state == "submitted")
            )

    @api.depends_context("uid")
    @api.depends("assessor_ids")
    def _compute_is_assessor(self):
        for assessment in self:
            assessment.is_assessor = self.env.user in assessment.assessor_ids

    # ------------------------------------------------------------------------------------------
    # campaign flow
    # ------------------------------------------------------------------------------------------
    def _check_state(self, *states):
        """Refuse a step of the flow when a campaign is in another state."""
        for assessment in self:
            if assessment.state not in states:
                labels = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "“%(name)s” is %(state)s: this step needs it %(expected)s.",
                        name=assessment.name,
                        state=labels[assessment.state],
                        expected=" / ".join(labels[s] for s in states),
                    )
                )

    def _dimensions(self):
        """The dimensions of the indicator system with at least two active sub-indicators (they get
        pairwise comparisons) and the dimensions holding rated indicators (a survey question each)."""
        self.ensure_one()
        nodes = self.root_id._tree_nodes(self.company_id)
        dimensions = nodes.filtered(lambda n: n.kind == "dimension")
        compared = dimensions.filtered(lambda n: len(n._tree_children(nodes)) >= 2)
        rated = dimensions.filtered(
            lambda n: any(child.kind == "subjective" for child in n._tree_children(nodes))
        )
        return nodes, compared, rated

    def action_start_collecting(self):
        self.check_access("write")  # the flow is the managers'
        self._check_state("draft")
        for assessment in self:
            if not assessment.assessor_ids:
                raise UserError(self.env._("Choose the assessors of “%(name)s” first.", name=assessment.name))
            nodes, compared, rated = assessment._dimensions()
            if not nodes.filtered(lambda n: n.kind != "dimension"):
                raise UserError(
                    self.env._(
                        "The indicator system “%(name)s” has no indicator.", name=assessment.root_id.name
                    )
                )
            survey = assessment._create_survey(rated, nodes) if rated else self.env["survey.survey"]
            assessment._create_judgments(compared, nodes)
            assessment.write({"state": "collecting", "survey_id": survey.id})
            assessment._notify_assessors()
        return True

    def _create_survey(self, dimensions, nodes):
        """A survey with one matrix question per dimension: its rated indicators x the five grades
        (the standard invitations, reminders and answer pages of the Survey app)."""
        self.ensure_one()
        grade_labels = dict(
            self.env["crm.capability.assessment.line"]._fields["grade"]._description_selection(self.env)
        )
        questions = []
        for sequence, dimension in enumerate(dimensions, start=1):
            rated = dimension._tree_children(nodes).filtered(lambda n: n.kind == "subjective")
            description = Markup("<ul>%s</ul>") % Markup().join(
                Markup("<li><strong>%s</strong>: %s</li>") % (node.name, node.description or "")
                for node in rated
            )
            questions.append(
                fields.Command.create(
                    {
                        "title": dimension.name,
                        "sequence": sequence,
                        "question_type": "matrix",
                        "matrix_subtype": "simple",
                        "description": description,
                        "constr_mandatory": False,
                        "suggested_answer_ids": [
                            fields.Command.create(
                                {"value": grade_labels[key], "sequence": index, "capability_grade": key}
                            )
                            for index, key in enumerate(GRADE_KEYS)
                        ],
                        "matrix_row_ids": [
                            fields.Command.create(
                                {"value": node.name, "sequence": index, "capability_indicator_id": node.id}
                            )
                            for index, node in enumerate(rated)
                        ],
                    }
                )
            )
        return (
            self.env["survey.survey"]
            .sudo()
            .create(
                {
                    "title": self.env._("CRM capability assessment: %(name)s", name=self.name),
                    "survey_type": "survey",
                    "access_mode": "token",
                    "questions_layout": "one_page",
                    "is_attempts_limited": True,
                    "attempts_limit": 1,
                    "user_id": self.env.user.id,
                    # the answers are the assessors' own: only the company's capability managers read them
                    "restrict_user_ids": [fields.Command.set(self._survey_officers().ids)],
                    "description": Markup("<p>%s</p>")
                    % self.env._(
                        "Rate each capability of %(company)s for %(date_from)s to %(date_to)s. Leave a row "
                        "empty "
                        "when you cannot judge it.",
                        company=self.company_id.name,
                        date_from=self.date_from,
                        date_to=self.date_to,
                    ),
                    "question_and_page_ids": questions,
                }
            )
        )

    def _survey_officers(self):
        """The capability managers of the campaign's company (and whoever starts it)."""
        managers = self.env.ref("crm_suite_base.group_crm_intelligence_manager").sudo().all_user_ids
        return (
            managers.filtered(lambda user: not user.share and self.company_id in user.company_ids)
            | self.env.user
        )

    def _create_judgments(self, dimensions, nodes):
        self.ensure_one()
        vals_list = []
        for dimension in dimensions:
            children = dimension._tree_children(nodes)
            pairs = [(a, b) for i, a in enumerate(children) for b in children[i + 1 :]]
            for user in self.assessor_ids:
                vals_list.append(
                    {
                        "assessment_id": self.id,
                        "user_id": user.id,
                        "node_id": dimension.id,
                        "node_sequence": len(vals_list),
                        "pair_ids": [
                            fields.Command.create({"sequence": k, "left_id": a.id, "right_id": b.id})
                            for k, (a, b) in enumerate(pairs)
                        ],
                    }
                )
        self.env["crm.capability.judgment"].sudo().create(vals_list)

    def _notify_assessors(self):
        """A to-do activity for each assessor on the campaign."""
        self.ensure_one()
        for user in self.assessor_ids:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                date_deadline=fields.Date.context_today(self),
                summary=self.env._("Assess the CRM capability"),
                note=self.env._("Answer the survey and compare the sub-indicators of each dimension."),
            )

    def action_reset_draft(self):
        self.check_access("write")  # the flow is the managers'
        self._check_state("collecting")
        for assessment in self:
            if assessment.response_count or assessment.judgment_submitted_count:
                raise UserError(
                    self.env._(
                        "“%(name)s” already has answers: evaluate it, or reset the answers first.",
                        name=assessment.name,
                    )
                )
            assessment.judgment_ids.sudo().unlink()
            survey = assessment.survey_id
            assessment.write({"state": "draft", "survey_id": False})
            survey.sudo().unlink()
            assessment.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_reopen(self):
        self.check_access("write")  # the flow is the managers'
        self._check_state("evaluated")
        self.write({"state": "collecting"})
        return True

    def action_close(self):
        self.check_access("write")  # the flow is the managers'
        self._check_state("evaluated")
        self.survey_id.sudo().write({"active": False})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        self.write({"state": "closed"})
        return True

    # ------------------------------------------------------------------------------------------
    # assessors
    # ------------------------------------------------------------------------------------------
    def action_answer_survey(self):
        """Open the survey for the current assessor (their own answer, created on first use)."""
        self.ensure_one()
        self._check_state("collecting")
        if self.env.user not in self.assessor_ids:
            raise UserError(self.env._("You are not an assessor of “%(name)s”.", name=self.name))
        if not self.survey_id:
            raise UserError(self.env._("This campaign has no indicator to rate."))
        survey = self.survey_id.sudo()
        answer = survey.user_input_ids.filtered(
            lambda a: a.partner_id == self.env.user.partner_id and not a.test_entry
        )[:1]
        if not answer:
            answer = survey._create_answer(user=self.env.user, check_attempts=False)
        return survey.action_start_survey(answer=answer)

    def action_open_my_judgments(self):
        self.ensure_one()
        judgments = self.judgment_ids.filtered(lambda j: j.user_id == self.env.user)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("My Comparisons"),
            "res_model": "crm.capability.judgment",
            "view_mode": "list,form",
            "domain": [("id", "in", judgments.ids)],
            "context": {"create": False},
        }

    def action_open_judgments(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pairwise Comparisons"),
            "res_model": "crm.capability.judgment",
            "view_mode": "list,form",
            "domain": [("assessment_id", "=", self.id)],
            "context": {"create": False, "search_default_group_node": 1},
        }

    def action_open_survey(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.survey",
            "res_id": self.survey_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------------------------------
    # evaluation
    # ------------------------------------------------------------------------------------------
    def _survey_ratings(self, nodes):
        """``(assessor x node)`` grade indices from the completed survey answers (-1: not rated); one
        row per person (the partner, or the email of an invitation without one): a person who
        answered twice counts once, with their latest answers."""
        import numpy as np

        self.ensure_one()
        index = {node.id: i for i, node in enumerate(nodes)}
        if not self.survey_id:
            return np.full((0, len(nodes)), -1, dtype=np.int64)
        inputs = (
            self.env["survey.user_input"]
            .sudo()
            .search(
                [("survey_id", "=", self.survey_id.id), ("state", "=", "done"), ("test_entry", "=", False)],
                order="id",
            )
        )
        latest = {}
        for answer in inputs:
            latest[answer.partner_id.id or answer.email or f"input-{answer.id}"] = answer
        answers = list(latest.values())
        ratings = np.full((len(answers), len(nodes)), -1, dtype=np.int64)
        for row, answer in enumerate(answers):
            for line in answer.user_input_line_ids:
                node_id = line.matrix_row_id.capability_indicator_id.id
                grade = line.suggested_answer_id.capability_grade
                if not line.skipped and node_id in index and grade:
                    ratings[row, index[node_id]] = GRADE_KEYS.index(grade)
        return ratings

    def _measure_objectives(self, nodes, context):
        # aggregate figures of the company, whatever the evaluator may read of the records counted
        Measure = self.env["crm.capability.measure"].sudo()
        measures = {}
        for node in nodes.filtered(lambda n: n.kind == "objective"):
            try:
                measures[node.id] = Measure._measure(
                    node.measure, self.company_id, self.date_from, self.date_to, context
                )
            except (UserError, ValueError) as error:
                measures[node.id] = MeasureValue(reason=str(error))
        return measures

    def _judgment_matrices(self, nodes):
        """Submitted pairwise matrices per dimension (node index -> list of matrices over its
        children in tree order); comparisons of a dimension whose sub-indicators changed since are
        left out (and counted)."""
        index = {node.id: i for i, node in enumerate(nodes)}
        matrices, ignored = {}, 0
        for judgment in self.judgment_ids.sudo().filtered(lambda j: j.state == "submitted"):
            if judgment.node_id.id not in index:
                ignored += 1
                continue
            matrix, elements = judgment._matrix()
            # is_consistent (stored) is the engine's verdict on these very pairs: no second AHP run
            if elements.ids != judgment.node_id._tree_children(nodes).ids or not judgment.is_consistent:
                ignored += 1
                continue
            matrices.setdefault(index[judgment.node_id.id], []).append(matrix)
        return matrices, ignored

    def action_evaluate(self):
        """Measure, rate, weight and synthesise (``crm_capability.evaluate_capability``)."""
        self.check_access("write")  # the flow is the managers'
        self._check_state("collecting")
        for assessment in self:
            assessment._evaluate()
        return True

    def _evaluate(self):
        import numpy as np

        from crm_capability import evaluate_capability, membership_from_ratings, membership_from_value

        self.ensure_one()
        nodes = self.root_id._tree_nodes(self.company_id)
        index = {node.id: i for i, node in enumerate(nodes)}
        parents = np.array(
            [index.get(node.parent_id.id, -1) if node != self.root_id else -1 for node in nodes]
        )
        memberships = np.full((len(nodes), len(GRADE_KEYS)), np.nan)
        ratings = self._survey_ratings(nodes)
        rated = np.array([node.kind == "subjective" for node in nodes])
        rating_counts = (ratings >= 0).sum(axis=0) if len(ratings) else np.zeros(len(nodes), dtype=int)
        if len(ratings):
            from_ratings = membership_from_ratings(ratings, n_grades=len(GRADE_KEYS))
            memberships[rated] = from_ratings[rated]
        context = {}
        measures = self._measure_objectives(nodes, context)
        for node_id, measure in measures.items():
            if measure.available:
                node = nodes[index[node_id]]
                memberships[index[node_id]] = membership_from_value([measure.value], node._breakpoints())[0]
        if not np.isfinite(memberships).any():
            raise UserError(
                self.env._(
                    "Nothing to evaluate in “%(name)s” yet: no assessor has completed the survey and no "
                    "measured indicator is available.",
                    name=self.name,
                )
            )
        judgments, ignored = self._judgment_matrices(nodes)
        try:
            result = evaluate_capability(
                parents,
                memberships,
                judgments=judgments,
                default_weights=np.array([node.default_weight for node in nodes]),
                operator=self.operator,
                grade_values=self._grade_values(),
            )
        except ValueError as error:
            raise UserError(self.env._("The evaluation failed: %(error)s", error=error)) from error
        self._write_results(nodes, parents, result, measures, rating_counts, judgments)
        self._write_performance(context)
        self._post_evaluation(result, ignored)

    def _previous_assessment(self):
        return self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("root_id", "=", self.root_id.id),
                ("state", "in", ("evaluated", "closed")),
                ("id", "!=", self.id),
                ("date_to", "<", self.date_to),
            ],
            order="date_to desc, id desc",
            limit=1,
        )

    def _write_results(self, nodes, parents, result, measures, rating_counts, judgments):
        import math

        previous = self._previous_assessment()
        previous_scores = {line.indicator_id.id: line.score for line in previous.line_ids if line.available}
        self.line_ids.sudo().unlink()
        # results are written by the evaluation only (read-only for everyone)
        Line = self.env["crm.capability.assessment.line"].sudo()
        lines = []
        for i, node in enumerate(nodes):
            available = bool(result.available[i])
            measure = measures.get(node.id, MeasureValue())
            cr = result.cr[i]
            vals = {
                "assessment_id": self.id,
                "indicator_id": node.id,
                "code": node.code,
                "kind": node.kind,
                "parent_line_id": lines[parents[i]].id if parents[i] >= 0 else False,
                "depth": node.depth - self.root_id.depth,
                "tree_sequence": i,
                "local_weight": float(result.local_weights[i]),
                "global_weight": float(result.global_weights[i]),
                "weight_source": result.weight_source[i] if node.kind == "dimension" else False,
                "consistency_ratio": float(cr) if math.isfinite(cr) else 0.0,
                "is_consistent": bool(result.consistent[i]),
                "judgment_count": len(judgments.get(i, [])),
                "available": available,
                "coverage": float(result.coverage[i]),
                "score": float(result.scores[i]) if available else 0.0,
                "grade": GRADE_KEYS[result.grades[i]] if available and result.grades[i] >= 0 else False,
                "rating_count": int(rating_counts[i]) if node.kind == "subjective" else 0,
                **{
                    f"membership_{key}": float(result.memberships[i, g]) if available else 0.0
                    for g, key in enumerate(GRADE_KEYS)
                },
            }
            if node.kind == "objective":
                vals.update(
                    {
                        "measured_value": float(measure.value) if measure.available else 0.0,
                        "numerator": measure.numerator or 0.0,
                        "denominator": measure.denominator or 0.0,
                        "unavailable_reason": False if measure.available else measure.reason,
                        "source_model": measure.res_model or False,
                        "source_ids": measure.res_ids or [],
                        "source_count": len(measure.res_ids or []),
                    }
                )
            elif node.kind == "subjective" and not available:
                vals["unavailable_reason"] = self.env._("No assessor rated it.")
            if available and node.id in previous_scores:
                vals["previous_score"] = previous_scores[node.id]
                vals["score_delta"] = vals["score"] - previous_scores[node.id]
            lines.append(Line.create(vals))
        root = lines[0]
        self.write(
            {
                "previous_id": previous.id,
                "score": root.score,
                "grade": root.grade,
                "coverage": root.coverage,
                "previous_score": previous.score if previous else 0.0,
                "score_delta": root.score - previous.score if previous and root.available else 0.0,
                "evaluated_on": fields.Datetime.now(),
                "evaluated_by_id": self.env.user.id,
                "state": "evaluated",
            }
        )

    def _write_performance(self, context):
        import math

        kpis = self.env["crm.capability.measure"]._period_kpis(
            self.company_id, self.date_from, self.date_to, context
        )

        def finite(value):
            return float(value) if math.isfinite(value) else 0.0

        self.write(
            {
                "performance_available": kpis.revenue > 0,
                "growth_available": math.isfinite(kpis.revenue_growth),
                "retention_available": math.isfinite(kpis.retention_rate),
                "revenue": kpis.revenue,
                "revenue_growth": finite(kpis.revenue_growth),
                "margin_rate": finite(kpis.margin_rate),
                "retention_rate": finite(kpis.retention_rate),
                "customer_count": len(kpis.customers),
                "annual_margin_per_customer": finite(kpis.annual_margin_per_customer),
            }
        )

    def _post_evaluation(self, result, ignored):
        grade_labels = dict(self._fields["grade"]._description_selection(self.env))
        body = Markup("<p>%s</p>") % self.env._(
            "Evaluated: score %(score).1f, grade %(grade)s, data coverage %(coverage).0f%%.",
            score=self.score,
            grade=grade_labels.get(self.grade, "-"),
            coverage=100 * self.coverage,
        )
        inconsistent = self.line_ids.filtered(
            lambda line: line.weight_source == "ahp" and not line.is_consistent
        )
        if inconsistent:
            body += Markup("<p>%s</p>") % self.env._(
                "The combined comparisons of %(dimensions)s are not consistent (CR above 0.10): their "
                "weights "
                "are less reliable.",
                dimensions=", ".join(inconsistent.mapped("name")),
            )
        if ignored:
            body += Markup("<p>%s</p>") % self.env._(
                "%(count)s submitted comparison sets were left out: their dimension's sub-indicators "
                "changed after they were made, or they are incomplete or inconsistent.",
                count=ignored,
            )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------------------------------
    # capability and performance
    # ------------------------------------------------------------------------------------------
    def action_open_performance(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_capability_assessment.crm_capability_performance_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id), ("state", "in", ("evaluated", "closed"))]
        return action
