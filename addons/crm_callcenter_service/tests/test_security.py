from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ServiceTestCommon


@tagged("post_install", "-at_install")
class TestServiceSecurity(ServiceTestCommon):
    def test_other_company_sees_no_case_nor_sla(self):
        self._sla("Resolution in 16 working hours", hours=16)
        ticket = self._case()
        other = self.setup_other_company()["company"]
        user_b = new_test_user(
            self.env,
            login="svc_company_b",
            company_id=other.id,
            company_ids=[other.id],
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager",
        )
        self.assertFalse(self.env["helpdesk.ticket"].with_user(user_b).search([("id", "=", ticket.id)]))
        self.assertFalse(
            self.env["helpdesk.ticket.sla"]
            .with_user(user_b)
            .search([("id", "in", ticket.ticket_sla_ids.ids)])
        )
        with self.assertRaises(AccessError):
            ticket.with_user(user_b).read(["crm_sla_status"])
        with self.assertRaises(AccessError):
            ticket.ticket_sla_ids.with_user(user_b).read(["deadline"])

    def test_agent_cannot_edit_root_causes(self):
        cause = self.env.ref("crm_callcenter_service.root_cause_delivery")
        self.assertTrue(cause.with_user(self.agent).read(["name"]))
        with self.assertRaises(AccessError):
            cause.with_user(self.agent).write({"name": "Renamed"})
