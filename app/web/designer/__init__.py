"""The workflow designer (views) and the process instances with their diagrams and
history (instances). Templates: designer/."""
