{
    "name": "CRM Service Center",
    "version": "19.0.1.0.0",
    "summary": "Customer service cases on the OCA helpdesk: case types, the customer's own documents, "
    "complaint root causes, SLA by case type and priority with on track / at risk / breached status "
    "and escalation",
    "category": "Services/Helpdesk",
    "author": "CRM Intelligence Suite",
    "license": "AGPL-3",
    "external_dependencies": {
        "python": ["crm-intelligence-engines>=19.0.1.0.0", "numpy"],
    },
    "depends": [
        "crm_suite_base",
        "helpdesk_mgmt",
        "helpdesk_mgmt_sla",
        "helpdesk_mgmt_rating",
        "helpdesk_type",
        "sale_stock",
    ],
    "post_init_hook": "_crm_service_post_init",
    "data": [
        "security/crm_callcenter_service_security.xml",
        "security/ir.model.access.csv",
        "data/helpdesk_ticket_type_data.xml",
        "data/crm_service_root_cause_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_service_root_cause_views.xml",
        "views/helpdesk_ticket_type_views.xml",
        "views/helpdesk_sla_views.xml",
        "views/helpdesk_ticket_views.xml",
        "wizard/crm_service_recovery_wizard_views.xml",
        "report/crm_service_report_views.xml",
        "report/crm_service_loyalty_report_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "views/crm_callcenter_service_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_callcenter_service/static/tests/tours/*.js",
        ],
    },
}
