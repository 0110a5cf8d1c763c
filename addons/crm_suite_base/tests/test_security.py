from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSecurity(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsider = new_test_user(cls.env, login="crm_outsider", groups="sales_team.group_sale_salesman")
        cls.analyst = new_test_user(
            cls.env, login="crm_analyst",
            groups="sales_team.group_sale_salesman,crm_suite_base.group_crm_intelligence_user",
        )
        cls.colleague = new_test_user(
            cls.env, login="crm_colleague",
            groups="sales_team.group_sale_salesman,crm_suite_base.group_crm_intelligence_user",
        )
        cls.root_menu = cls.env.ref("crm_suite_base.menu_crm_intelligence_root")

    def test_menu_visible_to_members_only(self):
        Menu = self.env["ir.ui.menu"]
        self.assertNotIn(self.root_menu.id, Menu.with_user(self.outsider)._visible_menu_ids())
        self.assertIn(self.root_menu.id, Menu.with_user(self.analyst)._visible_menu_ids())
        config = self.env.ref("crm_suite_base.menu_crm_intelligence_config")
        self.assertNotIn(config.id, Menu.with_user(self.analyst)._visible_menu_ids())
        self.assertIn(config.id, Menu.with_user(self.env.ref("base.user_admin"))._visible_menu_ids())

    def test_load_menus(self):
        root = self.root_menu.id
        outsider_menus = self.env["ir.ui.menu"].with_user(self.outsider).load_menus(debug=False)
        self.assertNotIn(root, outsider_menus)
        analyst_menus = self.env["ir.ui.menu"].with_user(self.analyst).load_menus(debug=False)
        self.assertIn(root, analyst_menus)
        # visible on its own: Reporting > Customer Transactions is a real entry
        reporting = self.env.ref("crm_suite_base.menu_crm_intelligence_reporting").id
        self.assertIn(reporting, analyst_menus[root]["children"])
        transactions = self.env.ref("crm_suite_base.menu_crm_suite_customer_transaction").id
        self.assertIn(transactions, analyst_menus[reporting]["children"])

    def test_report_model_access(self):
        with self.assertRaises(AccessError):
            self.env["crm.suite.customer.transaction"].with_user(self.outsider).search([])
        self.env["crm.suite.customer.transaction"].with_user(self.analyst).search([])

    def test_export_download_route(self):
        action = self.env["crm.suite.export"].with_user(self.analyst).download("value.xlsx", b"PK-data")
        url = action["url"]
        self.assertTrue(url.startswith("/crm_suite/export/"))
        # the creator gets the file
        self.authenticate("crm_analyst", "crm_analyst")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"PK-data")
        self.assertIn("value.xlsx", response.headers["Content-Disposition"])
        # another member of the group does not
        self.authenticate("crm_colleague", "crm_colleague")
        self.assertEqual(self.url_open(url).status_code, 404)
        # nor does a user outside the Intelligence groups
        self.authenticate("crm_outsider", "crm_outsider")
        self.assertEqual(self.url_open(url).status_code, 404)
        with self.assertRaises(AccessError):
            self.env["crm.suite.export"].with_user(self.outsider).download("x.xlsx", b"x")
