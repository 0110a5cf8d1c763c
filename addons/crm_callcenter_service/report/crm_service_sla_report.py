from odoo import fields, models
from odoo.tools import SQL

from ..models.helpdesk_sla import PRIORITIES, SLA_TARGETS
from ..models.helpdesk_ticket_sla import sla_breached_sql


class CrmServiceSlaReport(models.Model):
    """One row per SLA of a case: met in time, breached or still running, by team, case type,
    priority and month (the value-tier bridge adds the customer's tier)."""

    _name = "crm.service.sla.report"
    _description = "Service level report"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(string="Opened On", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", string="Case", readonly=True)
    sla_id = fields.Many2one("helpdesk.sla", string="SLA", readonly=True)
    sla_target = fields.Selection(SLA_TARGETS, string="Target", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned To", readonly=True)
    type_id = fields.Many2one("helpdesk.ticket.type", string="Case Type", readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    state = fields.Selection(
        [("met", "Met"), ("breached", "Breached"), ("running", "Running")], string="Outcome", readonly=True
    )
    case_count = fields.Integer(string="SLAs", readonly=True, aggregator="sum")
    met_count = fields.Integer(string="Met", readonly=True, aggregator="sum")
    breached_count = fields.Integer(string="Breached", readonly=True, aggregator="sum")
    breach_rate = fields.Float(
        string="Breached (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the SLAs breached (in the rows grouped).",
    )

    _depends = {
        "helpdesk.ticket.sla": ["ticket_id", "sla_id", "state", "deadline"],
        "helpdesk.ticket": ["create_date", "team_id", "user_id", "type_id", "priority", "company_id"],
        "helpdesk.sla": ["sla_target"],
    }

    def _report_columns(self):
        """``{column name: SQL expression}`` over ``l`` (the SLA line) and ``t`` (the case)."""
        return {}

    @property
    def _table_query(self):
        now = fields.Datetime.now()
        breached = sla_breached_sql(now)
        extra = self._report_columns()
        return SQL(
            """SELECT l.id, t.create_date AS date, l.ticket_id, l.sla_id, s.sla_target, t.team_id, t.user_id,
                      t.type_id, t.priority, t.company_id %s,
                      CASE WHEN %s THEN 'breached' WHEN l.state = 'accomplished' THEN 'met'
                           ELSE 'running' END AS state,
                      1 AS case_count,
                      CASE WHEN l.state = 'accomplished' THEN 1 ELSE 0 END AS met_count,
                      CASE WHEN %s THEN 1 ELSE 0 END AS breached_count,
                      CASE WHEN %s THEN 100.0 ELSE 0.0 END AS breach_rate
                 FROM helpdesk_ticket_sla l
                 JOIN helpdesk_ticket t ON t.id = l.ticket_id
                 JOIN helpdesk_sla s ON s.id = l.sla_id""",
            SQL("").join(SQL(", %s AS %s", expr, SQL.identifier(name)) for name, expr in extra.items()),
            breached,
            breached,
            breached,
        )
