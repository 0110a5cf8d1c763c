from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CapabilityTestCommon


@tagged("post_install", "-at_install")
class TestCapabilityProject(CapabilityTestCommon):
    def _project(self):
        return self.env["crm.capability.project"].create(
            {
                "name": "CRM roll-out",
                "years": 2,
                "discount_rate": 10.0,
                "cost_ids": [
                    (0, 0, {"year": 0, "category": "licences", "amount": 1000.0}),
                    (0, 0, {"year": 0, "category": "implementation", "amount": 500.0}),
                    (0, 0, {"year": 1, "category": "support", "amount": 200.0}),
                ],
                "benefit_ids": [
                    (0, 0, {"year": 1, "name": "More repeat sales", "amount": 1200.0}),
                    (0, 0, {"year": 2, "name": "More repeat sales", "amount": 1000.0}),
                ],
            }
        )

    def test_figures_hand_computed(self):
        project = self._project()
        # net flows -1500, 1000, 1000 at 10%
        self.assertAlmostEqual(project.tco, 1700.0)
        self.assertAlmostEqual(project.total_benefit, 2200.0)
        self.assertAlmostEqual(project.roi, 500.0 / 1700.0, places=6)
        self.assertAlmostEqual(project.npv, -1500 + 1000 / 1.1 + 1000 / 1.21, places=2)  # Monetary: cents
        self.assertAlmostEqual(project.pv_costs, 1500 + 200 / 1.1, places=2)
        self.assertAlmostEqual(
            project.discounted_roi, (1000 / 1.1 + 1000 / 1.21 - 1500) / (1500 + 200 / 1.1), places=6
        )
        # 1000 x^2 + 1000 x - 1500 = 0 with x = 1 / (1 + irr)
        x = (-1000 + (1000**2 + 4 * 1000 * 1500) ** 0.5) / 2000
        self.assertAlmostEqual(project.irr, 1 / x - 1, places=6)
        self.assertAlmostEqual(project.payback_years, 1.5, places=6)
        self.assertAlmostEqual(
            project.discounted_payback_years, 1 + (1500 - 1000 / 1.1) / (1000 / 1.21), places=6
        )
        self.assertTrue(project.irr_available and project.payback_reached)

    def test_no_benefit_no_irr(self):
        project = self._project()
        project.benefit_ids.unlink()
        self.assertFalse(project.irr_available)
        self.assertFalse(project.payback_reached)
        self.assertAlmostEqual(project.roi, -1.0)

    def test_bad_input(self):
        project = self._project()
        for record, vals, message in (
            (project.cost_ids[0], {"amount": -5}, "A cost is a positive amount"),
            (project.cost_ids[0], {"year": 3}, "between 0 and 2"),
            (project, {"years": 0}, "1 to 30 years"),
            (project, {"years": 1}, "entered for year 2"),
            (project.benefit_ids[0], {"amount": -1}, "is negative"),
        ):
            with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                record.write(vals)
            self.env.invalidate_all()

    def _evaluated(self, name, year, retention):
        assessment = self._assessment(name=name, date_from=f"{year}-01-01", date_to=f"{year}-12-31")
        assessment.sudo().write(
            {
                "state": "evaluated",
                "performance_available": True,
                "retention_rate": retention,
                "customer_count": 100,
                "annual_margin_per_customer": 500.0,
            }
        )
        return assessment

    def test_benefit_from_measured_retention(self):
        project = self._project()
        baseline = self._evaluated("2024", 2024, 0.6)
        later = self._evaluated("2025", 2025, 0.7)
        action = project.action_derive_benefit()
        wizard_form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard_form.baseline_id = baseline
        wizard_form.achieved_id = later
        wizard_form.year = 2
        wizard = wizard_form.save()
        self.assertAlmostEqual(wizard.amount, 0.1 * 100 * 500.0)
        wizard.action_add_benefit()
        benefit = project.benefit_ids.filtered(lambda b: b.source == "retention")
        self.assertAlmostEqual(benefit.amount, 5000.0)
        self.assertAlmostEqual(project.total_benefit, 2200.0 + 5000.0)
        worse = self.env["crm.capability.benefit.wizard"].create(
            {"project_id": project.id, "baseline_id": later.id, "achieved_id": baseline.id, "year": 1}
        )
        with self.assertRaisesRegex(UserError, "must end after"):
            worse.action_add_benefit()
