from . import test_screen_pop, test_service_features
