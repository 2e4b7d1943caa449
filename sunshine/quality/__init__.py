"""Great Expectations checks of each night's feeds, with results kept in the warehouse."""

import logging

# GX logs every internal registration at INFO when imported; only its warnings are
# worth a data engineer's time. Set before any module of this package imports it.
logging.getLogger("great_expectations").setLevel(logging.WARNING)
