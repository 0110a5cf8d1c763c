from odoo.tests import tagged

from .common import PredictionCommon


@tagged('post_install', '-at_install')
class TestCrossSell(PredictionCommon):
    """Rules mined from confirmed sale orders, recommendations filtered by the free stock of the
    order's warehouse, owned products excluded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {'crm_xsell_min_support': 10.0, 'crm_xsell_min_confidence': 20.0, 'crm_xsell_basket': 'order'}
        )
        baskets = (
            [(cls.desk, cls.chair)] * 8
            + [(cls.desk, cls.lamp)] * 4
            + [(cls.printer, cls.toner)] * 4
            + [(cls.desk, cls.setup_service)] * 4
            + [(cls.printer,)] * 2
        )
        cls.orders = cls.env['sale.order']
        for i, products in enumerate(baskets):
            cls.orders |= cls._order(cls.customers[i], products, days_ago=20 + i)
        # a quotation (not confirmed) is no basket
        cls._order(cls.customers[23], (cls.lamp, cls.toner), confirm=False)
        cls.Run = cls.env['crm.cross.sell.run']
        cls.xrun = cls.Run._refresh_company_now(cls.company)

    def _rules(self, level='product'):
        return self.env['crm.cross.sell.rule'].search([('run_id', '=', self.xrun.id), ('level', '=', level)])

    def _rule(self, antecedent, consequent):
        rules = self._rules().filtered(
            lambda r: r.antecedent_key == str(antecedent.id) and r.consequent_key == str(consequent.id)
        )
        self.assertEqual(len(rules), 1, f'{antecedent.name} -> {consequent.name}')
        return rules

    def test_rules_and_metrics(self):
        self.assertEqual(self.xrun.state, 'done')
        self.assertTrue(self.xrun.published)
        self.assertEqual(self.xrun.basket_count, 22)
        desk_chair = self._rule(self.desk, self.chair)
        # 16 baskets with a desk, 8 of them with a chair; 8 chairs in 22 baskets
        self.assertAlmostEqual(desk_chair.support, 100 * 8 / 22)
        self.assertAlmostEqual(desk_chair.confidence, 50.0)
        self.assertAlmostEqual(desk_chair.lift, 0.5 / (8 / 22))
        self.assertEqual(desk_chair.basket_count, 8)
        self.assertEqual(desk_chair.antecedent_names, 'PRED Desk')
        chair_desk = self._rule(self.chair, self.desk)
        self.assertAlmostEqual(chair_desk.confidence, 100.0)
        self.assertFalse(chair_desk.conviction)  # infinite conviction is stored empty
        self.assertAlmostEqual(self._rule(self.printer, self.toner).confidence, 100 * 4 / 6)
        # the same rules as the engine on the same baskets
        from crm_mining import association_rules

        baskets = [sorted(order.order_line.product_id.ids) for order in self.orders]
        expected = association_rules(baskets, 0.10, 0.20, max_len=3)
        got = {(r.antecedent_key, r.consequent_key) for r in self._rules()}
        self.assertEqual(
            got,
            {
                (','.join(map(str, a)), ','.join(map(str, c)))
                for a, c in zip(expected.antecedents, expected.consequents, strict=True)
            },
        )
        # category level: office -> tech is not frequent enough, office -> office is no rule (one item)
        categories = self._rules('category')
        self.assertTrue(categories)
        self.assertIn(
            (str(self.categ_office.id), str(self.categ_tech.id)),
            {(r.antecedent_key, r.consequent_key) for r in categories},
        )
        self.assertEqual(self.xrun.category_rule_count, len(categories))

    def test_quotation_suggestions_filtered_by_stock(self):
        quotation = self._order(self.customers[22], (self.desk,), confirm=False)
        suggested = [row['product_id'] for row in (quotation.crm_suggested_products or [])]
        # chair in stock, the service is not tracked in stock; the lamp is out of stock
        self.assertEqual(set(suggested), {self.chair.id, self.setup_service.id})
        self.assertNotIn(self.lamp.id, suggested)
        self.assertNotIn(self.desk.id, suggested)  # already in the order
        ranked = quotation.crm_suggested_products
        self.assertEqual(ranked, sorted(ranked, key=lambda row: (-row['score'], row['product_id'])))
        chair = next(row for row in ranked if row['product_id'] == self.chair.id)
        self.assertEqual(chair['free_qty'], 32.0)  # 40 on hand, 8 reserved by the confirmed orders
        self.assertEqual(chair['name'], 'PRED Chair')
        self.assertEqual(chair['because'], 'PRED Desk')  # the rule's antecedent

    def test_stock_of_another_warehouse_only_is_not_suggested(self):
        main = self._order(self.customers[22], (self.printer,), confirm=False)
        self.assertNotIn(self.toner.id, [row['product_id'] for row in (main.crm_suggested_products or [])])
        second = self._order(self.customers[22], (self.printer,), confirm=False, warehouse=self.warehouse_2)
        self.assertIn(self.toner.id, [row['product_id'] for row in (second.crm_suggested_products or [])])

    def test_reserved_quantity_is_not_free(self):
        """A delivery reserving the last 32 chairs leaves none free: the chair is no longer suggested."""
        order = self._order(self.customers[23], (self.chair,), confirm=False)
        order.order_line.product_uom_qty = 32
        order.action_confirm()
        self.assertEqual(order.picking_ids.move_ids.quantity, 32)  # reserved
        quotation = self._order(self.customers[22], (self.desk,), confirm=False)
        self.assertNotIn(
            self.chair.id, [row['product_id'] for row in (quotation.crm_suggested_products or [])]
        )

    def test_customer_history_feeds_the_suggestions(self):
        """The customer bought a desk before: a quotation of other products suggests a chair."""
        quotation = self._order(self.customers[0], (self.printer,), confirm=False)
        self.assertIn(self.chair.id, [row['product_id'] for row in (quotation.crm_suggested_products or [])])

    def test_partner_recommendations_exclude_owned_products(self):
        partner = self.customers[0]  # bought a desk and a chair
        products = [row['product_id'] for row in (partner.crm_recommended_products or [])]
        self.assertNotIn(self.desk.id, products)
        self.assertNotIn(self.chair.id, products)
        self.assertIn(self.lamp.id, products)  # no stock filter on the customer's form
        self.assertFalse(self.customers[23].crm_recommended_products)  # only a quotation: nothing owned

    def test_add_suggested_product(self):
        quotation = self._order(self.customers[22], (self.desk,), confirm=False)
        quotation.action_add_crm_suggestion(self.chair.id)
        self.assertIn(self.chair, quotation.order_line.product_id)
        self.assertNotIn(
            self.chair.id, [row['product_id'] for row in (quotation.crm_suggested_products or [])]
        )
        from odoo.exceptions import UserError

        with self.assertRaises(UserError):
            quotation.action_add_crm_suggestion(self.lamp.id)  # not suggested (out of stock)
        quotation.action_confirm()
        with self.assertRaises(UserError):
            quotation.action_add_crm_suggestion(self.setup_service.id)
        self.assertFalse(quotation.crm_suggested_products)

    def test_query_count_does_not_grow_with_rules_or_lines(self):
        small = self._order(self.customers[22], (self.desk,), confirm=False)
        large = self._order(
            self.customers[22], (self.desk, self.printer, self.chair, self.toner), confirm=False
        )

        def queries(order):
            order.invalidate_recordset(['crm_suggested_products'])
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            order.crm_suggested_products  # noqa: B018
            return self.env.cr.sql_log_count - before

        queries(small)  # the first read fills the caches of the access rules
        few = queries(small)
        self.assertEqual(queries(large), few)
        # more rules: a rare basket of three products and a lower support threshold
        self._order(self.customers[23], (self.desk, self.chair, self.printer))
        self.company.crm_xsell_min_support = 1.0
        self.company.crm_xsell_min_confidence = 1.0
        more = self.Run._refresh_company_now(self.company)
        self.assertGreater(more.product_rule_count, self.xrun.product_rule_count)
        self.assertEqual(queries(large), few)

    def test_per_customer_baskets(self):
        self.company.crm_xsell_basket = 'customer'
        run = self.Run._refresh_company_now(self.company)
        self.assertEqual(run.basket_kind, 'customer')
        self.assertEqual(run.basket_count, 22)  # one order per customer here
        self.assertFalse(self.xrun.published)
        self.assertTrue(run.published)
        self.assertFalse(self.env['crm.cross.sell.rule'].search_count([('run_id', '=', self.xrun.id)]))
