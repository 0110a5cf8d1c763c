from . import (
    test_customer_cube,
    test_export,
    test_partner_form,
    test_refresh,
    test_security,
    test_tour,
    test_upgrade,
    test_web_client,
)
