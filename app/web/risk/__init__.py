"""The pages of the corruption-risk section (app.services.risk): the register with its
heat map, the risks, the measures, the settings, the checks table, the managers'
reports and the process map (views.py, items.py); the public pages of the section on
/trasparenza (public.py). Views parse and authorize; the services act."""
