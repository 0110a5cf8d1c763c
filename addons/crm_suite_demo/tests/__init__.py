from . import (
    test_bulk_loader,
    test_demo_capability,
    test_demo_generator,
    test_demo_prediction,
    test_demo_service,
    test_demo_wizard_web,
)
