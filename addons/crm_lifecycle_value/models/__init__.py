from . import (
    crm_customer_cohort,
    crm_customer_stage_history,
    crm_lifecycle_run,
    crm_lifecycle_run_line,
    crm_lifecycle_run_publish,
    mail_activity,
    res_company,
    res_config_settings,
    res_partner,
)
