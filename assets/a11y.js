/*
 * What Dash's components do not let the page set through their properties, set once they are drawn:
 * - dash_table's pagination buttons are icons without a name: each gets a French one;
 * - a table's horizontal scroll container takes the keyboard focus (so it can be scrolled without a
 *   mouse) and is named after the table's region.
 * - the file field of an upload zone is hidden behind the zone: it is named after the zone's text;
 * - Bootstrap's dropdown headers have role="heading" without the level a heading requires;
 * - the « Aller aux graphiques » link after the filters is offered only on a page with charts, and moves
 *   the focus to the first chart.
 * A MutationObserver applies them to whatever a callback draws later.
 */
(function () {
    var PAGINATION = {
        "first-page": "Première page",
        "previous-page": "Page précédente",
        "next-page": "Page suivante",
        "last-page": "Dernière page"
    };

    function nameTables(root) {
        Object.keys(PAGINATION).forEach(function (cls) {
            root.querySelectorAll("button." + cls + ":not([aria-label])").forEach(function (button) {
                button.setAttribute("aria-label", PAGINATION[cls]);
                button.setAttribute("title", PAGINATION[cls]);
            });
        });
        root.querySelectorAll(".dash-spreadsheet-container:not([tabindex])").forEach(function (box) {
            box.setAttribute("tabindex", "0");
            box.setAttribute("role", "region");
            var region = box.closest("[aria-label]");
            var heading = box.closest("section, .table-section, #page-content");
            var label = region ? region.getAttribute("aria-label") : "";
            if (!label && heading) {
                var title = heading.querySelector("h2, h1");
                label = title ? title.textContent.trim() : "";
            }
            box.setAttribute("aria-label", "Tableau" + (label ? " : " + label : "") + " (défilement horizontal)");
        });
        root.querySelectorAll(".upload-zone input[type=file]:not([aria-label])").forEach(function (input) {
            var zone = input.closest(".upload-zone");
            input.setAttribute("aria-label", (zone && zone.textContent.trim()) || "Choisir un fichier");
        });
        root.querySelectorAll('.dropdown-header[role="heading"]:not([aria-level])').forEach(function (header) {
            header.setAttribute("aria-level", "3");
        });
        var skip = document.getElementById("skip-to-charts");
        if (skip) {
            var hasCharts = !!document.querySelector("#page-content .chart-card");
            if (skip.hidden === hasCharts) { skip.hidden = !hasCharts; }
        }
        // The page-number field of a long table.
        root.querySelectorAll(".dash-spreadsheet-pagination input:not([aria-label]), .previous-next-container input:not([aria-label])")
            .forEach(function (input) { input.setAttribute("aria-label", "Numéro de page"); });
    }

    var scheduled = false;
    function run() {
        scheduled = false;
        nameTables(document);
    }
    function schedule() {
        if (!scheduled) {
            scheduled = true;
            window.requestAnimationFrame(run);
        }
    }
    // The skip link's target is the first chart card: focused (and scrolled to) without becoming a tab stop.
    document.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest("#skip-to-charts");
        var card = link && document.querySelector("#page-content .chart-card");
        if (!card) { return; }
        event.preventDefault();
        card.setAttribute("tabindex", "-1");
        card.focus();
    });

    function start() {
        run();
        new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
