"""The plan screens: the objective tree and indicators (views), the evaluation system and
calendar (system), individual objectives (people), their forms (forms). Templates: plan/."""
