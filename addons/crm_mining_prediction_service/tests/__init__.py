from . import test_service_features
