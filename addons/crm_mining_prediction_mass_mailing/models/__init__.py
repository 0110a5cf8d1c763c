from . import crm_response_run
