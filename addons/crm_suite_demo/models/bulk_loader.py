"""Bulk loader of benchmark-size customer invoice history (100k customers / 1M invoice lines).

The ORM posts about a hundred invoices a second; a million invoice lines would take hours. This
loader draws the history with numpy (seeded, deterministic) and writes it with set-based SQL: the
per-row numbers go to temporary tables through PostgreSQL ``COPY``, and ``INSERT ... SELECT`` joins
fill in everything else. It writes what the ORM would have written for posted customer invoices
and credit notes without taxes, and keeps the ORM's invariants:

partners (``res_partner``)
    companies and persons, ``commercial_partner_id = id``, ``complete_name``, ``active``,
    ``type = 'contact'``, ``lang``, ``partner_share``, ``autopost_bills`` (NOT NULL),
    ``customer_rank`` = number of posted invoices and credit notes (what ``_increase_rank`` does).
moves (``account_move``)
    ``move_type`` ``out_invoice`` (or ``out_refund``), ``state = 'posted'``, ``posted_before``,
    ``journal_id`` = the company's first sale journal, ``company_id``, ``currency_id`` = company
    currency (``invoice_currency_rate = 1``), ``partner_id = commercial_partner_id`` =
    ``partner_shipping_id``, ``date = invoice_date = invoice_date_due``; ``name`` unique per journal,
    following the journal's yearly sequence (``INV/2025/00001``, credit notes ``RINV/...``) after the
    highest number already used, numbered in date order, with ``sequence_prefix`` /
    ``sequence_number`` set as the sequence mixin does; amounts (``amount_untaxed``,
    ``amount_total``, ``amount_residual`` and their ``_signed`` / ``_in_currency_signed`` forms,
    negative signed amounts for credit notes, ``amount_tax = 0``), ``payment_state = 'not_paid'``.
lines (``account_move_line``)
    per move, one to many ``display_type = 'product'`` lines on the journal's income account
    (``product_id``, ``product_uom_id``, ``quantity``, ``price_unit``, ``price_subtotal`` =
    ``price_total`` = quantity x price rounded to the cent) and one ``payment_term`` line on the
    receivable account whose balance is minus their sum: every move is balanced
    (``SUM(balance) = 0``); ``debit``/``credit`` are the positive/negative parts of ``balance``;
    ``amount_currency = balance`` (company currency); ``amount_residual`` (and
    ``_currency``) = ``balance`` on the receivable line, 0 elsewhere; ``parent_state``,
    ``move_name``, ``date``, ``invoice_date``, ``journal_id``, ``company_id``,
    ``company_currency_id``, ``currency_id``, ``partner_id`` (commercial partner) copied from the
    move; ``date_maturity`` on the receivable line.

Then ``ANALYZE`` of the three tables, and the ORM caches are invalidated. On request
(``skip_fk_checks=True``), and only in the benchmark database, foreign-key triggers are skipped
during the inserts (see :meth:`_bulk_skip_fk_checks`).

The entry point :meth:`_load_benchmark` is private: it is called from Python (``bench/``, an
``odoo shell``), never over RPC.
The data is valid for the ORM (``account.move`` search/read, amounts, reconciliation of the open
receivable lines).
"""

import datetime
import io
import logging
import time

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "crm_suite_base.group_crm_intelligence_manager"
#: ``ir.config_parameter`` naming the benchmark database (set by ``bench/``); only there may the
#: loader switch off the foreign-key triggers.
BENCHMARK_DB_PARAM = "crm_suite_demo.benchmark_database"
N_BULK_PRODUCTS = 50


def _copy_ints(cr, table, columns, array):
    """COPY an integer matrix (one row per record) into ``table``."""
    buffer = io.BytesIO()
    np.savetxt(buffer, array, fmt="%d", delimiter="\t")
    buffer.seek(0)
    cr._obj.copy_expert(  # psycopg2 COPY: the bulk path the brief allows besides odoo.tools.SQL
        f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer,
    )


class CrmSuiteBulkLoader(models.AbstractModel):
    _name = "crm.suite.bulk.loader"
    _description = "CRM Intelligence Suite: bulk loader of benchmark data"

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only CRM Intelligence managers can load benchmark data."))

    @api.model
    def _load_benchmark(self, n_customers=100_000, n_lines=1_000_000, seed=42, years=3,
                        lines_per_move=3.0, refund_rate=0.02, today=None, analyze=True,
                        skip_fk_checks=False):
        """Write ``n_customers`` customers and exactly ``n_lines`` posted invoice product lines for the
        current company; return statistics (counts, seconds, total revenue).

        Customers follow a heterogeneous repeat-purchase process: a purchase rate drawn from a Gamma,
        an active span (some customers exist from the start, others are acquired later, many lapse),
        and a number of invoices proportional to rate x span (each customer with an invoice as long
        as there are at least as many invoices as customers).

        :param lines_per_move: mean number of product lines per invoice
        :param refund_rate: share of the moves that are credit notes
        :param skip_fk_checks: skip the per-row foreign-key triggers during the inserts
            (``session_replication_role = replica``); refused unless this database is the benchmark
            database (the ``crm_suite_demo.benchmark_database`` parameter names it) and the role is
            a PostgreSQL superuser
        :rtype: dict
        """
        self._check_manager()
        if skip_fk_checks:
            self._check_benchmark_database()
        if n_customers < 1 or n_lines < 1 or years <= 0 or lines_per_move < 1:
            raise UserError(self.env._(
                "The bulk loader needs at least one customer, one invoice line, a positive number of "
                "years and at least one line per invoice."))
        return self.sudo()._bulk_load(n_customers, n_lines, seed, years, lines_per_move, refund_rate,
                                      today, analyze, skip_fk_checks)

    def _check_benchmark_database(self):
        """Refuse to touch ``session_replication_role`` outside the benchmark database.

        Switching the triggers off is a superuser-only PostgreSQL setting that disables every
        foreign key and every trigger of the transaction: acceptable for throw-away benchmark data,
        never on a database with real records.
        """
        marked = self.env["ir.config_parameter"].sudo().get_param(BENCHMARK_DB_PARAM)
        if marked != self.env.cr.dbname:
            raise UserError(self.env._(
                "Skipping the foreign-key checks is only allowed in the benchmark database: the "
                "system parameter %(param)s must name this database (%(db)s). Load without "
                "skip_fk_checks, or use a database created by bench/facts.py.",
                param=BENCHMARK_DB_PARAM, db=self.env.cr.dbname))
        self.env.cr.execute(SQL("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        row = self.env.cr.fetchone()
        if not (row and row[0]):
            raise UserError(self.env._(
                "Skipping the foreign-key checks needs a PostgreSQL superuser role; load without "
                "skip_fk_checks."))

    def _bulk_load(self, n_customers, n_lines, seed, years, lines_per_move, refund_rate, today, analyze,
                   skip_fk_checks):
        started = time.monotonic()
        company = self.env.company
        today = fields.Date.to_date(today) if today else fields.Date.context_today(self)
        horizon = max(round(365.25 * years), 1)
        start = today - datetime.timedelta(days=horizon)
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], order="sequence, id", limit=1)
        if not journal:
            raise UserError(self.env._("The company %(company)s has no sales journal.",
                                       company=company.display_name))
        Partner = self.env["res.partner"].with_company(company)
        receivable = Partner._fields["property_account_receivable_id"].get_company_dependent_fallback(Partner)
        income = journal.default_account_id
        if not receivable or not income:
            raise UserError(self.env._(
                "Set a default receivable account and an income account on the sales journal first."))
        products = self._bulk_products(company)
        self.env.flush_all()
        rng = np.random.default_rng(seed)
        plan = self._bulk_plan(rng, n_customers, n_lines, horizon, lines_per_move, refund_rate, products)
        cr = self.env.cr
        cr.execute(SQL("SET LOCAL max_parallel_workers_per_gather = 0"))
        partner_ids = self._bulk_next_ids("res_partner_id_seq", n_customers)
        move_ids = self._bulk_next_ids("account_move_id_seq", len(plan["move_owner"]))
        timings = {}
        fast = skip_fk_checks and self._bulk_skip_fk_checks()
        t0 = time.monotonic()
        self._bulk_insert_partners(partner_ids, plan, seed)
        timings["partners"] = time.monotonic() - t0
        t0 = time.monotonic()
        self._bulk_insert_moves(company, journal, partner_ids, move_ids, plan, start)
        timings["moves"] = time.monotonic() - t0
        t0 = time.monotonic()
        self._bulk_insert_lines(company, journal, income, receivable, move_ids, plan, products)
        timings["lines"] = time.monotonic() - t0
        cr.execute(SQL("DROP TABLE crm_suite_bulk_partner, crm_suite_bulk_move, crm_suite_bulk_line"))
        if fast:
            cr.execute(SQL("SET LOCAL session_replication_role = origin"))
        t0 = time.monotonic()
        if analyze:
            for table in ("res_partner", "account_move", "account_move_line"):
                cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        timings["analyze"] = time.monotonic() - t0
        self.env.invalidate_all()
        line_sign = np.where(plan["move_refund"][plan["line_move"]], -1, 1)
        stats = {
            "company_id": company.id,
            "date_from": start,
            "date_to": today,
            "customers": n_customers,
            "moves": len(move_ids),
            "refunds": int(plan["move_refund"].sum()),
            "lines": len(plan["line_move"]),
            "revenue": float((plan["line_cents"] * line_sign).sum()) / 100.0,
            "partner_id_range": (int(partner_ids[0]), int(partner_ids[-1])),
            "move_id_range": (int(move_ids.min()), int(move_ids.max())),
            "timings": {k: round(v, 2) for k, v in timings.items()},
            "foreign_key_checks": not fast,
            "seconds": round(time.monotonic() - started, 2),
        }
        _logger.info("CRM suite bulk loader: %s customers, %s moves, %s lines in %.1f s %s",
                     n_customers, stats["moves"], stats["lines"], stats["seconds"], stats["timings"])
        return stats

    # ------------------------------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------------------------------
    def _bulk_products(self, company):
        """The products of the bulk history (created through the ORM once, consumables)."""
        Product = self.env["product.product"].with_company(company)
        codes = [f"CSB-{i + 1:03d}" for i in range(N_BULK_PRODUCTS)]
        products = Product.with_context(active_test=False).search([("default_code", "in", codes)])
        missing = sorted(set(codes) - set(products.mapped("default_code")))
        if missing:
            category = self.env["product.category"].search([("name", "=", "CRM Suite Benchmark")], limit=1) \
                or self.env["product.category"].create({"name": "CRM Suite Benchmark"})
            rng = np.random.default_rng(7)
            costs = np.round(rng.gamma(2.0, 40.0, size=N_BULK_PRODUCTS) + 2.0, 2)
            markups = rng.uniform(1.2, 2.0, size=N_BULK_PRODUCTS)
            products |= Product.create([
                {
                    "name": f"Benchmark Item {code[4:]}",
                    "default_code": code,
                    "categ_id": category.id,
                    "type": "consu",
                    "standard_price": float(costs[int(code[4:]) - 1]),
                    "list_price": float(round(costs[int(code[4:]) - 1] * markups[int(code[4:]) - 1], 2)),
                }
                for code in missing
            ])
        return products.sorted("default_code")

    def _bulk_skip_fk_checks(self):
        """Skip the per-row foreign-key triggers during the inserts (benchmark database only).

        Every reference the loader writes comes from rows read or created in the same transaction
        (company, journal, accounts, currency, products, units, the new partners and moves), so the
        checks cannot fail; on ``account_move_line`` (about twenty foreign keys) they cost more than
        the inserts themselves. :meth:`_check_benchmark_database` has checked the database and the
        role; the check is repeated here so that no other path reaches the setting. The setting is
        local to the transaction and reset right after the inserts.
        """
        self._check_benchmark_database()
        self.env.cr.execute(SQL("SET LOCAL session_replication_role = replica"))
        return True

    def _bulk_next_ids(self, sequence, count):
        self.env.cr.execute(SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)", sequence, count))
        return np.array([row[0] for row in self.env.cr.fetchall()], dtype=np.int64)

    @api.model
    def _bulk_plan(self, rng, n_customers, n_lines, horizon, lines_per_move, refund_rate, products):
        """Draw the whole history as numpy arrays (no Python loop per record)."""
        n = n_customers
        n_moves = int(min(n_lines, max(1, round(n_lines / lines_per_move))))
        is_company = rng.random(n) < 0.4
        rate = rng.gamma(0.9, 1.0, size=n)
        existing = rng.random(n) < 0.55
        birth = np.where(existing, 0.0, rng.uniform(0, horizon - 1, size=n))
        lifetime = rng.exponential(horizon * 0.9, size=n)
        end = np.minimum(horizon - 1e-6, birth + np.maximum(lifetime, 1.0))
        weight = rate * (end - birth)
        weight = weight / weight.sum()
        if n_moves >= n:
            owner = np.concatenate([np.arange(n), rng.choice(n, size=n_moves - n, p=weight)])
        else:
            owner = rng.choice(n, size=n_moves, replace=False, p=weight)
        day = np.floor(birth[owner] + rng.random(n_moves) * (end[owner] - birth[owner])).astype(np.int64)
        # the first purchase of each customer is its acquisition day
        first = np.zeros(n_moves, dtype=bool)
        if n_moves >= n:
            first[:n] = True
            day[:n] = np.floor(birth).astype(np.int64)
        refund = (rng.random(n_moves) < refund_rate) & ~first
        # move order = date order (names follow the date), ties by customer
        order = np.lexsort((owner, day))
        owner, day, refund = owner[order], day[order], refund[order]
        extra = n_lines - n_moves
        n_move_lines = 1 + np.bincount(rng.integers(0, n_moves, size=extra), minlength=n_moves)
        line_move = np.repeat(np.arange(n_moves), n_move_lines)
        product_idx = rng.integers(0, len(products), size=n_lines)
        list_cents = np.rint(np.array(products.mapped("list_price")) * 100).astype(np.int64)
        price_cents = np.rint(list_cents[product_idx] * rng.uniform(0.85, 1.1, size=n_lines)).astype(np.int64)
        price_cents = np.maximum(price_cents, 1)
        qty = rng.integers(1, 8, size=n_lines)
        qty = np.where(refund[line_move], np.maximum(qty // 3, 1), qty)
        line_cents = qty * price_cents
        offsets = np.concatenate([[0], np.cumsum(n_move_lines)[:-1]])
        move_cents = np.add.reduceat(line_cents, offsets)
        line_seq = np.arange(n_lines) - offsets[line_move]
        return {
            "is_company": is_company,
            "move_owner": owner,
            "move_day": day,
            "move_refund": refund,
            "move_cents": move_cents,
            "line_move": line_move,
            "line_seq": line_seq,
            "line_product": product_idx,
            "line_qty": qty,
            "line_price_cents": price_cents,
            "line_cents": line_cents,
            "customer_rank": np.bincount(owner, minlength=n),
        }

    def _bulk_insert_partners(self, partner_ids, plan, seed):
        cr = self.env.cr
        cr.execute(SQL("""DROP TABLE IF EXISTS crm_suite_bulk_partner;
            CREATE TEMP TABLE crm_suite_bulk_partner (
            id int, idx int, is_company int, customer_rank int) ON COMMIT DROP"""))
        _copy_ints(cr, "crm_suite_bulk_partner", ["id", "idx", "is_company", "customer_rank"],
                   np.column_stack([
                       partner_ids, np.arange(1, len(partner_ids) + 1), plan["is_company"].astype(np.int64),
                       plan["customer_rank"],
                   ]))
        cr.execute(SQL(
            """INSERT INTO res_partner (
                   id, name, complete_name, commercial_partner_id, commercial_company_name, is_company,
                   type, active, lang, partner_share, customer_rank, supplier_rank, autopost_bills, ref,
                   email, color, message_bounce, create_uid, write_uid, create_date, write_date)
               SELECT t.id, n.name, n.name, t.id, CASE WHEN t.is_company = 1 THEN n.name END,
                      t.is_company = 1, 'contact', TRUE, %(lang)s, TRUE, t.customer_rank, 0, 'ask',
                      %(ref)s || lpad(t.idx::text, 6, '0'),
                      'bulk' || t.idx || '@example.com', 0, 0, %(uid)s, %(uid)s, %(now)s, %(now)s
                 FROM crm_suite_bulk_partner t,
                      LATERAL (SELECT CASE WHEN t.is_company = 1
                                           THEN 'Benchmark Company ' || lpad(t.idx::text, 6, '0')
                                           ELSE 'Benchmark Person ' || lpad(t.idx::text, 6, '0') END
                               AS name) n""",
            lang=self.env.lang or "en_US", ref=f"CSB{seed}-", uid=self.env.uid,
            now=fields.Datetime.now(),
        ))

    def _bulk_sequence_numbers(self, journal, plan, start):
        """Names of the moves: per (credit note?, year) prefix, continuing the journal's numbering."""
        cr = self.env.cr
        cr.execute(SQL(
            """SELECT sequence_prefix, MAX(sequence_number) FROM account_move
                WHERE journal_id = %s AND sequence_prefix IS NOT NULL GROUP BY 1""", journal.id))
        highest = dict(cr.fetchall())
        start_ord = start.toordinal()
        years = np.array([datetime.date.fromordinal(start_ord + int(d)).year
                          for d in range(int(plan["move_day"].max()) + 1)])[plan["move_day"]]
        code = journal.code
        refund_code = f"R{code}" if journal.refund_sequence else code
        prefixes = np.array([
            f"{refund_code if is_refund else code}/{year}/"
            for is_refund, year in zip(plan["move_refund"].tolist(), years.tolist(), strict=True)
        ], dtype=object)
        numbers = np.zeros(len(years), dtype=np.int64)
        for prefix in sorted(set(prefixes.tolist())):
            mask = prefixes == prefix  # moves are in date order: numbers follow the dates
            numbers[mask] = highest.get(prefix, 0) + np.arange(1, int(mask.sum()) + 1)
        return prefixes, numbers

    def _bulk_insert_moves(self, company, journal, partner_ids, move_ids, plan, start):
        cr = self.env.cr
        prefixes, numbers = self._bulk_sequence_numbers(journal, plan, start)
        prefix_list = sorted(set(prefixes))
        index = {prefix: i for i, prefix in enumerate(prefix_list)}
        prefix_idx = np.array([index[prefix] for prefix in prefixes.tolist()], dtype=np.int64)
        cr.execute(SQL("""DROP TABLE IF EXISTS crm_suite_bulk_move;
            CREATE TEMP TABLE crm_suite_bulk_move (
            id int, partner_id int, day int, refund int, seq int, prefix int, cents bigint
        ) ON COMMIT DROP"""))
        _copy_ints(cr, "crm_suite_bulk_move", ["id", "partner_id", "day", "refund", "seq", "prefix", "cents"],
                   np.column_stack([
                       move_ids, partner_ids[plan["move_owner"]], plan["move_day"],
                       plan["move_refund"].astype(np.int64), numbers, prefix_idx.astype(np.int64),
                       plan["move_cents"],
                   ]))
        payment_method_line = journal.inbound_payment_method_line_ids[:1]
        cr.execute(SQL(
            """INSERT INTO account_move (
                   id, name, sequence_prefix, sequence_number, journal_id, company_id, currency_id,
                   partner_id, commercial_partner_id, partner_shipping_id, invoice_partner_display_name,
                   state, move_type, auto_post, payment_state, payment_reference,
                   preferred_payment_method_line_id,
                   date, invoice_date, invoice_date_due, invoice_currency_rate,
                   amount_untaxed, amount_tax, amount_total, amount_residual,
                   amount_untaxed_signed, amount_untaxed_in_currency_signed, amount_tax_signed,
                   amount_total_signed, amount_total_in_currency_signed, amount_residual_signed,
                   always_tax_exigible, checked, posted_before, made_sequence_gap, is_manually_modified,
                   is_move_sent, create_uid, write_uid, create_date, write_date)
               SELECT m.id, p.prefix || CASE WHEN m.seq < 100000 THEN lpad(m.seq::text, 5, '0')
                                             ELSE m.seq::text END,
                      p.prefix, m.seq, %(journal)s, %(company)s, %(currency)s,
                      m.partner_id, m.partner_id, m.partner_id, rp.name,
                      'posted', CASE WHEN m.refund = 1 THEN 'out_refund' ELSE 'out_invoice' END, 'no',
                      'not_paid', p.prefix || CASE WHEN m.seq < 100000 THEN lpad(m.seq::text, 5, '0')
                                                   ELSE m.seq::text END, %(pml)s,
                      %(start)s::date + m.day, %(start)s::date + m.day, %(start)s::date + m.day, 1.0,
                      a.amount, 0.0, a.amount, a.amount,
                      a.signed, a.signed, 0.0, a.signed, a.signed, a.signed,
                      FALSE, TRUE, TRUE, FALSE, FALSE, FALSE, %(uid)s, %(uid)s, %(now)s, %(now)s
                 FROM crm_suite_bulk_move m
                 JOIN unnest(%(prefixes)s::varchar[]) WITH ORDINALITY AS p(prefix, ord)
                   ON p.ord = m.prefix + 1
                 JOIN res_partner rp ON rp.id = m.partner_id,
                      LATERAL (SELECT ROUND(m.cents / 100.0, 2) AS amount,
                                      ROUND(CASE WHEN m.refund = 1 THEN -m.cents ELSE m.cents END / 100.0, 2)
                                      AS signed) a""",
            journal=journal.id, company=company.id, currency=company.currency_id.id,
            pml=payment_method_line.id or None, start=start, uid=self.env.uid, now=fields.Datetime.now(),
            prefixes=prefix_list,
        ))

    def _bulk_insert_lines(self, company, journal, income, receivable, move_ids, plan, products):
        cr = self.env.cr
        cr.execute(SQL("""DROP TABLE IF EXISTS crm_suite_bulk_line;
            CREATE TEMP TABLE crm_suite_bulk_line (
            move_id int, seq int, product_id int, qty int, price_cents bigint, cents bigint
        ) ON COMMIT DROP"""))
        product_ids = np.array(products.ids, dtype=np.int64)
        _copy_ints(cr, "crm_suite_bulk_line", ["move_id", "seq", "product_id", "qty", "price_cents", "cents"],
                   np.column_stack([
                       move_ids[plan["line_move"]], plan["line_seq"], product_ids[plan["line_product"]],
                       plan["line_qty"], plan["line_price_cents"], plan["line_cents"],
                   ]))
        common = {
            "journal": journal.id, "company": company.id, "currency": company.currency_id.id,
            "uid": self.env.uid, "now": fields.Datetime.now(),
        }
        # product lines: credit on income for an invoice (balance < 0), debit for a credit note
        cr.execute(SQL(
            """INSERT INTO account_move_line (
                   move_id, move_name, journal_id, company_id, company_currency_id, currency_id, partner_id,
                   account_id, parent_state, display_type, sequence, name, product_id, product_uom_id,
                   quantity, price_unit, price_subtotal, price_total, discount, discount_amount_currency,
                   discount_balance, debit, credit, balance, amount_currency, amount_residual,
                   amount_residual_currency, deductible_amount, date, invoice_date, reconciled, is_storno,
                   no_followup, create_uid, write_uid, create_date, write_date)
               SELECT l.move_id, m.name, %(journal)s, %(company)s, %(currency)s, %(currency)s,
                      m.commercial_partner_id, %(account)s, 'posted', 'product', 100 + l.seq,
                      CASE WHEN pp.default_code IS NOT NULL THEN '[' || pp.default_code || '] ' ELSE '' END
                          || COALESCE(pt.name ->> %(lang)s, pt.name ->> 'en_US'),
                      l.product_id, pt.uom_id, l.qty, ROUND(l.price_cents / 100.0, 2), a.amount, a.amount,
                      0.0, 0.0, 0.0,
                      CASE WHEN s.sign > 0 THEN a.amount ELSE 0.0 END,
                      CASE WHEN s.sign < 0 THEN a.amount ELSE 0.0 END,
                      s.sign * a.amount, s.sign * a.amount, 0.0, 0.0, 100.0, m.date, m.invoice_date,
                      FALSE, FALSE, FALSE, %(uid)s, %(uid)s, %(now)s, %(now)s
                 FROM crm_suite_bulk_line l
                 JOIN account_move m ON m.id = l.move_id
                 JOIN product_product pp ON pp.id = l.product_id
                 JOIN product_template pt ON pt.id = pp.product_tmpl_id,
                      LATERAL (SELECT CASE WHEN m.move_type = 'out_refund' THEN 1 ELSE -1 END AS sign,
                                      ROUND(l.cents / 100.0, 2) AS amount) s,
                      LATERAL (SELECT s.amount) a""",
            account=income.id, lang=self.env.lang or "en_US", **common,
        ))
        # receivable line: the balancing item, open (residual = balance)
        cr.execute(SQL(
            """INSERT INTO account_move_line (
                   move_id, move_name, journal_id, company_id, company_currency_id, currency_id, partner_id,
                   account_id, parent_state, display_type, sequence, name, quantity, price_unit,
                   price_subtotal, price_total, discount, discount_amount_currency, discount_balance,
                   debit, credit, balance, amount_currency, amount_residual, amount_residual_currency,
                   deductible_amount, date, invoice_date, date_maturity, reconciled, is_storno, no_followup,
                   create_uid, write_uid, create_date, write_date)
               SELECT m.id, m.name, %(journal)s, %(company)s, %(currency)s, %(currency)s,
                      m.commercial_partner_id, %(account)s, 'posted', 'payment_term', 10000, m.name, 0.0,
                      0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                      GREATEST(m.amount_total_signed, 0.0), GREATEST(-m.amount_total_signed, 0.0),
                      m.amount_total_signed, m.amount_total_signed, m.amount_total_signed,
                      m.amount_total_signed, 100.0, m.date, m.invoice_date, m.invoice_date_due,
                      FALSE, FALSE, FALSE, %(uid)s, %(uid)s, %(now)s, %(now)s
                 FROM crm_suite_bulk_move b
                 JOIN account_move m ON m.id = b.id""",
            account=receivable.id, **common,
        ))
