from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_calls import T0, CallCenterTestCommon, call_events


@tagged("post_install", "-at_install")
class TestCallSecurity(CallCenterTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.setup_other_company()["company"]
        cls.other_user = new_test_user(
            cls.env,
            login="svc_other_company",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager",
            company_id=cls.other.id,
            company_ids=[cls.other.id],
        )

    def _calls(self):
        self._ingest(call_events("s-support", T0, wait=5, talk=30))
        self._ingest(call_events("s-sales", T0, wait=5, talk=30, queue="sales", agent="999"))
        self._ingest(call_events("s-other", T0, wait=5, talk=30), company=self.other)
        return self._call("s-support"), self._call("s-sales"), self._call("s-other", company=self.other)

    def test_agents_see_their_queues_supervisors_all_of_their_company(self):
        support, sales, other = self._calls()
        Call = self.env["crm.service.call"]
        self.assertEqual(
            Call.with_user(self.queue_agent).search([]), sales, "team agent: the Sales line only"
        )
        self.assertEqual(
            Call.with_user(self.agent).search([]), support | sales, "supervisor: the whole company"
        )
        self.assertEqual(Call.with_user(self.other_user).search([]), other, "company B: its own calls only")
        with self.assertRaises(AccessError):
            support.with_user(self.queue_agent).get_screen_pop_card()
        with self.assertRaises(AccessError):
            other.with_user(self.agent).read(["name"])
        Report = self.env["crm.service.call.report"]
        self.env.flush_all()
        self.assertEqual(Report.with_user(self.queue_agent).search([]).call_id, sales)
        self.assertEqual(Report.with_user(self.other_user).search([]).call_id, other)
        Event = self.env["crm.service.call.event"]
        self.assertEqual(Event.with_user(self.queue_agent).search([]).call_id, sales)

    def test_agents_cannot_forge_calls_nor_read_keys(self):
        support, _sales, _other = self._calls()
        with self.assertRaises(AccessError):
            self.env["crm.service.call"].with_user(self.agent).create({"pbx_call_id": "forged"})
        with self.assertRaises(AccessError):
            support.event_ids[:1].with_user(self.agent).write({"payload": "{}"})
        with self.assertRaises(AccessError):
            self.env["crm.service.cti.key"].with_user(self.agent).search([])
        with self.assertRaises(AccessError):
            self.env["crm.service.cti.key.wizard"].with_user(self.agent).create({"name": "mine"})
        with self.assertRaises(AccessError):
            self.env["crm.service.staffing.plan"].with_user(self.queue_agent).search([])
        with self.assertRaises(AccessError):
            self.env["crm.service.staffing.plan"].with_user(self.agent).create({"team_id": self.team.id})

    def test_agents_only_link_calls_to_cases(self):
        """The times, durations, outcome and caller come from the PBX: an agent cannot rewrite them (their
        own KPIs, or the customer whose invoices the card shows), only link the call to a case."""
        support, _sales, _other = self._calls()
        call = support.with_user(self.agent)
        for vals in (
            {"outcome": "answered"},
            {"wait_seconds": 1.0},
            {"partner_id": self.contact.id},
            {"company_id": self.other.id},
            {"pbx_call_id": "x"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                call.write(vals)
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Q", "description": "<p>q</p>", "team_id": self.team.id, "partner_id": self.customer.id}
        )
        call.write({"ticket_id": ticket.id})
        self.assertEqual(support.ticket_id, ticket)
        manager = new_test_user(
            self.env,
            login="svc_manager",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        support.with_user(manager).write({"partner_id": self.contact.id})
        self.assertEqual(support.partner_id, self.contact)

    def test_keys_are_stored_hashed(self):
        self.assertNotIn(self.key, str(self.key_record.sudo().read()))
        self.assertEqual(self.key_record.key_index, self.key.split("_")[1])
        Key = self.env["crm.service.cti.key"]
        self.assertEqual(Key._authenticate(self.key), self.company.id)
        self.assertIsNone(Key._authenticate(self.key + "x"))
        self.assertIsNone(Key._authenticate(""))
        _record, other_key = Key._generate("B", self.other)
        self.assertEqual(Key._authenticate(other_key), self.other.id)
        self.key_record.active = False
        self.assertIsNone(Key._authenticate(self.key))
        # unknown keys are not cached: only the active keys are
        self.assertIsNone(Key._find("cti_deadbeef_" + "x" * 43))
        self.assertNotIn("deadbeef", Key._active_keys())
