from . import bulk_loader, demo_generator
