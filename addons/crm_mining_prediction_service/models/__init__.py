from . import crm_churn_run, crm_service_call
