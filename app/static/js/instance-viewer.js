/*
 * The diagram of one process instance: the bpmn-js navigated viewer (pan and zoom) with
 * the steps done and the steps under way marked. Data comes from the JSON in
 * #diagram-data (see instances/show.html): the BPMN XML of the instance's definition
 * version and the BPMN ids of both kinds of steps.
 */
(function () {
  "use strict";
  var container = document.getElementById("diagram");
  var data = JSON.parse(document.getElementById("diagram-data").textContent);
  var viewer = new BpmnJS({ container: container });

  function mark(registry, canvas, ids, marker) {
    ids.forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, marker); }
    });
  }

  viewer.importXML(data.xml).then(function () {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    mark(registry, canvas, data.done, "step-done");
    mark(registry, canvas, data.current, "step-current");
    window.DiagramZoom.attach(viewer, document.querySelector("[data-zoom-for=diagram]"), data.current);
  }).catch(function () {
    container.textContent = container.dataset.error;
  });
})();
