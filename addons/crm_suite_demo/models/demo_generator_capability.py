import numpy as np
from dateutil.relativedelta import relativedelta

from odoo import Command, models

from odoo.addons.crm_capability_assessment.models.crm_capability_judgment import saaty_key

#: grades of the rated indicators the demo panel leans to, per dimension code: the earlier
#: assessment first, then the later one (0 excellent .. 4 very poor); the later one shows the
#: improvement of the front office after the CRM roll-out, the enabling capabilities lagging
DEMO_LEVELS = {
    "CI": (2.6, 1.6),
    "CC": (2.4, 1.7),
    "CR": (2.2, 1.5),
    "CV": (2.5, 1.8),
    "IT": (2.8, 1.4),
    "OC": (2.0, 1.9),
    "PE": (2.9, 2.4),
    "PA": (2.3, 2.2),
}
#: the relative importance the demo panel gives the sub-indicators of a dimension (by code)
DEMO_IMPORTANCE = {
    "CAP": {"CAP.C": 3.0, "CAP.E": 2.0},
    "CAP.C": {"CI": 2.0, "CC": 1.5, "CR": 3.0, "CV": 2.5},
    "CAP.E": {"IT": 2.0, "OC": 3.0, "PE": 2.5, "PA": 1.0},
}


class CrmSuiteDemoGenerator(models.AbstractModel):
    _inherit = "crm.suite.demo.generator"

    def _crm_suite_after_demo(self, company, today=None):
        result = super()._crm_suite_after_demo(company, today)
        if "crm.capability.assessment" in self.env:
            self.sudo()._demo_capability(company, today)
        return result

    def _demo_capability(self, company, today, seed=42):
        """Two closed CRM capability assessments a year apart, each with three assessors who rated the
        indicators in the campaign's survey and compared the sub-indicators of every dimension, and a
        CRM project whose benefits include the retention gain measured between the two."""
        from crm_capability import ahp_priorities, saaty_round

        rng = np.random.default_rng(seed + 10)
        today = today or company._crm_intel_window()[1]
        root = self.env.ref("crm_capability_assessment.indicator_root", raise_if_not_found=False)
        if not root:
            return
        logins = [f"crm_suite_demo_{stub}_{company.id}" for stub in ("alice", "bruno", "chen")]
        assessors = self.env["res.users"].search([("login", "in", logins)], order="id")
        if len(assessors) < 3:
            return
        assessors.write(
            {"group_ids": [Command.link(self.env.ref("crm_suite_base.group_crm_intelligence_user").id)]}
        )
        Assessment = self.env["crm.capability.assessment"].with_company(company)
        assessments = Assessment
        for year, label in ((2, "earlier"), (1, "later")):
            date_to = today - relativedelta(years=year - 1)
            assessment = Assessment.create(
                {
                    "name": self.env._("CRM capability %(year)s", year=date_to.year),
                    "company_id": company.id,
                    "root_id": root.id,
                    "date_from": date_to - relativedelta(years=1, days=-1),
                    "date_to": date_to,
                    "assessor_ids": [Command.set(assessors.ids)],
                }
            )
            assessment.action_start_collecting()
            stage = 0 if label == "earlier" else 1
            for user in assessors:
                self._demo_capability_answers(assessment, user, stage, rng)
                self._demo_capability_judgments(assessment, user, rng, ahp_priorities, saaty_round)
            assessment.action_evaluate()
            assessment.action_close()
            assessments |= assessment
        self._demo_capability_project(company, assessments)

    def _demo_capability_answers(self, assessment, user, stage, rng):
        survey = assessment.survey_id
        answer = survey._create_answer(user=user, check_attempts=False)
        for question in survey.question_ids:
            rows = {}
            for row in question.matrix_row_ids:
                code = row.capability_indicator_id.parent_id.code
                level = DEMO_LEVELS.get(code, (2.0, 2.0))[stage]
                grade = int(np.clip(np.rint(rng.normal(level, 0.7)), 0, 4))
                column = question.suggested_answer_ids.sorted("sequence")[grade]
                rows[row.id] = [column.id]
            answer._save_lines(question, rows)
        answer._mark_done()

    def _demo_capability_judgments(self, assessment, user, rng, ahp_priorities, saaty_round):
        """Pairwise judgments close to the panel's view of importance, each assessor's own (some
        noise), consistent (a set whose ratio would exceed 0.10 is replaced by the exact ratios)."""
        for judgment in assessment.judgment_ids.filtered(lambda j: j.user_id == user):
            importance = DEMO_IMPORTANCE.get(judgment.node_id.code, {})
            values = {}
            for pair in judgment.pair_ids:
                left = importance.get(pair.left_id.code, 1.0 + pair.left_id.sequence % 3 / 2)
                right = importance.get(pair.right_id.code, 1.0 + pair.right_id.sequence % 3 / 2)
                values[pair] = (
                    left / right,
                    saaty_round(left / right * float(np.exp(rng.normal(0.0, 0.25)))),
                )
            for pair, (_exact, noisy) in values.items():
                pair.value = saaty_key(noisy)
            if not judgment.is_consistent:
                for pair, (exact, _noisy) in values.items():
                    pair.value = saaty_key(saaty_round(exact))
            judgment.action_submit()

    def _demo_capability_project(self, company, assessments):
        project = (
            self.env["crm.capability.project"]
            .with_company(company)
            .create(
                {
                    "name": self.env._("CRM system roll-out"),
                    "company_id": company.id,
                    "date_start": assessments[0].date_to,
                    "years": 4,
                    "cost_ids": [
                        Command.create({"year": 0, "category": "licences", "amount": 18000.0}),
                        Command.create({"year": 0, "category": "hardware", "amount": 6000.0}),
                        Command.create({"year": 0, "category": "implementation", "amount": 35000.0}),
                        Command.create({"year": 0, "category": "training", "amount": 8000.0}),
                        *(
                            Command.create({"year": year, "category": "licences", "amount": 18000.0})
                            for year in (1, 2, 3, 4)
                        ),
                        *(
                            Command.create({"year": year, "category": "support", "amount": 5000.0})
                            for year in (1, 2, 3, 4)
                        ),
                        *(
                            Command.create({"year": year, "category": "internal_staff", "amount": 12000.0})
                            for year in (1, 2, 3, 4)
                        ),
                    ],
                    "benefit_ids": [
                        Command.create(
                            {
                                "year": year,
                                "name": self.env._("Sales productivity (less administration)"),
                                "amount": amount,
                            }
                        )
                        for year, amount in ((1, 30000.0), (2, 55000.0), (3, 70000.0), (4, 75000.0))
                    ],
                }
            )
        )
        earlier, later = assessments[0], assessments[1]
        if (
            earlier.performance_available
            and later.performance_available
            and (later.retention_rate > earlier.retention_rate)
        ):
            wizard = self.env["crm.capability.benefit.wizard"].create(
                {"project_id": project.id, "baseline_id": earlier.id, "achieved_id": later.id, "year": 1}
            )
            wizard.action_add_benefit()
        return project
