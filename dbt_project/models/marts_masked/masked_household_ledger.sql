{{ masked_view('household_ledger', {
    'member_id_number': 'id_number',
    'member_name': 'name',
    'account_no': 'account',
    'payment_key': 'embedded',
    'source_key': 'embedded',
    'benefit_household_key': 'embedded',
}) }}
