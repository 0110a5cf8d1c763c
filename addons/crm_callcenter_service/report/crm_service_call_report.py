from odoo import fields, models
from odoo.tools import SQL

WEEKDAY_SELECTION = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class CrmServiceCallReport(models.Model):
    """Call-center KPIs: one row per ended inbound call, by queue, agent and interval.

    The definitions of ``crm_callcenter.call_kpis`` (Cleveland, "Call Center Management on Fast
    Forward", ch. 3), with the company's thresholds: *short abandons* (a hang-up within the short
    abandon seconds) are not offered and count in no ratio; answered includes transferred calls. The
    ratios are averages of per-call values that are empty where the call is outside the ratio's
    denominator, so grouping gives exactly the ratio of the group's sums: service level = answered
    within the target / offered; abandonment = abandoned / offered; ASA = wait / answered; AHT =
    (talk + hold + wrap-up) / answered; first contact resolution = answered calls of a known customer
    not followed by another inbound call of the customer within the FCR days / answered.
    """

    _name = "crm.service.call.report"
    _description = "Call center KPIs"
    _auto = False
    _order = "offered_at desc"

    offered_at = fields.Datetime(string="Offered On", readonly=True)
    weekday = fields.Selection(
        WEEKDAY_SELECTION, string="Day of Week", readonly=True, help="In the queue's time zone."
    )
    time_slot = fields.Char(string="Half Hour", readonly=True, help="In the queue's time zone.")
    call_id = fields.Many2one("crm.service.call", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", string="Queue", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", string="Case", readonly=True)
    outcome = fields.Selection(related="call_id.outcome", readonly=True)
    offered = fields.Integer(readonly=True)
    answered = fields.Integer(readonly=True)
    abandoned = fields.Integer(readonly=True)
    short_abandoned = fields.Integer(string="Short Abandons", readonly=True)
    answered_in_target = fields.Integer(string="Answered in Target", readonly=True)
    service_level = fields.Float(string="Service Level (%)", readonly=True, aggregator="avg")
    abandonment_rate = fields.Float(string="Abandonment (%)", readonly=True, aggregator="avg")
    asa = fields.Float(string="ASA (s)", readonly=True, aggregator="avg", help="Average speed of answer.")
    aht = fields.Float(string="AHT (s)", readonly=True, aggregator="avg", help="Average handle time.")
    fcr = fields.Float(string="First Contact Resolution (%)", readonly=True, aggregator="avg")
    handle_seconds = fields.Float(string="Handle Time (s)", readonly=True, aggregator="sum")

    _depends = {
        "crm.service.call": [
            "offered_at",
            "company_id",
            "team_id",
            "user_id",
            "commercial_partner_id",
            "ticket_id",
            "outcome",
            "state",
            "direction",
            "wait_seconds",
            "talk_seconds",
            "hold_seconds",
            "wrapup_seconds",
        ],
        "res.company": ["crm_call_target_seconds", "crm_call_short_abandon_seconds", "crm_call_fcr_days"],
    }

    @property
    def _table_query(self):
        return SQL(
            """
            WITH calls AS (
                SELECT c.*, co.crm_call_target_seconds AS target, co.crm_call_fcr_days AS fcr_days,
                       c.outcome = 'abandoned'
                           AND c.wait_seconds < co.crm_call_short_abandon_seconds AS short,
                       c.outcome IN ('answered', 'transferred') AS took,
                       LEAD(c.offered_at) OVER (PARTITION BY c.company_id, c.commercial_partner_id
                                                ORDER BY c.offered_at, c.id) AS next_call,
                       c.offered_at AT TIME ZONE 'UTC'
                           AT TIME ZONE COALESCE(rc.tz, cp.tz, 'UTC') AS local_at
                  FROM crm_service_call c
                  JOIN res_company co ON co.id = c.company_id
                  JOIN res_partner cp ON cp.id = co.partner_id
             LEFT JOIN helpdesk_ticket_team t ON t.id = c.team_id
             LEFT JOIN resource_calendar rc ON rc.id = t.resource_calendar_id
                 WHERE c.direction = 'inbound' AND c.state = 'done' AND c.offered_at IS NOT NULL
            )
            SELECT id, id AS call_id, offered_at, company_id, team_id, user_id,
                   commercial_partner_id AS partner_id, ticket_id,
                   (EXTRACT(ISODOW FROM local_at)::int - 1)::varchar AS weekday,
                   to_char(date_trunc('hour', local_at)
                           + (EXTRACT(MINUTE FROM local_at)::int / 30) * interval '30 minutes', 'HH24:MI')
                       AS time_slot,
                   (NOT short)::int AS offered,
                   (took AND NOT short)::int AS answered,
                   (outcome = 'abandoned' AND NOT short)::int AS abandoned,
                   short::int AS short_abandoned,
                   (took AND wait_seconds <= target)::int AS answered_in_target,
                   CASE WHEN NOT short THEN CASE WHEN took AND wait_seconds <= target THEN 100.0 ELSE 0.0 END
                   END AS service_level,
                   CASE WHEN NOT short THEN CASE WHEN outcome = 'abandoned' THEN 100.0 ELSE 0.0 END
                   END AS abandonment_rate,
                   CASE WHEN took THEN wait_seconds END AS asa,
                   CASE WHEN took THEN COALESCE(talk_seconds, 0) + COALESCE(hold_seconds, 0)
                                       + COALESCE(wrapup_seconds, 0) END AS aht,
                   CASE WHEN took THEN
                       CASE WHEN commercial_partner_id IS NOT NULL
                                 AND (next_call IS NULL
                                      OR next_call > offered_at + fcr_days * interval '1 day')
                            THEN 100.0 ELSE 0.0 END
                   END AS fcr,
                   CASE WHEN took THEN COALESCE(talk_seconds, 0) + COALESCE(hold_seconds, 0)
                                       + COALESCE(wrapup_seconds, 0) ELSE 0 END AS handle_seconds
              FROM calls
            """
        )
