from . import (
    test_call_kpis,
    test_call_security,
    test_call_web_client,
    test_calls,
    test_case_documents,
    test_cti_webhook,
    test_occupancy,
    test_recovery,
    test_reports,
    test_security,
    test_sla,
    test_staffing,
)
