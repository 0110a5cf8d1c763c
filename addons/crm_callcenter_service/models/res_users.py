from odoo import api, fields, models

#: the fields of the CTI webhook's directory of agents (crm.service.cti._directory)
DIRECTORY_FIELDS = {
    "crm_cti_extension",
    "login",
    "company_ids",
    "active",
    "share",
    "group_ids",
    "helpdesk_team_ids",
}


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_cti_extension = fields.Char(
        string="PBX Extension",
        copy=False,
        help="The agent's extension or login in the PBX: the webhook's 'agent' is matched against it "
        "(then against the user's login).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        self.env["crm.service.cti"]._clear_directory()
        return users

    def write(self, vals):
        if DIRECTORY_FIELDS & set(vals):
            self.env["crm.service.cti"]._clear_directory()
        return super().write(vals)

    def unlink(self):
        self.env["crm.service.cti"]._clear_directory()
        return super().unlink()

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "crm_cti_extension"]
