"""The weekly report's content, computed from the warehouse and the decisions file (see
:func:`reports.weekly.build.build_report`)."""
