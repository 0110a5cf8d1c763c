from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

MANAGER_GROUP = 'crm_suite_base.group_crm_intelligence_manager'
#: records an action creates at most in one web request (opportunities and activities cost the most)
MAX_CREATE_MEMBERS = 2000
#: the bulk creations log no creation message and track nothing (one chatter entry on the segment)
QUIET_CREATE = {'mail_create_nolog': True, 'mail_create_nosubscribe': True, 'tracking_disable': True}


class CrmSegmentActionWizard(models.TransientModel):
    """Act on the members of a segment in one step: tag them, assign a salesperson or sales team,
    create opportunities, schedule activities (and, with mass mailing, fill a mailing list).

    The wizard shows how many customers the action reaches before it is applied; the segment's
    chatter logs what was done. Every action is a bulk write on the member set (one ORM call for
    all members), never one call per member.
    """

    _name = 'crm.segment.action.wizard'
    _description = 'Act on a Customer Segment'

    segment_id = fields.Many2one('crm.segment', required=True, ondelete='cascade')
    action = fields.Selection(
        [('add_tag', 'Add a Tag'),
         ('remove_tag', 'Remove a Tag'),
         ('assign', 'Assign Salesperson / Sales Team'),
         ('opportunity', 'Create Opportunities'),
         ('activity', 'Schedule Activities')],
        required=True, default='add_tag')
    tag_id = fields.Many2one('res.partner.category')
    user_id = fields.Many2one(
        'res.users', string='Salesperson', domain="[('share', '=', False)]",
        help='Assign: the members\' new salesperson. Opportunities and activities: who gets them '
             '(empty: each customer\'s salesperson, else you).')
    team_id = fields.Many2one(
        'crm.team', string='Sales Team',
        domain="['|', ('company_id', '=', False), ('company_id', '=', current_company_id)]",
        help='Assign: the open opportunities of the members move to this team. Opportunities: '
             'their team.')
    campaign_id = fields.Many2one(
        'utm.campaign',
        help='The opportunities belong to this campaign; members that already have an open '
             'opportunity of it are skipped. Empty: a campaign named after the segment.')
    opportunity_name = fields.Char(
        string='Opportunity Title', help='Empty: the segment and the customer\'s name.')
    activity_type_id = fields.Many2one('mail.activity.type')
    activity_summary = fields.Char(string='Summary')
    activity_date_deadline = fields.Date(string='Due Date', default=fields.Date.context_today)
    note = fields.Html()
    member_count = fields.Integer(string='Members', compute='_compute_preview')
    target_count = fields.Integer(
        string='Customers Reached', compute='_compute_preview',
        help='Members the action will change (opportunities: without an open one of the campaign).')
    preview = fields.Char(compute='_compute_preview')

    def _preview_depends(self):
        """Fields the preview depends on (extended by the optional integrations)."""
        return ['segment_id', 'action', 'campaign_id', 'tag_id']

    @api.depends(lambda self: self._preview_depends())
    def _compute_preview(self):
        for wizard in self:
            members = wizard._member_ids() if wizard.segment_id else []
            targets = wizard._target_ids(members) if wizard.segment_id else []
            wizard.member_count = len(members)
            wizard.target_count = len(targets)
            wizard.preview = self.env._(
                '%(targets)s of the %(members)s members of the segment will be changed.',
                targets=len(targets), members=len(members))

    # ------------------------------------------------------------------------------------------
    # members
    # ------------------------------------------------------------------------------------------
    def _member_ids(self):
        return self.segment_id._member_partner_ids()

    def _target_ids(self, member_ids):
        """The members the action changes."""
        if not member_ids:
            return []
        if self.action in ('add_tag', 'remove_tag') and self.tag_id:
            self.env['res.partner'].flush_model(['category_id'])
            tagged = {row[0] for row in self.env.execute_query(SQL(
                """SELECT partner_id FROM res_partner_res_partner_category_rel
                    WHERE category_id = %s AND partner_id = ANY(%s)""", self.tag_id.id, member_ids))}
            if self.action == 'add_tag':
                return [pid for pid in member_ids if pid not in tagged]
            return [pid for pid in member_ids if pid in tagged]
        if self.action == 'opportunity' and self.campaign_id:
            busy = set(self._open_opportunity_partners(member_ids))
            return [pid for pid in member_ids if pid not in busy]
        return list(member_ids)

    def _open_opportunity_partners(self, member_ids):
        """Members with an open opportunity of the campaign in the current company."""
        leads = self.env['crm.lead'].sudo().search([
            ('type', '=', 'opportunity'), ('campaign_id', '=', self.campaign_id.id),
            ('partner_id', 'child_of', member_ids), ('won_status', '=', 'pending'),
            ('company_id', 'in', [self.env.company.id, False])])
        return leads.partner_id.commercial_partner_id.ids

    # ------------------------------------------------------------------------------------------
    # applying
    # ------------------------------------------------------------------------------------------
    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._('Only CRM Intelligence managers can act on segments.'))
        self._check_parameters()
        members = self._member_ids()
        targets = self._target_ids(members)
        if not targets:
            raise UserError(self.env._('No member of %(segment)s would be changed by this action.',
                                       segment=self.segment_id.display_name))
        if self.action in ('opportunity', 'activity') and len(targets) > MAX_CREATE_MEMBERS:
            raise UserError(self.env._(
                'The action would create %(count)s records in one step (at most %(max)s): act on a '
                'smaller segment or a filtered copy of it.', count=len(targets), max=MAX_CREATE_MEMBERS))
        partners = self.env['res.partner'].browse(targets)
        summary = getattr(self, f'_apply_{self.action}')(partners, len(members) - len(targets))
        self.segment_id.message_post(body=Markup('<p>%s</p>') % summary)
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {
                'type': 'success',
                'message': summary,
                'next': {'type': 'ir.actions.act_window_close'},
            },
        }

    def _check_parameters(self):
        if self.action == 'add_tag' and not self.tag_id:
            raise UserError(self.env._('Choose the tag to add.'))
        if self.action == 'remove_tag' and not self.tag_id:
            raise UserError(self.env._('Choose the tag to remove.'))
        if self.action == 'activity' and not self.activity_type_id:
            raise UserError(self.env._('Choose the type of the activities.'))
        if self.action == 'assign' and not (self.user_id or self.team_id):
            raise UserError(self.env._('Choose a salesperson, a sales team or both.'))

    def _apply_add_tag(self, partners, skipped):
        partners.write({'category_id': [Command.link(self.tag_id.id)]})
        return self.env._('Tag %(tag)s added to %(count)s customers by %(user)s.',
                          tag=self.tag_id.display_name, count=len(partners), user=self.env.user.name)

    def _apply_remove_tag(self, partners, skipped):
        partners.write({'category_id': [Command.unlink(self.tag_id.id)]})
        return self.env._('Tag %(tag)s removed from %(count)s customers by %(user)s.',
                          tag=self.tag_id.display_name, count=len(partners), user=self.env.user.name)

    def _apply_assign(self, partners, skipped):
        notes = []
        if self.user_id:
            partners.write({'user_id': self.user_id.id})
            notes.append(self.env._('%(count)s customers assigned to %(user)s.',
                                    count=len(partners), user=self.user_id.name))
        if self.team_id:
            leads = self.env['crm.lead'].search([
                ('partner_id', 'child_of', partners.ids), ('won_status', '=', 'pending'),
                ('company_id', 'in', [self.env.company.id, False])])
            vals = {'team_id': self.team_id.id}
            if self.user_id:
                vals['user_id'] = self.user_id.id
            leads.write(vals)
            notes.append(self.env._('%(count)s open opportunities moved to the team %(team)s.',
                                    count=len(leads), team=self.team_id.name))
        notes.append(self.env._('(by %(user)s)', user=self.env.user.name))
        return ' '.join(notes)

    def _campaign(self):
        if not self.campaign_id:
            self.campaign_id = self.env['utm.campaign'].create({
                'name': self.env._('Segment %(segment)s, %(date)s', segment=self.segment_id.name,
                                   date=fields.Date.context_today(self)),
            })
        return self.campaign_id

    def _apply_opportunity(self, partners, skipped):
        campaign = self._campaign()
        company = self.env.company
        vals_list = []
        for partner in partners:
            # the customer's salesperson when allowed in this company, else the user who acts
            salesperson = partner.user_id if company in partner.user_id.company_ids else self.env.user
            vals = {
                'type': 'opportunity',
                'name': self.opportunity_name or self.env._(
                    '%(segment)s: %(customer)s', segment=self.segment_id.name, customer=partner.name),
                'partner_id': partner.id,
                'user_id': (self.user_id or salesperson).id,
                'campaign_id': campaign.id,
                'company_id': company.id,
                'description': self.note or False,
            }
            if self.team_id:
                vals['team_id'] = self.team_id.id
            vals_list.append(vals)
        self.env['crm.lead'].with_context(**QUIET_CREATE).create(vals_list)
        return self.env._(
            '%(count)s opportunities created in the campaign %(campaign)s by %(user)s (%(skipped)s '
            'members already had an open one).', count=len(vals_list), campaign=campaign.name,
            user=self.env.user.name, skipped=skipped)

    def _apply_activity(self, partners, skipped):
        model_id = self.env['ir.model']._get_id('res.partner')
        vals_list = [{
            'res_model_id': model_id,
            'res_id': partner.id,
            'activity_type_id': self.activity_type_id.id,
            'summary': self.activity_summary or self.segment_id.name,
            'note': self.note or False,
            'date_deadline': self.activity_date_deadline or fields.Date.context_today(self),
            'user_id': (self.user_id or partner.user_id or self.env.user).id,
        } for partner in partners]
        activities = self.env['mail.activity'].with_context(mail_activity_quick_update=True, **QUIET_CREATE)
        activities.create(vals_list)
        return self.env._('%(count)s activities "%(type)s" scheduled by %(user)s.',
                          count=len(vals_list), type=self.activity_type_id.name, user=self.env.user.name)
