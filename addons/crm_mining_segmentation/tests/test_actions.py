from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SegmentationCommon


@tagged('post_install', '-at_install')
class TestSegmentActions(SegmentationCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.champions = cls.env.ref('crm_mining_segmentation.crm_segment_rfm_champions')
        cls.members = cls.env['res.partner'].browse(cls.champions._member_partner_ids())
        cls.tag = cls.env['res.partner.category'].create({'name': 'SEG VIP'})
        cls.team = cls.env['crm.team'].sudo().create({'name': 'SEG Key Accounts'})
        # the manager acting on segments also works in the CRM (writes opportunities)
        cls.env.user.group_ids |= cls.env.ref('sales_team.group_sale_manager')

    def _wizard(self, **vals):
        return self.env['crm.segment.action.wizard'].create({'segment_id': self.champions.id, **vals})

    def test_members_exist(self):
        self.assertGreaterEqual(len(self.members), 4)

    def test_add_and_remove_tag(self):
        self.members[0].category_id = self.tag
        wizard = self._wizard(action='add_tag', tag_id=self.tag.id)
        self.assertEqual(wizard.member_count, len(self.members))
        self.assertEqual(wizard.target_count, len(self.members) - 1, 'the tagged member is not counted')
        wizard.action_apply()
        self.assertTrue(all(self.tag in partner.category_id for partner in self.members))
        self.assertIn('SEG VIP', self.champions.message_ids[0].body)
        self.assertIn(str(len(self.members) - 1), self.champions.message_ids[0].body)
        self._wizard(action='remove_tag', tag_id=self.tag.id).action_apply()
        self.assertFalse(any(self.tag in partner.category_id for partner in self.members))
        with self.assertRaises(UserError):
            self._wizard(action='remove_tag', tag_id=self.tag.id).action_apply()

    def test_assign_salesperson_and_team(self):
        lead = self.env['crm.lead'].create({
            'name': 'SEG open deal', 'type': 'opportunity', 'partner_id': self.members[0].id})
        self._wizard(action='assign', user_id=self.salesman.id, team_id=self.team.id).action_apply()
        self.assertEqual(self.members.user_id, self.salesman)
        self.assertEqual(lead.team_id, self.team)
        self.assertEqual(lead.user_id, self.salesman)
        others = self.env['res.partner'].browse(
            self.env.ref('crm_mining_segmentation.crm_segment_rfm_lost')._member_partner_ids())
        self.assertFalse(others.user_id, 'customers of other segments are untouched')
        with self.assertRaises(UserError):
            self._wizard(action='assign').action_apply()

    def test_create_opportunities_once_per_campaign(self):
        campaign = self.env['utm.campaign'].create({'name': 'SEG Spring'})
        self.env['crm.lead'].create({
            'name': 'existing', 'type': 'opportunity', 'partner_id': self.members[0].id,
            'campaign_id': campaign.id})
        wizard = self._wizard(action='opportunity', campaign_id=campaign.id, team_id=self.team.id)
        self.assertEqual(wizard.target_count, len(self.members) - 1)
        wizard.action_apply()
        self.assertIn('(1 members already had an open one)', self.champions.message_ids[0].body)
        leads = self.env['crm.lead'].search([('campaign_id', '=', campaign.id)])
        self.assertEqual(len(leads), len(self.members))
        self.assertEqual(leads.partner_id, self.members)
        created = leads.filtered(lambda lead: lead.name != 'existing')
        self.assertEqual(created.team_id, self.team)
        # applied again: every member has one now
        with self.assertRaises(UserError):
            self._wizard(action='opportunity', campaign_id=campaign.id).action_apply()
        self.assertEqual(self.env['crm.lead'].search_count([('campaign_id', '=', campaign.id)]),
                         len(self.members))

    def test_opportunities_without_campaign(self):
        self._wizard(action='opportunity').action_apply()
        campaign = self.env['crm.lead'].search([('partner_id', 'in', self.members.ids)]).campaign_id
        self.assertEqual(len(campaign), 1)
        self.assertIn(self.champions.name, campaign.name)

    def test_schedule_activities(self):
        activity_type = self.env.ref('mail.mail_activity_data_call')
        self.members[0].user_id = self.salesman
        self._wizard(action='activity', activity_type_id=activity_type.id,
                     activity_summary='Call back').action_apply()
        activities = self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'), ('res_id', 'in', self.members.ids),
            ('summary', '=', 'Call back')])
        self.assertEqual(len(activities), len(self.members))
        self.assertEqual(activities.filtered(lambda a: a.res_id == self.members[0].id).user_id, self.salesman)
        self.assertEqual(set((activities.filtered(lambda a: a.res_id != self.members[0].id)).user_id.ids),
                         {self.env.user.id}, 'without salesperson: the user who acts')

    def test_manual_segment(self):
        segment = self.Segment.create({
            'name': 'SEG Newcomers by name', 'kind': 'manual',
            'domain': "[('name', 'ilike', 'SEG Newcomer')]"})
        self.assertEqual(segment.member_count, 8)
        self.env['crm.segment.action.wizard'].create({
            'segment_id': segment.id, 'action': 'add_tag', 'tag_id': self.tag.id}).action_apply()
        self.assertEqual(self.groups['Newcomer'].category_id, self.tag)
        with self.assertRaises(ValidationError):
            self.Segment.create({'name': 'SEG broken', 'kind': 'manual', 'domain': "[('name', '=',"})
        with self.assertRaises(ValidationError):
            self.Segment.create({'name': 'SEG unknown', 'kind': 'manual',
                                 'domain': "[('no_such_field', '=', 1)]"})

    def test_builtin_segments_are_protected(self):
        with self.assertRaises(UserError):
            self.champions.unlink()
        with self.assertRaises(UserError):
            self.champions.write({'code': 'lost'})
        self.champions.write({'name': 'Our Champions', 'color': 3})  # allowed
        manual = self.Segment.create({'name': 'SEG temp', 'kind': 'manual'})
        manual.unlink()

    def test_only_managers_act(self):
        user = new_test_user(self.env, login='seg_reader',
                             groups='crm_suite_base.group_crm_intelligence_user')
        wizard = self._wizard(action='add_tag', tag_id=self.tag.id)
        with self.assertRaises(AccessError):
            wizard.with_user(user).action_apply()
        with self.assertRaises(AccessError):
            self.env['crm.segment.action.wizard'].with_user(user).create(
                {'segment_id': self.champions.id, 'action': 'add_tag'})
