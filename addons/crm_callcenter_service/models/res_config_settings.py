from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_service_risk_share = fields.Float(related="company_id.crm_service_risk_share", readonly=False)
    crm_call_target_seconds = fields.Integer(related="company_id.crm_call_target_seconds", readonly=False)
    crm_call_target_service_level = fields.Float(
        related="company_id.crm_call_target_service_level", readonly=False
    )
    crm_call_short_abandon_seconds = fields.Integer(
        related="company_id.crm_call_short_abandon_seconds", readonly=False
    )
    crm_call_fcr_days = fields.Integer(related="company_id.crm_call_fcr_days", readonly=False)
    crm_cti_key_count = fields.Integer(compute="_compute_crm_cti_key_count")

    def _compute_crm_cti_key_count(self):
        for settings in self:
            settings.crm_cti_key_count = (
                self.env["crm.service.cti.key"]
                .sudo()
                .search_count([("company_id", "=", settings.company_id.id)])
            )

    def action_crm_cti_keys(self):
        """The company's CTI webhook keys (generate, revoke)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("CTI Webhook Keys"),
            "res_model": "crm.service.cti.key",
            "view_mode": "list,form",
            "domain": [("company_id", "=", self.company_id.id)],
            "context": {"default_company_id": self.company_id.id, "active_test": False},
        }
