-- The first paid_date on which the running total of `payments` per `key` reaches the
-- amount of its row in `targets`: one row per key that got there (key, completed_date).
-- The day counts, not the order within it: a day's reversals and payments are netted
-- before the running total is compared, so a same-day reversal cannot complete a target.
{% macro completion_dates(payments, key, targets, target_amount='amount') -%}
    select
        running.{{ key }},
        min(running.paid_date) as completed_date
    from (
        select
            {{ key }},
            paid_date,
            sum(sum(amount)) over (
                partition by {{ key }}
                order by paid_date
                rows between unbounded preceding and current row
            ) as reached
        from {{ payments }}
        group by {{ key }}, paid_date
    ) as running
    inner join {{ targets }}
        on running.{{ key }} = {{ targets }}.{{ key }}
    where running.reached >= {{ targets }}.{{ target_amount }}
    group by running.{{ key }}
{%- endmacro %}
