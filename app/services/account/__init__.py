"""The signed-in person's account: sign-in with throttling (signin.authenticate) and
their own settings (preferences.set_reminders)."""
