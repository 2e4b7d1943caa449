-- Where a file-drop row came from: the file, its row, its version, the load.
{% macro file_lineage() -%}
        _source as source_file,
        _row_number as source_row_number,
        _file_version as file_version,
        _load_id as load_id,
        _extracted_at as extracted_at
{%- endmacro %}
