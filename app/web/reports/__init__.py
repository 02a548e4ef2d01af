"""What a cycle shows: the dashboard and OIV workspace (dashboard), the managers' team
pages (team), the Report and Excel downloads (downloads) and the public transparency page
(transparency). Templates: reports/."""
