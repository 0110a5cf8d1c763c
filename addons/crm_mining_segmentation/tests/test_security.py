from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SegmentationCommon


@tagged('post_install', '-at_install')
class TestSegmentationSecurity(SegmentationCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name='SEG Company B')['company']
        partner_b = cls.env['res.partner'].create({'name': 'SEG B Customer', 'is_company': True})
        cls._suite_invoice(partner_b, cls.today, [(cls.product, 2, 500.0)], company=cls.company_b)
        cls._suite_invoice(partner_b, cls.today.replace(day=1), [(cls.product, 1, 100.0)],
                           company=cls.company_b)
        cls.run_b = cls.Run._refresh_company_now(cls.company_b)
        cls.partner_b = partner_b
        cls.user_a = new_test_user(
            cls.env, login='seg_user_a', groups='crm_suite_base.group_crm_intelligence_user',
            company_id=cls.company.id, company_ids=[cls.company.id])
        cls.user_b = new_test_user(
            cls.env, login='seg_user_b', groups='crm_suite_base.group_crm_intelligence_manager',
            company_id=cls.company_b.id, company_ids=[cls.company_b.id])
        cls.sales_only = new_test_user(
            cls.env, login='seg_sales', groups='sales_team.group_sale_salesman', company_id=cls.company.id)

    def test_company_b_sees_only_its_own(self):
        self.assertEqual(self.run_b.customer_count, 1)
        Member = self.Member.with_user(self.user_b)
        self.assertEqual(Member.search([]).partner_id, self.partner_b)
        runs = self.Run.with_user(self.user_b).search([])
        self.assertEqual(runs.company_id, self.company_b)
        clusters = self.Segment.with_user(self.user_b).search([('kind', '=', 'cluster')])
        self.assertEqual(clusters.company_id, self.company_b)
        self.assertFalse(self.env['crm.segment.transition'].with_user(self.user_b).search(
            [('company_id', '=', self.company.id)]))
        with self.assertRaises(AccessError):
            self.first_run.with_user(self.user_b).read(['customer_count'])
        cluster_a = self._member(self.groups['Champion'][0]).cluster_segment_id
        with self.assertRaises(AccessError):
            cluster_a.with_user(self.user_b).read(['name'])
        # the shared RFM segments count the reader's company's members only
        champions = self._rfm_segment('champions').with_user(self.user_b)
        self.assertLessEqual(champions.member_count, 1)
        self.assertEqual(self._rfm_segment('champions').member_count,
                         self.Member.search_count([('rfm_segment_id', '=', self._rfm_segment('champions').id),
                                                   ('company_id', '=', self.company.id)]))

    def test_more_clusters_than_customers(self):
        """A company with one customer and 5 clusters in its settings: the clusters are capped, the
        run completes (its RFM segments are refreshed)."""
        self.company_b.crm_seg_cluster_count = 5
        run = self.Run._refresh_company_now(self.company_b)
        self.assertEqual(run.state, 'done')
        self.assertEqual(run.cluster_count, 1)
        self.assertTrue(run.published)

    def test_company_a_user_reads_but_cannot_refresh(self):
        Member = self.Member.with_user(self.user_a)
        self.assertEqual(Member.search([]).company_id, self.company)
        self.assertNotIn(self.partner_b, Member.search([]).partner_id)
        with self.assertRaises(AccessError):
            self.Run.with_user(self.user_a).action_refresh_company()
        with self.assertRaises(AccessError):
            self.Segment.with_user(self.user_a).create({'name': 'x', 'kind': 'manual'})
        with self.assertRaises(AccessError):
            self.env['crm.segmentation.run.line'].with_user(self.user_a).search([])

    def test_no_access_without_the_group(self):
        with self.assertRaises(AccessError):
            self.Member.with_user(self.sales_only).search([])
        with self.assertRaises(AccessError):
            self.Segment.with_user(self.sales_only).search([])
        partner = self.groups['Champion'][0].with_user(self.sales_only)
        self.assertNotIn('crm_rfm_code', partner.fields_get())
