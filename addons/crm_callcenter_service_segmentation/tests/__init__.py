from . import test_screen_pop
