import datetime

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.crm_suite_base.tests.common import CrmSuiteTestCommon

FRIDAY_10H = datetime.datetime(2026, 6, 5, 10, 0)  # Friday 5 June 2026, 10:00 UTC
MONDAY_HOLIDAY = datetime.date(2026, 6, 8)


class ServiceTestCommon(CrmSuiteTestCommon):
    """A team working Monday to Friday 8-12 and 13-17 (UTC) with a public holiday on Monday 8 June 2026,
    its leader and an agent, and the case types shipped by the addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("helpdesk_mgmt.group_helpdesk_manager")
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Service hours",
                "tz": "UTC",
                "company_id": cls.company.id,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for start, end, period in ((8, 12, "morning"), (13, 17, "afternoon"))
                ],
            }
        )
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Whit Monday",
                "calendar_id": cls.calendar.id,
                "date_from": datetime.datetime.combine(MONDAY_HOLIDAY, datetime.time(0, 0)),
                "date_to": datetime.datetime.combine(MONDAY_HOLIDAY, datetime.time(23, 59, 59)),
                "time_type": "leave",
            }
        )
        groups = "base.group_user,helpdesk_mgmt.group_helpdesk_user"
        cls.leader = new_test_user(
            cls.env,
            login="svc_leader",
            groups=groups,
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.agent = new_test_user(
            cls.env, login="svc_agent", groups=groups, company_id=cls.company.id, company_ids=[cls.company.id]
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Customer service",
                "company_id": cls.company.id,
                "use_sla": True,
                "resource_calendar_id": cls.calendar.id,
                "user_id": cls.leader.id,
                "user_ids": [Command.set((cls.leader | cls.agent).ids)],
            }
        )
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.type_complaint = cls.env.ref("crm_callcenter_service.ticket_type_complaint")
        cls.type_inquiry = cls.env.ref("crm_callcenter_service.ticket_type_inquiry")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ada Customer", "is_company": True, "email": "ada@example.com"}
        )

    @classmethod
    def _sla(cls, name, hours=0, days=0, **vals):
        return cls.env["helpdesk.sla"].create(
            {
                "name": name,
                "team_ids": [Command.set(cls.team.ids)],
                "stage_id": cls.stage_done.id,
                "hours": hours,
                "days": days,
                **vals,
            }
        )

    def _case(self, created=FRIDAY_10H, **vals):
        """A case of the team created at ``created`` (the SLA lines are computed from that moment)."""
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "My order",
                "description": "<p>Help</p>",
                "team_id": self.team.id,
                "partner_id": self.customer.id,
                "user_id": self.agent.id,
                "company_id": self.company.id,
                **vals,
            }
        )
        self.env.flush_all()
        self.env.cr.execute("UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [created, ticket.id])
        ticket.invalidate_recordset(["create_date"])
        ticket.set_sla()
        ticket._crm_update_sla_status(now=created)
        return ticket
