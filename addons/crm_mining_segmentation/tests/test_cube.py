from odoo.tests import tagged

from .common import SegmentationCommon


@tagged('post_install', '-at_install')
class TestSegmentCube(SegmentationCommon):

    def test_revenue_by_segment(self):
        """The customer cube by RFM segment and by cluster: the revenue of each segment is the
        revenue of its members' invoices (hand-computed from the fixture's prices)."""
        Cube = self.env['crm.suite.customer.transaction']
        champions = self.groups['Champion']
        cluster = self._member(champions[0]).cluster_segment_id
        groups = dict(Cube._read_group(
            [('company_id', '=', self.company.id)], ['cluster_segment_id'], ['revenue:sum']))
        expected = sum(12 * 900.0 * (1 + 0.02 * index) for index in range(len(champions)))
        self.assertAlmostEqual(groups[cluster], expected, places=2)
        by_rfm = dict(Cube._read_group(
            [('company_id', '=', self.company.id)], ['rfm_segment_id'], ['revenue:sum']))
        for segment, revenue in by_rfm.items():
            if segment:
                members = self.Member.search([('rfm_segment_id', '=', segment.id)])
                self.assertAlmostEqual(revenue, sum(members.mapped('monetary')), places=2)
        # the refund-only customer is in no segment: its line has none
        self.assertAlmostEqual(by_rfm[self.Segment], -80.0, places=2)
        # segment x month in one grouped read
        rows = Cube._read_group([('company_id', '=', self.company.id)],
                                ['rfm_segment_id', 'date:month'], ['revenue:sum'])
        self.assertAlmostEqual(sum(row[2] for row in rows), sum(by_rfm.values()), places=2)
