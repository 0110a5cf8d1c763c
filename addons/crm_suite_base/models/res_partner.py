from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_open_crm_transactions(self):
        """The customer cube of this customer (its commercial partner), from the Intelligence tab."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_suite_base.action_crm_suite_customer_transaction")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
