// Live score of the rating and review forms: posts the ratings to the server, which
// computes the score and band with the scoring module, and shows the answer with how
// it is computed.
(function () {
  "use strict";
  var box = document.querySelector("[data-preview-url]");
  if (!box) { return; }
  var form = box.closest("form");
  var timer = null;

  function show(role, text) {
    box.querySelector('[data-role="' + role + '"]').textContent = text;
  }

  function explain(lines) {
    var list = box.querySelector('[data-role="explanation"]');
    list.replaceChildren.apply(list, (lines || []).map(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      return item;
    }));
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
        explain(answer.body.explanation);
      } else {
        show("score", "—"); show("band", "—"); show("error", answer.body.error || "");
        explain([]);
      }
    }).catch(function () { show("error", ""); });
  }

  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
  refresh();
}());
