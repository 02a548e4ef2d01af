"""The inbox and the task page (views), the buttons and hand-over forms (forms), the live
score of the rating forms (evaluation_preview). Templates: tasks/."""
