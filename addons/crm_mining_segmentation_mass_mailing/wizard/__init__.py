from . import crm_segment_action_wizard
