from . import test_flow, test_measures, test_project, test_security, test_web_client, test_xlsx
