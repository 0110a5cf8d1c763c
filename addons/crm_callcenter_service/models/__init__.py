from . import (
    account_move,
    crm_service_root_cause,
    helpdesk_sla,
    helpdesk_ticket,
    helpdesk_ticket_sla,
    helpdesk_ticket_team,
    helpdesk_ticket_type,
    res_company,
    res_config_settings,
    res_partner,
    stock_picking,
)
