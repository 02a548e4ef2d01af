"""The signed-in person's account: sign-in with throttling per e-mail and address and
the Admins' view of the locks (signin), changing one's own password (password), and
their own settings (preferences.set_reminders)."""
