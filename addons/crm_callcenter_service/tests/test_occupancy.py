import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_calls import T0, CallCenterTestCommon, call_events


def agent_event(kind, at, agent="201", event_id=None):
    return {
        "event_id": event_id or f"{agent}-{kind}-{at:%H%M}",
        "event": kind,
        "agent": agent,
        "timestamp": at.isoformat() + "Z",
    }


def minutes(k):
    return T0 + datetime.timedelta(minutes=k)


@tagged("post_install", "-at_install")
class TestOccupancy(CallCenterTestCommon):
    """Agent 201 logs in at 9:00, pauses 10:00-10:15 and logs out at 11:00: 105 minutes available.
    It handles a 10-minute call offered at 9:10 and a 15-minute one at 10:20: 25 minutes."""

    def _shift(self):
        self._ingest(
            [
                agent_event("agent_login", minutes(0)),
                agent_event("agent_pause", minutes(60)),
                agent_event("agent_unpause", minutes(75)),
                agent_event("agent_logout", minutes(120)),
            ]
        )
        self._ingest(call_events("o1", minutes(10), wait=5, talk=540, wrapup_seconds=60))
        self._ingest(call_events("o2", minutes(80), wait=5, talk=840, wrapup_seconds=60))
        self.env.flush_all()

    def test_occupancy_against_hand_computed_figures(self):
        self._shift()
        Report = self.env["crm.service.occupancy.report"]
        [(available, handled, occupancy)] = Report._read_group(
            [("user_id", "=", self.agent.id)],
            [],
            ["available_hours:sum", "handle_hours:sum", "occupancy:avg"],
        )
        self.assertAlmostEqual(available, 105 / 60)
        self.assertAlmostEqual(handled, 25 / 60)
        self.assertAlmostEqual(occupancy, 100 * 25 / 105, msg="the ratio of the sums, not a mean of ratios")
        rows = {row.interval_start: row for row in Report.search([("user_id", "=", self.agent.id)])}
        self.assertEqual(sorted(rows), [minutes(0), minutes(30), minutes(60), minutes(90)])
        self.assertAlmostEqual(rows[minutes(0)].occupancy, 100 * 10 / 30)
        self.assertAlmostEqual(rows[minutes(60)].available_hours, 15 / 60)  # paused 10:00-10:15
        self.assertAlmostEqual(rows[minutes(60)].occupancy, 100 * 15 / 15)
        self.assertFalse(rows[minutes(90)].handle_hours)

    def test_agent_events_once_and_in_any_order(self):
        events = [agent_event("agent_logout", minutes(120)), agent_event("agent_login", minutes(0))]
        self.assertEqual(self._ingest(events)["accepted"], 2)
        self.assertEqual(self._ingest(events)["duplicates"], 2)
        stored = self.env["crm.service.agent.event"].search([("pbx_agent", "=", "201")])
        self.assertEqual(len(stored), 2)
        self.assertEqual(stored.user_id, self.agent)
        self.env.flush_all()
        [(available,)] = self.env["crm.service.occupancy.report"]._read_group(
            [("user_id", "=", self.agent.id)], [], ["available_hours:sum"]
        )
        self.assertAlmostEqual(available, 2.0)

    @freeze_time("2026-11-30 11:30:00")
    def test_live_board_occupancy(self):
        self._shift()
        team = self.team.with_context(tz="UTC")
        team.invalidate_recordset()
        self.assertAlmostEqual(team.crm_occupancy_today, round(100 * 25 / 105, 1), places=1)

    def test_agents_see_their_own_occupancy(self):
        self._shift()
        self._ingest([agent_event("agent_login", minutes(0), agent="svc_queue_agent")])
        self.env.flush_all()
        Report = self.env["crm.service.occupancy.report"]
        self.assertEqual(Report.with_user(self.queue_agent).search([]).user_id, self.queue_agent)
        self.assertEqual(Report.with_user(self.agent).search([]).user_id, self.agent | self.queue_agent)
        other = self.setup_other_company()["company"]
        self._ingest([agent_event("agent_login", minutes(0), agent="201")], company=other)
        self.assertEqual(
            self.env["crm.service.agent.event"].with_user(self.agent).search([]).company_id, self.company
        )
        with self.assertRaises(AccessError):
            self.env["crm.service.agent.event"].with_user(self.agent).search([])[:1].write({"pbx_agent": "x"})
