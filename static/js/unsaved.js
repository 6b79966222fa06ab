// Warn before leaving a page whose form holds what the user typed but did not save.
// Forms opt in with data-unsaved-warning; "dirty" marks a form re-shown with unsaved input
// (after an error or a conflict). Without JavaScript the pages still never drop input silently:
// sending from the assessment page saves first.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-unsaved-warning]");
  if (!forms.length) {
    return;
  }
  var dirty = false;
  forms.forEach(function (form) {
    if (form.getAttribute("data-unsaved-warning") === "dirty") {
      dirty = true;
    }
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}());
