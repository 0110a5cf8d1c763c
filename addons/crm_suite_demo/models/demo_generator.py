"""Deterministic demo data of the CRM Intelligence Suite.

Customers buy according to a BG/NBD-like repeat-purchase process (Fader, Hardie & Lee 2005,
"Counting your customers the easy way"): while alive, customer *i* purchases as a Poisson process
of rate ``lambda_i ~ Gamma(r, alpha)``; after each purchase it drops out for good with probability
``p_i ~ Beta(a, b)``.  Order values follow the Gamma-Gamma model (Fader, Hardie & Lee 2005, "RFM and
CLV"): the mean spend ``p / nu_i`` of customer *i* has ``nu_i ~ Gamma(q, gamma)`` and each order
value is ``Gamma(p, nu_i)``.  Some customers exist when the history starts, the others are
acquired along it; many lapse before its end.

Accounting stays real: every invoice and credit note is posted through the ORM (balanced journal
entries, taxes, COGS lines for products whose category uses perpetual valuation), payments are
registered and reconciled with the register-payment wizard, stock is put on hand with applied
inventory adjustments.  The most recent orders go through the whole sale flow (quotation ->
confirmed order -> validated delivery -> invoice); the older history is invoiced directly, in
batches, to keep the generation within a few minutes.
"""

import datetime
import logging
import time

import numpy as np
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "crm_suite_base.group_crm_intelligence_manager"

# (category, valuation, product type, [(name, cost)])
CATALOG = [
    ("Office Furniture", "real_time", "storable", [
        ("Standing Desk", 310.0), ("Ergonomic Chair", 145.0), ("Meeting Table", 420.0),
        ("Filing Cabinet", 95.0), ("Bookshelf", 70.0), ("Conference Chair", 60.0),
        ("Reception Desk", 520.0), ("Monitor Arm", 38.0), ("Acoustic Panel", 55.0),
        ("Storage Locker", 180.0),
    ]),
    ("Computer Hardware", "real_time", "storable", [
        ("Business Laptop", 780.0), ("27in Monitor", 190.0), ("Docking Station", 120.0),
        ("Wireless Keyboard", 28.0), ("Wireless Mouse", 14.0), ("Laser Printer", 240.0),
        ("Network Switch", 160.0), ("USB Headset", 35.0), ("Webcam HD", 42.0),
        ("External SSD 1TB", 75.0),
    ]),
    ("Office Supplies", "periodic", "storable", [
        ("Copy Paper (box)", 22.0), ("Toner Cartridge", 48.0), ("Notebook A5 (10 pack)", 9.0),
        ("Ballpoint Pens (50)", 7.5), ("Sticky Notes (24)", 11.0), ("Whiteboard Markers", 6.0),
        ("Binder Clips (100)", 4.5), ("Desk Organizer", 13.0), ("Label Tape", 8.0),
        ("Shipping Boxes (20)", 16.0),
    ]),
    ("Services", "periodic", "service", [
        ("On-site Installation", 60.0), ("Annual Support Contract", 220.0),
        ("Workplace Consulting (day)", 380.0), ("Equipment Recycling", 25.0),
        ("User Training (half day)", 150.0), ("Extended Warranty", 45.0),
        ("Delivery and Assembly", 30.0), ("Network Setup", 130.0),
        ("Data Migration", 260.0), ("Remote Helpdesk (month)", 90.0),
    ]),
]

FIRST_NAMES = [
    "Anna", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam",
    "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Samir", "Tara", "Umar", "Vera", "Wei", "Xenia",
    "Yusuf", "Zoe", "Lena", "Marco", "Nina", "Oscar", "Priya", "Ravi", "Sofia", "Tom", "Lucia", "Mei",
]
LAST_NAMES = [
    "Adams", "Becker", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ivanova", "Jensen",
    "Kowalski", "Lopez", "Martin", "Nakamura", "Olsen", "Petrov", "Rossi", "Schmidt", "Tanaka", "Novak",
    "Walker", "Xu", "Young", "Zhang", "Moreau", "Silva", "Kumar", "Li", "Wang", "Chen",
]
COMPANY_WORDS = [
    "Apex", "Blue", "Cedar", "Delta", "Echo", "Falcon", "Granite", "Harbor", "Iris", "Juniper", "Kestrel",
    "Lumen", "Maple", "Nova", "Orion", "Pine", "Quartz", "River", "Summit", "Tidal", "Urban", "Vertex",
    "Willow", "Zenith", "Amber", "Bright", "Coral", "Dune", "Ember", "Fjord",
]
COMPANY_KINDS = [
    "Consulting", "Logistics", "Architects", "Dental Care", "Software", "Legal", "Engineering", "Media",
    "Foods", "Travel", "Clinic", "Accounting", "Studio", "Retail", "Energy", "Realty",
]
COMPANY_SUFFIXES = ["Ltd", "GmbH", "SA", "Inc", "LLC", "& Partners", "Group", "Co"]

# BG/NBD and Gamma-Gamma parameters of the generated population (time unit: day)
BGNBD = {"r": 0.9, "alpha": 200.0, "a": 1.0, "b": 7.0}
GAMMA_GAMMA = {"p": 6.0, "q": 3.5, "gamma": 0.011}  # mean order value ~ p * gamma / (q - 1) ~ 400



#: area codes of the demo's phone numbers: the fictional 555-0100 to 555-0199 lines of each
DEMO_AREA_CODES = ("415", "312", "212", "617", "206", "303", "512", "404", "702", "213")


def demo_phone(index):
    """A fictional but valid North American number (555-01xx), different for 1,000 indexes."""
    area = DEMO_AREA_CODES[(index // 100) % len(DEMO_AREA_CODES)]
    return f"+1 {area} 555 {100 + index % 100:04d}"

class _StepTimer:
    """Log the duration of each generation step (the argument is evaluated before the call)."""

    def __init__(self, seed):
        self.seed = seed
        self.last = time.monotonic()

    def __call__(self, label, result):
        now = time.monotonic()
        _logger.info("CRM suite demo data (seed %s): %s in %.1f s", self.seed, label, now - self.last)
        self.last = now
        return result


class CrmSuiteDemoGenerator(models.AbstractModel):
    _name = "crm.suite.demo.generator"
    _description = "CRM Intelligence Suite: demo data generator"

    # ------------------------------------------------------------------------------------------
    # entry point
    # ------------------------------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only CRM Intelligence managers can generate demo data."))

    @api.model
    def _generate(self, seed=42, n_customers=300, years=3, n_products=40, n_flow_orders=30,
                 n_opportunities=25, refund_rate=0.03, paid_rate=0.9, today=None, run_hooks=True):
        """Create a deterministic demo history in the current company and return statistics.

        :param seed: seed of the numpy Generator; the same seed and sizes give the same data
        :param n_customers: commercial customers (companies, some with contacts, and persons)
        :param years: length of the sales history, ending ``today``
        :param n_products: products (4 categories; two of them use perpetual valuation)
        :param n_flow_orders: the most recent purchases that go through the full sale flow
            (order, delivery, invoice); the older ones are invoiced directly
        :param n_opportunities: open and won/lost opportunities in the CRM pipeline
        :param refund_rate: share of invoices partly refunded by a credit note
        :param paid_rate: share of invoices older than 45 days that are paid
        :param today: end of the history (default: today)
        :param run_hooks: refresh the suite's analyses afterwards (:meth:`_crm_suite_after_demo`)
        :rtype: dict
        """
        self._check_manager()
        if n_customers < 1 or years <= 0 or n_products < 1:
            raise UserError(self.env._(
                "The demo data needs at least one customer, one product and a positive number of years."))
        if not 0.0 <= refund_rate <= 1.0 or not 0.0 <= paid_rate <= 1.0:
            raise UserError(self.env._("The refund and paid rates are shares between 0 and 1."))
        started = time.monotonic()
        gen = self.sudo().with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True,
            mail_notrack=True, mail_auto_subscribe_no_notify=True,
        )
        company = self.env.company
        today = fields.Date.to_date(today) if today else fields.Date.context_today(self)
        start = today - relativedelta(days=round(365.25 * years))
        rng = np.random.default_rng(seed)

        step = _StepTimer(seed)
        products = step("products", gen._demo_products(company, n_products, rng))
        step("stock", gen._demo_stock(company, products, rng))
        team, salespeople = step("sales team", gen._demo_sales_team(company))
        customers, contacts = step(
            "customers", gen._demo_customers(company, n_customers, salespeople, team, rng, seed))
        events = step("purchase process", gen._demo_purchase_events(
            customers, contacts, products, start, today, rng))
        n_flow = min(n_flow_orders, len(events))
        direct_events, flow_events = events[:len(events) - n_flow], events[len(events) - n_flow:]
        invoices = step("direct invoices", gen._demo_direct_invoices(company, direct_events, team))
        flow_invoices, orders = step("sale flow", gen._demo_flow_orders(company, flow_events, team))
        invoices |= flow_invoices
        refunds = step("credit notes", gen._demo_refunds(invoices, refund_rate, today, rng))
        payments = step("payments", gen._demo_payments(invoices, paid_rate, today, rng))
        leads = step("opportunities", gen._demo_opportunities(
            company, customers, salespeople, team, n_opportunities, rng))
        moves = invoices | refunds
        self.env.flush_all()
        stats = {
            "seed": seed,
            "company_id": company.id,
            "date_from": start,
            "date_to": today,
            "customers": len(customers),
            "contacts": len(contacts),
            "products": len(products),
            "invoices": len(invoices),
            "refunds": len(refunds),
            "orders": len(orders),
            "payments": len(payments),
            "opportunities": len(leads),
            "invoice_lines": len(moves.invoice_line_ids),
            "revenue": round(-sum(moves.invoice_line_ids.mapped("balance")), 2),
            "amount_total": round(sum(moves.mapped("amount_total_signed")), 2),
            "partner_ids": customers.ids,
            "move_ids": moves.ids,
        }
        if run_hooks:
            self._crm_suite_after_demo(company, today)
        stats["seconds"] = round(time.monotonic() - started, 1)
        _logger.info(
            "CRM suite demo data (seed %s): %s customers, %s invoices, %s refunds, %s orders, %s payments "
            "in %.1f s", seed, stats["customers"], stats["invoices"], stats["refunds"], stats["orders"],
            stats["payments"], stats["seconds"])
        return stats

    @api.model
    def _load_demo_data(self, seed=42):
        """Entry point of the module's demo data (``demo/crm_suite_demo.xml``): the demo history of
        the current company, once. A database that already holds it (for instance one upgraded from
        ``crm_suite`` 19.0.1.0.0, which generated it there, then given ``crm_suite_demo``) keeps the
        history it has instead of receiving a second copy.

        :return: the statistics of :meth:`_generate`, or None when the history was already there
        """
        company = self.env.company
        present = self.env["account.move"].sudo().search_count([
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("commercial_partner_id.ref", "=like", f"CSD{seed}-%"),
        ], limit=1)
        if present:
            _logger.info("CRM suite demo data (seed %s) already present in %s: not generated again",
                         seed, company.name)
            return None
        return self._generate(seed=seed)

    def _crm_suite_after_demo(self, company, today=None):
        """Hook run after the demo history is written: refresh the suite's analyses of ``company``.

        Each suite addon that stores derived results refreshes them here, when it is installed. The
        customer lifecycle gets two runs, three months apart, so that stage changes, the lifecycle
        flow and retention activities have content; its cohorts are by quarter (the demo's few
        hundred customers make monthly cohorts of a handful). The segmentation gets two runs at the
        same dates, so that the segment trends and the transition report have content.
        """
        today = fields.Date.to_date(today) if today else fields.Date.context_today(self)
        if "crm.lifecycle.run" in self.env:
            Run = self.env["crm.lifecycle.run"].sudo().with_company(company)
            if "crm_lcv_cohort_period" in company._fields:
                company.sudo().crm_lcv_cohort_period = "quarter"
            Run._refresh_company_now(company, trigger="demo", date_to=today - relativedelta(months=3))
            Run._refresh_company_now(company, trigger="demo", date_to=today)
        if "crm.segmentation.run" in self.env:
            Run = self.env["crm.segmentation.run"].sudo().with_company(company)
            Run._refresh_company_now(company, trigger="demo", date_to=today - relativedelta(months=3))
            Run._refresh_company_now(company, trigger="demo", date_to=today)

    def _demo_invoiced_customers(self, company):
        """The demo customers ``company`` invoiced (whatever seed made them), by id."""
        return self.env["account.move"].search([
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("commercial_partner_id.ref", "=like", "CSD%"),
        ]).commercial_partner_id.sorted("id")

    # ------------------------------------------------------------------------------------------
    # master data
    # ------------------------------------------------------------------------------------------
    def _demo_products(self, company, n_products, rng):
        Category = self.env["product.category"]
        Product = self.env["product.product"]
        parent = Category.search([("name", "=", "CRM Suite Demo"), ("parent_id", "=", False)], limit=1) \
            or Category.create({"name": "CRM Suite Demo"})
        categories = {}
        for categ_name, valuation, _kind, _items in CATALOG:
            categ = Category.search([("name", "=", categ_name), ("parent_id", "=", parent.id)], limit=1)
            if not categ:
                categ = Category.create({"name": categ_name, "parent_id": parent.id})
            categ.with_company(company).write({
                "property_valuation": valuation,
                "property_cost_method": "standard",
            })
            categories[categ_name] = categ
        specs = []
        for index in range(n_products):
            categ_name, _valuation, kind, items = CATALOG[index % len(CATALOG)]
            item_index = index // len(CATALOG)
            name, cost = items[item_index % len(items)]
            if item_index >= len(items):
                name = f"{name} {item_index // len(items) + 1}"
            specs.append((f"CSD-{index + 1:03d}", name, cost, categ_name, kind))
        existing = {
            p.default_code: p
            for p in Product.with_context(active_test=False).search(
                [("default_code", "in", [s[0] for s in specs])])
        }
        markups = rng.uniform(1.35, 1.9, size=len(specs))
        vals_list = []
        for (code, name, cost, categ_name, kind), markup in zip(specs, markups, strict=True):
            if code in existing:
                continue
            vals_list.append({
                "name": name,
                "default_code": code,
                "categ_id": categories[categ_name].id,
                "type": "service" if kind == "service" else "consu",
                "is_storable": kind == "storable",
                "list_price": round(cost * float(markup), 0),
                "standard_price": cost,
                "sale_ok": True,
                "purchase_ok": kind != "service",
                "invoice_policy": "delivery" if kind == "storable" else "order",
            })
        created = Product.with_company(company).create(vals_list) if vals_list else Product
        by_code = {**existing, **{p.default_code: p for p in created}}
        return Product.concat(*(by_code[s[0]] for s in specs))

    def _demo_stock(self, company, products, rng):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        if not warehouse:
            return self.env["stock.quant"]
        storable = products.filtered("is_storable")
        quantities = rng.integers(150, 600, size=len(storable))
        quants = self.env["stock.quant"].with_company(company).with_context(inventory_mode=True).create([
            {
                "product_id": product.id,
                "location_id": warehouse.lot_stock_id.id,
                "inventory_quantity": float(qty),
            }
            for product, qty in zip(storable, quantities, strict=True)
        ])
        quants.action_apply_inventory()
        return quants

    def _demo_sales_team(self, company):
        Users = self.env["res.users"].with_context(no_reset_password=True)
        team = self.env.ref("sales_team.team_sales_department", raise_if_not_found=False)
        if not team or team.company_id not in (company, self.env["res.company"]):
            team = self.env["crm.team"].search([("company_id", "in", (company.id, False))], limit=1) \
                or self.env["crm.team"].create({"name": "Direct Sales", "company_id": company.id})
        salesman_group = self.env.ref("sales_team.group_sale_salesman")
        people = [("Alice Moreno", "alice"), ("Bruno Keller", "bruno"), ("Chen Jing", "chen")]
        salespeople = Users
        for name, login_stub in people:
            login = f"crm_suite_demo_{login_stub}_{company.id}"
            user = Users.with_context(active_test=False).search([("login", "=", login)], limit=1)
            if not user:
                user = Users.create({
                    "name": name,
                    "login": login,
                    "email": f"{login_stub}@crm-suite-demo.example.com",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "group_ids": [Command.set(salesman_group.ids)],
                })
            salespeople |= user
        team.member_ids = [Command.link(uid) for uid in salespeople.ids]
        return team, salespeople

    def _demo_customers(self, company, n_customers, salespeople, team, rng, seed):
        """``n_customers`` commercial partners (about 45% companies, some with several contacts)."""
        Partner = self.env["res.partner"]
        is_company = rng.random(n_customers) < 0.45
        n_contacts = np.where(is_company, rng.choice([0, 1, 1, 2, 3], size=n_customers), 0)
        name_idx = rng.integers(0, 10_000, size=(n_customers, 4))
        seller = rng.integers(0, len(salespeople), size=n_customers)
        vals_list = []
        for i in range(n_customers):
            a, b, c, d = (int(x) for x in name_idx[i])
            if is_company[i]:
                name = (f"{COMPANY_WORDS[a % len(COMPANY_WORDS)]} {COMPANY_KINDS[b % len(COMPANY_KINDS)]} "
                        f"{COMPANY_SUFFIXES[c % len(COMPANY_SUFFIXES)]}")
            else:
                name = f"{FIRST_NAMES[a % len(FIRST_NAMES)]} {LAST_NAMES[b % len(LAST_NAMES)]}"
            slug = "".join(ch for ch in name.lower() if ch.isalnum())[:18]
            vals_list.append({
                "name": name,
                "is_company": bool(is_company[i]),
                "ref": f"CSD{seed}-{i + 1:05d}",
                "email": f"{slug}{d % 100}@example.com",
                "phone": demo_phone(i),
                "country_id": company.country_id.id,
                "user_id": salespeople[int(seller[i])].id,
            })
        customers = Partner.create(vals_list)
        contact_vals = []
        for i, customer in enumerate(customers):
            for k in range(int(n_contacts[i])):
                a, b = int(name_idx[i][(k + 1) % 4]), int(name_idx[i][(k + 2) % 4])
                first = FIRST_NAMES[(a + k) % len(FIRST_NAMES)]
                last = LAST_NAMES[(b + 3 * k) % len(LAST_NAMES)]
                contact_vals.append({
                    "name": f"{first} {last}",
                    "parent_id": customer.id,
                    "type": "invoice" if k == 0 else "contact",
                    "function": ["Purchasing Manager", "Office Manager", "CFO"][k % 3],
                    # the contacts after the first have a direct line (the screen pop finds them)
                    **({"phone": demo_phone(n_customers + len(contact_vals))} if k else {}),
                })
        contacts = Partner.create(contact_vals) if contact_vals else Partner
        return customers, contacts

    # ------------------------------------------------------------------------------------------
    # purchase history
    # ------------------------------------------------------------------------------------------
    def _demo_purchase_events(self, customers, contacts, products, start, today, rng):
        """Simulate the BG/NBD / Gamma-Gamma process; return the purchases sorted by date.

        Each event is ``(date, customer, invoiced partner, [(product, qty, price)], salesperson)``.
        """
        horizon = (today - start).days
        n = len(customers)
        lam = rng.gamma(BGNBD["r"], 1.0 / BGNBD["alpha"], size=n)
        drop = rng.beta(BGNBD["a"], BGNBD["b"], size=n)
        nu = rng.gamma(GAMMA_GAMMA["q"], 1.0 / GAMMA_GAMMA["gamma"], size=n)
        existing = rng.random(n) < 0.55
        birth = np.where(existing, rng.uniform(0, 45, size=n), rng.uniform(0, horizon - 1, size=n))
        # category preferences of each customer (Dirichlet), products of a category uniformly
        n_categ = len(CATALOG)
        prefs = rng.dirichlet(np.full(n_categ, 0.6), size=n)
        by_categ = [[p for j, p in enumerate(products) if j % n_categ == c] for c in range(n_categ)]
        contacts_of = {}
        for contact in contacts:
            contacts_of.setdefault(contact.parent_id.id, []).append(contact)
        events = []
        for i, customer in enumerate(customers):
            times = []
            t = birth[i]
            while t < horizon:
                times.append(t)
                if rng.random() < drop[i]:
                    break
                t += rng.exponential(1.0 / lam[i])
            for t in times:
                value = rng.gamma(GAMMA_GAMMA["p"], 1.0 / nu[i])
                n_lines = int(rng.integers(1, 4))
                shares = rng.dirichlet(np.ones(n_lines))
                lines = []
                for share in shares:
                    categ = int(rng.choice(n_categ, p=prefs[i]))
                    pool = by_categ[categ] or list(products)
                    product = pool[int(rng.integers(0, len(pool)))]
                    price = product.lst_price
                    qty = max(1, round(float(value * share) / price))
                    lines.append((product, float(qty), price))
                partner = customer
                people = contacts_of.get(customer.id)
                if people and rng.random() < 0.5:
                    partner = people[int(rng.integers(0, len(people)))]
                date = start + datetime.timedelta(days=int(t))
                events.append((date, i, customer, partner, lines))
        events.sort(key=lambda e: (e[0], e[1]))
        return events

    def _demo_direct_invoices(self, company, events, team, batch_size=100):
        """Invoices of the older history, created and posted in batches, in date order."""
        Move = self.env["account.move"].with_company(company)
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
        invoices = Move
        for offset in range(0, len(events), batch_size):
            vals_list = [
                {
                    "move_type": "out_invoice",
                    "journal_id": journal.id,
                    "partner_id": partner.id,
                    "invoice_date": date,
                    "date": date,
                    "invoice_user_id": customer.user_id.id,
                    "team_id": team.id,
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "quantity": qty, "price_unit": price})
                        for product, qty, price in lines
                    ],
                }
                for date, _i, customer, partner, lines in events[offset:offset + batch_size]
            ]
            batch = Move.create(vals_list)
            batch.action_post()
            invoices |= batch
        return invoices

    def _demo_flow_orders(self, company, events, team):
        """Recent purchases: sale order -> confirmation -> validated delivery -> posted invoice."""
        SaleOrder = self.env["sale.order"].with_company(company)
        if not events:
            return self.env["account.move"], SaleOrder
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        orders = SaleOrder.create([
            {
                "partner_id": partner.id,
                "partner_invoice_id": partner.id,
                "partner_shipping_id": partner.id,
                "date_order": datetime.datetime.combine(date, datetime.time(10, 0)),
                "user_id": customer.user_id.id,
                "team_id": team.id,
                "warehouse_id": warehouse.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty, "price_unit": price})
                    for product, qty, price in lines
                ],
            }
            for date, _i, customer, partner, lines in events
        ])
        orders.action_confirm()
        # confirmation stamps the order with the current time: give it back its history date
        dates = {}
        for order, event in zip(orders, events, strict=True):
            dates[order.id] = event[0]
            order.date_order = datetime.datetime.combine(event[0], datetime.time(10, 0))
        pickings = orders.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True, skip_sms=True).button_validate()
        invoices = orders._create_invoices(grouped=True)
        for invoice in invoices:
            date = dates[invoice.line_ids.sale_line_ids.order_id[:1].id]
            invoice.write({"invoice_date": date, "date": date})
        invoices.sorted(lambda m: (m.invoice_date, m.id)).action_post()
        return invoices, orders

    def _demo_refunds(self, invoices, refund_rate, today, rng):
        """Partial credit notes (returned goods, goodwill) on a few invoices."""
        Move = self.env["account.move"]
        if not invoices or refund_rate <= 0:
            return Move
        candidates = invoices.sorted(lambda m: (m.invoice_date, m.id))
        picked = rng.random(len(candidates)) < refund_rate
        if not picked.any() and len(candidates) >= 10:
            picked[len(candidates) // 2] = True
        vals_list = []
        for invoice, chosen in zip(candidates, picked, strict=True):
            if not chosen:
                continue
            line = invoice.invoice_line_ids[:1]
            date = min(invoice.invoice_date + datetime.timedelta(days=int(rng.integers(3, 30))), today)
            vals_list.append({
                "move_type": "out_refund",
                "journal_id": invoice.journal_id.id,
                "partner_id": invoice.partner_id.id,
                "invoice_date": date,
                "date": date,
                "reversed_entry_id": invoice.id,
                "invoice_user_id": invoice.invoice_user_id.id,
                "team_id": invoice.team_id.id,
                "ref": self.env._("Return on %(invoice)s", invoice=invoice.name),
                "invoice_line_ids": [Command.create({
                    "product_id": line.product_id.id,
                    "quantity": max(1.0, float(np.ceil(line.quantity / 2))),
                    "price_unit": line.price_unit,
                    "tax_ids": [Command.set(line.tax_ids.ids)],
                })],
            })
        vals_list.sort(key=lambda v: v["invoice_date"])
        refunds = Move.with_company(invoices.company_id[:1]).create(vals_list) if vals_list else Move
        refunds.action_post()
        return refunds

    def _demo_payments(self, moves, paid_rate, today, rng):
        """Customer payments registered (one per customer and year) and reconciled."""
        Payment = self.env["account.payment"]
        cutoff = today - datetime.timedelta(days=45)
        # credit notes are reconciled with the invoice they reverse when posted
        invoices = moves.filtered(lambda m: m.move_type == "out_invoice" and m.invoice_date <= cutoff)
        invoices = invoices.sorted(lambda m: (m.invoice_date, m.id))
        mask = rng.random(len(invoices)) < paid_rate
        paid = self.env["account.move"].browse(
            [move.id for move, keep in zip(invoices, mask, strict=True) if keep])
        paid = paid.filtered(lambda m: not m.currency_id.is_zero(m.amount_residual))
        buckets = {}
        for move in paid:
            buckets.setdefault(move.invoice_date.year, []).append(move.id)
        payments = Payment
        for year, move_ids in sorted(buckets.items()):
            bucket = self.env["account.move"].browse(move_ids)
            end = datetime.date(year, 12, 31)
            pay_date = max(min(end + datetime.timedelta(days=20), today), *bucket.mapped("invoice_date"))
            wizard = self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=bucket.ids,
            ).create({"payment_date": pay_date, "group_payment": True})
            payments |= wizard._create_payments()
        return payments

    def _demo_opportunities(self, company, customers, salespeople, team, n_opportunities, rng):
        Lead = self.env["crm.lead"].with_company(company)
        if n_opportunities <= 0 or not customers:
            return Lead
        stages = self.env["crm.stage"].search([("team_ids", "in", (team.id, False))], order="sequence")
        if not stages:
            return Lead
        pick = rng.choice(len(customers), size=min(n_opportunities, len(customers)), replace=False)
        topics = [
            "Office refurbishment", "Hardware renewal", "Support contract extension", "New branch setup",
            "Yearly supplies agreement", "Meeting room equipment", "Remote work kits",
        ]
        vals_list = []
        for k, idx in enumerate(sorted(int(i) for i in pick)):
            customer = customers[idx]
            stage = stages[int(rng.integers(0, len(stages)))]
            vals_list.append({
                "type": "opportunity",
                "name": f"{topics[k % len(topics)]} - {customer.name}",
                "partner_id": customer.id,
                "user_id": salespeople[k % len(salespeople)].id if salespeople else False,
                "team_id": team.id,
                "stage_id": stage.id,
                "expected_revenue": float(round(rng.gamma(2.0, 2500.0), -1)),
                "priority": str(int(rng.integers(0, 4))),
                "date_deadline": fields.Date.context_today(self) + datetime.timedelta(
                    days=int(rng.integers(7, 120))),
            })
        # prospects: companies in the pipeline that never bought (the lifecycle's first stage)
        n_prospects = max(1, n_opportunities // 4)
        prospects = self.env["res.partner"].create([{
            "name": f"{COMPANY_WORDS[int(rng.integers(0, len(COMPANY_WORDS)))]} Prospect {k + 1:02d}",
            "is_company": True,
            "ref": f"CSDP-{k + 1:03d}",
            "country_id": company.country_id.id,
        } for k in range(n_prospects)])
        for k, prospect in enumerate(prospects):
            vals_list.append({
                "type": "opportunity",
                "name": f"{topics[(k + 3) % len(topics)]} - {prospect.name}",
                "partner_id": prospect.id,
                "user_id": salespeople[k % len(salespeople)].id if salespeople else False,
                "team_id": team.id,
                "stage_id": stages[0].id,
                "expected_revenue": float(round(rng.gamma(2.0, 2000.0), -1)),
                "date_deadline": fields.Date.context_today(self) + datetime.timedelta(
                    days=int(rng.integers(14, 90))),
            })
        return Lead.create(vals_list)
