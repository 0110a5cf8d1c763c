import hashlib
import hmac
import secrets
import time

from odoo import api, fields, models
from odoo.tools import SQL, ormcache

KEY_PREFIX = "cti"
_LAST_USED = {}  # (database, key id, prefix) -> when this worker last wrote its last use (monotonic)


def _hash(key):
    """SHA-256 of the key: the keys are 256-bit random secrets, so a fast hash is as safe at rest as
    a slow one and keeps the webhook's authentication to one index lookup (as GitHub tokens)."""
    return hashlib.sha256(key.encode()).hexdigest()


class CrmServiceCtiKey(models.Model):
    """An API key of the CTI webhook. The key authenticates the PBX *and* names the company its events
    are written into; only its SHA-256 is stored, the key itself is shown once when generated."""

    _name = "crm.service.cti.key"
    _description = "CTI webhook API key"
    _order = "company_id, id desc"

    name = fields.Char(string="Description", required=True, help="Which PBX uses the key.")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    key_index = fields.Char(string="Key Prefix", readonly=True, required=True, index=True, copy=False)
    key_hash = fields.Char(readonly=True, required=True, copy=False, groups="base.group_system")
    last_used = fields.Datetime(readonly=True, copy=False)

    _key_index_uniq = models.UniqueIndex("(key_index)", "The key prefix is already used.")

    @api.model
    def _generate(self, name, company):
        """Create a key for ``company``; returns ``(record, key)``: the only time the key is readable."""
        index = secrets.token_hex(4)
        key = f"{KEY_PREFIX}_{index}_{secrets.token_urlsafe(32)}"
        record = self.sudo().create(
            {"name": name, "company_id": company.id, "key_index": index, "key_hash": _hash(key)}
        )
        return record.sudo(False), key

    @api.model
    def _authenticate(self, key):
        """The company id of an active ``key`` (its last use recorded), or None."""
        found = self._find(key)
        if not found:
            return None
        self._touch(found[0])
        return found[1]

    @api.model
    def _find(self, key):
        """``(key id, company id)`` of an active ``key``, or None: its prefix looked up among the active
        keys (cached per worker, cleared when a key changes), its hash compared in constant time. An
        unknown key adds nothing to the cache."""
        parts = (key or "").split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 8:
            return None
        found = self._active_keys().get(parts[1])
        if not found or not hmac.compare_digest(found[2], _hash(key)):
            return None
        return found[0], found[1]

    @api.model
    def _touch(self, key_id):
        """Record the key's last use, at most once a minute per worker, skipping the row when another
        request is updating it (no queue of webhooks on one row)."""
        moment = time.monotonic()
        index = next((i for i, found in self._active_keys().items() if found[0] == key_id), None)
        slot = (self.env.cr.dbname, key_id, index)
        if moment - _LAST_USED.get(slot, -3600.0) <= 60:
            return
        _LAST_USED[slot] = moment
        self.env.cr.execute(
            SQL(
                "UPDATE crm_service_cti_key SET last_used = now() at time zone 'UTC' WHERE id IN "
                "(SELECT id FROM crm_service_cti_key WHERE id = %s FOR UPDATE SKIP LOCKED)",
                key_id,
            )
        )

    @api.model
    @ormcache()
    def _active_keys(self):
        """``{prefix: (key id, company id, hash)}`` of the active keys."""
        self.flush_model(["active", "key_index", "key_hash", "company_id"])
        rows = self.env.execute_query(
            SQL("SELECT key_index, id, company_id, key_hash FROM crm_service_cti_key WHERE active")
        )
        return {index: (key_id, company_id, key_hash) for index, key_id, company_id, key_hash in rows}

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
