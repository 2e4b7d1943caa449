{{ config(tags=['alert_rule']) }}

-- E05 assistance with assets: a member on a paid dibao or tekun case who owned a car or
-- truck, or was legal representative of an enterprise not yet deregistered, at some
-- time in the paid month. Tractors and motorcycles are working tools, not assets here.
with

members_paid as (
    select * from {{ ref('int_rule_support_eligibility__dibao_members_paid') }}
),

assets as (
    select
        owner_id_number as id_number,
        'vehicle' as object,
        plate_no as asset_key,
        vehicle_type as asset_kind,
        registered_date as held_from,
        deregistered_date as held_until
    from {{ ref('stg_reference__vehicles') }}
    where vehicle_type in ('car', 'truck')
    union all
    select
        legal_rep_id_number as id_number,
        'enterprise' as object,
        credit_code as asset_key,
        'enterprise' as asset_kind,
        registered_date as held_from,
        deregistered_date as held_until
    from {{ ref('stg_reference__enterprises') }}
),

with_assets as (
    -- one asset is enough; the earliest held that overlaps the month is cited
    select distinct on (members_paid.payment_key, members_paid.member_id_number)
        members_paid.*,
        assets.object,
        assets.asset_key,
        assets.asset_kind,
        assets.held_from,
        assets.held_until
    from members_paid
    inner join assets
        on
            members_paid.member_id_number = assets.id_number
            and (assets.held_from is null or members_paid.period_end >= assets.held_from)
            and (assets.held_until is null or members_paid.period_start <= assets.held_until)
    order by
        members_paid.payment_key,
        members_paid.member_id_number,
        assets.held_from,
        assets.asset_key
),

per_period as (
    select
        member_id_number,
        period,
        {{ first_paid('fund_line_code') }} as fund_line_code,
        {{ first_paid('village_code') }} as village_code,
        {{ first_paid('case_id') }} as case_id,
        {{ first_paid('object') }} as object,
        {{ first_paid('asset_key') }} as asset_key,
        {{ first_paid('asset_kind') }} as asset_kind,
        {{ first_paid('held_from') }} as held_from,
        {{ first_paid('held_until') }} as held_until,
        sum(amount) as amount,
        {{ payment_records() }} as payment_records
    from with_assets
    group by member_id_number, period
),

final as (
    select
        'E05'::text as rule_code,
        'person'::text as subject_type,
        member_id_number as subject_key,
        period,
        fund_line_code,
        village_code,
        greatest(amount, 0)::numeric(14, 2) as amount_at_risk,
        -- an asset is a lead for a means test to redo, not proof of income
        'orange'::text as severity,
        jsonb_build_object(
            'records', payment_records || jsonb_build_array(
                jsonb_build_object(
                    'system', 'dibao', 'object', 'case_member',
                    'key', case_id || '/' || member_id_number
                ),
                jsonb_build_object('system', 'reference', 'object', object, 'key', asset_key)
            ),
            'measured', jsonb_build_object(
                'asset', asset_kind, 'held_from', held_from, 'held_until', held_until
            ),
            'threshold', period,
            'threshold_source',
            'rules.md E05: a car or truck, or a live enterprise, in the assisted period',
            'case_id', case_id
        ) as evidence,
        'person|' || member_id_number || '|' || period as finding_key
    from per_period
)

select * from final
