from . import crm_service_call
