from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    crm_service_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Service Case",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The case whose service recovery issued this credit note.",
    )
