"""Business operations. Each public function is one action: it checks the actor's
permission, changes state in the caller's transaction and writes the audit trail."""
