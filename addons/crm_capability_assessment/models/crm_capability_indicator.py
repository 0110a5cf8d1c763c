import itertools

from odoo import api, fields, models
from odoo.exceptions import ValidationError

#: the five grades of the evaluation set, best first (the membership columns follow this order)
GRADES = [
    ("excellent", "Excellent"),
    ("good", "Good"),
    ("fair", "Fair"),
    ("poor", "Poor"),
    ("very_poor", "Very Poor"),
]
GRADE_KEYS = [key for key, _label in GRADES]

KINDS = [
    ("dimension", "Dimension"),
    ("subjective", "Rated by Assessors"),
    ("objective", "Measured from Data"),
]

IMPROVEMENT_AREAS = [
    ("culture", "Culture"),
    ("people", "People"),
    ("organisation", "Organisation"),
    ("it", "Information Technology"),
    ("partners", "Partners"),
]


class CrmCapabilityIndicator(models.Model):
    """A node of the CRM capability indicator system: a dimension (it has sub-indicators) or an
    indicator (a leaf), rated by the assessors (subjective) or measured from the company's data
    (objective, see ``crm.capability.measure``)."""

    _name = "crm.capability.indicator"
    _description = "CRM capability indicator"
    _parent_store = True
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, copy=False, help="Short unique code of the indicator (used in exports)."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Empty: the indicator belongs to the framework shared by every company.",
    )
    parent_id = fields.Many2one(
        "crm.capability.indicator",
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('kind', '=', 'dimension')]",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("crm.capability.indicator", "parent_id", string="Sub-indicators")
    kind = fields.Selection(
        KINDS,
        required=True,
        default="subjective",
        help="Dimension: groups sub-indicators, weighted by the assessors' pairwise comparisons. "
        "Rated: each assessor grades it in the campaign's survey. Measured: computed from the "
        "company's records for the assessment period and graded by its breakpoints.",
    )
    description = fields.Text(
        translate=True, help="What the assessors rate, or how the indicator is measured."
    )
    measure = fields.Selection(
        [
            ("retention_rate", "Customer retention rate"),
            ("repeat_revenue_share", "Repeat-revenue share"),
            ("clv_trend", "Trend of average customer lifetime value"),
            ("win_rate", "Opportunity win rate"),
            ("lead_response_hours", "Lead response time (median hours)"),
            ("contacted_90d", "Customers contacted in the last 90 days"),
            ("master_data_completeness", "Completeness of customer master data"),
            ("complaint_sla", "Complaints resolved within SLA"),
            ("first_contact_resolution", "First contact resolution"),
            ("satisfaction", "Customer satisfaction (satisfied ratings)"),
            ("on_time_delivery", "On-time delivery"),
        ],
        help="The figure computed from the company's records for a measured indicator.",
    )
    measure_unit = fields.Char(compute="_compute_measure_unit", string="Unit")
    breakpoint_excellent = fields.Float(string="Excellent at", digits=(16, 2))
    breakpoint_good = fields.Float(string="Good at", digits=(16, 2))
    breakpoint_fair = fields.Float(string="Fair at", digits=(16, 2))
    breakpoint_poor = fields.Float(string="Poor at", digits=(16, 2))
    breakpoint_very_poor = fields.Float(string="Very Poor at", digits=(16, 2))
    default_weight = fields.Float(
        default=1.0, help="Weight among its siblings when no assessor compared them (renormalised)."
    )
    improvement_area = fields.Selection(IMPROVEMENT_AREAS)
    improvement_measure = fields.Text(
        translate=True,
        string="Improvement Measures",
        help="What raises this capability when it is among the weakest.",
    )
    depth = fields.Integer(compute="_compute_depth", store=True, recursive=True)

    _code_company_uniq = models.UniqueIndex(
        "(COALESCE(company_id, 0), code)", "The code of an indicator must be unique within its company."
    )

    def copy_data(self, default=None):
        """A copy gets a new code (codes are unique within a company)."""
        vals_list = super().copy_data(default=default)
        for indicator, vals in zip(self, vals_list, strict=True):
            if "code" not in (default or {}):
                code, n = f"{indicator.code}-COPY", 1
                while self.with_context(active_test=False).search_count(
                    [
                        ("code", "=", code),
                        ("company_id", "=", vals.get("company_id", indicator.company_id.id)),
                    ]
                ):
                    n += 1
                    code = f"{indicator.code}-COPY{n}"
                vals["code"] = code
        return vals_list

    @api.depends("measure")
    def _compute_measure_unit(self):
        units = self.env["crm.capability.measure"]._measure_units()
        for indicator in self:
            indicator.measure_unit = units.get(indicator.measure, "")

    @api.depends("parent_id.depth")
    def _compute_depth(self):
        for indicator in self:
            indicator.depth = indicator.parent_id.depth + 1 if indicator.parent_id else 0

    def _breakpoints(self):
        """Peaks of the triangular membership functions, best grade first."""
        self.ensure_one()
        return [self[f"breakpoint_{key}"] for key in GRADE_KEYS]

    @api.constrains("kind", "parent_id", "measure", *(f"breakpoint_{key}" for key in GRADE_KEYS))
    def _check_kind(self):
        for indicator in self:
            if indicator.parent_id and indicator.parent_id.kind != "dimension":
                raise ValidationError(
                    self.env._(
                        "“%(parent)s” is an indicator: only a dimension can hold sub-indicators.",
                        parent=indicator.parent_id.display_name,
                    )
                )
            if indicator.kind == "objective":
                if not indicator.measure:
                    raise ValidationError(
                        self.env._(
                            "The measured indicator “%(name)s” needs a measure.", name=indicator.display_name
                        )
                    )
                points = indicator._breakpoints()
                steps = [b - a for a, b in itertools.pairwise(points)]
                if not (all(s > 0 for s in steps) or all(s < 0 for s in steps)):
                    raise ValidationError(
                        self.env._(
                            "The grade breakpoints of “%(name)s” must rise or fall strictly from Excellent "
                            "to Very Poor (for example 90, 80, 70, 60, 50 when higher is better).",
                            name=indicator.display_name,
                        )
                    )
            if indicator.kind != "dimension" and indicator.child_ids:
                raise ValidationError(
                    self.env._(
                        "“%(name)s” has sub-indicators: it must stay a dimension.",
                        name=indicator.display_name,
                    )
                )

    @api.constrains("default_weight")
    def _check_default_weight(self):
        if any(indicator.default_weight <= 0 for indicator in self):
            raise ValidationError(self.env._("The default weight of an indicator must be positive."))

    @api.onchange("measure")
    def _onchange_measure(self):
        """Propose the measure's customary breakpoints."""
        defaults = self.env["crm.capability.measure"]._measure_default_breakpoints().get(self.measure)
        if defaults:
            for key, value in zip(GRADE_KEYS, defaults, strict=True):
                self[f"breakpoint_{key}"] = value

    def _tree_nodes(self, company):
        """The active indicators under the root ``self`` that belong to ``company`` or to every
        company, in tree order (a node before its children, siblings by sequence): the node list the
        engine evaluates. Read without the record rules, so that the companies active in the user's
        company switcher do not change an assessment's tree."""
        self.ensure_one()
        allowed = {False, company.id}
        order = []
        stack = [self.sudo()]
        while stack:
            node = stack.pop()
            order.append(node.id)
            children = node.child_ids.filtered(lambda n: n.company_id.id in allowed)
            stack.extend(reversed(children.sorted(lambda n: (n.sequence, n.id))))
        return self.browse(order)

    def _tree_children(self, nodes):
        """The children of ``self`` among ``nodes`` (a :meth:`_tree_nodes` list), in tree order."""
        return nodes.filtered(lambda n: n.parent_id == self)
