from . import controllers, models, report, wizard


def _crm_service_post_init(env):
    """Satisfaction: ask the customer to rate a case when it is done (helpdesk_mgmt_rating's request
    on the Done stage), unless a rating template was already chosen there; case types on the teams."""
    done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done", raise_if_not_found=False)
    template = env.ref("helpdesk_mgmt_rating.rating_ticket_email_template", raise_if_not_found=False)
    if done and template and not done.rating_mail_template_id:
        done.rating_mail_template_id = template
    # the existing teams accept the shipped case types (helpdesk_type empties the team of a case
    # whose type the team does not list)
    kinds = env["helpdesk.ticket.type"]._crm_case_types()
    env["helpdesk.ticket.team"].with_context(active_test=False).search([]).write(
        {"type_ids": [(4, kind.id) for kind in kinds]}
    )
