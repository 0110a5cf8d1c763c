from . import (
    crm_service_call_report,
    crm_service_csat_report,
    crm_service_loyalty_report,
    crm_service_occupancy_report,
    crm_service_sla_report,
)
