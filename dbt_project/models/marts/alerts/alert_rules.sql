-- The rule registry as users read it: one row per rule of rules.md, with its parameters'
-- values and sources, the model that implements it, and whether its volume jumped tonight.
with

registry as (
    select * from {{ ref('rule_registry') }}
),

parameters as (
    select
        rule_code,
        jsonb_object_agg(parameter, value order by parameter) as rule_parameters
    from {{ ref('rule_parameters') }}
    group by rule_code
),

volume as (
    select * from {{ ref('rule_volume') }}
    where night = {{ current_night() }}
),

models as (
    {{ alert_rule_models('implemented') }}
),

shapes as (
    select
        rule_code,
        finding_key_shape
    from (
        values
        {%- for code, shape in finding_key_shapes().items() | sort %}
            ('{{ code }}', '{{ shape }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as shapes (rule_code, finding_key_shape)
),

final as (
    select
        registry.rule_code,
        registry.name_zh,
        registry.name_en,
        registry.rule_group,
        registry.group_zh,
        registry.subject_types,
        registry.checks,
        registry.exclusions,
        registry.parameters as parameter_sources,
        coalesce(parameters.rule_parameters, '{}'::jsonb) as rule_parameters,
        registry.severity_rule,
        shapes.finding_key_shape,
        registry.default_owner_zh,
        models.rule_model,
        models.rule_model is not null as is_implemented,
        coalesce(volume.is_jump, false) as volume_jumped_tonight
    from registry
    left join parameters
        on registry.rule_code = parameters.rule_code
    left join models
        on registry.rule_code = models.rule_code
    left join volume
        on registry.rule_code = volume.rule_code
    left join shapes
        on registry.rule_code = shapes.rule_code
)

select * from final
