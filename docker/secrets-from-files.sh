# Sourced by both images' entrypoints: a secret may come from a file instead of the
# environment (Docker secrets, a mounted file): NAME_FILE=/run/secrets/x sets NAME to
# the file's content, for names ending in _PASSWORD, _SECRET, _KEY or _URL (a URL holds
# a password). Other *_FILE variables (SUNSHINE_SOURCES_FILE) are paths, left alone.
# NAME set as well is an error: which of the two is meant cannot be guessed.
for sunshine_file_var in $(env | sed -n 's/^\([A-Za-z0-9_]*_\(PASSWORD\|SECRET\|KEY\|URL\)\)_FILE=.*/\1/p'); do
    sunshine_file=$(printenv "${sunshine_file_var}_FILE")
    if printenv "$sunshine_file_var" >/dev/null; then
        echo "error: both $sunshine_file_var and ${sunshine_file_var}_FILE are set: keep one" >&2
        exit 1
    fi
    if [ ! -r "$sunshine_file" ]; then
        echo "error: ${sunshine_file_var}_FILE=$sunshine_file is not a readable file" >&2
        exit 1
    fi
    # $(cat) drops the trailing newline a secret file usually ends with.
    export "$sunshine_file_var=$(cat "$sunshine_file")"
    unset "${sunshine_file_var}_FILE"
done
unset sunshine_file_var sunshine_file
