import datetime
from unittest.mock import patch

from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import CrmSuiteTestCommon

D = datetime.date
MEASURES = ["revenue:sum", "cost:sum", "margin:sum"]


@tagged("post_install", "-at_install")
class TestCustomerCube(CrmSuiteTestCommon):
    """The customer cube (``crm.suite.customer.transaction``): one row per invoice line, sliced by
    product, category, salesperson, sales team, country and month, totals computed by hand.

    Lines (company currency, no taxes; Gadget costs 30, Support has no cost: the company's
    fallback margin of 25%)::

        line  move    customer  salesperson  category  month  revenue    cost        margin
        L1    inv1    Acme BE   Anna         Hardware  Jan    2x100=200  2x30=60     140
        L2    inv1    Acme BE   Anna         Services  Jan    400        75% = 300   100
        L3    inv2    Beta US   Bob          Hardware  Feb    150        30          120
        L4    inv2    Beta US   Bob          Services  Feb    2x50=100   75% = 75    25
        L5    inv3    Acme BE   Anna         Hardware  Mar    3x100=300  3x30=90     210
        L6    refund  Acme BE   Anna         Hardware  Mar    -100       -30         -70
        L7    inv4    Beta US   Anna         Services  Mar    200        75% = 150   50

    The refund (L6) reverses one unit of inv3 on 2 April: it counts in March, the month of inv3.
    Anna is in the team North, Bob in South; inv4 (Anna's) is booked on the team South.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("crm_suite_base.group_crm_intelligence_user")
        Partner = cls.env["res.partner"]
        cls.belgium, cls.usa = cls.env.ref("base.be"), cls.env.ref("base.us")
        cls.acme = Partner.create({"name": "Cube Acme", "is_company": True, "country_id": cls.belgium.id})
        cls.acme_contact = Partner.create({"name": "Cube Joe", "parent_id": cls.acme.id})
        cls.beta = Partner.create({"name": "Cube Beta", "is_company": True, "country_id": cls.usa.id})
        cls.customers = cls.acme | cls.beta
        cls.hardware = cls.env["product.category"].create({"name": "Cube Hardware"})
        cls.services = cls.env["product.category"].create({"name": "Cube Services"})
        cls.gadget = cls._create_product(
            name="Cube Gadget", categ_id=cls.hardware.id, standard_price=30.0, lst_price=100.0)
        # no cost: the company's fallback margin of 25%
        cls.support = cls._create_product(
            name="Cube Support", categ_id=cls.services.id, standard_price=0.0, lst_price=50.0)
        cls.anna = new_test_user(cls.env, login="cube_anna", name="Cube Anna",
                                 groups="sales_team.group_sale_salesman", company_id=cls.company.id)
        cls.bob = new_test_user(cls.env, login="cube_bob", name="Cube Bob",
                                groups="sales_team.group_sale_salesman", company_id=cls.company.id)
        Team = cls.env["crm.team"].sudo()  # Sales / Administrator only
        cls.north = Team.create({"name": "Cube North", "company_id": cls.company.id,
                                 "member_ids": [Command.set(cls.anna.ids)]})
        cls.south = Team.create({"name": "Cube South", "company_id": cls.company.id,
                                 "member_ids": [Command.set(cls.bob.ids)]})
        cls.inv1 = cls._cube_invoice(cls.acme_contact, "2019-01-15", cls.anna, cls.north,
                                     [(cls.gadget, 2, 100.0), (cls.support, 1, 400.0)])
        cls.inv2 = cls._cube_invoice(cls.beta, "2019-02-10", cls.bob, cls.south,
                                     [(cls.gadget, 1, 150.0), (cls.support, 2, 50.0)])
        cls.inv3 = cls._cube_invoice(cls.acme, "2019-03-20", cls.anna, cls.north, [(cls.gadget, 3, 100.0)])
        cls.refund = cls.inv3._reverse_moves([{"invoice_date": D(2019, 4, 2), "date": D(2019, 4, 2)}])
        cls.refund.invoice_line_ids.write({"quantity": 1})
        cls._cube_sales_team(cls.refund, cls.anna, cls.north)
        cls.refund.action_post()
        cls.inv4 = cls._cube_invoice(cls.beta, "2019-03-25", cls.anna, cls.south, [(cls.support, 1, 200.0)])
        cls.moves = cls.inv1 | cls.inv2 | cls.inv3 | cls.refund | cls.inv4
        cls.Cube = cls.env["crm.suite.customer.transaction"]

    @classmethod
    def _cube_sales_team(cls, move, salesperson, team):
        move.invoice_user_id = salesperson
        if "team_id" in move._fields:  # the Sales app stores the team of the invoice
            move.team_id = team

    @classmethod
    def _cube_invoice(cls, partner, date, salesperson, team, lines):
        move = cls._suite_invoice(partner, date, lines, post=False)
        cls._cube_sales_team(move, salesperson, team)
        move.action_post()
        return move

    def _totals(self, groupby, domain=None, model=None):
        """``{group key: (revenue, cost, margin)}`` of the fixture's rows grouped by ``groupby``."""
        model = model if model is not None else self.Cube
        groups = model._read_group(
            [("partner_id", "in", self.customers.ids), *(domain or [])], [groupby], MEASURES)
        return {key: tuple(round(value, 2) for value in values) for key, *values in groups}

    def test_one_row_per_invoice_line(self):
        lines = self.moves.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        self.assertEqual(len(lines), 7)
        rows = self.Cube.search([("partner_id", "in", self.customers.ids)])
        self.assertEqual(sorted(rows.ids), sorted(lines.ids))
        self.assertEqual(set(rows.mapped("line_count")), {1})
        refund_row = self.Cube.browse(self.refund.invoice_line_ids.id)
        self.assertEqual(refund_row.date, D(2019, 3, 20),
                         "a refund counts on the date of the invoice it reverses")
        self.assertEqual((refund_row.revenue, refund_row.cost, refund_row.margin), (-100.0, -30.0, -70.0))
        self.assertEqual(refund_row.partner_id, self.acme)
        self.assertEqual(refund_row.product_id, self.gadget)
        contact_row = self.Cube.browse(self.inv1.invoice_line_ids[1].id)
        self.assertEqual(contact_row.partner_id, self.acme, "a contact's invoice counts for its company")
        self.assertEqual((contact_row.categ_id, contact_row.country_id), (self.services, self.belgium))
        self.assertEqual((contact_row.revenue, contact_row.cost, contact_row.margin), (400.0, 300.0, 100.0))
        # the whole fixture, in one group (what the pivot's total shows)
        self.assertEqual(self._totals("company_id"), {self.company: (1250.0, 675.0, 575.0)})

    def test_by_product_and_category(self):
        self.assertEqual(self._totals("categ_id"), {
            self.hardware: (550.0, 150.0, 400.0),
            self.services: (700.0, 525.0, 175.0),
        })
        self.assertEqual(self._totals("product_id"), {
            self.gadget: (550.0, 150.0, 400.0),
            self.support: (700.0, 525.0, 175.0),
        })
        # the search view's category field searches sub-categories too (child_of)
        sub = self.env["product.category"].create({"name": "Cube Gizmos", "parent_id": self.hardware.id})
        self.gadget.categ_id = sub
        self.assertEqual(self._totals("categ_id", [("categ_id", "child_of", self.hardware.id)]),
                         {sub: (550.0, 150.0, 400.0)})

    def test_by_salesperson(self):
        self.assertEqual(self._totals("user_id"), {
            self.anna: (1000.0, 570.0, 430.0),
            self.bob: (250.0, 105.0, 145.0),
        })

    def test_by_sales_team(self):
        by_salesperson_team = {
            self.north: (1000.0, 570.0, 430.0),  # Anna's lines
            self.south: (250.0, 105.0, 145.0),
        }
        cube_cls = type(self.Cube)
        if self.Cube._cube_move_team_field():
            # the team of the invoice: inv4, Anna's, is booked on South
            self.assertEqual(self._totals("team_id"), {
                self.north: (800.0, 420.0, 380.0),
                self.south: (450.0, 255.0, 195.0),
            })
        else:
            self.assertEqual(self._totals("team_id"), by_salesperson_team)
        # without the Sales app (no account_move.team_id column): the salesperson's team
        with patch.object(cube_cls, "_cube_move_team_field", return_value=None):
            self.assertNotIn('"am"."team_id"', self.Cube._table_query.code)
            self.assertEqual(self._totals("team_id"), by_salesperson_team)

    def test_by_country(self):
        self.assertEqual(self._totals("country_id"), {
            self.belgium: (800.0, 420.0, 380.0),
            self.usa: (450.0, 255.0, 195.0),
        })

    def test_by_month(self):
        self.assertEqual(self._totals("date:month"), {
            D(2019, 1, 1): (600.0, 360.0, 240.0),
            D(2019, 2, 1): (250.0, 105.0, 145.0),
            # inv3 and inv4, less the refund of 2 April that reverses inv3 of 20 March
            D(2019, 3, 1): (400.0, 210.0, 190.0),
        })
        # two dimensions at once: the category per month
        groups = self.Cube._read_group(
            [("partner_id", "in", self.customers.ids)], ["categ_id", "date:month"], ["revenue:sum"])
        self.assertEqual({(categ, month): revenue for categ, month, revenue in groups}, {
            (self.hardware, D(2019, 1, 1)): 200.0,
            (self.hardware, D(2019, 2, 1)): 150.0,
            (self.hardware, D(2019, 3, 1)): 200.0,
            (self.services, D(2019, 1, 1)): 400.0,
            (self.services, D(2019, 2, 1)): 100.0,
            (self.services, D(2019, 3, 1)): 200.0,
        })

    def test_pivot_of_a_user_of_one_company(self):
        """A user of company A reads the cube of A only: company B's rows exist, the record rule
        hides them, in the rows and in the pivot's totals."""
        other = self.setup_other_company(name="Cube Other Co")["company"]
        self.env.user.company_ids |= other
        other_invoice = self._suite_invoice(self.beta, "2019-02-10", [(self.gadget, 1, 333.0)], company=other)
        analyst = new_test_user(
            self.env, login="cube_analyst",
            groups="base.group_user,crm_suite_base.group_crm_intelligence_user",
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)],
        )
        Cube = self.Cube.with_user(analyst)
        self.assertEqual(Cube.search([("partner_id", "in", self.customers.ids)]).company_id, self.company)
        self.assertFalse(Cube.search([("company_id", "=", other.id)]))
        self.assertEqual(self._totals("country_id", model=Cube)[self.usa], (450.0, 255.0, 195.0))
        # what the pivot view asks for, with the display names of the groups
        groups = Cube.formatted_read_group(
            [("partner_id", "in", self.customers.ids)], ["categ_id", "user_id"], ["revenue:sum", "__count"])
        self.assertEqual(
            sorted((g["categ_id"][1], g["user_id"][1], g["revenue:sum"], g["__count"]) for g in groups), [
                ("Cube Hardware", "Cube Anna", 400.0, 3),
                ("Cube Hardware", "Cube Bob", 150.0, 1),
                ("Cube Services", "Cube Anna", 600.0, 2),
                ("Cube Services", "Cube Bob", 100.0, 1),
            ])
        # company B's row is there for B's users, with its dimensions
        other_row = self.Cube.sudo().search([("company_id", "=", other.id)])
        self.assertEqual(other_row.id, other_invoice.invoice_line_ids.id)
        self.assertEqual((other_row.revenue, other_row.categ_id, other_row.country_id),
                         (333.0, self.hardware, self.usa))
        self.assertEqual(other_row.currency_id, other.currency_id)

    def test_extension_hooks(self):
        """The report SQL is built from the hooks: a column and a join added by an override show up
        in the rows; a core column cannot be replaced."""
        cube_cls = type(self.Cube)
        fields_of = cube_cls._cube_fields
        joins_of = cube_cls._cube_joins
        query = self.Cube._table_query.code
        for alias in ("aml", "am", "cp", "pp", "pt", "rc"):
            self.assertRegex(query, rf"\b{alias}\.")
        self.assertNotIn("GROUP BY am.", query)

        def extra_fields(model):
            return {**fields_of(model), "categ_id": SQL("cube_test_categ.parent_id")}

        def extra_joins(model):
            return [*joins_of(model), SQL(
                "LEFT JOIN product_category cube_test_categ ON cube_test_categ.id = pt.categ_id")]

        parent = self.env["product.category"].create({"name": "Cube Parent"})
        self.hardware.parent_id = parent
        self.hardware.flush_recordset()
        with patch.object(cube_cls, "_cube_fields", extra_fields), \
                patch.object(cube_cls, "_cube_joins", extra_joins):
            self.assertEqual(self._totals("categ_id")[parent], (550.0, 150.0, 400.0))

        def core_clash(model):
            return {**fields_of(model), "revenue": SQL("0.0")}

        with patch.object(cube_cls, "_cube_fields", core_clash), self.assertRaises(ValueError):
            self.Cube.search([])

