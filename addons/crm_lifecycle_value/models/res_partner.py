from odoo import api, fields, models

from .figures import PARTNER_FIGURES, figure_field

USER_GROUP = 'crm_suite_base.group_crm_intelligence_user'

class ResPartner(models.Model):
    _inherit = 'res.partner'

    crm_value_id = fields.Many2one(
        'crm.customer.value', string='Customer Value', compute='_compute_crm_value_id',
        groups=USER_GROUP, help='Lifecycle and value figures of the commercial entity in the '
                                'current company.')
    crm_value_currency_id = fields.Many2one(
        'res.currency', compute='_compute_crm_value_id', string='Value Currency', groups=USER_GROUP)
    crm_value_prediction_available = fields.Boolean(
        compute='_compute_crm_value_id', string='Predictions Available', groups=USER_GROUP)
    # the figures of the Value tab (models/figures.py), same labels as everywhere else
    for _fname, _figure in PARTNER_FIGURES.items():
        locals()[_fname] = figure_field(
            _figure, compute='_compute_crm_value_id', groups=USER_GROUP, readonly=True,
            currency_field='crm_value_currency_id', group_expand=None, aggregator=None)
    del _fname, _figure

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
            partner.crm_value_currency_id = value.currency_id
            partner.crm_value_prediction_available = value.prediction_available
            for fname, source in PARTNER_FIGURES.items():
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
