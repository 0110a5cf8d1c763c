"""19.0.1.1.0 -> 19.0.1.2.0: retention activities belong to a company.

The open-activity check is now per company (``mail.activity.crm_lifecycle_company_id``): the
activities scheduled by 1.1 get the company whose published values hold their customer (the lowest
company id when several do), so the next refresh does not schedule them a second time. Nothing is
deleted; the run's stored ``message`` column is left in place (the note is now computed in the
reader's language from the run's counts).
"""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL(
        """UPDATE mail_activity a
              SET crm_lifecycle_company_id = owner.company_id
             FROM (SELECT l.partner_id, MIN(l.company_id) AS company_id
                     FROM crm_lifecycle_run_line l
                     JOIN crm_lifecycle_run r ON r.id = l.run_id AND r.published
                 GROUP BY l.partner_id) owner
            WHERE a.res_model = 'res.partner' AND a.res_id = owner.partner_id
              AND a.crm_lifecycle_reason IS NOT NULL AND a.crm_lifecycle_company_id IS NULL"""))
