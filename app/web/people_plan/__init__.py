"""The pages of the people sections of the integrated plan (app.services.people_plan):
the staffing plan, the training plan, the positive actions plan of a cycle. Views parse
and authorize; the services act. Edit forms carry the plan's version: a form read
before someone else's change answers 409."""
