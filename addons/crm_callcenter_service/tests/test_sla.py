import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import FRIDAY_10H, ServiceTestCommon


@tagged("post_install", "-at_install")
class TestServiceSla(ServiceTestCommon):
    def test_deadline_skips_weekend_and_public_holiday(self):
        self._sla("Resolution in 16 working hours", hours=16)
        ticket = self._case()
        line = ticket.ticket_sla_ids
        self.assertEqual(len(line), 1)
        # Friday 10-12 and 13-17 (6 h), Monday is a holiday, Tuesday 8 h (14 h), Wednesday 8-10 (16 h)
        self.assertEqual(line.deadline.replace(tzinfo=None), datetime.datetime(2026, 6, 10, 10, 0))
        # at risk after 75% = 12 h: Friday 6 h, Tuesday 8-12 (10 h) and 13-15 (12 h)
        self.assertEqual(line.at_risk_at.replace(tzinfo=None), datetime.datetime(2026, 6, 9, 15, 0))
        self.assertEqual(ticket.crm_sla_status, "on_track")

    def test_case_type_and_priority_decide_the_sla(self):
        urgent = self._sla(
            "Urgent complaints: 4 h", hours=4, type_ids=[(6, 0, self.type_complaint.ids)], min_priority="2"
        )
        standard = self._sla("Everything: 2 days", days=2)
        complaint_high = self._case(type_id=self.type_complaint.id, priority="3")
        complaint_low = self._case(type_id=self.type_complaint.id, priority="1")
        inquiry_high = self._case(type_id=self.type_inquiry.id, priority="3")
        self.assertEqual(complaint_high.ticket_sla_ids.sla_id, urgent | standard)
        self.assertEqual(complaint_low.ticket_sla_ids.sla_id, standard)
        self.assertEqual(inquiry_high.ticket_sla_ids.sla_id, standard)
        self.assertEqual(
            min(complaint_high.ticket_sla_ids.mapped("deadline")).replace(tzinfo=None),
            datetime.datetime(2026, 6, 5, 15, 0),
        )  # 10-12, 13-15

    def test_status_and_escalation_once_per_threshold(self):
        self._sla("Resolution in 16 working hours", hours=16)
        ticket = self._case(priority="1")
        Ticket = self.env["helpdesk.ticket"]

        def escalate(moment):
            with freeze_time(moment):
                Ticket._cron_crm_escalate()
            ticket.invalidate_recordset()

        escalate(datetime.datetime(2026, 6, 9, 14, 0))  # 11 h consumed: on track
        self.assertEqual(ticket.crm_sla_status, "on_track")
        self.assertEqual((ticket.priority, ticket.user_id), ("1", self.agent))

        messages = len(ticket.message_ids)
        escalate(datetime.datetime(2026, 6, 9, 15, 30))
        self.assertEqual(ticket.crm_sla_status, "at_risk")
        self.assertEqual((ticket.priority, ticket.user_id), ("2", self.leader))
        self.assertEqual(len(ticket.message_ids), messages + 1)
        self.assertIn("at risk", ticket.message_ids[0].body)
        self.assertEqual(
            ticket.message_ids[0].partner_ids,
            (self.leader | self.agent).partner_id,
            "the leader and the agent the case was taken from are notified",
        )

        ticket.user_id = self.agent  # the leader hands it back; the risk is not escalated again
        escalate(datetime.datetime(2026, 6, 9, 16, 30))
        self.assertEqual((ticket.priority, ticket.user_id), ("2", self.agent))
        self.assertEqual(len(ticket.message_ids), messages + 1)

        escalate(datetime.datetime(2026, 6, 10, 11, 0))  # past the deadline
        self.assertEqual(ticket.crm_sla_status, "breached")
        self.assertEqual((ticket.priority, ticket.user_id), ("3", self.leader))
        self.assertEqual(len(ticket.message_ids), messages + 2)
        escalate(datetime.datetime(2026, 6, 10, 12, 0))
        self.assertEqual(len(ticket.message_ids), messages + 2, "a breach is escalated once")

    def test_met_when_done_in_time(self):
        self._sla("Resolution in 16 working hours", hours=16)
        ticket = self._case()
        with freeze_time(datetime.datetime(2026, 6, 9, 9, 0)):
            ticket.stage_id = self.stage_done
        self.assertEqual(ticket.crm_sla_status, "met")

    def test_breached_status_without_the_cron_wait(self):
        self._sla("Resolution in 4 working hours", hours=4)
        ticket = self._case()
        ticket._crm_update_sla_status(now=FRIDAY_10H + datetime.timedelta(days=1))
        self.assertEqual(ticket.crm_sla_status, "breached")

    def test_several_slas_escalate_once(self):
        self._sla("First response in 2 working hours", hours=2)
        self._sla("Resolution in 4 working hours", hours=4)
        ticket = self._case(priority="0")
        self.assertEqual(len(ticket.ticket_sla_ids), 2)
        messages = len(ticket.message_ids)
        with freeze_time(datetime.datetime(2026, 6, 5, 16, 30)):  # both past their deadline
            self.env["helpdesk.ticket"]._cron_crm_escalate()
        ticket.invalidate_recordset()
        self.assertEqual(ticket.crm_sla_status, "breached")
        self.assertEqual(ticket.priority, "1", "one step, not one per SLA nor per threshold")
        self.assertEqual(len(ticket.message_ids), messages + 1)
        self.assertTrue(ticket.crm_escalated_breach and ticket.crm_escalated_risk)

    def test_team_using_sla_needs_a_calendar(self):
        from odoo.exceptions import ValidationError

        with self.assertRaisesRegex(ValidationError, "working calendar"):
            self.team.resource_calendar_id = False
