/*
 * Server-side export links of the chart cards: their address carries the filters of the moment, so the
 * server draws the chart the person is looking at. The address is completed when the link is used (click,
 * middle click, keyboard, context menu), not on every filter change. The server checks every value again
 * (dashboard/downloads.py).
 */
(function () {
    function complete(event) {
        var link = event.target.closest && event.target.closest("a[data-export]");
        if (!link) { return; }
        var query = window.location.search.replace(/^\?/, "");
        var base = link.getAttribute("data-export");
        link.setAttribute("href", base.replace("?", "?" + (query ? query + "&" : "")));
    }
    ["click", "auxclick", "contextmenu", "focusin", "mouseover"].forEach(function (type) {
        document.addEventListener(type, complete, true);
    });
}());

window.dash_clientside = Object.assign({}, window.dash_clientside, {
    cpamServerExport: {
        // Comparer: the links also carry the chosen indicator, kept current by a callback.
        links: function (search, linkIds) {
            var query = (search || "").replace(/^\?/, "");
            return (linkIds || []).map(function (id) {
                var parts = id.variant.split("-");
                return "/export/figure/" + encodeURIComponent(id.panel) + "/" + encodeURIComponent(id.chart) +
                    "." + parts[0] + "?" + (query ? query + "&" : "") + "taille=" + parts[1];
            });
        },
        // Comparer: the chosen indicator travels with the filters.
        compareLinks: function (search, indicator, linkIds) {
            var extra = indicator ? "indicateur=" + encodeURIComponent(indicator) + "&" : "";
            return window.dash_clientside.cpamServerExport.links(search, linkIds).map(function (href) {
                return href.replace("?", "?" + extra);
            });
        }
    }
});
