"""Déclaration d'accessibilité: what is conformant, what is not yet, how to ask for an alternative."""

from __future__ import annotations

from dash import Dash, html
from dash.development.base_component import Component

from dashboard.cache import CachedRepository
from dashboard.panels.page import PanelPage

PAGE = PanelPage(key="accessibility", path="/accessibilite", title="Accessibilité", order=20, nav=False)

AUDIT_DATE = "2 décembre 2026"
CONTACT = "la mission pilotage et performance de votre caisse (référent accessibilité du tableau de bord)"

_METHOD = (
    "Outil : axe-core 4.12 (règles WCAG 2.1 niveaux A et AA, celles que reprend le RGAA 4.1), exécuté "
    "dans Chromium par la suite de tests automatiques, à chaque modification du tableau de bord ; "
    "fenêtre de 1366 × 768 px, captures d'écran à 1366 et 1920 px.",
    "Pages : vue d'ensemble, les cinq pages thématiques, une page « Autres thèmes », Données, Comparer, "
    "Comité de pilotage, Présentation, Importer, Connexion, Déclaration d'accessibilité et la page "
    "« introuvable ».",
    "États : le menu « Autres thèmes » ouvert, une liste de filtres ouverte (départements, caisses), "
    "le tableau « Voir les données » et le "
    "menu « Autres formats » d'un graphique ouverts, un dossier comité en préparation, le mode présentation "
    "sur deux écrans, la page Importer d'un éditeur connecté et l'aperçu d'un fichier déposé, un "
    "graphique en cours de chargement.",
    "Clavier seul : un test parcourt la page Canaux de contact au clavier depuis les filtres jusqu'au "
    "tableau « Voir les données » du premier graphique (10 touches grâce au lien « Aller aux "
    "graphiques », pour 20 au plus), vérifie un contour de focus d'au moins 3 px à chaque arrêt et au "
    "plus 6 arrêts par graphique.",
)

_CONFORMANT = (
    "Aucune violation relevée par axe-core, quel qu'en soit l'impact, sur les 15 pages et les 9 états "
    "testés (avant correction : 457 éléments en défaut grave ou critique, sur 6 règles).",
    'La langue de la page est déclarée en français (attribut lang="fr").',
    "Les filtres sont des contrôles natifs nommés par leur étiquette (« Année », « Comparer avec », "
    "« Départements », « Caisses ») : listes déroulantes du navigateur pour les années, cases à cocher "
    "avec un champ de recherche pour les départements et les caisses ; Échap referme une liste ouverte.",
    "Aucun élément masqué aux technologies d'assistance ne reçoit le focus ; le focus clavier est "
    "toujours visible (contour orange de 3 px, blanc sur la barre de navigation).",
    "Les textes, les boutons, y compris désactivés, et les contours de focus ont un contraste d'au moins "
    "4,5:1.",
    "Chaque graphique porte un titre, un sous-titre, sa source et une phrase qui le résume ; un tableau "
    "« Voir les données » donne les mêmes chiffres sous forme de texte. Sa barre d'outils ne garde que le "
    "téléchargement de l'image : ni zoom ni déplacement.",
    "Les boutons de pagination des tableaux sont nommés (« Page suivante »…) et un tableau qui défile "
    "horizontalement se fait défiler au clavier.",
    "Les cases à cocher du dossier comité sont à côté de leur étiquette, sans rôle imbriqué.",
    "Un chiffre non publié est écrit « non publié », jamais remplacé par zéro.",
    "Les couleurs des graphiques suivent une palette lisible par les personnes daltoniennes (Okabe–Ito).",
    "Un lien « Aller au contenu » permet de passer la navigation, et un lien « Aller aux graphiques », "
    "après les filtres, de passer les chiffres clés. Aucune ressource n'est chargée depuis Internet.",
)
_NOT_YET = (
    "Les graphiques interactifs eux-mêmes (survol des barres et des parts) ne sont pas utilisables au "
    "lecteur d'écran : leurs données restent accessibles par le tableau « Voir les données » et la page "
    "Données.",
    "Un outil automatique ne relève qu'une partie des critères du RGAA : la pertinence des textes de "
    "remplacement, l'ordre de lecture et la restitution par les lecteurs d'écran (NVDA, JAWS, VoiceOver) "
    "n'ont pas encore été vérifiés à la main, critère par critère.",
    "Les violations d'impact modéré ou mineur que signalerait axe-core ne bloquent pas les tests ; elles "
    "sont listées à chaque passage dans le rapport des tests (aucune à la date de l'audit).",
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
            html.P(f"Déclaration établie le {AUDIT_DATE}, d'après un audit interne automatisé."),
            html.H2("Ce qui a été testé", className="section-title"),
            html.Ul([html.Li(t) for t in _METHOD]),
            html.H2("Ce qui est conforme", className="section-title"),
            html.Ul([html.Li(t) for t in _CONFORMANT]),
            html.H2("Ce qui ne l'est pas encore", className="section-title"),
            html.Ul([html.Li(t) for t in _NOT_YET]),
            html.H2("Contact et alternative", className="section-title"),
            html.P(
                f"Pour signaler un défaut d'accessibilité ou obtenir un contenu sous une autre forme, "
                f"écrivez à {CONTACT}, objet « Accessibilité du tableau de bord » : les chiffres vous "
                "seront transmis sous une forme accessible (tableau, texte) dans les meilleurs délais. "
                "Vous pouvez aussi exporter toutes les données depuis la page « Données »."
            ),
            html.H2("Voies de recours", className="section-title"),
            html.P(
                "Si vous n'obtenez pas de réponse satisfaisante, vous pouvez saisir le Défenseur des droits "
                "(formulaire en ligne, délégué de votre région, ou courrier gratuit sans affranchissement : "
                "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07)."
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
