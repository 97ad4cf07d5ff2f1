// Anwei: progressive enhancement only. Everything works without this file.
(function () {
  "use strict";
  // Ask before destructive actions (forms marked with data-confirm).
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f && f.getAttribute && f.getAttribute("data-confirm")) {
      if (!window.confirm(f.getAttribute("data-confirm"))) { e.preventDefault(); }
    }
  }, true);
  // Phone navigation toggle.
  var btn = document.querySelector(".nav-toggle");
  var nav = document.getElementById("mainnav");
  if (btn && nav) {
    btn.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      btn.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
})();
