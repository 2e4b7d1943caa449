"""The supervision loop outside dbt: dispositions, listing alerts, scoring against a truth."""
