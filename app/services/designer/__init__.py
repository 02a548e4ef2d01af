"""The workflow designer: processes and versions, drafts, validation and deploy of
diagrams edited in the browser or uploaded, migration of running instances, trial starts
(operations), and the semantic difference between two diagrams (bpmn_diff)."""
