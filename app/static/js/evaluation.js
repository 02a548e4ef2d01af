// Live score of the rating and review forms: posts the ratings to the server, which
// computes the score and band with the scoring module, and shows the answer.
(function () {
  "use strict";
  var box = document.querySelector("[data-preview-url]");
  if (!box) { return; }
  var form = box.closest("form");
  var timer = null;

  function show(role, text) {
    box.querySelector('[data-role="' + role + '"]').textContent = text;
  }

  function refresh() {
    fetch(box.dataset.previewUrl, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (answer) {
      if (answer.ok && answer.body.score !== null) {
        show("score", answer.body.score); show("band", answer.body.band_label); show("error", "");
      } else {
        show("score", "—"); show("band", "—"); show("error", answer.body.error || "");
      }
    }).catch(function () { show("error", ""); });
  }

  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
  refresh();
}());
