"""gongkai against Hugo on the same content; run through bench/compare.sh.

The Hugo site is the synthetic gongkai site with its Markdown copied
unchanged: a notice becomes a branch bundle (`_index.md`, so that its issues
are pages of their own), gets `organizations` and `years` for the two
taxonomies, and the status and overdue listings, the notice list and the
search page get a content file each. The theme below renders what the
default gongkai theme renders: the same pages with the same navigation,
metadata, counts, progress bars, grouped issue lists, neighbours and
supervision footer; paged listings; one feed for the portal and one per
issuing body; sitemap, robots.txt and a search index of every notice and
issue as plain text.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GONGKAI = os.path.join(ROOT, "target/release/gongkai")
SYNTH = os.path.join(ROOT, "target/release/examples/synth")
FLOOR = os.path.join(ROOT, "target/release/examples/floor")
RUNS = int(os.environ.get("RUNS", "5"))
ISSUES = 30
AS_OF = "2025-10-01"

CONFIG = """baseURL: https://example.gov.cn/xcgz/
languageCode: zh-CN
title: 合成测试站点 巡察整改公开
paginate: 50
enableRobotsTXT: true
disableKinds: []
taxonomies: {{organization: organizations, year: years}}
frontmatter: {{date: [published, ":default"]}}
outputFormats:
  SearchIndex: {{mediaType: text/javascript, baseName: index, path: search, isPlainText: true, notAlternative: true}}
outputs:
  home: [HTML, RSS]
  section: [HTML]
  taxonomy: [HTML]
  term: [HTML, RSS]
params:
  as_of: "{as_of}"
  owner: {{name: 合成测试市卫生健康委员会, site_code: "0000000000", icp: 某ICP备00000000号, police: 某公网安备 00000000000000号}}
  supervision: {{phone: 0000-00000000, email: office@example.gov.cn, address: 某某市某某路1号, postcode: "000000"}}
"""

STATUS = {"completed": "已完成", "partial": "基本完成", "in_progress": "整改中"}

LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<meta name="SiteName" content="{{ site.Title }}">
<meta name="SiteIDCode" content="{{ site.Params.owner.site_code }}">
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:title" content="{{ .Title }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | relURL }}">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<a class="skip-link" href="#main">跳到正文</a>
<header class="site-header"><div class="wrap header-row">
<a class="brand" href="{{ "" | relURL }}"><span class="brand-mark" aria-hidden="true">公开</span><span class="brand-title">{{ site.Title }}</span></a>
</div>
<nav class="site-nav" aria-label="主导航"><ul class="wrap">
<li><a href="{{ "" | relURL }}">首页</a></li>
<li><a href="{{ "notices/" | relURL }}">全部通报</a></li>
<li><a href="{{ "status/completed/" | relURL }}">已完成</a></li>
<li><a href="{{ "status/partial/" | relURL }}">基本完成</a></li>
<li><a href="{{ "status/in_progress/" | relURL }}">整改中</a></li>
<li><a href="{{ "overdue/" | relURL }}">逾期</a></li>
<li><a href="{{ "organizations/" | relURL }}">按单位</a></li>
<li><a href="{{ "search/" | relURL }}">搜索</a></li>
{{ range (site.GetPage "/pages").Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></nav></header>
<main id="main" class="wrap">{{ block "main" . }}{{ end }}</main>
<footer class="site-footer"><div class="wrap">
<p>主办单位：{{ site.Params.owner.name }}</p>
<p><span>网站标识码：{{ site.Params.owner.site_code }}</span> <a href="https://beian.miit.gov.cn/">{{ site.Params.owner.icp }}</a> {{ site.Params.owner.police }}</p>
<p>{{ range (site.GetPage "/pages").Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> | {{ end }}统计截至 {{ site.Params.as_of }}</p>
</div></footer>
<script src="{{ "site.js" | relURL }}" defer></script>
</body>
</html>
""",
    "partials/counts.html": """{{ $total := 0 }}{{ $done := 0 }}{{ $partial := 0 }}{{ $open := 0 }}{{ $overdue := 0 }}
{{ range .notices }}{{ $issues := .RegularPages }}{{ $total = add $total (len $issues) }}
{{ $done = add $done (len (where $issues "Params.status" "completed")) }}{{ $partial = add $partial (len (where $issues "Params.status" "partial")) }}{{ $open = add $open (len (where $issues "Params.status" "in_progress")) }}
{{ $overdue = add $overdue (len (where (where $issues "Params.status" "ne" "completed") "Params.deadline" "lt" site.Params.as_of)) }}{{ end }}
<div class="figures"><p>共 <strong>{{ $total }}</strong> 个问题：已完成 {{ $done }}，基本完成 {{ $partial }}，整改中 {{ $open }}，逾期 {{ $overdue }}</p>
{{ if $total }}<svg class="progress" viewBox="0 0 100 6" role="img" aria-label="整改进度"><rect width="{{ div (mul $done 100) $total }}" height="6" fill="#1a7f37"/><rect x="{{ div (mul $done 100) $total }}" width="{{ div (mul $partial 100) $total }}" height="6" fill="#bf8700"/></svg>
<p class="percent">完成率 {{ div (mul $done 100) $total }}%</p>{{ end }}</div>
""",
    "partials/badge.html": """<span class="badge status-{{ .Params.status }}">{{ index (dict "completed" "已完成" "partial" "基本完成" "in_progress" "整改中") .Params.status }}</span>{{ if .Params.long_term }}<span class="badge long-term">长期坚持</span>{{ end }}{{ if and (ne .Params.status "completed") .Params.deadline }}{{ if lt .Params.deadline site.Params.as_of }}<span class="badge overdue">逾期</span>{{ end }}{{ end }}""",
    "partials/supervision.html": """<section class="supervision"><h2>监督渠道</h2><p>欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向我们反映。</p>
<ul><li>联系电话：{{ site.Params.supervision.phone }}</li><li>电子邮箱：{{ site.Params.supervision.email }}</li><li>通信地址：{{ site.Params.supervision.address }}（邮编：{{ site.Params.supervision.postcode }}）</li></ul></section>
""",
    "partials/card.html": """<li class="notice-card"><a href="{{ .RelPermalink }}">{{ .Title }}</a><p class="meta">{{ .Params.organization }} · {{ .Date.Format "2006年1月2日" }}</p>{{ partial "counts.html" (dict "notices" (slice .)) }}</li>
""",
    "index.html": """{{ define "main" }}
<section class="summary panel"><h1>{{ site.Title }}</h1>{{ partial "counts.html" (dict "notices" (site.GetPage "/notices").Sections) }}</section>
<section class="panel"><h2>最新通报</h2><ul class="notice-list">
{{ range first 20 ((site.GetPage "/notices").Sections.ByDate.Reverse) }}{{ partial "card.html" . }}{{ end }}
</ul><p><a href="{{ "notices/" | relURL }}">全部通报</a></p></section>
{{ end }}""",
    "notices/list.html": """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}{{ if .Params.organization }}
<nav class="breadcrumb"><a href="{{ "" | relURL }}">首页</a> › <a href="{{ "notices/" | relURL }}">全部通报</a></nav>
<article class="notice panel"><h1>{{ .Title }}</h1>
<dl class="metadata"><div><dt>索引号</dt><dd>{{ .Params.index_no }}</dd></div><div><dt>发布机构</dt><dd>{{ .Params.organization }}</dd></div>
<div><dt>发布日期</dt><dd>{{ .Date.Format "2006年1月2日" }}</dd></div><div><dt>文号</dt><dd>{{ .Params.doc_no }}</dd></div>
<div><dt>巡察组</dt><dd>{{ .Params.inspection.body }}</dd></div><div><dt>有效性</dt><dd>{{ .Params.validity }}</dd></div></dl>
{{ partial "counts.html" (dict "notices" (slice .)) }}
<div class="article-body">{{ .Content }}</div>
<section class="issues"><h2>问题清单</h2>{{ $aspect := "" }}<ol>
{{ range .RegularPages.ByTitle }}{{ if ne .Params.aspect $aspect }}{{ $aspect = .Params.aspect }}<li class="group"><h3>{{ $aspect }}</h3></li>{{ end }}
<li id="issue-{{ .File.BaseFileName }}"><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ partial "badge.html" . }}{{ with .Params.deadline }} 完成时限 {{ . }}{{ end }}
<div class="issue-body">{{ .Content }}</div></li>{{ end }}</ol></section>
{{ partial "supervision.html" . }}</article>
{{ else }}
<h1>全部整改通报</h1><ul class="notice-list">{{ range (.Paginate .Sections.ByDate.Reverse).Pages }}{{ partial "card.html" . }}{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}{{ end }}""",
    "notices/single.html": """{{ define "title" }}{{ .Title }} - {{ .Parent.Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}
<nav class="breadcrumb"><a href="{{ "" | relURL }}">首页</a> › <a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a> › <span>{{ .File.BaseFileName }}</span></nav>
<article class="issue-detail panel">
<p class="group-path">{{ .Params.aspect }}{{ with .Params.item }} › {{ . }}{{ end }}</p>
<h1>{{ .Title }}</h1>
<dl class="issue-table"><div><dt>整改状态</dt><dd>{{ partial "badge.html" . }}</dd></div>
<div><dt>完成时限</dt><dd>{{ with .Params.deadline }}{{ . }}{{ else }}—{{ end }}</dd></div>
<div><dt>责任科室</dt><dd>{{ .Params.department | default "—" }}</dd></div><div><dt>牵头领导</dt><dd>{{ .Params.lead | default "—" }}</dd></div>
<div><dt>所属通报</dt><dd><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></dd></div></dl>
<section class="measures article-body"><h2>整改措施及进展</h2>{{ .Content }}</section>
<nav class="pager">{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">上一条 {{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">下一条 {{ .Title }}</a>{{ end }}</nav>
{{ partial "supervision.html" . }}</article>
{{ end }}""",
    "_default/listing.html": """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}<h1>{{ .Title }}</h1>{{ $listing := .Params.listing }}
<p>共 {{ partialCached "listing-total.html" $listing $listing }} 个问题</p><table class="listing"><thead><tr><th>问题</th><th>状态</th><th>完成时限</th><th>责任科室</th><th>所属通报</th></tr></thead><tbody>
{{ range (.Paginate (site.GetPage "/notices").Sections.ByDate.Reverse 20).Pages }}{{ $issues := .RegularPages }}
{{ if eq $listing "overdue" }}{{ $issues = where (where $issues "Params.status" "ne" "completed") "Params.deadline" "lt" site.Params.as_of }}{{ else }}{{ $issues = where $issues "Params.status" $listing }}{{ end }}
{{ range $issues }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ partial "badge.html" . }}</td><td>{{ .Params.deadline | default "—" }}</td><td>{{ .Params.department }}</td><td><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></td></tr>
{{ end }}{{ end }}</tbody></table>{{ template "_internal/pagination.html" . }}{{ end }}""",
    "partials/listing-total.html": """{{ $issues := where site.RegularPages "Section" "notices" }}{{ if eq . "overdue" }}{{ $issues = where (where $issues "Params.status" "ne" "completed") "Params.deadline" "lt" site.Params.as_of }}{{ else }}{{ $issues = where $issues "Params.status" . }}{{ end }}{{ return len $issues }}""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}""",
    "_default/single.html": """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}{{ define "main" }}<article class="page panel"><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}""",
    "_default/search.html": """{{ define "main" }}<h1>搜索</h1><form role="search"><input type="search" id="q" aria-label="搜索通报和问题"></form><div id="results"></div>
<script src="{{ "search/index.js" | relURL }}"></script><script src="{{ "search.js" | relURL }}"></script>{{ end }}""",
    "_default/terms.html": """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}<h1>按单位</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }} 篇 {{ partial "counts.html" (dict "notices" .Pages) }}</li>{{ end }}</ul>{{ end }}""",
    "_default/taxonomy.html": """{{ define "title" }}{{ .Title }} - {{ site.Title }}{{ end }}
{{ define "main" }}<h1>{{ .Title }}</h1><ul class="notice-list">{{ range (.Paginate .Pages.ByDate.Reverse).Pages }}{{ partial "card.html" . }}{{ end }}</ul>{{ template "_internal/pagination.html" . }}{{ end }}""",
    "index.searchindex.js": """window.GONGKAI_SEARCH={"documents":[{{ range $i, $p := where site.Pages "Section" "notices" }}{{ if $p.Params.organization }}{{ if $i }},{{ end }}{"t":{{ $p.Title | jsonify }},"u":{{ $p.RelPermalink | jsonify }},"x":{{ $p.Plain | jsonify }}}{{ else if $p.IsPage }}{{ if $i }},{{ end }}{"t":{{ $p.Title | jsonify }},"u":{{ $p.RelPermalink | jsonify }},"n":{{ $p.Parent.Title | jsonify }},"s":{{ $p.Params.status | jsonify }},"x":{{ printf "%s %s %s" $p.Params.aspect ($p.Params.department | default "") $p.Plain | jsonify }}}{{ end }}{{ end }}]};
""",
    "404.html": """{{ define "main" }}<h1>页面不存在</h1><p><a href="{{ "" | relURL }}">返回首页</a></p>{{ end }}""",
}


def front_matter(text):
    """The front matter and the body of a Markdown file."""
    match = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
    return (match.group(1), match.group(2)) if match else ("", text)


def hugo_site(synth, out):
    """Writes the Hugo version of the gongkai site `synth` under `out`."""
    if os.path.exists(out):
        shutil.rmtree(out)
    content = os.path.join(out, "content")
    for name, text in LAYOUTS.items():
        write(os.path.join(out, "layouts", name), text)
    static = write_dir(out, "static")
    for name in ("style.css", "site.js", "search.js"):
        shutil.copy(os.path.join(ROOT, "themes/default/static", name), static)
    write(os.path.join(out, "config.yaml"), CONFIG.format(as_of=AS_OF))
    write(os.path.join(content, "notices/_index.md"), "---\ntitle: 全部整改通报\n---\n")
    write(os.path.join(content, "status/_index.md"), "---\ntitle: 按状态\n---\n")
    for key, label in STATUS.items():
        write(os.path.join(content, f"status/{key}/_index.md"),
              f"---\ntitle: {label}的问题\nlayout: listing\nlisting: {key}\n---\n")
    write(os.path.join(content, "overdue/_index.md"),
          "---\ntitle: 逾期未完成的问题\nlayout: listing\nlisting: overdue\n---\n")
    write(os.path.join(content, "search/_index.md"), "---\ntitle: 搜索\nlayout: search\n---\n")
    source = os.path.join(synth, "content")
    for name in os.listdir(os.path.join(source, "pages")):
        shutil.copy(os.path.join(source, "pages", name), os.path.join(write_dir(content, "pages"), name))
    notices = os.path.join(source, "notices")
    for slug in os.listdir(notices):
        with open(os.path.join(notices, slug, "index.md"), encoding="utf-8") as f:
            front, body = front_matter(f.read())
        organization = re.search(r"^organization: (.*)$", front, re.M).group(1)
        year = re.search(r"^published: (\d{4})", front, re.M).group(1)
        target = write_dir(content, "notices", slug)
        write(os.path.join(target, "_index.md"),
              f"---\n{front}\norganizations: [\"{organization}\"]\nyears: [\"{year}\"]\n---\n{body}")
        shutil.copytree(os.path.join(notices, slug, "issues"), os.path.join(target, "issues"))


def write_dir(*parts):
    path = os.path.join(*parts)
    os.makedirs(path, exist_ok=True)
    return path


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def beside(output):
    """What gongkai keeps beside its output: the previous build and the
    parse cache. A fresh build has neither."""
    parent, name = os.path.split(output)
    return [os.path.join(parent, f".{name}.gongkai-previous"),
            os.path.join(parent, f".{name}.gongkai-cache"),
            os.path.join(parent, f".{name}.gongkai-index")]


def remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def measure(command, output, fresh=True):
    """Wall seconds, CPU seconds and peak RSS (MB) of one run into an empty
    `output` (or, not `fresh`, over what it holds), and whether it finished
    (the kernel may kill a build that runs out of memory)."""
    if fresh:
        for path in [output, *beside(output)]:
            remove(path)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, -9):
        sys.exit(f"{' '.join(command)} failed ({code}):\n{stderr}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code == 0


def count_files(folder):
    return sum(len(files) for _, _, files in os.walk(folder))


def compare(notices, place):
    """Medians of both builds of `notices` × 30, sources and output under
    `place`.

    Every output is deleted as soon as it is measured: at 10,000 notices each
    output is gigabytes, which on tmpfs is memory taken from the build being
    measured (Hugo was killed for it)."""
    sources = place
    synth = os.path.join(sources, f"synth-{notices}")
    hugo = os.path.join(sources, f"hugo-{notices}")
    subprocess.run([SYNTH, "--notices", str(notices), "--issues", str(ISSUES), "--seed", "1", "--out", synth],
                   check=True, stdout=subprocess.DEVNULL)
    hugo_site(synth, hugo)
    gongkai_out = os.path.join(place, f"out-gongkai-{notices}")
    hugo_out = os.path.join(place, f"out-hugo-{notices}")
    commands = {
        "gongkai": ([GONGKAI, "build", "--root", synth, "-o", gongkai_out], gongkai_out),
        "hugo": (["hugo", "--quiet", "--source", hugo, "--destination", hugo_out], hugo_out),
    }
    # A first run of each, not counted, warms the caches and gives the files
    # and the floor.
    files = {}
    for name, (command, output) in commands.items():
        measure(command, output)
        files[name] = count_files(output)
        if name == "hugo":
            shutil.rmtree(output, ignore_errors=True)
    floor_out = os.path.join(place, f"floor-{notices}")
    floor = float(subprocess.run([FLOOR, gongkai_out, floor_out], check=True,
                                 capture_output=True, text=True).stdout)
    for folder in (gongkai_out, floor_out):
        shutil.rmtree(folder)
    runs = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, (command, output) in commands.items():
            runs[name].append(measure(command, output))
            shutil.rmtree(output, ignore_errors=True)
    for folder in (hugo, synth):
        shutil.rmtree(folder, ignore_errors=True)
    medians = {name: [statistics.median(r[i] for r in rs) for i in range(3)] + [all(r[3] for r in rs)]
               for name, rs in runs.items()}
    return medians, files, floor


def variant(synth, name, change):
    """A copy of the site `synth` with `change` applied to it."""
    copy = f"{synth}-{name}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(synth, copy)
    change(copy)
    return copy


def retitle(site):
    """Every page shows the site title: all of them change."""
    path = os.path.join(site, "site.yaml")
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    lines = ["title: 改过标题的合成站点 巡察整改公开" if line.startswith("title:") else line for line in lines]
    write(path, "\n".join(lines))


def edit_one_notice(site):
    """One issue of one notice gets another sentence: its pages, and the
    listings and files that show it, change."""
    notices = os.path.join(site, "content/notices")
    issues = os.path.join(notices, sorted(os.listdir(notices))[len(os.listdir(notices)) // 2], "issues")
    path = os.path.join(issues, sorted(os.listdir(issues))[0])
    with open(path, encoding="utf-8") as f:
        text = f.read()
    write(path, text + "\n另已约谈相关责任人。\n")


def rebuilds(notices, place):
    """Medians of a fresh build, a rebuild with every page changed and a
    rebuild with one notice changed, interleaved. Each rebuild goes over the
    output of the other version, so every one of them changes what it says."""
    synth = os.path.join(place, f"synth-{notices}")
    subprocess.run([SYNTH, "--notices", str(notices), "--issues", str(ISSUES), "--seed", "1", "--out", synth],
                   check=True, stdout=subprocess.DEVNULL)
    every_page = variant(synth, "retitled", retitle)
    one_notice = variant(synth, "one-notice", edit_one_notice)
    fresh_out = os.path.join(place, f"fresh-{notices}")
    out = os.path.join(place, f"rebuilt-{notices}")
    build = lambda site, output, fresh: measure([GONGKAI, "build", "--root", site, "-o", output], output, fresh)
    # Warm-up: the output and its twin exist, as they do for a site built before.
    build(synth, out, True)
    for site in (every_page, synth, one_notice, synth):
        build(site, out, False)
    runs = {"fresh": [], "every page": [], "one notice": []}
    for _ in range(RUNS):
        runs["fresh"].append(build(synth, fresh_out, True))
        for path in [fresh_out, *beside(fresh_out)]:
            remove(path)
        runs["every page"] += [build(every_page, out, False), build(synth, out, False)]
        runs["one notice"] += [build(one_notice, out, False), build(synth, out, False)]
    for path in [synth, every_page, one_notice, out, *beside(out)]:
        remove(path)
    return {name: [statistics.median(r[i] for r in rs) for i in range(3)] for name, rs in runs.items()}


def main():
    sizes = [int(size) for size in sys.argv[1:]] or [100, 1000, 10000]
    # This machine's disk is slow to create files (ext4 mounted with
    # discard; the floor is 8-24 s at 1,000 notices): 10,000 would take an hour.
    disk_sizes = [int(size) for size in os.environ.get("DISK_SIZES", "100 1000").split()]
    places = [("tmpfs (/dev/shm)", "/dev/shm/gongkai-bench", sizes),
              ("disk (bench/sites)", os.path.join(ROOT, "bench/sites"), [n for n in sizes if n in disk_sizes])]
    print(f"hugo: {subprocess.run(['hugo', 'version'], capture_output=True, text=True).stdout.strip()}")
    print(f"{os.cpu_count()} cores; median of {RUNS} interleaved runs after one warm-up run each, every run into an empty output folder\n")
    for label, place, place_sizes in places:
        if not place_sizes:
            continue
        os.makedirs(place, exist_ok=True)
        print(f"### Output on {label}\n")
        print("| notices × issues | files (gongkai / Hugo) | gongkai wall | Hugo wall | ratio | gongkai CPU | Hugo CPU | gongkai peak RSS | Hugo peak RSS | ratio | floor (write only, 1 thread) |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        results = {}
        for notices in place_sizes:
            medians, files, floor = compare(notices, place)
            results[notices] = (medians, floor)
            g, h = medians["gongkai"], medians["hugo"]
            killed = "" if h[3] else " (killed: out of memory)"
            print(f"| {notices:,} × {ISSUES} | {files['gongkai']:,} / {files['hugo']:,} | {g[0]:.2f} s | {h[0]:.2f} s{killed} | {g[0] / h[0]:.2f} "
                  f"| {g[1]:.2f} s | {h[1]:.2f} s | {g[2]:.0f} MB | {h[2]:.0f} MB | {g[2] / h[2]:.2f} | {floor:.2f} s |", flush=True)
        print()
        # The linear-growth target, beside the growth of merely writing the
        # files on this machine.
        for small, large in zip(place_sizes, place_sizes[1:]):
            (ms, fs), (ml, fl) = results[small], results[large]
            print(f"Growth {small:,} → {large:,} notices: gongkai wall ×{ml['gongkai'][0] / ms['gongkai'][0]:.1f}, "
                  f"CPU ×{ml['gongkai'][1] / ms['gongkai'][1]:.1f}; Hugo wall ×{ml['hugo'][0] / ms['hugo'][0]:.1f}; "
                  f"floor ×{fl / fs:.1f}", flush=True)
        print()
        print(f"### Rebuilds on {label}\n")
        print("Over an output (and its twin) left by the other version of the site; "
              f"medians of {RUNS} fresh builds and {2 * RUNS} rebuilds of each kind, interleaved.\n")
        print("| notices × issues | fresh build | every page changed | ratio | one notice changed | ratio | peak RSS (fresh / rebuild) |")
        print("|---|---|---|---|---|---|---|")
        for notices in place_sizes:
            m = rebuilds(notices, place)
            fresh, every, one = m["fresh"], m["every page"], m["one notice"]
            print(f"| {notices:,} × {ISSUES} | {fresh[0]:.2f} s | {every[0]:.2f} s | {every[0] / fresh[0]:.2f} "
                  f"| {one[0]:.2f} s | {one[0] / fresh[0]:.2f} | {fresh[2]:.0f} / {max(every[2], one[2]):.0f} MB |", flush=True)
        print()


if __name__ == "__main__":
    main()
