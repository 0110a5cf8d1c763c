# res.company first: the transaction report view reads its columns when it is created.
from . import res_company, res_config_settings  # isort: skip
from . import customer_facts, customer_line, customer_transaction, res_partner, suite_export, suite_run
