from . import cti
