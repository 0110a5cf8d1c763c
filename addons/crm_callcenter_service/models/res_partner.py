from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class ResPartner(models.Model):
    """The service figures of the commercial entity shown in the suite's Intelligence area: open
    cases, complaints of the last 12 months, the last satisfaction rating (a constant number of
    queries whatever the number of partners shown)."""

    _inherit = "res.partner"

    # the CTI webhook finds the caller by the E.164 number in one index lookup
    _phone_sanitized_idx = models.Index("(phone_sanitized) WHERE phone_sanitized IS NOT NULL")

    crm_service_open_count = fields.Integer(compute="_compute_crm_service", string="Open Cases")
    crm_service_complaint_count = fields.Integer(
        compute="_compute_crm_service", string="Complaints (12 months)"
    )
    crm_service_last_rating = fields.Float(
        compute="_compute_crm_service", string="Last Satisfaction Rating", help="Out of 5 stars."
    )
    crm_service_last_rating_date = fields.Datetime(compute="_compute_crm_service", string="Rated On")

    @api.depends_context("company")
    def _compute_crm_service(self):
        commercial = self.commercial_partner_id
        Ticket = self.env["helpdesk.ticket"].sudo()
        base = [("commercial_partner_id", "in", commercial.ids), ("company_id", "=", self.env.company.id)]
        open_counts = dict(
            Ticket._read_group(
                [*base, ("stage_id.closed", "=", False)], ["commercial_partner_id"], ["__count"]
            )
        )
        since = fields.Datetime.now() - relativedelta(months=12)
        complaints = dict(
            Ticket._read_group(
                [*base, ("case_kind", "=", "complaint"), ("create_date", ">=", since)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        tickets = Ticket.search(base)
        ratings = (
            self.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", tickets.ids),
                    ("consumed", "=", True),
                    ("rating", ">", 0),
                ],
                order="rated_on desc, id desc",
            )
        )
        customer_of = {ticket.id: ticket.commercial_partner_id for ticket in tickets}
        last = {}
        for rating in ratings:
            last.setdefault(customer_of[rating.res_id].id, rating)
        for partner in self:
            entity = partner.commercial_partner_id
            partner.crm_service_open_count = open_counts.get(entity, 0)
            partner.crm_service_complaint_count = complaints.get(entity, 0)
            rating = last.get(entity.id)
            partner.crm_service_last_rating = rating.rating if rating else 0.0
            partner.crm_service_last_rating_date = rating.rated_on if rating else False

    def action_open_crm_service_cases(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cases"),
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": [("commercial_partner_id", "=", self.commercial_partner_id.id)],
            "context": {"search_default_open": 1, "default_partner_id": self.id},
        }
