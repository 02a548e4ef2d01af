"""Personal data under the GDPR: evaluations, objectives and bonuses are personal data.

Public face:
  access_log  record who opened whose evaluation, objectives or bonus; read and export it
  export      everything the product holds about one person (art. 15), as an archive
  retention   after RETENTION_YEARS, strip the texts of old evaluations and redact the
              audit payloads about them, keeping scores, aggregates and the chain
"""
