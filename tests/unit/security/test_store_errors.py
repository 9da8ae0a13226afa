"""A store error becomes a French error page: 503 when the store is only busy, 500 otherwise."""

import pytest
from dash import Dash, html

from dashboard.data.store import Store, StoreBusy, StoreError
from dashboard.security.web import install_security
from dashboard.settings import Settings


@pytest.fixture
def client(tmp_path):
    app = Dash(__name__)
    app.layout = html.Div()

    @app.server.route("/occupee")
    def busy():
        raise StoreBusy("La base de données est occupée par une autre écriture : réessayez dans un instant.")

    @app.server.route("/autre")
    def other():
        # The same words in another error: the status follows the error's type, not its message.
        raise StoreError("Opération impossible : la base de données est occupée ou pleine.")

    install_security(
        app, Settings(database_url=f"sqlite:///{tmp_path / 'store.sqlite3'}"), Store("sqlite://")
    )
    return app.server.test_client()


def test_a_busy_store_answers_503_with_its_french_message(client):
    response = client.get("/occupee")
    assert response.status_code == 503
    assert "réessayez dans un instant" in response.get_data(as_text=True)


def test_another_store_error_answers_500_whatever_its_words(client):
    response = client.get("/autre")
    assert response.status_code == 500
    assert "Opération impossible" in response.get_data(as_text=True)
