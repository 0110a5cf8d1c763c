"""CRM capability assessment engine: indicator trees, AHP, fuzzy comprehensive evaluation, ROI (planned)."""
