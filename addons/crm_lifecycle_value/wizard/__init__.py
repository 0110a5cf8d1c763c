from . import crm_lifecycle_export_wizard
