import numpy as np

from odoo import models
from odoo.tools import SQL

from odoo.addons.crm_suite_base.tools.pgcopy import copy_query


class CrmChurnRun(models.Model):
    """The service history as churn features: cases opened and complaints in the 90 days before each
    cut-off, and the mean satisfaction rating (1 to 5) given in that time. Every case and rating is
    dated, so the features at a cut-off read nothing that happened after it."""

    _inherit = 'crm.churn.run'

    def _churn_events(self):
        from crm_mining import Events

        events = super()._churn_events()
        self.env['helpdesk.ticket'].flush_model(
            ['commercial_partner_id', 'company_id', 'create_date', 'case_kind']
        )
        self.env['rating.rating'].flush_model(['res_model', 'res_id', 'rating', 'consumed', 'rated_on'])
        ids, days, complaint = copy_query(
            self.env.cr,
            SQL(
                """SELECT t.commercial_partner_id::int4, (t.create_date::date - DATE '1970-01-01')::int4,
                      COALESCE(t.case_kind = 'complaint', FALSE)::bool
                 FROM helpdesk_ticket t
                WHERE t.company_id = %s AND t.commercial_partner_id IS NOT NULL
                  AND t.create_date::date BETWEEN %s AND %s""",
                self.company_id.id,
                self.date_from,
                self.date_to,
            ),
            ['int4', 'int4', 'bool'],
        )
        dates = np.datetime64('1970-01-01', 'D') + days.astype(np.int64)
        complaint = complaint.astype(bool)
        events['cases'] = Events.from_arrays(ids, dates, how='count')
        events['complaints'] = Events.from_arrays(ids[complaint], dates[complaint], how='count')
        r_ids, r_days, rating = copy_query(
            self.env.cr,
            SQL(
                """SELECT t.commercial_partner_id::int4,
                      (COALESCE(r.rated_on, r.write_date)::date - DATE '1970-01-01')::int4, r.rating::float8
                 FROM rating_rating r
                 JOIN helpdesk_ticket t ON r.res_model = 'helpdesk.ticket' AND t.id = r.res_id
                WHERE r.consumed AND r.rating > 0 AND t.company_id = %s
                  AND t.commercial_partner_id IS NOT NULL
                  AND COALESCE(r.rated_on, r.write_date)::date BETWEEN %s AND %s""",
                self.company_id.id,
                self.date_from,
                self.date_to,
            ),
            ['int4', 'int4', 'float8'],
        )
        events['satisfaction'] = Events.from_arrays(
            r_ids, np.datetime64('1970-01-01', 'D') + r_days.astype(np.int64), rating, how='mean'
        )
        return events

    def _feature_labels(self, names):
        labels = super()._feature_labels(names)
        labels.update(
            {
                'event:cases': self.env._('Service cases (90 days)'),
                'event:complaints': self.env._('Complaints (90 days)'),
                'event:satisfaction': self.env._('Mean satisfaction rating (90 days)'),
            }
        )
        return labels
