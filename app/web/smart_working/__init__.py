"""The pages of smart working (lavoro agile): a person's agreements and the request
form, one agreement (its terms, days per period, reports, PDF, withdrawal, renewal),
the policy; views parse and authorize, app.services.smart_working acts."""
