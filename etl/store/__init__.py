"""Persistence: the warehouse connection, migrations, the raw store, loaders, export, checks and reporting.

Sits below the pipeline and the CLI and above the record declaration (`etl.record`); nothing here
imports `etl.pipeline`, `etl.cli` or `dags/`.
"""
