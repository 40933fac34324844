#!/usr/bin/env python3
"""What `dates_from_git` adds to a fresh build.

The synthetic site (examples/synth.rs, seed 1) is written on tmpfs without
its `updated:` lines (so git supplies every one), committed, and given a
history of COMMITS commits in all, each moving the status of three issues
one step on (整改中 → 基本完成 → 已完成) as a clerk's edits would. The site
is then built RUNS times with `dates_from_git` off and on, interleaved, each
into an empty output; then once more after `git gc` packs the objects, as a
fresh clone has them. Printed: medians of wall time, CPU time and peak RSS,
and the ratio on / off.

    bench/git-history.sh                      # 1,000 notices × 30 issues, 1,000 commits
    NOTICES=100 COMMITS=200 bench/git-history.sh
    KEEP=1 bench/git-history.sh               # leave the site in /dev/shm/gongkai-git-bench
"""

import datetime
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

NOTICES = int(os.environ.get("NOTICES", "1000"))
ISSUES = int(os.environ.get("ISSUES", "30"))
COMMITS = int(os.environ.get("COMMITS", "1000"))
RUNS = int(os.environ.get("RUNS", "5"))
PLACE = "/dev/shm/gongkai-git-bench"
GONGKAI = os.path.abspath("target/release/gongkai")
NEXT = {"in_progress": "partial", "partial": "completed"}


def git(site, *args, date=None):
    env = dict(os.environ)
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.gov.cn",
         "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=site, env=env, check=True, stdout=subprocess.DEVNULL)


def make_site():
    shutil.rmtree(PLACE, ignore_errors=True)
    site = os.path.join(PLACE, "site")
    subprocess.run(["target/release/examples/synth", "--notices", str(NOTICES),
                    "--issues", str(ISSUES), "--seed", "1", "--out", site], check=True)
    issues = []
    for folder, _, files in os.walk(os.path.join(site, "content", "notices")):
        if os.path.basename(folder) != "issues":
            continue
        for name in files:
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            text = re.sub(r"^updated: .*\n", "", text, count=1, flags=re.M)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            issues.append(path)
    issues.sort()
    with open(os.path.join(site, ".gitignore"), "w") as f:
        f.write("/out/\n/.out.*\n")
    start = datetime.datetime(2024, 1, 5, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "通报", date=start.isoformat())
    rng = random.Random(1)
    moving = [path for path in issues if status_of(path) in NEXT]
    for n in range(1, COMMITS):
        for path in rng.sample(moving, min(3, len(moving))):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            status = status_of(path)
            if status not in NEXT:
                continue
            text = text.replace(f"status: {status}\n", f"status: {NEXT[status]}\n", 1)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        date = start + datetime.timedelta(hours=8 * n)
        git(site, "commit", "-q", "-a", "--allow-empty", "-m", f"进展 {n}", date=date.isoformat())
    return site


def status_of(path):
    with open(path, encoding="utf-8") as f:
        match = re.search(r"^status: (\S+)$", f.read(), flags=re.M)
    return match.group(1) if match else None


def set_dates_from_git(site, on):
    path = os.path.join(site, "site.yaml")
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("dates_from_git:")]
    lines.append(f"dates_from_git: {'true' if on else 'false'}\n")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)


def build(site):
    output = os.path.join(site, "out")
    for path in [output, os.path.join(site, ".out.gongkai-cache"),
                 os.path.join(site, ".out.gongkai-index"),
                 os.path.join(site, ".out.gongkai-previous")]:
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)
    # Warnings go to a file: a full pipe nobody reads would stop the build.
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen([GONGKAI, "--root", site, "build", "-o", output],
                                   stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            stderr.seek(0)
            sys.exit(f"build failed:\n{stderr.read().decode('utf-8', 'replace')}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def table(site, label):
    runs = {False: [], True: []}
    for _ in range(RUNS):
        for on in (False, True):
            set_dates_from_git(site, on)
            runs[on].append(build(site))
    print(f"\n{label}")
    print("| dates_from_git | wall | CPU | peak RSS |")
    print("|---|---|---|---|")
    medians = {}
    for on in (False, True):
        wall, cpu, rss = (statistics.median(r[i] for r in runs[on]) for i in range(3))
        medians[on] = wall
        print(f"| {'on' if on else 'off'} | {wall:.2f} s | {cpu:.2f} s | {rss:.0f} MB |")
    print(f"added: {100 * (medians[True] / medians[False] - 1):+.1f} % of the wall time")


def main():
    print(f"{NOTICES} notices × {ISSUES} issues, {COMMITS} commits, medians of {RUNS} fresh builds")
    site = make_site()
    table(site, "loose objects (a repository as it is being worked in)")
    git(site, "gc", "-q")
    table(site, "after git gc (packed, as a fresh clone has them)")
    if not os.environ.get("KEEP"):
        shutil.rmtree(PLACE, ignore_errors=True)


if __name__ == "__main__":
    main()
