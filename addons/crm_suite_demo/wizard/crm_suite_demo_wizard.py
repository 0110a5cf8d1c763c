from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmSuiteDemoWizard(models.TransientModel):
    _name = "crm.suite.demo.wizard"
    _description = "CRM Intelligence Suite: generate demo data"

    seed = fields.Integer(default=42, help="Same seed and sizes give the same demo data.")
    n_customers = fields.Integer(string="Customers", default=300)
    years = fields.Integer(string="Years of History", default=3)
    n_products = fields.Integer(string="Products", default=40)
    n_flow_orders = fields.Integer(
        string="Recent Orders (full flow)", default=30,
        help="The most recent purchases are entered as sale orders, delivered and invoiced; "
        "the older ones are invoiced directly.",
    )
    n_opportunities = fields.Integer(string="Opportunities", default=25)
    refund_rate = fields.Float(default=0.03, help="Share of invoices partly refunded.")
    paid_rate = fields.Float(default=0.9, help="Share of invoices older than 45 days that are paid.")
    result = fields.Text(readonly=True)

    @api.constrains("n_customers", "years", "n_products", "n_flow_orders", "n_opportunities")
    def _check_sizes(self):
        for wizard in self:
            if wizard.n_customers < 1 or wizard.years < 1 or wizard.n_products < 1:
                raise UserError(self.env._("Customers, years and products must be at least 1."))
            if wizard.n_flow_orders < 0 or wizard.n_opportunities < 0:
                raise UserError(self.env._("The numbers of orders and opportunities cannot be negative."))

    def action_generate(self):
        self.ensure_one()
        stats = self.env["crm.suite.demo.generator"]._generate(
            seed=self.seed,
            n_customers=self.n_customers,
            years=self.years,
            n_products=self.n_products,
            n_flow_orders=self.n_flow_orders,
            n_opportunities=self.n_opportunities,
            refund_rate=self.refund_rate,
            paid_rate=self.paid_rate,
        )
        self.result = self.env._(
            "%(customers)s customers, %(invoices)s invoices, %(refunds)s credit notes, %(orders)s sale "
            "orders, %(payments)s payments and %(opportunities)s opportunities created in %(seconds)s s.",
            **{k: stats[k] for k in ("customers", "invoices", "refunds", "orders", "payments",
                                     "opportunities", "seconds")},
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }
