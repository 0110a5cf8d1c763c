from . import (
    test_calls,
    test_case_documents,
    test_cti_webhook,
    test_recovery,
    test_reports,
    test_security,
    test_sla,
)
