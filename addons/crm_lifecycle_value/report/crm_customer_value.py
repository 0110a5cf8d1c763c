from odoo import Command, api, fields, models
from odoo.tools import SQL

from ..models.figures import VIEW_FIGURES, figure_field
from ..models.selections import STAGE_CODES, TIER_CODES, selection_orderby

# columns of crm.lifecycle.run.line shown as they are
VIEW_COLUMNS = ('run_id', 'partner_id', 'company_id', *VIEW_FIGURES)
# groups of these fields follow their selection order (lifecycle, pyramid), not the alphabet
ORDERED_GROUPS = {'stage': STAGE_CODES, 'previous_stage': STAGE_CODES, 'tier': TIER_CODES}


class CrmCustomerValue(models.Model):
    """Lifecycle stage and lifetime value of one customer (commercial partner) in one company.

    A read-only view: the lines (``crm.lifecycle.run.line``) of the company's published refresh
    run. A run publishes all its figures at once when it completes (see
    :meth:`crm.lifecycle.run._finalize`); nothing else writes them.
    """

    _name = 'crm.customer.value'
    _inherit = ['crm.suite.customer.line']
    _description = 'Customer Lifetime Value'
    _order = 'predicted_clv desc, id'
    _rec_name = 'partner_id'
    _check_company_auto = True
    _auto = False
    _log_access = False
    _depends = {
        'crm.lifecycle.run.line': list(VIEW_COLUMNS),
        'crm.lifecycle.run': ['published', 'company_id', 'model_fitted'],
        'res.company': ['currency_id'],
    }

    @property
    def _table_query(self):
        return SQL(
            """SELECT l.id, %s, c.currency_id,
                      (r.model_fitted AND l.p_alive IS NOT NULL) AS prediction_available
                 FROM crm_lifecycle_run_line l
                 JOIN crm_lifecycle_run r ON r.id = l.run_id AND r.published AND r.company_id = l.company_id
                 JOIN res_company c ON c.id = l.company_id
                 JOIN res_partner p ON p.id = l.partner_id""",
            SQL(', ').join(SQL.identifier('l', column) for column in VIEW_COLUMNS),
        )

    partner_id = fields.Many2one('res.partner', string='Customer', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    currency_id = fields.Many2one('res.currency', readonly=True)
    user_id = fields.Many2one(
        'res.users', string='Salesperson', related='partner_id.user_id', readonly=True)
    run_id = fields.Many2one(
        'crm.lifecycle.run', string='Last Run', readonly=True,
        help='The refresh run that computed these figures (the published run of the company).')

    prediction_available = fields.Boolean(
        string='Predictions Available', readonly=True,
        help='The run could fit its purchase model and the customer has bought: P(alive) and the '
             'predictions are figures, not zeros. Prospects and runs without a model have none.')
    # the figures (models/figures.py), read-only
    for _figure in VIEW_FIGURES:
        locals()[_figure] = figure_field(_figure, readonly=True)
    del _figure
    stage_history_ids = fields.One2many(
        'crm.customer.stage.history', compute='_compute_stage_history_ids')

    def _read_group_orderby(self, order, groupby_terms, query):
        """Groups by stage or tier come in lifecycle / pyramid order, not alphabetically (list,
        pivot and graph views; the kanban expands them in that order too)."""
        return selection_orderby(self, super()._read_group_orderby, order, groupby_terms, query,
                                 ORDERED_GROUPS)

    @api.depends('partner_id', 'company_id')
    def _compute_stage_history_ids(self):
        history = self.env['crm.customer.stage.history'].search([
            ('partner_id', 'in', self.partner_id.ids),
            ('company_id', 'in', self.company_id.ids),
        ])
        for record in self:
            record.stage_history_ids = history.filtered(
                lambda h, r=record: h.partner_id == r.partner_id and h.company_id == r.company_id)


    def action_open_stage_history(self):
        return self.env['crm.customer.stage.history']._action_for_partners(
            self.partner_id, self.company_id)

    def action_refresh(self):
        """List-header button: queue a refresh of the current company (the scheduler runs it)."""
        return self.env['crm.lifecycle.run'].action_refresh_company()

    def action_export_xlsx(self):
        """List-header button: the workbook wizard, for the rows selected (or all when none is)."""
        return {
            'type': 'ir.actions.act_window',
            'name': self.env._('Export Customer Value'),
            'res_model': 'crm.lifecycle.export.wizard',
            'view_mode': 'form',
            'views': [(False, 'form')],
            'target': 'new',
            'context': {'default_value_ids': [Command.set(self.ids)]} if self else {},
        }
