"""The Assets that link the nightly DAGs: extraction produces, transformation consumes."""

from airflow.sdk import Asset

RAW_LANDED = Asset(uri="sunshine://warehouse/raw", name="sunshine_raw_landed")
