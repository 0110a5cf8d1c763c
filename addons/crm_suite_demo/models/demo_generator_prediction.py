import datetime

import numpy as np

from odoo import Command, fields, models
from odoo.tools import SQL

#: products bought together (by demo product name): the seed product and its companions with the
#: chance that each comes along
BUNDLES = (
    ("Standing Desk", (("Ergonomic Chair", 0.6), ("Monitor Arm", 0.45))),
    ("Business Laptop", (("Docking Station", 0.55), ("27in Monitor", 0.4), ("Extended Warranty", 0.35))),
    ("Laser Printer", (("Toner Cartridge", 0.7), ("Copy Paper (box)", 0.5))),
    ("Wireless Keyboard", (("Wireless Mouse", 0.75),)),
    ("Meeting Table", (("Conference Chair", 0.65),)),
)
#: a companion the warehouse has run out of: its rules are mined but never suggested
OUT_OF_STOCK = "Monitor Arm"
#: days before today the customers of each demo campaign were contacted
CAMPAIGN_DAYS = (150, 75)


class CrmSuiteDemoGenerator(models.AbstractModel):
    _inherit = "crm.suite.demo.generator"

    def _crm_suite_after_demo(self, company, today=None):
        result = super()._crm_suite_after_demo(company, today)
        if "crm.churn.run" in self.env:
            self.sudo()._demo_prediction(company, today)
        return result

    def _demo_prediction(self, company, today=None, n_orders=360, seed=42):
        """Order history, campaigns and the predictive runs of the demo company.

        * confirmed sale orders of the last 18 months in which some products go together (a desk
          with a chair and a monitor arm, a laptop with a docking station, a printer with toner),
          one companion out of stock: the cross-sell rules and the quotations' suggestions;
        * two campaigns whose opportunities reached part of the customers; the recent, frequent
          buyers among them ordered within a few weeks more often: the response model's rules;
        * a churn run, a cross-sell run and a response model learned on the two campaigns.

        The historical orders are simulated (written confirmed, delivered and invoiced without
        pickings or invoices of their own); the customers' invoices stay those of the demo history.
        """
        rng = np.random.default_rng(seed + 30)
        today = today or fields.Date.context_today(self)
        Product = self.env["product.product"].with_company(company)
        products = Product.search(
            [("default_code", "=like", "CSD-%"), ("sale_ok", "=", True)], order="default_code"
        )
        by_name = {product.name: product for product in products}
        customers = self._demo_invoiced_customers(company)
        if not customers or not all(name in by_name for name, _c in BUNDLES):
            return
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        self._demo_out_of_stock(by_name[OUT_OF_STOCK], warehouse)
        orders = self._demo_history_orders(
            company, customers, products, by_name, warehouse, today, n_orders, rng
        )
        campaigns, campaign_orders = self._demo_campaigns(
            company, customers, products, by_name, warehouse, today, rng
        )
        self._demo_mark_orders_done(orders | campaign_orders)
        # the demo customers buy a few times a year: three in four buy nothing in a given 90 days,
        # so the risk bands of this business start higher than the defaults (60 % / 30 %)
        company.write({"crm_churn_high_risk": 80.0, "crm_churn_medium_risk": 60.0})
        self.env.flush_all()
        self.env["crm.churn.run"].with_company(company)._refresh_company_now(company, trigger="demo")
        self.env["crm.cross.sell.run"].with_company(company)._refresh_company_now(company, trigger="demo")
        response = (
            self.env["crm.response.run"]
            .with_company(company)
            .create(
                {"company_id": company.id, "campaign_ids": [Command.set(campaigns.ids)], "trigger": "demo"}
            )
        )
        response.with_company(company)._execute()

    def _demo_out_of_stock(self, product, warehouse):
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id", "child_of", warehouse.view_location_id.id)]
        )
        quants.with_context(inventory_mode=True).write({"inventory_quantity": 0.0})
        quants.action_apply_inventory()

    def _demo_basket(self, products, by_name, rng):
        """Products of one order: a bundle's seed with its companions, or one to three others."""
        if rng.random() < 0.7:
            seed_name, companions = BUNDLES[int(rng.integers(0, len(BUNDLES)))]
            basket = [by_name[seed_name]]
            basket += [by_name[name] for name, chance in companions if rng.random() < chance]
        else:
            basket = []
        extra = int(rng.integers(0 if basket else 1, 3))
        for index in rng.choice(len(products), size=extra, replace=False):
            if products[int(index)] not in basket:
                basket.append(products[int(index)])
        return basket

    def _demo_order_vals(self, company, partner, basket, day, warehouse, rng, campaign=None):
        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "date_order": datetime.datetime.combine(day, datetime.time(11, 0)),
            "user_id": partner.user_id.id,
            "warehouse_id": warehouse.id,
            "campaign_id": campaign.id if campaign else False,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": float(rng.integers(1, 4))})
                for product in basket
            ],
        }

    def _demo_history_orders(self, company, customers, products, by_name, warehouse, today, n_orders, rng):
        vals_list = []
        for _k in range(n_orders):
            partner = customers[int(rng.integers(0, len(customers)))]
            day = today - datetime.timedelta(days=int(rng.integers(20, 540)))
            vals_list.append(
                self._demo_order_vals(
                    company, partner, self._demo_basket(products, by_name, rng), day, warehouse, rng
                )
            )
        return self.env["sale.order"].with_company(company).create(vals_list)

    def _demo_campaigns(self, company, customers, products, by_name, warehouse, today, rng):
        """Two campaigns with their opportunities (won when the customer ordered within 30 days
        after the contact, lost otherwise) and the orders of the responders."""
        from odoo.addons.crm_mining_prediction.tools.transactions import load_transactions

        from crm_mining import customer_features

        Campaign = self.env["utm.campaign"]
        Lead = self.env["crm.lead"].with_company(company)
        transactions = load_transactions(self.env, company, today - datetime.timedelta(days=1100), today)
        campaigns = Campaign
        orders = []
        names = (self.env._("Spring Promotion"), self.env._("Autumn Catalogue"))
        for name, days_ago in zip(names, CAMPAIGN_DAYS, strict=True):
            campaign = Campaign.create({"name": name})
            campaigns |= campaign
            contact_day = today - datetime.timedelta(days=days_ago)
            picked = np.sort(rng.choice(len(customers), size=min(110, len(customers)), replace=False))
            contacted = customers.browse([customers.ids[int(i)] for i in picked])
            features = customer_features(transactions, np.datetime64(contact_day, "D"))
            known = dict(zip(features.partner_ids.tolist(), range(len(features)), strict=True))
            leads = Lead.create(
                [
                    {
                        "type": "opportunity",
                        "name": self.env._(
                            "%(campaign)s - %(customer)s", campaign=campaign.name, customer=partner.name
                        ),
                        "partner_id": partner.id,
                        "campaign_id": campaign.id,
                        "user_id": partner.user_id.id,
                    }
                    for partner in contacted
                ]
            )
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_lead SET create_date = %s WHERE id = ANY(%s)",
                    datetime.datetime.combine(contact_day, datetime.time(9, 0)),
                    leads.ids,
                )
            )
            leads.invalidate_recordset(["create_date"])
            won = Lead
            for partner, lead in zip(contacted, leads, strict=True):
                row = known.get(partner.id)
                recent = row is not None and features.column("recency_days")[row] <= 120
                regular = row is not None and features.column("frequency")[row] >= 3
                if rng.random() < (0.55 if recent and regular else 0.25 if recent or regular else 0.05):
                    day = contact_day + datetime.timedelta(days=int(rng.integers(3, 28)))
                    orders.append(
                        self._demo_order_vals(
                            company,
                            partner,
                            self._demo_basket(products, by_name, rng),
                            day,
                            warehouse,
                            rng,
                            campaign,
                        )
                    )
                    won |= lead
            won.action_set_won()
            (leads - won).action_set_lost()
        return campaigns, self.env["sale.order"].with_company(company).create(orders)

    def _demo_mark_orders_done(self, orders):
        """The simulated orders as confirmed, delivered and invoiced history (no pickings)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE sale_order SET state = 'sale', locked = TRUE, invoice_status = 'invoiced'
                    WHERE id = ANY(%s)""",
                orders.ids,
            )
        )
        self.env.cr.execute(
            SQL(
                """UPDATE sale_order_line SET qty_delivered = product_uom_qty, qty_invoiced = product_uom_qty,
                      qty_to_invoice = 0, invoice_status = 'invoiced'
                WHERE order_id = ANY(%s)""",
                orders.ids,
            )
        )
        self.env.invalidate_all()
