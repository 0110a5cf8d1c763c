from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_cti_extension = fields.Char(
        string="PBX Extension",
        copy=False,
        help="The agent's extension or login in the PBX: the webhook's 'agent' is matched against it "
        "(then against the user's login).",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "crm_cti_extension"]
