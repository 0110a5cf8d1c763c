from . import test_case_documents, test_recovery, test_reports, test_security, test_sla
