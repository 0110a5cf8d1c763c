from . import test_export, test_refresh, test_security, test_tour
