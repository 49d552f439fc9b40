// Each task row shows only the deadline fields of the kind chosen. Without JavaScript every field stays
// visible and the server ignores the ones the kind does not use.
(function () {
  "use strict";
  function sync(select) {
    var row = select.closest("fieldset");
    if (!row) return;
    row.querySelectorAll("[data-deadline-part]").forEach(function (part) {
      part.hidden = part.getAttribute("data-deadline-part") !== select.value;
    });
  }
  document.querySelectorAll("select[name$='-deadline_kind']").forEach(function (select) {
    sync(select);
    select.addEventListener("change", function () { sync(select); });
  });
})();
