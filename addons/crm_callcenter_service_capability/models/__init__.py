from . import crm_capability_measure
