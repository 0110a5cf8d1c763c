from . import crm_churn_run
