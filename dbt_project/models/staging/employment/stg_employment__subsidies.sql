with

source as (
    -- The latest version of each application by updatedAt (no deleted flag: revoked is a status).
    {{ latest_version(source('employment', 'employment__subsidies'), [normalize_code('application_id')], to_timestamptz('updated_at')) }}
),

renamed as (
    select
        ---------- ids
        {{ normalize_code('application_id') }} as application_id,
        {{ normalize_code('fund_line_code') }} as fund_line_code,
        {{ normalize_id_number('applicant_id_number') }} as applicant_id_number,
        {{ is_valid_id_number(normalize_id_number('applicant_id_number')) }} as applicant_id_number_is_valid,
        applicant_id_number as applicant_id_number_raw,
        {{ normalize_credit_code('enterprise_credit_code') }} as enterprise_credit_code,
        {{ is_valid_credit_code(normalize_credit_code('enterprise_credit_code')) }} as enterprise_credit_code_is_valid,

        ---------- strings
        {{ clean_text('subsidy_type') }} as subsidy_type,
        {{ normalize_person_name('applicant_name') }} as applicant_name,
        {{ clean_text('enterprise_name') }} as enterprise_name,
        {{ clean_text('status') }} as status,

        ---------- numerics: the API sends fen
        {{ to_integer('amount_fen', 'bigint') }} as amount_fen,
        {{ fen_to_yuan('amount_fen') }} as amount,

        ---------- dates
        {{ normalize_period('period') }} as period,
        {{ period_start(normalize_period('period')) }} as period_start,
        {{ to_timestamptz('approved_at') }} as approved_at,
        {{ to_local_date('approved_at') }} as approved_date,
        {{ to_timestamptz('paid_at') }} as paid_at,
        {{ to_local_date('paid_at') }} as paid_date,
        {{ to_timestamptz('updated_at') }} as updated_at,

        ---------- lineage
        _load_id as load_id,
        _extracted_at as extracted_at
    from source
)

select * from renamed
