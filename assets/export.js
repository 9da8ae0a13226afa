/*
 * Client-side image export of a chart, the quick path: the browser draws the PNG or SVG itself with
 * Plotly.downloadImage, at the size the graph's config sets (toImageButtonOptions). The file name follows
 * the filters and travels in the figure (layout.meta.export_filename, dashboard/theme.py with_export_name):
 * in the config it would change with every filter, and a changed config makes plotly redraw the chart from
 * scratch. Kept in a file, not inline, so the page runs under a strict CSP.
 *
 * Like the server's files, a browser-drawn file names its data version (« _donnees-v12 ») and an SVG
 * carries its provenance (filters, data version, view, date) in <title> and <desc>: both are asked of the
 * server once per view (/export/provenance, dashboard/downloads.py) and kept for half a minute.
 */
(function () {
    var KEEP_MS = 30000;
    var known = {};

    function exportName(plot) {
        var meta = plot && plot.layout && plot.layout.meta;
        return meta && typeof meta.export_filename === "string" ? meta.export_filename : null;
    }

    function cached(search) {
        var found = known[search];
        return found && Date.now() - found.at < KEEP_MS ? found.value : null;
    }

    function provenance() {
        var search = window.location.search || "";
        var found = cached(search);
        if (found) {
            return Promise.resolve(found);
        }
        var query = search.replace(/^\?/, "");
        var address = "/export/provenance?" + (query ? query + "&" : "") +
            "page=" + encodeURIComponent(window.location.pathname);
        return fetch(address, { credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (value) {
                if (value) {
                    known[search] = { at: Date.now(), value: value };
                }
                return value;
            })
            .catch(function () { return null; });
    }

    // Every export is journaled, those the browser draws too: it tells the server what it saved.
    function journal(format, fileName) {
        var query = (window.location.search || "").replace(/^\?/, "");
        var address = "/export/journal?" + (query ? query + "&" : "") +
            "page=" + encodeURIComponent(window.location.pathname) +
            "&format=" + format + "&fichier=" + encodeURIComponent(fileName);
        fetch(address, { method: "POST", credentials: "same-origin" }).catch(function () { return null; });
    }

    function versioned(name, found) {
        return found && typeof found.data_version === "number" ? name + "_donnees-v" + found.data_version : name;
    }

    function escapeXml(text) {
        return String(text).replace(/[&<>"]/g, function (c) {
            return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c];
        });
    }

    function saveSvg(plot, options, name, found) {
        return window.Plotly.toImage(plot, options).then(function (url) {
            var svg = decodeURIComponent(url.slice(url.indexOf(",") + 1));
            var titleNode = plot.querySelector(".gtitle");
            var title = titleNode ? titleNode.textContent : name;
            var added = "<title>" + escapeXml(title) + "</title>" +
                (found ? "<desc>" + escapeXml(found.description) + "</desc>" : "");
            var open = svg.indexOf(">", svg.indexOf("<svg"));
            var blob = new Blob([svg.slice(0, open + 1) + added + svg.slice(open + 1)], { type: "image/svg+xml" });
            var link = document.createElement("a");
            link.href = URL.createObjectURL(blob);
            link.download = name + ".svg";
            document.body.appendChild(link);
            link.click();
            link.remove();
            setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
        });
    }

    // Asked for before a click when the pointer reaches a chart, so the toolbar's camera (which cannot wait)
    // finds the data version already there.
    document.addEventListener("mouseover", function (event) {
        var plot = event.target && event.target.closest ? event.target.closest(".js-plotly-plot") : null;
        if (plot && !cached(window.location.search || "")) {
            provenance();
        }
    }, { passive: true });

    // The toolbar's camera reads its options when clicked: lend them the chart's name for that click only,
    // so that the config plotly compares on the next update is the one it was given.
    document.addEventListener("click", function (event) {
        var button = event.target && event.target.closest ? event.target.closest(".modebar-btn") : null;
        var plot = button && button.closest(".js-plotly-plot");
        var name = exportName(plot);
        var context = plot && plot._context;
        if (!name || !context || !context.toImageButtonOptions) {
            return;
        }
        var given = context.toImageButtonOptions;
        var found = cached(window.location.search || "");
        context.toImageButtonOptions = Object.assign({}, given, { filename: versioned(name, found) });
        setTimeout(function () {
            context.toImageButtonOptions = given;
        }, 0);
    }, true);

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        cpamExport: {
            download: function (pngClicks, svgClicks, config, graphId) {
                var noUpdate = window.dash_clientside.no_update;
                var ctx = window.dash_clientside.callback_context;
                if (!ctx.triggered.length || !window.Plotly) {
                    return noUpdate;
                }
                var format = ctx.triggered[0].prop_id.indexOf('"export-svg"') >= 0 ? "svg" : "png";
                var container = document.getElementById(JSON.stringify(graphId, Object.keys(graphId).sort()));
                var plot = container && container.querySelector(".js-plotly-plot");
                if (!plot) {
                    return noUpdate;
                }
                var options = (config && config.toImageButtonOptions) || {};
                var name = exportName(plot) || options.filename || "graphique";
                var size = {
                    format: format,
                    width: options.width || 1600,
                    height: options.height || 900,
                    scale: format === "png" ? options.scale || 2 : 1
                };
                provenance().then(function (found) {
                    var fileName = versioned(name, found);
                    var saved = format === "svg"
                        ? saveSvg(plot, size, fileName, found)
                        : window.Plotly.downloadImage(plot, Object.assign({ filename: fileName }, size));
                    return saved.then(function () { journal(format, fileName); });
                });
                return noUpdate;
            }
        }
    });
})();
