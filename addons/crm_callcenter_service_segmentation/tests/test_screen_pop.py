import datetime

from odoo import fields
from odoo.tests import tagged

from odoo.addons.crm_callcenter_service.tests.common_calls import T0, CallCenterTestCommon, call_events


@tagged("post_install", "-at_install")
class TestScreenPopSegments(CallCenterTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = cls.env["product.product"].create({"name": "Pop product", "standard_price": 30.0})
        today = fields.Date.context_today(cls.env.user)
        others = cls.env["res.partner"].create([{"name": f"Buyer {i}", "is_company": True} for i in range(6)])
        for i, partner in enumerate([cls.customer, *others]):
            for k in range(1 + i % 3):
                cls._suite_invoice(
                    partner, today - datetime.timedelta(days=20 + 40 * k + 7 * i), [(product, 1 + i, 100.0)]
                )
        cls.env.user.group_ids |= cls.env.ref("crm_suite_base.group_crm_intelligence_manager")
        cls.env["crm.segmentation.run"]._refresh_company_now()

    def test_segments_on_the_card(self):
        member = self.env["crm.segment.member"].search([("partner_id", "=", self.customer.id)])
        self.assertTrue(member.rfm_segment_id)
        self._ingest(call_events("seg-1", T0, wait=5, talk=30))
        card = self._call("seg-1").with_user(self.agent).get_screen_pop_card()
        facts = {fact["label"]: fact["value"] for fact in card["facts"]}
        self.assertEqual(facts["RFM Segment"], f"{member.rfm_segment_id.name} ({member.rfm_code})")
        if member.cluster_segment_id:
            self.assertEqual(facts["Cluster"], member.cluster_segment_id.name)
