from . import (
    bulk_loader,
    demo_generator,
    demo_generator_capability,
    demo_generator_prediction,
    demo_generator_service,
    demo_generator_service_calls,
)
