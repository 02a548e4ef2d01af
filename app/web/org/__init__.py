"""Administration of the organisation: users, roles, the org chart, evaluator links and
the organisation import (admin, forms). Templates: org/."""
