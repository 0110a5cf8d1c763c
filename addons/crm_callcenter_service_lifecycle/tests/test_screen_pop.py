import datetime

from odoo.tests import new_test_user, tagged

from odoo.addons.crm_callcenter_service.tests.common_calls import T0, CallCenterTestCommon, call_events


@tagged("post_install", "-at_install")
class TestScreenPopValue(CallCenterTestCommon):
    """The screen pop shows the caller's value tier, stage and lifetime value to an agent who has no
    access to the Intelligence figures themselves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        run = (
            cls.env["crm.lifecycle.run"]
            .sudo()
            .create({"company_id": cls.company.id, "state": "done", "published": True, "model_fitted": True})
        )
        cls.env["crm.lifecycle.run.line"].sudo().create({
            "run_id": run.id, "company_id": cls.company.id, "partner_id": cls.customer.id, "tier": "gold",
            "stage": "stability", "historical_clv": 1234.0, "predicted_clv": 2500.0, "p_alive": 0.87,
            "last_purchase_date": datetime.date(2026, 11, 2),
        })
        cls.plain_agent = new_test_user(
            cls.env, login="svc_plain_agent", groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
            company_id=cls.company.id, company_ids=[cls.company.id],
        )

    def test_value_on_the_card(self):
        self._ingest(call_events("v1", T0, wait=5, talk=30))
        call = self._call("v1").with_user(self.plain_agent)
        self.assertFalse(self.plain_agent.has_group("crm_suite_base.group_crm_intelligence_user"))
        facts = {fact["label"]: fact["value"] for fact in call.get_screen_pop_card()["facts"]}
        self.assertEqual(facts["Value Tier"], "Gold")
        self.assertEqual(facts["Lifecycle Stage"], "Stability")
        self.assertIn("2,500.00", facts["Predicted CLV (horizon, discounted)"])
        self.assertEqual(facts["P(alive)"], "87 %")
        self.assertIn("1,234.00", facts["Historical CLV (margin to date)"])
        self.assertIn("Last Purchase", facts)

    def test_no_value_no_facts(self):
        self._ingest(call_events("v2", T0, wait=5, talk=30, number="0698765432"))
        other = self.env["res.partner"].create({"name": "Walk-in", "phone": "+33 6 11 11 11 11"})
        self._ingest(call_events("v3", T0, wait=5, talk=30, number="0611111111"))
        self.assertEqual(self._call("v3").partner_id, other)
        self.assertEqual(self._call("v3").get_screen_pop_card()["facts"], [])
