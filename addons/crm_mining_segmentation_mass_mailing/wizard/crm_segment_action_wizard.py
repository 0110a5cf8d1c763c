from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize


class CrmSegmentActionWizard(models.TransientModel):
    """The segment actions gain "Add to a Mailing List": the members with an email address join an
    existing or a new mailing list (their mailing contact is reused when one has the same
    address, created otherwise), in two bulk operations."""

    _inherit = 'crm.segment.action.wizard'

    action = fields.Selection(
        selection_add=[('mailing_list', 'Add to a Mailing List')], ondelete={'mailing_list': 'cascade'})
    mailing_list_id = fields.Many2one(
        'mailing.list', help='Empty: a new list named below.')
    mailing_list_name = fields.Char(string='New List Name')

    def _preview_depends(self):
        return [*super()._preview_depends(), 'mailing_list_id']

    def _target_ids(self, member_ids):
        if self.action != 'mailing_list':
            return super()._target_ids(member_ids)
        targets = self._members_with_email(member_ids)
        if self.mailing_list_id:
            subscribed = set(self._subscribed_emails(self.mailing_list_id))
            targets = {pid: email for pid, email in targets.items() if email not in subscribed}
        return list(targets)

    def _members_with_email(self, member_ids):
        """``{partner id: normalised email}`` of the members that have a valid address."""
        if not member_ids:
            return {}
        self.env['res.partner'].flush_model(['email_normalized'])
        rows = self.env.execute_query(SQL(
            """SELECT id, email_normalized FROM res_partner
                WHERE id = ANY(%s) AND email_normalized IS NOT NULL ORDER BY id""", list(member_ids)))
        return dict(rows)

    def _subscribed_emails(self, mailing_list):
        self.env['mailing.subscription'].flush_model()
        self.env['mailing.contact'].flush_model(['email_normalized'])
        return [row[0] for row in self.env.execute_query(SQL(
            """SELECT c.email_normalized FROM mailing_subscription s
                 JOIN mailing_contact c ON c.id = s.contact_id
                WHERE s.list_id = %s AND c.email_normalized IS NOT NULL""", mailing_list.id))]

    def _check_parameters(self):
        if self.action == 'mailing_list' and not (self.mailing_list_id or self.mailing_list_name):
            raise UserError(self.env._('Choose a mailing list or name the new one.'))
        return super()._check_parameters()

    def _apply_mailing_list(self, partners, skipped):
        mailing_list = self.mailing_list_id
        created_list = not mailing_list
        if created_list:
            mailing_list = self.env['mailing.list'].create({'name': self.mailing_list_name})
        emails = self._members_with_email(partners.ids)
        subscribed = set(self._subscribed_emails(mailing_list))
        todo = {pid: email for pid, email in emails.items() if email not in subscribed}
        contacts = self.env['mailing.contact'].search([('email_normalized', 'in', list(set(todo.values())))])
        by_email = {}
        for contact in contacts:
            by_email.setdefault(contact.email_normalized, contact)
        self.env['mailing.subscription'].create([
            {'contact_id': contact.id, 'list_id': mailing_list.id} for contact in by_email.values()])
        new = [partner for partner in partners.browse(list(todo)) if todo[partner.id] not in by_email]
        seen = set()
        vals_list = []
        for partner in new:
            email = todo[partner.id]
            if email in seen:
                continue
            seen.add(email)
            vals_list.append({
                'name': partner.name,
                'email': partner.email if email_normalize(partner.email) == email else email,
                'company_name': partner.commercial_company_name or False,
                'country_id': partner.country_id.id,
                'subscription_ids': [Command.create({'list_id': mailing_list.id})],
            })
        self.env['mailing.contact'].create(vals_list)
        self.mailing_list_id = mailing_list
        return self.env._(
            '%(count)s customers added to the mailing list %(list)s%(new)s by %(user)s '
            '(%(created)s new mailing contacts; %(skipped)s members without an address or already '
            'on the list).', skipped=skipped,
            count=len(by_email) + len(vals_list), list=mailing_list.name,
            new=self.env._(' (new list)') if created_list else '', user=self.env.user.name,
            created=len(vals_list))
