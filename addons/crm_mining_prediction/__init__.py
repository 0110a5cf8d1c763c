from . import models, report, tools
