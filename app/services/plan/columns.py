"""The columns of a plan file (CSV or XLSX), as plan export writes them and plan import
reads them: the canonical name and the headers accepted for it (normalised by
app.formats.tables.normalise_header), so Italian headers of published tables read too.

The targets of the horizon: `target` is the cycle's year's (a value or a relative rule,
"+10% sul 2022"), `later_targets` (target_anni) the later years' in one cell, "2024: 7 |
2025: +10% sul 2024"; `baseline_year` (anno_base) is the year of `baseline`. `source`
says where an indicator's value comes from: blank for a value entered, 'media obiettivi
operativi' for the mean of the strategic objective's operational objectives
(Alessandria), computed and never entered."""
from __future__ import annotations

# Canonical column (as exported) -> accepted headers, normalised by tabular.normalise_header.
COLUMNS = {
    "cycle": ("cycle", "ciclo", "anno", "year"),
    "area_code": ("area_code", "codice_area"),
    "area_title": ("area_title", "area_strategica", "area", "linea_strategica"),
    "area_description": ("area_description", "descrizione_area"),
    "area_weight": ("area_weight", "peso_area"),
    "strategic_code": ("strategic_code", "codice_os", "codice_obiettivo_strategico"),
    "strategic_title": ("strategic_title", "obiettivo_strategico"),
    "strategic_description": ("strategic_description", "descrizione_os"),
    "strategic_owner_unit": ("strategic_owner_unit", "struttura_os"),
    "strategic_weight": ("strategic_weight", "peso_os"),
    "strategic_mission": ("strategic_mission", "missione_os"),
    "strategic_programme": ("strategic_programme", "programma_os"),
    "strategic_budget": ("strategic_budget", "risorse_os"),
    "operational_code": ("operational_code", "codice_op", "codice_obiettivo_operativo"),
    "operational_title": ("operational_title", "obiettivo_operativo", "project", "progetto"),
    "operational_description": ("operational_description", "descrizione_op"),
    "owner_unit": ("owner_unit", "struttura", "unita_organizzativa", "responsabile"),
    "operational_weight": ("operational_weight", "peso_op"),
    "mission": ("mission", "missione"),
    "programme": ("programme", "programma"),
    "budget": ("budget", "risorse", "risorse_di_budget"),
    "indicator_code": ("indicator_code", "codice_indicatore"),
    "indicator_name": ("indicator_name", "indicator", "indicatore", "kpi"),
    "algorithm": ("algorithm", "algoritmo", "formula"),
    "type": ("type", "tipo", "tipologia"),
    "unit": ("unit", "unita_di_misura", "um"),
    "data_source": ("data_source", "fonte", "fonte_dati"),
    "baseline": ("baseline", "valore_di_partenza", "valore_base"),
    "baseline_year": ("baseline_year", "anno_base", "anno_baseline"),
    "direction": ("direction", "verso", "direzione"),
    "target": ("target",),
    "threshold": ("threshold", "soglia"),
    "later_targets": ("later_targets", "target_anni", "target_anni_successivi"),
    "weight": ("weight", "peso", "peso_indicatore"),
    "method": ("method", "metodo"),
    "ratio_cap": ("ratio_cap", "tetto", "tetto_rapporto", "massimo"),
    "credit_per_day_late": ("credit_per_day_late", "punti_per_giorno_di_ritardo",
                            "credito_giorno"),
    "steps": ("steps", "gradini", "scala", "scaglioni"),
    "monitoring_value": ("monitoring_value", "monitoraggio", "valore_monitoraggio"),
    "monitoring_forecast": ("monitoring_forecast", "previsione"),
    "at_risk": ("at_risk", "a_rischio"),
    "monitoring_note": ("monitoring_note", "nota_monitoraggio"),
    "actual": ("actual", "consuntivo", "valore_consuntivo", "risultato"),
    "neutralised": ("neutralised", "neutralizzato"),
    "neutralised_reason": ("neutralised_reason", "motivo_neutralizzazione"),
    "notes": ("notes", "note"),
    "source": ("source", "origine_valore"),
}
# A blank weight cell is allowed: a group of blank weights counts its rows equally.
REQUIRED = ("indicator_name", "unit", "direction", "target", "weight")
OBJECTIVE_COLUMNS = ("strategic_code", "strategic_title", "operational_code", "operational_title")
