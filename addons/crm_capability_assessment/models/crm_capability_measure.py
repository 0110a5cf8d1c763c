import dataclasses
import datetime

import numpy as np

from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_suite_base.tools.ratings import SATISFIED_RATING

#: measure key -> (unit, default breakpoints best grade first); labels in
#: ``crm.capability.indicator.measure``
MEASURES = {
    "retention_rate": ("%", (90.0, 80.0, 70.0, 60.0, 50.0)),
    "repeat_revenue_share": ("%", (80.0, 70.0, 60.0, 50.0, 40.0)),
    "clv_trend": ("%", (10.0, 5.0, 0.0, -5.0, -10.0)),
    "win_rate": ("%", (50.0, 40.0, 30.0, 20.0, 10.0)),
    "lead_response_hours": ("h", (1.0, 4.0, 8.0, 24.0, 48.0)),
    "contacted_90d": ("%", (90.0, 75.0, 60.0, 45.0, 30.0)),
    "master_data_completeness": ("%", (95.0, 85.0, 75.0, 65.0, 50.0)),
    "complaint_sla": ("%", (95.0, 90.0, 80.0, 70.0, 60.0)),
    "first_contact_resolution": ("%", (85.0, 75.0, 65.0, 55.0, 45.0)),
    "satisfaction": ("%", (90.0, 80.0, 70.0, 60.0, 50.0)),
    "on_time_delivery": ("%", (98.0, 95.0, 90.0, 85.0, 80.0)),
}

#: customer master data fields whose completeness is measured
MASTER_DATA_FIELDS = ("email", "phone", "street", "city", "zip", "country_id", "vat")


@dataclasses.dataclass
class MeasureValue:
    """One objective indicator measured for a period: ``value`` (in the measure's unit) or not
    available with the ``reason``; the records counted (``res_model`` / ``res_ids``) and the
    ratio's terms when it is one."""

    value: float | None = None
    reason: str = ""
    res_model: str = ""
    res_ids: list = dataclasses.field(default_factory=list)
    numerator: float | None = None
    denominator: float | None = None
    extra: dict = dataclasses.field(default_factory=dict)

    @property
    def available(self):
        return self.value is not None and np.isfinite(self.value)

    @classmethod
    def share(cls, part, whole, res_model, res_ids, **extra):
        """The percentage ``part`` of ``whole`` (``whole`` > 0), with the records counted."""
        return cls(
            value=100.0 * part / whole,
            res_model=res_model,
            res_ids=list(res_ids),
            numerator=part,
            denominator=whole,
            **extra,
        )


class CrmCapabilityMeasure(models.AbstractModel):
    """Objective CRM capability indicators measured from the company's records.

    Every measure is a method ``_measure_<key>(company, date_from, date_to, context)`` returning a
    :class:`MeasureValue`; a measure whose source (an addon, or data) is missing returns a value of
    ``None`` and says why: it is shown as *not available*, never as 0. Other addons add measures by
    adding to the selection ``crm.capability.indicator.measure`` (``selection_add``) and defining
    the method (the service center addon measures
    complaint resolution within SLA and first contact resolution).
    """

    _name = "crm.capability.measure"
    _description = "CRM capability: measured indicators"

    def _measure_units(self):
        return {key: unit for key, (unit, _bp) in MEASURES.items()}

    def _measure_default_breakpoints(self):
        return {key: bp for key, (_unit, bp) in MEASURES.items()}

    def _measure(self, key, company, date_from, date_to, context=None):
        """Measure ``key`` for ``company`` over [``date_from``, ``date_to``]."""
        if not hasattr(self, f"_measure_{key}"):
            return MeasureValue(reason=self.env._("This measure is not provided by any installed module."))
        return getattr(self, f"_measure_{key}")(
            company, date_from, date_to, context if context is not None else {}
        )

    # ------------------------------------------------------------------------------------------
    # invoices (facts service of crm_suite_base)
    # ------------------------------------------------------------------------------------------
    def _period_kpis(self, company, date_from, date_to, context):
        """Revenue, margin, retention and repeat-revenue figures of the period from the posted
        invoices (one facts read per evaluation, shared by the measures through ``context``)."""
        if "period_kpis" not in context:
            from crm_capability import period_kpis

            facts = self.env["crm.suite.facts"]._get_customer_facts(
                company, datetime.date(1970, 1, 1), date_to
            )
            context["period_kpis"] = period_kpis(
                facts.partner_ids, facts.dates, facts.revenue, facts.margin, date_from, date_to
            )
        return context["period_kpis"]

    def _measure_retention_rate(self, company, date_from, date_to, context):
        kpis = self._period_kpis(company, date_from, date_to, context)
        if not len(kpis.previous_customers):
            return MeasureValue(
                reason=self.env._(
                    "No customer bought in the period of the same length before the assessment period."
                )
            )
        return MeasureValue(
            value=100.0 * kpis.retention_rate,
            res_model="res.partner",
            res_ids=kpis.retained_customers.tolist(),
            numerator=len(kpis.retained_customers),
            denominator=len(kpis.previous_customers),
        )

    def _measure_repeat_revenue_share(self, company, date_from, date_to, context):
        kpis = self._period_kpis(company, date_from, date_to, context)
        if kpis.revenue <= 0:
            return MeasureValue(reason=self.env._("No revenue was invoiced in the assessment period."))
        return MeasureValue(
            value=100.0 * kpis.repeat_revenue_share,
            res_model="res.partner",
            res_ids=kpis.repeat_customers.tolist(),
            numerator=kpis.repeat_revenue,
            denominator=kpis.revenue,
        )

    def _measure_clv_trend(self, company, date_from, date_to, context):
        """Average predicted customer lifetime value (crm_lifecycle_value's model and settings)
        at the end of the period against the start of the period."""
        if not hasattr(company, "_crm_lcv_scoring_config"):
            return MeasureValue(
                reason=self.env._(
                    "Needs the Customer Lifecycle & Value module (predicted customer lifetime value)."
                )
            )
        from crm_lifecycle import score_customers

        averages = []
        customers = None
        for cutoff in (date_from, date_to):
            window_from, _window_to = company._crm_intel_window(today=cutoff)
            facts = self.env["crm.suite.facts"]._get_customer_facts(company, window_from, cutoff)
            if facts.empty:
                return MeasureValue(
                    reason=self.env._(
                        "No invoice in the analysis window before %(date)s: no lifetime value to compare.",
                        date=cutoff,
                    )
                )
            config = company._crm_lcv_scoring_config(window_from, cutoff)
            scores = score_customers(facts.partner_ids, facts.dates, facts.revenue, facts.margin, config)
            clv = scores.figures.get("predicted_clv")
            if clv is None:
                return MeasureValue(
                    reason=self.env._(
                        "The purchase model could not be fitted on the invoices up to %(date)s.", date=cutoff
                    )
                )
            averages.append(float(np.mean(clv)))
            customers = scores.partner_ids
        before, after = averages
        if before <= 0:
            return MeasureValue(
                reason=self.env._("The average lifetime value at the start of the period is not positive.")
            )
        return MeasureValue(
            value=100.0 * (after - before) / before,
            res_model="res.partner",
            res_ids=customers.tolist(),
            numerator=after,
            denominator=before,
        )

    # ------------------------------------------------------------------------------------------
    # CRM
    # ------------------------------------------------------------------------------------------
    def _measure_win_rate(self, company, date_from, date_to, context):
        """Won / (won + lost) among the opportunities closed in the period (``won_status`` of crm:
        won in a won stage at 100%, lost archived at 0%, archived or not)."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        closed = Lead.search(
            [
                ("type", "=", "opportunity"),
                ("company_id", "=", company.id),
                ("date_closed", ">=", date_from),
                ("date_closed", "<", date_to + datetime.timedelta(days=1)),
                ("won_status", "in", ("won", "lost")),
            ]
        )
        if not closed:
            return MeasureValue(reason=self.env._("No opportunity was won or lost in the assessment period."))
        won = closed.filtered(lambda lead: lead.won_status == "won")
        return MeasureValue.share(len(won), len(closed), "crm.lead", closed.ids)

    def _contact_messages_sql(self):
        """Messages that are a contact with the customer: an email or a discussion message (not an
        internal note) written by an internal user, or a completed activity."""
        note = self.env.ref("mail.mt_note").id
        return SQL(
            """(m.mail_activity_type_id IS NOT NULL
                OR (m.message_type IN ('email', 'comment') AND m.subtype_id IS DISTINCT FROM %s
                    AND EXISTS (SELECT 1 FROM res_users u
                                WHERE u.partner_id = m.author_id AND NOT u.share)))""",
            note,
        )

    def _measure_lead_response_hours(self, company, date_from, date_to, context):
        """Median hours from the creation of the leads and opportunities of the period to their first
        contact (:meth:`_contact_messages_sql`). A lead not answered yet counts with the time it has
        waited, up to the end of the period: unanswered leads lengthen the median, they are never
        left out."""
        self.env["mail.message"].flush_model()
        self.env["crm.lead"].flush_model()
        period_end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time())
        censor = min(period_end, fields.Datetime.now())
        rows = self.env.execute_query(
            SQL(
                """SELECT l.id, EXTRACT(EPOCH FROM COALESCE(r.first_at, GREATEST(%s, l.create_date))
                                                 - l.create_date) / 3600.0,
                          r.first_at IS NOT NULL
                     FROM crm_lead l
        LEFT JOIN LATERAL (SELECT MIN(m.date) AS first_at
                             FROM mail_message m
                            WHERE m.model = 'crm.lead' AND m.res_id = l.id AND m.date >= l.create_date
                              AND m.date < %s AND %s) r ON TRUE
                    WHERE l.company_id = %s AND l.create_date >= %s AND l.create_date < %s""",
                censor,
                period_end,
                self._contact_messages_sql(),
                company.id,
                date_from,
                period_end,
            )
        )
        if not rows:
            return MeasureValue(
                reason=self.env._("No lead or opportunity was created in the assessment period.")
            )
        hours = np.array([row[1] for row in rows], dtype=float)
        return MeasureValue(
            value=float(np.median(hours)),
            res_model="crm.lead",
            res_ids=[row[0] for row in rows],
            numerator=sum(1 for row in rows if row[2]),
            denominator=len(rows),
        )

    def _measure_contacted_90d(self, company, date_from, date_to, context):
        """Share of the period's customers (commercial partners invoiced in the period) with a contact
        on them, their contacts or their opportunities in the 90 days up to the end of the period."""
        kpis = self._period_kpis(company, date_from, date_to, context)
        customers = kpis.customers
        if not len(customers):
            return MeasureValue(reason=self.env._("No customer was invoiced in the assessment period."))
        self.env["mail.message"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["crm.lead"].flush_model(["partner_id"])
        since = date_to - datetime.timedelta(days=89)
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT COALESCE(p.commercial_partner_id, lp.commercial_partner_id)
                 FROM mail_message m
            LEFT JOIN res_partner p ON m.model = 'res.partner' AND p.id = m.res_id
            LEFT JOIN crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id
            LEFT JOIN res_partner lp ON lp.id = l.partner_id
                WHERE m.model IN ('res.partner', 'crm.lead') AND m.date >= %s AND m.date < %s
                  AND COALESCE(p.commercial_partner_id, lp.commercial_partner_id) = ANY(%s) AND %s""",
                since,
                date_to + datetime.timedelta(days=1),
                customers.tolist(),
                self._contact_messages_sql(),
            )
        )
        contacted = sorted(row[0] for row in rows)
        return MeasureValue.share(len(contacted), len(customers), "res.partner", customers.tolist())

    def _measure_master_data_completeness(self, company, date_from, date_to, context):
        """Average share of the master data fields filled (:data:`MASTER_DATA_FIELDS`) over the
        period's customers (the commercial partners invoiced in the period)."""
        customers = self._period_kpis(company, date_from, date_to, context).customers
        if not len(customers):
            return MeasureValue(reason=self.env._("No customer was invoiced in the assessment period."))
        Partner = self.env["res.partner"]
        Partner.flush_model(list(MASTER_DATA_FIELDS))
        filled = SQL(" + ").join(
            SQL("(CASE WHEN %s IS NULL OR %s::text = '' THEN 0 ELSE 1 END)", column, column)
            for column in (SQL.identifier("p", fname) for fname in MASTER_DATA_FIELDS)
        )
        rows = self.env.execute_query(
            SQL("SELECT p.id, %s FROM res_partner p WHERE p.id = ANY(%s)", filled, customers.tolist())
        )
        total = len(rows) * len(MASTER_DATA_FIELDS)
        done = sum(row[1] for row in rows)
        return MeasureValue.share(done, total, "res.partner", [row[0] for row in rows])

    # ------------------------------------------------------------------------------------------
    # service (satisfaction from Odoo's ratings on any document of the company; SLA and first
    # contact resolution come with the service center addon)
    # ------------------------------------------------------------------------------------------
    def _measure_complaint_sla(self, company, date_from, date_to, context):
        return MeasureValue(
            reason=self.env._(
                "Needs the Service Center module (complaint cases with service level agreements)."
            )
        )

    def _measure_first_contact_resolution(self, company, date_from, date_to, context):
        return MeasureValue(
            reason=self.env._(
                "Needs the Service Center module (cases and calls resolved at the first contact)."
            )
        )

    def _measure_satisfaction(self, company, date_from, date_to, context):
        """Share of satisfied ratings (4 or 5 stars, Odoo's ``RATING_LIMIT_SATISFIED``) among the
        customers' ratings given in the period on documents of the company."""
        Rating = self.env["rating.rating"].sudo()
        ratings = Rating.search(
            [
                ("consumed", "=", True),
                ("rating", ">", 0),
                ("rated_on", ">=", date_from),
                ("rated_on", "<", date_to + datetime.timedelta(days=1)),
            ]
        )
        counted = Rating.browse()
        for res_model in set(ratings.mapped("res_model")):
            Model = self.env.get(res_model)
            if Model is None or "company_id" not in Model._fields:
                continue
            of_model = ratings.filtered(lambda r, m=res_model: r.res_model == m)
            docs = (
                Model.sudo()
                .with_context(active_test=False)
                .search([("id", "in", of_model.mapped("res_id")), ("company_id", "=", company.id)])
            )
            counted |= of_model.filtered(lambda r, ids=set(docs.ids): r.res_id in ids)
        if not counted:
            return MeasureValue(reason=self.env._("No customer rating was given in the assessment period."))
        satisfied = counted.filtered(lambda r: r.rating >= SATISFIED_RATING)
        return MeasureValue.share(len(satisfied), len(counted), "rating.rating", counted.ids)

    # ------------------------------------------------------------------------------------------
    # inventory
    # ------------------------------------------------------------------------------------------
    def _measure_on_time_delivery(self, company, date_from, date_to, context):
        """Share of the deliveries done in the period no later than the day promised (the deadline,
        else the scheduled date)."""
        if "stock.picking" not in self.env:
            return MeasureValue(reason=self.env._("Needs the Inventory module (deliveries)."))
        pickings = self.env["stock.picking"].search(
            [
                ("picking_type_code", "=", "outgoing"),
                ("state", "=", "done"),
                ("company_id", "=", company.id),
                ("date_done", ">=", date_from),
                ("date_done", "<", date_to + datetime.timedelta(days=1)),
            ]
        )
        if not pickings:
            return MeasureValue(reason=self.env._("No delivery was done in the assessment period."))
        # on time: done on or before the day promised
        on_time = pickings.filtered(
            lambda p: p.date_done.date() <= (p.date_deadline or p.scheduled_date).date()
        )
        return MeasureValue.share(len(on_time), len(pickings), "stock.picking", pickings.ids)
