"""The plan screens: the cycles, the objective tree, import and export, and the blueprint
every plan page registers on (views); strategic areas and objectives (objectives);
indicators and their values (indicators); approval and revisions (revisions); the
evaluation system and calendar (system); individual objectives (people); their forms
(forms). Templates: plan/."""
