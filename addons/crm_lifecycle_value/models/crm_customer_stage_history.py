from odoo import fields, models

from .selections import STAGE_CODES, STAGE_SELECTION, selection_orderby


class CrmCustomerStageHistory(models.Model):
    """One lifecycle stage transition of a customer, written by the refresh run that saw it."""

    _name = 'crm.customer.stage.history'
    _description = 'Customer Lifecycle Stage History'
    _order = 'date desc, id desc'
    _rec_name = 'partner_id'
    _check_company_auto = True
    _log_access = False  # written in bulk by the refresh runs (run_id tells which one)

    partner_id = fields.Many2one(
        'res.partner', string='Customer', required=True, index=True, ondelete='cascade', readonly=True)
    company_id = fields.Many2one('res.company', required=True, ondelete='cascade', readonly=True)
    from_stage = fields.Selection(
        STAGE_SELECTION, readonly=True,
        help='Empty for the first classification of the customer.')
    to_stage = fields.Selection(STAGE_SELECTION, required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    run_id = fields.Many2one(
        'crm.lifecycle.run', readonly=True, index='btree_not_null', ondelete='set null')
    transition_count = fields.Integer(
        string='Transitions', default=1, readonly=True,
        help='Always 1: summed by the lifecycle flow pivot.')

    def _read_group_orderby(self, order, groupby_terms, query):
        """The Lifecycle Flow pivot lists the stages in lifecycle order, not alphabetically."""
        return selection_orderby(self, super()._read_group_orderby, order, groupby_terms, query,
                                 {'from_stage': STAGE_CODES, 'to_stage': STAGE_CODES})

    def _action_for_partners(self, partners, companies):
        action = self.env['ir.actions.act_window']._for_xml_id(
            'crm_lifecycle_value.crm_customer_stage_history_action')
        action['domain'] = [
            ('partner_id', 'in', partners.commercial_partner_id.ids),
            ('company_id', 'in', companies.ids),
        ]
        action['context'] = {'search_default_group_by_partner': 0}
        return action
