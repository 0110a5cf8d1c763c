from datetime import timedelta

from odoo.tests import tagged

from .common import GROUPS, SegmentationCommon


@tagged('post_install', '-at_install')
class TestSegmentationRefresh(SegmentationCommon):

    def test_run_record(self):
        run = self.first_run
        self.assertEqual(run.state, 'done')
        self.assertTrue(run.published)
        buyers = sum(count for _name, count, *_rest in GROUPS)
        self.assertEqual(run.customer_count, buyers, 'the refund-only customer bought nothing')
        self.assertEqual(run.cluster_count, 3, 'three clearly separated buying patterns')
        self.assertGreater(run.silhouette, 0.5)
        self.assertEqual(set(run.silhouette_by_k), {str(k) for k in range(2, 9)})
        self.assertTrue(run.numpy_version and run.scipy_version and run.sklearn_version)
        self.assertEqual(run.rfm_bins, 5)
        self.assertIn(f'{buyers} customers', run.message)
        self.assertEqual(len(self.Member.search([('company_id', '=', self.company.id)])), buyers)
        self.assertFalse(self._member(self.refund_only))
        # the RFM segments partition the customers; so do the clusters
        stats = run.segment_stat_ids
        self.assertEqual(sum(stats.filtered(lambda s: s.kind == 'rfm').mapped('member_count')), buyers)
        self.assertEqual(sum(stats.filtered(lambda s: s.kind == 'cluster').mapped('member_count')), buyers)

    def test_clusters_follow_the_buying_patterns(self):
        clusters = {name: set(self.Member.search([('partner_id', 'in', partners.ids)]).cluster_segment_id)
                    for name, partners in self.groups.items()}
        for name, segments in clusters.items():
            self.assertEqual(len(segments), 1, f'the {name} customers are one cluster')
        self.assertEqual(len(set().union(*clusters.values())), 3)
        champions = next(iter(clusters['Champion']))
        self.assertEqual(champions.kind, 'cluster')
        self.assertEqual(champions.company_id, self.company)
        self.assertIn('Recent', champions.name)
        self.assertIn('high spend', champions.name)
        self.assertEqual(champions.member_count, 8)
        self.assertEqual(champions.identity, 0, 'the first run orders clusters by spend')

    def test_kinds_in_order(self):
        """The kanban groups come RFM segments first, then clusters, then manual segments."""
        self.Segment.create({'name': 'SEG manual', 'kind': 'manual'})
        kinds = [kind for kind, _count in self.Segment._read_group([], ['kind'], ['__count'])]
        # the kinds of other addons (churn risk bands, ...) come between clusters and manual segments
        own = ['rfm', 'cluster', 'manual']
        self.assertEqual([kind for kind in kinds if kind in own], own)
        self.assertEqual(kinds[-1], 'manual')

    def test_rfm_scores(self):
        champion = self._member(self.groups['Champion'][0])
        newcomer = self._member(self.groups['Newcomer'][0])
        sleeper = self._member(self.groups['Sleeper'][7])
        self.assertEqual(champion.frequency, 12)
        self.assertEqual(champion.recency_days, 5)
        self.assertAlmostEqual(champion.monetary, 12 * 900.0)
        self.assertEqual((champion.r_score, champion.f_score, champion.m_score), (5, 4, 4))
        self.assertEqual(champion.rfm_code, '544')
        self.assertEqual(champion.rfm_segment_id, self._rfm_segment('champions'))
        # 8 of 24 share the lowest frequency: never split, all score 1
        self.assertEqual(newcomer.f_score, 1)
        self.assertEqual(newcomer.r_score, 4, 'the champions are more recent')
        self.assertEqual(newcomer.rfm_segment_id.code, 'promising')
        self.assertEqual(sleeper.r_score, 1)
        self.assertEqual(sleeper.f_score, 2)
        self.assertEqual(sleeper.rfm_segment_id, self._rfm_segment('lost'))
        partner = self.groups['Champion'][0]
        self.assertEqual(partner.crm_rfm_code, '544')
        self.assertEqual(partner.crm_rfm_segment_id, self._rfm_segment('champions'))
        self.assertEqual(partner.crm_cluster_segment_id, champion.cluster_segment_id)

    def test_segment_figures(self):
        champions = self._rfm_segment('champions')
        members = self.Member.search([('rfm_segment_id', '=', champions.id)])
        self.assertEqual(champions.member_count, len(members))
        self.assertAlmostEqual(champions.revenue, sum(members.mapped('monetary')))
        total = sum(self.Member.search([]).mapped('monetary'))
        self.assertAlmostEqual(champions.revenue_share, 100.0 * champions.revenue / total, delta=0.05)
        self.assertEqual(champions.trend, 0, 'no previous run')
        self.assertEqual(set(champions._member_partner_ids()), set(members.partner_id.ids))

    def test_same_data_and_seed_same_labels(self):
        before = self._labels(self.first_run)
        second = self.Run._refresh_company_now()
        self.assertEqual(self._labels(second), before)
        self.assertEqual(second.previous_run_id, self.first_run)
        self.assertEqual(second.new_cluster_count, 0)
        self.assertEqual(second.vanished_cluster_count, 0)
        self.assertEqual(second.rfm_moved_count, 0)
        clusters = [('kind', '=', 'cluster'), ('company_id', '=', self.company.id)]
        self.assertEqual(self.Segment.search_count(clusters), 3, 'no new cluster segment')
        self.assertTrue(self.first_run.exists(), 'the run compared with is kept for the transitions')
        self.assertFalse(self.first_run.published)

    def test_identities_kept_when_customers_move(self):
        champions_cluster = self._member(self.groups['Champion'][0]).cluster_segment_id
        newcomers = self.groups['Newcomer']
        # two newcomers become regular buyers, spending like champions
        moves = []
        for partner in newcomers[:2]:
            moves += self._seg_moves(partner, [1, 31, 61, 91, 121, 151, 181, 211, 241, 271, 301], 950.0)
        self.env['account.move'].create(moves).action_post()
        second = self.Run._refresh_company_now()
        self.assertEqual(second.cluster_count, 3)
        self.assertEqual(self._member(self.groups['Champion'][0]).cluster_segment_id, champions_cluster,
                         'the champions cluster keeps its identity')
        self.assertEqual(self._member(newcomers[0]).cluster_segment_id, champions_cluster)
        self.assertEqual(second.cluster_moved_count, 2)
        Transition = self.env['crm.segment.transition']
        moved = Transition.search([('kind', '=', 'cluster'), ('moved', '=', True)])
        self.assertEqual(moved.partner_id, newcomers[:2])
        self.assertEqual(moved.to_segment_id, champions_cluster)
        rfm_rows = Transition.search([('kind', '=', 'rfm')])
        self.assertEqual(len(rfm_rows), second.customer_count)
        self.assertEqual(champions_cluster.trend, 2)
        self.assertEqual(champions_cluster.previous_member_count, 8)

    def test_vanished_and_new_clusters(self):
        self.company.crm_seg_cluster_count = 2
        second = self.Run._refresh_company_now()
        self.assertEqual(second.cluster_count, 2)
        self.assertEqual(second.vanished_cluster_count, 1)
        vanished = self.Segment.with_context(active_test=False).search([('vanished_run_id', '=', second.id)])
        self.assertEqual(len(vanished), 1)
        self.assertFalse(vanished.active)
        self.assertIn('vanished', vanished.message_ids[0].body)
        self.company.crm_seg_cluster_count = 4
        third = self.Run._refresh_company_now()
        self.assertEqual(third.cluster_count, 4)
        self.assertGreaterEqual(third.new_cluster_count, 1)
        # the vanished cluster's identity (name, history) is never given to a new cluster
        lines = self.env['crm.segmentation.run.line'].search([('run_id', '=', third.id)])
        identities = set(lines.mapped('cluster'))
        self.assertNotIn(vanished.identity, identities)
        self.assertFalse(vanished.active)

    def test_customer_leaving_the_window(self):
        sleeper = self.groups['Sleeper'][0]
        later = self.today + timedelta(days=400)
        run = self.Run._refresh_company_now(date_to=later)
        self.assertFalse(self._member(sleeper), 'no purchase in the later window')
        row = self.env['crm.segment.transition'].search(
            [('kind', '=', 'rfm'), ('partner_id', '=', sleeper.id)])
        self.assertTrue(row.from_segment_id)
        self.assertFalse(row.to_segment_id)
        self.assertTrue(run.published)

    def test_empty_window(self):
        company = self.env['res.company'].create({'name': 'SEG Empty Co'})
        run = self.Run._refresh_company_now(company)
        self.assertEqual(run.state, 'done')
        self.assertEqual(run.customer_count, 0)
        self.assertIn('nothing to segment', run.message)
        self.assertFalse(run.published)

    def test_resume_after_interruption(self):
        self.env['ir.config_parameter'].sudo().set_param('crm_mining_segmentation.batch_size', '10')
        run = self.Run.create({'company_id': self.company.id})
        self.assertFalse(run._execute(max_batches=1))
        self.assertEqual(run.state, 'running')
        self.assertEqual(run.batch_done, 1)
        self.assertTrue(self.first_run.published, 'nothing published before the end')
        self.assertTrue(run._execute())
        self.assertEqual(run.state, 'done')
        self.assertTrue(run.published)
        self.assertEqual(self._labels(run), self._labels(self.first_run), 'same data, same labels')
        self.assertEqual(len(self.Member.search([('company_id', '=', self.company.id)])), run.customer_count)

    def test_bad_settings_refused(self):
        from odoo.exceptions import ValidationError
        with self.assertRaises(ValidationError):
            self.company.crm_seg_rfm_bins = 12
        with self.assertRaises(ValidationError):
            self.company.crm_seg_cluster_count = -1

    def test_nightly_cron(self):
        cron = self.env.ref('crm_mining_segmentation.ir_cron_crm_segmentation_refresh')
        self.assertEqual(cron.code.strip(), 'model._cron_refresh()')
        self.Run.search([]).write({'started_at': '2020-01-01 00:00:00'})
        self.Run._cron_refresh()
        today_runs = self.Run.search([('trigger', '=', 'cron')])
        self.assertIn(self.company, today_runs.company_id)
        self.assertTrue(all(run.state == 'done' for run in today_runs))
