from . import test_customer_facts, test_security, test_settings, test_xlsx
