import itertools
import logging
import math
import time

from odoo import api, fields, models

from .crm_segmentation_run_segment import STAT_FIELDS

_logger = logging.getLogger(__name__)


class CrmSegmentationRun(models.Model):
    """One segmentation of the customers of a company: RFM scores and segments and k-means clusters
    with identities kept from the previous run.

    The run reads each customer's recency, frequency and monetary value of the analysis window
    (from the customer facts), lets the engine score and cluster every customer in one call
    (``crm_mining.score_segments``), writes one ``crm.segmentation.run.line`` per customer in
    committed batches and publishes them at the end (``crm_segmentation_run_publish.py``), with
    the figures of each segment. It runs in the scheduler: "Refresh Now" queues it.

    Reproducibility: the run records its parameters, the random seed and the versions of numpy,
    scipy and scikit-learn; the same data and seed give the same labels.
    """

    _name = 'crm.segmentation.run'
    _inherit = ['crm.suite.run']
    _description = 'Customer Segmentation Run'
    _run_line_model = 'crm.segmentation.run.line'
    _run_cron_xmlid = 'crm_mining_segmentation.ir_cron_crm_segmentation_refresh'
    _run_param_prefix = 'crm_mining_segmentation'

    rfm_bins = fields.Integer(string='RFM Score Levels', readonly=True)
    cluster_count_requested = fields.Integer(
        string='Clusters Requested', readonly=True, help='0: chosen by the silhouette coefficient.')
    random_state = fields.Integer(string='Random Seed', readonly=True)
    cluster_count = fields.Integer(string='Clusters', readonly=True)
    silhouette = fields.Float(
        readonly=True, digits=(16, 3),
        help='Mean silhouette coefficient of the clusters on a seeded sample (Rousseeuw 1987): '
             'from -1 to 1, higher means better separated clusters.')
    silhouette_by_k = fields.Json(string='Silhouette per k', readonly=True)
    customer_count = fields.Integer(
        string='Customers', readonly=True, help='Customers with a purchase in the analysis window.')
    numpy_version = fields.Char(string='numpy', readonly=True)
    scipy_version = fields.Char(string='scipy', readonly=True)
    sklearn_version = fields.Char(string='scikit-learn', readonly=True)
    previous_run_id = fields.Many2one(
        'crm.segmentation.run', string='Compared With', readonly=True, ondelete='set null',
        help='The published run when this run started: clusters keep its identities and the '
             'transition report compares the two.')
    model_state = fields.Json(
        readonly=True,
        help='Centroids (standardised space), identities and scaler of the clusters: what the next '
             'run matches its clusters against.')
    new_cluster_count = fields.Integer(string='New Clusters', readonly=True)
    vanished_cluster_count = fields.Integer(string='Vanished Clusters', readonly=True)
    rfm_moved_count = fields.Integer(
        string='Customers Changing RFM Segment', readonly=True,
        help='Customers of both runs whose RFM segment changed.')
    cluster_moved_count = fields.Integer(
        string='Customers Changing Cluster', readonly=True,
        help='Customers of both runs whose cluster changed.')
    cluster_note = fields.Char(readonly=True)
    segment_stat_ids = fields.One2many('crm.segmentation.run.segment', 'run_id', string='Segments')
    message = fields.Text(string='Notes', compute='_compute_message')

    _company_published_uniq = models.UniqueIndex(
        '(company_id) WHERE published', 'A company has one published segmentation run.')

    @api.depends('state', 'customer_count', 'cluster_count', 'new_cluster_count',
                 'vanished_cluster_count', 'rfm_moved_count', 'cluster_note')
    def _compute_message(self):
        """The run's summary, in the reader's language (nothing translated is stored)."""
        for run in self:
            notes = []
            if run.state == 'running':
                notes.append(self.env._(
                    'Queued or running in the scheduler: %(done)s of %(total)s batches written.',
                    done=run.batch_done, total=run.batch_total or '?'))
            if run.state == 'done' and not run.customer_count:
                notes.append(self.env._(
                    'No customer bought between %(start)s and %(end)s: nothing to segment. The '
                    'existing segments were left unchanged.', start=run.date_from, end=run.date_to))
            elif run.state == 'done':
                notes.append(self.env._(
                    '%(customers)s customers scored and clustered into %(k)s clusters '
                    '(%(new)s new, %(vanished)s vanished since the previous run).',
                    customers=run.customer_count, k=run.cluster_count, new=run.new_cluster_count,
                    vanished=run.vanished_cluster_count))
                if run.previous_run_id:
                    notes.append(self.env._(
                        '%(rfm)s customers changed RFM segment and %(cluster)s changed cluster '
                        'since %(previous)s.', rfm=run.rfm_moved_count, cluster=run.cluster_moved_count,
                        previous=run.previous_run_id.name))
                if run.cluster_note:
                    notes.append(self.env._(
                        'Too few distinct customers to find clusters: every customer is in one '
                        'cluster.'))
            run.message = '\n'.join(notes)

    # ------------------------------------------------------------------------------------------
    # reading
    # ------------------------------------------------------------------------------------------
    def _segment_stats(self, segments, field_names=STAT_FIELDS):
        """``{segment id: {figure: value}}`` of this run (empty when there is no run)."""
        if not self:
            return {}
        rows = self.env['crm.segmentation.run.segment'].sudo().search_read(
            [('run_id', '=', self.id), ('segment_id', 'in', segments.ids)], ['segment_id', *field_names])
        return {row['segment_id'][0]: row for row in rows}

    def _totals(self):
        """Members, revenue and margin of all the run's customers (the RFM segments partition
        them)."""
        totals = {'member_count': 0, 'revenue': 0.0, 'margin': 0.0}
        if self:
            for stat in self.segment_stat_ids.filtered(lambda s: s.kind == 'rfm'):
                totals['member_count'] += stat.member_count
                totals['revenue'] += stat.revenue
                totals['margin'] += stat.margin
        return totals

    # ------------------------------------------------------------------------------------------
    # entry points
    # ------------------------------------------------------------------------------------------
    def _run_manager_message(self):
        return self.env._('Only CRM Intelligence managers can refresh the customer segments.')

    def _run_check_settings(self, company):
        company._crm_seg_config()

    def _run_failed_message(self, error):
        return self.env._('The customer segmentation of %(company)s failed: %(error)s',
                          company=self.company_id.display_name, error=error)

    def _action_open_form(self):
        action = super()._action_open_form()
        action['name'] = self.env._('Segmentation Run')
        return action

    def action_open_transitions(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'crm_mining_segmentation.crm_segment_transition_action')
        return action

    # ------------------------------------------------------------------------------------------
    # execution
    # ------------------------------------------------------------------------------------------
    def _execute_steps(self, max_batches):
        company = self.company_id
        if not self.rfm_bins:
            config = company._crm_seg_config()
            window_from, window_to = company._crm_intel_window()
            self.write({
                'date_from': self.date_from or window_from,
                'date_to': self.date_to or window_to,
                'rfm_bins': config.bins,
                'cluster_count_requested': config.k or 0,
                'random_state': config.random_state,
                'batch_size': self._default_batch_size(),
                'previous_run_id': self._published_run().id,
            })
        else:
            self._check_previous()
        steps = [time.monotonic()]
        customers = self._load_customers()
        previous = self._load_previous()
        steps.append(time.monotonic())
        scores = self._score_segments(customers, previous)
        steps.append(time.monotonic())
        if not len(scores):
            self._finish()
            return True
        segment_ids = self._segment_ids(scores)
        if not self._write_batches(scores, segment_ids, max_batches):
            return False
        steps.append(time.monotonic())
        self._finalize(scores, segment_ids)
        steps.append(time.monotonic())
        _logger.info(
            'Customer segmentation run %s (%s customers): inputs %.2f s, scoring %.2f s, lines %.2f s, '
            'publishing %.2f s', self.name, len(scores), *(b - a for a, b in itertools.pairwise(steps)))
        return True

    def _check_previous(self):
        """A resumed run keeps the identities of the published run it started from; when another
        run was published since, it starts again (its lines were labelled against older clusters)."""
        published = self._published_run()
        if published != self.previous_run_id:
            self._delete_lines()
            self.write({'previous_run_id': published.id, 'batch_done': 0, 'batch_total': 0})

    def _config(self):
        from crm_mining import SegmentationConfig

        return SegmentationConfig(bins=self.rfm_bins, k=self.cluster_count_requested or None,
                                  random_state=self.random_state)

    def _score_segments(self, customers, previous):
        """The engine's one call; the first time, the run records the clustering.

        A number of clusters set in the settings larger than the number of distinct customers (a
        small company, a short window) is capped to it: the RFM segments are refreshed anyway.
        """
        from crm_mining import cap_clusters, score_segments

        config = cap_clusters(self._config(), customers['recency_days'], customers['frequency'],
                              customers['monetary'])
        scores = score_segments(
            customers['partner_ids'], customers['recency_days'], customers['frequency'],
            customers['monetary'], customers['margin'], config, previous=previous)
        if not self.batch_total:
            self._record_scores(scores)
        return scores

    def _record_scores(self, scores):
        clustering = scores.clustering
        vals = {
            'customer_count': len(scores),
            'batch_total': self._batch_total(len(scores)),
            'numpy_version': scores.versions.get('numpy'),
            'scipy_version': scores.versions.get('scipy'),
            'sklearn_version': scores.versions.get('scikit-learn'),
        }
        if clustering is not None:
            silhouette = clustering.silhouette
            vals.update({
                'cluster_count': clustering.k,
                'silhouette': 0.0 if math.isnan(silhouette) else silhouette,
                # a k whose silhouette is undefined (a cluster of one customer) is left out: JSON
                # has no NaN and PostgreSQL refuses it
                'silhouette_by_k': {
                    str(k): round(float(v), 4) for k, v in clustering.silhouette_by_k.items()
                    if math.isfinite(v)},
                'new_cluster_count': len(clustering.new_identities) if self.previous_run_id else 0,
                'vanished_cluster_count': len(clustering.vanished_identities),
                'cluster_note': clustering.note or False,
                'model_state': {
                    'identities': [int(i) for i in clustering.identities],
                    'centroids': [[float(v) for v in row] for row in clustering.centroids],
                    'scaler_mean': [float(v) for v in clustering.scaler_mean],
                    'scaler_scale': [float(v) for v in clustering.scaler_scale],
                },
            })
        for name, matrix in (('rfm_moved_count', scores.rfm_transitions),
                             ('cluster_moved_count', scores.cluster_transitions)):
            vals[name] = sum(count for source, target, count, _weight in matrix.as_rows()
                             if source is not None and target is not None and source != target
                             ) if matrix is not None else 0
        self.write(vals)
        self._commit_batch(0)
