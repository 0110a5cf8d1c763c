from . import (
    test_actions,
    test_cube,
    test_refresh,
    test_security,
    test_web_client,
)
