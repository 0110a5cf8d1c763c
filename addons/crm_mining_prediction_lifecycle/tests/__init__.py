from . import test_clv_value
