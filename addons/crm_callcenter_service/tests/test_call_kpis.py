import datetime

import numpy as np
from freezegun import freeze_time

from odoo.tests import tagged

from crm_callcenter import call_kpis

from .common_calls import T0, CallCenterTestCommon, call_events, event

MEASURES = [
    "offered:sum",
    "answered:sum",
    "abandoned:sum",
    "short_abandoned:sum",
    "answered_in_target:sum",
    "service_level:avg",
    "abandonment_rate:avg",
    "asa:avg",
    "aht:avg",
    "fcr:avg",
]


@tagged("post_install", "-at_install")
class TestCallKpis(CallCenterTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"crm_call_target_seconds": 20, "crm_call_short_abandon_seconds": 5, "crm_call_fcr_days": 7}
        )

    def _day_of_calls(self, later=True):
        """Monday 9:00 (and the Wednesday after): the customer company calls three times, once through
        its contact (k1, k5, k2), two unknown callers hang up (k3 after 40 s, k4 after 3 s: a short
        abandon), one leaves a voicemail."""
        items = [
            *call_events(
                "k1", T0, wait=10, talk=100, wrapup_seconds=20
            ),  # in target; the customer calls again
            *(
                call_events("k2", T0 + datetime.timedelta(days=2), wait=30, talk=200)  # late; resolved
                if later
                else []
            ),
            *call_events("k3", T0.replace(minute=5), wait=40, number="0611111111"),  # abandoned
            *call_events("k4", T0.replace(minute=6), wait=3, number="0622222222"),  # short abandon
            *call_events("k5", T0.replace(minute=7), wait=15, talk=60, number="0698765432"),  # the contact
            event("k5", "transferred", T0.replace(minute=7, second=40), agent="305"),
            *call_events("k6", T0.replace(minute=8), wait=25, number="0633333333", outcome="voicemail"),
            # not in the KPIs: an outbound call and a call still ringing
            event("k7", "ringing", T0.replace(minute=9), direction="outbound", to="0612345678"),
            event("k7", "hangup", T0.replace(minute=10)),
            event("k8", "ringing", T0.replace(minute=11), **{"from": "0612345678", "queue": "support"}),
        ]
        self._ingest(items)

    def test_kpis_against_hand_computed_figures(self):
        self._day_of_calls()
        self.env.flush_all()
        [row] = self.env["crm.service.call.report"]._read_group(
            [("team_id", "=", self.team.id)], [], MEASURES
        )
        offered, answered, abandoned, short, in_target, sl, abandonment, asa, aht, fcr = row
        self.assertEqual((offered, answered, abandoned, short, in_target), (5, 3, 1, 1, 2))
        self.assertAlmostEqual(sl, 40.0)  # 2 of 5 offered within 20 s
        self.assertAlmostEqual(abandonment, 20.0)  # 1 of 5 offered
        self.assertAlmostEqual(asa, (10 + 30 + 15) / 3)
        self.assertAlmostEqual(aht, (120 + 200 + 60) / 3)
        # k1 is followed by k5 (the customer's contact: the same customer), k5 by k2 within 7 days
        self.assertAlmostEqual(fcr, 100 / 3)
        # by half hour of the queue's day: k2 falls on the Wednesday
        slots = self.env["crm.service.call.report"]._read_group(
            [("team_id", "=", self.team.id)], ["weekday", "time_slot"], ["offered:sum"]
        )
        self.assertEqual(sorted(slots), [("0", "09:00", 4), ("2", "09:00", 1)])

    def test_report_equals_the_engine(self):
        self._day_of_calls()
        calls = self.env["crm.service.call"].search(
            [("direction", "=", "inbound"), ("state", "=", "done"), ("team_id", "=", self.team.id)]
        )
        kpis = call_kpis(
            np.array(calls.mapped("offered_at"), dtype="datetime64[s]"),
            calls.mapped("wait_seconds"),
            calls.mapped("outcome"),
            calls.mapped("talk_seconds"),
            calls.mapped("hold_seconds"),
            calls.mapped("wrapup_seconds"),
            callers=[c.commercial_partner_id.id or -1 for c in calls],
            interval_minutes=60,
            target_seconds=20,
            short_abandon_seconds=5,
            fcr_days=7,
        )
        self.env.flush_all()
        [row] = self.env["crm.service.call.report"]._read_group(
            [("team_id", "=", self.team.id)], [], MEASURES
        )
        self.assertEqual(row[0], kpis.offered.sum())
        self.assertEqual(row[1], kpis.answered.sum())
        self.assertEqual(row[2], kpis.abandoned.sum())
        self.assertAlmostEqual(row[5], 100.0 * kpis.answered_in_target.sum() / kpis.offered.sum())
        self.assertAlmostEqual(row[8], kpis.handle_seconds.sum() / kpis.answered.sum())
        self.assertAlmostEqual(row[9], 100.0 * np.nansum(kpis.fcr * kpis.answered) / kpis.answered.sum())

    def test_thresholds_come_from_the_company(self):
        self._day_of_calls()
        self.company.crm_call_short_abandon_seconds = 0  # k4 now counts as an abandon
        self.company.crm_call_target_seconds = 30  # and k2 in target
        self.env.flush_all()
        [(offered, abandoned, in_target)] = self.env["crm.service.call.report"]._read_group(
            [("team_id", "=", self.team.id)], [], ["offered:sum", "abandoned:sum", "answered_in_target:sum"]
        )
        self.assertEqual((offered, abandoned, in_target), (6, 2, 3))

    @freeze_time("2026-11-30 15:00:00")
    def test_todays_live_counters(self):
        now = datetime.datetime(2026, 11, 30, 15, 0, 0)
        start = now - datetime.timedelta(seconds=300)
        self._day_of_calls(later=False)  # this morning's calls count too (k1, k3 to k6: 5 offered)
        self._ingest(
            [
                *call_events("live-1", start, wait=10, talk=60),
                *call_events("live-2", start + datetime.timedelta(seconds=5), wait=30, number="0611111111"),
                event(
                    "live-3",
                    "ringing",
                    now - datetime.timedelta(seconds=20),
                    **{"from": "0622222222", "queue": "support"},
                ),
                event(
                    "live-4",
                    "ringing",
                    now - datetime.timedelta(seconds=60),
                    **{"from": "0633333333", "queue": "support"},
                ),
                event("live-4", "answered", now - datetime.timedelta(seconds=50), agent="201"),
                # an outbound call ringing is nobody waiting in the queue
                event(
                    "out-1",
                    "ringing",
                    now - datetime.timedelta(seconds=10),
                    direction="outbound",
                    to="0655555555",
                    queue="support",
                ),
                # its hangup never came: not live any more after four hours
                event(
                    "stale",
                    "ringing",
                    now - datetime.timedelta(hours=5),
                    **{"from": "0644444444", "queue": "support"},
                ),
            ]
        )
        team = self.team.with_context(tz="UTC")
        team.invalidate_recordset()
        self.assertRecordValues(
            team,
            [
                {
                    "crm_calls_waiting": 1,  # live-3: k8 and the stale call rang hours ago
                    "crm_calls_talking": 1,
                    "crm_calls_offered_today": 6,
                    "crm_calls_answered_today": 3,
                    "crm_calls_abandoned_today": 2,
                    "crm_service_level_today": 50.0,
                    "crm_asa_today": round((10 + 15 + 10) / 3, 1),
                    "crm_aht_today": (120 + 60 + 60) / 3,
                }
            ],
        )
