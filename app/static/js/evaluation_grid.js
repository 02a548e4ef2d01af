// Live score of the evaluator's grid: each row is a form of its own (its controls are
// tied to it with the form attribute); a change posts that row's ratings to the task's
// preview endpoint, where the scoring module computes score and band, and shows them.
(function () {
  "use strict";
  var timers = {};

  function cells(form, role) {
    return document.querySelectorAll('[data-role="' + role + '"][data-row="' + form.id + '"]');
  }

  function show(form, role, text) {
    cells(form, role).forEach(function (cell) { cell.textContent = text; });
  }

  function refresh(form) {
    fetch(form.dataset.previewUrl, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (answer) {
      if (answer.ok && answer.body.score !== null) {
        show(form, "score", answer.body.score.replace(".", ","));
        show(form, "band", answer.body.band_label || answer.body.band);
        show(form, "error", "");
      } else {
        show(form, "score", "—"); show(form, "band", "—");
        show(form, "error", answer.body.error || "");
      }
    }).catch(function () { show(form, "error", ""); });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || !form.dataset.previewUrl) { return; }
    clearTimeout(timers[form.id]);
    timers[form.id] = setTimeout(function () { refresh(form); }, 150);
  });
}());
