"""Landing source data in the warehouse's `raw` schema and keeping the load ledger."""
