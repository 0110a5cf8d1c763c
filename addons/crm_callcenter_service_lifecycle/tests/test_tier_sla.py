from odoo.tests import tagged

from odoo.addons.crm_callcenter_service.tests.common import ServiceTestCommon


@tagged("post_install", "-at_install")
class TestTierSla(ServiceTestCommon):
    """The customer's value tier decides the SLA: platinum customers get the tighter policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platinum = cls.customer
        cls.iron = cls.env["res.partner"].create({"name": "Iron Customer", "is_company": True})
        cls.env.user.group_ids |= cls.env.ref("crm_suite_base.group_crm_intelligence_manager")
        run = (
            cls.env["crm.lifecycle.run"]
            .sudo()
            .create({"company_id": cls.company.id, "state": "done", "published": True})
        )
        cls.env["crm.lifecycle.run.line"].create(
            [
                {
                    "run_id": run.id,
                    "company_id": cls.company.id,
                    "partner_id": cls.platinum.id,
                    "tier": "platinum",
                    "stage": "stability",
                },
                {
                    "run_id": run.id,
                    "company_id": cls.company.id,
                    "partner_id": cls.iron.id,
                    "tier": "iron",
                    "stage": "decline",
                },
            ]
        )

    def test_tier_decides_the_sla(self):
        top = self._sla("Gold and platinum: 4 h", hours=4, min_value_tier="gold")
        everyone = self._sla("Everyone: 2 days", days=2)
        declining = self._sla("Declining customers: 8 h", hours=8, lifecycle_stage="decline")
        platinum_case = self._case(partner_id=self.platinum.id)
        iron_case = self._case(partner_id=self.iron.id)
        self.assertEqual(platinum_case.customer_tier, "platinum")
        self.assertEqual(iron_case.customer_tier, "iron")
        self.assertEqual(platinum_case.ticket_sla_ids.sla_id, top | everyone)
        self.assertEqual(iron_case.ticket_sla_ids.sla_id, everyone | declining)
        unknown = self._case(partner_id=self.env["res.partner"].create({"name": "New"}).id)
        self.assertFalse(unknown.customer_tier)
        self.assertEqual(unknown.ticket_sla_ids.sla_id, everyone)
