from . import test_dependencies
