from . import (
    test_churn,
    test_cross_sell,
    test_response,
    test_security,
    test_transactions,
    test_web_client,
)
