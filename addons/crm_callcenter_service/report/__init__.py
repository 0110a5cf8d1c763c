from . import crm_service_csat_report, crm_service_sla_report
