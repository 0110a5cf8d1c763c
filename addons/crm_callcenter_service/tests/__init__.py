from . import test_case_documents, test_security, test_sla
