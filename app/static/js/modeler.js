/*
 * The workflow designer: the bpmn-js modeler plus a side form for what our engine needs
 * on each element (lane = role, formKey and deadline properties on user tasks, conditions
 * on the flows leaving a gateway). Validation messages from the server are shown in the
 * side panel and as overlays beside the offending element.
 *
 * Configuration comes from the JSON in #designer-config (see designer/edit.html).
 */
(function () {
  "use strict";

  var SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core";
  // Only what the designer edits: <spiffworkflow:properties><spiffworkflow:property name value/>.
  var spiffDescriptor = {
    name: "SpiffWorkflow",
    uri: SPIFF_NS,
    prefix: "spiffworkflow",
    xml: { tagAlias: "lowerCase" },
    types: [
      {
        name: "Properties",
        superClass: ["Element"],
        properties: [{ name: "properties", type: "Property", isMany: true }]
      },
      {
        name: "Property",
        superClass: ["Element"],
        properties: [
          { name: "name", type: "String", isAttr: true },
          { name: "value", type: "String", isAttr: true }
        ]
      },
      {
        name: "InstructionsForEndUser",
        superClass: ["Element"],
        properties: [{ name: "text", type: "String", isBody: true }]
      }
    ]
  };

  var config = JSON.parse(document.getElementById("designer-config").textContent);
  var t = config.messages;
  // bpmnlint's recommended rules run as the administrator draws (vendor/bpmnlint), the
  // same rules the test suite applies to the shipped diagrams.
  var lint = window.PerformanceCycleLint;
  var modeler = new window.BpmnJS({
    container: "#canvas",
    moddleExtensions: { spiffworkflow: spiffDescriptor },
    linting: lint ? { bpmnlint: lint.config, active: true } : undefined,
    additionalModules: lint ? [lint.module] : []
  });
  var modeling = modeler.get("modeling");
  var moddle = modeler.get("moddle");
  var overlays = modeler.get("overlays");
  var canvas = modeler.get("canvas");
  var elementRegistry = modeler.get("elementRegistry");
  var panel = document.getElementById("element-panel");
  var status = document.getElementById("designer-status");
  var errorList = document.getElementById("designer-errors");
  var errorsByElement = {};

  function say(message, kind) {
    status.className = "alert alert-" + (kind || "info");
    status.textContent = message;
    status.hidden = false;
  }

  function csrfHeaders() {
    return { "Content-Type": "application/json", "X-CSRFToken": config.csrfToken };
  }

  // --- spiffworkflow:properties helpers -------------------------------------------------

  function propertiesElement(bo, create) {
    var ext = bo.extensionElements;
    if (!ext && create) {
      ext = moddle.create("bpmn:ExtensionElements", { values: [] });
      bo.extensionElements = ext;
    }
    if (!ext) { return null; }
    var found = (ext.values || []).find(function (v) { return v.$type === "spiffworkflow:Properties"; });
    if (!found && create) {
      found = moddle.create("spiffworkflow:Properties", { properties: [] });
      ext.values.push(found);
    }
    return found || null;
  }

  function getProperty(bo, name) {
    var props = propertiesElement(bo, false);
    if (!props) { return ""; }
    var prop = (props.properties || []).find(function (p) { return p.name === name; });
    return prop ? prop.value || "" : "";
  }

  function setProperty(element, name, value) {
    var bo = element.businessObject;
    var props = propertiesElement(bo, true);
    var list = props.properties || (props.properties = []);
    var existing = list.find(function (p) { return p.name === name; });
    if (value === "" || value === null) {
      if (existing) { list.splice(list.indexOf(existing), 1); }
    } else if (existing) {
      existing.value = value;
    } else {
      list.push(moddle.create("spiffworkflow:Property", { name: name, value: value }));
    }
    // Tell the modeler the element changed so that undo/export see it.
    modeling.updateProperties(element, { extensionElements: bo.extensionElements });
  }

  // --- the side panel ----------------------------------------------------------------------

  function field(labelText, control, id) {
    var wrap = document.createElement("div");
    wrap.className = "mb-3";
    var label = document.createElement("label");
    label.className = "form-label active";
    label.htmlFor = id;
    label.textContent = labelText;
    control.id = id;
    control.classList.add(control.tagName === "SELECT" ? "form-select" : "form-control");
    wrap.appendChild(label);
    wrap.appendChild(control);
    return wrap;
  }

  function select(options, current, placeholder) {
    var sel = document.createElement("select");
    var empty = document.createElement("option");
    empty.value = "";
    empty.textContent = placeholder;
    sel.appendChild(empty);
    options.forEach(function (opt) {
      var o = document.createElement("option");
      o.value = opt.value;
      o.textContent = opt.label;
      if (opt.value === current) { o.selected = true; }
      sel.appendChild(o);
    });
    if (current && !options.some(function (o) { return o.value === current; })) {
      var unknown = document.createElement("option");
      unknown.value = current;
      unknown.textContent = current + " (" + t.unknown + ")";
      unknown.selected = true;
      sel.appendChild(unknown);
    }
    return sel;
  }

  function input(value, type) {
    var el = document.createElement("input");
    el.type = type || "text";
    el.value = value || "";
    return el;
  }

  function showErrorsInPanel(element) {
    var messages = errorsByElement[element.id] || [];
    messages.forEach(function (message) {
      var div = document.createElement("div");
      div.className = "alert alert-danger py-1";
      div.setAttribute("role", "alert");
      div.textContent = message;
      panel.appendChild(div);
    });
  }

  function renderPanel(element) {
    panel.innerHTML = "";
    if (!element) {
      panel.textContent = t.selectElement;
      return;
    }
    var bo = element.businessObject;
    var heading = document.createElement("h2");
    heading.className = "h5";
    heading.textContent = (bo.name || bo.id) + " · " + bo.$type.replace("bpmn:", "");
    panel.appendChild(heading);
    showErrorsInPanel(element);

    if (bo.$type === "bpmn:Lane") {
      // A lane shows a name people read and says its role in the `role` property; a lane
      // without that property is named after its role (older diagrams).
      var roleCodes = config.roles.map(function (r) { return r.value; });
      var currentRole = getProperty(bo, "role") || (roleCodes.indexOf(bo.name) >= 0 ? bo.name : "");
      var role = select(config.roles, currentRole, t.chooseRole);
      var laneName = input(bo.name);
      role.addEventListener("change", function () {
        setProperty(element, "role", role.value);
        var chosen = config.roles.find(function (r) { return r.value === role.value; });
        if (chosen && (!bo.name || roleCodes.indexOf(bo.name) >= 0 || bo.name === chosen.shown)) {
          modeling.updateProperties(element, { name: chosen.shown });
          laneName.value = chosen.shown;
        }
      });
      laneName.addEventListener("change", function () {
        modeling.updateProperties(element, { name: laneName.value });
      });
      panel.appendChild(field(t.role, role, "prop-lane-role"));
      panel.appendChild(field(t.name, laneName, "prop-name"));
      return;
    }

    var name = input(bo.name);
    name.addEventListener("change", function () { modeling.updateProperties(element, { name: name.value }); });
    panel.appendChild(field(t.name, name, "prop-name"));

    if (bo.$type === "bpmn:UserTask") {
      var formKey = select(config.forms, getProperty(bo, "formKey"), t.chooseForm);
      formKey.addEventListener("change", function () { setProperty(element, "formKey", formKey.value); });
      panel.appendChild(field(t.formKey, formKey, "prop-form-key"));
      config.taskProperties.forEach(function (spec) {
        var control = input(getProperty(bo, spec.name), spec.type || "text");
        control.addEventListener("change", function () { setProperty(element, spec.name, control.value.trim()); });
        var wrap = field(spec.label, control, "prop-" + spec.name);
        if (spec.help) {
          var help = document.createElement("div");
          help.className = "form-text";
          help.textContent = spec.help;
          wrap.appendChild(help);
        }
        panel.appendChild(wrap);
      });
    }

    if (bo.$type === "bpmn:SequenceFlow" && bo.sourceRef && /Gateway$/.test(bo.sourceRef.$type)) {
      var current = bo.conditionExpression ? bo.conditionExpression.body : "";
      var cond = document.createElement("textarea");
      cond.rows = 2;
      cond.value = current || "";
      cond.addEventListener("change", function () {
        var body = cond.value.trim();
        modeling.updateProperties(element, {
          conditionExpression: body ? moddle.create("bpmn:FormalExpression", { body: body }) : undefined
        });
      });
      panel.appendChild(field(t.condition, cond, "prop-condition"));
    }
  }

  modeler.on("selection.changed", function (event) {
    renderPanel(event.newSelection.length === 1 ? event.newSelection[0] : null);
  });

  // --- icons under the Content-Security-Policy ---------------------------------------------

  // bpmn-js draws the icons of "align elements" (context pad and popup menu) as SVG with
  // style="" attributes, which the policy (style-src 'self') refuses: the same drawing
  // by classes of app.css. An unknown style is dropped rather than let through.
  var ICON_CLASSES = {
    "fill:currentColor;stroke:currentColor;stroke-width:100;opacity:.5;": "bpmn-icon-part-fill",
    "fill:none;stroke:currentColor;stroke-width:100;": "bpmn-icon-part-outline",
    "fill:none;stroke:currentColor;stroke-width:100;stroke-linejoin:round;": "bpmn-icon-part-outline-round",
    "stroke:currentColor;stroke-width:100;stroke-linecap:round;": "bpmn-icon-part-line"
  };

  function classed(html) {
    return html.replace(/ style="([^"]*)"/g, function (whole, css) {
      return ICON_CLASSES[css] ? ' class="' + ICON_CLASSES[css] + '"' : "";
    });
  }

  function classedEntries(entries) {
    Object.keys(entries).forEach(function (id) {
      var entry = entries[id];
      if (entry.html) { entry.html = classed(entry.html); }
      if (entry.imageHtml) { entry.imageHtml = classed(entry.imageHtml); }
    });
    return entries;
  }

  // Priority 1: after bpmn-js's own providers have added their entries.
  modeler.get("contextPad").registerProvider(1, {
    getMultiElementContextPadEntries: function () { return classedEntries; }
  });
  modeler.get("popupMenu").registerProvider("align-elements", 1, {
    getPopupMenuEntries: function () { return classedEntries; }
  });

  // --- validation feedback ---------------------------------------------------------------

  function clearErrors() {
    overlays.remove({ type: "validation" });
    Object.keys(errorsByElement).forEach(function (id) {
      if (elementRegistry.get(id)) { canvas.removeMarker(id, "has-error"); }
    });
    errorsByElement = {};
    errorList.innerHTML = "";
  }

  function showErrors(errors) {
    clearErrors();
    errors.forEach(function (error) {
      var li = document.createElement("li");
      li.textContent = (error.element_id ? error.element_id + ": " : "") + error.message;
      errorList.appendChild(li);
      if (error.element_id && elementRegistry.get(error.element_id)) {
        (errorsByElement[error.element_id] = errorsByElement[error.element_id] || []).push(error.message);
        canvas.addMarker(error.element_id, "has-error");
        var note = document.createElement("div");
        note.className = "validation-overlay";
        note.setAttribute("role", "alert");
        note.textContent = error.message;
        overlays.add(error.element_id, "validation", { position: { bottom: -8, left: 0 }, html: note });
      }
    });
    var selected = modeler.get("selection").get();
    renderPanel(selected.length === 1 ? selected[0] : null);
  }

  async function post(url, body) {
    var response = await fetch(url, { method: "POST", headers: csrfHeaders(), body: JSON.stringify(body) });
    var data = await response.json().catch(function () { return {}; });
    return { ok: response.ok, status: response.status, data: data };
  }

  async function currentXml() {
    var result = await modeler.saveXML({ format: true });
    return result.xml;
  }

  async function action(kind) {
    var xml = await currentXml();
    var result = await post(config.urls[kind], { xml: xml, process_id: config.processId });
    var errors = result.data.errors || [];
    showErrors(errors);
    if (result.ok) {
      say(result.data.message, "success");
      if (result.data.redirect) { window.location.assign(result.data.redirect); }
    } else {
      say(result.data.message || t.failed, "danger");
    }
  }

  document.getElementById("btn-validate").addEventListener("click", function () { action("validate"); });
  document.getElementById("btn-save").addEventListener("click", function () { action("save"); });
  document.getElementById("btn-deploy").addEventListener("click", function () { action("deploy"); });

  var lintList = document.getElementById("designer-lint");
  modeler.on("linting.completed", function (event) {
    lintList.textContent = "";
    Object.keys(event.issues || {}).forEach(function (elementId) {
      event.issues[elementId].forEach(function (issue) {
        var item = document.createElement("li");
        item.dataset.rule = issue.rule;
        item.textContent = elementId + ": " + (t.lint[issue.rule] || issue.message) + " (" + issue.rule + ")";
        lintList.appendChild(item);
      });
    });
    lintList.dataset.count = String(lintList.children.length);
  });

  modeler.importXML(config.xml).then(function () {
    window.DiagramZoom.attach(modeler, document.querySelector("[data-zoom-for=canvas]"), []);
    renderPanel(null);
    document.body.dataset.modelerReady = "true";
  }).catch(function (err) {
    say(t.cannotOpen + " " + err.message, "danger");
  });

  // Exposed for keyboard-only users and for tests: select an element by id.
  window.designerSelect = function (id) {
    var element = elementRegistry.get(id);
    if (element) { modeler.get("selection").select(element); }
    return !!element;
  };
  window.designerModeler = modeler;
})();
