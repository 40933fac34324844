#!/usr/bin/env bash
# Time and peak memory of builds of hostile inputs (docs/security.md): one
# issue file of about 1 MB per class, and serve answering six downloads of
# a 512 MB attachment at once. Prints one line per case: exit status, wall
# seconds, peak RSS in MB.
#
#   bash bench/hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin gongkai
GONGKAI="$PWD/target/release/gongkai"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$GONGKAI" init "$WORK/site" >/dev/null
ISSUE="$WORK/site/content/notices/2025-shili/issues/01-xuexi-zhidu.md"
cp "$ISSUE" "$WORK/issue.md"
python3 - "$WORK" <<'PY'
import os, sys
work = sys.argv[1]
issue = open(os.path.join(work, "issue.md"), encoding="utf-8").read()
front = lambda extra: issue.replace("title:", extra + "\ntitle:", 1)
body = lambda extra: issue + "\n" + extra + "\n"
cases = {
    "yaml-brackets": front("x: " + "[" * 1_000_000),
    "yaml-braces": front("x: " + "{a: " * 250_000),
    "yaml-dashes": front("x:\n  " + "- " * 500_000 + "a"),
    "yaml-indent": front("x:\n" + "".join(" " * i + "a:\n" for i in range(1, 1400))),
    "yaml-aliases": front("a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdef", "bcdefg"))),
    "yaml-unknown-fields": front("".join(f"k{i}: 1\n" for i in range(100_000))),
    "html-nested-div": body("<div>" * 200_000),
    "html-nested-span": body("段落" + "<span>" * 160_000),
    "html-handlers": body("<img src=x onerror=alert(1)>" * 35_000),
    "md-quotes": body(">" * 1_000_000),
    "md-brackets": body("[" * 1_000_000),
    "md-links": body("[a](" * 250_000),
    "md-emphasis": body("*a" * 500_000),
    "md-lists": body("".join("  " * i + "- a\n" for i in range(900))),
    "md-script-links": body("[a](javascript:x) " * 55_000),
    "md-broken-links": body("[a](/x/) " * 110_000),
    "md-personal-data": body("13812341234 " * 80_000),
    "md-headings": body("## 标题 {onclick=x}\n\n" * 40_000),
}
os.makedirs(os.path.join(work, "cases"))
for name, text in cases.items():
    with open(os.path.join(work, "cases", name), "w", encoding="utf-8") as f:
        f.write(text)
PY

measure() { # name, then the command
    local name=$1; shift
    local status=0
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>&1 || status=$?
    # time writes "Command exited with non-zero status N" first on failure.
    read -r wall rss < <(tail -n 1 "$WORK/time")
    printf '%-22s exit %-3s %6.2f s %8.1f MB\n' "$name" "$status" "$wall" "$(echo "$rss / 1024" | bc -l)"
}

printf '%-22s %-8s %8s %11s\n' case status wall "peak RSS"
measure "clean" "$GONGKAI" build --root "$WORK/site" -o "$WORK/out"
for case in "$WORK"/cases/*; do
    name=$(basename "$case")
    cp "$case" "$ISSUE"
    measure "$name" "$GONGKAI" build --root "$WORK/site" -o "$WORK/out"
done
cp "$WORK/issue.md" "$ISSUE"

# serve: six simultaneous downloads of a 512 MB attachment.
head -c $((512 * 1024 * 1024)) /dev/zero > "$WORK/site/content/notices/2025-shili/big.bin"
echo "max_file_mb: 600" >> "$WORK/site/site.yaml"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/time -f "%M" -o "$WORK/serve-rss" "$GONGKAI" serve --root "$WORK/site" --port "$PORT" >/dev/null 2>&1 &
SERVE=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
start=$(date +%s.%N)
CURLS=()
for _ in 1 2 3 4 5 6; do
    curl -s -o /dev/null -w "%{http_code} %{size_download}\n" "http://127.0.0.1:$PORT/notices/2025-shili/big.bin" >> "$WORK/curl" &
    CURLS+=($!)
done
wait "${CURLS[@]}"
sort "$WORK/curl" | uniq -c | sed 's/^/  downloads: /' >&2
end=$(date +%s.%N)
kill -INT "$(pgrep -P $SERVE || echo $SERVE)" 2>/dev/null || true
wait $SERVE 2>/dev/null || true
printf '%-22s %-8s %6.2f s %8.1f MB\n' "serve 6×512 MB" "" "$(echo "$end - $start" | bc -l)" "$(echo "$(tail -n 1 "$WORK/serve-rss") / 1024" | bc -l)"
