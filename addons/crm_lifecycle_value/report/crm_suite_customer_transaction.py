from odoo import fields, models
from odoo.tools import SQL

from ..models.selections import STAGE_CODES, STAGE_SELECTION, TIER_CODES, TIER_SELECTION, selection_orderby

# groups of these fields follow their selection order (lifecycle, pyramid), not the alphabet
ORDERED_GROUPS = {'lifecycle_stage': STAGE_CODES, 'value_tier': TIER_CODES}


class CrmSuiteCustomerTransaction(models.Model):
    """The customer cube sliced by the customer's lifecycle stage and value tier: those of the
    company's published lifecycle run (the customer's *current* stage and tier, on every line of
    the customer, also on lines bought in an earlier stage). Lines of customers the published run
    does not classify, or of companies without a published run, have neither."""

    _inherit = 'crm.suite.customer.transaction'
    _depends = {
        'crm.lifecycle.run.line': ['run_id', 'company_id', 'partner_id', 'stage', 'tier'],
        'crm.lifecycle.run': ['published', 'company_id'],
    }

    lifecycle_stage = fields.Selection(
        STAGE_SELECTION, readonly=True,
        help="The customer's current lifecycle stage (the company's published lifecycle run).")
    value_tier = fields.Selection(
        TIER_SELECTION, readonly=True,
        help="The customer's current tier in the customer pyramid (the company's published "
             "lifecycle run).")

    def _cube_fields(self):
        cube_fields = super()._cube_fields()
        cube_fields['lifecycle_stage'] = SQL('lcv_line.stage')
        cube_fields['value_tier'] = SQL('lcv_line.tier')
        return cube_fields

    def _cube_joins(self):
        # the company's published run (one per company; grouped so that PostgreSQL can prove it,
        # the partial unique index does not), then the customer's line of that run (unique per
        # partner and run): at most one row per invoice line, and two joins PostgreSQL leaves out
        # of a query that reads neither column. Both name the company of the move (``am``, the
        # line's company too), not of the line: the join of the run can only be left out when
        # the join of the lines refers to nothing else than the run and what the run's join refers to.
        return [*super()._cube_joins(), SQL(
            """LEFT JOIN (SELECT company_id, MAX(id) AS id FROM crm_lifecycle_run
                           WHERE published GROUP BY company_id) lcv_run
                      ON lcv_run.company_id = am.company_id
               LEFT JOIN crm_lifecycle_run_line lcv_line
                      ON lcv_line.run_id = lcv_run.id AND lcv_line.partner_id = am.commercial_partner_id
                     AND lcv_line.company_id = am.company_id""")]

    def _cube_export_fields(self):
        return [*super()._cube_export_fields(), 'lifecycle_stage', 'value_tier']

    def _read_group_orderby(self, order, groupby_terms, query):
        """Groups by stage or tier come in lifecycle / pyramid order, not alphabetically."""
        return selection_orderby(self, super()._read_group_orderby, order, groupby_terms, query,
                                 ORDERED_GROUPS)
