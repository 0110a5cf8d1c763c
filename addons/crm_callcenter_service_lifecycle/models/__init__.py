from . import crm_service_call, helpdesk_sla, helpdesk_ticket
