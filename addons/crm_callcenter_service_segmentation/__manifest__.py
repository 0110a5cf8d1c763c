{
    "name": "CRM Service Center - Customer Segments",
    "version": "19.0.1.0.0",
    "summary": "The caller's RFM segment and cluster on the call center's screen pop "
    "(Data Mining Segmentation)",
    "category": "Services/Helpdesk",
    "author": "CRM Intelligence Suite",
    "license": "AGPL-3",
    "depends": ["crm_callcenter_service", "crm_mining_segmentation"],
    "auto_install": True,
}
