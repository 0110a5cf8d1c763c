from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = 'res.partner'

    crm_segment_member_id = fields.Many2one(
        'crm.segment.member', compute='_compute_crm_segment', compute_sudo=False,
        groups='crm_suite_base.group_crm_intelligence_user')
    crm_rfm_code = fields.Char(
        string='RFM Code', compute='_compute_crm_segment',
        groups='crm_suite_base.group_crm_intelligence_user')
    crm_rfm_segment_id = fields.Many2one(
        'crm.segment', string='RFM Segment', compute='_compute_crm_segment',
        groups='crm_suite_base.group_crm_intelligence_user')
    crm_cluster_segment_id = fields.Many2one(
        'crm.segment', string='Cluster', compute='_compute_crm_segment',
        groups='crm_suite_base.group_crm_intelligence_user')

    @api.depends_context('company')
    def _compute_crm_segment(self):
        """The customer's segments in the current company (its commercial partner's): one read of
        the published segmentation run's lines, whatever the number of partners."""
        members = self.env['crm.segment.member'].search_fetch(
            [('partner_id', 'in', self.commercial_partner_id.ids), ('company_id', '=', self.env.company.id)],
            ['partner_id', 'rfm_code', 'rfm_segment_id', 'cluster_segment_id'])
        by_partner = {member.partner_id.id: member for member in members}
        for partner in self:
            member = by_partner.get(partner.commercial_partner_id.id, self.env['crm.segment.member'])
            partner.crm_segment_member_id = member
            partner.crm_rfm_code = member.rfm_code
            partner.crm_rfm_segment_id = member.rfm_segment_id
            partner.crm_cluster_segment_id = member.cluster_segment_id

    def action_open_crm_segments(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'crm_mining_segmentation.crm_segment_member_action')
        action['domain'] = [('partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {}
        return action
