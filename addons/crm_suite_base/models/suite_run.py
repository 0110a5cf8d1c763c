import logging
import time
from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.pgcopy import copy_columns, copy_query

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "crm_suite_base.group_crm_intelligence_manager"
DEFAULT_BATCH_SIZE = 50000
#: days a completed, unpublished run is kept (system parameter <prefix>.run_retention_days)
DEFAULT_RUN_RETENTION_DAYS = 90


class CrmSuiteRun(models.AbstractModel):
    """A published run: one refresh of per-customer figures of a company, written in committed
    batches and published only when complete.

    The mechanism the suite's analyses share (``crm.lifecycle.run``, ``crm.segmentation.run``):

    * "Refresh Now" queues a run and triggers the scheduled action (:meth:`action_refresh_company`);
      long work never runs inside a web request;
    * the scheduled action (:meth:`_cron_refresh`) runs the queued and interrupted runs, then once a
      day a run per company with posted customer invoices, then deletes old runs; each run writes
      its lines (one row per customer in the line model ``_run_line_model``, plain integer columns
      and figures) by binary ``COPY`` in batches, committing the batch counter with each batch, so
      an interrupted run resumes from its last batch (:meth:`_write_line_batches`);
    * the last step publishes the run (:meth:`_publish`): its lines become the company's figures
      at once, readers see the previous run or this one, never a mix.

    A concrete run model sets ``_run_line_model``, ``_run_cron_xmlid``, ``_run_param_prefix`` and
    implements :meth:`_execute_steps` (and :meth:`_run_failed_message`).
    """

    _name = "crm.suite.run"
    _description = "CRM Intelligence Run"
    _order = "id desc"
    _check_company_auto = True

    #: model of the run's per-customer lines (integer columns run_id, company_id, partner_id)
    _run_line_model = None
    #: xml id of the scheduled action that executes the runs
    _run_cron_xmlid = None
    #: prefix of the system parameters ``<prefix>.batch_size`` and ``<prefix>.run_retention_days``
    _run_param_prefix = None

    name = fields.Char(readonly=True, copy=False, default=lambda self: self.env._("New"))
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True,
        default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    user_id = fields.Many2one(
        "res.users", string="Requested By", readonly=True, default=lambda self: self.env.user)
    trigger = fields.Selection(
        [("manual", "Refresh Now"), ("cron", "Nightly"), ("demo", "Demo Data")],
        default="manual", readonly=True)
    state = fields.Selection(
        [("running", "Queued / Running"), ("done", "Done"), ("failed", "Failed")],
        string="Status", default="running", required=True, readonly=True, index=True)
    date_from = fields.Date(string="Window Start", readonly=True)
    date_to = fields.Date(string="Window End", readonly=True)
    started_at = fields.Datetime(string="Started", readonly=True, default=fields.Datetime.now)
    finished_at = fields.Datetime(string="Finished", readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 2))
    batch_size = fields.Integer(readonly=True)
    batch_done = fields.Integer(string="Batches Done", readonly=True)
    batch_total = fields.Integer(string="Batches", readonly=True)
    progress = fields.Float(string="Progress (%)", compute="_compute_progress")
    published = fields.Boolean(
        readonly=True, copy=False,
        help="The figures of this run are the ones the company sees (its latest completed run).")
    error_message = fields.Text(string="Error", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code(self._name) or "/"
        return super().create(vals_list)

    @api.depends("batch_done", "batch_total", "state")
    def _compute_progress(self):
        for run in self:
            if run.state == "done":
                run.progress = 100.0
            elif run.batch_total:
                run.progress = 100.0 * run.batch_done / (run.batch_total + 1)
            else:
                run.progress = 0.0

    def unlink(self):
        self._delete_lines()
        return super().unlink()

    def _line_table(self):
        return self.env[self._run_line_model]._table

    def _delete_lines(self):
        """Delete the lines of these runs in one statement (there is one per customer)."""
        if self.ids:
            lines = self.env[self._run_line_model]
            lines.flush_model()
            self.env.cr.execute(SQL(
                "DELETE FROM %s WHERE run_id = ANY(%s)", SQL.identifier(lines._table), self.ids))
            lines.invalidate_model()

    # ------------------------------------------------------------------------------------------
    # entry points
    # ------------------------------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self._run_manager_message())

    def _run_manager_message(self):
        return self.env._("Only CRM Intelligence managers can refresh the analyses.")

    def _run_check_settings(self, company):
        """Refuse settings the run could not use (raised when the refresh is requested, not in the
        night); nothing by default."""

    def _cron(self):
        return self.env.ref(self._run_cron_xmlid).sudo()

    def action_refresh_company(self):
        """"Refresh Now" (list header and form): queue a refresh of the current company and trigger
        the scheduled action, which runs it in committed batches; the form shows its progress.

        A list-header button passes the selected runs (or none): they are ignored, the refresh is
        of the current company. A refresh already queued or running is shown instead of a second one.
        """
        self._check_manager()
        company = self.env.company
        self._run_check_settings(company)
        run = self.search([("company_id", "=", company.id), ("state", "=", "running")], limit=1)
        if not run:
            run = self.create({"company_id": company.id, "trigger": "manual"})
        self._cron()._trigger()
        return run._action_open_form()

    def action_resume(self):
        """Continue an interrupted run (state running) from its last committed batch, in the
        scheduler."""
        self._check_manager()
        if self.filtered(lambda run: run.state != "running"):
            raise UserError(self.env._("Only a running (interrupted) run can be resumed."))
        self._cron()._trigger()
        return self[:1]._action_open_form() if len(self) == 1 else True

    def _action_open_form(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Run"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def _refresh_company_now(self, company=None, trigger="manual", date_to=None):
        """Run a complete refresh of ``company`` in this transaction (tests, demo data, shell);
        the web client queues refreshes instead (:meth:`action_refresh_company`).

        :param date_to: end of the analysis window instead of the company's (the demo data shows
            runs at different dates)
        """
        company = company or self.env.company
        run = self.sudo().create({"company_id": company.id, "trigger": trigger})
        if date_to:
            date_from, _end = company._crm_intel_window()
            span = fields.Date.today() - date_from
            run.write({"date_to": date_to, "date_from": date_to - span})
        run.with_company(company)._execute()
        return run

    @api.model
    def _cron_refresh(self):
        """Scheduled action: run the queued and interrupted runs, then, once a day, the nightly
        refresh of every company that has posted customer invoices; then clean old runs up.

        Each run commits per batch; when the scheduler's time is up the job returns and is called
        again while work remains (``ir.cron._commit_progress``).
        """
        runs_model = self.sudo()  # the scheduler works for every company
        runs = runs_model.search([("state", "=", "running")], order="id")
        if not runs:
            runs = runs_model._create_nightly_runs()
            self._cron_progress(remaining=len(runs))
        for run in runs:
            if not run.with_company(run.company_id)._execute():
                return  # out of time: the scheduler calls again while work remains
        runs_model._clean_old_runs()
        self._cron_progress(remaining=0)

    def _companies_with_invoices(self):
        self.env["account.move"].flush_model(["company_id", "move_type", "state"])
        return [row[0] for row in self.env.execute_query(SQL(
            """SELECT c.id FROM res_company c
                WHERE c.active AND EXISTS (
                      SELECT 1 FROM account_move am
                       WHERE am.company_id = c.id AND am.state = 'posted'
                         AND am.move_type IN ('out_invoice', 'out_refund'))"""))]

    def _create_nightly_runs(self):
        """Runs for the companies with posted customer invoices and no run started today."""
        with_invoices = self._companies_with_invoices()
        today = fields.Datetime.to_datetime(fields.Date.context_today(self))
        done_today = self.search([("started_at", ">=", today), ("company_id", "in", with_invoices)])
        companies = self.env["res.company"].browse(with_invoices) - done_today.company_id
        return self.create([
            {"company_id": company.id, "trigger": "cron", "user_id": self.env.user.id}
            for company in companies
        ])

    def _run_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(f"{self._run_param_prefix}.{key}")
        try:
            return max(int(value), 1) if value else default
        except ValueError:
            return default

    def _clean_old_runs_domain(self, limit):
        return [("state", "!=", "running"), ("published", "=", False), ("started_at", "<", limit)]

    def _clean_old_runs(self):
        """Delete completed runs older than the retention period, except the published ones (their
        lines are the customer figures) and the ones a run model keeps (``_clean_old_runs_domain``)."""
        days = self._run_param("run_retention_days", DEFAULT_RUN_RETENTION_DAYS)
        old = self.search(self._clean_old_runs_domain(fields.Datetime.now() - timedelta(days=days)))
        old.unlink()
        return len(old)

    def _cron_progress(self, processed=0, remaining=None):
        """``ir.cron._commit_progress`` when running inside the scheduler (commits, reports
        progress, returns the seconds left); nothing outside it (manual refresh, tests)."""
        if self._in_cron():
            return self.env["ir.cron"]._commit_progress(processed, remaining=remaining)
        return float("inf")

    # ------------------------------------------------------------------------------------------
    # execution
    # ------------------------------------------------------------------------------------------
    def _in_cron(self):
        return bool(self.env.context.get("ir_cron_progress_id") and self.env.context.get("cron_id"))

    def _commit_batch(self, processed=1):
        """Commit the batch in cron mode (reports progress) and return the seconds left; outside
        the scheduler the whole run is one transaction and nothing is committed."""
        self.env.flush_all()
        if self._in_cron():
            remaining = max(self.batch_total - self.batch_done, 0) + 1 if self.state == "running" else 0
            return self._cron_progress(processed, remaining=remaining)
        return float("inf")

    def _run_failed_message(self, error):
        return self.env._("The refresh of %(company)s failed: %(error)s",
                          company=self.company_id.display_name, error=error)

    def _execute(self, max_batches=None):
        """Run (or resume) this run; returns True when it is finished (done or failed).

        In the scheduler a failure is recorded on the run (state failed, its lines deleted);
        elsewhere it is raised, a ``ValueError`` of the engine as a clear ``UserError``.

        :param max_batches: stop after that many batches (tests use it to simulate a crash)
        """
        self.ensure_one()
        if self.state != "running":
            return True
        started = time.monotonic()
        in_cron = self._in_cron()
        try:
            finished = self._execute_steps(max_batches)
        except Exception as error:
            if not in_cron:
                if isinstance(error, ValueError):
                    raise UserError(self._run_failed_message(error)) from error
                raise
            _logger.exception("%s %s failed", self._description, self.id)
            self.env.cr.rollback()
            self.env.invalidate_all()
            self.write({
                "state": "failed",
                "error_message": str(error),
                "finished_at": fields.Datetime.now(),
            })
            self._delete_lines()
            self._cron_progress(remaining=0)
            return True
        self.duration += time.monotonic() - started
        if in_cron:
            self._commit_batch(0)
        return finished

    def _execute_steps(self, max_batches):
        """Read, compute, write the batches and publish; False when stopped before the end."""
        raise NotImplementedError

    def _published_run(self):
        return self._published_run_of(self.company_id)

    @api.model
    def _published_run_of(self, company):
        """The published run of ``company``: the one whose lines are its figures (empty when none)."""
        return self.search([("company_id", "=", company.id), ("published", "=", True)], limit=1)

    def _default_batch_size(self):
        return self._run_param("batch_size", DEFAULT_BATCH_SIZE)

    def _finish(self):
        self.write({
            "state": "done",
            "finished_at": fields.Datetime.now(),
            "batch_done": self.batch_total,
        })

    # ------------------------------------------------------------------------------------------
    # lines and publishing
    # ------------------------------------------------------------------------------------------
    def _write_line_batches(self, partner_ids, columns, max_batches=None):
        """Write the lines this run has not written yet, batch by batch: one binary ``COPY`` per
        batch, committed with the batch counter in the scheduler, so a resumed run continues.

        :param partner_ids: the customers, one line each
        :param columns: ``{column: (copy kind, aligned array)}`` (kinds of ``tools/pgcopy.py``;
            NaN floats and NaT dates are written as NULL)
        :return: False when stopped before the last batch (``max_batches``, the scheduler's time)
        """
        lines = self.env[self._run_line_model]
        lines.flush_model()
        written = copy_query(self.env.cr, SQL(
            "SELECT partner_id FROM %s WHERE run_id = %s", SQL.identifier(lines._table), self.id),
            ["int4"])[0]
        todo = np.flatnonzero(~np.isin(partner_ids, written))
        size = self.batch_size or DEFAULT_BATCH_SIZE
        done = 0
        for start in range(0, len(todo), size):
            if max_batches is not None and done >= max_batches:
                return False
            index = todo[start:start + size]
            count = len(index)
            batch = [("int4", np.full(count, self.id)), ("int4", np.full(count, self.company_id.id)),
                     ("int4", partner_ids[index])]
            # a column may be None: NULL for every line (a figure the run could not compute)
            batch += [(kind, None if values is None else values[index]) for kind, values in columns.values()]
            copy_columns(self.env.cr, lines._table, ["run_id", "company_id", "partner_id", *columns], batch)
            self.batch_done += 1
            done += 1
            if self._commit_batch(1) <= 0 and start + size < len(todo):
                return False
        return True

    def _batch_total(self, count):
        return max(-(-count // (self.batch_size or DEFAULT_BATCH_SIZE)), 1)

    def _publish(self):
        """Make this run the published run of its company (the unpublishing first: a company has
        at most one published run, which the concrete model's unique index guarantees)."""
        self.flush_model(["published"])
        table = SQL.identifier(self._table)
        self.env.cr.execute(SQL(
            "UPDATE %s SET published = FALSE WHERE company_id = %s AND published AND id <> %s",
            table, self.company_id.id, self.id))
        self.env.cr.execute(SQL("UPDATE %s SET published = TRUE WHERE id = %s", table, self.id))
        self.invalidate_model(["published"])

    def _delete_unpublished_lines(self, keep_run_ids=()):
        """After publishing: delete the lines of the company's other completed runs, except those
        of ``keep_run_ids``."""
        keep = [self.id, *keep_run_ids]
        self.env.cr.execute(SQL(
            """DELETE FROM %(lines)s l
                USING %(runs)s r
                WHERE r.id = l.run_id AND l.company_id = %(company)s AND r.company_id = %(company)s
                  AND l.run_id <> ALL(%(keep)s) AND r.state <> 'running'""",
            lines=SQL.identifier(self._line_table()), runs=SQL.identifier(self._table),
            company=self.company_id.id, keep=keep))
        self.env[self._run_line_model].invalidate_model()
