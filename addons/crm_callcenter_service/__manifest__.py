{
    "name": "CRM Service Center",
    "version": "19.0.1.1.0",
    "summary": "Customer service and call center on the OCA helpdesk: case types, the customer's own "
    "documents, complaint root causes, SLA status and escalation; calls from the PBX through an "
    "authenticated exactly-once CTI webhook, screen pop with the customer's value, call-center KPIs, "
    "forecast and Erlang staffing plans",
    "category": "Services/Helpdesk",
    "author": "CRM Intelligence Suite",
    "license": "AGPL-3",
    "external_dependencies": {
        "python": ["crm-intelligence-engines>=19.0.1.0.0", "numpy", "phonenumbers"],
    },
    "depends": [
        "crm_suite_base",
        "helpdesk_mgmt",
        "helpdesk_mgmt_sla",
        "helpdesk_mgmt_rating",
        "helpdesk_type",
        "phone_validation",
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
        "views/crm_service_call_views.xml",
        "views/crm_service_cti_key_views.xml",
        "views/crm_service_staffing_plan_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/res_users_views.xml",
        "report/crm_service_call_report_views.xml",
        "report/crm_service_occupancy_report_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "views/crm_callcenter_service_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_callcenter_service/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_callcenter_service/static/tests/tours/*.js",
        ],
    },
}
