import math

import numpy as np
from scipy import sparse

from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_suite_base.tools.pgcopy import copy_columns, copy_query

#: rule columns written by COPY, with their kinds
RULE_COLUMNS = {
    'run_id': 'int4',
    'company_id': 'int4',
    'level': 'text',
    'antecedent_key': 'text',
    'consequent_key': 'text',
    'antecedent_size': 'int4',
    'basket_count': 'int4',
    'support': 'float8',
    'confidence': 'float8',
    'lift': 'float8',
    'leverage': 'float8',
    'conviction': 'float8',
}


class CrmCrossSellRun(models.Model):
    """One mining of the cross-sell rules of a company.

    Baskets are the confirmed sale orders of the analysis window (or every customer's orders of the
    window, a setting); the engine finds, at product and at product-category level, every rule
    whose support and confidence reach the company's thresholds (``crm_mining.association_rules``,
    the rules mlxtend finds), written in one ``COPY`` per level and published at the end. The
    quotation's *Suggested Products* and the customer's recommendations read the published rules.
    """

    _name = 'crm.cross.sell.run'
    _inherit = ['crm.suite.run']
    _description = 'Cross-Sell Run'
    _run_line_model = 'crm.cross.sell.rule'
    _run_cron_xmlid = 'crm_mining_prediction.ir_cron_crm_cross_sell_refresh'
    _run_param_prefix = 'crm_mining_prediction.cross_sell'

    basket_kind = fields.Selection(
        [('order', 'Per Sale Order'), ('customer', 'Per Customer History')], string='Baskets', readonly=True
    )
    min_support = fields.Float(string='Minimum Support (%)', readonly=True, digits=(16, 3))
    min_confidence = fields.Float(string='Minimum Confidence (%)', readonly=True)
    basket_count = fields.Integer(string='Number of Baskets', readonly=True)
    product_rule_count = fields.Integer(string='Product Rules', readonly=True)
    category_rule_count = fields.Integer(string='Category Rules', readonly=True)
    rule_ids = fields.One2many('crm.cross.sell.rule', 'run_id', string='Rules')

    _company_published_uniq = models.UniqueIndex(
        '(company_id) WHERE published', 'A company has one published cross-sell run.'
    )

    def _run_manager_message(self):
        return self.env._('Only CRM Intelligence managers can refresh the cross-sell rules.')

    def _run_failed_message(self, error):
        return self.env._(
            'The cross-sell rules of %(company)s failed: %(error)s',
            company=self.company_id.display_name,
            error=error,
        )

    def _action_open_form(self):
        action = super()._action_open_form()
        action['name'] = self.env._('Cross-Sell Run')
        return action

    def action_open_rules(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'crm_mining_prediction.crm_cross_sell_rule_action'
        )
        action['domain'] = [('run_id', '=', self.id)]
        action['context'] = {}
        return action

    def _execute_steps(self, max_batches):
        from crm_mining import association_rules

        company = self.company_id
        if not self.basket_kind:
            window_from, window_to = company._crm_intel_window()
            self.write(
                {
                    'date_from': self.date_from or window_from,
                    'date_to': self.date_to or window_to,
                    'basket_kind': company.crm_xsell_basket,
                    'min_support': company.crm_xsell_min_support,
                    'min_confidence': company.crm_xsell_min_confidence,
                    'batch_total': 2,
                }
            )
        self._delete_lines()  # one transaction per level below: a resumed run starts again
        self.batch_done = 0
        counts = {}
        for level in ('product', 'category'):
            baskets = self._baskets(level)
            self.basket_count = baskets.shape[0]
            if not baskets.shape[0]:
                counts[level] = 0
                continue
            rules = association_rules(
                baskets, self.min_support / 100.0, self.min_confidence / 100.0, max_len=3
            )
            counts[level] = self._write_rules(level, rules)
            self.batch_done += 1
            self._commit_batch(1)
        self.write({'product_rule_count': counts['product'], 'category_rule_count': counts['category']})
        self._publish()
        self._delete_unpublished_lines()
        self._finish()
        return True

    def _baskets(self, level):
        """The baskets as a sparse matrix (baskets x item ids): one set-based read of the distinct
        (basket, item) pairs of the confirmed sale order lines."""
        self.env['sale.order'].flush_model(['state', 'company_id', 'partner_id', 'date_order'])
        self.env['sale.order.line'].flush_model(['order_id', 'product_id', 'display_type', 'is_downpayment'])
        item = SQL('sol.product_id') if level == 'product' else SQL('pt.categ_id')
        basket = SQL('so.id') if self.basket_kind == 'order' else SQL('cp.commercial_partner_id')
        query = SQL(
            """SELECT DISTINCT %(basket)s::int4, %(item)s::int4
                 FROM sale_order_line sol
                 JOIN sale_order so ON so.id = sol.order_id
                 JOIN res_partner cp ON cp.id = so.partner_id
                 JOIN product_product pp ON pp.id = sol.product_id
                 JOIN product_template pt ON pt.id = pp.product_tmpl_id
                WHERE so.state = 'sale' AND so.company_id = %(company)s AND sol.display_type IS NULL
                  AND sol.is_downpayment IS NOT TRUE AND so.date_order::date BETWEEN %(start)s AND %(end)s
                  AND %(item)s IS NOT NULL""",
            basket=basket,
            item=item,
            company=self.company_id.id,
            start=self.date_from,
            end=self.date_to,
        )
        baskets, items = copy_query(self.env.cr, query, ['int4', 'int4'])
        if not len(baskets):
            return sparse.csr_matrix((0, 0), dtype=bool)
        _ids, rows = np.unique(baskets, return_inverse=True)
        return sparse.csr_matrix(
            (np.ones(len(items), dtype=bool), (rows, items.astype(np.int64))),
            shape=(len(_ids), int(items.max()) + 1),
        )

    def _write_rules(self, level, rules):
        count = len(rules)
        if not count:
            return 0

        def key(items):
            return ','.join(str(int(i)) for i in items)

        conviction = np.asarray(rules.conviction, dtype=np.float64)
        columns = {
            'run_id': np.full(count, self.id),
            'company_id': np.full(count, self.company_id.id),
            'level': np.full(count, level, dtype=object),
            'antecedent_key': np.array([key(a) for a in rules.antecedents], dtype=object),
            'consequent_key': np.array([key(c) for c in rules.consequents], dtype=object),
            'antecedent_size': np.array([len(a) for a in rules.antecedents]),
            'basket_count': np.asarray(rules.count),
            'support': 100.0 * np.asarray(rules.support),
            'confidence': 100.0 * np.asarray(rules.confidence),
            'lift': np.asarray(rules.lift),
            'leverage': np.asarray(rules.leverage),
            'conviction': np.where(np.isfinite(conviction), conviction, np.nan),
        }
        table = self.env['crm.cross.sell.rule']._table
        copy_columns(
            self.env.cr,
            table,
            list(RULE_COLUMNS),
            [(RULE_COLUMNS[name], columns[name]) for name in RULE_COLUMNS],
        )
        return count

    # ------------------------------------------------------------------------------------------
    # recommendations (read by the partner form and the quotation)
    # ------------------------------------------------------------------------------------------
    def _recommend(self, company, basis_ids, exclude_ids, limit=8, warehouse=None, check_stock=False):
        """Products to offer: the consequents of the published product rules whose antecedent is
        contained in ``basis_ids``, without ``exclude_ids``, ranked by their best rule's confidence x
        lift; with ``check_stock``, only products with free quantity (on hand minus reserved) in the
        locations of ``warehouse``, or not tracked in stock (only those without a warehouse). One
        query whatever the number of rules and lines.

        :return: list of dicts (product_id, score, confidence, lift, support, free_qty, rule_id and
            because_ids: the products of the rule's antecedent)
        """
        if not basis_ids:
            return []
        self.env['crm.cross.sell.rule'].flush_model()
        self.env['stock.quant'].flush_model(['product_id', 'location_id', 'quantity', 'reserved_quantity'])
        stock_join = SQL('')
        stock_filter = SQL('TRUE')
        free = SQL('NULL::float8')
        if check_stock and not warehouse:
            stock_filter = SQL('NOT pt.is_storable')
        elif check_stock:
            view_path = warehouse.view_location_id.parent_path
            stock_join = SQL(
                """LEFT JOIN LATERAL (
                       SELECT SUM(q.quantity - q.reserved_quantity)::float8 AS qty
                         FROM stock_quant q JOIN stock_location loc ON loc.id = q.location_id
                        WHERE q.product_id = best.item AND loc.usage = 'internal'
                          AND loc.parent_path LIKE %s
                   ) free ON TRUE""",
                f'{view_path}%',
            )
            stock_filter = SQL('(NOT pt.is_storable OR COALESCE(free.qty, 0) > 0)')
            free = SQL('free.qty')
        query = SQL(
            """WITH best AS (
                   SELECT DISTINCT ON (item.id) item.id AS item, r.id AS rule_id, r.antecedent_key,
                          r.confidence * r.lift AS score, r.confidence, r.lift, r.support
                     FROM crm_cross_sell_rule r
                     JOIN crm_cross_sell_run run ON run.id = r.run_id AND run.published
                    CROSS JOIN LATERAL unnest(string_to_array(r.consequent_key, ',')::int4[]) AS item(id)
                    WHERE r.company_id = %(company)s AND r.level = 'product'
                      AND string_to_array(r.antecedent_key, ',')::int4[] <@ %(basis)s::int4[]
                      AND item.id <> ALL(%(exclude)s::int4[])
                 ORDER BY item.id, r.confidence * r.lift DESC, r.id
               )
               SELECT best.item, best.score, best.confidence, best.lift, best.support, %(free)s, best.rule_id,
                      best.antecedent_key
                 FROM best
                 JOIN product_product pp ON pp.id = best.item AND pp.active
                 JOIN product_template pt ON pt.id = pp.product_tmpl_id AND pt.sale_ok AND pt.active
                      AND (pt.company_id IS NULL OR pt.company_id = %(company)s)
                 %(stock_join)s
                WHERE %(stock_filter)s
             ORDER BY best.score DESC, best.item
                LIMIT %(limit)s""",
            company=company.id,
            basis=sorted(basis_ids),
            exclude=sorted(exclude_ids) or [0],
            free=free,
            stock_join=stock_join,
            stock_filter=stock_filter,
            limit=limit,
        )
        return [
            {
                'product_id': row[0],
                'score': row[1],
                'confidence': row[2],
                'lift': row[3],
                'support': row[4],
                'free_qty': None if row[5] is None or math.isnan(row[5]) else row[5],
                'rule_id': row[6],
                'because_ids': [int(i) for i in row[7].split(',')],
            }
            for row in self.env.execute_query(query)
        ]

    def _named(self, rows, extra=None):
        """``rows`` of :meth:`_recommend` with the product's name (``name``), the names of the
        products it is suggested for (``because``) and ``extra(product)`` values: one read of all
        the products."""
        ids = {row['product_id'] for row in rows} | {i for row in rows for i in row['because_ids']}
        products = {product.id: product for product in self.env['product.product'].browse(sorted(ids))}
        return [{
            **row,
            'name': products[row['product_id']].display_name,
            'because': ', '.join(products[i].display_name for i in row['because_ids'] if i in products),
            **(extra(products[row['product_id']]) if extra else {}),
        } for row in rows]

    def _customer_products(self, partner, company):
        """Products of the customer's confirmed sale orders in ``company`` (its commercial partner's,
        any contact) that the current user may read: one grouped read under the user's rights (a
        salesperson limited to their own documents gets their own orders), none without access to
        the sale orders."""
        lines = self.env['sale.order.line']
        if not lines.has_access('read'):
            return set()
        groups = lines._read_group(
            [
                ('order_id.partner_id.commercial_partner_id', '=', partner.commercial_partner_id.id),
                ('state', '=', 'sale'),
                ('company_id', '=', company.id),
                ('product_id', '!=', False),
            ],
            ['product_id'],
        )
        return {product.id for (product,) in groups}
