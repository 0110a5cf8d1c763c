from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    crm_service_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Service Case",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The case whose service recovery created this return.",
    )
