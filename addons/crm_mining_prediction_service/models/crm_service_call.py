from odoo import models


class CrmServiceCall(models.Model):
    _inherit = 'crm.service.call'

    def _screen_pop_facts(self, partner):
        """The caller's churn risk band and probability from the published churn run of the call's
        company (read as superuser, like the rest of the card)."""
        facts = super()._screen_pop_facts(partner)
        member = (
            self.env['crm.churn.member']
            .sudo()
            .search([('partner_id', '=', partner.id), ('company_id', '=', self.company_id.id)], limit=1)
        )
        if member:
            selection = dict(member._fields['risk_band']._description_selection(self.env))
            band = selection.get(member.risk_band, '')
            facts.append({
                'label': member._fields['risk_band']._description_string(self.env),
                'value': f'{band} ({member.churn_probability * 100:.0f} %)',
            })
        return facts
