{{ config(materialized="table", indexes=[{"columns": ["alert_id"]}]) }}

-- Every rule model's findings of tonight's data, with the alert's stable identity.
-- dbt learns dependencies while parsing, when `graph` is still empty, so each rule model
-- (tagged alert_rule) is declared here, one line each; compiling names a missing one.
-- depends_on: {{ ref('int_rule_b01__payments_over_indicator') }}
-- depends_on: {{ ref('int_rule_b02__payments_without_indicator') }}
-- depends_on: {{ ref('int_rule_b03__disbursed_over_funding') }}
-- depends_on: {{ ref('int_rule_b04__split_indicators_over_parent') }}
-- depends_on: {{ ref('int_rule_c01__cadre_family_benefits') }}
-- depends_on: {{ ref('int_rule_c02__cadre_pays_himself') }}
-- depends_on: {{ ref('int_rule_c03__cadre_held_accounts') }}
-- depends_on: {{ ref('int_rule_d01__paid_in_several_villages') }}
-- depends_on: {{ ref('int_rule_d02__double_payments') }}
-- depends_on: {{ ref('int_rule_d03__shared_accounts') }}
-- depends_on: {{ ref('int_rule_d04__mutually_exclusive_benefits') }}
-- depends_on: {{ ref('int_rule_d05__repeated_one_off_subsidies') }}
-- depends_on: {{ ref('int_rule_e01__deceased_recipients') }}
-- depends_on: {{ ref('int_rule_e02__public_employees_on_assistance') }}
-- depends_on: {{ ref('int_rule_e03__old_age_allowance_out_of_band') }}
-- depends_on: {{ ref('int_rule_e04__invalid_identities') }}
-- depends_on: {{ ref('int_rule_e05__assisted_members_with_assets') }}
-- depends_on: {{ ref('int_rule_e06__pensions_after_suspension') }}
-- depends_on: {{ ref('int_rule_e07__care_subsidy_grade_mismatches') }}
-- depends_on: {{ ref('int_rule_e08__pensions_under_age') }}
-- depends_on: {{ ref('int_rule_k01__missing_documents') }}
-- depends_on: {{ ref('int_rule_k02__split_payments') }}
-- depends_on: {{ ref('int_rule_s01__over_the_standard') }}
-- depends_on: {{ ref('int_rule_t01__indicators_undisbursed') }}
-- depends_on: {{ ref('int_rule_t02__funds_idle_on_account') }}
-- depends_on: {{ ref('int_rule_t03__failed_payments_not_reissued') }}
-- depends_on: {{ ref('int_rule_t04__approved_subsidies_unpaid') }}
-- depends_on: {{ ref('int_rule_x01__village_outliers') }}
with

findings as (
    {{ union_alert_rules() }}
),

identified as (
    select
        md5(findings.rule_code || '|' || findings.finding_key) as alert_id,
        findings.*
    from findings
)

select * from identified
