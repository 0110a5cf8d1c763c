from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.crm_suite_base.tests.common import CrmSuiteWebClientMixin


@tagged("post_install", "-at_install")
class TestDemoWizardWeb(CrmSuiteWebClientMixin, HttpCase):
    """The Generate Demo Data menu and wizard, called as the web client calls them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="crm_demo_web_manager",
            groups="base.group_user,crm_suite_base.group_crm_intelligence_manager",
        )
        cls.user = new_test_user(
            cls.env,
            login="crm_demo_web_user",
            groups="base.group_user,crm_suite_base.group_crm_intelligence_user",
        )

    def test_menu_for_managers_only(self):
        menu = self.env.ref("crm_suite_demo.menu_crm_suite_demo_wizard")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.manager)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.user)._visible_menu_ids())

    def test_generate_button(self):
        self.authenticate("crm_demo_web_manager", "crm_demo_web_manager")
        wizard_id = self._web_call_kw(
            "crm.suite.demo.wizard",
            "create",
            [
                [
                    {
                        "n_customers": 2,
                        "years": 1,
                        "n_products": 3,
                        "n_flow_orders": 1,
                        "n_opportunities": 1,
                    }
                ]
            ],
        )[0]
        # the wizard generates and analyses the demo in the request (12 s on a loaded 2-core machine:
        # more than the default timeout of the test client)
        action = self.make_jsonrpc_request(
            "/web/dataset/call_button/crm.suite.demo.wizard.action_generate",
            {
                "model": "crm.suite.demo.wizard",
                "method": "action_generate",
                "args": [[wizard_id]],
                "kwargs": {},
            },
            timeout=120,
        )
        self.assertEqual(action["res_id"], wizard_id)
        self.assertEqual(action["target"], "new")
        wizard = self.env["crm.suite.demo.wizard"].browse(wizard_id)
        self.assertIn("2 customers", wizard.result)

    def test_generator_and_loader_not_callable_over_rpc(self):
        self.authenticate("crm_demo_web_manager", "crm_demo_web_manager")
        for model, method in (
            ("crm.suite.demo.generator", "_generate"),
            ("crm.suite.bulk.loader", "_load_benchmark"),
        ):
            with (
                self.subTest(method=method),
                self.assertRaises(JsonRpcException),
                self.assertLogs("odoo.http", "WARNING") as logs,
            ):
                self._web_call_kw(model, method, [], {})
            self.assertIn("cannot be called remotely", logs.output[0])

    def test_wizard_refused_to_non_managers(self):
        self.authenticate("crm_demo_web_user", "crm_demo_web_user")
        with self.assertRaises(JsonRpcException), self.assertLogs("odoo.http", "WARNING") as logs:
            self._web_call_kw("crm.suite.demo.wizard", "create", [[{"n_customers": 1}]])
        self.assertIn("You are not allowed to create", logs.output[0])
