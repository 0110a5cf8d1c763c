from odoo import api, fields, models
from odoo.tools import SQL


def sla_breached_sql(now, alias="l"):
    """An SLA line breached at ``now``: expired, or still running past its deadline."""
    return SQL(
        "(%s = 'expired' OR (%s = 'in_progress' AND %s < %s))",
        SQL.identifier(alias, "state"),
        SQL.identifier(alias, "state"),
        SQL.identifier(alias, "deadline"),
        now,
    )


class HelpdeskTicketSla(models.Model):
    """An SLA of a case, with the moment it becomes at risk (the configured share of its working time
    consumed, on the team's calendar with its leaves and public holidays) and the escalations done."""

    _inherit = "helpdesk.ticket.sla"

    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    at_risk_at = fields.Datetime(compute="_compute_deadline", store=True, string="At Risk From")

    @api.depends(
        "hours",
        "consumed_time",
        "ticket_id",
        "last_state_date",
        "state",
        "ticket_id.company_id.crm_service_risk_share",
    )
    def _compute_deadline(self):
        kept = {
            record.id: record.at_risk_at
            for record in self
            if record.state in ("accomplished", "expired") and record.at_risk_at
        }
        result = super()._compute_deadline()
        for record in self:
            if record.id in kept:
                record.at_risk_at = kept[record.id]
                continue
            calendar = record.ticket_id.team_id.resource_calendar_id
            start = record.last_state_date or record.ticket_id.create_date
            share = (record.ticket_id.company_id or self.env.company).crm_service_risk_share / 100.0
            left = record.hours * share - record.consumed_time
            if not calendar or not start:
                record.at_risk_at = record.deadline
            elif left <= 0:
                record.at_risk_at = start
            else:
                record.at_risk_at = calendar.plan_hours(left, start, compute_leaves=True)
        return result
