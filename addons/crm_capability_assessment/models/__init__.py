from . import (
    crm_capability_assessment,
    crm_capability_assessment_line,
    crm_capability_assessment_xlsx,
    crm_capability_indicator,
    crm_capability_judgment,
    crm_capability_measure,
    crm_capability_project,
    survey_question_answer,
)
