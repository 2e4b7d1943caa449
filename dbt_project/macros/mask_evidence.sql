-- A JSON value with the personal data inside masked: identity numbers anywhere, values of *name* and *account* keys.
{#- Evidence is free-form per rule, so it is masked by shape: an 18-digit identity
    number (17 digits and a digit or X, not inside a longer number), a string under a key
    naming a name (payee_name...) or an account (account_no...). -#}
{% macro mask_evidence(expr) -%}
    regexp_replace(
        regexp_replace(
            {{ mask_embedded_id_numbers('(' ~ expr ~ ')::text') }},
            '("[a-z_]*name": ")(.)[^"]*"', '\1\2**"', 'g'
        ),
        '("[a-z_]*account[a-z_]*": ")[^"]*([^"]{4})"', '\1****\2"', 'g'
    )::jsonb
{%- endmacro %}
