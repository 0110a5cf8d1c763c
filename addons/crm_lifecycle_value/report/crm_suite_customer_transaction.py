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
        return [*super()._cube_joins(),
                self._cube_published_line_join('lcv', 'crm_lifecycle_run', 'crm_lifecycle_run_line')]

    def _cube_export_fields(self):
        return [*super()._cube_export_fields(), 'lifecycle_stage', 'value_tier']

    def _read_group_orderby(self, order, groupby_terms, query):
        """Groups by stage or tier come in lifecycle / pyramid order, not alphabetically."""
        return selection_orderby(self, super()._read_group_orderby, order, groupby_terms, query,
                                 ORDERED_GROUPS)
