// Anwei: the reporting clocks of an accident's chain (the accident page and the office's
// board), ticking every second. Served by Anwei itself; progressive enhancement only: the
// server renders every clock correct at load and the pages read the same without scripts.
//
// Each clock element (.clock[data-due][data-now]) carries its deadline (RFC 3339 with offset)
// and the server's time when the page was rendered (epoch ms). The time shown is the
// server's clock carried forward by the browser's monotonic timer, so a wrong clock on the
// phone changes nothing. Running: minutes (whole, rounded down, as the server's) and seconds
// left. Past the deadline: the overdue text the server renders (迟报 N 分钟, minutes rounded up)
// and the row's overdue style.
(function () {
  "use strict";
  var clocks = document.querySelectorAll(".clock[data-due][data-now]");
  if (!clocks.length || !window.performance) { return; }
  var started = performance.now();
  var items = [];
  var i;
  for (i = 0; i < clocks.length; i++) {
    var el = clocks[i];
    var state = el.getAttribute("data-state");
    if (state !== "running" && state !== "overdue") { continue; }
    var due = Date.parse(el.getAttribute("data-due"));
    var now = parseInt(el.getAttribute("data-now"), 10);
    if (isNaN(due) || isNaN(now)) { continue; }
    items.push({ el: el, due: due, now: now, state: state });
  }
  if (!items.length) { return; }

  function overdue(c, ms) {
    var seconds = Math.ceil(ms / 1000);
    var minutes = Math.ceil(seconds / 60);
    if (c.state !== "overdue") {
      c.state = "overdue";
      c.el.setAttribute("data-state", "overdue");
      while (c.el.firstChild) { c.el.removeChild(c.el.firstChild); }
      var span = document.createElement("span");
      span.className = "light red";
      c.el.appendChild(span);
      var row = c.el.closest ? c.el.closest("tr") : null;
      if (row) { row.classList.add("overdue"); }
    }
    var label = c.el.getAttribute("data-late") || "";
    var unit = c.el.getAttribute("data-unit") || "";
    var text = label + " " + minutes + " " + unit;
    var target = c.el.querySelector("span.light") || c.el;
    if (target.textContent !== text) { target.textContent = text; }
  }

  function running(c, ms) {
    var m = c.el.querySelector(".minutes");
    var s = c.el.querySelector(".seconds");
    var total = Math.floor(ms / 1000);
    var minutes = String(Math.floor(total / 60));
    var seconds = String(total % 60);
    if (seconds.length < 2) { seconds = "0" + seconds; }
    if (m && m.textContent !== minutes) { m.textContent = minutes; }
    if (s && s.textContent !== seconds) { s.textContent = seconds; }
  }

  function tick() {
    var elapsed = performance.now() - started;
    for (var k = 0; k < items.length; k++) {
      var c = items[k];
      var left = c.due - (c.now + elapsed);
      if (left < 0) { overdue(c, -left); } else { running(c, left); }
    }
  }
  tick();
  window.setInterval(tick, 1000);
})();
