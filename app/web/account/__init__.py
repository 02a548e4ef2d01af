"""Pages of the signed-in person: sign-in and out, the language switch (auth), their own
objectives, evaluation, bonus, history and preferences (me). Templates: account/."""
