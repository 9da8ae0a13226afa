"""Déclaration d'accessibilité: what is conformant, what is not yet, how to ask for an alternative."""

from __future__ import annotations

from dash import Dash, html
from dash.development.base_component import Component

from dashboard.cache import CachedRepository
from dashboard.panels.page import PanelPage

PAGE = PanelPage(key="accessibility", path="/accessibilite", title="Accessibilité", order=20, nav=False)

_CONFORMANT = (
    'La langue de la page est déclarée en français (attribut lang="fr").',
    "Les filtres (année, comparaison, départements, caisses) s'utilisent entièrement au clavier : "
    "Tab pour passer d'un filtre à l'autre, flèches pour choisir, Entrée pour valider.",
    "Chaque graphique porte un titre, un sous-titre, sa source et une phrase qui le résume ; "
    "un tableau « Voir les données » donne les mêmes chiffres sous forme de texte.",
    "Un chiffre non publié est écrit « non publié », jamais remplacé par zéro.",
    "Les couleurs des graphiques suivent une palette lisible par les personnes daltoniennes "
    "(Okabe–Ito) ; les textes respectent un contraste d'au moins 4,5:1.",
    "Un lien « Aller au contenu » permet de passer la navigation ; le focus clavier est toujours visible.",
    "Aucune ressource n'est chargée depuis Internet.",
)
_NOT_YET = (
    "Les graphiques interactifs eux-mêmes (survol, zoom) ne sont pas utilisables au lecteur d'écran : "
    "leurs données restent accessibles par le tableau « Voir les données » et la page Données.",
    "La conformité n'a pas encore fait l'objet d'un audit RGAA complet par un organisme indépendant.",
)


def layout(repo: CachedRepository, path: str) -> Component:
    """A static statement."""
    return html.Div(
        [
            html.H1("Déclaration d'accessibilité", className="page-title"),
            html.P(
                "Ce tableau de bord vise la conformité au RGAA 4.1 (WCAG 2.1 niveau AA). "
                "État de conformité : partiellement conforme."
            ),
            html.H2("Ce qui est conforme", className="section-title"),
            html.Ul([html.Li(t) for t in _CONFORMANT]),
            html.H2("Ce qui ne l'est pas encore", className="section-title"),
            html.Ul([html.Li(t) for t in _NOT_YET]),
            html.H2("Obtenir une alternative", className="section-title"),
            html.P(
                "Si vous ne parvenez pas à accéder à un contenu ou à un graphique, écrivez à l'équipe "
                "qui administre le tableau de bord dans votre caisse (la mission pilotage et performance) : "
                "les chiffres vous seront transmis sous une forme accessible (tableau, texte) dans les "
                "meilleurs délais. Vous pouvez aussi exporter toutes les données depuis la page « Données »."
            ),
            html.P(
                "Si vous n'obtenez pas de réponse satisfaisante, vous pouvez saisir le Défenseur des droits."
            ),
        ],
        className="statement",
    )


def register_callbacks(app: Dash, repo: CachedRepository) -> None:
    """A static page: nothing to register."""
    del app, repo


def not_found(path: str) -> Component:
    """What an unknown address shows: a French page, never an error."""
    return html.Div(
        [
            html.H1("Page introuvable", className="page-title"),
            html.P(f"L'adresse « {path[:80]} » ne correspond à aucune page du tableau de bord."),
            html.A("Revenir à la vue d'ensemble", href="/"),
        ]
    )
