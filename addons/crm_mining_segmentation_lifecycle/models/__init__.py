from . import crm_segment, crm_segmentation_run, crm_segmentation_run_segment
