// Tooltips from data-tip, sortable tables, and parallel-coordinate highlighting: no library needed.
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  document.addEventListener("mousemove", function (e) {
    var t = e.target.closest ? e.target.closest("[data-tip]") : null;
    if (!t) { tip.style.display = "none"; return; }
    tip.textContent = t.getAttribute("data-tip");
    tip.style.display = "block";
    tip.style.left = (e.pageX + 12) + "px";
    tip.style.top = (e.pageY + 12) + "px";
  });
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th").forEach(function (th, col) {
      th.addEventListener("click", function () {
        var desc = th.classList.contains("asc");
        table.querySelectorAll("th").forEach(function (o) { o.classList.remove("asc", "desc"); });
        th.classList.add(desc ? "desc" : "asc");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          var cell = row.cells[col];
          var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
          var num = parseFloat(raw);
          return raw !== "" && !isNaN(num) && isFinite(raw) ? num : raw;
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
          return desc ? -c : c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  document.querySelectorAll("svg.parallel").forEach(function (svg) {
    svg.addEventListener("mouseover", function (e) {
      if (e.target.classList.contains("line")) { svg.classList.add("hovering"); e.target.classList.add("hi"); }
    });
    svg.addEventListener("mouseout", function (e) {
      if (e.target.classList.contains("line")) { svg.classList.remove("hovering"); e.target.classList.remove("hi"); }
    });
  });
})();
