from odoo import api, models
from odoo.exceptions import ValidationError


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    @api.model_create_multi
    def create(self, vals_list):
        """A new team accepts the case types of the service center (helpdesk_type empties the team of a
        case whose type its team does not list)."""
        kinds = self.env["helpdesk.ticket.type"]._crm_case_types()
        for vals in vals_list:
            vals.setdefault("type_ids", [(6, 0, kinds.ids)])
        return super().create(vals_list)

    @api.constrains("use_sla", "resource_calendar_id")
    def _check_sla_calendar(self):
        for team in self:
            if team.use_sla and not team.resource_calendar_id:
                raise ValidationError(
                    self.env._(
                        "The team %(team)s uses SLAs: choose the working calendar its deadlines are "
                        "counted on.",
                        team=team.name,
                    )
                )
