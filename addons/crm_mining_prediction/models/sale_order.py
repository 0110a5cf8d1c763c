from odoo import api, fields, models
from odoo.exceptions import UserError

SUGGESTION_LIMIT = 8


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    crm_suggested_products = fields.Json(
        string='Suggested Products',
        compute='_compute_crm_suggested_products',
        groups='sales_team.group_sale_salesman',
        help='Products that customers who bought this order\'s products (or the customer\'s earlier '
        'products) also bought, not yet in the order and with free quantity in the order\'s '
        'warehouse (the published cross-sell rules).',
    )

    @api.depends('order_line.product_id', 'partner_id', 'warehouse_id', 'company_id', 'state')
    def _compute_crm_suggested_products(self):
        """One rules-and-stock query per order (plus one read of the customer's history under the
        user's rights), whatever the number of rules and lines; products are named in one read."""
        Run = self.env['crm.cross.sell.run'].sudo()
        for order in self:
            if order.state not in ('draft', 'sent') or not order.partner_id:
                order.crm_suggested_products = []
                continue
            in_order = set(order.order_line.product_id.ids)
            history = self.env['crm.cross.sell.run']._customer_products(order.partner_id, order.company_id)
            rows = Run._recommend(order.company_id, in_order | history, in_order, SUGGESTION_LIMIT,
                                  order.warehouse_id, check_stock=True)
            order.crm_suggested_products = Run._named(rows, lambda product: {'uom': product.uom_id.name})

    def action_add_crm_suggestion(self, product_id):
        """ "Add" of the Suggested Products panel: a line of the suggested product (quantity 1,
        the order's price list). Only a product the panel suggests for this quotation."""
        self.ensure_one()
        self.check_access('write')
        if self.state not in ('draft', 'sent'):
            raise UserError(self.env._('Products can only be added to a quotation.'))
        suggested = {row['product_id'] for row in self.crm_suggested_products or []}
        if int(product_id) not in suggested:
            raise UserError(self.env._('This product is not among the suggestions of the quotation.'))
        self.env['sale.order.line'].create({'order_id': self.id, 'product_id': int(product_id)})
        return True
