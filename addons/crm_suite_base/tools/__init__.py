from . import facts, xlsx
