from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    crm_call_ids = fields.One2many("crm.service.call", "ticket_id", string="Calls")
    crm_call_count = fields.Integer(string="Call Count", compute="_compute_crm_call_count")

    @api.depends("crm_call_ids")
    def _compute_crm_call_count(self):
        counts = dict(
            self.env["crm.service.call"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.crm_call_count = counts.get(ticket, 0)

    def action_crm_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_callcenter_service.crm_service_call_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
