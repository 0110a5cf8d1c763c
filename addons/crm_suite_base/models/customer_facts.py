import numpy as np

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools.facts import FACTS_COLUMN_KINDS, CustomerFacts, aggregate_settings, facts_query, partners_query
from ..tools.pgcopy import copy_query


class CrmSuiteFacts(models.AbstractModel):
    """Customer transaction facts service (see ``tools/facts.py`` for the definitions)."""

    _name = "crm.suite.facts"
    _description = "CRM Intelligence: customer transaction facts"

    def _facts_has_cogs(self):
        """Whether stock_account is installed (COGS journal items carry ``cogs_origin_id``)."""
        return "cogs_origin_id" in self.env["account.move.line"]._fields

    def _facts_window(self, company, date_from, date_to):
        if not company or len(company) != 1 or company._name != "res.company":
            raise UserError(self.env._("Customer facts are computed for exactly one company."))
        default_from, default_to = company._crm_intel_window()
        date_from = fields.Date.to_date(date_from) if date_from else default_from
        date_to = fields.Date.to_date(date_to) if date_to else default_to
        return date_from, date_to

    def _facts_execute(self, query):
        """Run the facts ``query`` with the planner settings of one large aggregate
        (:func:`~odoo.addons.crm_suite_base.tools.facts.aggregate_settings`) and return its columns
        as numpy arrays (binary ``COPY``, see ``tools/pgcopy.py``: no Python tuple per row)."""
        with aggregate_settings(self.env.cr):
            return copy_query(self.env.cr, query, FACTS_COLUMN_KINDS)

    def _facts_flush(self):
        """Write pending ORM changes of everything the facts query reads (it reads the tables)."""
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["res.company"].flush_model(["crm_intel_margin_fallback"])
        self.env["product.product"].flush_model(["standard_price", "product_tmpl_id"])
        self.env["product.template"].flush_model(["uom_id"])
        self.env["uom.uom"].flush_model(["factor"])

    def _get_customer_facts(self, company, date_from=None, date_to=None, partner_ids=None):
        """Posted customer invoice / credit note lines of ``company`` whose invoice date lies between
        ``date_from`` and ``date_to`` included (default: the company's analysis window), aggregated per
        commercial partner and invoice date in one set-based query.

        :param partner_ids: iterable of commercial partner ids to restrict to (batching); ``None``: all
        :rtype: CustomerFacts (empty arrays when nothing matches, never an exception)
        """
        date_from, date_to = self._facts_window(company, date_from, date_to)
        currency_id = company.currency_id.id
        if partner_ids is not None:
            partner_ids = [int(pid) for pid in partner_ids]
        if date_from > date_to or partner_ids == []:
            return CustomerFacts.empty_facts(company.id, currency_id, date_from, date_to)
        self._facts_flush()
        with_cogs = self._facts_has_cogs()
        # the invoices and plain credit notes, then the few credit notes reversing an invoice
        # (dated by that invoice): two simple queries instead of one join over every line
        fallback = company.crm_intel_margin_fallback  # a value: no join of res_company per line
        direct = self._facts_execute(facts_query(
            with_cogs, [company.id], date_from, date_to, partner_ids, part="direct",
            margin_fallback=fallback))
        reversals = self._facts_execute(facts_query(
            with_cogs, [company.id], date_from, date_to, partner_ids, part="reversals",
            margin_fallback=fallback))
        columns = [np.concatenate([a, b]) for a, b in zip(direct, reversals, strict=True)]
        return CustomerFacts.from_columns(columns, company.id, currency_id, date_from, date_to)

    def _get_customer_partner_ids(self, company, date_from=None, date_to=None):
        """Commercial partners with at least one posted customer invoice line in the window, sorted."""
        date_from, date_to = self._facts_window(company, date_from, date_to)
        if date_from > date_to:
            return []
        self._facts_flush()
        return [row[0] for row in self.env.execute_query(partners_query([company.id], date_from, date_to))]
