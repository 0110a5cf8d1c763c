import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.crm_callcenter_service.tests.common import ServiceTestCommon


@tagged("post_install", "-at_install")
class TestServiceMeasures(ServiceTestCommon):
    def _measure(self, key):
        return self.env["crm.capability.measure"]._measure(
            key, self.company, datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)
        )

    def _close(self, ticket, moment):
        with freeze_time(moment):
            ticket.stage_id = self.stage_done

    def _answer(self, ticket, note=False):
        ticket.sudo().message_post(
            body="Answer",
            message_type="comment",
            author_id=self.agent.partner_id.id,
            subtype_xmlid="mail.mt_note" if note else "mail.mt_comment",
        )

    def test_complaint_resolution_within_sla(self):
        self.assertFalse(self._measure("complaint_sla").available)
        self._sla("Complaints in 16 working hours", hours=16, type_ids=[(6, 0, self.type_complaint.ids)])
        on_time, late, open_case = (self._case(type_id=self.type_complaint.id) for _i in range(3))
        inquiry = self._case(type_id=self.type_inquiry.id)
        self._close(on_time, datetime.datetime(2026, 6, 9, 9, 0))  # deadline Wednesday 10:00
        self._close(late, datetime.datetime(2026, 6, 12, 9, 0))
        self._close(inquiry, datetime.datetime(2026, 6, 9, 9, 0))
        value = self._measure("complaint_sla")
        self.assertAlmostEqual(value.value, 50.0)
        self.assertEqual(sorted(value.res_ids), sorted((on_time | late).ids))
        self.assertNotIn(open_case.id, value.res_ids)

    def test_first_contact_resolution(self):
        self.assertFalse(self._measure("first_contact_resolution").available)
        once, twice, noted = (self._case() for _i in range(3))
        self._answer(once)
        self._answer(twice)
        self._answer(twice)
        self._answer(noted)
        self._answer(noted, note=True)  # internal notes are no answer to the customer
        for case in (once, twice, noted):
            self._close(case, datetime.datetime(2026, 6, 10, 9, 0))
        value = self._measure("first_contact_resolution")
        self.assertAlmostEqual(value.value, 100.0 * 2 / 3)
        self.assertEqual((value.numerator, value.denominator), (2, 3))
