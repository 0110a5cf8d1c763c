import datetime

import numpy as np

from odoo import Command, fields

from odoo.addons.crm_suite_base.tests.common import CrmSuiteTestCommon


class PredictionCommon(CrmSuiteTestCommon):
    """Products in two categories, two warehouses with stock, customers and confirmed sale orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += (
            cls.env.ref('crm_suite_base.group_crm_intelligence_manager')
            + cls.env.ref('stock.group_stock_manager')
            + cls.env.ref('sales_team.group_sale_manager')
        )
        cls.today = fields.Date.today()
        cls.categ_office = cls.env['product.category'].create({'name': 'PRED Office'})
        cls.categ_tech = cls.env['product.category'].create({'name': 'PRED Tech'})

        def product(name, categ, storable=True, kind='consu'):
            return cls.env['product.product'].create(
                {
                    'name': name,
                    'type': kind,
                    'is_storable': storable and kind == 'consu',
                    'categ_id': categ.id,
                    'list_price': 10.0,
                    'standard_price': 6.0,
                    'sale_ok': True,
                }
            )

        cls.desk = product('PRED Desk', cls.categ_office)
        cls.chair = product('PRED Chair', cls.categ_office)
        cls.lamp = product('PRED Lamp', cls.categ_office)  # out of stock everywhere
        cls.printer = product('PRED Printer', cls.categ_tech)
        cls.toner = product('PRED Toner', cls.categ_tech)  # in stock in the second warehouse only
        cls.setup_service = product('PRED Setup Service', cls.categ_tech, kind='service')
        cls.warehouse = cls.env['stock.warehouse'].search([('company_id', '=', cls.company.id)], limit=1)
        cls.warehouse_2 = cls.env['stock.warehouse'].create(
            {'name': 'PRED Second Warehouse', 'code': 'PRD2', 'company_id': cls.company.id}
        )
        Quant = cls.env['stock.quant'].with_context(inventory_mode=True)
        for prod, warehouse, qty in (
            (cls.desk, cls.warehouse, 50),
            (cls.chair, cls.warehouse, 40),
            (cls.printer, cls.warehouse, 20),
            (cls.toner, cls.warehouse_2, 30),
        ):
            Quant.create(
                {'product_id': prod.id, 'location_id': warehouse.lot_stock_id.id, 'inventory_quantity': qty}
            ).action_apply_inventory()
        cls.customers = cls.env['res.partner'].create(
            [{'name': f'PRED Customer {i:02d}', 'is_company': True} for i in range(24)]
        )

    @classmethod
    def _order(cls, partner, products, days_ago=30, confirm=True, warehouse=None):
        order = cls.env['sale.order'].create(
            {
                'partner_id': partner.id,
                'date_order': fields.Datetime.now() - datetime.timedelta(days=days_ago),
                'warehouse_id': (warehouse or cls.warehouse).id,
                'order_line': [
                    Command.create({'product_id': p.id, 'product_uom_qty': 1.0}) for p in products
                ],
            }
        )
        if confirm:
            order.action_confirm()
            order.date_order = fields.Datetime.now() - datetime.timedelta(days=days_ago)
        return order


def synthetic_transactions(partners, seed=0, end=None):
    """``crm_mining.Transactions`` of a simulated buying process for ``partners`` (the engine's
    synthetic histories of the tests, on real partner ids), ending ``end``."""
    from crm_mining import Transactions

    end = np.datetime64(end or fields.Date.today(), 'D')
    rng = np.random.default_rng(seed)
    ids, days, revenue = [], [], []
    for partner in partners:
        rate = rng.gamma(2.0, 1 / 45.0)
        p_drop = rng.beta(1.0, 5.0)
        day = int(rng.integers(0, 600))
        while day <= 1300:
            ids.append(partner.id)
            days.append(day)
            revenue.append(rng.gamma(4.0, 50.0))
            if rng.random() < p_drop:
                break
            day += max(int(rng.exponential(1 / rate)), 1)
    dates = end - np.timedelta64(1300, 'D') + np.asarray(days, dtype='timedelta64[D]')
    revenue = np.asarray(revenue)
    return Transactions.from_arrays(ids, dates, revenue, 0.3 * revenue)
