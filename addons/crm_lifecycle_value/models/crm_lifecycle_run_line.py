from odoo import fields, models
from odoo.tools import SQL

from .figures import FIGURES, figure_field


class CrmLifecycleRunLine(models.Model):
    """The lifecycle and value figures of one customer computed by one refresh run.

    A run writes its lines in batches (one binary ``COPY`` per batch, committed with the run's
    batch counter), so an interrupted run resumes where it stopped. The lines of the company's
    *published* run are what users see as ``crm.customer.value`` (a view over this table): a run
    publishes all its lines at once by becoming the published run, then the lines of the older
    runs are deleted. Readers therefore see either the previous run or the new one, never a mix,
    and a nightly refresh writes each customer's row once instead of staging it and then updating
    a second table.
    """

    _name = 'crm.lifecycle.run.line'
    _description = 'Customer Lifecycle Run Line'
    _log_access = False
    _order = 'run_id, partner_id'

    # plain integers, no foreign keys: the rows are written in bulk (a foreign key check per row
    # would cost more than the row) and removed with their run (crm.lifecycle.run.unlink());
    # the crm.customer.value view joins res_partner, so a deleted partner's line is never shown
    run_id = fields.Integer(required=True)
    company_id = fields.Integer(required=True)
    partner_id = fields.Integer(required=True)
    # the figures (models/figures.py), stored as computed by the engine
    for _figure in FIGURES:
        locals()[_figure] = figure_field(_figure, stored=True)
    del _figure

    # serves the partner look-ups of the view (leading partner_id) and guards the batches
    _partner_run_uniq = models.UniqueIndex('(partner_id, run_id)', 'One line per run and customer.')

    def init(self):
        """Version 1.0 kept only transient staging rows here, in an UNLOGGED table; the lines are
        now the published values and must survive a crash."""
        self.env.cr.execute(SQL(
            """SELECT relpersistence FROM pg_class WHERE relname = %s""", self._table))
        row = self.env.cr.fetchone()
        if row and row[0] == 'u':
            self.env.cr.execute(SQL('ALTER TABLE %s SET LOGGED', SQL.identifier(self._table)))
