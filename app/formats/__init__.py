"""How people write numbers, dates and indicator values, and back, in Italian formats
(1.234,56; 85,00%; 23/05/2022): uploaded tables (tables), display (italian) and indicator
values (values). Used by services, forms, pages, the Report and the exports; imports
nothing above the models."""
