from . import crm_customer_value, crm_suite_customer_transaction
