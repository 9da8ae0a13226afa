/*
 * Server-side export links of the chart cards: their address carries the filters of the moment, so the
 * server draws the chart the person is looking at. The variant (format and size) is part of the link's id;
 * the server checks every value again (dashboard/downloads.py).
 */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    cpamServerExport: {
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
