from . import test_bulk_loader, test_demo_generator
