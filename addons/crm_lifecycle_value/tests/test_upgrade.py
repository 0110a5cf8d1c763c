import importlib.util
import pathlib

from odoo.tests import tagged
from odoo.tools import SQL

from .common import LifecycleValueCommon


def _post_migrate_1_1():
    path = pathlib.Path(__file__).parents[1] / 'migrations' / '19.0.1.1.0' / 'post-migrate.py'
    spec = importlib.util.spec_from_file_location('crm_lifecycle_value_post_migrate_1_1', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.migrate


@tagged('post_install', '-at_install')
class TestUpgradeFrom10(LifecycleValueCommon):
    """Version 1.0 kept the customer values in their own table ``crm_customer_value``; the 1.1
    upgrade script moves them into the lines of the published run without changing a figure."""

    def _rebuild_10_state(self):
        """The database as 1.0 left it: the values in a table, no run line, nothing published."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(SQL('CREATE TABLE crm_customer_value AS SELECT * FROM %s v', self.Value._table_sql))
        cr.execute(SQL('DELETE FROM crm_lifecycle_run_line'))
        cr.execute(SQL('UPDATE crm_lifecycle_run SET published = FALSE'))
        self.env.invalidate_all()
        self.assertFalse(self.Value.search([]))

    def _assert_table_gone(self):
        self.env.cr.execute(SQL("SELECT 1 FROM pg_class WHERE relname = 'crm_customer_value'"))
        self.assertFalse(self.env.cr.fetchall())

    def test_values_carried_over(self):
        before = self._snapshot()
        history_count = self.History.search_count([])
        interrupted = self.Run.create({'company_id': self.company.id})
        self._rebuild_10_state()
        self.env.cr.execute(SQL(
            """INSERT INTO crm_lifecycle_run_line (run_id, company_id, partner_id, stage)
               VALUES (%s, %s, %s, 'stability')""", interrupted.id, self.company.id, self.regular.id))
        interrupted.batch_done = 1
        self.env.flush_all()

        _post_migrate_1_1()(self.env.cr, '19.0.1.0.0')
        self.env.invalidate_all()
        self._assert_table_gone()
        self.assertEqual(self._snapshot(), before)
        self.assertTrue(self.first_run.published)
        self.assertEqual(self._value(self.regular).run_id, self.first_run)
        # the interrupted 1.0 run starts again from its first batch
        self.assertEqual(interrupted.batch_done, 0)
        self.assertFalse(self.env['crm.lifecycle.run.line'].search([('run_id', '=', interrupted.id)]))
        # the next refresh sees no stage change: stages and stage dates were carried over
        self._refresh()
        self.assertEqual(self.History.search_count([]), history_count)
        self.assertEqual(self._snapshot(), before)

    def test_values_without_run_record(self):
        """Runs deleted under 1.0 while their values stayed: a run record is created for them."""
        before = self._snapshot()
        self._rebuild_10_state()
        self.env.cr.execute(SQL('DELETE FROM crm_lifecycle_run'))
        self.env.invalidate_all()
        _post_migrate_1_1()(self.env.cr, '19.0.1.0.0')
        self.env.invalidate_all()
        self._assert_table_gone()
        self.assertEqual(self._snapshot(), before)
        run = self.Run.search([('company_id', '=', self.company.id)])
        self.assertEqual((len(run), run.state, run.published), (1, 'done', True))
        self.assertIn('carried over', run.name)

    def test_nothing_to_migrate(self):
        """A database installed with 1.1 (no table) is left alone."""
        before = self._snapshot()
        _post_migrate_1_1()(self.env.cr, '19.0.1.0.0')
        self.assertEqual(self._snapshot(), before)
