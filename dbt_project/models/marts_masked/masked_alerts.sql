{{ masked_view('alerts', {'subject_key': 'subject', 'finding_key': 'finding_key', 'evidence': 'evidence'}) }}
