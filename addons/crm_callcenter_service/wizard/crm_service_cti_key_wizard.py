from odoo import api, fields, models


class CrmServiceCtiKeyWizard(models.TransientModel):
    """Generate a CTI webhook key and show it once: the key is never stored, only its hash (the
    second step reads it from the action's context, not from the database)."""

    _name = "crm.service.cti.key.wizard"
    _description = "New CTI webhook key"

    name = fields.Char(string="Description", required=True, help="Which PBX will use the key.")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    key_id = fields.Many2one("crm.service.cti.key", readonly=True)
    key = fields.Char(string="API Key", compute="_compute_key")

    @api.depends_context("crm_cti_new_key")
    def _compute_key(self):
        for wizard in self:
            wizard.key = (wizard.key_id and self.env.context.get("crm_cti_new_key")) or False

    def action_generate(self):
        self.ensure_one()
        self.check_access("write")
        record, key = self.env["crm.service.cti.key"]._generate(self.name, self.company_id)
        self.key_id = record
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Copy the API key now"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {**self.env.context, "crm_cti_new_key": key},
        }
