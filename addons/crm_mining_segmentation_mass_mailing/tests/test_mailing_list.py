from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.crm_mining_segmentation.tests.common import SegmentationCommon


@tagged('post_install', '-at_install')
class TestSegmentMailingList(SegmentationCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref('mass_mailing.group_mass_mailing_user')
        cls.champions = cls.env.ref('crm_mining_segmentation.crm_segment_rfm_champions')
        cls.members = cls.env['res.partner'].browse(cls.champions._member_partner_ids())

    def _wizard(self, **vals):
        return self.env['crm.segment.action.wizard'].create(
            {'segment_id': self.champions.id, 'action': 'mailing_list', **vals})

    def test_new_list_then_update(self):
        self.members[0].email = False  # no address: not reachable
        existing = self.env['mailing.contact'].create({'name': 'Known', 'email': self.members[1].email})
        wizard = self._wizard(mailing_list_name='SEG Champions')
        self.assertEqual(wizard.target_count, len(self.members) - 1)
        wizard.action_apply()
        mailing_list = self.env['mailing.list'].search([('name', '=', 'SEG Champions')])
        self.assertEqual(len(mailing_list), 1)
        contacts = mailing_list.contact_ids
        self.assertEqual(len(contacts), len(self.members) - 1)
        self.assertIn(existing, contacts, 'the mailing contact with the same address is reused')
        same_address = [('email_normalized', '=', existing.email_normalized)]
        self.assertEqual(self.env['mailing.contact'].search_count(same_address), 1)
        self.assertIn('SEG Champions', self.champions.message_ids[0].body)
        # updating the list: only the member who got an address since is added
        self.members[0].email = 'seg.late@example.com'
        wizard = self._wizard(mailing_list_id=mailing_list.id)
        self.assertEqual(wizard.target_count, 1)
        wizard.action_apply()
        self.assertEqual(len(mailing_list.contact_ids), len(self.members))
        with self.assertRaises(UserError):
            self._wizard(mailing_list_id=mailing_list.id).action_apply()

    def test_list_required(self):
        with self.assertRaises(UserError):
            self._wizard().action_apply()
