from datetime import timedelta
from unittest.mock import patch

import numpy as np

from odoo.tests import tagged

from odoo.addons.crm_mining_segmentation.tests.common import SegmentationCommon


@tagged('post_install', '-at_install')
class TestSegmentationWithLifecycle(SegmentationCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lifecycle_run = cls.env['crm.lifecycle.run']._refresh_company_now(cls.company)

    def test_reads_the_published_lifecycle_figures(self):
        """Same window: the segmentation reads the lifecycle lines, not the invoices, and finds the
        same recency, frequency, monetary value and margin as from the facts."""
        run = self.Run.create({'company_id': self.company.id, 'date_from': self.lifecycle_run.date_from,
                               'date_to': self.lifecycle_run.date_to})
        self.assertEqual(run._lifecycle_run(), self.lifecycle_run)
        with patch.object(type(self.env['crm.suite.facts']), '_get_customer_facts',
                          side_effect=AssertionError('the facts are not read again')):
            from_lifecycle = run._load_customers()
        with patch.object(type(run), '_lifecycle_run', return_value=self.env['crm.lifecycle.run']):
            from_facts = run._load_customers()
        self.assertEqual(len(from_lifecycle['partner_ids']), 24)
        for key, values in from_facts.items():
            np.testing.assert_allclose(from_lifecycle[key], values, err_msg=key)

    def test_other_window_reads_the_facts(self):
        run = self.Run.create({'company_id': self.company.id, 'date_from': self.lifecycle_run.date_from,
                               'date_to': self.today - timedelta(days=10)})
        self.assertFalse(run._lifecycle_run())
        self.assertTrue(len(run._load_customers()['partner_ids']))

    def test_average_clv_of_segments(self):
        run = self.Run._refresh_company_now()
        champions = self.env.ref('crm_mining_segmentation.crm_segment_rfm_champions')
        members = self.Member.search([('rfm_segment_id', '=', champions.id)])
        values = self.env['crm.customer.value'].search([
            ('partner_id', 'in', members.partner_id.ids), ('company_id', '=', self.company.id)])
        self.assertEqual(len(values), len(members))
        self.assertAlmostEqual(champions.average_clv, sum(values.mapped('predicted_clv')) / len(values),
                               places=2)
        self.assertAlmostEqual(champions.average_historical_clv,
                               sum(values.mapped('historical_clv')) / len(values), places=2)
        stat = run.segment_stat_ids.filtered(lambda s: s.segment_id == champions)
        self.assertGreater(stat.average_historical_clv, 0.0)
        self.assertAlmostEqual(stat.average_clv, champions.average_clv, places=2)

    def test_cube_by_stage_and_segment(self):
        """The customer cube sliced by lifecycle stage and RFM segment at once."""
        Cube = self.env['crm.suite.customer.transaction']
        rows = Cube._read_group([('company_id', '=', self.company.id)],
                                ['lifecycle_stage', 'rfm_segment_id'], ['revenue:sum'])
        total = sum(Cube.search([('company_id', '=', self.company.id)]).mapped('revenue'))
        self.assertAlmostEqual(sum(row[2] for row in rows), total, places=2)
        champions = self.env.ref('crm_mining_segmentation.crm_segment_rfm_champions')
        self.assertTrue(any(segment == champions for _stage, segment, _revenue in rows))
