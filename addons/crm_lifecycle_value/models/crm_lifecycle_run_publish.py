from datetime import timedelta

import numpy as np

from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_suite_base.tools.pgcopy import copy_columns, copy_query

from .crm_lifecycle_run import DEFAULT_BATCH_SIZE
from .selections import STAGE_SELECTION

# columns of crm.lifecycle.run.line written by a run (besides run_id, company_id, partner_id), with
# their binary COPY kind (crm_suite_base/tools/pgcopy.py); floats are float8
LINE_COLUMNS = (
    'first_purchase_date', 'last_purchase_date', 'purchase_count', 'frequency', 'recency_days',
    'tenure_days', 'revenue', 'margin', 'average_order_value', 'historical_clv', 'expected_purchases',
    'expected_value', 'p_alive', 'predicted_clv', 'retention_clv', 'stage', 'at_risk', 'tier',
    'value_quadrant', 'previous_stage', 'stage_since', 'stage_changed', 'retention_reason',
)
COPY_KINDS = {
    'first_purchase_date': 'date', 'last_purchase_date': 'date', 'stage_since': 'date',
    'purchase_count': 'int4', 'frequency': 'int4', 'recency_days': 'int4', 'tenure_days': 'int4',
    'stage': 'text', 'tier': 'text', 'value_quadrant': 'text', 'previous_stage': 'text',
    'retention_reason': 'text', 'at_risk': 'bool', 'stage_changed': 'bool',
}
STAGE_CODES = tuple(code for code, _label in STAGE_SELECTION)


class CrmLifecycleRunPublish(models.Model):
    """Scoring, writing and publishing steps of a refresh run (see ``crm_lifecycle_run.py``)."""

    _inherit = 'crm.lifecycle.run'

    def _score_population(self, population, bg, gg, thresholds):
        """Figures of every customer of the population (vectorised engine calls, well under a
        second for 100,000 customers): values, tiers and value matrix over the whole population,
        and what changed since the published run. A resumed run computes them again."""
        from crm_lifecycle import pyramid_tiers, value_matrix

        company = self.company_id
        scores = self._score(population, bg, gg, thresholds)
        count = len(population.partner_ids)
        tiers = np.full(count, None, dtype=object)
        quadrants = np.full(count, None, dtype=object)
        buyers = scores['purchase_count'] > 0
        if buyers.any():
            historical = scores['historical_clv'][buyers]
            predicted = scores['predicted_clv'][buyers] if bg is not None else None
            cuts = (company.crm_lcv_tier_cut_1 / 100.0, company.crm_lcv_tier_cut_2 / 100.0,
                    company.crm_lcv_tier_cut_3 / 100.0)
            tiers[buyers] = pyramid_tiers(predicted if predicted is not None else historical, cut_points=cuts)
            if predicted is not None:
                quadrants[buyers] = value_matrix(historical, predicted)
        scores['tier'] = tiers
        scores['value_quadrant'] = quadrants
        scores.update(self._compare_with_published(population.partner_ids, scores))
        return scores

    def _compare_with_published(self, partner_ids, scores):
        """Previous stage, stage date, stage change and retention reason of each customer, from
        the lines of the company's published run (one binary COPY read)."""
        self.env['crm.lifecycle.run.line'].flush_model()
        self.env['crm.lifecycle.run'].flush_model(['published', 'company_id'])
        codes = list(STAGE_CODES)
        old_ids, old_stage, old_previous, old_since, old_risk = copy_query(self.env.cr, SQL(
            """SELECT l.partner_id,
                      COALESCE(array_position(%(codes)s::varchar[], l.stage::varchar), 0)::int4,
                      COALESCE(array_position(%(codes)s::varchar[], l.previous_stage::varchar), 0)::int4,
                      COALESCE(l.stage_since - DATE '1970-01-01', -1)::int4,
                      COALESCE(l.at_risk, FALSE)
                 FROM crm_lifecycle_run_line l
                 JOIN crm_lifecycle_run r ON r.id = l.run_id AND r.published AND r.company_id = %(company)s
                WHERE l.company_id = %(company)s""",
            codes=codes, company=self.company_id.id), ['int4', 'int4', 'int4', 'int4', 'bool'])
        labels = np.array([None, *codes], dtype=object)
        count = len(partner_ids)
        # align the published rows on the population (sorted partner ids)
        published = np.zeros(count, dtype=bool)
        before_stage = np.full(count, None, dtype=object)
        before_previous = np.full(count, None, dtype=object)
        before_since = np.full(count, np.datetime64('NaT'), dtype='datetime64[D]')
        before_risk = np.zeros(count, dtype=bool)
        if len(old_ids):
            position = np.clip(np.searchsorted(partner_ids, old_ids), 0, max(count - 1, 0))
            found = (partner_ids[position] == old_ids) if count else np.zeros(len(old_ids), dtype=bool)
            where = position[found]
            published[where] = True
            before_stage[where] = labels[old_stage[found]]
            before_previous[where] = labels[old_previous[found]]
            days = old_since[found].astype(np.int64)
            before_since[where] = np.where(
                days >= 0, np.datetime64('1970-01-01', 'D') + days, np.datetime64('NaT'))
            before_risk[where] = old_risk[found]
        stage = scores['stage']
        changed = ~published | (before_stage != stage)
        today = np.datetime64(self.date_to, 'D')
        return {
            'stage_changed': changed,
            'previous_stage': np.where(changed, before_stage, before_previous),
            'stage_since': np.where(changed, today, before_since),
            'retention_reason': self._retention_reasons(scores, changed, before_risk),
        }

    def _retention_reasons(self, scores, changed, before_risk):
        """``decline`` for a customer of the configured tiers that newly entered decline,
        ``at_risk`` for one that newly fell below the P(alive) threshold, else None."""
        company = self.company_id
        count = len(changed)
        reasons = np.full(count, None, dtype=object)
        tier_codes = company._crm_lcv_activity_tier_codes()
        if not company.crm_lcv_activity_enabled or not tier_codes or not company.crm_lcv_activity_type_id:
            return reasons
        wanted = np.isin(scores['tier'], np.array(tier_codes, dtype=object))
        declined = wanted & changed & (scores['stage'] == 'decline')
        at_risk = wanted & scores['at_risk'] & ~before_risk
        reasons[at_risk] = 'at_risk'
        reasons[declined] = 'decline'
        return reasons

    def _write_batches(self, partner_ids, scores, max_batches):
        """Write the lines not yet written by this run, batch by batch (one binary COPY each,
        committed with the batch counter in the scheduler)."""
        self.env['crm.lifecycle.run.line'].flush_model()
        written = copy_query(self.env.cr, SQL(
            'SELECT partner_id FROM crm_lifecycle_run_line WHERE run_id = %s', self.id), ['int4'])[0]
        todo = np.flatnonzero(~np.isin(partner_ids, written))
        size = self.batch_size or DEFAULT_BATCH_SIZE
        done = 0
        for start in range(0, len(todo), size):
            if max_batches is not None and done >= max_batches:
                return False
            index = todo[start:start + size]
            self._copy_lines(partner_ids[index], {
                column: (None if values is None else values[index]) for column, values in scores.items()})
            self.batch_done += 1
            done += 1
            if self._commit_batch(1) <= 0 and start + size < len(todo):
                return False
        return True

    def _score(self, population, bg, gg, thresholds):
        """Values of every customer of the population (vectorised engine calls)."""
        from crm_lifecycle import (
            annualized,
            classify_stages,
            customer_lifetime_value,
            mean_purchase_gap,
            retention_clv,
        )

        company = self.company_id
        p = population
        n = p.n_purchases
        f, r, T, m = p.frequency, p.recency, p.T, p.monetary_value
        revenue, margin = p.revenue, p.margin
        buyers = n > 0
        end = np.datetime64(self.date_to, 'D')
        since_last = np.where(buyers, (end - p.last_date).astype('timedelta64[D]').astype(np.int64), 0)
        count = len(p.partner_ids)
        p_alive = np.ones(count)
        expected_purchases = np.zeros(count)
        expected_value = np.zeros(count)
        predicted_clv = np.zeros(count)
        # margin rate of the customer's own history; the company fallback when revenue <= 0
        fallback = company.crm_intel_margin_fallback / 100.0
        with np.errstate(invalid='ignore', divide='ignore'):
            margin_rate = np.where(revenue > 0, np.clip(margin / revenue, 0.0, 1.0), fallback)
        if bg is not None and buyers.any():
            fb, rb, Tb, mb = f[buyers], r[buyers], T[buyers], m[buyers]
            horizon_days = self.horizon_months * 30.0
            p_alive[buyers] = bg.prob_alive(fb, rb, Tb)
            expected_purchases[buyers] = bg.expected_purchases(horizon_days, fb, rb, Tb)
            expected_value[buyers] = expected_purchases[buyers] * gg.expected_average_value(fb, mb)
            predicted_clv[buyers] = customer_lifetime_value(
                bg, gg, fb, rb, Tb, mb, horizon_months=self.horizon_months, period_days=1,
                annual_discount_rate=self.discount_rate / 100.0, margin_rate=margin_rate[buyers])
        # yearly margin of the observed relationship (at least one year of tenure)
        yearly_margin = np.where(buyers, annualized(margin, T), 0.0)
        ret_clv = retention_clv(
            yearly_margin, company.crm_lcv_retention_rate / 100.0, self.discount_rate / 100.0,
            periods=company.crm_lcv_retention_years)
        mean_gap = mean_purchase_gap(f, r)
        stage = classify_stages(n, T, since_last, mean_gap, p_alive, p.trend, thresholds)
        stage = np.where(~buyers & p.bought_before_window, 'churned', stage).astype(object)
        with np.errstate(invalid='ignore', divide='ignore'):
            aov = np.where(buyers, p.total_amount / np.maximum(n, 1), 0.0)
        model = bg is not None
        threshold = company.crm_intel_alive_threshold
        return {
            'first_purchase_date': p.first_date,
            'last_purchase_date': p.last_date,
            'purchase_count': n,
            'frequency': f.astype(np.int64),
            'recency_days': since_last,
            'tenure_days': T.astype(np.int64),
            'revenue': revenue,
            'margin': margin,
            'average_order_value': aov,
            'historical_clv': margin,
            'expected_purchases': expected_purchases if model else None,
            'expected_value': expected_value if model else None,
            'p_alive': np.where(buyers, p_alive, 0.0) if model else None,
            'predicted_clv': predicted_clv if model else None,
            'retention_clv': ret_clv,
            'stage': stage,
            'at_risk': buyers & (p_alive < threshold) if model else np.zeros(count, dtype=bool),
        }

    def _copy_lines(self, partner_ids, values):
        """The batch's lines in one binary ``COPY`` (numpy columns encoded without a row loop)."""
        count = len(partner_ids)
        columns = [
            ('int4', np.full(count, self.id)),
            ('int4', np.full(count, self.company_id.id)),
            ('int4', partner_ids),
        ]
        columns += [(COPY_KINDS.get(column, 'float8'), values[column]) for column in LINE_COLUMNS]
        copy_columns(self.env.cr, 'crm_lifecycle_run_line',
                     ['run_id', 'company_id', 'partner_id', *LINE_COLUMNS], columns)

    def _finalize(self, population):
        """Publish the run: stage history, retention activities, cohorts, then the run becomes the
        company's published run (its lines are the customer values) and the lines of the older
        completed runs are deleted. Everything happens in this last step, so readers see either
        the previous run or this one, never a mix; a crash before it leaves lines that the resumed
        run completes.
        """
        company = self.company_id
        self.env['crm.lifecycle.run.line'].flush_model()
        self.env['crm.customer.stage.history'].flush_model()
        history_count = self._insert_stage_history()
        activity_candidates = self._retention_candidates()
        self._write_cohorts(population)
        self._publish()
        self.env.cr.execute(SQL(
            """DELETE FROM crm_lifecycle_run_line l
                USING crm_lifecycle_run r
                WHERE r.id = l.run_id AND l.company_id = %(company)s AND r.company_id = %(company)s
                  AND l.run_id <> %(run)s AND r.state <> 'running'""",
            company=company.id, run=self.id))
        activity_count = self._create_retention_activities(activity_candidates)
        for model in ('crm.customer.value', 'crm.customer.stage.history', 'crm.customer.cohort',
                      'crm.lifecycle.run.line'):
            self.env[model].invalidate_model()
        note = self.env._(
            '%(customers)s customers scored (%(buyers)s buying, %(repeat)s repeat), %(changes)s '
            'stage changes, %(activities)s retention activities scheduled.',
            customers=self.customer_count, buyers=self.buyer_count, repeat=self.repeat_customer_count,
            changes=history_count, activities=activity_count)
        self._finish('\n'.join(filter(None, [self.message, note])))

    def _publish(self):
        """Make this run the published run of its company (the unpublishing first: a company has
        at most one published run, see ``_company_published_uniq``)."""
        self.flush_model(['published'])
        self.env.cr.execute(SQL(
            "UPDATE crm_lifecycle_run SET published = FALSE WHERE company_id = %s AND published AND id <> %s",
            self.company_id.id, self.id))
        self.env.cr.execute(SQL('UPDATE crm_lifecycle_run SET published = TRUE WHERE id = %s', self.id))
        self.invalidate_model(['published'])

    def _insert_stage_history(self):
        """A history row for each customer whose stage differs from the published one."""
        self.env.cr.execute(SQL(
            """INSERT INTO crm_customer_stage_history
                      (partner_id, company_id, from_stage, to_stage, date, run_id, transition_count)
               SELECT l.partner_id, %(company)s, l.previous_stage, l.stage, %(date)s, %(run)s, 1
                 FROM crm_lifecycle_run_line l
                 JOIN res_partner p ON p.id = l.partner_id
                WHERE l.run_id = %(run)s AND l.stage_changed""",
            company=self.company_id.id, date=self.date_to, run=self.id))
        return self.env.cr.rowcount

    def _write_cohorts(self, population):
        """Replace the company's cohort table (engine ``cohort_table``, one INSERT)."""
        from crm_lifecycle import cohort_table

        facts = population.facts
        table = cohort_table(facts.partner_ids, facts.dates, facts.revenue, self.date_to, period='month')
        self.env.cr.execute(SQL('DELETE FROM crm_customer_cohort WHERE company_id = %s', self.company_id.id))
        if not len(table.cohorts):
            return
        cohort_idx, offset_idx = np.nonzero(~np.isnan(table.customers))
        months = table.cohorts[cohort_idx].astype('datetime64[D]').tolist()
        self.env.cr.execute(SQL(
            """INSERT INTO crm_customer_cohort
                      (company_id, currency_id, run_id, cohort_month, period_offset, cohort_size,
                       customers_active, retention_rate, revenue)
               SELECT %s, %s, %s, u.*
                 FROM unnest(%s::date[], %s::int4[], %s::int4[], %s::int4[], %s::float8[],
                             %s::float8[]) AS u""",
            self.company_id.id, self.company_id.currency_id.id, self.id,
            months,
            table.offsets[offset_idx].astype(np.int64).tolist(),
            table.cohort_size[cohort_idx].astype(np.int64).tolist(),
            table.customers[cohort_idx, offset_idx].astype(np.int64).tolist(),
            np.round(100.0 * table.retention[cohort_idx, offset_idx], 4).tolist(),
            table.revenue[cohort_idx, offset_idx].tolist(),
        ))

    # ------------------------------------------------------------------------------------------
    # retention activities
    # ------------------------------------------------------------------------------------------
    def _retention_candidates(self):
        """Customers of this run with a retention reason (see :meth:`_retention_reasons`) and no
        open retention activity for that reason.

        :return: list of ``(partner_id, reason)``
        """
        activity_type = self.company_id.crm_lcv_activity_type_id
        if not activity_type:
            return []
        rows = self.env.execute_query(SQL(
            """SELECT l.partner_id, l.retention_reason
                 FROM crm_lifecycle_run_line l
                 JOIN res_partner p ON p.id = l.partner_id
                WHERE l.run_id = %s AND l.retention_reason IS NOT NULL
             ORDER BY l.partner_id""", self.id))
        if not rows:
            return []
        self.env['mail.activity'].flush_model()
        open_rows = self.env.execute_query(SQL(
            """SELECT res_id, crm_lifecycle_reason FROM mail_activity
                WHERE res_model = 'res.partner' AND active AND res_id = ANY(%s)
                  AND activity_type_id = %s AND crm_lifecycle_reason IS NOT NULL""",
            [row[0] for row in rows], activity_type.id))
        existing = set(open_rows)
        return [tuple(row) for row in rows if tuple(row) not in existing]

    def _create_retention_activities(self, candidates):
        if not candidates:
            return 0
        company = self.company_id
        partners = self.env['res.partner'].browse([pid for pid, _reason in candidates])
        partners.fetch(['user_id', 'name'])
        # the document names in one batch: mail.activity would compute them one partner at a time
        names = dict(zip(partners.ids, partners.sudo().mapped('display_name'), strict=True))
        summaries = {
            'decline': self.env._('Retention: valuable customer entered decline'),
            'at_risk': self.env._('Retention: valuable customer at risk of churning'),
        }
        deadline = fields.Date.context_today(self) + timedelta(days=company.crm_lcv_activity_days)
        model_id = self.env['ir.model']._get_id('res.partner')
        fallback_user = self.user_id or self.env.user
        vals_list = [{
            'res_model_id': model_id,
            'res_id': partner.id,
            'res_name': names[partner.id],
            'activity_type_id': company.crm_lcv_activity_type_id.id,
            'user_id': (partner.user_id or fallback_user).id,
            'date_deadline': deadline,
            'summary': summaries[reason],
            'automated': True,
            'crm_lifecycle_reason': reason,
        } for partner, (_pid, reason) in zip(partners, candidates, strict=True)]
        self.env['mail.activity'].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        return len(vals_list)
