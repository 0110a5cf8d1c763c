from odoo.tests import tagged
from odoo.tools import SQL

from ..models.figures import PARTNER_FIGURES
from .common import LifecycleValueCommon


@tagged('post_install', '-at_install')
class TestPartnerValueTab(LifecycleValueCommon):
    """DESIGN.md section 4: the partner form with the Value tab reads a constant number of SQL
    queries whatever the customer's history size."""

    def _queries_to_open(self, partner):
        spec = {fname: {} for fname in PARTNER_FIGURES}
        spec['crm_value_id'] = {'fields': {'display_name': {}}}
        spec['name'] = {}
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        partner.web_read(spec)  # warm the ORM metadata caches, then count a cold record read
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        record = partner.web_read(spec)[0]
        return self.env.cr.sql_log_count - before, record

    def test_constant_queries(self):
        # a long history for the regular customer: 24 purchases and 500 stage changes
        self.env.cr.execute(SQL(
            """INSERT INTO crm_customer_stage_history
                      (partner_id, company_id, from_stage, to_stage, date, transition_count)
               SELECT %s, %s, 'formation', 'stability', CURRENT_DATE - n, 1
                 FROM generate_series(1, 500) AS n""", self.regular.id, self.company.id))
        long_count, long_record = self._queries_to_open(self.regular)
        short_count, short_record = self._queries_to_open(self.one_time)
        self.assertEqual(long_record['crm_value_stage'], 'stability')
        self.assertEqual(short_record['crm_value_purchase_count'], 1)
        self.assertEqual(long_count, short_count)
        self.assertLessEqual(long_count, 8)  # 6 measured: partner, value view, currency, display names
