{
    "name": "CRM Service Center - Capability Assessment",
    "version": "19.0.1.0.0",
    "summary": "Complaint resolution within SLA and first contact resolution measured from the service "
    "cases for the CRM capability assessment",
    "category": "Services/Helpdesk",
    "author": "CRM Intelligence Suite",
    "license": "AGPL-3",
    "depends": ["crm_callcenter_service", "crm_capability_assessment"],
    "auto_install": True,
}
