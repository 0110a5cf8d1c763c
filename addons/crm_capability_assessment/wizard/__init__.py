from . import crm_capability_benefit_wizard
