"""The read side shared by the dashboard, the weekly report and export: filters and the
parameterized, aggregating queries over the warehouse."""
