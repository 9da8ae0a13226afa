"""Plain server-rendered French pages: sign-in form and error pages (no script, so the strict CSP holds)."""

from __future__ import annotations

from html import escape

_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — Qualité de service des CPAM</title>
<link rel="stylesheet" href="/assets/00-bootstrap.min.css">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<main class="container py-5 auth-page" id="page-content">
<p><a href="/">Qualité de service des CPAM</a></p>
<h1 class="page-title">{title}</h1>
{body}
</main>
</body>
</html>"""


def page(title: str, body_html: str) -> str:
    """A whole page around already-escaped body HTML."""
    return _PAGE.format(title=escape(title), body=body_html)


def error_page(title: str, message: str) -> str:
    """A French error page: what happened and what to do, never a stack trace."""
    return page(
        title,
        f'<p class="lead">{escape(message)}</p><p><a href="/">Revenir à la vue d\'ensemble</a></p>',
    )


def login_page(*, csrf: str, next_path: str, error: str | None = None, name: str = "") -> str:
    """The password sign-in form."""
    alert = f'<div class="alert alert-danger" role="alert">{escape(error)}</div>' if error else ""
    return page(
        "Connexion",
        f"""{alert}
<p>Consulter le tableau de bord ne demande pas de compte. Importer ou annuler un import demande un compte
éditeur, créé par l'administrateur avec la commande
<code>python -m dashboard users add NOM --role editor</code>.</p>
<form method="post" action="/connexion" class="auth-form">
<input type="hidden" name="csrf" value="{escape(csrf)}">
<input type="hidden" name="suivant" value="{escape(next_path)}">
<div class="mb-3"><label class="form-label" for="nom">Nom d'utilisateur</label>
<input class="form-control" id="nom" name="nom" autocomplete="username" required maxlength="120"
 value="{escape(name)}"></div>
<div class="mb-3"><label class="form-label" for="mot_de_passe">Mot de passe</label>
<input class="form-control" id="mot_de_passe" name="mot_de_passe" type="password"
 autocomplete="current-password" required maxlength="1024"></div>
<button class="btn btn-primary" type="submit">Se connecter</button>
</form>""",
    )


def sso_page(header: str) -> str:
    """What /connexion shows when the reverse proxy signs people in (single sign-on)."""
    return page(
        "Connexion",
        "<p>La connexion passe par l'authentification unique de votre caisse : si vous voyez cette page, "
        "le serveur frontal ne transmet pas votre identité (en-tête "
        f"<code>{escape(header)}</code>). Adressez-vous à l'équipe informatique.</p>"
        '<p><a href="/import">Aller à la page d\'import</a></p>',
    )
