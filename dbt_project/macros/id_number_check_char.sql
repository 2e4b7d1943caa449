-- The GB 11643 check character of the 17-digit body `body17` (a short expression, repeated): weights 2^(17-i) mod 11.
{% macro id_number_check_char(body17) -%}
    {%- set weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] -%}
    {%- set terms = [] -%}
    {%- for weight in weights -%}
        {%- do terms.append('substr(' ~ body17 ~ ', ' ~ loop.index ~ ', 1)::integer * ' ~ weight) -%}
    {%- endfor -%}
    substr('10X98765432', ({{ terms | join(' + ') }}) % 11 + 1, 1)
{%- endmacro %}
