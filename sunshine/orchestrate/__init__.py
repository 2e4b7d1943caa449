"""What the Airflow DAGs call: nights, task bodies, and running DAGs from the CLI."""
