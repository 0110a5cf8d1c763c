from . import test_customer_cube, test_customer_facts, test_pgcopy, test_security, test_settings, test_xlsx
