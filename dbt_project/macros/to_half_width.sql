-- Full-width ASCII forms (digits, letters, punctuation, ideographic space) as half-width; `expr` is repeated, keep it short.
{% macro to_half_width(expr) -%}
    case
        when {{ expr }} ~ '[\uff01-\uff5e\u3000]'
            then translate({{ expr }}, '　！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～', ' !"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~')
        else {{ expr }}
    end
{%- endmacro %}
