{
    "name": "CRM Service Center - Customer Value",
    "version": "19.0.1.1.0",
    "summary": "SLA policies by the customer's value tier and lifecycle stage; the value on the call "
    "center's screen pop (Customer Lifecycle & Value)",
    "category": "Services/Helpdesk",
    "author": "CRM Intelligence Suite",
    "license": "AGPL-3",
    "depends": ["crm_callcenter_service", "crm_lifecycle_value"],
    "auto_install": True,
    "data": [
        "views/helpdesk_sla_views.xml",
        "views/helpdesk_ticket_views.xml",
    ],
}
