{{ masked_view('resupervision_queue', {'subject_key': 'subject', 'evidence': 'evidence'}) }}
