"""xxgk: parse, warehouse and check China's government information-disclosure annual reports."""

import os

__version__ = "0.1.0"

# Nothing may wait on a network: no dbt, GX or other telemetry, whoever imports us first.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
