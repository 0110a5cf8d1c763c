from . import helpdesk_sla, helpdesk_ticket
