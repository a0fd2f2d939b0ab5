// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // "Select all" on the dead events list.
  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      var form = all.closest("form");
      form.querySelectorAll('input[type="checkbox"][name="id"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
  // An event still being worked on refreshes itself until it settles.
  var st = document.querySelector("[data-current-state]");
  if (st && /^(queued|running|retrying)$/.test(st.textContent.trim())) {
    setTimeout(function () { location.reload(); }, 2000);
  }
})();
