#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright cannot download its own here),
# and need a CJK font, or every Chinese label renders as boxes in the screenshots.
set -euo pipefail

have_font() { fc-list 2>/dev/null | grep -qiE 'wqy|noto.*cjk'; }
if command -v chromium >/dev/null 2>&1 && have_font; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "error: the browser tests need Debian's chromium and fonts-wqy-microhei: run" \
         "'sudo apt-get install chromium fonts-wqy-microhei' once, then 'make test' again" >&2
    exit 1
fi
echo "set-up: installing chromium and a CJK font (Debian packages)"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
