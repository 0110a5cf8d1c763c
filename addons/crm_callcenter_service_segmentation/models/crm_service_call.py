from odoo import models


class CrmServiceCall(models.Model):
    _inherit = "crm.service.call"

    def _screen_pop_facts(self, partner):
        """The caller's segments of the published segmentation run of the call's company: the RFM
        segment with its code, and the cluster (read as superuser, like the rest of the card)."""
        facts = super()._screen_pop_facts(partner)
        member = (
            self.env["crm.segment.member"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("company_id", "=", self.company_id.id)], limit=1)
        )
        if not member:
            return facts
        fields_ = member._fields
        if member.rfm_segment_id:
            facts.append(
                {
                    "label": fields_["rfm_segment_id"]._description_string(self.env),
                    "value": f"{member.rfm_segment_id.name} ({member.rfm_code})"
                    if member.rfm_code
                    else member.rfm_segment_id.name,
                }
            )
        if member.cluster_segment_id:
            facts.append(
                {
                    "label": fields_["cluster_segment_id"]._description_string(self.env),
                    "value": member.cluster_segment_id.name,
                }
            )
        return facts
