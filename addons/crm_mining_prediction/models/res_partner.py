from odoo import api, fields, models

from .crm_churn_run_line import BAND_SELECTION


class ResPartner(models.Model):
    _inherit = 'res.partner'

    crm_churn_member_id = fields.Many2one(
        'crm.churn.member',
        compute='_compute_crm_churn',
        compute_sudo=False,
        groups='crm_suite_base.group_crm_intelligence_user',
    )
    crm_churn_probability = fields.Float(
        string='Churn Risk',
        compute='_compute_crm_churn',
        digits=(16, 4),
        groups='crm_suite_base.group_crm_intelligence_user',
        help='Probability that the customer buys nothing within the churn horizon (published churn run).',
    )
    crm_churn_band = fields.Selection(
        BAND_SELECTION,
        string='Churn Risk Band',
        compute='_compute_crm_churn',
        groups='crm_suite_base.group_crm_intelligence_user',
    )
    crm_recommended_products = fields.Json(
        string='Recommended Products',
        compute='_compute_crm_recommended_products',
        groups='crm_suite_base.group_crm_intelligence_user',
        help='What customers who bought the same products also bought, and this customer not yet '
        '(published cross-sell rules).',
    )

    @api.depends_context('company')
    def _compute_crm_churn(self):
        """The customer's churn figures in the current company: one read of the published run."""
        members = self.env['crm.churn.member'].search_fetch(
            [('partner_id', 'in', self.commercial_partner_id.ids), ('company_id', '=', self.env.company.id)],
            ['partner_id', 'churn_probability', 'risk_band'],
        )
        by_partner = {member.partner_id.id: member for member in members}
        for partner in self:
            member = by_partner.get(partner.commercial_partner_id.id, self.env['crm.churn.member'])
            partner.crm_churn_member_id = member
            partner.crm_churn_probability = member.churn_probability
            partner.crm_churn_band = member.risk_band

    @api.depends_context('company')
    def _compute_crm_recommended_products(self):
        Run = self.env['crm.cross.sell.run'].sudo()
        company = self.env.company
        for partner in self:
            if not partner.id:
                partner.crm_recommended_products = []
                continue
            owned = self.env['crm.cross.sell.run']._customer_products(partner, company)
            rows = Run._recommend(company, owned, owned, 8)
            partner.crm_recommended_products = Run._named(rows)

    def action_open_crm_churn(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'crm_mining_prediction.crm_churn_member_action'
        )
        action['domain'] = [('partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {}
        return action
