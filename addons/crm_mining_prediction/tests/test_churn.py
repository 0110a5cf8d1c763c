from unittest.mock import patch

import numpy as np

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PredictionCommon, synthetic_transactions


@tagged('post_install', '-at_install')
class TestChurn(PredictionCommon):
    """A churn run on a simulated purchase history of real customers: the engine's figures stored,
    published, shown on the partner and as risk band segments; resumable, reproducible."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.population = cls.env['res.partner'].create(
            [{'name': f'PRED Churn {i:03d}', 'is_company': True} for i in range(400)]
        )
        cls.tx = synthetic_transactions(cls.population, seed=3)
        cls.Run = cls.env['crm.churn.run']
        cls.Member = cls.env['crm.churn.member']

    def _patched(self):
        return patch.object(type(self.Run), '_load_transactions', lambda run: self.tx)

    def _refresh(self):
        with self._patched():
            return self.Run._refresh_company_now(self.company)

    def test_run_stores_the_engines_figures(self):
        from crm_mining import score_churn

        run = self._refresh()
        # the same call as the run's (with the bridges' extra features when they are installed)
        expected = score_churn(self.tx, np.datetime64(run.date_to, 'D'), self.company._crm_churn_config(),
                               events=run._churn_events() or None)
        self.assertEqual(run.state, 'done')
        self.assertTrue(run.published)
        self.assertEqual(run.customer_count, len(expected))
        self.assertAlmostEqual(run.model_auc, expected.metrics['model'].auc, places=3)
        self.assertAlmostEqual(run.p_alive_auc, expected.metrics['p_alive'].auc, places=3)
        self.assertAlmostEqual(run.baseline_auc, expected.metrics['logistic'].auc, places=3)
        self.assertEqual(run.beats_baseline, expected.metrics['model'].auc > expected.metrics['p_alive'].auc)
        self.assertEqual(len(run.gain_ids), 10)
        self.assertAlmostEqual(run.gain_ids[-1].model_gain, 100.0)
        self.assertEqual(len(run.importance_ids), len(expected.feature_names))
        self.assertEqual(str(run.test_cutoff), expected.cutoffs['test'])
        self.assertTrue(run.sklearn_version)
        members = self.Member.search([('company_id', '=', self.company.id)])
        self.assertEqual(len(members), len(expected))
        by_partner = {m.partner_id.id: m for m in members}
        for i in (0, len(expected) // 2, len(expected) - 1):
            member = by_partner[int(expected.partner_ids[i])]
            self.assertAlmostEqual(member.churn_probability, expected.figures['churn_probability'][i])
            self.assertEqual(member.risk_band, expected.figures['risk_band'][i])
            self.assertAlmostEqual(member.value_at_risk, expected.figures['value_at_risk'][i], places=4)
        # at risk and high value: the top fifth by margin, in the high or medium band
        values = sorted((m.value for m in members), reverse=True)
        at_risk = members.filtered('is_at_risk_high_value')
        self.assertTrue(at_risk)
        self.assertTrue(
            all(
                m.risk_band in ('high', 'medium') and m.value >= values[len(values) // 5] - 1e-6
                for m in at_risk
            )
        )
        # the partner form
        partner = self.env['res.partner'].browse(int(expected.partner_ids[0]))
        self.assertAlmostEqual(
            partner.crm_churn_probability, expected.figures['churn_probability'][0], places=4
        )
        self.assertEqual(partner.crm_churn_band, expected.figures['risk_band'][0])

    def test_risk_bands_are_segments(self):
        run = self._refresh()
        counts = {}
        for code in ('high', 'medium', 'low'):
            segment = self.env.ref(f'crm_mining_prediction.crm_segment_churn_{code}')
            members = segment._member_partner_ids()
            counts[code] = len(members)
            self.assertEqual(segment.member_count, len(members))
            self.assertEqual(set(members), set(self.Member.search([('risk_band', '=', code)]).partner_id.ids))
            action = segment.action_open_members()
            self.assertEqual(self.Member.search_count(action['domain']), len(members))
        self.assertEqual(sum(counts.values()), run.customer_count)
        self.assertEqual(counts['high'], run.high_risk_count)
        # a segment action on a band: tag its members
        tag = self.env['res.partner.category'].create({'name': 'PRED at risk'})
        high = self.env.ref('crm_mining_prediction.crm_segment_churn_high')
        wizard = self.env['crm.segment.action.wizard'].create(
            {'segment_id': high.id, 'action': 'add_tag', 'tag_id': tag.id}
        )
        wizard.action_apply()
        self.assertEqual(len(tag.partner_ids), counts['high'])

    def test_same_data_and_seed_same_scores_and_a_new_run_replaces_the_old(self):
        first = self._refresh()
        probabilities = dict(
            zip(
                self.Member.search([]).partner_id.ids,
                self.Member.search([]).mapped('churn_probability'),
                strict=True,
            )
        )
        second = self._refresh()
        self.assertFalse(first.published)
        self.assertTrue(second.published)
        self.assertEqual(
            dict(
                zip(
                    self.Member.search([]).partner_id.ids,
                    self.Member.search([]).mapped('churn_probability'),
                    strict=True,
                )
            ),
            probabilities,
        )
        self.assertFalse(self.env['crm.churn.run.line'].search_count([('run_id', '=', first.id)]))

    def test_an_interrupted_run_resumes_and_publishes_only_when_complete(self):
        self.env['ir.config_parameter'].set_param('crm_mining_prediction.churn.batch_size', 100)
        run = self.Run.create({'company_id': self.company.id})
        with self._patched():
            self.assertFalse(run._execute(max_batches=1))
            self.assertFalse(run.published)
            self.assertEqual(self.env['crm.churn.run.line'].search_count([('run_id', '=', run.id)]), 100)
            self.assertEqual(run.batch_done, 1)
            self.assertTrue(run._execute())
        self.assertTrue(run.published)
        self.assertEqual(
            self.env['crm.churn.run.line'].search_count([('run_id', '=', run.id)]), run.customer_count
        )

    def test_not_enough_history_is_a_clear_error(self):
        from crm_mining import Transactions

        few = Transactions.from_arrays([self.population[0].id], [str(self.today)], [10.0])
        with (
            patch.object(type(self.Run), '_load_transactions', lambda run: few),
            self.assertRaisesRegex(UserError, 'too few customers'),
        ):
            self.Run._refresh_company_now(self.company)

    def test_settings_are_checked(self):
        with self.assertRaises(ValidationError):
            self.company.crm_churn_horizon_days = 3
        with self.assertRaises(ValidationError):
            self.company.write({'crm_churn_high_risk': 20.0, 'crm_churn_medium_risk': 50.0})
        with self.assertRaises(ValidationError):
            self.company.crm_xsell_min_support = 0.0
