from . import crm_suite_demo_wizard
