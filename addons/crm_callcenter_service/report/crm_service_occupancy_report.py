from odoo import fields, models
from odoo.tools import SQL

#: a session whose log-out never came counts at most this long (crm_callcenter.available_periods)
MAX_OPEN_HOURS = 12


class CrmServiceOccupancyReport(models.Model):
    """Agents' occupancy per half hour: the time they handled calls (talk + hold + wrap-up of the
    answered calls, counted in the half hour the call was offered) over the time they were available
    (logged in to the PBX and not on a pause, from the agent events of the CTI webhook; the periods of
    ``crm_callcenter.available_periods``). Grouped, the occupancy is the ratio of the group's sums
    (Cleveland, "Call Center Management on Fast Forward", ch. 3)."""

    _name = "crm.service.occupancy.report"
    _description = "Agent occupancy"
    _auto = False
    _order = "interval_start desc"

    interval_start = fields.Datetime(string="Half Hour", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    available_hours = fields.Float(string="Available (h)", readonly=True, aggregator="sum", digits=(16, 2))
    handle_hours = fields.Float(string="Handling Calls (h)", readonly=True, aggregator="sum", digits=(16, 2))
    occupancy = fields.Float(
        string="Occupancy (%)",
        readonly=True,
        aggregator="avg",
        help="Time handling calls / available time (logged in and not paused).",
    )

    _depends = {
        "crm.service.agent.event": ["company_id", "user_id", "pbx_agent", "event_type", "occurred_at"],
        "crm.service.call": ["company_id", "user_id", "offered_at", "state", "outcome", "handle_seconds"],
    }

    @property
    def _table_query(self):
        return SQL(
            """
            WITH ev AS (
                SELECT e.company_id, e.user_id, e.event_type, e.occurred_at AS since,
                       LEAD(e.occurred_at) OVER (
                           PARTITION BY e.company_id, e.pbx_agent
                           ORDER BY e.occurred_at,
                                    CASE e.event_type WHEN 'agent_logout' THEN 0 WHEN 'agent_pause' THEN 1
                                                      WHEN 'agent_unpause' THEN 2 ELSE 3 END,
                                    e.id) AS next_at
                  FROM crm_service_agent_event e
            ), periods AS (
                SELECT company_id, user_id, since,
                       COALESCE(
                           next_at, LEAST(now() AT TIME ZONE 'UTC', since + %(open)s * interval '1 hour')
                       ) AS until
                  FROM ev
                 WHERE event_type IN ('agent_login', 'agent_unpause') AND user_id IS NOT NULL
            ), available AS (
                SELECT p.company_id, p.user_id, s.slot,
                       SUM(EXTRACT(EPOCH FROM LEAST(p.until, s.slot + interval '30 minutes')
                                              - GREATEST(p.since, s.slot))) AS seconds
                  FROM periods p
            CROSS JOIN LATERAL generate_series(date_bin('30 minutes', p.since, TIMESTAMP '2000-01-01'),
                                               p.until - interval '1 microsecond',
                                               interval '30 minutes') AS s(slot)
                 WHERE p.until > p.since
              GROUP BY 1, 2, 3
            ), handled AS (
                SELECT c.company_id, c.user_id,
                       date_bin('30 minutes', c.offered_at, TIMESTAMP '2000-01-01') AS slot,
                       SUM(COALESCE(c.handle_seconds, 0)) AS seconds
                  FROM crm_service_call c
                 WHERE c.state = 'done' AND c.outcome IN ('answered', 'transferred') AND c.user_id IS NOT NULL
              GROUP BY 1, 2, 3
            )
            SELECT ROW_NUMBER() OVER (ORDER BY company_id, user_id, slot) AS id, company_id, user_id,
                   slot AS interval_start, available / 3600.0 AS available_hours,
                   handle / 3600.0 AS handle_hours,
                   CASE WHEN available > 0 THEN 100.0 * handle / available END AS occupancy
              FROM (
                SELECT COALESCE(a.company_id, h.company_id) AS company_id,
                       COALESCE(a.user_id, h.user_id) AS user_id, COALESCE(a.slot, h.slot) AS slot,
                       COALESCE(a.seconds, 0) AS available, COALESCE(h.seconds, 0) AS handle
                  FROM available a
             FULL JOIN handled h ON h.company_id = a.company_id AND h.user_id = a.user_id AND h.slot = a.slot
              ) rows
            """,
            open=MAX_OPEN_HOURS,
        )

    def _read_group_select(self, aggregate_spec, query):
        """A group's occupancy is its handling time over its available time (not the mean of the
        half hours' ratios)."""
        if aggregate_spec != "occupancy:avg":
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "100.0 * SUM(%(handle)s) / NULLIF(SUM(%(available)s), 0)",
            handle=self._field_to_sql(self._table, "handle_hours", query),
            available=self._field_to_sql(self._table, "available_hours", query),
        )
