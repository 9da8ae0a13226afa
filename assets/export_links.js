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

    // A theme page's « Autres formats » menu is written when first opened, from its data-links
    // (export_links.build_server_links): five links fewer for Dash to mount on every filter change.
    function write(event) {
        var menu = event.target;
        if (!(menu instanceof HTMLDetailsElement) || !menu.open || !menu.dataset.links) { return; }
        if (menu.querySelector("ul")) { return; }
        var list = document.createElement("ul");
        JSON.parse(menu.dataset.links).forEach(function (written) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            link.className = "dropdown-item";
            link.href = written.href;
            link.setAttribute("data-export", written.href);
            link.setAttribute("download", "");
            link.title = written.title;
            link.textContent = written.label;
            item.appendChild(link);
            list.appendChild(item);
        });
        menu.appendChild(list);
    }
    document.addEventListener("toggle", write, true);  // toggle does not bubble: caught on its way down
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
