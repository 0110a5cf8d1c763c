"""Data-mining engine: RFM, segmentation, churn/response models, association rules (planned)."""
