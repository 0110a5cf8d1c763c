import datetime

from odoo.tests import tagged

from .common_calls import T0, CallCenterTestCommon, call_events, event


@tagged("post_install", "-at_install")
class TestCallRecords(CallCenterTestCommon):
    def test_a_call_folded_from_its_events(self):
        self._ingest(
            call_events(
                "c1",
                T0,
                wait=15,
                talk=300,
                wrapup_seconds=40,
                recording_url="https://pbx.example.com/rec/c1.wav",
            )
        )
        call = self._call("c1")
        self.assertRecordValues(
            call,
            [
                {
                    "state": "done",
                    "outcome": "answered",
                    "direction": "inbound",
                    "team_id": self.team.id,
                    "user_id": self.agent.id,
                    "partner_id": self.customer.id,
                    "customer_number": "+33612345678",
                    "wait_seconds": 15.0,
                    "talk_seconds": 300.0,
                    "wrapup_seconds": 40.0,
                    "handle_seconds": 340.0,
                    "offered_at": T0,
                    "answered_at": T0 + datetime.timedelta(seconds=15),
                    "recording_url": "https://pbx.example.com/rec/c1.wav",
                }
            ],
        )
        self.assertEqual(len(call.event_ids), 3)
        self.assertIn('"event": "ringing"', call.event_ids.sorted("occurred_at")[0].payload)
        self.assertEqual(call.name, "Ada Customer")

    def test_duplicates_and_out_of_order_events(self):
        items = call_events("c2", T0, wait=10, talk=60)
        first = self._ingest([items[2]])  # the hangup arrives first
        self.assertEqual(first["accepted"], 1)
        self.assertEqual(self._call("c2").state, "done")
        result = self._ingest(items + items)
        self.assertEqual((result["accepted"], result["duplicates"]), (2, 4))
        call = self._call("c2")
        self.assertEqual(len(call.event_ids), 3)
        self.assertEqual((call.outcome, call.wait_seconds, call.talk_seconds), ("answered", 10.0, 60.0))
        self.assertEqual(self.env["crm.service.call"].sudo().search_count([("pbx_call_id", "=", "c2")]), 1)

    def test_ongoing_call_then_abandon(self):
        self._ingest([event("c3", "ringing", T0, **{"from": "0612345678", "queue": "support"})])
        self.assertEqual(self._call("c3").state, "ringing")
        self._ingest([event("c3", "hangup", T0 + datetime.timedelta(seconds=70))])
        self.assertRecordValues(
            self._call("c3"),
            [{"state": "done", "outcome": "abandoned", "wait_seconds": 70.0, "talk_seconds": 0.0}],
        )


@tagged("post_install", "-at_install")
class TestPhoneMatching(CallCenterTestCommon):
    def _partner_of(self, number, company=None):
        company = company or self.company
        Cti = self.env["crm.service.cti"]
        return Cti._match_partner(company, Cti._normalize_number(company, number))

    def test_national_and_international_formats(self):
        for number in (
            "0612345678",
            "06 12 34 56 78",
            "+33612345678",
            "0033 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
        ):
            with self.subTest(number=number):
                self.assertEqual(self._partner_of(number), self.customer)
        self.assertFalse(self._partner_of("0611111111"))

    def test_contact_of_a_company_and_shared_number(self):
        contact = self._partner_of("06 98 76 54 32")
        self.assertEqual(contact, self.contact)
        self._ingest(call_events("m1", T0, wait=5, talk=30, number="0698765432"))
        call = self._call("m1")
        self.assertEqual((call.partner_id, call.commercial_partner_id), (self.contact, self.customer))
        # a switchboard number shared by the company and its contact: the company
        self.contact.phone = "+33 6 12 34 56 78"
        self.assertEqual(self._partner_of("0612345678"), self.customer)

    def test_customers_first_and_other_company_contacts_ignored(self):
        other = self.setup_other_company()["company"]
        self.env["res.partner"].create(
            {"name": "Other's contact", "phone": "+33 1 23 45 67 89", "company_id": other.id}
        )
        self.assertFalse(self._partner_of("01 23 45 67 89"))
        prospect = self.env["res.partner"].create({"name": "Prospect", "phone": "+33 1 55 55 55 55"})
        buyer = self.env["res.partner"].create(
            {"name": "Buyer", "phone": "+33 1 55 55 55 55", "customer_rank": 3}
        )
        self.assertEqual(self._partner_of("0155555555"), buyer)
        self.assertNotEqual(prospect, buyer)
