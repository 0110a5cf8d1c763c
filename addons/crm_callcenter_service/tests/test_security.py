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

    def test_plain_agent_opens_a_case(self):
        """An agent without accounting, sales or inventory rights reads the case's recovery figures
        and allowed documents (computed with the case's company)."""
        ticket = self._case()
        agent = ticket.with_user(self.agent)
        agent.invalidate_recordset()
        self.assertEqual((agent.credit_note_count, agent.return_count), (0, 0))
        self.assertFalse(agent.allowed_product_ids)
        agent.resolution_summary = "Explained the delivery times"

    def test_reports_per_company(self):
        self._sla("Resolution in 16 working hours", hours=16)
        ticket = self._case()
        other = self.setup_other_company()["company"]
        user_b = new_test_user(
            self.env,
            login="svc_reports_b",
            company_id=other.id,
            company_ids=[other.id],
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager",
        )
        self.env.flush_all()
        for model in ("crm.service.sla.report", "helpdesk.sla.report"):
            self.assertTrue(self.env[model].search([("ticket_id", "=", ticket.id)]), model)
            self.assertFalse(self.env[model].with_user(user_b).search([("ticket_id", "=", ticket.id)]), model)

    def test_agent_cannot_edit_root_causes(self):
        cause = self.env.ref("crm_callcenter_service.root_cause_delivery")
        self.assertTrue(cause.with_user(self.agent).read(["name"]))
        with self.assertRaises(AccessError):
            cause.with_user(self.agent).write({"name": "Renamed"})
