from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import new_test_user

from odoo.addons.crm_suite_base.tests.common import CrmSuiteTestCommon


class CapabilityTestCommon(CrmSuiteTestCommon):
    """A small indicator system whose evaluation is worked out by hand in the tests:

    root R: D1 (S1 rated, S2 rated, O1 measured: opportunity win rate), D2 (S3 rated, S4 rated)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("crm_suite_base.group_crm_intelligence_manager") | cls.env.ref(
            "sales_team.group_sale_manager"
        )
        cls.today = fields.Date.context_today(cls.env.user)
        Indicator = cls.env["crm.capability.indicator"]
        cls.root = Indicator.create(
            {"name": "R", "code": "T.R", "kind": "dimension", "company_id": cls.company.id}
        )
        cls.d1 = Indicator.create(
            {
                "name": "D1",
                "code": "T.D1",
                "kind": "dimension",
                "parent_id": cls.root.id,
                "sequence": 1,
                "company_id": cls.company.id,
            }
        )
        cls.d2 = Indicator.create(
            {
                "name": "D2",
                "code": "T.D2",
                "kind": "dimension",
                "parent_id": cls.root.id,
                "sequence": 2,
                "company_id": cls.company.id,
            }
        )
        cls.s1, cls.s2 = (
            Indicator.create(
                {
                    "name": name,
                    "code": f"T.{name}",
                    "kind": "subjective",
                    "parent_id": cls.d1.id,
                    "sequence": seq,
                    "company_id": cls.company.id,
                    "improvement_area": "people",
                    "improvement_measure": f"Improve {name}",
                }
            )
            for seq, name in ((1, "S1"), (2, "S2"))
        )
        cls.o1 = Indicator.create(
            {
                "name": "O1",
                "code": "T.O1",
                "kind": "objective",
                "parent_id": cls.d1.id,
                "sequence": 3,
                "company_id": cls.company.id,
                "measure": "win_rate",
                "breakpoint_excellent": 50,
                "breakpoint_good": 40,
                "breakpoint_fair": 30,
                "breakpoint_poor": 20,
                "breakpoint_very_poor": 10,
            }
        )
        cls.s3, cls.s4 = (
            Indicator.create(
                {
                    "name": name,
                    "code": f"T.{name}",
                    "kind": "subjective",
                    "parent_id": cls.d2.id,
                    "sequence": seq,
                    "company_id": cls.company.id,
                }
            )
            for seq, name in ((1, "S3"), (2, "S4"))
        )
        groups = "base.group_user,crm_suite_base.group_crm_intelligence_user"
        cls.manager = new_test_user(
            cls.env,
            login="cap_manager",
            groups="base.group_user,crm_suite_base.group_crm_intelligence_manager,"
            "sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.assessor_1 = new_test_user(
            cls.env,
            login="cap_assessor_1",
            groups=groups,
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.assessor_2 = new_test_user(
            cls.env,
            login="cap_assessor_2",
            groups=groups,
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    @classmethod
    def _assessment(cls, **vals):
        return (
            cls.env["crm.capability.assessment"]
            .with_user(cls.manager)
            .create(
                {
                    "name": "Test assessment",
                    "root_id": cls.root.id,
                    "date_from": cls.today - relativedelta(days=364),
                    "date_to": cls.today,
                    "assessor_ids": [(6, 0, (cls.assessor_1 | cls.assessor_2).ids)],
                    **vals,
                }
            )
        )

    def _answer_survey(self, assessment, user, grades):
        """``user`` answers the campaign's survey: ``grades`` maps indicators to grade keys."""
        survey = assessment.survey_id.sudo()
        answer = survey._create_answer(user=user, check_attempts=False)
        for question in survey.question_ids:
            rows = {}
            for row in question.matrix_row_ids:
                grade = grades.get(row.capability_indicator_id)
                if grade:
                    column = question.suggested_answer_ids.filtered(
                        lambda a, g=grade: a.capability_grade == g
                    )
                    rows[row.id] = [column.id]
            answer._save_lines(question, rows)
        answer._mark_done()
        return answer

    def _judge(self, assessment, user, node, values):
        """``user`` compares the sub-indicators of ``node``: ``values`` maps (left, right) to a scale key."""
        judgment = assessment.judgment_ids.filtered(lambda j: j.user_id == user and j.node_id == node)
        judgment = judgment.with_user(user)
        for pair in judgment.pair_ids:
            key = (pair.left_id, pair.right_id)
            if key in values:
                pair.value = values[key]
        return judgment

    def _collect(self, assessment):
        """Both assessors rate and compare as worked out by hand in ``test_flow``."""
        assessment.action_start_collecting()
        a1, a2 = self.assessor_1, self.assessor_2
        self._answer_survey(
            assessment, a1, {self.s1: "excellent", self.s2: "fair", self.s3: "good", self.s4: "good"}
        )
        self._answer_survey(
            assessment, a2, {self.s1: "excellent", self.s2: "fair", self.s3: "poor", self.s4: "good"}
        )
        for user in (a1, a2):
            # D1 / D2 = 3; S1 : S2 : O1 = 2 : 1 : 1 (consistent); S3 = S4
            self._judge(assessment, user, self.root, {(self.d1, self.d2): "3"}).action_submit()
            self._judge(
                assessment,
                user,
                self.d1,
                {(self.s1, self.s2): "2", (self.s1, self.o1): "2", (self.s2, self.o1): "1"},
            ).action_submit()
            self._judge(assessment, user, self.d2, {(self.s3, self.s4): "1"}).action_submit()

    def _opportunities(self, won=3, lost=1, company=None):
        """Closed opportunities of the period: ``won`` won, ``lost`` lost (today)."""
        company = company or self.company
        Lead = self.env["crm.lead"].with_company(company)
        stage_won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        leads = Lead.create(
            [{"name": f"Opp {i}", "type": "opportunity", "company_id": company.id} for i in range(won + lost)]
        )
        leads[:won].write({"stage_id": stage_won.id})
        leads[won:].action_set_lost()
        return leads
