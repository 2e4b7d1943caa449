{#- The note may name the subject: the names of the evidence, and the subject's registered name. -#}
{%- set names -%}
    {{ names_in_json('evidence') }} || array(
        select residents.name
        from {{ ref('stg_reference__residents') }} as residents
        where alerts.subject_type = 'person' and residents.id_number = alerts.subject_key
    )
{%- endset -%}
{{ masked_view('alerts', {
    'alert_id': 'pass',
    'rule_code': 'pass',
    'rule_name_zh': 'pass',
    'severity': 'pass',
    'subject_type': 'pass',
    'subject_key': 'subject',
    'fund_line_code': 'pass',
    'village_code': 'pass',
    'village_name': 'pass',
    'town_code': 'pass',
    'town_name': 'pass',
    'district_code': 'pass',
    'district_name': 'pass',
    'period': 'pass',
    'amount_at_risk': 'pass',
    'evidence': 'evidence',
    'first_detected_on': 'pass',
    'last_detected_on': 'pass',
    'due_on': 'pass',
    'status': 'pass',
    'status_since': 'pass',
    'department_code': 'pass',
    'department_name': 'pass',
    'disposition': 'pass',
    'disposition_note': 'free_text',
    'disposed_by': 'pass',
    'disposed_at': 'pass',
    'escalated_on': 'pass',
    'finding_key': 'finding_key',
    'as_of_night': 'pass',
}, names=names) }}
