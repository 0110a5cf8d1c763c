from odoo.tests import HttpCase, tagged

from odoo.addons.crm_suite_base.tests.common import CrmSuiteWebClientMixin

from .common import CapabilityTestCommon


@tagged("post_install", "-at_install")
class TestCapabilityWebClient(CrmSuiteWebClientMixin, CapabilityTestCommon, HttpCase):
    """The buttons called the way the web client calls them, and a tour of an assessor filling the
    pairwise comparisons (with the live consistency ratio) and rating an indicator in the survey."""

    def test_buttons_through_call_button(self):
        assessment = self._assessment()
        self.authenticate("cap_manager", "cap_manager")
        self._web_call_button("crm.capability.assessment", "action_start_collecting", assessment.ids)
        self.assertEqual(assessment.state, "collecting")
        self.authenticate("cap_assessor_1", "cap_assessor_1")
        action = self._web_call_button("crm.capability.assessment", "action_answer_survey", assessment.ids)
        self.assertIn("/survey/start/", action["url"])
        action = self._web_call_button(
            "crm.capability.assessment", "action_open_my_judgments", assessment.ids
        )
        judgments = self.env["crm.capability.judgment"].search(action["domain"])
        self.assertEqual(judgments.user_id, self.assessor_1)
        judgment = judgments.filtered(lambda j: j.node_id == self.d2)
        judgment.pair_ids.value = "1"
        self._web_call_button("crm.capability.judgment", "action_submit", judgment.ids)
        self.assertEqual(judgment.state, "submitted")
        self._web_call_button("crm.capability.judgment", "action_reset_to_draft", judgment.ids)
        self.assertEqual(judgment.state, "draft")
        self.authenticate("cap_manager", "cap_manager")
        self._opportunities(won=1, lost=1)
        self._web_call_button("crm.capability.assessment", "action_evaluate", assessment.ids)
        self.assertEqual(assessment.state, "evaluated")
        line = assessment.line_ids.filtered(lambda line: line.indicator_id == self.o1)
        action = self._web_call_button("crm.capability.assessment.line", "action_open_sources", line.ids)
        self.assertEqual(action["res_model"], "crm.lead")
        action = self._web_call_button("crm.capability.assessment", "action_export_xlsx", assessment.ids)
        self.assertIn("/crm_suite/export/", action["url"])
        self._web_call_button("crm.capability.assessment", "action_open_performance", assessment.ids)
        self._web_call_button("crm.capability.assessment", "action_reopen", assessment.ids)
        self._web_call_button("crm.capability.assessment", "action_evaluate", assessment.ids)
        self._web_call_button("crm.capability.assessment", "action_close", assessment.ids)
        self.assertEqual(assessment.state, "closed")
        project = self.env["crm.capability.project"].create({"name": "P"})
        action = self._web_call_button("crm.capability.project", "action_derive_benefit", project.ids)
        self.assertEqual(action["res_model"], "crm.capability.benefit.wizard")

    def test_tour_pairwise_and_rating(self):
        assessment = self._assessment(name="Tour assessment")
        assessment.action_start_collecting()
        self.start_tour(
            f"/odoo/action-crm_capability_assessment.crm_capability_assessment_action/{assessment.id}",
            "crm_capability_assessment_tour",
            login="cap_assessor_1",
        )
        judgment = assessment.judgment_ids.filtered(
            lambda j: j.user_id == self.assessor_1 and j.node_id == self.d1
        )
        self.assertEqual(judgment.state, "submitted")
        self.assertEqual(judgment.pair_ids.mapped("value"), ["3", "3", "1"])
        answer = assessment.survey_id.sudo().user_input_ids.filtered(
            lambda a: a.partner_id == self.assessor_1.partner_id
        )
        self.assertEqual(answer.state, "done")
        rated = answer.user_input_line_ids.filtered(
            lambda line: line.matrix_row_id.capability_indicator_id == self.s1
        )
        self.assertEqual(rated.suggested_answer_id.capability_grade, "good")
