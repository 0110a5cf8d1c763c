from datetime import timedelta

import numpy as np
from markupsafe import Markup

from odoo import fields, models
from odoo.tools import SQL, format_amount, format_date

from odoo.addons.crm_suite_base.tools.pgcopy import copy_query

from .figures import COPY_KINDS
from .selections import STAGE_SELECTION

STAGE_CODES = tuple(code for code, _label in STAGE_SELECTION)
EPOCH = np.datetime64('1970-01-01', 'D')


class CrmLifecycleRunPublish(models.Model):
    """Reading, writing and publishing steps of a refresh run (see ``crm_lifecycle_run.py``)."""

    _inherit = 'crm.lifecycle.run'

    # ------------------------------------------------------------------------------------------
    # inputs (set-based SQL)
    # ------------------------------------------------------------------------------------------
    def _load_inputs(self):
        """Everything the engine needs, in a few set-based queries; None when the company has
        no customer at all (nothing to analyse)."""
        from crm_lifecycle import Baseline

        company = self.company_id
        facts = self.env['crm.suite.facts']._get_customer_facts(company, self.date_from, self.date_to)
        older_ids, first, last = self._purchases_before_window()
        customers = np.union1d(older_ids, facts.partner_ids)
        prospects = self._prospect_partner_ids(customers)
        if facts.empty and not len(older_ids) and not len(prospects):
            return None
        published = self._published_lines()
        return {
            'facts': facts,
            # the window's own first purchases come from the facts: the engine takes the earlier
            'first_purchase': (older_ids, first),
            # those without a purchase in the window are churned (the engine decides)
            'lapsed': (older_ids, last),
            'prospects': prospects,
            'baseline': Baseline(*published),
        }

    def _purchases_before_window(self):
        """First and last posted customer invoice of each commercial partner before the analysis
        window (one aggregate over the company's older invoices, not their lines): the
        first-ever purchase of the window's customers, and the customers who bought before it
        only (churned)."""
        self.env['account.move'].flush_model(
            ['commercial_partner_id', 'move_type', 'state', 'invoice_date', 'company_id'])
        ids, first, last = copy_query(self.env.cr, SQL(
            """SELECT am.commercial_partner_id, MIN(am.invoice_date) - DATE '1970-01-01',
                      MAX(am.invoice_date) - DATE '1970-01-01'
                 FROM account_move am
                WHERE am.company_id = %s AND am.move_type = 'out_invoice' AND am.state = 'posted'
                  AND am.invoice_date < %s AND am.commercial_partner_id IS NOT NULL
             GROUP BY am.commercial_partner_id""",
            self.company_id.id, self.date_from), ['int4', 'int4', 'int4'])
        return (ids.astype(np.int64), EPOCH + first.astype('timedelta64[D]'),
                EPOCH + last.astype('timedelta64[D]'))

    def _prospect_partner_ids(self, customer_ids):
        """Prospects of this company: commercial partners of its open opportunities that never
        received a posted invoice from it (another company's customers are not its prospects)."""
        self.env['crm.lead'].flush_model(['partner_id', 'type', 'active', 'probability', 'company_id'])
        self.env['res.partner'].flush_model(['commercial_partner_id'])
        candidates = copy_query(self.env.cr, SQL(
            """SELECT DISTINCT p.commercial_partner_id
                 FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id
                WHERE l.active AND l.type = 'opportunity' AND COALESCE(l.probability, 0) < 100
                  AND (l.company_id = %s OR l.company_id IS NULL)
                  AND p.commercial_partner_id IS NOT NULL""",
            self.company_id.id), ['int4'])[0].astype(np.int64)
        return np.setdiff1d(candidates, customer_ids)

    def _published_lines(self):
        """Stage, previous stage, stage date and at-risk flag of the published run's customers."""
        self.env['crm.lifecycle.run.line'].flush_model()
        self.env['crm.lifecycle.run'].flush_model(['published', 'company_id'])
        codes = list(STAGE_CODES)
        ids, stage, previous, since, risk = copy_query(self.env.cr, SQL(
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
        days = since.astype(np.int64)
        since = np.where(days >= 0, EPOCH + days.astype('timedelta64[D]'), np.datetime64('NaT'))
        return ids.astype(np.int64), labels[stage], labels[previous], since.astype('datetime64[D]'), risk

    # ------------------------------------------------------------------------------------------
    # writing
    # ------------------------------------------------------------------------------------------
    def _write_batches(self, scores, max_batches):
        """Write the lines not yet written by this run, batch by batch (the declared figures,
        ``models/figures.py``, by binary COPY, see ``crm.suite.run._write_line_batches``)."""
        columns = {name: (kind, scores.figures[name]) for name, kind in COPY_KINDS.items()}
        return self._write_line_batches(scores.partner_ids, columns, max_batches)

    # ------------------------------------------------------------------------------------------
    # publishing
    # ------------------------------------------------------------------------------------------
    def _finalize(self, scores, inputs):
        """Publish the run: stage history, retention activities, cohorts, then the run becomes the
        company's published run (its lines are the customer values) and the lines of the older
        completed runs are deleted. Everything happens in this last step, so readers see either
        the previous run or this one, never a mix; a crash before it leaves lines that the resumed
        run completes.
        """
        self.env['crm.lifecycle.run.line'].flush_model()
        self.env['crm.customer.stage.history'].flush_model()
        history_count = self._insert_stage_history(scores)
        activity_candidates = self._retention_candidates(scores)
        self._write_cohorts(inputs['facts'])
        self._publish()
        self._delete_unpublished_lines()
        for model in ('crm.customer.value', 'crm.customer.stage.history', 'crm.customer.cohort',
                      'crm.lifecycle.run.line', 'crm.suite.customer.transaction'):
            self.env[model].invalidate_model()
        closed = self._close_retention_activities()
        created, unassigned = self._create_retention_activities(activity_candidates)
        self.write({
            'stage_change_count': history_count,
            'activity_count': created,
            'activity_closed_count': closed,
            'activity_unassigned_count': unassigned,
        })
        self._finish()

    def _insert_stage_history(self, scores):
        """A history row for each customer whose stage changed from a published one (from the
        engine's arrays: no scan of the run's lines).

        A customer's first classification is no transition: it is the line itself (stage, stage
        date, no previous stage), so it writes no history row; the first run of a company thus
        writes none instead of one per customer. Returns the number of stage changes, first
        classifications included.
        """
        figures = scores.figures
        changed = np.asarray(figures['stage_changed'], dtype=bool)
        previous = figures['previous_stage']
        moved = changed & np.not_equal(previous, None)
        if moved.any():
            self.env.cr.execute(SQL(
                """INSERT INTO crm_customer_stage_history
                          (partner_id, company_id, from_stage, to_stage, date, run_id, transition_count)
                   SELECT u.partner_id, %(company)s, u.from_stage, u.to_stage, %(date)s, %(run)s, 1
                     FROM unnest(%(partners)s::int4[], %(from)s::varchar[], %(to)s::varchar[])
                          AS u(partner_id, from_stage, to_stage)
                     JOIN res_partner p ON p.id = u.partner_id""",
                company=self.company_id.id, date=self.date_to, run=self.id,
                partners=scores.partner_ids[moved].tolist(), **{
                    'from': previous[moved].tolist(), 'to': figures['stage'][moved].tolist()}))
        return int(changed.sum())

    def _write_cohorts(self, facts):
        """Replace the company's cohort table (engine ``cohort_table`` with the sBG projection)."""
        self.env['crm.customer.cohort']._replace_company_cohorts(self, facts)

    # ------------------------------------------------------------------------------------------
    # retention activities
    # ------------------------------------------------------------------------------------------
    def _retention_candidates(self, scores):
        """Customers of this run with a retention reason (from the engine's arrays) and no open
        retention activity of this company for that reason.

        :return: list of ``(partner_id, reason)``
        """
        activity_type = self.company_id.crm_lcv_activity_type_id
        if not activity_type or not self.company_id.crm_lcv_activity_enabled:
            return []
        reasons = scores.figures['retention_reason']
        flagged = np.flatnonzero(np.not_equal(reasons, None))
        rows = [(int(pid), reason) for pid, reason in zip(
            scores.partner_ids[flagged].tolist(), reasons[flagged].tolist(), strict=True)]
        if not rows:
            return []
        self.env['mail.activity'].flush_model()
        open_rows = self.env.execute_query(SQL(
            """SELECT res_id, crm_lifecycle_reason FROM mail_activity
                WHERE res_model = 'res.partner' AND active AND res_id = ANY(%s)
                  AND crm_lifecycle_company_id = %s AND crm_lifecycle_reason IS NOT NULL""",
            [row[0] for row in rows], self.company_id.id))
        existing = set(open_rows)
        return [row for row in rows if row not in existing]

    def _create_retention_activities(self, candidates):
        """Schedule the retention activities, each in its recipient's language with the reason and
        the key figures in its note.

        :return: ``(created, not assigned)``: customers without salesperson get the fallback user
            of the settings, or no activity when there is none
        """
        if not candidates:
            return 0, 0
        company = self.company_id
        fallback = company.crm_lcv_activity_user_id
        self.env['res.partner'].flush_model(['user_id'])
        salespeople = dict(self.env.execute_query(SQL(
            'SELECT id, user_id FROM res_partner WHERE id = ANY(%s) AND user_id IS NOT NULL',
            [pid for pid, _reason in candidates])))
        assignable = [(pid, reason) for pid, reason in candidates if pid in salespeople or fallback]
        unassigned = len(candidates) - len(assignable)
        if not assignable:
            return 0, unassigned
        values = self.env['crm.customer.value'].sudo().search_fetch(
            [('company_id', '=', company.id), ('partner_id', 'in', [pid for pid, _reason in assignable])],
            ['partner_id', 'stage', 'p_alive', 'historical_clv', 'last_purchase_date', 'tier'])
        by_partner = {value.partner_id.id: value for value in values}
        partners = self.env['res.partner'].browse([pid for pid, _reason in assignable])
        names = dict(zip(partners.ids, partners.sudo().mapped('display_name'), strict=True))
        users = self.env['res.users'].browse(set(salespeople.values())) | fallback
        users.fetch(['lang'])
        deadline = fields.Date.context_today(self) + timedelta(days=company.crm_lcv_activity_days)
        model_id = self.env['ir.model']._get_id('res.partner')
        vals_list = []
        for partner, (_pid, reason) in zip(partners, assignable, strict=True):
            user = users.browse(salespeople[partner.id]) if partner.id in salespeople else fallback
            summary, note = self._retention_texts(user, reason, by_partner.get(partner.id))
            vals_list.append({
                'res_model_id': model_id,
                'res_id': partner.id,
                'res_name': names[partner.id],
                'activity_type_id': company.crm_lcv_activity_type_id.id,
                'user_id': user.id,
                'date_deadline': deadline,
                'summary': summary,
                'note': note,
                'automated': True,
                'crm_lifecycle_reason': reason,
                'crm_lifecycle_company_id': company.id,
            })
        self.env['mail.activity'].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        return len(vals_list), unassigned

    def _retention_texts(self, user, reason, value):
        """Summary and note of a retention activity, in ``user``'s language."""
        env = self.with_context(lang=user.lang or self.env.lang).env
        summaries = {
            'decline': env._('Retention: valuable customer entered decline'),
            'at_risk': env._('Retention: valuable customer at risk of churning'),
        }
        explanations = {
            'decline': env._('The customer entered the decline stage: the time since the last '
                             'purchase, the probability of being alive or the revenue trend crossed '
                             'the decline limits.'),
            'at_risk': env._('The probability that the customer is still active fell below the '
                             'at-risk threshold.'),
        }
        if not value:
            return summaries[reason], Markup('<p>%s</p>') % explanations[reason]
        stage_labels = dict(value._fields['stage']._description_selection(env))
        tier_labels = dict(value._fields['tier']._description_selection(env))
        currency = self.company_id.currency_id
        facts = [
            (env._('Lifecycle stage'), stage_labels.get(value.stage, '')),
            (env._('Value tier'), tier_labels.get(value.tier, '')),
            (env._('P(alive)'), f'{100.0 * (value.p_alive or 0.0):.0f}%'),
            (env._('Historical CLV (margin to date)'), format_amount(env, value.historical_clv, currency)),
            (env._('Last purchase'), format_date(env, value.last_purchase_date)),
        ]
        items = Markup('').join(Markup('<li>%s: %s</li>') % (label, text) for label, text in facts)
        return summaries[reason], Markup('<p>%s</p><ul>%s</ul>') % (explanations[reason], items)

    def _close_retention_activities(self):
        """Mark done the open retention activities of this company whose customer bought after the
        activity was scheduled."""
        self.env['mail.activity'].flush_model()
        rows = self.env.execute_query(SQL(
            """SELECT a.id FROM mail_activity a
                 JOIN crm_lifecycle_run_line l ON l.partner_id = a.res_id AND l.run_id = %s
                WHERE a.res_model = 'res.partner' AND a.active AND a.crm_lifecycle_reason IS NOT NULL
                  AND a.crm_lifecycle_company_id = %s
                  AND l.last_purchase_date >= a.create_date::date""",
            self.id, self.company_id.id))
        activities = self.env['mail.activity'].sudo().browse([row[0] for row in rows])
        for activity in activities:
            env = activity.with_context(lang=activity.user_id.lang or self.env.lang).env
            activity.with_env(env).action_feedback(
                feedback=env._('Closed by the lifecycle refresh: the customer bought again.'))
        return len(activities)
