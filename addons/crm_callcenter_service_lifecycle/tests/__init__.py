from . import test_screen_pop, test_tier_sla
