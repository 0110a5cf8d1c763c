import numpy as np
from markupsafe import Markup

from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.crm_suite_base.tools.pgcopy import copy_query

from .figures import COPY_KINDS

#: cluster name parts by level of (recency, frequency, monetary): the cluster median against the
#: terciles of all customers (note: a high recency is a long time since the last purchase)
RECENCY_WORDS = {'low': 'Recent', 'medium': 'Lapsing', 'high': 'Dormant'}
FREQUENCY_WORDS = {'low': 'occasional', 'medium': 'regular', 'high': 'frequent'}
MONETARY_WORDS = {'low': 'low spend', 'medium': 'medium spend', 'high': 'high spend'}


class CrmSegmentationRunPublish(models.Model):
    """Reading, writing and publishing steps of a segmentation run (see ``crm_segmentation_run.py``)."""

    _inherit = 'crm.segmentation.run'

    # ------------------------------------------------------------------------------------------
    # inputs (set-based SQL)
    # ------------------------------------------------------------------------------------------
    def _load_customers(self):
        """Recency, frequency, monetary value and margin of every customer who bought in the
        analysis window: the customer facts (one set-based query) summarised by the engine."""
        from crm_mining import summarize_rfm

        facts = self.env['crm.suite.facts']._get_customer_facts(self.company_id, self.date_from, self.date_to)
        summary = summarize_rfm(facts.partner_ids, facts.dates, facts.revenue, facts.margin,
                                np.datetime64(self.date_to, 'D'))
        return {
            'partner_ids': summary.partner_ids,
            'recency_days': summary.recency_days,
            'frequency': summary.frequency,
            'monetary': summary.monetary,
            'margin': summary.margin,
        }

    def _load_previous(self):
        """The run this one is compared with: its clusters (to keep their identities) and each
        customer's cluster and RFM segment (for the transitions); for a company's first run only
        the first identity new clusters may take."""
        from crm_mining import PreviousSegmentation

        previous = self.previous_run_id
        next_identity = self._next_cluster_identity()
        if not previous:
            return PreviousSegmentation(next_identity=next_identity)
        self.env['crm.segmentation.run.line'].flush_model()
        partner_ids, clusters, codes = self._previous_lines(previous)
        state = previous.model_state or {}
        return PreviousSegmentation(
            centroids=np.asarray(state['centroids'], dtype=float) if state.get('centroids') else None,
            identities=np.asarray(state['identities'], dtype=np.int64) if state.get('identities') else None,
            partner_ids=partner_ids, clusters=clusters, rfm_segments=codes, next_identity=next_identity)

    def _next_cluster_identity(self):
        """One more than every cluster identity the company ever used (archived clusters
        included): a new cluster never takes the identity, name and history of a vanished one."""
        self.env['crm.segment'].flush_model(['identity', 'kind', 'company_id'])
        rows = self.env.execute_query(SQL(
            "SELECT MAX(identity) FROM crm_segment WHERE kind = 'cluster' AND company_id = %s",
            self.company_id.id))
        return rows[0][0] + 1 if rows and rows[0][0] is not None else 0

    def _previous_lines(self, run):
        """Customers, cluster identities and RFM segment codes of ``run``'s lines: one binary read
        (the codes come from the lines' segment ids, not from a text column read row by row)."""
        ids, clusters, rfm_ids = copy_query(self.env.cr, SQL(
            """SELECT partner_id, COALESCE(cluster, -1), COALESCE(rfm_segment_id, 0)
                 FROM crm_segmentation_run_line WHERE run_id = %s ORDER BY partner_id""", run.id),
            ['int4', 'int4', 'int4'])
        segments = self.env['crm.segment'].sudo().with_context(active_test=False).search(
            [('kind', '=', 'rfm')])
        codes = np.full(max(segments.ids, default=0) + 1, None, dtype=object)
        codes[segments.ids] = segments.mapped('code')
        return ids.astype(np.int64), clusters.astype(np.int64), codes[rfm_ids]

    # ------------------------------------------------------------------------------------------
    # segments
    # ------------------------------------------------------------------------------------------
    def _segment_ids(self, scores):
        """The ``crm.segment`` of each customer's RFM segment and cluster (arrays aligned with the
        customers); the clusters of new identities get their segment, named from their profile."""
        segments = self.env['crm.segment'].sudo().with_context(active_test=False)
        rfm = {segment.code: segment.id for segment in segments.search([('kind', '=', 'rfm')])}
        codes = scores.figures['rfm_segment']
        missing = set(codes.tolist()) - set(rfm)
        if missing:
            raise ValueError(self.env._('RFM segments missing from the database: %(codes)s',
                                        codes=', '.join(sorted(missing))))
        unique_codes, inverse = np.unique(codes.astype(str), return_inverse=True)
        rfm_ids = np.array([rfm[code] for code in unique_codes], dtype=np.int64)[inverse]
        clusters = self._cluster_segments(scores.clustering)
        identities = np.asarray(scores.figures['cluster'], dtype=np.int64)
        keys = np.array(sorted(clusters), dtype=np.int64)
        values = np.array([clusters[key].id for key in keys], dtype=np.int64)
        cluster_ids = values[np.searchsorted(keys, identities)]
        return {'rfm_segment_id': rfm_ids, 'cluster_segment_id': cluster_ids}

    def _cluster_segments(self, clustering):
        """``{identity: crm.segment}`` of the run's clusters: the existing segments of the matched
        identities, a new segment for each new identity."""
        segments = self.env['crm.segment'].sudo().with_context(active_test=False)
        existing = segments.search([('kind', '=', 'cluster'), ('company_id', '=', self.company_id.id),
                                    ('identity', 'in', clustering.identities.tolist())])
        by_identity = {segment.identity: segment for segment in existing}
        for row, identity in enumerate(clustering.identities.tolist()):
            if identity in by_identity:
                continue
            levels = clustering.levels[row]
            segment = segments.create({
                'kind': 'cluster',
                'identity': identity,
                'company_id': self.company_id.id,
                'name': self._cluster_name(identity, levels, 'en_US'),
                'color': identity % 11 + 1,
                'sequence': identity,
            })
            langs = [code for code, _name in self.env['res.lang'].get_installed() if code != 'en_US']
            if langs:
                segment.update_field_translations('name', {
                    lang: self._cluster_name(identity, levels, lang) for lang in langs})
            by_identity[identity] = segment
        return by_identity

    def _cluster_name(self, identity, levels, lang):
        """"Recent, frequent, high spend (cluster 2)" from the cluster's levels, in ``lang``."""
        env = self.with_context(lang=lang).env
        recency, frequency, monetary = (str(level) for level in levels[:3])
        words = {
            'Recent': env._('Recent'), 'Lapsing': env._('Lapsing'), 'Dormant': env._('Dormant'),
            'occasional': env._('occasional'), 'regular': env._('regular'), 'frequent': env._('frequent'),
            'low spend': env._('low spend'), 'medium spend': env._('medium spend'),
            'high spend': env._('high spend'),
        }
        return env._('%(recency)s, %(frequency)s, %(monetary)s (cluster %(identity)s)',
                     recency=words[RECENCY_WORDS[recency]], frequency=words[FREQUENCY_WORDS[frequency]],
                     monetary=words[MONETARY_WORDS[monetary]], identity=identity)

    # ------------------------------------------------------------------------------------------
    # writing
    # ------------------------------------------------------------------------------------------
    def _write_batches(self, scores, segment_ids, max_batches):
        columns = {name: (kind, scores.figures[name]) for name, kind in COPY_KINDS.items()}
        columns.update({name: ('int4', ids) for name, ids in segment_ids.items()})
        return self._write_line_batches(scores.partner_ids, columns, max_batches)

    # ------------------------------------------------------------------------------------------
    # publishing
    # ------------------------------------------------------------------------------------------
    def _finalize(self, scores, segment_ids):
        """Publish the run: the figures of each segment, the clusters that appeared or vanished,
        then the run becomes the company's published run; the lines of older runs are deleted,
        except those of the run it was compared with (the transition report reads them)."""
        self.env['crm.segmentation.run.line'].flush_model()
        self._insert_segment_stats(scores)
        self._mark_cluster_changes(scores.clustering)
        self._publish()
        self._delete_unpublished_lines(keep_run_ids=self.previous_run_id.ids)
        for model in ('crm.segment.member', 'crm.segment.transition', 'crm.segmentation.run.line',
                      'crm.segmentation.run.segment', 'crm.segment', 'crm.suite.customer.transaction'):
            self.env[model].invalidate_model()
        self._finish()

    def _insert_segment_stats(self, scores):
        """One row per segment of the run: members, revenue, margin, medians (one aggregate of
        the run's lines per kind of segment)."""
        new = [int(i) for i in scores.clustering.new_identities] if self.previous_run_id else []
        for column, kind in (('rfm_segment_id', 'rfm'), ('cluster_segment_id', 'cluster')):
            self.env.cr.execute(SQL(
                """INSERT INTO crm_segmentation_run_segment
                          (run_id, company_id, segment_id, kind, member_count, revenue, margin,
                           median_recency, median_frequency, median_monetary, average_monetary, is_new)
                   SELECT %(run)s, %(company)s, s.id, %(kind)s, COUNT(*), SUM(l.monetary), SUM(l.margin),
                          percentile_cont(0.5) WITHIN GROUP (ORDER BY l.recency_days),
                          percentile_cont(0.5) WITHIN GROUP (ORDER BY l.frequency),
                          percentile_cont(0.5) WITHIN GROUP (ORDER BY l.monetary),
                          AVG(l.monetary), COALESCE(s.identity = ANY(%(new)s) AND s.kind = 'cluster', FALSE)
                     FROM crm_segmentation_run_line l
                     JOIN crm_segment s ON s.id = %(column)s
                    WHERE l.run_id = %(run)s
                 GROUP BY s.id""",
                run=self.id, company=self.company_id.id, kind=kind, new=new,
                column=SQL.identifier('l', column)))

    def _mark_cluster_changes(self, clustering):
        """Clusters no longer found are marked vanished (and archived); new ones are logged."""
        segments = self.env['crm.segment'].sudo().with_context(active_test=False)
        company = Domain('kind', '=', 'cluster') & Domain('company_id', '=', self.company_id.id)
        vanished = segments.search(company & Domain('identity', 'in', [
            int(i) for i in clustering.vanished_identities]) & Domain('vanished_run_id', '=', False))
        for segment in vanished:
            segment.message_post(body=Markup('<p>%s</p>') % self.env._(
                'No cluster of %(run)s matched this one: it vanished and was archived.', run=self.name))
        vanished.write({'vanished_run_id': self.id, 'active': False})
        if self.previous_run_id:
            for segment in segments.search(company & Domain('identity', 'in', [
                    int(i) for i in clustering.new_identities])):
                segment.message_post(body=Markup('<p>%s</p>') % self.env._(
                    'New cluster found by %(run)s: no cluster of %(previous)s matched it.',
                    run=self.name, previous=self.previous_run_id.name))

    def _clean_old_runs_domain(self, limit):
        """Old runs are deleted, except the ones the published runs were compared with."""
        kept = self.search([('published', '=', True)]).previous_run_id.ids
        return Domain(super()._clean_old_runs_domain(limit)) & Domain('id', 'not in', kept)
