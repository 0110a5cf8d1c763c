from . import crm_churn_member
