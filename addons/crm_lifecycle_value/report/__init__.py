from . import crm_customer_value
