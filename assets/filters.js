/*
 * The filter bar's lists of checkboxes (départements, caisses) open in a <details> disclosure: Escape or a
 * click elsewhere closes an open one, the focus going back to its button; opening the départements puts
 * the focus in their search field, which filters the checkboxes without asking the server.
 */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    cpamFilters: {
        search: function (text, all) {
            var words = (text || "").toLocaleLowerCase("fr").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
                .split(/\s+/).filter(Boolean);
            return (all || []).filter(function (option) {
                var label = option.label.toLocaleLowerCase("fr").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
                return words.every(function (word) { return label.indexOf(word) !== -1; });
            });
        },
        // The page links carry the filters of the moment: each link's page, then the URL's query.
        navLinks: function (search, hrefs) {
            return (hrefs || []).map(function (href) { return (href || "/").split("?")[0] + (search || ""); });
        }
    }
});

(function () {
    function close(details, refocus) {
        details.open = false;
        if (refocus) {
            var summary = details.querySelector("summary");
            if (summary) { summary.focus(); }
        }
    }

    document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape") { return; }
        var details = event.target.closest && event.target.closest("details.filter-popover[open]");
        if (details) {
            event.preventDefault();
            close(details, true);
        }
    });

    document.addEventListener("click", function (event) {
        document.querySelectorAll("details.filter-popover[open]").forEach(function (details) {
            if (!details.contains(event.target)) { close(details, false); }
        });
    });

    document.addEventListener("toggle", function (event) {
        var details = event.target;
        if (!details.classList || !details.classList.contains("filter-popover") || !details.open) { return; }
        // One list open at a time.
        document.querySelectorAll("details.filter-popover[open]").forEach(function (other) {
            if (other !== details) { other.open = false; }
        });
        var search = details.querySelector("input.filter-search, .filter-search input");
        if (search) { search.focus(); }
    }, true);
}());
