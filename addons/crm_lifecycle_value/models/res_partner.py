from odoo import api, fields, models

from .selections import QUADRANT_SELECTION, STAGE_SELECTION, TIER_SELECTION

USER_GROUP = 'crm_suite_base.group_crm_intelligence_user'
# partner field -> crm.customer.value field
VALUE_FIELDS = {
    'crm_value_currency_id': 'currency_id',
    'crm_value_stage': 'stage',
    'crm_value_stage_since': 'stage_since',
    'crm_value_tier': 'tier',
    'crm_value_quadrant': 'value_quadrant',
    'crm_value_p_alive': 'p_alive',
    'crm_value_at_risk': 'at_risk',
    'crm_value_first_purchase': 'first_purchase_date',
    'crm_value_last_purchase': 'last_purchase_date',
    'crm_value_purchase_count': 'purchase_count',
    'crm_value_revenue': 'revenue',
    'crm_value_historical_clv': 'historical_clv',
    'crm_value_predicted_clv': 'predicted_clv',
    'crm_value_retention_clv': 'retention_clv',
    'crm_value_expected_purchases': 'expected_purchases',
    'crm_value_expected_value': 'expected_value',
}


class ResPartner(models.Model):
    _inherit = 'res.partner'

    crm_value_id = fields.Many2one(
        'crm.customer.value', string='Customer Value', compute='_compute_crm_value_id',
        groups=USER_GROUP, help='Lifecycle and value figures of the commercial entity in the '
                                'current company.')
    crm_value_currency_id = fields.Many2one(
        'res.currency', compute='_compute_crm_value_id', string='Value Currency', groups=USER_GROUP)
    crm_value_stage = fields.Selection(
        STAGE_SELECTION, compute='_compute_crm_value_id', string='Lifecycle Stage', groups=USER_GROUP)
    crm_value_stage_since = fields.Date(
        compute='_compute_crm_value_id', string='Stage Since', groups=USER_GROUP)
    crm_value_tier = fields.Selection(
        TIER_SELECTION, compute='_compute_crm_value_id', string='Value Tier', groups=USER_GROUP)
    crm_value_quadrant = fields.Selection(
        QUADRANT_SELECTION, compute='_compute_crm_value_id', string='Value Matrix',
        groups=USER_GROUP)
    crm_value_p_alive = fields.Float(
        compute='_compute_crm_value_id', string='P(alive)', groups=USER_GROUP)
    crm_value_at_risk = fields.Boolean(
        compute='_compute_crm_value_id', string='At Risk', groups=USER_GROUP)
    crm_value_first_purchase = fields.Date(
        compute='_compute_crm_value_id', string='First Purchase', groups=USER_GROUP)
    crm_value_last_purchase = fields.Date(
        compute='_compute_crm_value_id', string='Last Purchase', groups=USER_GROUP)
    crm_value_purchase_count = fields.Integer(
        compute='_compute_crm_value_id', string='Purchases', groups=USER_GROUP)
    crm_value_revenue = fields.Monetary(
        compute='_compute_crm_value_id', string='Revenue (window)',
        currency_field='crm_value_currency_id', groups=USER_GROUP)
    crm_value_historical_clv = fields.Monetary(
        compute='_compute_crm_value_id', string='Historical CLV',
        currency_field='crm_value_currency_id', groups=USER_GROUP)
    crm_value_predicted_clv = fields.Monetary(
        compute='_compute_crm_value_id', string='Predicted CLV',
        currency_field='crm_value_currency_id', groups=USER_GROUP)
    crm_value_retention_clv = fields.Monetary(
        compute='_compute_crm_value_id', string='Retention CLV',
        currency_field='crm_value_currency_id', groups=USER_GROUP)
    crm_value_expected_purchases = fields.Float(
        compute='_compute_crm_value_id', string='Expected Purchases', groups=USER_GROUP)
    crm_value_expected_value = fields.Monetary(
        compute='_compute_crm_value_id', string='Expected Revenue',
        currency_field='crm_value_currency_id', groups=USER_GROUP)

    @api.depends_context('company')
    @api.depends('commercial_partner_id')
    def _compute_crm_value_id(self):
        """One query for all partners: the value row of each commercial entity."""
        commercial = self.commercial_partner_id
        values = self.env['crm.customer.value'].search([
            ('partner_id', 'in', commercial.ids),
            ('company_id', '=', self.env.company.id),
        ]) if commercial.ids else self.env['crm.customer.value']
        by_partner = {value.partner_id.id: value for value in values}
        empty = self.env['crm.customer.value']
        for partner in self:
            value = by_partner.get(partner.commercial_partner_id.id, empty)
            partner.crm_value_id = value
            for fname, source in VALUE_FIELDS.items():
                partner[fname] = value[source] if value else False

    def action_open_crm_value(self):
        self.ensure_one()
        value = self.crm_value_id
        if not value:
            return False
        return {
            'type': 'ir.actions.act_window',
            'name': self.env._('Customer Value'),
            'res_model': 'crm.customer.value',
            'res_id': value.id,
            'view_mode': 'form',
            'views': [(False, 'form')],
        }

    def action_open_crm_stage_history(self):
        self.ensure_one()
        return self.env['crm.customer.stage.history']._action_for_partners(self, self.env.company)
