import datetime

from odoo import models
from odoo.tools import SQL

from odoo.addons.crm_capability_assessment.models.crm_capability_measure import MeasureValue


class CrmCapabilityMeasure(models.AbstractModel):
    """The two service indicators of the capability framework, from the service center's cases."""

    _inherit = "crm.capability.measure"

    def _closed_cases(self, company, date_from, date_to, extra=()):
        return (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company.id),
                    ("closed", "=", True),
                    ("closed_date", ">=", date_from),
                    ("closed_date", "<", date_to + datetime.timedelta(days=1)),
                    *extra,
                ]
            )
        )

    def _measure_complaint_sla(self, company, date_from, date_to, context):
        """Share of the complaints closed in the period none of whose SLAs was breached."""
        complaints = self._closed_cases(company, date_from, date_to, [("case_kind", "=", "complaint")])
        with_sla = complaints.filtered("ticket_sla_ids")
        if not with_sla:
            return MeasureValue(
                reason=self.env._("No complaint under an SLA was closed in the assessment period.")
            )
        in_time = with_sla.filtered(
            lambda t: all(
                line.state == "accomplished"
                and (not line.deadline or not t.closed_date or t.closed_date <= line.deadline)
                for line in t.ticket_sla_ids
            )
        )
        return MeasureValue.share(len(in_time), len(with_sla), "helpdesk.ticket", with_sla.ids)

    def _measure_first_contact_resolution(self, company, date_from, date_to, context):
        """Share of the cases closed in the period that needed at most one answer to the customer (an
        email or message by an internal user, not a note)."""
        cases = self._closed_cases(company, date_from, date_to)
        if not cases:
            return MeasureValue(reason=self.env._("No case was closed in the assessment period."))
        self.env["mail.message"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """SELECT m.res_id, COUNT(*) FROM mail_message m
                    WHERE m.model = 'helpdesk.ticket' AND m.res_id = ANY(%s)
                      AND m.mail_activity_type_id IS NULL AND %s
                 GROUP BY m.res_id""",
                cases.ids,
                self._contact_messages_sql(),  # an email or message of a user (not a note)
            )
        )
        answers = dict(rows)
        first = [case.id for case in cases if answers.get(case.id, 0) <= 1]
        return MeasureValue.share(len(first), len(cases), "helpdesk.ticket", cases.ids)
