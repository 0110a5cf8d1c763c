from . import res_company, res_config_settings  # isort: skip
from . import (
    crm_segment,
    crm_segmentation_run,
    crm_segmentation_run_line,
    crm_segmentation_run_publish,
    crm_segmentation_run_segment,
    res_partner,
)
