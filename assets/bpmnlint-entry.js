/*
 * The bpmn.io linter inside the designer (bpmn-js-bpmnlint) with bpmnlint's recommended
 * rules, the same rules the test suite runs over workflows/ (.bpmnlintrc). Bundled by
 * scripts/vendor-assets with esbuild into app/static/vendor/bpmnlint/, where the designer
 * and the instance page pick it up as window.PerformanceCycleLint.
 */
import lintModule from "bpmn-js-bpmnlint";
import StaticResolver from "bpmnlint/lib/resolver/static-resolver";
import recommended from "bpmnlint/config/recommended";

// A bundler cannot follow bpmnlint's dynamic rule loading: every rule is named here.
const rules = {
  "ad-hoc-sub-process": require("bpmnlint/rules/ad-hoc-sub-process"),
  "conditional-flows": require("bpmnlint/rules/conditional-flows"),
  "end-event-required": require("bpmnlint/rules/end-event-required"),
  "event-based-gateway": require("bpmnlint/rules/event-based-gateway"),
  "event-sub-process-typed-start-event": require("bpmnlint/rules/event-sub-process-typed-start-event"),
  "fake-join": require("bpmnlint/rules/fake-join"),
  "global": require("bpmnlint/rules/global"),
  "label-required": require("bpmnlint/rules/label-required"),
  "link-event": require("bpmnlint/rules/link-event"),
  "no-bpmndi": require("bpmnlint/rules/no-bpmndi"),
  "no-complex-gateway": require("bpmnlint/rules/no-complex-gateway"),
  "no-disconnected": require("bpmnlint/rules/no-disconnected"),
  "no-duplicate-sequence-flows": require("bpmnlint/rules/no-duplicate-sequence-flows"),
  "no-gateway-join-fork": require("bpmnlint/rules/no-gateway-join-fork"),
  "no-implicit-split": require("bpmnlint/rules/no-implicit-split"),
  "no-implicit-end": require("bpmnlint/rules/no-implicit-end"),
  "no-implicit-start": require("bpmnlint/rules/no-implicit-start"),
  "no-inclusive-gateway": require("bpmnlint/rules/no-inclusive-gateway"),
  "no-overlapping-elements": require("bpmnlint/rules/no-overlapping-elements"),
  "single-blank-start-event": require("bpmnlint/rules/single-blank-start-event"),
  "single-event-definition": require("bpmnlint/rules/single-event-definition"),
  "start-event-required": require("bpmnlint/rules/start-event-required"),
  "sub-process-blank-start-event": require("bpmnlint/rules/sub-process-blank-start-event"),
  "superfluous-gateway": require("bpmnlint/rules/superfluous-gateway"),
  "superfluous-label": require("bpmnlint/rules/superfluous-label"),
  "superfluous-termination": require("bpmnlint/rules/superfluous-termination"),
};

const cache = { "config:bpmnlint/recommended": recommended };
Object.keys(rules).forEach((name) => { cache["rule:bpmnlint/" + name] = rules[name]; });

window.PerformanceCycleLint = {
  module: lintModule,
  config: { config: { extends: "bpmnlint:recommended" }, resolver: new StaticResolver(cache) }
};
