from . import test_lifecycle_bridge
