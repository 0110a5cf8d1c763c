from odoo import models


class CrmSuiteCustomerLine(models.AbstractModel):
    """The row of a customer in a report of the suite (segment members, customer values, churn
    risk): its *Customer* button opens the partner's form. The inheriting model has a ``partner_id``."""

    _name = "crm.suite.customer.line"
    _description = "CRM Intelligence Customer Row"

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
