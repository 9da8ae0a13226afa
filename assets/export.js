/*
 * Client-side image export of a chart, the quick path: the browser draws the PNG or SVG itself with
 * Plotly.downloadImage, at the size the graph's config sets (toImageButtonOptions). The file name follows
 * the filters and travels in the figure (layout.meta.export_filename, dashboard/theme.py with_export_name):
 * in the config it would change with every filter, and a changed config makes plotly redraw the chart from
 * scratch. Kept in a file, not inline, so the page runs under a strict CSP.
 */
(function () {
    function exportName(plot) {
        var meta = plot && plot.layout && plot.layout.meta;
        return meta && typeof meta.export_filename === "string" ? meta.export_filename : null;
    }

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
        context.toImageButtonOptions = Object.assign({}, given, { filename: name });
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
                window.Plotly.downloadImage(plot, {
                    format: format,
                    filename: exportName(plot) || options.filename || "graphique",
                    width: options.width || 1600,
                    height: options.height || 900,
                    scale: format === "png" ? options.scale || 2 : 1
                });
                return noUpdate;
            }
        }
    });
})();
