from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CapabilityTestCommon


@tagged("post_install", "-at_install")
class TestCapabilitySecurity(CapabilityTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.assessment = cls._assessment()
        cls.assessment.action_start_collecting()
        Judgment = cls.env["crm.capability.judgment"]
        cls.own = Judgment.search(
            [
                ("assessment_id", "=", cls.assessment.id),
                ("user_id", "=", cls.assessor_1.id),
                ("node_id", "=", cls.d2.id),
            ]
        )
        cls.others = Judgment.search(
            [
                ("assessment_id", "=", cls.assessment.id),
                ("user_id", "=", cls.assessor_2.id),
                ("node_id", "=", cls.d2.id),
            ]
        )

    def test_assessor_sees_only_own_answers_while_collecting(self):
        Judgment = self.env["crm.capability.judgment"].with_user(self.assessor_1)
        visible = Judgment.search([("assessment_id", "=", self.assessment.id)])
        self.assertEqual(visible.user_id, self.assessor_1)
        self.assertEqual(len(visible), 3)
        with self.assertRaises(AccessError):
            self.others.with_user(self.assessor_1).read(["consistency_ratio"])
        with self.assertRaises(AccessError):
            self.others.pair_ids.with_user(self.assessor_1).write({"value": "3"})
        self.own.pair_ids.with_user(self.assessor_1).write({"value": "3"})
        self.assertEqual(self.own.pair_ids.value, "3")

    def test_after_evaluation_read_all_change_none(self):
        self.own.pair_ids.value = "1"
        self.own.action_submit()
        self._opportunities(won=1, lost=1)
        self.assessment.action_evaluate()
        Judgment = self.env["crm.capability.judgment"].with_user(self.assessor_1)
        self.assertEqual(len(Judgment.search([("assessment_id", "=", self.assessment.id)])), 6)
        with self.assertRaises(AccessError):
            self.own.pair_ids.with_user(self.assessor_1).check_access("write")
        with self.assertRaises(AccessError):
            self.others.with_user(self.assessor_1).check_access("write")
        with self.assertRaisesRegex(UserError, "not collecting"):
            self.own.pair_ids.with_user(self.assessor_1).write({"value": "5"})
        self.assertTrue(self.assessment.with_user(self.assessor_1).line_ids, "assessors read the results")

    def test_assessor_cannot_bypass_the_checks_over_rpc(self):
        judgment = self.own.with_user(self.assessor_1)
        with self.assertRaisesRegex(UserError, "Only the comparisons themselves"):
            judgment.write({"state": "submitted"})  # an empty set, never through action_submit
        self.assertEqual(self.own.state, "draft")
        with self.assertRaisesRegex(UserError, "Only the importance"):
            judgment.pair_ids.write({"judgment_id": self.others.id})
        with self.assertRaises(AccessError):
            judgment.write(
                {"pair_ids": [(0, 0, {"left_id": self.s3.id, "right_id": self.s4.id, "value": "9"})]}
            )

    def test_survey_answers_restricted_to_the_company_managers(self):
        survey = self.assessment.survey_id
        self.assertIn(self.manager, survey.restrict_user_ids)
        self.assertNotIn(self.assessor_1, survey.restrict_user_ids)
        officer = new_test_user(
            self.env, login="cap_other_officer", groups="base.group_user,survey.group_survey_user"
        )
        self.assertFalse(self.env["survey.survey"].with_user(officer).search([("id", "=", survey.id)]))

    def test_manager_sees_all(self):
        Judgment = self.env["crm.capability.judgment"].with_user(self.manager)
        self.assertEqual(len(Judgment.search([("assessment_id", "=", self.assessment.id)])), 6)

    def test_assessor_cannot_run_the_campaign(self):
        with self.assertRaises(AccessError):
            self.env["crm.capability.assessment"].with_user(self.assessor_1).create(
                {"name": "Mine", "root_id": self.root.id}
            )
        with self.assertRaises(AccessError):
            self.assessment.with_user(self.assessor_1).action_evaluate()
        with self.assertRaises(AccessError):
            self.root.with_user(self.assessor_1).name = "Renamed"

    def test_other_company(self):
        other = self.setup_other_company()["company"]
        user_b = new_test_user(
            self.env,
            login="cap_other_company",
            company_id=other.id,
            company_ids=[other.id],
            groups="base.group_user,crm_suite_base.group_crm_intelligence_manager",
        )
        project = self.env["crm.capability.project"].create({"name": "A's project"})
        for model, record in (
            ("crm.capability.judgment.pair", self.own.pair_ids),
            ("crm.capability.assessment", self.assessment),
            ("crm.capability.judgment", self.own),
            ("crm.capability.project", project),
        ):
            Model = self.env[model].with_user(user_b)
            self.assertFalse(Model.search([("id", "=", record.id)]), model)
            with self.assertRaises(AccessError):
                record.with_user(user_b).read(["company_id"])
        self.assertFalse(
            self.env["crm.capability.indicator"].with_user(user_b).search([("id", "=", self.root.id)]),
            "company A's own indicator system",
        )
        shared = self.env.ref("crm_capability_assessment.indicator_root")
        self.assertTrue(shared.with_user(user_b).read(["name"]), "the shared framework")
