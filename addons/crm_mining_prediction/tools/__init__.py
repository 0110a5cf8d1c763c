from . import transactions
