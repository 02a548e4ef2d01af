"""The background jobs' pages: their progress, shown on the task page and the dashboard
(the partial templates/jobs/_progress.html), and the retry of a failed item."""
