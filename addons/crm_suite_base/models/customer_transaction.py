from collections import defaultdict

from odoo import fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.facts import aggregate_settings, facts_query
from ..tools.xlsx import XlsxReport

MAX_EXPORT_ROWS = 1_000_000


class CrmSuiteCustomerTransaction(models.Model):
    """The customer cube: one read-only row per posted customer invoice / credit note product line
    (``id`` is the journal item's), with the revenue, cost, margin and purchase date of the
    customer transaction facts (``tools/facts.py``: the same expressions as the facts service) and
    the dimensions to slice them by: customer, product, product category, salesperson, sales team,
    customer country, company. There is no aggregate in the query: the pivot and graph views
    aggregate the lines once, by whatever dimensions the user picks.

    The rows come from :attr:`_table_query` (no SQL view in the database), built from two hooks
    that other addons extend, in the style of ``sale.report._select_additional_fields``:

    * :meth:`_cube_fields` returns ``{column name: SQL expression}``, the columns after the core
      ones of the facts (``id, company_id, currency_id, partner_id, date, revenue, cost, margin,
      line_count``, which cannot be replaced);
    * :meth:`_cube_joins` returns a list of ``SQL`` join clauses, added after the base joins.

    The expressions and joins may use these stable aliases of the base query: ``aml``
    (account_move_line, the invoice line), ``am`` (account_move, its invoice or credit note),
    ``cp`` (res_partner, the commercial partner), ``pp`` (product_product), ``pt``
    (product_template), ``rc`` (res_company, the line's company). An extension:

    1. declares its field on the model, ``readonly=True``, named like its column;
    2. overrides :meth:`_cube_fields` (``fields = super()._cube_fields(); fields['x'] = SQL(...)``)
       and, when it needs a table, :meth:`_cube_joins` (``[*super()._cube_joins(), SQL(...)]``);
       every join must match at most one row per invoice line (a LEFT JOIN on a unique key: an
       inner join would hide lines, a join matching several rows would count a line several
       times); aliases of its joins start with the addon's own prefix (``lcv_`` ...) so that
       two extensions never clash;
    3. names in ``_depends`` the fields its SQL reads, so that pending ORM writes are flushed
       before the report is read;
    4. may append field names to :meth:`_cube_export_fields` (columns of the Excel export).

    A LEFT JOIN on a primary key or unique index whose columns no query uses is left out by
    PostgreSQL: a dimension costs nothing to a pivot that does not show it. The groups of the
    pivot, graph and grouped lists (:meth:`_read_grouping_sets`, :meth:`_read_group`) run with the
    planner settings of the facts service. The rows' ids are the invoice lines': code that changes
    what an extension joins (e.g. a lifecycle refresh writing its lines in bulk) and reads the cube
    again in the same transaction invalidates the cube's cache first.
    """

    _name = "crm.suite.customer.transaction"
    _description = "Customer Transactions"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _depends = {
        "account.move.line": [
            "move_id", "company_id", "balance", "quantity", "product_id", "product_uom_id",
            "display_type", "parent_state",
        ],
        "account.move": [
            "move_type", "invoice_date", "reversed_entry_id", "commercial_partner_id", "invoice_user_id",
        ],
        "res.company": ["currency_id", "crm_intel_margin_fallback"],
        "res.partner": ["country_id"],
        "res.users": ["sale_team_id"],
        "product.product": ["product_tmpl_id", "standard_price"],
        "product.template": ["categ_id", "uom_id"],
        "uom.uom": ["factor"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    date = fields.Date(
        string="Purchase Date", readonly=True,
        help="Invoice date; a credit note counts on the date of the invoice it reverses.")
    revenue = fields.Monetary(readonly=True)
    cost = fields.Monetary(readonly=True)
    margin = fields.Monetary(readonly=True)
    line_count = fields.Integer(string="Invoice Lines", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True, help="Salesperson of the invoice.")
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True,
        help="Sales team of the invoice (with Sales installed), else the salesperson's team.")
    country_id = fields.Many2one(
        "res.country", string="Customer Country", readonly=True,
        help="Country of the customer (the commercial partner).")

    def init(self):
        # earlier versions created a SQL view of this name; the rows come from _table_query now
        tools.drop_view_if_exists(self.env.cr, self._table)

    @property
    def _table_query(self):
        flush = []
        with_cogs = self._cube_has_cogs()
        if with_cogs:
            flush.append(self.env["account.move.line"]._fields["cogs_origin_id"])
        query = facts_query(
            with_cogs, report=True, report_columns=self._cube_fields(), report_joins=self._cube_joins())
        return SQL().join([query, *(SQL(to_flush=field) for field in flush)])

    def _read_group(self, *args, **kwargs):
        """Groups of the graph and grouped list views: one aggregate over all the lines, run with
        the planner settings of the facts service (:meth:`_cube_planner_settings`)."""
        with self._cube_planner_settings():
            return super()._read_group(*args, **kwargs)

    def _read_grouping_sets(self, *args, **kwargs):
        """The pivot view's groups (all its row and column groupings in one ``GROUPING SETS``
        query), with the same planner settings as :meth:`_read_group`."""
        with self._cube_planner_settings():
            return super()._read_grouping_sets(*args, **kwargs)

    def _cube_planner_settings(self):
        """The planner settings of the facts service (``tools/facts.py``, :func:`aggregate_settings`)."""
        return aggregate_settings(self.env.cr)

    def _cube_has_cogs(self):
        """Whether stock_account's COGS journal items exist (the same test as the facts service)."""
        return self.env["crm.suite.facts"]._facts_has_cogs()

    def _cube_move_team_field(self):
        """``account.move.team_id`` when the Sales app (``sale``) stores it, else None."""
        field = self.env["account.move"]._fields.get("team_id")
        if field and field.store and field.type == "many2one" and field.comodel_name == "crm.team":
            return field
        return None

    def _cube_fields(self):
        """Columns of the cube after the core columns of the facts: ``{column name: SQL expression}``
        over the aliases of the base query (see the class docstring). Extend with
        ``fields = super()._cube_fields()``; every column needs a field of the same name."""
        team_field = self._cube_move_team_field()
        if team_field:
            team = SQL.identifier("am", "team_id", to_flush=team_field)
        else:
            team = SQL("cube_salesperson.sale_team_id")
        return {
            "product_id": SQL("aml.product_id"),
            "categ_id": SQL("pt.categ_id"),
            "user_id": SQL("am.invoice_user_id"),
            "team_id": team,
            "country_id": SQL("cp.country_id"),
        }

    def _cube_joins(self):
        """Join clauses (``SQL``) of the cube after the base joins; each matches at most one row per
        invoice line (see the class docstring). Extend with ``[*super()._cube_joins(), SQL(...)]``."""
        if self._cube_move_team_field():
            return []
        return [SQL("LEFT JOIN res_users cube_salesperson ON cube_salesperson.id = am.invoice_user_id")]

    def _cube_export_fields(self):
        """Fields of the *Transactions* sheet of the Excel export after the amounts (dimensions;
        extensions append theirs)."""
        return ["user_id", "team_id", "country_id", "company_id"]

    def _cube_published_line_join(self, alias, run_table, line_table):
        """The two joins of an extension that reads the customer's line of its company's published
        run (a ``crm.suite.run`` model ``run_table`` and its line table): the published run per
        company (grouped, so that PostgreSQL can prove it unique: the partial unique index does not),
        then the customer's line of that run (unique per partner and run). At most one row per
        invoice line, and joins PostgreSQL leaves out of a query that reads none of their columns;
        both name the move's company (the line's too), so that the run's join can go as well.

        :param alias: prefix of the two aliases, ``<alias>_run`` and ``<alias>_line`` (the columns
            of :meth:`_cube_fields` read ``<alias>_line``)
        """
        run, line = SQL.identifier(f"{alias}_run"), SQL.identifier(f"{alias}_line")
        return SQL(
            """LEFT JOIN (SELECT company_id, MAX(id) AS id FROM %(runs)s
                           WHERE published GROUP BY company_id) %(run)s
                      ON %(run)s.company_id = am.company_id
               LEFT JOIN %(lines)s %(line)s
                      ON %(line)s.run_id = %(run)s.id AND %(line)s.partner_id = am.commercial_partner_id
                     AND %(line)s.company_id = am.company_id""",
            runs=SQL.identifier(run_table), lines=SQL.identifier(line_table), run=run, line=line)

    def _cube_export_converter(self, fname):
        """A function from a record's value of ``fname`` to its cell (a label for relational and
        selection fields, read once per field instead of once per row)."""
        field = self._fields[fname]
        if field.type == "many2one":
            return lambda value: value.display_name or ""
        if field.type == "selection":
            labels = dict(field._description_selection(self.env))
            return lambda value: labels.get(value, value or "")
        return lambda value: field.convert_to_export(value, self)

    def action_export_xlsx(self):
        """Excel workbook of the selected rows (all readable rows when none is selected): summary,
        monthly revenue / margin chart and the invoice lines themselves.

        Amounts are converted from each company's currency into the reporting currency of the
        current company (setting *Reporting currency*, default the company currency) at today's rate.
        """
        env = self.env
        records = self or self.search([], limit=MAX_EXPORT_ROWS + 1)
        if not records:
            raise UserError(env._("There is no customer transaction to export."))
        if len(records) > MAX_EXPORT_ROWS:
            raise UserError(env._(
                "More than %(max)s rows selected: an Excel sheet cannot hold them. Filter the report first.",
                max=MAX_EXPORT_ROWS,
            ))
        dimensions = self._cube_export_fields()
        records.fetch(["date", "partner_id", "company_id", "product_id", "categ_id", "revenue", "cost",
                       "margin", *dimensions])
        target = self.env.company._crm_intel_currency()
        today = fields.Date.context_today(self)
        rates = {
            company: company.currency_id._get_conversion_rate(company.currency_id, target, company, today)
            for company in records.company_id
        }
        converters = [(fname, self._cube_export_converter(fname)) for fname in dimensions]
        rows = []
        months = defaultdict(lambda: [0.0, 0.0, 0.0])
        for rec in records.sorted(lambda r: (r.date, r.partner_id.id, r.id)):
            rate = rates[rec.company_id]
            revenue, cost, margin = rec.revenue * rate, rec.cost * rate, rec.margin * rate
            rows.append((
                rec.date, rec.partner_id.display_name, rec.product_id.display_name or "",
                rec.categ_id.display_name or "", revenue, cost, margin,
                margin / revenue if revenue else None,
                *(convert(rec[fname]) for fname, convert in converters),
            ))
            month = months[rec.date.replace(day=1)]
            month[0] += revenue
            month[1] += cost
            month[2] += margin
        total_revenue = sum(r[4] for r in rows)
        total_margin = sum(r[6] for r in rows)
        report = XlsxReport(currency_symbol=target.symbol or target.name, symbol_position=target.position)
        title = env._("Customer Transactions (%(currency)s)", currency=target.name)
        report.add_summary(env._("Summary"), title, [
            (env._("Customers"), len(records.partner_id), "int"),
            (env._("Invoice lines"), len(rows), "int"),
            (env._("First invoice date"), rows[0][0], "date"),
            (env._("Last invoice date"), rows[-1][0], "date"),
            (env._("Revenue"), total_revenue, "money"),
            (env._("Cost"), sum(r[5] for r in rows), "money"),
            (env._("Margin"), total_margin, "money"),
            (env._("Margin rate"), total_margin / total_revenue if total_revenue else None, "percent"),
        ])
        month_columns = [
            (env._("Month"), "date"), (env._("Revenue"), "money"),
            (env._("Cost"), "money"), (env._("Margin"), "money"),
        ]
        by_month = report.add_table(
            env._("By Month"), month_columns, [(month, *values) for month, values in sorted(months.items())],
        )
        report.add_chart(
            by_month.sheet, "column", env._("Revenue and margin per month"), by_month.column(0),
            [(env._("Revenue"), by_month.column(1)), (env._("Margin"), by_month.column(3))], anchor="F2",
        )
        line_columns = [
            (env._("Invoice Date"), "date"), (env._("Customer"), "text"), (env._("Product"), "text"),
            (env._("Product Category"), "text"), (env._("Revenue"), "money"), (env._("Cost"), "money"),
            (env._("Margin"), "money"), (env._("Margin rate"), "percent"),
            *((self._fields[fname]._description_string(env), "text") for fname in dimensions),
        ]
        report.add_table(env._("Transactions"), line_columns, rows)
        filename = f"customer_transactions_{today.isoformat()}.xlsx"
        return env["crm.suite.export"].download(filename, report.to_bytes())
