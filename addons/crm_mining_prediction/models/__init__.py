from . import (
    crm_churn_run,
    crm_churn_run_line,
    crm_cross_sell_rule,
    crm_cross_sell_run,
    crm_response_run,
    crm_segment,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
)
