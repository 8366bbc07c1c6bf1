"use strict";
// Tap or click a coloured cell to list its findings; sort and filter the batch overview.
(function () {
  var popup = document.getElementById("popup");
  function hide() { popup.hidden = true; }
  function show(cell) {
    var ids = (cell.getAttribute("data-findings") || "").split(" ");
    popup.textContent = "";
    var list = document.createElement("ul");
    ids.forEach(function (id) {
      var item = document.getElementById(id);
      if (!item) { return; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + id;
      a.textContent = item.querySelector(".head").textContent;
      li.appendChild(a);
      list.appendChild(li);
    });
    popup.appendChild(list);
    var box = cell.getBoundingClientRect();
    popup.style.left = Math.max(4, window.scrollX + box.left) + "px";
    popup.style.top = (window.scrollY + box.bottom + 4) + "px";
    popup.hidden = false;
  }
  document.addEventListener("click", function (event) {
    var cell = event.target.closest("td[data-findings]");
    if (cell) { show(cell); } else if (!popup.contains(event.target)) { hide(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); }
    var cell = event.target.closest && event.target.closest("td[data-findings]");
    if (cell && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); show(cell); }
  });

  var table = document.getElementById("overview-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function key(row, index, numeric) {
    var cell = row.cells[index];
    var value = cell.getAttribute("data-value");
    if (numeric) { return parseFloat(value === null ? cell.textContent : value) || 0; }
    return cell.textContent.trim();
  }
  Array.prototype.forEach.call(heads, function (th, index) {
    th.querySelector("button").addEventListener("click", function () {
      var numeric = th.getAttribute("data-type") === "num";
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, index, numeric), y = key(b, index, numeric);
        var order = numeric ? x - y : x.localeCompare(y, "zh-CN");
        return ascending ? order : -order;
      });
      var fragment = document.createDocumentFragment();
      rows.forEach(function (row) { fragment.appendChild(row); });
      body.appendChild(fragment);
    });
  });
  var filter = document.getElementById("filter");
  var onlyErrors = document.getElementById("only-errors");
  function apply() {
    var words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    Array.prototype.forEach.call(body.rows, function (row) {
      var text = row.textContent.toLowerCase();
      var shown = words.every(function (w) { return text.indexOf(w) >= 0; });
      if (onlyErrors.checked && row.getAttribute("data-errors") === "0") { shown = false; }
      row.hidden = !shown;
    });
  }
  filter.addEventListener("input", apply);
  onlyErrors.addEventListener("change", apply);
})();
