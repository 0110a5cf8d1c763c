from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_suite_base.tools.ratings import SATISFIED_RATING


class CrmServiceCsatReport(models.Model):
    """Customer satisfaction of the cases: one row per rating given on a case (the rating request
    sent on closure by helpdesk_mgmt_rating), by team, agent, case type and month. CSAT is the share
    of satisfied ratings (4 or 5 stars)."""

    _name = "crm.service.csat.report"
    _description = "Customer satisfaction of service cases"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(string="Rated On", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", string="Case", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Agent",
        readonly=True,
        help="The agent rated (the case's assignee when the rating names none).",
    )
    type_id = fields.Many2one("helpdesk.ticket.type", string="Case Type", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    rating = fields.Float(readonly=True, aggregator="avg", string="Average Rating")
    csat = fields.Float(
        string="CSAT (%)", readonly=True, aggregator="avg", help="Share of satisfied ratings (4 or 5 stars)."
    )
    rating_count = fields.Integer(string="Ratings", readonly=True, aggregator="sum")

    _depends = {
        "rating.rating": ["rated_on", "rating", "consumed", "res_model", "res_id", "rated_partner_id"],
        "helpdesk.ticket": ["team_id", "user_id", "type_id", "commercial_partner_id", "company_id"],
    }

    @property
    def _table_query(self):
        return SQL(
            """SELECT r.id, COALESCE(r.rated_on, r.write_date) AS date, t.id AS ticket_id, t.team_id,
                      COALESCE((SELECT u.id FROM res_users u WHERE u.partner_id = r.rated_partner_id
                                ORDER BY u.id LIMIT 1), t.user_id) AS user_id,
                      t.type_id, t.commercial_partner_id AS partner_id, t.company_id, r.rating,
                      CASE WHEN r.rating >= %s THEN 100.0 ELSE 0.0 END AS csat, 1 AS rating_count
                 FROM rating_rating r
                 JOIN helpdesk_ticket t ON r.res_model = 'helpdesk.ticket' AND t.id = r.res_id
                WHERE r.consumed AND r.rating > 0""",
            SATISFIED_RATING,
        )
