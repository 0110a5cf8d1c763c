from odoo import fields, models


class CrmServiceRootCause(models.Model):
    """Why a complaint happened (product defect, delivery, billing, service...): complaints and their
    recovery cost are analysed by root cause."""

    _name = "crm.service.root.cause"
    _description = "Complaint root cause"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by every company.")
