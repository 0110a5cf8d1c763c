import datetime

from odoo.tests import tagged

from odoo.addons.crm_mining_prediction.tests.common import PredictionCommon


@tagged('post_install', '-at_install')
class TestMailingContacts(PredictionCommon):
    """The recipients of a campaign's mailings are contacts of the response model: partners
    directly, mailing contacts through their email."""

    def test_mailing_recipients_are_contacts(self):
        self.env.user.group_ids += self.env.ref('mass_mailing.group_mass_mailing_user')
        campaign = self.env['utm.campaign'].create({'name': 'PRED Mailing Campaign'})
        partner, other = self.customers[:2]
        other.email = 'buyer@example.com'
        person = self.env['res.partner'].create(
            {'name': 'PRED Buyer', 'parent_id': other.id, 'email': 'Buyer@Example.com'}
        )
        mailing_contact = self.env['mailing.contact'].create({'name': 'Buyer', 'email': 'buyer@example.com'})
        mailing = self.env['mailing.mailing'].create(
            {
                'subject': 'Spring offer',
                'campaign_id': campaign.id,
                'mailing_model_id': self.env['ir.model']._get_id('res.partner'),
            }
        )
        sent = datetime.datetime.now() - datetime.timedelta(days=40)
        self.env['mailing.trace'].create(
            [
                {
                    'mass_mailing_id': mailing.id,
                    'model': 'res.partner',
                    'res_id': partner.id,
                    'email': 'x@example.com',
                    'sent_datetime': sent,
                    'trace_status': 'sent',
                },
                {
                    'mass_mailing_id': mailing.id,
                    'model': 'mailing.contact',
                    'res_id': mailing_contact.id,
                    'email': 'buyer@example.com',
                    'sent_datetime': sent,
                    'trace_status': 'sent',
                },
                {
                    'mass_mailing_id': mailing.id,
                    'model': 'res.partner',
                    'res_id': self.customers[2].id,
                    'email': 'never@example.com',
                    'trace_status': 'outgoing',
                },  # not sent: no contact
            ]
        )
        run = self.env['crm.response.run'].create({'campaign_ids': [(6, 0, campaign.ids)]})
        run.write({'date_to': self.today})
        partner_ids, days = run._response_contacts()
        self.assertEqual(sorted(partner_ids.tolist()), sorted([partner.id, person.commercial_partner_id.id]))
        self.assertEqual({str(d) for d in days}, {str(sent.date())})
