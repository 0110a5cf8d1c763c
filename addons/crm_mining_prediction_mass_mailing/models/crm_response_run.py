from odoo import models
from odoo.tools import SQL


class CrmResponseRun(models.Model):
    _inherit = 'crm.response.run'

    def _response_contacts_extra(self):
        """The recipients of the campaigns' mailings: the day each mail was sent, to a customer
        (``res.partner``) or to a mailing contact whose email is a customer's (its commercial
        partner, the company's first match by id)."""
        contacts = super()._response_contacts_extra()
        self.env['mailing.trace'].flush_model(
            ['mass_mailing_id', 'model', 'res_id', 'sent_datetime', 'email']
        )
        self.env['mailing.mailing'].flush_model(['campaign_id'])
        self.env['res.partner'].flush_model(['email_normalized', 'commercial_partner_id', 'company_id'])
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT COALESCE(direct.commercial_partner_id, by_email.commercial_partner_id),
                      t.sent_datetime::date
                 FROM mailing_trace t
                 JOIN mailing_mailing m ON m.id = t.mass_mailing_id
                 LEFT JOIN res_partner direct ON t.model = 'res.partner' AND direct.id = t.res_id
                      AND (direct.company_id IS NULL OR direct.company_id = %(company)s)
                 LEFT JOIN LATERAL (
                      SELECT p.commercial_partner_id FROM res_partner p
                       WHERE t.model <> 'res.partner' AND t.email IS NOT NULL
                         AND p.email_normalized = t.email
                         AND (p.company_id IS NULL OR p.company_id = %(company)s)
                    ORDER BY p.id LIMIT 1
                 ) by_email ON TRUE
                WHERE m.campaign_id = ANY(%(campaigns)s) AND t.sent_datetime IS NOT NULL
                  AND t.sent_datetime::date <= %(end)s
                  AND COALESCE(direct.commercial_partner_id, by_email.commercial_partner_id) IS NOT NULL""",
                company=self.company_id.id,
                campaigns=self.campaign_ids.ids,
                end=self.date_to,
            )
        )
        return contacts + [tuple(row) for row in rows]
