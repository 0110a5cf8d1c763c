from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.crm_suite_base.tools.orderby import selection_orderby

from .crm_segmentation_run_segment import STAT_FIELDS, stat_field


def _share(part, total):
    return 100.0 * part / total if total else 0.0


KIND_SELECTION = [
    ('rfm', 'RFM Segment'),
    ('cluster', 'Cluster'),
    ('manual', 'Manual Domain'),
]


class CrmSegment(models.Model):
    """A group of customers that can be analysed and acted on.

    * RFM segments (the eleven named cells of the recency x frequency grid, shared by the
      companies, data of this module) and clusters (one per k-means cluster identity of a company,
      created by its segmentation runs and kept from run to run) get their members from the
      company's published segmentation run (``crm.segment.member``);
    * manual segments are a domain on the customers, evaluated when they are used.

    The figures (members, revenue and margin share, trend) are those of the current company's
    published run, read from the per-run statistics (``crm.segmentation.run.segment``).
    """

    _name = 'crm.segment'
    _description = 'Customer Segment'
    _inherit = ['mail.thread']
    _order = 'kind, sequence, identity, id'
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    kind = fields.Selection(KIND_SELECTION, required=True, default='manual', readonly=True, tracking=True)
    code = fields.Char(
        readonly=True, index=True,
        help='RFM segments: the segment code of the engine (champions, at_risk, ...).')
    identity = fields.Integer(
        readonly=True, help='Clusters: the identity the segmentation runs keep for the cluster.')
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        'res.company', index=True,
        help='Clusters belong to the company whose customers were clustered; RFM segments are '
             'shared (empty); a manual segment may be restricted to a company.')
    description = fields.Text(translate=True)
    definition = fields.Text(
        compute='_compute_definition',
        help='What makes a customer a member: the RFM cells, the cluster profile or the domain.')
    domain = fields.Char(
        string='Customer Filter', default='[]',
        help='Manual segments: the customers (commercial partners) of the segment.')
    vanished_run_id = fields.Many2one(
        'crm.segmentation.run', string='Vanished In', readonly=True, ondelete='set null',
        help='Clusters: the run in which no cluster matched this one any more (the segment is '
             'archived; its history stays).')
    currency_id = fields.Many2one('res.currency', compute='_compute_stats')
    run_id = fields.Many2one(
        'crm.segmentation.run', string='Segmentation Run', compute='_compute_stats',
        help='The published segmentation run of the current company.')
    for _stat in STAT_FIELDS:
        locals()[_stat] = stat_field(_stat, compute='_compute_stats')
    del _stat
    revenue_share = fields.Float(string='Revenue Share (%)', compute='_compute_stats', digits=(16, 1))
    margin_share = fields.Float(string='Margin Share (%)', compute='_compute_stats', digits=(16, 1))
    member_share = fields.Float(string='Customer Share (%)', compute='_compute_stats', digits=(16, 1))
    previous_member_count = fields.Integer(
        string='Members Before', compute='_compute_stats',
        help='Members in the run the published run was compared with.')
    trend = fields.Integer(
        compute='_compute_stats',
        help='Members gained (positive) or lost since the previous run.')
    trend_pct = fields.Float(string='Trend (%)', compute='_compute_stats', digits=(16, 1))

    _rfm_code_uniq = models.UniqueIndex("(code) WHERE kind = 'rfm'", 'An RFM segment exists once.')
    _cluster_identity_uniq = models.UniqueIndex(
        "(company_id, identity) WHERE kind = 'cluster'", 'A cluster identity exists once per company.')

    @api.ondelete(at_uninstall=False)
    def _unlink_except_computed(self):
        """RFM segments and clusters belong to the segmentation runs: archive a cluster instead."""
        if not self.env.su and self.filtered(lambda segment: segment.kind != 'manual'):
            raise UserError(self.env._(
                'RFM segments and clusters are maintained by the segmentation runs and cannot be '
                'deleted; archive them instead.'))

    def write(self, vals):
        protected = {'kind', 'code', 'identity', 'company_id'} & set(vals)
        if protected and not self.env.su and self.filtered(lambda segment: segment.kind != 'manual'):
            raise UserError(self.env._(
                'The kind, code, identity and company of RFM segments and clusters are maintained by '
                'the segmentation runs.'))
        return super().write(vals)

    def _read_group_orderby(self, order, groupby_terms, query):
        """Groups by kind come in the order of the selection: RFM segments, clusters, the kinds of
        other addons, manual segments."""
        return selection_orderby(self, super()._read_group_orderby, order, groupby_terms, query,
                                 {'kind': [code for code, _label in self._fields['kind'].selection]})

    @api.depends('kind', 'code', 'domain', 'identity')
    @api.depends_context('company')
    def _compute_stats(self):
        """The figures of the current company's published run and of the run it was compared
        with: two reads of the per-run statistics, whatever the number of segments."""
        company = self.env.company
        run = self.env['crm.segmentation.run'].sudo()._published_run_of(company)
        stats = run._segment_stats(self)
        previous = run.previous_run_id._segment_stats(self)
        totals = run._totals()
        for segment in self:
            stat = stats.get(segment.id, {})
            before = previous.get(segment.id, {}).get('member_count', 0)
            count = stat.get('member_count', 0)
            segment.run_id = run
            segment.currency_id = company.currency_id
            segment.member_count = count
            segment.previous_member_count = before
            segment.trend = count - before if run.previous_run_id else 0
            segment.trend_pct = 100.0 * (count - before) / before if before else 0.0
            for name in STAT_FIELDS:
                if name != 'member_count':
                    segment[name] = stat.get(name, 0.0)
            segment.revenue_share = _share(stat.get('revenue', 0.0), totals['revenue'])
            segment.margin_share = _share(stat.get('margin', 0.0), totals['margin'])
            segment.member_share = _share(count, totals['member_count'])
        manual = self.filtered(lambda s: s.kind == 'manual')
        for segment in manual:
            segment.member_count = len(segment._member_partner_ids())

    @api.depends('kind', 'code', 'domain')
    def _compute_definition(self):
        from crm_mining import DEFAULT_SEGMENT_GRID

        for segment in self:
            if segment.kind == 'rfm':
                cells = [f'R{r + 1}F{f + 1}' for r in range(5) for f in range(5)
                         if DEFAULT_SEGMENT_GRID[r][f] == segment.code]
                segment.definition = self.env._('Recency x frequency cells: %(cells)s',
                                                cells=', '.join(cells))
            elif segment.kind == 'cluster':
                segment.definition = self.env._(
                    'K-means cluster %(identity)s of the recency, frequency and monetary value '
                    '(log scale, standardised).', identity=segment.identity)
            else:
                segment.definition = segment.domain

    @api.constrains('domain', 'kind')
    def _check_domain(self):
        for segment in self.filtered(lambda s: s.kind == 'manual'):
            try:
                self.env['res.partner'].search_count(segment._manual_domain(), limit=1)
            except (SyntaxError, ValueError, TypeError, KeyError) as error:
                raise ValidationError(self.env._(
                    'The customer filter of %(segment)s is not valid: %(error)s',
                    segment=segment.display_name, error=error)) from error

    # ------------------------------------------------------------------------------------------
    # members
    # ------------------------------------------------------------------------------------------
    def _member_domain(self):
        """Domain of ``crm.segment.member`` for the members of this RFM segment or cluster."""
        self.ensure_one()
        field = 'rfm_segment_id' if self.kind == 'rfm' else 'cluster_segment_id'
        return Domain(field, '=', self.id) & Domain('company_id', '=', self.env.company.id)

    def _manual_domain(self):
        from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time

        context = {
            'uid': self.env.uid, 'user': self.env.user, 'time': time, 'datetime': datetime,
            'relativedelta': dateutil.relativedelta.relativedelta,
            'context_today': lambda: fields.Date.context_today(self),
            'allowed_company_ids': self.env.companies.ids,
        }
        commercial = Domain('is_company', '=', True) | Domain('parent_id', '=', False)
        return Domain(safe_eval(self.domain or '[]', context)) & commercial

    def _member_partner_ids(self):
        """The commercial partner ids of this segment's members in the current company (one
        indexed read of the published run's lines; the manual domain for manual segments)."""
        self.ensure_one()
        if self.kind == 'manual':
            # the domain keeps commercial partners only (companies and partners without parent):
            # their ids, without reading each one's commercial partner
            return self.env['res.partner'].search(self._manual_domain(), order='id').ids
        self.env['crm.segmentation.run.line'].flush_model()
        run = self.env['crm.segmentation.run'].sudo()._published_run_of(self.env.company)
        if not run:
            return []
        column = 'rfm_segment_id' if self.kind == 'rfm' else 'cluster_segment_id'
        rows = self.env.execute_query(SQL(
            """SELECT l.partner_id FROM crm_segmentation_run_line l
                 JOIN res_partner p ON p.id = l.partner_id
                WHERE l.run_id = %s AND l.company_id = %s AND %s = %s ORDER BY l.partner_id""",
            run.id, run.company_id.id, SQL.identifier('l', column), self.id))
        return [row[0] for row in rows]

    def action_open_members(self):
        self.ensure_one()
        if self.kind == 'manual':
            return {
                'type': 'ir.actions.act_window',
                'name': self.display_name,
                'res_model': 'res.partner',
                'view_mode': 'list,form',
                'views': [(False, 'list'), (False, 'form')],
                'domain': list(self._manual_domain()),
            }
        action = self.env['ir.actions.act_window']._for_xml_id(
            'crm_mining_segmentation.crm_segment_member_action')
        action['name'] = self.display_name
        action['domain'] = list(self._member_domain())
        action['context'] = {}
        return action

    def action_open_wizard(self):
        """"Act on Segment" (form, kanban card): the segment actions wizard with its preview."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': self.env._('Act on %(segment)s', segment=self.display_name),
            'res_model': 'crm.segment.action.wizard',
            'view_mode': 'form',
            'views': [(False, 'form')],
            'target': 'new',
            'context': {'default_segment_id': self.id},
        }

    def action_open_transitions(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'crm_mining_segmentation.crm_segment_transition_action')
        field = 'rfm' if self.kind == 'rfm' else 'cluster'
        action['domain'] = [('kind', '=', field), '|', ('from_segment_id', '=', self.id),
                            ('to_segment_id', '=', self.id)]
        action['context'] = {}
        return action
