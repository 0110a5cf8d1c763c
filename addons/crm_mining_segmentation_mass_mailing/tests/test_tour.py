from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_mining_segmentation.tests.common import SegmentationCommon


@tagged('post_install', '-at_install')
class TestSegmentTour(SegmentationCommon, HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login='seg_tour_manager', company_id=cls.company.id,
            groups='sales_team.group_sale_salesman,crm_suite_base.group_crm_intelligence_manager,'
                   'mass_mailing.group_mass_mailing_user')

    def test_rfm_grid_cell_and_mailing_list(self):
        self.start_tour('/odoo/action-crm_mining_segmentation.crm_segment_member_action_rfm_grid',
                        'crm_segment_rfm_grid_mailing', login='seg_tour_manager')
        mailing_list = self.env['mailing.list'].sudo().search([('name', '=', 'Champions tour list')])
        champions = self.env.ref('crm_mining_segmentation.crm_segment_rfm_champions')
        self.assertEqual(len(mailing_list.contact_ids), champions.with_company(self.company).member_count)
