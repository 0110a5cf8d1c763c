from odoo import models
from odoo.tools import format_amount, format_date


class CrmServiceCall(models.Model):
    _inherit = "crm.service.call"

    def _screen_pop_facts(self, partner):
        """The customer's published value figures in the call's company: value tier, lifecycle stage,
        predicted and historical lifetime value, probability of being alive, last purchase (read as
        superuser: the agent sees the card's figures without the Intelligence groups)."""
        facts = super()._screen_pop_facts(partner)
        value = (
            self.env["crm.customer.value"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("company_id", "=", self.company_id.id)], limit=1)
        )
        if not value:
            return facts
        fields_ = value._fields
        currency = value.currency_id or self.company_id.currency_id

        def label(name):
            return fields_[name]._description_string(self.env)

        def choice(name):
            return dict(fields_[name]._description_selection(self.env)).get(value[name], "")

        facts += [
            {"label": label("tier"), "value": choice("tier")},
            {"label": label("stage"), "value": choice("stage")},
        ]
        if value.prediction_available:
            facts.append(
                {
                    "label": label("predicted_clv"),
                    "value": format_amount(self.env, value.predicted_clv, currency),
                }
            )
            facts.append({"label": label("p_alive"), "value": f"{value.p_alive * 100:.0f} %"})
        facts.append(
            {
                "label": label("historical_clv"),
                "value": format_amount(self.env, value.historical_clv, currency),
            }
        )
        if value.last_purchase_date:
            facts.append(
                {
                    "label": label("last_purchase_date"),
                    "value": format_date(self.env, value.last_purchase_date),
                }
            )
        return [fact for fact in facts if fact["value"]]
