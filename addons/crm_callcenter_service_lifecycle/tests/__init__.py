from . import test_tier_sla
