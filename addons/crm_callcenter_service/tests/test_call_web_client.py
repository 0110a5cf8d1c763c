import io
import zipfile

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_suite_base.tests.common import CrmSuiteWebClientMixin

from .common_calls import T0, CallCenterTestCommon, call_events
from .test_staffing import StaffingCommon


@tagged("post_install", "-at_install")
class TestCallWebClient(CrmSuiteWebClientMixin, CallCenterTestCommon, HttpCase):
    """The buttons of the call, the screen pop, the key wizard and the settings, called as the web
    client calls them."""

    def test_screen_pop_card_and_cases_from_a_call(self):
        self._ingest(call_events("w1", T0, wait=5, talk=30))
        call = self._call("w1")
        self.authenticate("svc_agent", "svc_agent")
        card = self._web_call_kw("crm.service.call", "get_screen_pop_card", [[call.id]])
        self.assertEqual(card["partner"]["name"], "Ada Customer")
        self.assertEqual((card["open_case_count"], card["unpaid"], card["orders"]), (0, False, []))
        action = self._web_call_button("crm.service.call", "action_new_case", [call.id])
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        context = action["context"]
        self.assertEqual(
            (context["default_partner_id"], context["default_team_id"]), (self.customer.id, self.team.id)
        )
        # the form saved with the action's context links the call
        ticket = self.env["helpdesk.ticket"].with_context(**context).create({"description": "<p>x</p>"})
        self.assertEqual(ticket.crm_call_ids, call)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone"))
        # the next call of the customer opens that case, and is linked to it
        self._ingest(call_events("w2", T0.replace(hour=11), wait=5, talk=30))
        second = self._call("w2")
        card = self._web_call_kw("crm.service.call", "get_screen_pop_card", [[second.id]])
        self.assertEqual(card["open_case_count"], 1)
        self.assertEqual(card["open_cases"][0]["id"], ticket.id)
        action = self._web_call_button("crm.service.call", "action_open_case", [second.id])
        self.assertEqual(action["res_id"], ticket.id)
        self.assertEqual(second.ticket_id, ticket)
        self.assertEqual(ticket.crm_call_count, 2)
        action = self._web_call_button("helpdesk.ticket", "action_crm_calls", [ticket.id])
        self.assertEqual(self.env["crm.service.call"].search(action["domain"]), call | second)

    def test_screen_pop_card_of_an_unknown_caller(self):
        self._ingest(call_events("w3", T0, wait=5, talk=30, number="0600000000"))
        self.authenticate("svc_agent", "svc_agent")
        card = self._web_call_kw("crm.service.call", "get_screen_pop_card", [[self._call("w3").id]])
        self.assertFalse(card["partner"])
        self.assertEqual(card["call"]["number"], "+33600000000")
        with self.assertRaisesRegex(UserError, "no open case"):
            self._call("w3").action_open_case()

    def test_key_wizard_shows_the_key_once(self):
        self.authenticate("admin", "admin")
        wizard = self.env["crm.service.cti.key.wizard"].create({"name": "Lyon PBX"})
        action = self._web_call_button("crm.service.cti.key.wizard", "action_generate", [wizard.id])
        key = action["context"]["crm_cti_new_key"]
        shown = self._web_call_kw(
            "crm.service.cti.key.wizard",
            "web_read",
            [[wizard.id]],
            {"specification": {"key": {}}, "context": action["context"]},
        )
        self.assertEqual(shown[0]["key"], key)
        hidden = self._web_call_kw(
            "crm.service.cti.key.wizard", "web_read", [[wizard.id]], {"specification": {"key": {}}}
        )
        self.assertFalse(hidden[0]["key"])
        self.assertEqual(self.env["crm.service.cti.key"]._authenticate(key), self.env.company.id)
        settings = self.env["res.config.settings"].create({})
        action = self._web_call_button("res.config.settings", "action_crm_cti_keys", [settings.id])
        self.assertIn(wizard.key_id, self.env["crm.service.cti.key"].search(action["domain"]))

    def test_screen_pop_tour(self):
        """From the PBX's ringing event to the caller's card, then to a new case prefilled from it."""
        self.start_tour(
            "/odoo",
            "crm_callcenter_screen_pop_tour",
            login="svc_agent",
            cookies={"crm_cti_tour_key": self.key},
        )
        call = self._call("tour-call-1")
        self.assertTrue(call.ticket_id)
        self.assertEqual(call.ticket_id.partner_id, self.customer)
        self.assertEqual(call.ticket_id.team_id, self.team)

    def test_live_board_and_team_button(self):
        self.authenticate("svc_agent", "svc_agent")
        action = self._web_call_button("helpdesk.ticket.team", "action_crm_calls", [self.team.id])
        self.assertEqual(action["domain"], [["team_id", "=", self.team.id]])
        rows = self._web_call_kw(
            "helpdesk.ticket.team",
            "web_search_read",
            [],
            {
                "domain": [("id", "=", self.team.id)],
                "specification": {"crm_calls_waiting": {}, "crm_service_level_today": {}},
            },
        )
        self.assertEqual(rows["records"][0]["crm_calls_waiting"], 0)


@tagged("post_install", "-at_install")
class TestStaffingWebClient(CrmSuiteWebClientMixin, StaffingCommon, HttpCase):
    """Compute and export a plan through the form's buttons."""

    def test_staffing_tour(self):
        """Compute a plan from its form in the browser: the chart and the intervals appear."""
        new_test_user(
            self.env,
            login="svc_planner",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        plan = self._plan()
        self.start_tour(
            f"/odoo/action-crm_callcenter_service.crm_service_staffing_plan_action/{plan.id}",
            "crm_callcenter_staffing_tour",
            login="svc_planner",
        )
        self.assertEqual(plan.state, "done")
        self.assertGreater(plan.peak_scheduled, 0)

    def test_compute_and_export(self):
        new_test_user(
            self.env,
            login="svc_planner",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        plan = self._plan()
        self.authenticate("svc_planner", "svc_planner")
        self._web_call_button("crm.service.staffing.plan", "action_compute", [plan.id])
        self.assertEqual(plan.state, "done")
        action = self._web_call_button("crm.service.staffing.plan", "action_export_xlsx", [plan.id])
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            names = book.namelist()
        self.assertIn("xl/charts/chart1.xml", names)
        self.assertIn("xl/charts/chart2.xml", names)
