with

source as (
    {{ latest_version(source('budget', 'budget__department'), ['department_code'], 'updated_at::timestamp') }}
),

renamed as (
    select
        ---------- ids
        trim(department_code) as department_code,

        ---------- strings
        trim(department_name) as department_name,

        ---------- timestamps
        updated_at::timestamp as updated_at,
        _extracted_at as extracted_at
    from source
)

select * from renamed
