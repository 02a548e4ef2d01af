/*
 * Zoom controls shared by the instance diagram and the modeler. A 30-task cycle fitted
 * to the window is a strip nobody can read, so a diagram opens at a readable zoom (100%)
 * centred on the step that matters (the current step, else the start), unless the whole
 * diagram already fits at a readable size. The buttons of a [data-zoom-for] toolbar
 * zoom in and out, fit the whole diagram and go back to the step.
 */
(function () {
  "use strict";
  var READABLE = 0.75;

  function centreOn(canvas, element) {
    canvas.zoom(1);
    var box = canvas.viewbox();
    canvas.viewbox({
      x: element.x + (element.width || 0) / 2 - box.width / 2,
      y: element.y + (element.height || 0) / 2 - box.height / 2,
      width: box.width,
      height: box.height
    });
  }

  function focusElement(registry, ids) {
    for (var i = 0; i < ids.length; i++) {
      var found = registry.get(ids[i]);
      if (found) { return found; }
    }
    return registry.filter(function (e) { return e.type === "bpmn:StartEvent"; })[0] || null;
  }

  function attach(viewer, toolbar, focusIds) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    var ids = focusIds || [];

    function focus() {
      var element = focusElement(registry, ids);
      canvas.zoom("fit-viewport");
      if (element && canvas.zoom() < READABLE) { centreOn(canvas, element); }
    }

    focus();
    if (!toolbar) { return; }
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) { return; }
      var action = button.getAttribute("data-zoom");
      if (action === "in") { canvas.zoom(canvas.zoom() * 1.25); }
      if (action === "out") { canvas.zoom(canvas.zoom() / 1.25); }
      if (action === "fit") { canvas.zoom("fit-viewport"); }
      if (action === "focus") { focus(); }
    });
  }

  window.DiagramZoom = { attach: attach };
})();
