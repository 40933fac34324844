// gongkai serve: reloads this page when the site is rebuilt, and shows the
// build's errors over the page while the content is broken. Injected by
// `gongkai serve` only; never part of `gongkai build` output.
(function () {
  var overlayId = "gongkai-errors";
  function el(tag, style, text) {
    var node = document.createElement(tag);
    if (style) node.setAttribute("style", style);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function hide() {
    var old = document.getElementById(overlayId);
    if (old) old.parentNode.removeChild(old);
  }
  function show(errors) {
    hide();
    var box = el("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.92);color:#fff;font:16px/1.6 system-ui,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;padding:24px;");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    var panel = el("div", "max-width:960px;margin:0 auto;background:#2b0d0f;border:2px solid #ff6b6b;border-radius:6px;padding:20px 24px;");
    panel.appendChild(el("h2", "margin:0 0 4px;font-size:20px;color:#ffb3b3;", "内容有错误，共 " + errors.length + " 处"));
    panel.appendChild(el("p", "margin:0 0 16px;color:#ddd;", "修改并保存后页面会自动刷新。修好之前，网站仍显示上次正确的内容。"));
    errors.forEach(function (error) {
      var item = el("div", "border-top:1px solid #5a2a2e;padding:12px 0;");
      if (error.file) item.appendChild(el("div", "font-family:ui-monospace,monospace;color:#ffd479;", error.file + ":" + error.line + ":" + error.column));
      item.appendChild(el("div", "font-weight:600;", error.message));
      if (error.text) item.appendChild(el("pre", "margin:6px 0;padding:6px 10px;background:#1a0607;border-radius:4px;white-space:pre-wrap;font-family:ui-monospace,monospace;", error.line + " | " + error.text));
      if (error.hint) item.appendChild(el("div", "color:#b8e0b8;", "提示：" + error.hint));
      panel.appendChild(item);
    });
    box.appendChild(panel);
    document.body.appendChild(box);
  }
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/__gongkai/livereload");
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "reload") location.reload();
      else if (message.type === "errors") show(message.errors);
      else if (message.type === "ok") hide();
    };
    socket.onclose = function () { setTimeout(connect, 1000); };
  }
  connect();
})();
