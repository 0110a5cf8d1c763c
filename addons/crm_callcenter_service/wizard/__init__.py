from . import crm_service_recovery_wizard
