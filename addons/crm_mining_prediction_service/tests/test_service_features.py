import datetime

import numpy as np

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.crm_callcenter_service.tests.common import ServiceTestCommon


@tagged('post_install', '-at_install')
class TestServiceFeatures(ServiceTestCommon):
    """Cases, complaints and ratings become dated churn features of the customer."""

    def test_cases_complaints_and_ratings_are_events(self):
        from crm_mining import Transactions, customer_features

        partner = self.env['res.partner'].create({'name': 'PRED Service Customer', 'is_company': True})
        today = datetime.date.today()
        complaint_type = self.env.ref('crm_callcenter_service.ticket_type_complaint')
        tickets = self.env['helpdesk.ticket'].create(
            [
                {
                    'name': 'Broken',
                    'description': 'x',
                    'partner_id': partner.id,
                    'type_id': complaint_type.id,
                },
                {'name': 'Question', 'description': 'y', 'partner_id': partner.id},
                {'name': 'Old one', 'description': 'z', 'partner_id': partner.id},
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                today - datetime.timedelta(days=200),
                tickets[2].id,
            )
        )
        for ticket, value in zip(tickets[:2], (2, 4), strict=True):
            self.env['rating.rating'].create(
                {
                    'res_model_id': self.env['ir.model']._get_id('helpdesk.ticket'),
                    'res_id': ticket.id,
                    'rating': value,
                    'consumed': True,
                    'rated_on': datetime.datetime.now(),
                }
            )
        self.env.invalidate_all()
        run = (
            self.env['crm.churn.run']
            .sudo()
            .create(
                {
                    'company_id': self.env.company.id,
                    'date_from': today - datetime.timedelta(days=800),
                    'date_to': today,
                }
            )
        )
        events = run._churn_events()
        self.assertEqual(set(events), {'cases', 'complaints', 'satisfaction'})
        tx = Transactions.from_arrays([partner.id], [str(today - datetime.timedelta(days=5))], [100.0])
        features = customer_features(tx, np.datetime64(today, 'D'), events=events)
        row = dict(zip(features.names, features.X[0], strict=True))
        self.assertEqual(row['event:cases'], 2)  # the case of 200 days ago is older than 90 days
        self.assertEqual(row['event:complaints'], 1)
        self.assertEqual(row['event:satisfaction'], 3.0)
        labels = run._feature_labels(features.names)
        self.assertEqual(labels['event:complaints'], 'Complaints (90 days)')
